import DSP

/// arecord's options moved after standard input (`arecord -f cd | audioprep - …` typed as
/// `audioprep - -f cd -r22050 -c1`), written as `UsageHint` reads sox's format options for a
/// raw input (review32h W4): a value glued on is split off (`-r22050` → `-r 22050`), ffmpeg's
/// names for them are arecord's (`-ar` → `-r`, `-ac` → `-c`), and arecord's named formats are
/// their sample format, rate and channels (`cd`: S16_LE at 44100 Hz, 2 channels; `dat`: 48000 Hz).
/// Only when the input is standard input and `-f` names a raw sample format or such a name.
enum ArecordOptions {
  static let namedFormats: [String: (encoding: String, rate: String, channels: String)] = [
    "cd": ("S16_LE", "44100", "2"), "dat": ("S16_LE", "48000", "2"),
  ]

  static func normalized(_ arguments: [String]) -> [String] {
    let end = arguments.firstIndex(of: "--") ?? arguments.count
    let words = arguments[..<end]
    guard words.first(where: { !$0.hasPrefix("-") || $0 == "-" }) == "-" else { return arguments }
    // Glued values split off first (`-fS16_LE`, `-r22050`, `-c1`).
    var split: [String] = []
    for word in words {
      if let name = ["-f", "-r", "-c"].first(where: { word.hasPrefix($0) && word.count > 2 }), !word.hasPrefix("--"),
        word.dropFirst(2).first.map({ $0.isNumber || name == "-f" }) == true, word != "-c:a"
      {
        split += [name, String(word.dropFirst(2))]
      } else {
        split.append(word)
      }
    }
    let format = split.indices.first { split[$0] == "-f" && $0 + 1 < split.count }.map { split[$0 + 1] }
    guard let format, namedFormats[format.lowercased()] != nil || EncodingName.canonical(format).flatMap(RawEncoding.init(rawValue:)) != nil
    else { return arguments }
    var result: [String] = []
    var index = 0
    while index < split.count {
      let word = split[index]
      if word == "-f", index + 1 < split.count, let named = namedFormats[split[index + 1].lowercased()] {
        result += ["-f", named.encoding]
        if !split.contains("-r") && !split.contains("-ar") { result += ["-r", named.rate] }
        if !split.contains("-c") && !split.contains("-ac") { result += ["-c", named.channels] }
        index += 2
        continue
      }
      // arecord reads a rate under 300 as kHz (`-r 16` is 16000 Hz: review33k W3).
      if ["-r", "-ar"].contains(word), index + 1 < split.count, let kilohertz = Int(split[index + 1]), kilohertz < 300 {
        result += ["-r", String(kilohertz * 1000)]
        index += 2
        continue
      }
      result.append(["-ar": "-r", "-ac": "-c"][word] ?? word)
      index += 1
    }
    return result + arguments[end...]
  }

