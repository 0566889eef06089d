import DSP
import Glibc

/// sox's effects typed after the input (`in.wav out.wav rate 16k trim 0 8000s`), as
/// audioprep's options: each effect's translation, carrying the user's values over at the rate
/// and in the units sox meant them, or what audioprep has not.
extension UsageHint {
  /// What does the work of sox's effect `name`, typed after the input as sox takes them (`sox
  /// in.wav out.wav rate 16k`), given the words after it; nil when `name` is none of them.
  /// `rate`: the sample rate where the effect stands and what set it ("the input's rate"), asked
  /// for only by an effect that counts samples; nil when it cannot be read.
  /// `earlier`, `later`: the words before the effect and after its values (a second trim cuts
  /// the first's output).
  static func soxEffect(
    _ name: String, values: [String], rate: (_ before: Int?) -> (hertz: Int, source: String)? = { _ in nil }, earlier: ArraySlice<String> = [],
    later: ArraySlice<String> = []
  ) -> String? {
    let number = values.first { Double($0) != nil }
    let mono = "audioprep writes mono by default, all channels averaged (--channel N takes channel N alone, 0-based; --keep-channels keeps all)"
    // sox runs every effect typed; audioprep has one of each: a second gain multiplies, a
    // second high-pass filters again, a second rate band-limits (review32i H3).
    let effectsBefore = soxEffects(in: earlier), effectsAfter = soxEffects(in: later)
    let gains: Set<String> = ["vol", "gain", "norm"]
    if gains.contains(name) {
      // sox's global `-v 0.5` before the input multiplies too.
      let global = earlier.indices.first { earlier[$0] == "-v" && $0 + 1 < earlier.endIndex }.map { ("-v", ["\(earlier[$0 + 1])"]) }
      let before = (global.map { [(name: "vol", values: $0.1)] } ?? []) + effectsBefore.filter { gains.contains($0.name) }
      // A normalisation (norm, gain -n) sets the peak whatever came before it, and the gains
      // after it move that peak: one --peak (`gain -n -3 gain 2` is a peak of -1 dBFS; it was
      // --gain 0.891251x, a fixed cut: review33h H3).
      let all = before + [(name, values)]
      if before.contains(where: { isNormalisation($0.name, $0.values) }) || isNormalisation(name, values) && !before.isEmpty,
        let last = all.lastIndex(where: { isNormalisation($0.name, $0.values) })
      {
        let factors = all[(last + 1)...].map { soxGainFactor($0.name, values: $0.values) }
        guard factors.allSatisfy({ $0 != nil }), let level = Double(all[last].values.first { Double($0) != nil } ?? "0") else {
          return "audioprep takes one gain, where sox's gains multiply: give one --peak (or --gain) for the \(before.map(\.name).joined(separator: ", ")) before it and this one together"
        }
        let peak = level + 20 * log10(factors.reduce(1.0) { $0 * $1! })
        let note = last == all.count - 1 ? "sox's normalisation sets the peak whatever gain came before it" : "sox's \(all[last].name) sets the peak, and the gains after it move it"
        return peakOptions(Text.format("%.6g", peak), notes: [note])
      }
      if !before.isEmpty, !isNormalisation(name, values) {
        let factors = (before + [(name, values)]).map { soxGainFactor($0.name, values: $0.values) }
        guard factors.allSatisfy({ $0 != nil }) else {
          return "audioprep takes one gain, where sox's gains multiply: give one --gain (or --peak) for the \(before.map(\.name).joined(separator: ", ")) before it and this one together"
        }
        let product = factors.reduce(1.0) { $0 * $1! }
        return "is the option --gain \(Text.format("%.6g", product))x (sox's gains multiply: the \(before.map(\.name).joined(separator: ", ")) before it and this one; audioprep takes one --gain)"
      }
      if effectsAfter.contains(where: { gains.contains($0.name) }) {
        return "audioprep takes one gain, where sox's gains multiply: the line of the last gain effect gives them together"
      }
    }
    if name == "highpass", effectsBefore.contains(where: { $0.name == "highpass" }) {
      return "audioprep has one high-pass (--highpass), where sox's second highpass filters again: give the one you need"
    }
    if name == "rate", effectsBefore.contains(where: { $0.name == "rate" }) {
      return "audioprep resamples once, to --rate (sox's first rate band-limits to half of it, which a second does not restore): give the last rate, or run twice"
    }
    // `trim 0 1 : newfile : restart`: sox writes a file for each pass of the effects before
    // `newfile`, one after another (review33j H1: it was one --duration, one file).
    if let colon = values.firstIndex(of: ":"), values[colon...].contains("newfile") {
      let output = earlier.last.flatMap { PathName.fileExtension($0).isEmpty ? nil : $0 }
      let pattern = output.map { PathName.stem($0) + "%03d." + PathName.fileExtension($0) } ?? "out%03d.wav"
      let own = Array(values[..<colon])
      if name == "trim", own.count == 2, Double(own[0]) == 0, let length = DurationArgument.parse(own[1]) {
        return "audioprep's are the options --segment \(Text.decimal(length))s -o '\(pattern)' (with ': newfile : restart' sox writes the input in files of \(own[1]) s each)"
      }
      if name == "silence" {
        return "audioprep's are the options --utterances -o '\(pattern)' (with ': newfile : restart' sox writes each stretch between silences to a file of its own; audioprep finds them by voice activity)"
      }
      return "audioprep writes several files with --segment LENGTH or --utterances, and -o '\(pattern)' (sox's ': newfile' writes a file for each pass of the effects)"
    }
    switch name {
    case "rate":
      if let hertz = values.first(where: { $0.first?.isNumber == true }) {
        // A fraction of a hertz (`8000.5`), which sox takes: audioprep's rates are whole (review33h W12).
        if SampleRateArgument.parse(hertz) == nil, let exact = FrequencyArgument.parse(hertz), exact >= 1 {
          return "is the option --rate \(Int(exact.rounded())) (audioprep's rates are whole hertz: sox's \(hertz) rounded)"
        }
        return "is the option --rate \(hertz)"
      }
      // Without a rate sox's rate converts to the output's -r (review33h H2); without -r it keeps the input's.
      if let at = earlier.indices.last(where: { earlier[$0] == "-r" && $0 + 1 < earlier.endIndex }), SampleRateArgument.parse(earlier[at + 1]) != nil {
        return "is the option --rate \(earlier[at + 1]) (sox's rate with no rate converts to -r's)"
      }
      return "audioprep resamples to --rate (16 kHz unless given); sox's rate with no rate converts to the output's -r, and without one keeps the input's rate"
    case "highpass":
      // `highpass [-1|-2] FREQ [WIDTH[q|o|h|k]]`: a width in q (or a bare number) is the Q.
      let numbers = values.filter { $0.first?.isNumber == true }
      var option = "is the option --highpass \(numbers.first ?? "80")"
      // sox's default width is 0.707q (Butterworth); audioprep's default Q is Web Audio's 1 dB.
      if numbers.count < 2 { option += " --q-linear 0.707" }
      if numbers.count > 1 {
        let width = numbers[1]
        let unit = width.last.map { $0.isLetter ? String($0).lowercased() : "q" } ?? "q"
        let amount = width.last?.isLetter == true ? String(width.dropLast()) : width
        if let q = linearQ(width: amount, unit: unit, at: numbers[0]) {
          option += " --q-linear \(q)"
        } else {
          option += " (sox's width \(width) is none audioprep can take: its Q is --q-linear, e.g. 0.707)"
        }
      }
      return option + (values.contains("-1") ? " (sox's -1 is a one-pole filter; audioprep's is two-pole, as sox's -2)" : "")
    // sox's gain is in decibels: a bare number gets the unit.
    // `gain -n [X]` normalises the peak to X dBFS (0 by default), as `norm X` does.
    case "gain" where values.contains("-n"): return peakOptions(number ?? "0", notes: [])
    case "gain":
      // sox's gain flags (-h headroom, -r reclaim, -l limiter, -e/-B/-b balance) are no value.
      // Each flag's own reason (review33h W14: every one got the headroom reason of -h and -r).
      let reasons: [(flags: Set<String>, reason: String)] = [
        (["-h", "-r"], "audioprep's chain has no later effect to keep headroom for"),
        (["-e", "-B", "-b"], "audioprep does not equalise or balance channels (it averages them to mono by default)"),
        (["-l"], "audioprep has no limiter; it counts clipped samples, and --peak -1 sets a gain that does not clip"),
      ]
      let typedFlags = values.filter { ["-h", "-r", "-l", "-e", "-B", "-b"].contains($0) }
      let said = reasons.filter { !$0.flags.isDisjoint(with: typedFlags) }.map { group in
        "sox's \(typedFlags.filter(group.flags.contains).joined(separator: " ")) has no audioprep equivalent: \(group.reason)"
      }
      let ignored = said.joined(separator: "; ")
      // Without a level sox's gain is 0 dB (`gain -h`: review32i W5).
      guard let number else { return "is the option --gain 0dB (sox's gain without a level leaves it\(ignored.isEmpty ? "" : "; " + ignored))" }
      return "is the option --gain \(number)dB\(ignored.isEmpty ? "" : " (\(ignored))")"
    case "vol":
      // A negative amplitude inverts the polarity, which audioprep's gain does not.
      if let volume = soxVolume(values), volume.hasPrefix("-"), !volume.hasSuffix("dB") {
        return "is the option --gain \(volume.dropFirst()) (sox's '\(volume)' is an amplitude that also inverts the polarity, which audioprep does not; for a cut in decibels: --gain \(volume)dB)"
      }
      // A value neither reads is no number to carry over (it was 0.5 whatever was typed).
      guard let volume = soxVolume(values) ?? values.first(where: { GainArgument.parse($0) != nil }) else {
        return "is the option --gain, a factor (0.5, 0.5x) or decibels (-6dB)"
      }
      // `vol 2 0.05`: a limiter above 1 (review33h W12), which audioprep has not.
      let limiter = values.dropFirst().first { Double($0) != nil }
      let note = limiter.map { " (sox's limiter gain \($0) has no equivalent: audioprep counts clipped samples, and --peak -1 sets a gain that does not clip)" } ?? ""
      return "is the option --gain \(volume)\(note)"
    case "norm": return peakOptions(number ?? "0", notes: ["or --loudness -23 for a loudness"])
    case "remix":
      // sox's output channels, one word each: `2` is input channel 2 alone (`2v0.5` at half
      // volume), `1 2` two channels, `1,2` (or `-`) one channel mixed, as audioprep's default.
      let specs = values.prefix { $0.first?.isNumber == true || $0 == "-" }
      let singles = specs.map(remixChannel)
      let none = "audioprep cannot reorder, repeat or silence channels, nor give them volumes of their own: --keep-channels keeps them in order, --channel N takes one (0-based), the default averages them"
      // One channel mixed from several (`1,2`, a range `1-2`, `-`): the average, unless weighted (`1v0.3,2v0.7`: review32i H4).
      if specs.count == 1, singles[0] == nil, specs[0] == "-" || specs[0].contains(",") || specs[0].dropFirst().contains("-") {
        return specs[0].contains(where: { $0 == "v" || $0 == "p" }) ? none : mono
      }
      guard !singles.isEmpty, singles.allSatisfy({ $0 != nil }) else { return none }
      let channels = singles.map { $0!.channel }, volumes = Set(singles.map { $0!.volume })
      guard volumes.count == 1, let volume = volumes.first, channels.allSatisfy({ $0 >= 1 }) else { return none }
      let gain = volume == "1" ? "" : " --gain \(volume)"
      if channels.count == 1 { return "is the option --channel \(channels[0] - 1)\(gain)" }
      return channels == Array(1...channels.count) ? "is the option --keep-channels\(gain)" : none
    case "channels":
      guard let wanted = values.first.flatMap({ Int($0) }), wanted > 1 else { return mono }
      return channelCountLine(wanted: wanted, have: inputChannels(earlier)) ?? "is the option --keep-channels"
    case "lowpass": return "audioprep has no low-pass of its own: the resampler's filter removes what lies above half of --rate"
    // The middle of sox's idiom for trimming both ends (`silence 1 … reverse silence 1 … reverse`).
    case "reverse" where effectsBefore.contains(where: { $0.name == "silence" }) || effectsAfter.contains(where: { $0.name == "silence" }):
      return "is part of sox's idiom for trimming both ends with silence, which is the option --trim-silence (on the second silence's line)"
    // review33k W5: more of sox's effects audioprep has nothing like.
    case "dcshift", "stretch", "splice", "deemph", "biquad", "noiseprof", "band", "hilbert", "fir", "firfit", "ladspa", "oops", "synth",
      "spectrogram", "mixer", "vol_ramp":
      return "audioprep has none like it (its chain: --rate, --highpass, --q, --gain or --loudness/--peak, --trim-silence)"
    case "reverse", "pad", "fade", "compand", "mcompand", "bass", "treble", "reverb", "echo", "echos", "chorus", "flanger", "phaser",
      "tremolo", "equalizer", "bandpass", "bandreject", "allpass", "contrast", "overdrive", "swap", "delay", "repeat", "riaa", "earwax":
      return "audioprep has none like it (its chain: --rate, --highpass, --q, --gain or --loudness/--peak, --trim-silence)"
    case "trim":
      guard values.first != nil else { return "are the options --start and --duration (or --end)" }
      // sox's negative position ("-2") counts back from the end; audioprep's count from the start.
      if let back = values.prefix(2).first(where: { $0.hasPrefix("-") || $0.hasPrefix("=-") }) {
        return "are the options --start and --duration or --end, which count from the start (sox's '\(back)' counts back from the end, which audioprep does not: give --end as a time from the start)"
      }
      // sox's positions after the second keep and skip in turn: more than one range.
      if values.count > 2, values[2].first.map({ $0.isNumber || $0 == "=" || $0 == "-" }) == true {
        return "audioprep keeps one range (--start with --duration or --end); sox's trim with more than two positions keeps and skips in turn, which it does not: give the one range, or run audioprep once for each"
      }
      // Two trims: the second cuts what the first kept; one range gives both.
      if later.contains("trim") {
        return "are the options --start and --duration of one range; the trim after it cuts what this one keeps, and its line gives the range of both"
      }
      if let first = earlier.lastIndex(of: "trim") {
        let before = earlier[(first + 1)...].prefix { soxEffect($0, values: []) == nil && !$0.hasPrefix("--") }
        // Sample counts in seconds first, at the rate where the trims stand (review32i W1).
        // Each trim's samples at the rate where it stands: a `rate` between them changes it (review33h H1).
        let inSeconds = { (positions: [String], hertz: @autoclosure () -> Int?) -> [String] in
          guard positions.contains(where: isSampleCount), let hertz = hertz() else { return positions }
          return positions.map { isSampleCount($0) ? seconds(ofSamples: $0, at: hertz) : $0 }
        }
        let range = combinedTrims(inSeconds(Array(before.prefix(2)), rate(first)?.hertz), inSeconds(Array(values.prefix(2)), rate(nil)?.hertz))
        return "are the options \(range.map { "--start \($0.start)" + ($0.duration.map { " --duration \($0)" } ?? "") } ?? "--start and --duration") (this trim cuts what the trim before it kept: one range for both\(range == nil ? ", added up" : ""))"
      }
      // sox's `8000s` is samples at the rate where the effect stands, which audioprep's times
      // are not (8000s would be seconds): converted at that rate, or the division said.
      var positions = Array(values.prefix(2))
      var note = ""
      let samples = positions.filter(isSampleCount)
      if let first = samples.first {
        guard let rate = rate(nil) else {
          let count = first.trimmingPrefix("=").dropLast()
          return "are the options --start and --duration (or --end), which take times, not samples (sox's '\(first)' is \(count) samples at the input's rate, which could not be read here: their seconds are \(count) divided by it)"
        }
        positions = positions.map { isSampleCount($0) ? ($0.hasPrefix("=") ? "=" : "") + seconds(ofSamples: $0, at: rate.hertz) : $0 }
        var said: [String] = []
        for sample in samples {
          let count = sample.trimmingPrefix("=").dropLast()
          let text = "'\(sample)' is \(count) \(count == "1" ? "sample" : "samples") at \(rate.hertz) Hz"
          if !said.contains(text) { said.append(text) }
        }
        note = " (sox's \(said.joined(separator: ", ")), \(rate.source))"
      }
      // sox's `=` on the start is a position from the start, as audioprep's --start is.
      positions[0] = String(positions[0].trimmingPrefix("="))
      guard positions.count >= 2 else { return "is the option --start \(positions[0])\(note)" }
      let length = positions[1]
      return (length.hasPrefix("=") ? "are the options --start \(positions[0]) --end \(length.dropFirst())" : "are the options --start \(positions[0]) --duration \(length)") + note
    case "silence":
      // `silence 1 0.1 1%` (one part) trims the start only; `… -1 …` or a second part, the end too.
      let numbers = Array(values.prefix { $0.first.map { $0.isNumber || $0 == "-" || $0 == "." } == true })
      // sox's idiom for both ends: `silence 1 … reverse silence 1 … reverse`.
      if numbers.count < 4, effectsBefore.contains(where: { $0.name == "reverse" }), effectsBefore.contains(where: { $0.name == "silence" }) {
        return "is the option --trim-silence (with the silence, reverse, silence, reverse before and around it, sox trims both ends: audioprep's --trim-silence drops the non-speech before the first and after the last speech region)"
      }
      if numbers.count < 4, effectsAfter.first?.name == "reverse", effectsAfter.dropFirst().first?.name == "silence" {
        return "trims both ends with the reverse and silence after it, which is the option --trim-silence (on that silence's line)"
      }
      guard numbers.count >= 4 else {
        return "audioprep trims at both ends only: --trim-silence drops the non-speech before the first and after the last speech region (sox's silence with one part trims the start alone)"
      }
      // A second part stops at the first pause (positive) or cuts every pause (negative): neither
      // is --trim-silence (review33k H1: both were said to be).
      if numbers[3].hasPrefix("-") {
        return "audioprep has no option that cuts the pauses inside a recording (sox's silence with -\(numbers[3].dropFirst()) removes every pause longer than \(numbers[4...].first ?? "its duration")); --trim-silence drops the non-speech at both ends, --utterances writes each stretch of speech to a file"
      }
      return "audioprep has no option that stops at the first pause (sox's silence with a second part keeps only the speech before the first pause); --trim-silence drops the non-speech at both ends, --utterances writes each stretch of speech to a file"
    // review33h W6: sox's voice activity and noise reduction.
    case "vad":
      return "is the option --trim-silence (sox's vad trims the start only; audioprep drops the non-speech at both ends, by WebRTC's voice activity)"
    case "noisered":
      return "is the option --denoise moderate (WebRTC's noise suppression, which needs no noise profile; --denoise low, high or very-high for another level)"
    case "dither":
      return "is the option --dither tpdf" + (values.contains("-s") ? " (audioprep has no noise shaping: sox's -s has no equivalent)" : "")
    case "sinc":
      // `sinc 80` is a high-pass from 80 Hz; `sinc -4k` a low-pass, which the resampler's filter is.
      guard let cutoff = values.first(where: { $0.first?.isNumber == true }) else {
        return "audioprep has no low-pass of its own: the resampler's filter removes what lies above half of --rate"
      }
      // `sinc 80-7000` is a band-pass: its low-pass part is the resampler's.
      let band = cutoff.split(separator: "-", maxSplits: 1)
      // `sinc 4k-100` (the first above the second) rejects the band between (review33j W2).
      if band.count == 2, let low = FrequencyArgument.parse(String(band[1])), let high = FrequencyArgument.parse(String(band[0])), high > low {
        return "audioprep has no band-reject filter (sox's sinc \(cutoff) cuts between \(band[1]) and \(band[0]) Hz and keeps both sides)"
      }
      let lowPass = band.count == 2 ? " (its \(band[1]) Hz low-pass audioprep has not: the resampler's filter removes what lies above half of --rate)" : ""
      return "is a steep FIR high-pass; audioprep's is a 12 dB/octave biquad, the nearest the option --highpass \(band[0]) --q-linear 0.707\(lowPass)"
    // review33j W6.
    case "downsample", "upsample":
      return "is the option --rate RATE, the output's rate (sox's \(name) changes the rate by a whole factor without a filter; audioprep's --rate band-limits)"
    case "speed", "tempo", "pitch":
      return "audioprep keeps the input's speed and pitch (it has no \(name)); --rate sets the output's sample rate only"
    case "loudness":
      return "audioprep has no equal-loudness filter (sox's loudness); to set the output's loudness: --loudness -23"
    // `sox in.wav -n stats`: a report on the file, written nowhere (review32i W7).
    case "stats", "stat":
      return "audioprep measures a file without writing one: audioprep info --levels FILE (peak, RMS, loudness, true peak)"
    default: return nil
    }
  }

