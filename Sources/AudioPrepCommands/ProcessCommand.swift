import ArgumentParser
import DSP
import Glibc

/// `audioprep [process] INPUT [-o OUTPUT] [options]`: one recording through the chain.
struct ProcessCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "process",
    abstract: "Process one recording (file or - for standard input).",
    discussion: """
      EXAMPLES
        audioprep talk.flac                      # writes talk.16k.wav beside it
        audioprep talk.mp3 -o talk-nogain.wav --gain 1
        arecord -f S16_LE -r 48000 -c 1 -t raw |
          audioprep - --in-rate 48k --in-channels 1 --in-encoding s16 --live -o - |
          recognizer
        audioprep talk.wav -o - --format wav | whisper-cli -f -

      \(ExitStatus.helpText)
      """)

  @Argument(help: ArgumentHelp("Input file, or - for standard input.", valueName: "input"), completion: .file())
  var input: String

  @OptionGroup(title: "Output") var destination: OutputPathOption
  @OptionGroup(title: "Output") var output: OutputOptions
  @OptionGroup var pipeline: PipelineOptions
  @OptionGroup(title: "Raw input") var raw: RawInputOptions
  @OptionGroup(title: "Decoding") var decoding: DecoderOptions

  @Flag(name: .shortAndLong, help: "Print no warnings (clipping, dropped chunks).")
  var quiet = false

  @Flag(help: "Print per-stage timing, buffer use and bytes on standard error after the run.")
  var stats = false

  @Option(name: .customLong("stats-json"), help: ArgumentHelp("Write the same statistics as JSON to this file.", valueName: "path"), completion: .file())
  var statsJSON: String?

  @Option(help: ArgumentHelp("Compare the output with this file as it is produced (exit 1 if outside tolerance); nothing is written unless -o is given.", valueName: "golden"), completion: .file())
  var golden: String?

  @OptionGroup(title: "With --golden") var comparison: ComparisonOptions

  @Flag(help: "Print a one-line summary on standard error after the run (it includes the clip and drop counts).")
  var summary = false

  func validate() throws {
    try EmptyPath.refuse([("--stats-json", statsJSON), ("--golden", golden)])
    try output.validate(with: pipeline)
    // process's own: batch refuses --segments-list whatever else is given (it writes each
    // input's sidecar itself), so the two messages never send a user round in a circle.
    if destination.segmentsList != nil && !output.segments {
      throw ValidationError("--segments-list needs --segment or --utterances")
    }
    if let contradiction = OutputChecks.formatContradiction(output: destination.output, format: output.format) {
      throw ValidationError(contradiction)
    }
    if golden == nil && comparison.anyGiven {
      throw ValidationError("--\(comparison.snrMinimum != nil ? "snr-min" : "tolerance") compares with --golden FILE; give --golden, or use 'audioprep verify'")
    }
  }

  func run() throws {
    do {
      try process()
    } catch let failure as CommandFailure {
      if failure.code != ExitStatus.ok { printError("audioprep: \(failure.path): \(failure.message)") }
      throw ExitCode(failure.code)
    }
  }

  private func process() throws {
    try Self.checkInput(input)
    try BlockingInputs.checkStandardInput(input)
    if let golden, let refusal = BlockingInputs.specialFileRefusal(golden) { throw refusal }
    if input == "-", pipeline.chain.normalization != nil {
      throw CommandFailure(
        input, "--\(pipeline.chain.loudness != nil ? "loudness" : "peak") sets the gain from a first pass over the input, so it needs a file, not standard input",
        code: ExitStatus.usage)
    }
    if output.trimSilence && output.segments && OutputDestination.isStream(input) {
      throw CommandFailure(
        input, "--trim-silence with --segment finds the speech in a first pass over the input, so it needs a file, not a stream",
        code: ExitStatus.usage)
    }
    var destination =
      golden != nil && destination.output == nil
      ? OutputDestination.nowhere(encoding: output.encoding)
      : try OutputDestination(
        input: input, output: destination.output, segmentsList: destination.segmentsList, options: output, rate: pipeline.rate, pad: pipeline.pad)
    if let refusal = OutputChecks.terminalRefusal(
      writesStandardOutput: destination.path == nil && !destination.discards, force: output.force,
      standardOutputIsTerminal: Descriptor.isTerminal(STDOUT_FILENO))
    {
      throw CommandFailure("-", refusal, code: ExitStatus.usage)
    }
    TemporaryFiles.install(.exitAtOnce)
    var outputs: [DistinctOutputs.Name] = []
    if let segmentation = destination.segmentation {
      outputs += [.segments(segmentation.pattern), .file(segmentation.listPath)]
    } else if !destination.discards {
      outputs.append(.file(destination.path ?? "-"))
    }
    if let statsJSON { outputs.append(.file(statsJSON)) }
    let request = AudioPipeline.Input(
      input, raw: try isRawInput ? raw.rawFormat(for: input) : nil, decoder: decoding.decoder,
      audioStream: decoding.audioStream)
    // Known before any output is checked or opened: no output may be an input.
    request.protect()
    if let golden { ProtectedFiles.protectInput(golden) }
    try DistinctOutputs.check(outputs)
    // Every output is opened before any is written: a --stats-json that cannot be created fails
    // the run before the audio exists.
    let statsOutput = try statsJSON.map { try openTextOutput($0, overwrite: output.force) }
    if !quiet, let warning = pipeline.stream.liveWarning(input: input) { printError(warning) }
    if !quiet { printError(lines: pipeline.chain.shape.warnings + output.warnings) }
    var configuration = pipeline.configuration
    configuration.collectsStatistics = stats || statsJSON != nil
    let list = destination.segmentList(sampleRate: configuration.outputRate)
    let result: RunResult
    do {
      (destination.range, destination.trimsSilence) = try output.selection(of: request, configuration: configuration)
      result = try SegmentList.committing(list) {
        try AudioPipeline(configuration: configuration).run(
          request, to: destination.runOutput(list: list),
          golden: golden.map { AudioPipeline.GoldenCheck(path: $0, tolerance: comparison.tolerance) }, provisional: true)
      }
    } catch {
      throw raw.explaining(CommandFailure(error, inputPath: input), input: input)
    }
    // Then the statistics: a run whose last output fails takes back every output, and an
    // earlier file each replaced comes back (`CommittedOutputs`).
    let committed = result.output.outputs

    if !quiet {
      // A file's name; segments (a pattern such as out_%04d.wav) are named by their input.
      printError(
        lines: RunWarnings.lines(
          result, input: input, output: destination.segmentation == nil ? destination.displayPath : input,
          rawInput: isRawInput, range: destination.range, countsClipsAndDrops: !summary))
    }
    if !quiet, let list, let warning = list.earlier?.warning(list: list.path) { printError(warning) }
    if let list, list.hardCuts > 0, !quiet {
      printError(
        "audioprep: \(input): \(Text.count(list.hardCuts, "segment")) cut at the length limit, with no pause to cut at (\"hard_cut\" in \(list.path))")
    }
    if summary { printError(Self.summaryLine(result.report, input: input, output: destination.displayPath)) }
    if let statistics = result.report.statistics {
      let statsReport = StatsReport(
        input: input, output: destination.displayPath, report: result.report, statistics: statistics,
        bufferCapacity: configuration.bufferChunks, bytesIn: StatsReport.fileSize(input),
        bytesOut: result.output.bytesWritten ?? list?.segmentBytes ?? wholeOutputBytes(committed, destination: destination))
      if stats { printError(lines: statsReport.tableLines) }
      if let statsOutput {
        do {
          try writeText(statsReport.json + "\n", to: statsOutput, into: committed)
        } catch {
          committed.retract()  // a failed run leaves what was there before it
          throw error
        }
      }
    }
    committed.removeTemporariesDeadRunsLeft()
    do {
      try committed.settle()
    } catch {
      // One line naming the file that could not move into place (review43 H04b: "Error: …", 1).
      throw CommandFailure(error, inputPath: input)
    }
    if !quiet, let list, let warning = list.notWrittenWarning() { printError(warning) }
    if let verification = result.verification, let golden {
      let passed = reportVerification(verification, golden: golden, destination: destination, snrMinimum: comparison.snrMinimum)
      if !passed { throw ExitCode(1) }
    }
  }

  /// Refuses (66) an input that is a directory, with the advice to run `audioprep batch` on
  /// it, and a Kaldi table named as audio (a missing file named like a command is a usage error
  /// before parsing: `UsageHint.commandTypo`).
  static func checkInput(_ input: String) throws {
    guard input != "-" else { return }
    try LibraryRequest.checkInput(input, advice: "; for a whole directory use 'audioprep batch \(input) --out-dir OUT'")
  }

  /// Prints the comparison (stdout, or stderr when stdout carries audio); returns whether it passed.
  private func reportVerification(
    _ result: AudioVerifier.Result, golden: String, destination: OutputDestination, snrMinimum: Double?
  ) -> Bool {
    let report = VerificationReport(candidate: input, golden: golden, result: result, snrMinimum: snrMinimum)
    if destination.path == nil && !destination.discards { printError(lines: report.lines) } else { print(report.text) }
    return report.passed
  }

  /// The size of the whole output this run wrote: the file waiting to move into place until
  /// the run settles, or the path itself (a device); nil for standard output. (Segments: the
  /// sum of theirs, `SegmentList.segmentBytes`; review49 W04: it was null.)
  private func wholeOutputBytes(_ committed: CommittedOutputs, destination: OutputDestination) -> Int64? {
    guard destination.segmentation == nil, let path = destination.path else { return nil }
    return StatsReport.fileSize(committed.committedBytesPaths.first ?? path)
  }

  private var isRawInput: Bool {
    raw.isRaw(input)
  }

  /// input duration/rate/channels → output duration, clipped samples, wall time, × real time.
  static func summaryLine(_ report: PipelineReport, input: String, output: String) -> String {
    let speed = report.wallSeconds > 0 ? report.inputSeconds / report.wallSeconds : 0
    let dropped = report.droppedChunks > 0 ? "; \(Text.count(report.droppedChunks, "chunk")) dropped" : ""
    let (inFormat, outFormat) = (report.inputFormat, report.outputFormat)
    return "audioprep: \(input): \(Text.fixed(report.inputSeconds, 3)) s, \(inFormat.sampleRate) Hz, "
      + "\(inFormat.channels) ch -> \(output): \(Text.fixed(report.outputSeconds, 3)) s, "
      + "\(outFormat.sampleRate) Hz, \(outFormat.channels) ch; \(Text.count(report.clippedSamples, "sample")) clipped\(dropped); "
      + "\(Text.fixed(report.wallSeconds, 3)) s wall, \(Text.fixed(speed, 0))x real time"
  }
}