  /// The pipe that does what an arecord command line typed to audioprep (`audioprep arecord -f
  /// cd -D hw:1 -d 5 out.wav`) asks: arecord writes raw samples in the format, rate and
  /// channels the line names (audioprep's recommended S16_LE, 16000 Hz, mono where it names
  /// none), its device, duration and other options kept, and audioprep reads them with the same
  /// numbers and writes the line's file (review33h H4: a fixed pipe dropped them all). A sample
  /// format audioprep does not read raw is said instead.
  static func pipe(for words: [String]) -> String {
    // No file: arecord writes to standard output, and so does audioprep then (review33j H5).
    var format = "S16_LE", rate: String?, channels: String?, output = "-"
    var kept: [String] = []
    var index = 0
    let valueOf = { (name: String, long: String, at: Int) -> (String, Int)? in
      let word = words[at]
      if word == name, at + 1 < words.count { return (words[at + 1], 2) }
      if word.hasPrefix(long + "=") { return (String(word.dropFirst(long.count + 1)), 1) }
      if word.hasPrefix(name), word.count > 2, !word.hasPrefix("--") { return (String(word.dropFirst(2)), 1) }
      return nil
    }
    while index < words.count {
      if let (value, length) = valueOf("-f", "--format", index) {
        if let named = namedFormats[value.lowercased()] {
          format = named.encoding
          rate = rate ?? named.rate
          channels = channels ?? named.channels
        } else {
          format = value
        }
        index += length
      } else if let (value, length) = valueOf("-r", "--rate", index) {
        // arecord reads a rate under 300 as kHz (`-r 16` is 16000 Hz: review33k W3).
        rate = Int(value).map { $0 < 300 ? String($0 * 1000) : value } ?? value
        index += length
      } else if let (value, length) = valueOf("-c", "--channels", index) {
        channels = value
        index += length
      } else if let (_, length) = valueOf("-t", "--file-type", index) {
        index += length  // the pipe's type is raw
      } else if let (value, length) = valueOf("-D", "--device", index) {
        kept += ["-D", value]
        index += length
      } else if let (value, length) = valueOf("-d", "--duration", index) {
        kept += ["-d", value]
        index += length
      } else if !words[index].hasPrefix("-") || words[index] == "-" {
        output = words[index]
        index += 1
      } else if Self.valueTaking.contains(words[index]), index + 1 < words.count {
        // Its other options with their values (`-s 160000`, `-B 20000`: review33k H3 kept the names alone).
        kept += [words[index], words[index + 1]]
        index += 2
      } else {
        kept.append(words[index])
        index += 1
      }
    }
    let rateValue = rate ?? "16000", channelValue = channels ?? "1"
    guard let encoding = EncodingName.canonical(format).flatMap(RawEncoding.init(rawValue:)) else { return unreadFormat(format) }
    let recorder = (["arecord", "-t", "raw", "-f", format, "-r", rateValue, "-c", channelValue] + kept).map(shellQuoted).joined(separator: " ")
    return "\(recorder) | audioprep - --in-encoding \(encoding.rawValue) --in-rate \(rateValue) --in-channels \(channelValue) -o \(shellQuoted(output))"
  }

  /// The line for an arecord line that lists devices (`arecord -l`), which records nothing
  /// (review33k W6: it became a recording pipe); nil for any other.
  static func listing(_ words: [String]) -> String? {
    guard let option = words.first(where: { ["-l", "-L", "--list-devices", "--list-pcms"].contains($0) }) else { return nil }
    return "'arecord \(option)' lists ALSA's devices: run it as it is; audioprep records nothing (it reads what arecord records: arecord -t raw … | audioprep - …)"
  }

  /// arecord's options that take a value (besides -f, -r, -c, -t, -D, -d, read above), as its
  /// manual lists them.
  static let valueTaking: Set<String> = [
    "-s", "--samples", "-F", "--period-time", "-B", "--buffer-time", "--period-size", "--buffer-size", "-A", "--avail-min",
    "-R", "--start-delay", "-T", "--stop-delay", "-V", "--vumeter", "--max-file-time", "--process-id-file", "-m", "--chmap",
    "--test-coef",
  ]

  /// Whether `name` is one of arecord's sample format names (`S16_LE`, `S24_3BE`, `MU_LAW`,
  /// `FLOAT64_LE`): upper case, with a byte order or a known name.
  static func isFormatName(_ name: String) -> Bool {
    name == name.uppercased() && name.first?.isLetter == true
      && (name.hasSuffix("_LE") || name.hasSuffix("_BE") || ["S8", "U8", "MU_LAW", "A_LAW", "IMA_ADPCM", "GSM", "MPEG"].contains(name))
  }

  /// What audioprep says of an arecord sample format it does not read raw.
  static func unreadFormat(_ format: String) -> String {
    "audioprep reads raw samples little-endian as S16_LE, S24_3LE, S32_LE, FLOAT_LE or U8, not \(format): record in one of them (arecord -t raw -f S16_LE …)"
  }
}