  /// sox's position in samples (`8000s`, `=8000s` for an end).
  static func isSampleCount(_ position: String) -> Bool {
    let number = position.trimmingPrefix("=")
    return number.count > 1 && number.hasSuffix("s") && number.dropLast().allSatisfy(\.isNumber)
  }

  /// The seconds of sox's sample position at `hertz`, to the microsecond (`22050s` at 44100 Hz: 0.5).
  static func seconds(ofSamples position: String, at hertz: Int) -> String {
    let count = Double(String(position.trimmingPrefix("=").dropLast())) ?? 0
    // Fixed decimals: audioprep's durations take no exponent (2.3e-05).
    var text = Text.fixed(count / Double(hertz), 6)
    while text.contains("."), text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
  }

  /// The sample rate where a sox effect at `index` stands: an earlier `rate` effect's, else the
  /// input's (the first file typed that is no option's value), read from its header; nil when
  /// neither is known.
  static func soxRate(_ words: [String], before index: Int, options: () -> CommandOptions) -> (hertz: Int, source: String)? {
    for at in stride(from: index - 1, to: 0, by: -1) where words[at] == "rate" && !(options().takesValue[words[at - 1]] ?? false) {
      if let hertz = words[(at + 1)..<index].lazy.compactMap(SampleRateArgument.parse).first, (1...1_000_000_000).contains(hertz) {
        return (hertz, "the rate sox's 'rate' effect before it sets")
      }
    }
    // A raw input's rate, given as audioprep's option or sox's before the input (review32h W2).
    for at in 0..<index {
      let word = words[at]
      let value = word.hasPrefix("--in-rate=") ? String(word.dropFirst("--in-rate=".count)) : ["--in-rate", "-r"].contains(word) && at + 1 < index ? words[at + 1] : nil
      if word == "-r", words[..<at].contains(where: { Descriptor.status($0)?.isRegular == true }) { break }  // after the input: the output's
      if let value, let hertz = SampleRateArgument.parse(value), (1...1_000_000_000).contains(hertz) { return (hertz, "the input's rate as given") }
    }
    for (at, word) in words[..<index].enumerated() where Descriptor.status(word)?.isRegular == true {
      if at > 0, words[at - 1] != "-i", options().takesValue[words[at - 1]] == true { continue }
      guard let format = headerFormat(word), format.sampleRate > 0 else { return nil }
      return (format.sampleRate, "the input's rate")
    }
    return nil
  }

