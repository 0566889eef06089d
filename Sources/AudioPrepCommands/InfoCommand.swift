import ArgumentParser
import DSP

/// `audioprep info FILE…`: what a file holds, its levels, and the chain audioprep would build.
struct InfoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "info",
    abstract: "Describe audio files: format, rate, channels, length, levels, and the chain audioprep would build.",
    discussion: """
      The options change the chain shown as they would for process. Given a
      directory, info walks it (as batch does) and describes every recording from
      its header alone, one line each, then a totals line: files, hours, by rate,
      channels and format, undecodable files; other files are skipped and counted.
      Given several files (a glob), those that are not audio (transcripts by
      their extension, files no decoder recognises without an audio extension)
      are skipped, and a line on standard error says how many.
      """)

  @Argument(help: ArgumentHelp("Files, or directories to describe every recording below.", valueName: "file"), completion: .file())
  var files: [String]

  @OptionGroup(title: "Processing") var chain: ChainOptions
  @OptionGroup(title: "Channels and threads") var channels: ChannelOptions
  @OptionGroup(title: "Decoding") var decoding: DecoderOptions

  @Flag(help: "One JSON object per file, one per line (and the totals, for directories).")
  var json = false

  @Flag(help: "Directories: decode every file for its peak and RMS level and exact length.")
  var levels = false

  @Flag(help: "Files: run the chain and WebRTC's voice detector (as --utterances would, with the Speech options) and print speech time, its share and the number of regions, in the one pass that measures the levels.")
  var speech = false

  @OptionGroup(title: "Speech (with --speech)") var speechOptions: SpeechOptions

  func validate() throws {
    if !speech, let given = speechOptions.firstGiven { throw ValidationError("\(given) needs --speech") }
    if speech { try speechOptions.validateValues() }
    if speech && files.contains(where: PathName.isDirectory) {
      throw ValidationError("--speech describes files, not directories (it decodes and processes each one)")
    }
    if speech && files.contains("-") { throw ValidationError("--speech reads files, not standard input") }
  }

  func run() throws {
    if files.contains(where: PathName.isDirectory) {
      let status = CorpusInfo(decoding: decoding, outputRate: chain.rate, levels: levels, json: json).run(files)
      if status != 0 { throw ExitCode(status) }
      return
    }
    var worst: Int32 = 0
    // Several files (a glob) skip what is not audio, as a directory does; one file is described or an error.
    let several = files.count > 1
    var skipped: [String] = []
    for file in files {
      if several && NotAudio.byExtension(file) {
        skipped.append(file)
        continue
      }
      do {
        let description = try describe(file)
        printOutput(json ? description.json : description.text)
      } catch {
        var failure = error as? CommandFailure ?? CommandFailure(error, inputPath: file)
        // Headerless samples (a .raw or .pcm name, standard input): FFmpeg's guess ("image2
        // sequence") says nothing of what they are (review33h W9).
        if failure.message.hasPrefix("not a readable audio file"),
          file == "-" || RawInputOptions.rawExtensions.contains(PathName.fileExtension(file).lowercased())
        {
          failure = CommandFailure(
            failure.path,
            "no header to describe (raw samples?); info reads a file's header: process reads raw samples with --in-rate, --in-channels and --in-encoding (audioprep \(file == "-" ? "-" : shellQuoted(file)) -o out.wav --in-rate 16k --in-channels 1 --in-encoding s16)",
            code: failure.code)
        }
        if several && NotAudio.afterFailure(file, code: failure.code) {
          skipped.append(file)
          continue
        }
        printError("audioprep: \(failure.path): \(failure.message)")
        worst = max(worst, failure.code)
      }
    }
    if !skipped.isEmpty && skipped.count == files.count {
      // Nothing was described: an error, as one file that is not audio is.
      printError(NotAudio.noneIsAudio(skipped))
      throw ExitCode(ExitStatus.dataError)
    }
    if !skipped.isEmpty { printError(NotAudio.summary(skipped, of: files.count)) }
    if worst != 0 { throw ExitCode(worst) }
  }

  /// `audioprep info FILE --json OPTIONS…`'s line for one file, for the C interface: the
  /// same parsing, description and errors (a `CommandFailure`, usage errors as the command
  /// line words them).
  static func json(file: String, options: [String]) throws -> String {
    let command: InfoCommand
    do {
      // The file after "--": a name that begins with "-" is a file, not an option.
      command = try parse(["--json"] + options + ["--", file])
    } catch {
      throw CommandFailure(
        file, AudioPrep.errorLines(message: message(for: error), arguments: ["info", file] + options).joined(separator: "\n"), code: ExitStatus.usage,
        wholeLine: true)
    }
    do {
      return try command.describe(file, readsStreams: true).json
    } catch {
      throw error as? CommandFailure ?? CommandFailure(error, inputPath: file)
    }
  }

  /// `readsStreams`: a FIFO or device named is read (the library's callers, who have no
  /// standard input to give), not refused.
  private func describe(_ file: String, readsStreams: Bool = false) throws -> FileDescription {
    // A FIFO, socket or device named as a file is refused unopened, as batch refuses it (a FIFO
    // without a writer blocked info for ever); standard input reads it.
    if file != "-", !readsStreams, let status = Descriptor.status(file), !status.isRegular, !status.isDirectory {
      let what = UnreadEntry.Reason.special(status.kind).explanation
      throw CommandFailure(file, "is \(what); to describe what it holds: audioprep info - < \(file)", code: ExitStatus.noInput)
    }
    try BlockingInputs.checkStandardInput(file)
    if let table = KaldiTable.inputRefusal(file) { throw table }
    let source = try decoding.open(file)
    do {
      try AudioPipeline.checkRatio(inputRate: source.format.sampleRate, outputRate: chain.rate, origin: .header)
    } catch {
      throw CommandFailure(error, inputPath: file)
    }
    // What process would build for this input (a pipe resamples on one thread, no look-ahead).
    var configuration = chain.configuration
    channels.apply(to: &configuration)
    // A normalised chain is measured at ×1, then moved by the gain the first pass would set.
    var measured = configuration
    if measured.normalization != nil {
      measured.gain = 1
      measured.normalization = nil
    }
    var chain = measured.makeChain(for: source.format, timing: source.isStream ? .stream : .file, repairsFloats: source.deliversFloats)
    let output = try chain.prepare(source.format)
    // --speech listens to the processed stream the levels are measured on: one decoding.
    var speechMeter: SpeechMeter?
    if speech {
      do {
        speechMeter = try SpeechMeter(stream: output, rules: speechOptions.rules, detectorMode: speechOptions.vadMode ?? 3)
      } catch {
        throw CommandFailure(error, inputPath: file)
      }
    }
    let levels = try LevelMeter.measure(source, through: chain, input: .loudness, tap: speechMeter)
    let frames = levels.inputFrames
    let outputFrames = Int64(
      configuration.outputFrames(forInputFrames: Int(frames), inputRate: source.format.sampleRate))
    let normalization = configuration.normalization.flatMap { target in levels.output.loudness.map { target.outcome(measured: $0) } }
    var description = chain.describe(input: source.format)
    if let normalization { description.append(LoudnessText.outcome(normalization)) }
    return FileDescription(
      path: file, formatName: source.formatName, decoderName: source.decoderName, input: source.format, frames: frames,
      meter: levels.input!, chain: description, output: output, outputFrames: outputFrames,
      prediction: ChainPrediction(output: levels.output, normalization: normalization),
      noiseSuppression: configuration.noiseSuppression, gainControl: configuration.automaticGainControl, speech: speechMeter,
      truncation: source.truncation)
  }
}

