import ArgumentParser
import DSP
import Glibc

/// An option whose values are an enum's names, matched case-insensitively as sox matches
/// `-t WAV` (every name is lowercase).
protocol CaseInsensitiveArgument: ExpressibleByArgument, CaseIterable, RawRepresentable where RawValue == String {}

extension CaseInsensitiveArgument {
  public init?(argument: String) { self.init(rawValue: argument.lowercased()) }

  // What argument-parser's defaults give, said directly: its defaults (a key path over
  // `allCases`, a generic `reduce`) cost the Swift runtime two scans of every conformance record
  // in the binary per option type at every start (issue 22).
  /// The names `--help` and the completion scripts list: the raw values.
  public static var allValueStrings: [String] { allCases.map { $0.rawValue } }
  /// No value is described apart from its name.
  public static var allValueDescriptions: [String: String] { [:] }
}

extension ConverterType: CaseInsensitiveArgument {}
extension ResamplerEngine: CaseInsensitiveArgument {}
extension SoxrQuality: CaseInsensitiveArgument {}
extension Container: CaseInsensitiveArgument {}
/// The output's encoding, by audioprep's name or another tool's (`EncodingName`).
extension SampleEncoding: CaseInsensitiveArgument {
  public init?(argument: String) { self.init(rawValue: EncodingName.canonical(argument) ?? "") }
}

/// `--denoise`'s values: off (the default), or one of WebRTC's noise suppression levels.
enum DenoiseChoice: String, CaseInsensitiveArgument {
  case off, low, moderate, high
  case veryHigh = "very-high"

  /// The level, nil for off.
  var level: WebRtcAudioProcessing.NoiseLevel? { WebRtcAudioProcessing.NoiseLevel(rawValue: rawValue) }
}

/// A raw input's encoding, by audioprep's name or another tool's (`EncodingName`).
extension RawEncoding: CaseInsensitiveArgument {
  public init?(argument: String) { self.init(rawValue: EncodingName.canonical(argument) ?? "") }
}

/// The chain's shape: rate, resampler, high-pass and gain. Every command that builds or plots
/// the chain (`process`, `batch`, `info`, `response`) takes these.
struct ChainShapeOptions: ParsableArguments {
  // The three options whose values are an `Int` or a `Double` with a default (--rate,
  // --highpass, --buffer-chunks) are optionals with the default beside them, as
  // `ComparisonOptions.tolerance`: an `Option<Int>` is a type of its own beside the
  // `Option<Int?>` others use, and each costs the Swift runtime a scan of every conformance
  // record at every start (issue 22). Their help says the default itself, as before.
  @Option(name: .customLong("rate"), parsing: .unconditional, help: ArgumentHelp("Output sample rate: 16000, 16k, 16kHz (default: 16000).", valueName: "hz"), transform: SampleRateArgument.hertz)
  var rateGiven: Int?

  /// `--rate`, or 16 kHz.
  var rate: Int { rateGiven ?? 16000 }

  @Option(name: .customLong("converter"), help: "libsamplerate converter, best to fastest (default: medium).")
  var converterGiven: ConverterType?

  /// `--converter`, or libsamplerate's medium.
  var converter: ConverterType { converterGiven ?? .medium }

  @Option(help: "Resampling engine: libsamplerate (its sinc converters run as a polyphase filter measured from libsamplerate: the same output to 1e-6, several times faster), libsamplerate-direct (every frame through src_process), or soxr (opt-in).")
  var resampler = ResamplerEngine.libsamplerate

  @Option(name: .customLong("soxr-quality"), help: ArgumentHelp("libsoxr quality recipe, with --resampler soxr (default: high).", valueName: "q"))
  var soxrQualityGiven: SoxrQuality?

  /// `--soxr-quality`, or libsoxr's high.
  var soxrQuality: SoxrQuality { soxrQualityGiven ?? .high }


  @Option(name: .customLong("highpass"), parsing: .unconditional, help: ArgumentHelp("High-pass cut-off: 80, 80Hz, 0.08kHz; 0 turns it off (default: 80).", valueName: "hz"), transform: FrequencyArgument.hertz)
  var highPassGiven: Double?

  /// `--highpass`, or 80 Hz; 0 is off.
  var highPassHz: Double { highPassGiven ?? 80 }

  @Option(name: .customLong("q"), parsing: .unconditional, help: ArgumentHelp("High-pass Q in dB, as Web Audio's BiquadFilterNode reads it: 1, 1dB (default: 1).", valueName: "db"), transform: UnitArgument.decibels)
  var qDecibels: Double?

  /// The Q in dB (`--q`, default 1).
  var q: Double { qDecibels ?? 1 }

  @Option(name: .customLong("q-linear"), parsing: .unconditional, help: ArgumentHelp("High-pass Q as the Audio EQ Cookbook reads it (0.7071 = Butterworth); instead of --q.", valueName: "q"), transform: UnitArgument.linearQ)
  var qLinear: Double?

