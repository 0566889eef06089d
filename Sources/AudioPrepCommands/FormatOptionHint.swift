import DSP

/// Another tool's options that describe a raw input or a sample format, read as one group each
/// (`-t raw -r 22050 -e signed -b 16 -c 1 in.raw`, arecord's `- -f S16_LE -r 48000`, ffmpeg's
/// `-f s16le -ar 22050 -i in.raw`, sox's `-e floating-point -b 32`): their indices, the one line
/// for them, and what audioprep reads instead.
extension UsageHint {
  /// sox's format options (`-r`, `-c`, `-e`, `-b`, `-t`), which describe the input when typed
  /// before it (`sox -r 22050 -e signed -b 16 -c 1 in.raw …`), or, with their values, anywhere
  /// for a headerless input (`.raw`, `.pcm`, `-t raw`; `-t` after it is the output's type): the
  /// words' indices, the one line for them (the `--in-*` options, or that audioprep reads a
  /// header), and what audioprep reads instead (nil when an `--in-*` value is missing). nil
  /// when the command reads no raw input, none is typed so, or the line is ffmpeg's (an `-i`).
  static func soxInputFormat(_ words: [String], from start: Int, options: CommandOptions) -> (indices: [Int], line: String, replacement: [String]?)? {
    // arecord's sample format (`-f S16_LE`) after standard input: what arecord pipes in
    // (`arecord -f S16_LE -r 48000 | audioprep - …` with arecord's options moved: review31h W4).
    // Any of arecord's format names, those audioprep does not read raw too (`S16_BE`: review33h W2).
    let arecordFormat = { (index: Int) in
      words[index] == "-f" && index + 1 < words.count
        && (EncodingName.canonical(words[index + 1]).flatMap(RawEncoding.init(rawValue:)) != nil || ArecordOptions.isFormatName(words[index + 1]))
    }
    let readsStandardInput = words[start...].first { !$0.hasPrefix("-") || $0 == "-" } == "-"
    let arecord = readsStandardInput && (start..<words.count).contains(where: arecordFormat)
    let formatOptions: Set<String> = arecord ? ["-r", "-c", "-e", "-b", "-t", "-f"] : ["-r", "-c", "-e", "-b", "-t"]
    guard options.takesValue["--in-rate"] != nil, words[start...].contains(where: formatOptions.contains) else { return nil }
    // ffmpeg's line (an `-i` typed): its `-t` is a duration, its `-c` a codec, no sox format.
    guard !words.contains(where: inputOptions.contains) else { return nil }
    var before: [Int] = [], after: [Int] = []
    var input: String?
    var index = start
    while index < words.count {
      let word = words[index]
      if formatOptions.contains(word), index + 1 < words.count {
        if input == nil { before.append(index) } else { after.append(index) }
        index += 2
      } else if word.hasPrefix("-"), word != "-" {
        let takesNext = options.takesValue[word] == true || (foreignOption(word) != nil && !foreignFlags.contains(word))
        index += takesNext ? 2 : 1
      } else {
        if input == nil { input = word }
        index += 1
      }
    }
    let value = { (name: String, among: [Int]) in among.last { words[$0] == name }.map { words[$0 + 1] } }
    let type = value("-t", before)?.lowercased()
    // sox's raw types that name their encoding (`-t s16`, `sw`, `f32`; a file named `.s16`: review32i W3).
    let typedEncoding = (type ?? input.map { PathName.fileExtension($0).lowercased() }).flatMap { soxRawTypes[$0] }
    let raw =
      arecord || type == "raw" || typedEncoding != nil
      || input.map { RawInputOptions.rawExtensions.contains(PathName.fileExtension($0).lowercased()) } == true
    // After the input, an option already given before it is the output's, as in sox (`-r 22050
    // in.raw -r 16k`: the output rate; review31h H3): left to its own hint.
    let givenBefore = Set(before.map { words[$0] })
    // arecord's `-t` is its own output's type, the pipe's: part of the group (review33h W3: it was --format raw, the output's).
    let indices = raw ? before + after.filter { (arecord || words[$0] != "-t") && !givenBefore.contains(words[$0]) } : before
    guard !indices.isEmpty else { return nil }
    let typed = indices.map { "\(words[$0]) \(words[$0 + 1])" }.joined(separator: " ")
    let verb = indices.count == 1 ? "describes" : "describe"
    // sox's audio device drivers (`-t alsa default`): a device, not a file (review33h W1).
    if let type, ["alsa", "pulseaudio", "oss", "coreaudio", "waveaudio", "sndio", "ao", "sunau"].contains(type) {
      return (indices, "'\(typed)' is sox's audio device (\(type)); audioprep neither plays nor records: it reads a file or standard input (arecord -t raw … | audioprep - …)", nil)
    }
    guard raw else {
      return (
        indices,
        "'\(typed)' \(verb) the input in sox; audioprep reads \(input ?? "the input")'s format from its header (--in-rate, --in-channels and --in-encoding are for a headerless input; the output's rate is --rate)",
        []
      )
    }
    if arecord, let format = value("-f", indices), EncodingName.canonical(format).flatMap(RawEncoding.init(rawValue:)) == nil {
      return (indices, "'\(typed)' \(verb) the input in arecord; " + ArecordOptions.unreadFormat(format), nil)
    }
    // arecord's `-t wav`: a header audioprep reads, so no --in-* option at all.
    if arecord, let arecordType = value("-t", indices)?.lowercased(), arecordType != "raw" {
      return (indices, "'\(typed)' \(verb) the input in arecord; with -t \(arecordType) arecord writes a header, which audioprep reads: no --in-* option (arecord -t \(arecordType) … | audioprep - -o out.wav)", [])
    }
    // sox's G.711 encodings (`-e u-law`, `-e a-law`), which audioprep does not read raw (review33q W2).
    if let named = value("-e", indices)?.lowercased(), ["u-law", "mu-law", "a-law", "ulaw", "alaw"].contains(named) {
      return (indices, "'\(typed)' \(verb) a \(named) input, which audioprep does not read raw; let sox decode it: sox \(typed) \(input ?? "IN") -t wav - | audioprep - …", nil)
    }
    let rate = value("-r", indices), channels = value("-c", indices)
    let encoding =
      value("-f", indices).flatMap(EncodingName.canonical) ?? soxEncoding(value("-e", indices), bits: value("-b", indices)) ?? typedEncoding
    let line = "'\(typed)' \(verb) the input in \(arecord ? "arecord" : "sox"); audioprep's are --in-rate \(rate ?? "RATE") --in-channels \(channels ?? "N") --in-encoding \(encoding ?? "ENC")"
    guard let rate, let channels, let encoding else { return (indices, line, nil) }
    return (indices, line, ["--in-rate", rate, "--in-channels", channels, "--in-encoding", encoding])
  }