  /// The channel count of the input among `words` (the first regular file, as `soxRate` reads
  /// its rate from the header), or nil when none can be read.
  static func inputChannels(_ words: some Collection<String>) -> Int? {
    for word in words where Descriptor.status(word)?.isRegular == true {
      guard let format = headerFormat(word) else { return nil }
      return format.channels > 0 ? format.channels : nil
    }
    return nil
  }

  /// The format `path`'s header gives (rate, channels), read as `info DIR` reads it; nil when it
  /// cannot be read. The one way a hint looks into the input a command line names.
  static func headerFormat(_ path: String) -> StreamFormat? {
    (try? openAudioSource(path: path, raw: nil, decoder: .auto, audioStream: nil, reach: .structure))?.format
  }

  /// The line for asking `wanted` channels of an input of `have`: audioprep keeps them all or
  /// mixes them to one, and makes no more (review33j H4: `channels 2` on mono was
  /// --keep-channels, one channel where sox writes two); nil when --keep-channels does it.
  static func channelCountLine(wanted: Int, have: Int?) -> String? {
    guard let have, wanted > 1, wanted != have else { return nil }
    if have == 1 { return "audioprep writes a mono input's one channel: it cannot make \(wanted)" }
    return "audioprep writes the input's \(have) channel\(have == 1 ? "" : "s") (--keep-channels) or one, their average (the default): it cannot make \(wanted)"
  }