  @Option(name: .customLong("gain"), parsing: .unconditional, help: ArgumentHelp("Gain applied after the high-pass: a factor (1.5, 1.5x) or decibels (-3dB, +6dB) (default: 1.5).", valueName: "gain"), transform: GainArgument.given)
  var gainGiven: GainArgument.Given?

  /// The linear gain `--gain` gives, or nil.
  var gain: Double? { gainGiven?.linear }

  /// The warnings the shape earns before any input is read: a bare `--gain` above 4 is a
  /// factor (`--gain 6` is ×6, +15.6 dB), where sox's `gain 6` is 6 dB.
  var warnings: [String] {
    guard let gainGiven, gainGiven.isBareNumber, gainGiven.linear > GainArgument.largestUnwarnedFactor else { return [] }
    // `5.` is written 5 (review33h C2: "write 5.dB … or 5.x").
    let text = Text.decimal(gainGiven.linear)
    return [
      "audioprep: --gain \(text) is a factor of \(text) (+\(Text.fixed(20 * log10(gainGiven.linear), 1)) dB; a bare number is a factor); "
        + "sox's gain \(text) is decibels: write \(text)dB for those, or \(text)x for the factor"
    ]
  }

  mutating func validate() throws {
    guard (1000...768_000).contains(rate) else {
      throw ValidationError("--rate must lie between 1000 and 768000 Hz, got \(rate)")
    }
    guard highPassHz == 0 || (highPassHz.isFinite && highPassHz >= 0.01) else {
      throw ValidationError("--highpass must be 0 (off) or at least 0.01 Hz, got \(Text.decimal(highPassHz))")
    }
    guard highPassHz < Double(rate) / 2 else {
      throw ValidationError("--highpass \(Text.decimal(highPassHz)) Hz is not below Nyquist (\(rate / 2) Hz at --rate \(rate))")
    }
    // An option the chosen resampler does not use is refused, as --true-peak without --loudness.
    if soxrQualityGiven != nil && resampler != .soxr {
      throw ValidationError("--soxr-quality is libsoxr's quality; it needs --resampler soxr")
    }
    if converterGiven != nil && resampler == .soxr {
      throw ValidationError("--converter is libsamplerate's converter; --resampler soxr does not use it")
    }
    if qDecibels != nil && qLinear != nil {
      throw ValidationError("--q and --q-linear both set the high-pass Q (in dB and linear); give one")
    }
    // Ranges keep every coefficient and sample finite: Q of 10^±5 (±100 dB), gains up to 10^6.
    guard q.isFinite, (-100...100).contains(q) else { throw ValidationError("--q must lie between -100 and 100 dB, got \(Text.decimal(q))") }
    if let qLinear, !(qLinear.isFinite && (1e-5...1e5).contains(qLinear)) {
      throw ValidationError("--q-linear must lie between 0.00001 and 100000, got \(Text.decimal(qLinear))")
    }
    if let gain, !(gain.isFinite && (0...GainArgument.maximum).contains(gain)) {
      throw ValidationError("--gain must lie between 0 and 1000000, got \(Text.decimal(gain))")
    }
    if highPassHz > 0 {
      let coefficients = BiquadCoefficients.highPass(
        cutoffHz: highPassHz, q: qLinear.map { .linear($0) } ?? .decibels(q), sampleRate: Double(rate))
      guard [coefficients.b0, coefficients.b1, coefficients.b2, coefficients.a1, coefficients.a2].allSatisfy(\.isFinite)
      else { throw ValidationError("--highpass \(Text.decimal(highPassHz)) Hz with this Q gives a filter that is not finite") }
    }
  }

  /// The library configuration with this shape and the library's defaults for the rest.
  var configuration: PipelineConfiguration {
    var configuration = PipelineConfiguration()
    configuration.outputRate = rate
    configuration.converter = converter
    configuration.resampler = resampler
    configuration.soxrQuality = soxrQuality
    configuration.highPassHz = highPassHz > 0 ? highPassHz : nil
    configuration.q = qLinear.map { .linear($0) } ?? .decibels(q)
    configuration.gain = Float(gain ?? 1.5)
    return configuration
  }
}

/// The chain's shape, the gain set from the input's levels (`--loudness`, `--peak`) and the
/// stages that adapt to the signal (`--denoise`, `--agc`): what the commands that run or
/// describe the chain for a file take (`process`, `batch`, `info`). `response` plots fixed
/// filters and a fixed gain, so it takes only the shape.
struct ChainOptions: ParsableArguments {
  @OptionGroup var shape: ChainShapeOptions

  @Option(parsing: .unconditional, help: ArgumentHelp("Set the gain from a first pass over the input so that the output's integrated loudness (EBU R128) is this many LUFS, e.g. -23; replaces --gain. Files only.", valueName: "lufs"), transform: LevelArgument.lufs)
  var loudness: Double?