/// What `info` prints for one file.
struct FileDescription {
  let path: String
  let formatName: String
  /// "libsndfile" or "FFmpeg".
  let decoderName: String
  let input: StreamFormat
  let frames: Int64
  let meter: LevelMeter
  let chain: [String]
  let output: StreamFormat
  let outputFrames: Int64
  let prediction: ChainPrediction
  /// Whether the chain runs WebRTC's audio processing, and which of it (`--denoise`, `--agc`).
  let noiseSuppression: WebRtcAudioProcessing.NoiseLevel?
  let gainControl: Bool
  /// `--speech`: the processed stream's speech.
  var speech: SpeechMeter? = nil
  /// What the decoder found wrong with the input (truncated, damaged, joined), in the words
  /// `process` warns with and the manifest's `truncation` records.
  var truncation: String? = nil

  private func dB(_ value: Double) -> String { value.isFinite ? Text.fixed(value, 2) + " dBFS" : "-inf dBFS" }

  var text: String {
    var lines = [
      "\(TerminalText.escapingControls(path)): \(formatName) (decoded by \(decoderName))",
      "  \(input.sampleRate) Hz, \(input.channels) ch, \(frames) frames, \(Text.fixed(input.seconds(frames: frames), 3)) s",
      "  peak \(dB(meter.peakDBFS)), RMS \(dB(meter.rmsDBFS))",
      "  loudness \(meter.loudness.map(LoudnessText.line) ?? "not measured")",
      "  chain:" + (chain.isEmpty ? " nothing to do (already \(output))" : ""),
    ]
    if let truncation { lines.insert("  warning: \(TerminalText.escapingControls(truncation))", at: 2) }
    lines += chain.map { "    " + $0 }
    lines.append("  output: \(output.sampleRate) Hz, \(output.channels) ch, \(outputFrames) frames, \(Text.fixed(output.seconds(frames: outputFrames), 3)) s")
    lines.append("  output levels: \(prediction.loudness.map(LoudnessText.line) ?? "peak \(dB(prediction.output.peakDBFS)); loudness not measured below \(LevelMeter.lowestLoudnessRate) Hz")")
    lines.append("  " + prediction.verdict)
    if let speech {
      lines.append(
        "  speech: \(Text.fixed(speech.speechSeconds, 3)) s of \(Text.fixed(speech.seconds, 3)) s (\(Text.fixed(100 * speech.ratio, 1))%), \(Text.count(speech.regions, "region"))")
    }
    return lines.joined(separator: "\n")
  }

