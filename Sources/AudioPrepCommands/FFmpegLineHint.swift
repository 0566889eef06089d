import DSP

/// ffmpeg's command lines read as audioprep's options: a filter chain (`-af`), the one range its
/// seeks and lengths around `-i` keep, its output as the line's last word, and its pipe names.
extension UsageHint {
  /// The one range of the input that ffmpeg's seeks and lengths around `-i` (at `input`) keep,
  /// in the input's seconds, and the index of the last of them (whose line gives it); nil unless
  /// there are two or more (one alone has its own line), each read as a duration. Before -i,
  /// `-ss` seeks the input and `-t`/`-to` end its reading; after it, the output's clock starts
  /// at the input seek: `-ss` skips more, `-t` is a length, `-to` an end on that clock (an `-to`
  /// beside a `-t` on its side is ignored, as ffmpeg ignores it).
  static func ffmpegRange(_ words: [String], input: Int) -> (start: Double, end: Double?, last: Int)? {
    var typedBefore: [String: (seconds: Double, at: Int)] = [:], typedAfter: [String: (seconds: Double, at: Int)] = [:]
    for at in words.indices where ["-ss", "-t", "-to"].contains(words[at]) && at + 1 < words.count {
      guard let seconds = DurationArgument.parse(PastedCharacters.asTyped(words[at + 1])) else { return nil }
      if at < input { typedBefore[words[at]] = (seconds, at) } else { typedAfter[words[at]] = (seconds, at) }
    }
    if typedBefore["-t"] != nil { typedBefore["-to"] = nil }
    if typedAfter["-t"] != nil { typedAfter["-to"] = nil }
    // On one side alone each option's own line is right (`-ss 1 -t 2`: --start 1 --duration 2).
    guard !typedBefore.isEmpty, !typedAfter.isEmpty else { return nil }
    let positions: [Int] = typedBefore.values.map { $0.at } + typedAfter.values.map { $0.at }
    guard let last = positions.max() else { return nil }
    let before: [String: Double] = typedBefore.mapValues { $0.seconds }, after: [String: Double] = typedAfter.mapValues { $0.seconds }
    let seek = before["-ss"] ?? 0
    let start = seek + (after["-ss"] ?? 0)
    var ends: [Double] = []
    if let length = before["-t"] { ends.append(seek + length) }
    if let end = before["-to"] { ends.append(end) }
    if let length = after["-t"] { ends.append(start + length) }
    if let end = after["-to"] { ends.append(seek + end) }
    return (start, ends.min().map { max(start, $0) }, last)
  }