  @Option(parsing: .unconditional, help: ArgumentHelp("Set the gain from a first pass over the input so that the output's sample peak is this many dBFS, e.g. -1; replaces --gain. Files only.", valueName: "dbfs"), transform: LevelArgument.dBFS)
  var peak: Double?

  @Option(name: .customLong("true-peak"), parsing: .unconditional, help: ArgumentHelp("With --loudness or --peak: the output's true peak stays at or under this many dBTP; the gain is lowered rather than clipping, and the shortfall is reported (default: -1).", valueName: "dbtp"), transform: LevelArgument.dBTP)
  var truePeak: Double?

  var rate: Int { shape.rate }
  var gain: Double? { shape.gain }

  @Option(help: ArgumentHelp("WebRTC's noise suppression, as a browser applies it to a microphone: off, low, moderate, high or very-high (default: off). Applied where the input is noisy, not to clean speech with pauses (nearly none at an estimated SNR of 34 dB or more, all at 22 dB or less); a recording with no pause (a held tone or vowel, music) reads as noisy and is suppressed. Runs after resampling, before the high-pass, at --rate 8000, 16000, 32000 or 48000.", valueName: "level"))
  var denoise = DenoiseChoice.off

  @Flag(inversion: .prefixedNo, help: "WebRTC's automatic gain control (adaptive digital: target -3 dBFS, compression gain 9 dB, limiter; quiet speech is raised by up to about 35 dB over seconds), as a browser applies it to a microphone. Runs after resampling, before the high-pass, at --rate 8000, 16000, 32000 or 48000.")
  var agc = false

  /// The normalisation asked for, or nil (the fixed gain).
  var normalization: Normalization? {
    let target: Normalization.Target? = loudness.map { .loudness(lufs: $0) } ?? peak.map { .peak(dBFS: $0) }
    return target.map { Normalization(target: $0, truePeakCeilingDBTP: truePeak ?? -1) }
  }

  mutating func validate() throws {
    if denoise.level != nil || agc, !WebRtcAudioProcessing.sampleRates.contains(rate) {
      throw ValidationError(
        "--\(denoise.level != nil ? "denoise" : "agc") runs WebRTC's audio processing, which takes 8000, 16000, 32000 or 48000 Hz; --rate is \(rate)")
    }
    if normalization != nil, rate < LevelMeter.lowestLoudnessRate {
      throw ValidationError(
        "--\(loudness != nil ? "loudness" : "peak") measures the output's loudness, which is defined from \(LevelMeter.lowestLoudnessRate) Hz (BS.1770); --rate is \(rate)")
    }
    if loudness != nil && peak != nil { throw ValidationError("--loudness and --peak exclude each other") }
    if gain != nil && (loudness != nil || peak != nil) {
      throw ValidationError("--gain and --\(loudness != nil ? "loudness" : "peak") exclude each other: the first pass sets the gain")
    }
    if let loudness, !(-60...0).contains(loudness) {
      throw ValidationError(
        "--loudness must lie between -60 and 0 LUFS (below, BS.1770's -70 LUFS gate leaves the quieter blocks out, and the target cannot be met), got \(Text.decimal(loudness))")
    }
    if let peak, !(-70...0).contains(peak) { throw ValidationError("--peak must lie between -70 and 0 dBFS, got \(Text.decimal(peak))") }
    if let truePeak {
      guard loudness != nil || peak != nil else { throw ValidationError("--true-peak needs --loudness or --peak") }
      guard (-70...0).contains(truePeak) else { throw ValidationError("--true-peak must lie between -70 and 0 dBTP, got \(Text.decimal(truePeak))") }
    }
  }

  /// The library configuration with this shape and normalisation, the library's defaults for the rest.
  var configuration: PipelineConfiguration {
    var configuration = shape.configuration
    configuration.normalization = normalization
    configuration.noiseSuppression = denoise.level
    configuration.automaticGainControl = agc
    return configuration
  }
}

/// Which channels go through the chain and on how many threads: what `info` shows for a file
/// besides the chain's shape.
struct ChannelOptions: ParsableArguments {
  @Option(parsing: .unconditional, help: ArgumentHelp("Take this channel (0-based) instead of averaging all channels.", valueName: "n"), transform: CountArgument.parser(giving: "one such as 0 or 1 (channels count from 0)"))
  var channel: Int?

  @Flag(help: "Keep all channels instead of mixing down to mono.")
  var keepChannels = false

  @Option(name: .customLong("threads"), parsing: .unconditional, help: ArgumentHelp("Threads that resample one file at once: a count, or auto (default: the number of cores; one for standard input). Output is the same for any count.", valueName: "n"), transform: CountArgument.parseOrAuto)
  var threadsArgument: CountArgument?

  /// `--threads N`; nil for its default (also `--threads auto`).
  var threads: Int? { threadsArgument?.count }