  /// ffmpeg's format options before `-i` (`-f s16le -ar 22050 -ac 1 -i sp.raw`), which describe
  /// a raw input (review32h W3: they were read as the output's): the words' indices, the one
  /// line (`--in-*`), and what audioprep reads instead (nil when a value is missing). nil unless
  /// `-f` names a raw sample format or the input's name is a raw one.
  static func ffmpegInputFormat(_ words: [String], options: CommandOptions) -> (indices: [Int], line: String, replacement: [String]?)? {
    guard options.takesValue["--in-rate"] != nil, let input = words.firstIndex(where: inputOptions.contains) else { return nil }
    let indices = (0..<input).filter { ["-f", "-ar", "-ac"].contains(words[$0]) && $0 + 1 < input }
    let value = { (name: String) in indices.last { words[$0] == name }.map { words[$0 + 1] } }
    let encoding = value("-f").flatMap(EncodingName.canonical).flatMap(RawEncoding.init(rawValue:))?.rawValue
    let rawName = input + 1 < words.count && RawInputOptions.rawExtensions.contains(PathName.fileExtension(words[input + 1]).lowercased())
    // `-f alsa -i hw:0`: a capture device; `-f mp3 -i x.mp3`: the input's demuxer forced, which
    // audioprep reads from the header (review33k W1, W2: both were the output's --format).
    if let format = value("-f")?.lowercased(), encoding == nil, !format.hasSuffix("be") {
      let at = indices.first { words[$0] == "-f" }!
      let device = input + 1 < words.count ? words[input + 1] : "DEVICE"
      // Raw samples in a form audioprep does not read (G.711's μ-law and A-law, 8-bit signed,
      // 64-bit float): decoded by ffmpeg first (review33q W2: "reads the format from its header").
      if ["mulaw", "alaw", "s8", "f64le", "u16le", "u24le", "u32le", "s24le", "sln"].contains(format) {
        let typed = indices.map { "\(words[$0]) \(words[$0 + 1])" }.joined(separator: " ")
        return (
          indices,
          "'\(typed)' before -i describe a headerless input audioprep does not read (\(format)); let ffmpeg decode it: ffmpeg \(typed) -i \(device) -f s16le - | audioprep - --in-rate \(value("-ar") ?? "RATE") --in-channels \(value("-ac") ?? "1") --in-encoding s16 …",
          nil)
      }
      if ["alsa", "pulse", "oss", "jack", "sndio", "avfoundation", "dshow", "openal", "lavfi", "v4l2"].contains(format) {
        return (
          [at],
          "'-f \(format)' before -i records from a device in ffmpeg; audioprep does not record: it reads what ffmpeg writes to standard output (ffmpeg -f \(format) -i \(device) -f s16le -ar 16000 -ac 1 - | audioprep - --in-rate 16000 --in-channels 1 --in-encoding s16 …)",
          nil)
      }
      return ([at], "'-f \(format)' before -i forces how ffmpeg reads the input; audioprep reads the input's format from its header: drop it", [])
    }
    guard !indices.isEmpty, encoding != nil || rawName else { return nil }
    let typed = indices.map { "\(words[$0]) \(words[$0 + 1])" }.joined(separator: " ")
    // A big-endian format (`s16be`): audioprep reads little-endian samples only (review32i H5).
    if let format = value("-f")?.lowercased(), format.hasSuffix("be"), let little = RawEncoding(rawValue: String(format.dropLast(2))) {
      let rate = value("-ar") ?? "RATE", channels = value("-ac") ?? "1", input = input + 1 < words.count ? words[input + 1] : "IN"
      return (
        indices,
        "'\(typed)' before -i describe a big-endian input; audioprep reads raw samples little-endian only: ffmpeg \(typed) -i \(input) -f \(little.rawValue)le - | audioprep - --in-rate \(rate) --in-channels \(channels) --in-encoding \(little.rawValue) …",
        nil
      )
    }
    let rate = value("-ar"), channels = value("-ac") ?? (encoding == nil ? nil : "1")
    let line = "'\(typed)' before -i \(indices.count == 1 ? "describes" : "describe") the input in ffmpeg; audioprep's are --in-rate \(rate ?? "RATE") --in-channels \(channels ?? "N") --in-encoding \(encoding ?? "ENC")"
    guard let rate, let channels, let encoding else { return (indices, line, nil) }
    return (indices, line, ["--in-rate", rate, "--in-channels", channels, "--in-encoding", encoding])
  }