  var json: String {
    "{\"path\":\(JSONText.quoted(path, bytes: .surrogateEscapes)),\"format\":\(JSONText.quoted(formatName)),"
      + "\"decoder\":\(JSONText.quoted(decoderName)),"
      + "\"sample_rate\":\(input.sampleRate),\"channels\":\(input.channels),\"frames\":\(frames),"
      + "\"seconds\":\(input.seconds(frames: frames)),"
      + (truncation.map { "\"truncation\":\(JSONText.quoted($0))," } ?? "")
      + "\"peak_dbfs\":\(JSONText.number(meter.peakDBFS)),"
      + "\"rms_dbfs\":\(JSONText.number(meter.rmsDBFS)),"
      + (meter.loudness.map { LoudnessText.jsonFields($0) + "," } ?? "")
      + "\"chain\":[\(chain.map { JSONText.quoted($0) }.joined(separator: ","))],"
      + "\"webrtc\":{\"runs\":\(noiseSuppression != nil || gainControl),"
      + "\"denoise\":\(JSONText.quoted(noiseSuppression?.rawValue ?? "off")),\"agc\":\(gainControl)},"
      + "\"output\":{\"sample_rate\":\(output.sampleRate),\"channels\":\(output.channels),"
      + "\"frames\":\(outputFrames),\"seconds\":\(output.seconds(frames: outputFrames)),"
      + (prediction.loudness.map { LoudnessText.jsonFields($0) + "," } ?? "") + prediction.json + "}"
      + (prediction.normalization.map { ",\"normalization\":\(LoudnessText.json($0))" } ?? "")
      + (speech.map {
        ",\"speech\":{\"seconds\":\($0.speechSeconds),\"ratio\":\($0.ratio),\"regions\":\($0.regions)}"
      } ?? "") + "}"
  }
}

/// What `info` predicts the configured chain does to a file's levels: the chain's output
/// measured (at ×1 and moved by the gain the first pass would set, when normalising), and
/// whether an integer encoding would clip it.
struct ChainPrediction {
  /// The chain's output as measured (the configured gain, or ×1 when normalising).
  let output: LevelMeter
  let normalization: Normalization.Outcome?

  /// The output's levels as a run would write them.
  var loudness: Loudness? { normalization?.expected ?? output.loudness }
  /// Samples a 16-bit output clips (`SampleQuantizer.clipsAt16Bits`; none when normalising:
  /// the gain keeps every sample under full scale).
  var clippedSamples: Int { normalization == nil ? output.samplesAtFullScale : 0 }
  /// dB between the output's sample peak and full scale; negative when it lacks that much.
  var headroomDB: Double { -(loudness?.samplePeakDBFS ?? output.peakDBFS) }

  var verdict: String {
    guard clippedSamples > 0 else {
      return headroomDB.isFinite ? "no clipping: \(Text.fixed(headroomDB, 2)) dB of headroom" : "no clipping: the output is silent"
    }
    let lacking = max(0, -headroomDB)
    return "clips: \(Text.count(clippedSamples, "sample")) at or beyond full scale (a 16-bit output); the chain lacks \(Text.fixed(lacking, 2)) dB of headroom"
  }

  var json: String {
    "\"clips\":\(clippedSamples > 0),\"clipped_samples\":\(clippedSamples),"
      + "\"headroom_db\":\(JSONText.number(headroomDB)),\"headroom_lacking_db\":\(JSONText.number(max(0, -headroomDB)))"
  }
}