  mutating func validate() throws {
    if let channel, channel < 0 { throw ValidationError("--channel counts from 0, got \(channel)") }
    if channel != nil && keepChannels {
      throw ValidationError("--channel and --keep-channels exclude each other")
    }
    if let threads, !(1...256).contains(threads) {
      throw ValidationError("--threads must lie between 1 and 256, got \(threads)")
    }
  }

  /// Sets the downmix and the resampling threads for `input`.
  ///
  /// The one rule for threads, for `process` and for `info` describing it: `--threads` when
  /// given; otherwise one for standard input, which may be a real-time stream (output then
  /// follows input within a block instead of waiting for ~64k-frame segments); otherwise the
  /// library's default, the number of cores.
  func apply(to configuration: inout PipelineConfiguration) {
    configuration.downmix = keepChannels ? nil : channel.map { .channel($0) } ?? .average
    if let threads { configuration.threads = threads }
  }
}

/// How the processed stream is cut and buffered on its way to the writer: what only a run
/// (`process`, `batch`) uses.
struct StreamOptions: ParsableArguments {
  @Option(name: .customLong("chunk-ms"), parsing: .unconditional, help: ArgumentHelp("Chunk length in milliseconds at the output rate: 100, 100ms, 0.1s (default: 100).", valueName: "ms"), transform: UnitArgument.milliseconds)
  var chunkMilliseconds: Double?

  @Option(parsing: .unconditional, help: ArgumentHelp("Chunk length in frames; replaces --chunk-ms.", valueName: "n"), transform: CountArgument.parser(giving: "one such as 1600"))
  var chunkSamples: Int?

  @Flag(help: "Zero-pad the last chunk to full length.")
  var pad = false

  @Option(name: .customLong("buffer-chunks"), parsing: .unconditional, help: ArgumentHelp("Chunks the buffer between processing and writing holds.", valueName: "n"), transform: CountArgument.parser(giving: "one such as 10"))
  var bufferChunksGiven: Int?

  /// `--buffer-chunks`, or 10 (an `Int?` for the reason `ChainShapeOptions.rate` gives).
  var bufferChunks: Int { bufferChunksGiven ?? 10 }

  @Flag(help: "Live mode: when the buffer is full drop the oldest chunk (and count it) instead of waiting.")
  var live = false

  mutating func validate() throws {
    if chunkMilliseconds != nil && chunkSamples != nil {
      throw ValidationError("--chunk-ms and --chunk-samples exclude each other")
    }
    if let chunkMilliseconds, !(chunkMilliseconds.isFinite && chunkMilliseconds > 0 && chunkMilliseconds <= 60_000) {
      throw ValidationError("--chunk-ms must lie in (0, 60000], got \(Text.decimal(chunkMilliseconds))")
    }
    if let chunkSamples, !(1...10_000_000).contains(chunkSamples) {
      throw ValidationError("--chunk-samples must lie between 1 and 10000000, got \(chunkSamples)")
    }
    guard (1...10_000).contains(bufferChunks) else {
      throw ValidationError("--buffer-chunks must lie between 1 and 10000, got \(bufferChunks)")
    }
  }

  /// The warning `--live` earns with a regular file, or nil: live mode models a real-time
  /// capture, and a file is read faster than real time, so which chunks are dropped depends on
  /// how the threads happen to be scheduled.
  /// `subject` is what the line names: the input, or `batch` (whose inputs are all files).
  func liveWarning(input: String, subject: String? = nil) -> String? {
    guard live && (subject != nil || PathName.isRegularFile(input)) else { return nil }
    return "audioprep: \(subject ?? input): --live with a regular file: it is read faster than real time, so the chunks dropped differ from run to run (live mode models a real-time capture)"
  }

  func apply(to configuration: inout PipelineConfiguration) {
    if let chunkSamples {
      configuration.chunkLength = .frames(chunkSamples)
    } else if let chunkMilliseconds {
      configuration.chunkLength = .milliseconds(chunkMilliseconds)
    }
    configuration.padLastChunk = pad
    configuration.bufferChunks = bufferChunks
    configuration.bufferPolicy = live ? .dropOldest : .block
  }
}

/// Everything a run of the chain takes (`process`, `batch`): its shape, channels and threads,
/// chunks and buffer, each group under its own heading in the help.
package struct PipelineOptions: ParsableArguments {
  package init() {}

  @OptionGroup(title: "Processing") var chain: ChainOptions
  @OptionGroup(title: "Channels and threads") var channels: ChannelOptions
  @OptionGroup(title: "Chunks and buffer") var stream: StreamOptions

  var rate: Int { chain.rate }
  var pad: Bool { stream.pad }
  var threads: Int? { channels.threads }
  var keepChannels: Bool { channels.keepChannels }

  package mutating func validate() throws {
    if stream.live, let normalization = chain.normalization {
      let option = if case .loudness = normalization.target { "--loudness" } else { "--peak" }
      throw ValidationError("\(option) and --live exclude each other: the gain is set from a first pass over the whole input")
    }
  }

  /// The library configuration for `input` (`-` for standard input; see `ChannelOptions.apply`).
  func configuration(forInput input: String) -> PipelineConfiguration {
    var configuration = chain.configuration
    channels.apply(to: &configuration)
    stream.apply(to: &configuration)
    return configuration
  }

  /// The library configuration for a file input.
  package var configuration: PipelineConfiguration { configuration(forInput: "") }
}