  /// The one range of two sox trims, the second cutting the first's output (`trim 1 2 trim 0.5 1`:
  /// from 1.5 s for 1 s), when every position is plain seconds; nil otherwise.
  static func combinedTrims(_ first: [String], _ second: [String]) -> (start: String, duration: String?)? {
    let numbers = (first + second).map(Double.init)
    guard !first.isEmpty, !second.isEmpty, numbers.allSatisfy({ $0 != nil && $0! >= 0 }) else { return nil }
    let start = numbers[0]! + numbers[first.count]!
    let lengths = [first.count == 2 ? numbers[1]! - numbers[first.count]! : nil, second.count == 2 ? numbers[first.count + 1]! : nil].compactMap { $0 }
    return (Text.computedSeconds(start), lengths.min().map { Text.computedSeconds(max(0, $0)) })
  }

  /// The sox effects among `words` (each with its arguments): what a line's effects before or
  /// after one are.
  static func soxEffects(in words: ArraySlice<String>) -> [(name: String, values: [String])] {
    var effects: [(name: String, values: [String])] = []
    var index = words.startIndex
    while index < words.endIndex {
      let word = words[index]
      guard soxEffect(word, values: []) != nil, index == words.startIndex || !words[index - 1].hasPrefix("-") || effects.last != nil else {
        index += 1
        continue
      }
      let values = words[(index + 1)...].prefix { soxEffect($0, values: []) == nil && !$0.hasPrefix("--") }.map(PastedCharacters.asTyped)
      effects.append((word, values))
      index += 1 + values.count
    }
    return effects
  }

