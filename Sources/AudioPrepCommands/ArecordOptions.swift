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
      result.append(["-ar": "-r", "-ac": "-c"][word] ?? word)
      index += 1
    }
    return result + arguments[end...]
  }
}