/// How to read headerless input.
package struct RawInputOptions: ParsableArguments {
  package init() {}

  /// Extensions that mean headerless PCM.
  static let rawExtensions: Set<String> = ["raw", "pcm"]

  /// Whether `path` is read as raw PCM: the `--in-*` options were given, or its extension says so.
  func isRaw(_ path: String) -> Bool {
    anyGiven || Self.rawExtensions.contains(PathName.fileExtension(path).lowercased())
  }

  @Option(name: .customLong("in-rate"), parsing: .unconditional, help: ArgumentHelp("Raw input: sample rate (48000, 48k, 48kHz).", valueName: "hz"), transform: SampleRateArgument.hertz)
  var rate: Int?

  @Option(name: .customLong("in-channels"), parsing: .unconditional, help: ArgumentHelp("Raw input: interleaved channels (1, 2, mono, stereo).", valueName: "n"), transform: CountArgument.channels)
  var channels: Int?

  @Option(name: .customLong("in-encoding"), help: ArgumentHelp("Raw input sample format, little-endian (arecord's S16_LE and ffmpeg's s16le/pcm_s16le read too).", valueName: "enc"))
  var encoding: RawEncoding?

  var anyGiven: Bool { rate != nil || channels != nil || encoding != nil }

  /// The --in-* options given, by name.
  var given: [String] {
    [("--in-rate", rate != nil), ("--in-channels", channels != nil), ("--in-encoding", encoding != nil)].filter(\.1).map(\.0)
  }

  /// The three options with the values given, and a placeholder for each missing one: `--in-rate
  /// 22050 --in-channels N --in-encoding s16`.
  var command: String {
    "--in-rate \(rate.map(String.init) ?? "RATE") --in-channels \(channels.map(String.init) ?? "N") --in-encoding \(encoding?.rawValue ?? "ENC")"
  }

  package mutating func validate() throws {
    if let rate, !(1...10_000_000).contains(rate) {
      throw ValidationError("--in-rate must lie between 1 and 10000000 Hz, got \(rate)")
    }
    if let channels, !(1...1024).contains(channels) {
      throw ValidationError("--in-channels must lie between 1 and 1024, got \(channels)")
    }
  }

  /// `failure` to recognise standard input's format, told that raw samples need the --in-*
  /// options when none was given (a file's `.raw`/`.pcm` name asks for them before reading).
  /// Only when no format was recognised: a container's own fault (a WAV whose LIST chunk runs
  /// past its end) is not raw samples (review34a A3).
  func explaining(_ failure: CommandFailure, input: String) -> CommandFailure {
    guard input == "-", !anyGiven, failure.path == input, failure.message == "not a readable audio file (Format not recognised)" else { return failure }
    return CommandFailure(
      input, failure.message + "; raw samples need --in-rate, --in-channels and --in-encoding (e.g. --in-rate 16k --in-channels 1 --in-encoding s16)",
      code: failure.code)
  }

  /// The raw format, or a usage error naming what is missing. Raw input never guesses.
  ///
  /// A file whose name does not say raw (.raw, .pcm) and that starts with a container's header
  /// (`RIFF`, `fLaC`, …) is refused (64): --in-* would decode its header as samples (sox reads
  /// it so only when told `-t raw`). A stream, or a file named raw, is read as asked, with a
  /// warning (`RawInputSignature.warning`).
  package func rawFormat(for path: String) throws -> RawInputFormat {
    if anyGiven, let refusal = RawInputSignature.headerRefusal(path: path, given: given, command: command) { throw refusal }
    var missing: [String] = []
    if rate == nil { missing.append("--in-rate") }
    if channels == nil { missing.append("--in-channels") }
    if encoding == nil { missing.append("--in-encoding") }
    guard let rate, let channels, let encoding else {
      throw CommandFailure(
        path, "raw input needs \(missing.joined(separator: ", ")) (audioprep does not guess)",
        code: ExitStatus.usage)
    }
    return RawInputFormat(sampleRate: rate, channels: channels, encoding: encoding)
  }
}

/// Dither choices on the command line.
enum DitherKind: String, CaseInsensitiveArgument {
  case none, tpdf
}

/// Where `process` writes: `-o`, which `batch` does not take (it writes below --out-dir).
struct OutputPathOption: ParsableArguments {
  @Option(name: .shortAndLong, help: ArgumentHelp("Output file, or - for standard output. Default: INPUT's name with .16k.wav beside it (standard output when INPUT is -).", valueName: "path"), completion: .file())
  var output: String?