  /// Whether sox's gain effect `name` sets the peak (norm, gain -n) rather than a factor.
  static func isNormalisation(_ name: String, _ values: [String]) -> Bool { name == "norm" || name == "gain" && values.contains("-n") }

  /// The linear factor of sox's gain effect `name` (vol, gain in dB), or nil (norm, gain -n: a level, not a factor).
  static func soxGainFactor(_ name: String, values: [String]) -> Double? {
    guard !isNormalisation(name, values) else { return nil }
    switch name {
    case "vol": return soxVolume(values).flatMap { GainArgument.parse($0 == "0x" ? "0x" : $0) }
    case "gain":
      guard let decibels = values.first(where: { Double($0) != nil }).flatMap(Double.init) else { return values.isEmpty ? 1 : nil }
      return pow(10, decibels / 20)
    default: return nil
    }
  }

  /// One of sox's remix output channels that is one input channel (`2`, `2v0.5`): its number
  /// (1-based; 0 is silence) and volume; nil for a mix (`1,2`, `1-2`) or another form.
  static func remixChannel(_ spec: String) -> (channel: Int, volume: String)? {
    // `1p-6`: a volume in dB.
    let power = spec.split(separator: "p", maxSplits: 1, omittingEmptySubsequences: false)
    if power.count == 2 {
      guard let channel = Int(power[0]), let decibels = Double(power[1]) else { return nil }
      return (channel, Text.decimal(decibels) + "dB")
    }
    let parts = spec.split(separator: "v", maxSplits: 1, omittingEmptySubsequences: false)
    guard let channel = Int(parts[0]) else { return nil }
    guard parts.count == 2 else { return (channel, "1") }
    guard let volume = Double(parts[1]), volume > 0 else { return nil }
    return (channel, volume == 1 ? "1" : Text.decimal(volume))
  }