  /// audioprep's options for an ffmpeg filter chain (`highpass=f=80,volume=-3dB`), each
  /// filter's one argument carried over; nil when a filter is not one audioprep's chain has, or
  /// when the translation would not do what ffmpeg does: a filter used twice (the options' last
  /// value wins, where ffmpeg applies both), a `;` (no chain of `-af`'s), an argument beside the
  /// one audioprep takes (review31h H4, H6, W9: `volume=0.5,volume=2` became `--gain 0.5 --gain
  /// 2`, ×2 where ffmpeg gives ×1; `volume=2;highpass=80` became `--gain 80`).
  static func filterEquivalent(_ chain: String) -> String? {
    guard !chain.contains(";") else { return nil }
    var options: [String] = []
    var used: Set<Substring> = []
    // A space after a comma, as pasted answers write chains (`highpass=f=80, volume=2`: review33q C2).
    let trimmed = { (part: Substring) -> Substring in
      var kept = part.drop { $0 == " " }
      while kept.last == " " { kept = kept.dropLast() }
      return kept
    }
    for filter in chain.split(separator: ",").map(trimmed) {
      let name = filter.prefix { $0 != "=" }
      guard used.insert(name).inserted else { return nil }
      let arguments = filter.dropFirst(name.count + 1).split(separator: ":")
      // Its named arguments (`f=80`), keys as typed and in lower case, and the others in order.
      let pairs = arguments.map { $0.split(separator: "=", maxSplits: 1).map(String.init) }.filter { $0.count == 2 }
      let typedNames = Dictionary(pairs.map { ($0[0], $0[1]) }) { $1 }, named = Dictionary(pairs.map { ($0[0].lowercased(), $0[1]) }) { $1 }
      let positional = arguments.filter { !$0.contains("=") }.map(String.init)
      // Its one argument: `80`, or named by the key audioprep's option takes (`f=80`,
      // loudnorm's `I=-16`, aresample's `osr=16000`).
      let value = { (keys: [String]) -> String? in
        guard arguments.count <= 1, let argument = arguments.first else { return nil }
        let parts = argument.split(separator: "=", maxSplits: 1)
        if parts.count == 1 { return String(argument) }
        return keys.contains(parts[0].lowercased()) ? String(parts[1]) : nil
      }
      switch name {
      // ffmpeg's highpass is a Butterworth section (Q 0.707) by default, audioprep's a Web Audio Q of 1 dB.
      // A width it names (`width_type=q:width=0.5`, `t=h:w=40`) is the Q's (review32i W6).
      case "highpass":
        // `p=2` (poles) is ffmpeg's default, the two-pole section audioprep has (review33h W6);
        // a one-pole filter (`p=1`) audioprep has not.
        if let poles = named["p"] ?? named["poles"] {
          guard poles == "2", let hertz = named["f"] ?? named["frequency"], named.count == 2, arguments.count == 2 else { return nil }
          options.append("--highpass \(hertz) --q-linear 0.707")
        } else if arguments.count > 1 || named["width"] != nil || named["w"] != nil {
          guard let hertz = named["f"] ?? named["frequency"], Set(named.keys).isSubset(of: ["f", "frequency", "width_type", "t", "width", "w"]),
            arguments.count == named.count, let width = named["width"] ?? named["w"],
            let q = linearQ(width: width, unit: String((named["width_type"] ?? named["t"] ?? "q").prefix(1)), at: hertz)
          else { return nil }
          options.append("--highpass \(hertz) --q-linear \(q)")
        } else {
          guard let hertz = value(["f", "frequency"]) else { return nil }
          options.append("--highpass \(hertz) --q-linear 0.707")
        }
      // A bare 0 is a factor (`0x`: audioprep asks which); a bare negative factor inverts, which audioprep does not.
      case "volume":
        guard var gain = value(["volume"]), !(Double(gain).map { $0 < 0 } ?? false) else { return nil }
        // ffmpeg's volume is an expression: a fraction (`3/2`) is its value (review32i W10).
        let fraction = gain.split(separator: "/").compactMap { Double($0) }
        if fraction.count == 2, gain.split(separator: "/").count == 2 {
          guard fraction[1] > 0, fraction[0] >= 0 else { return nil }
          gain = Text.format("%.6g", fraction[0] / fraction[1])
        }
        // A bare number is a factor for ffmpeg and audioprep alike: written `6x`, so that audioprep's
        // warning for a bare factor above 4 (sox's gains are dB) does not follow (review33h C2).
        let factor = Double(gain)
        options.append("--gain \(factor == 0 ? "0x" : factor.map { $0 > GainArgument.largestUnwarnedFactor ? Text.decimal($0) + "x" : gain } ?? gain)")
      case "aresample": guard let rate = value(["osr", "out_sample_rate"]) else { return nil }; options.append("--rate \(rate)")
      // review33h W6: the filters whose work audioprep's options do.
      case "aformat":
        guard arguments.count == 1, let rates = typedNames["sample_rates"] ?? typedNames["r"], !rates.contains("|") else { return nil }
        options.append("--rate \(rates)")
      case "atrim":
        // `atrim=0.5:1.5` (start, end), or named: start, end, duration (seconds).
        guard typedNames.keys.allSatisfy(["start", "end", "duration"].contains), positional.count <= 2, typedNames.count + positional.count == arguments.count,
          !arguments.isEmpty
        else { return nil }
        let start = typedNames["start"] ?? positional.first, end = typedNames["end"] ?? (positional.count == 2 ? positional[1] : nil)
        options.append(([start.map { "--start \($0)" }, end.map { "--end \($0)" }, typedNames["duration"].map { "--duration \($0)" }].compactMap { $0 }).joined(separator: " "))
      case "pan":
        // `pan=mono|c0=FL`: one input channel alone; `c0=0.5*FL+0.5*FR`: the average, audioprep's default.
        let layout = filter.dropFirst(name.count + 1).split(separator: "|")
        guard layout.count == 2, layout[0] == "mono" || layout[0] == "1c", layout[1].hasPrefix("c0=") else { return nil }
        let source = layout[1].dropFirst(3).filter { $0 != " " }
        // ffmpeg's layout names in 5.1 order, and channel numbers (`c2`, the centre: review33q W4).
        let channels = ["FL": 0, "FR": 1, "FC": 2, "LFE": 3, "BL": 4, "BR": 5, "SL": 4, "SR": 5, "c0": 0, "c1": 1, "c2": 2, "c3": 3, "c4": 4, "c5": 5, "c6": 6, "c7": 7]
        if let channel = channels[String(source)] {
          options.append("--channel \(channel)")
        } else if ["0.5*FL+0.5*FR", "0.5*c0+0.5*c1", "FL+FR", "c0+c1"].contains(source) {
          continue  // the default mix (FL+FR, sums that pan scales down when over 1)
        } else {
          return nil
        }
      case "afftdn", "anlmdn", "arnndn": options.append("--denoise moderate")
      // Both ends only when it trims the end too (stop_periods > 0, its 6th argument); the start
      // alone (no stop_periods) or every pause (negative) is not --trim-silence (review33k H1).
      case "silenceremove":
        guard let stop = typedNames["stop_periods"] ?? (positional.count > 5 ? positional[5] : nil), let periods = Int(stop), periods > 0 else { return nil }
        options.append("--trim-silence")
      case "loudnorm":
        // loudnorm's defaults: I=-24, TP=-2 (a true-peak ceiling audioprep keeps too); I and TP
        // named together are read too (review33j W8).
        guard arguments.isEmpty || value(["i", "integrated"]) != nil || (named.count == arguments.count && Set(named.keys).isSubset(of: ["i", "integrated", "tp", "true_peak"])) else { return nil }
        options.append("--loudness \(named["i"] ?? named["integrated"] ?? value(["i", "integrated"]) ?? "-24") --true-peak \(named["tp"] ?? named["true_peak"] ?? "-2")")
      default: return nil
      }
    }
    return options.isEmpty ? nil : options.joined(separator: " ")
  }