  // process's own: batch writes each input's sidecar itself (and refuses the option, hidden from
  // its help and completions: review33h W11).
  @Option(name: .customLong("segments-list"), help: ArgumentHelp("With --segment or --utterances: the sidecar listing each segment's file and its start and end in the source. Default: STEM.segments.jsonl beside the segments (segments.jsonl for standard input).", valueName: "path"), completion: .file())
  var segmentsList: String?

  func validate() throws { try EmptyPath.refuse([("-o/--output", output), ("--segments-list", segmentsList)]) }
}

/// How to write: container, encoding, segments.
package struct OutputOptions: ParsableArguments {
  package init() {}

  @Option(help: ArgumentHelp("Container. Default: from the output's extension; raw on standard output (raw or wav only).", valueName: "fmt"))
  package var format: Container?

  @Option(help: ArgumentHelp("Sample format (lossy containers ignore it; f32 is never clipped).", valueName: "enc"))
  package var encoding = SampleEncoding.s16

  @Option(help: ArgumentHelp("Dither before rounding to an integer encoding: none or tpdf (fixed seed, reproducible).", valueName: "kind"))
  var dither = DitherKind.none

  @Flag(help: "process: replace an existing output file. batch: reprocess every input, ignoring the manifest.")
  var force = false

  @Option(parsing: .unconditional, help: ArgumentHelp("Write one file per segment of this length (e.g. 30s); process's -o then needs a %d field, e.g. 'out_%04d.wav'.", valueName: "duration"), transform: DurationArgument.parsing)
  var segment: DurationArgument?

  @Option(name: .customLong("segment-overlap"), parsing: .unconditional, help: ArgumentHelp("Segments overlap by this much (e.g. 1s).", valueName: "duration"), transform: DurationArgument.parsing)
  var segmentOverlap: DurationArgument?

  @Option(parsing: .unconditional, help: ArgumentHelp("Write only from this time of the input on (e.g. 90s, 1.5m, 500ms), exact to the output sample.", valueName: "duration"), transform: DurationArgument.parsing)
  var start: DurationArgument?

  @Option(parsing: .unconditional, help: ArgumentHelp("Write only up to this time of the input.", valueName: "duration"), transform: DurationArgument.parsing)
  var end: DurationArgument?

  @Option(parsing: .unconditional, help: ArgumentHelp("Write only this long from --start (or from 0).", valueName: "duration"), transform: DurationArgument.parsing)
  var duration: DurationArgument?

  /// The part of the input written (`--start`, `--end`, `--duration`); nil: all of it.
  package var range: TimeRange? {
    guard start != nil || end != nil || duration != nil else { return nil }
    let from = start?.seconds ?? 0
    return TimeRange(startSeconds: from, endSeconds: end?.seconds ?? duration.map { from + $0.seconds })
  }

  @Flag(help: "Write one file per speech region (WebRTC voice activity), silence between them dropped; -o then needs a %d field. Not with --segment.")
  var utterances = false

  @Flag(name: .customLong("at-pauses"), help: "With --segment: windows no longer than the segment, each cut at the longest pause in its last third (at most 10s); a window with no pause there is cut at full length.")
  var atPauses = false

  /// How speech is found (`--speech-threshold`, `--min-speech`, … `--vad-mode`).
  @OptionGroup var speech: SpeechOptions

  var vadMode: Int? { speech.vadMode }

  @Flag(name: .customLong("trim-silence"), help: "Drop the non-speech before the first and after the last speech region (with --speech-pad). A file is read twice (a first pass finds the speech); a stream holds up to 30s of non-speech after speech, waiting for more (after a longer trailing silence, its last 30s are dropped).")
  var trimSilence = false

  /// Where the output listens for speech to cut (`--utterances`, `--at-pauses`); nil runs no detector.
  package var speechCutting: SpeechCutting? {
    guard utterances || atPauses else { return nil }
    return SpeechCutting(utterances ? .utterances : .atPauses, rules: speechRules, detectorMode: vadMode ?? 3)
  }

  /// The region rules the speech options give (silero's defaults for those not given).
  package var speechRules: SpeechRegionRules { speech.rules }

  /// What of `input` a run writes (`Output.range`, `Output.trimsSilence`): the
  /// `--start/--end/--duration` range; with `--trim-silence`, its speech: in a file or in
  /// memory, the extent a first pass finds (read twice), as a range; in a stream, which cannot
  /// be read twice, followed as it goes with a bounded hold.
  package func selection(
    of input: AudioPipeline.Input, configuration: PipelineConfiguration
  ) throws -> (range: TimeRange?, trimsSilence: SpeechTrimSink.Settings?) {
    guard trimSilence else { return (range, nil) }
    if !input.isInMemory && OutputDestination.isStream(input.path) {
      return (nil, SpeechTrimSink.Settings(rules: speechRules, detectorMode: vadMode ?? 3))
    }
    let extent = try AudioPipeline(configuration: configuration).speechExtent(input, rules: speechRules, detectorMode: vadMode ?? 3)
    return (TimeRange(speechExtent: extent, sampleRate: configuration.outputRate), nil)
  }

  /// The warnings the options earn before any input is read (`SpeechOptions.warnings`).
  package var warnings: [String] { speech.warnings }

  /// Whether the output is cut into files with a sidecar (`--segment` or `--utterances`).
  package var segments: Bool { segment != nil || utterances }

  /// The format of an output in `container`: the one place the options become a format.
  package func fileFormat(container: Container) -> OutputFileFormat {
    OutputFileFormat(container: container, encoding: encoding, dither: dither == .tpdf)
  }

  package mutating func validate() throws {
    // Shorter segments would be millions of files an hour.
    if let segment, !(segment.seconds >= 0.001) { throw ValidationError("--segment must be at least 1ms, got \(Text.decimal(segment.seconds))s") }
    if segmentOverlap != nil && segment == nil { throw ValidationError("--segment-overlap needs --segment") }
    if end != nil && duration != nil { throw ValidationError("--end and --duration both say where the range ends; give one") }
    if let end, end.seconds <= 0 { throw ValidationError("--end 0 leaves nothing to write; --end is a time of the input after --start") }
    if let duration, duration.seconds <= 0 { throw ValidationError("--duration 0 leaves nothing to write") }
    if let start, let end, end.seconds <= start.seconds {
      throw ValidationError("--end (\(Text.decimal(end.seconds))s) must be after --start (\(Text.decimal(start.seconds))s)")
    }
    if utterances && segment != nil {
      throw ValidationError("--utterances cuts at speech regions and --segment at lengths; give one (pause-aware windows: --segment 30s --at-pauses)")
    }
    if atPauses && segment == nil { throw ValidationError("--at-pauses needs --segment (e.g. --segment 30s --at-pauses)") }
    if atPauses && segmentOverlap != nil { throw ValidationError("--at-pauses windows do not overlap; drop --segment-overlap") }
    if !utterances && !atPauses && !trimSilence, let given = speech.firstGiven {
      throw ValidationError("\(given) needs --utterances, --at-pauses or --trim-silence")
    }
    if trimSilence && utterances {
      throw ValidationError("--utterances already leaves out the non-speech around each utterance; drop --trim-silence")
    }
    if trimSilence && range != nil { throw ValidationError("--trim-silence chooses the range itself; drop --start/--end/--duration") }
    if atPauses && speech.maxSpeech != nil { throw ValidationError("--max-speech is for --utterances; --at-pauses windows are as long as --segment") }
    if speechCutting != nil || trimSilence { try speech.validateValues() }
    if let segment, let segmentOverlap, segmentOverlap.seconds >= segment.seconds {
      throw ValidationError("--segment-overlap must be shorter than --segment")
    }
  }

  /// Overlapping segments open at one instant, at most (each is a file being written).
  static let segmentsOpenAtOnce = 512

  /// What the output options cannot do with the chain's and stream's (process and batch alike).
  func validate(with pipeline: PipelineOptions) throws {
    if trimSilence && pipeline.stream.live {
      throw ValidationError("--trim-silence waits for the end of the speech; it cannot run --live")
    }
    if pipeline.stream.pad && speechCutting != nil {
      throw ValidationError("--pad fills the last chunk or --segment window to full length; --utterances and --at-pauses cut at speech, so drop --pad")
    }
    // The segmenter cuts in output frames: an overlap shorter in seconds may be as long there
    // (review60 W2: 1.99999 s of 2 s passed, then every input failed).
    if let segment, let segmentOverlap {
      let rate = pipeline.chain.rate
      let (length, overlap) = (max(1, AudioPipeline.Output.Segments.frames(segment.seconds, at: rate)), AudioPipeline.Output.Segments.frames(segmentOverlap.seconds, at: rate))
      if overlap >= length {
        throw ValidationError(
          "--segment-overlap must be shorter than --segment: at \(rate) Hz \(overlap == length ? "both are \(length)" : "they are \(overlap) and \(length)") output frames")
      }
      // Each window is a file open until it ends: a step of a few frames opens thousands at
      // once (review61 O1: "Too many open files").
      let openAtOnce = (length + (length - overlap) - 1) / (length - overlap)
      if openAtOnce > Self.segmentsOpenAtOnce {
        throw ValidationError(
          "--segment-overlap leaves a step of \(length - overlap) output frames at \(rate) Hz: \(openAtOnce) segments would be open at once (at most \(Self.segmentsOpenAtOnce)); shorten the overlap")
      }
    }
    // A range of less than one output frame is as empty as --duration 0.
    if let range, range.frames(at: pipeline.chain.rate).isEmpty {
      throw ValidationError(
        "--start/--end/--duration leave less than one output frame at \(pipeline.chain.rate) Hz: nothing to write")
    }
  }
}