  /// sox's `norm LEVEL` (`gain -n LEVEL`) as audioprep's options: the true-peak ceiling at
  /// 0 dBTP, the highest audioprep takes (its default, -1, held `--peak -1` 0.13 dB short). Within
  /// 1 dB of 0 dBFS, the inter-sample peaks may still hold the peak a little under the level.
  static func peakOptions(_ level: String, notes: [String]) -> String {
    // audioprep's peak is at most 0 dBFS: sox's `norm 3` clips.
    if let value = Double(level), value > 0 {
      return "are the options --peak 0 --true-peak 0 (audioprep's peak is at most 0 dBFS; sox's \(level) dBFS would clip\(notes.isEmpty ? "" : "; " + notes.joined(separator: "; ")))"
    }
    let close = (Double(level) ?? 0) > -1 ? ["the true peak stays at or under 0 dBTP, which may hold the peak a little under \(level) dBFS"] : []
    let all = close + notes
    return "are the options --peak \(level) --true-peak 0" + (all.isEmpty ? "" : " (\(all.joined(separator: "; ")))")
  }

  /// sox's `vol GAIN [TYPE]` as audioprep's gain (`6dB`, `0.5`), or nil when GAIN is no number
  /// or TYPE none of sox's. TYPE, glued to GAIN or the next word, is amplitude (the default),
  /// power or dB, any prefix of them in any case, as sox reads it.
  static func soxVolume(_ values: [String]) -> String? {
    guard let first = values.first else { return nil }
    // The longest number GAIN starts with (`6` of `6dB`, `-3` of `-3d`).
    guard let split = first.indices.reversed().map({ first.index(after: $0) }).first(where: { Double(first[..<$0]) != nil }) else { return nil }
    let number = String(first[..<split])
    let typed = first[split...].isEmpty ? values.dropFirst().first ?? "" : String(first[split...])
    let type = typed.isEmpty ? "amplitude" : ["amplitude", "db", "power"].first { $0.hasPrefix(typed.lowercased()) }
    switch type {
    case "amplitude": return Double(number) == 0 ? "0x" : GainArgument.parse(number) != nil || (Double(number).map { $0 < 0 } ?? false) ? number : nil
    case "db": return number + "dB"
    case "power":
      // A power ratio: 10·log10 of it in dB (sox takes its square root as the amplitude).
      guard let power = Double(number), power > 0 else { return nil }
      return Text.format("%g", 10 * log10(power)) + "dB"
    default: return nil
    }
  }

  /// A filter's width as a linear Q, as sox and ffmpeg give it (review32i W6): `q` the Q itself,
  /// `h` a bandwidth in Hz and `k` in kHz at `frequency` (Q = f / bandwidth), `o` octaves
  /// (Q = √2ᴺ / (2ᴺ − 1)); nil when a number or the unit is none of them.
  static func linearQ(width: String, unit: String, at frequency: String) -> String? {
    guard let amount = Double(width), amount > 0 else { return nil }
    let hertz = FrequencyArgument.parse(frequency)
    let q: Double?
    switch unit {
    case "q": return width
    case "h": q = hertz.map { $0 / amount }
    case "k": q = hertz.map { $0 / (amount * 1000) }
    case "o": q = (pow(2, amount)).squareRoot() / (pow(2, amount) - 1)
    default: q = nil
    }
    return q.flatMap { $0.isFinite && $0 > 0 ? Text.format("%.4g", $0) : nil }
  }
}