  /// The index of ffmpeg's output on a line with -i: its last word, when that is no option nor
  /// an option's value (`-i in.wav -ar 16k out.wav`), and no -o is typed; nil otherwise. It is
  /// audioprep's -o, not a second input (review32i W10).
  static func ffmpegOutputIndex(_ words: [String], options: CommandOptions) -> Int? {
    guard let input = words.firstIndex(where: inputOptions.contains), let last = words.indices.last, last > input + 1,
      !words.contains(where: { $0 == "-o" || $0 == "--output" || $0.hasPrefix("--output=") })
    else { return nil }
    let word = words[last], before = words[last - 1]
    guard word == "-" || !word.hasPrefix("-"), options.takesValue[before] != true else { return nil }
    if let entry = foreignOption(before), entry.takesValue, !foreignFlags.contains(before) { return nil }
    return last
  }

  /// ffmpeg's pipe protocol names for standard input or output (`pipe:`, `pipe:0`, `pipe:1`): the
  /// descriptor, or nil for any other word (`pipe:3` too, which audioprep cannot take).
  static func ffmpegPipe(_ word: String) -> Int? {
    guard word.hasPrefix("pipe:") else { return nil }
    let number = word.dropFirst(5)
    if number.isEmpty { return 0 }
    return ["0", "1"].contains(number) ? Int(number) : nil
  }
}