/// How speech is found: WebRTC's aggressiveness and the rules that turn its decisions into
/// regions, for the commands that listen for speech (`--utterances`, `--at-pauses`,
/// `--trim-silence`, `info --speech`).
package struct SpeechOptions: ParsableArguments {
  package init() {}

  @Option(name: .customLong("speech-threshold"), parsing: .unconditional, help: ArgumentHelp("Share of speech frames (30 ms, averaged over 5) that starts a region: 0.5, 50%; it ends below this less 0.15. Default 0.5.", valueName: "p"), transform: UnitArgument.share)
  package var speechThreshold: Double?

  @Option(name: .customLong("min-speech"), parsing: .unconditional, help: ArgumentHelp("Drop speech regions shorter than this (a bare number is seconds: 0.25, 250ms). Default 250ms.", valueName: "duration"), transform: DurationArgument.parsing)
  package var minSpeech: DurationArgument?

  @Option(name: .customLong("max-speech"), parsing: .unconditional, help: ArgumentHelp("Split longer regions (pads included) at their longest pause in the last third (at most 10s), or at the limit. Default: no limit.", valueName: "duration"), transform: DurationArgument.parsing)
  package var maxSpeech: DurationArgument?

  @Option(name: .customLong("min-silence"), parsing: .unconditional, help: ArgumentHelp("Merge regions separated by less silence than this (a bare number is seconds). Default 100ms.", valueName: "duration"), transform: DurationArgument.parsing)
  package var minSilence: DurationArgument?

  @Option(name: .customLong("speech-pad"), parsing: .unconditional, help: ArgumentHelp("Keep this much before and after each region (a shorter gap is split in the middle; a bare number is seconds). Default 30ms.", valueName: "duration"), transform: DurationArgument.parsing)
  package var speechPad: DurationArgument?

  @Option(name: .customLong("vad-mode"), parsing: .unconditional, help: ArgumentHelp("WebRTC's aggressiveness, 0 (keeps most speech) to 3 (rejects most noise). Default 3.", valueName: "0-3"), transform: CountArgument.parser(giving: "0, 1, 2 or 3"))
  package var vadMode: Int?

  @Flag(name: .customLong("no-noise-gate"), help: "Take every frame WebRTC calls speech, as loud as it is (default: once 1s of non-speech is heard, only frames that stand out of its noise floor by the noise's spread).")
  package var noNoiseGate = false

  /// The region rules the speech options give (silero's defaults for those not given).
  package var rules: SpeechRegionRules {
    let defaults = SpeechRegionRules()
    return SpeechRegionRules(
      threshold: speechThreshold ?? defaults.threshold, minSpeechSeconds: minSpeech?.seconds ?? defaults.minSpeechSeconds,
      maxSpeechSeconds: maxSpeech?.seconds ?? defaults.maxSpeechSeconds,
      minSilenceSeconds: minSilence?.seconds ?? defaults.minSilenceSeconds,
      speechPadSeconds: speechPad?.seconds ?? defaults.speechPadSeconds, noiseGate: !noNoiseGate)
  }

  /// The warnings the options earn before any input is read: a bare number of 10 or more for
  /// an option whose values are milliseconds in practice (`--min-speech 250` is 250 seconds).
  package var warnings: [String] {
    [("--min-speech", minSpeech), ("--min-silence", minSilence), ("--speech-pad", speechPad)].compactMap { option, value in
      guard let value, value.isBareNumber, value.seconds >= 10 else { return nil }
      let number = Text.format("%g", value.seconds)
      return "audioprep: \(option) \(number) is \(number) seconds (a bare number is seconds); for milliseconds write \(number)ms"
    }
  }

  /// The first option given, by name, or nil: for "--min-speech needs …".
  var firstGiven: String? {
    [
      ("--speech-threshold", speechThreshold != nil), ("--min-speech", minSpeech != nil), ("--max-speech", maxSpeech != nil),
      ("--min-silence", minSilence != nil), ("--speech-pad", speechPad != nil), ("--vad-mode", vadMode != nil),
      ("--no-noise-gate", noNoiseGate),
    ].first(where: \.1)?.0
  }

  /// The values' own limits and the rules' (checked by the command that uses them, after its
  /// own checks: a value given where nothing listens is refused for that first).
  func validateValues() throws {
    if let speechThreshold, !(speechThreshold > 0 && speechThreshold <= 1) {
      throw ValidationError("--speech-threshold is a share in (0, 1] (0.5, 50%), got \(Text.format("%g", speechThreshold))")
    }
    if let vadMode, !(0...3).contains(vadMode) { throw ValidationError("--vad-mode is 0, 1, 2 or 3, got \(vadMode)") }
    do {
      try rules.validate()
    } catch let error as DSPError {
      throw ValidationError(error.description)
    }
  }
}