  /// sox's `-e ENCODING` and `-b BITS` typed together for the output (not taken by
  /// `soxInputFormat`): one sample format, one line (review31h W5: `-e floating-point -b 32` was
  /// `--encoding f32` and `--encoding s32`). nil unless both are typed, once each.
  static func soxOutputSampleFormat(
    _ words: [String], from start: Int, excluding taken: [Int], options: CommandOptions
  ) -> (indices: [Int], line: String, replacement: [String]?)? {
    guard options.takesValue["--encoding"] != nil, words.count > start + 1 else { return nil }
    let named = { (name: String) in (start..<(words.count - 1)).filter { words[$0] == name && !taken.contains($0) } }
    let encodings = named("-e"), bits = named("-b")
    guard encodings.count == 1, bits.count == 1, let e = encodings.first, let b = bits.first else { return nil }
    let pair = [e, b].sorted()
    let typed = pair.map { "\(words[$0]) \(words[$0 + 1])" }.joined(separator: " ")
    guard let encoding = soxEncoding(words[e + 1], bits: words[b + 1]), ["s16", "s24", "s32", "f32"].contains(encoding) else {
      if soxEncoding(words[e + 1], bits: words[b + 1]) != nil {
        return (pair, "'\(typed)' is sox's sample format; audioprep writes s16, s24, s32 or f32 (--encoding), not this one", nil)
      }
      return (pair, "'\(typed)' is sox's sample format; audioprep's output sample format is --encoding (s16, s24, s32, f32)", nil)
    }
    return (pair, "'\(typed)' is sox's sample format; audioprep's is --encoding \(encoding)", ["--encoding", encoding])
  }

  /// sox's file types that are raw samples of one encoding (`-t s16`, its old name `sw`, a file
  /// `x.f32`), and that encoding.
  static let soxRawTypes: [String: String] = [
    "s16": "s16", "sw": "s16", "s24": "s24", "s32": "s32", "sl": "s32", "u8": "u8", "ub": "u8", "f32": "f32", "fl": "f32",
  ]

  /// audioprep's sample encoding for sox's `-e ENCODING` (any prefix: `signed`, `floating-point`)
  /// and `-b BITS`: `s16`, `s24`, `s32`, `u8`, `f32`; nil when they name none of them.
  static func soxEncoding(_ encoding: String?, bits: String?) -> String? {
    let name = encoding?.lowercased()
    let names = { (full: String) in name.map { !$0.isEmpty && full.hasPrefix($0) } == true }
    switch name {
    case nil: return bits.flatMap(EncodingName.canonical).flatMap { ["s16", "s24", "s32", "u8"].contains($0) ? $0 : nil }
    case _ where names("floating-point") || name == "float": return bits == nil || bits == "32" ? "f32" : nil
    case _ where names("signed-integer"): return bits.flatMap { ["16", "24", "32"].contains($0) ? "s\($0)" : nil }
    case _ where names("unsigned-integer"): return bits == "8" ? "u8" : nil
    default: return nil
    }
  }
}
