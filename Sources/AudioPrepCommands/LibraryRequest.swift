import ArgumentParser
import DSP

/// A run as the C interface (`Sources/AudioPrepC`) asks for one: an input and the command
/// line's own options for the chain, the part written, raw input and the decoder
/// (`PipelineOptions`, `OutputOptions`, `RawInputOptions`, `DecoderOptions`), parsed and
/// validated by the same code as `audioprep process`, so an option's name, its units and every
/// refusal read as they do there. The options about writing files (`-o`, `--encoding`,
/// `--segment`, …) and about the command line's own reports (`--stats`, `--quiet`, `--help`,
/// …) are refused by name (`notForTheLibrary`): the samples and the warnings go back to the
/// caller.
package struct LibraryRequest: ParsableArguments {
  package init() {}

  @OptionGroup var pipeline: PipelineOptions
  @OptionGroup var output: OutputOptions
  @OptionGroup var raw: RawInputOptions
  @OptionGroup var decoding: DecoderOptions

  package mutating func validate() throws {
    try output.validate(with: pipeline)
  }

  /// The command line's options the library does not take, each with the reason.
  static let notForTheLibrary: [(names: [String], reason: String)] = [
    (["-o", "--output"], "the library returns the samples; it writes no file"),
    (["--format", "--encoding", "--dither", "--force"],
     "chooses how a file is written; the library returns float32 samples (those of --encoding f32)"),
    (["--segment", "--segment-overlap", "--utterances", "--at-pauses", "--segments-list"],
     "cuts the output into files; the library returns one stream (choose a part with --start/--end/--duration)"),
    (["--quiet", "-q"], "the library hands every warning to its caller (Python: warnings.warn, which filters them)"),
    (["--stats", "--stats-json", "--summary", "--golden", "--tolerance", "--snr-min"], "is a report of the command line's"),
    (["--help", "-h", "--help-hidden", "--version"],
     "is the command line's; the library takes the options of 'audioprep process --help' (docs/python.md)"),
  ]

  /// Parses `options` ("--highpass", "100", "--keep-channels", …) for a run of `input` (a
  /// path, or `AudioPipeline.Input.samplesName`); a usage error is a `CommandFailure` (64) whose line is the one
  /// `audioprep process INPUT OPTIONS…` prints, or names an option the library does not take.
  package static func parsing(_ options: [String], input: String) throws -> LibraryRequest {
    try refuseOptionsNotForTheLibrary(options)
    do {
      return try parse(options)
    } catch {
      throw CommandFailure(
        input, AudioPrep.errorLines(message: message(for: error), arguments: ["process", input] + options).joined(separator: "\n"),
        code: ExitStatus.usage, wholeLine: true)
    }
  }

  /// Refuses (64), by name, the first of `options` the library does not take
  /// (`notForTheLibrary`), for `process`'s options and `info`'s alike.
  static func refuseOptionsNotForTheLibrary(_ options: [String]) throws {
    for option in options where option.hasPrefix("-") {
      let name = String(option.prefix(while: { $0 != "=" }))
      if let refused = notForTheLibrary.first(where: { $0.names.contains(name) }) {
        throw CommandFailure(name, "not for the library: \(name) \(refused.reason)", code: ExitStatus.usage)
      }
    }
  }

  /// The part of the input asked for (`--start/--end/--duration`); nil: all of it.
  package var range: TimeRange? { output.range }

  /// The library configuration the options give, as `process` builds it for a file.
  package var configuration: PipelineConfiguration { pipeline.configuration }

  /// The file at `path` as these options read it: raw samples with the `--in-*` options (or a
  /// `.raw`/`.pcm` name, which needs them), a directory refused (66) as `process` refuses it
  /// (`ProcessCommand.checkInput`). "-" is refused: a library reads no standard input it was not
  /// handed (a caller passes its data, or a path such as /dev/stdin when it means it).
  package func input(_ path: String) throws -> AudioPipeline.Input {
    try Self.checkPath(path)
    try Self.checkInput(path)
    let rawFormat: RawInputFormat? = try raw.isRaw(path) ? raw.rawFormat(for: path) : nil
    return AudioPipeline.Input(path, raw: rawFormat, decoder: decoding.decoder, audioStream: decoding.audioStream)
  }

  /// Interleaved samples at `sampleRate` as the input; the `--in-*` options, which describe a
  /// headerless file, are refused.
  package func input(samples: [Float], sampleRate: Int, channels: Int) throws -> AudioPipeline.Input {
    if raw.anyGiven {
      throw CommandFailure(
        AudioPipeline.Input.samplesName, "--in-rate, --in-channels and --in-encoding describe a headerless file; samples come with their rate",
        code: ExitStatus.usage)
    }
    return AudioPipeline.Input.samples(samples, format: StreamFormat(sampleRate: sampleRate, channels: channels))
  }

  /// Refuses (66) a directory, with `advice` after the line every reader of a file gives
  /// (`directoryInput`; `process` adds its advice to run `audioprep batch`, a library none), and
  /// a Kaldi table named as audio (a missing file named like a command is a missing file).
  static func checkInput(_ path: String, advice: String = "") throws {
    if Descriptor.status(path)?.isDirectory == true {
      throw CommandFailure(path, directoryInput + advice, code: ExitStatus.noInput)
    }
    if let table = KaldiTable.inputRefusal(path) { throw table }
  }

  /// Refuses "-" (64), which the command line reads as standard input, and an empty path, as
  /// the command line refuses it.
  static func checkPath(_ path: String) throws {
    if path.isEmpty {
      throw CommandFailure(path, "audioprep: an input needs a path; it was given an empty one ('')", code: ExitStatus.usage, wholeLine: true)
    }
    if path == "-" {
      throw CommandFailure(
        path, "the library reads no standard input: give a path ('./-' for a file named -, /dev/stdin for standard input; from Python, sys.stdin.buffer)",
        code: ExitStatus.usage)
    }
  }

  /// Runs `input` through the chain into memory (only the part `--start/--end/--duration` or
  /// `--trim-silence` select); every error is a `CommandFailure` with the exit code and line of
  /// the command line, every warning a line in `warnings`.
  package func run(_ input: AudioPipeline.Input) throws -> (result: RunResult, warnings: [String]) {
    do {
      var output = AudioPipeline.Output(.memory)
      (output.range, output.trimsSilence) = try self.output.selection(of: input, configuration: configuration)
      let result = try AudioPipeline(configuration: configuration).run(input, to: output)
      return (result, optionWarnings(input: input.path) + runWarnings(result, input: input, range: output.range))
    } catch {
      throw Self.failure(error, input: input.path)
    }
  }

  /// `input`'s processed stream, pulled chunk by chunk (`AudioPipeline.pull`), of the part the
  /// options select; a first pass for `--trim-silence` on a file runs here.
  package func pull(_ input: AudioPipeline.Input) throws -> PulledChunks {
    do {
      let (range, trimsSilence) = try output.selection(of: input, configuration: configuration)
      return AudioPipeline(configuration: configuration).pull(input, range: range, trimsSilence: trimsSilence)
    } catch {
      throw Self.failure(error, input: input.path)
    }
  }

  /// The warnings the options earn before the input is read: `--live` with a regular file,
  /// speech durations of 10 or more as bare numbers (seconds).
  package func optionWarnings(input: String) -> [String] {
    (pipeline.stream.liveWarning(input: input).map { [$0] } ?? []) + output.warnings
  }

  /// The warnings of a finished run of `input` (`RunWarnings`), as `process` prints them; the
  /// clip and drop counts, which `process` says of its output, are said of the input (the
  /// samples in memory have no name of their own).
  package func runWarnings(_ result: RunResult, input: AudioPipeline.Input, range: TimeRange?) -> [String] {
    RunWarnings.lines(result, input: input.path, output: input.path, rawInput: input.raw != nil, range: range)
  }

  /// Classifies any error (a pulled stream's) as the command line does.
  package static func failure(_ error: Error, input: String) -> CommandFailure {
    error as? CommandFailure ?? CommandFailure(error, inputPath: input)
  }

  /// `audioprep info FILE --json OPTIONS…`'s line for `file` (`InfoCommand.json`); a FIFO or
  /// device is read as it comes, as `run` reads it (the command line refuses to describe one
  /// by name, and reads standard input instead, which the library has not).
  package static func infoJSON(file: String, options: [String]) throws -> String {
    try checkPath(file)
    try refuseOptionsNotForTheLibrary(options)
    return try InfoCommand.json(file: file, options: options)
  }

  /// `audioprep --version`'s line.
  package static var version: String { AudioPrepVersion.text }
}
