import ArgumentParser
import DSP

/// A run as the C interface (`Sources/AudioPrepC`) asks for one: an input and the command
/// line's own options for the chain and the decoder (`PipelineOptions`, `DecoderOptions`),
/// parsed and validated by the same code as `audioprep process`, so an option's name, its
/// units and every refusal read as they do there. Output options (`-o`, `--encoding`,
/// `--segment`) are not among them: the samples go back to the caller.
package struct LibraryRequest: ParsableArguments {
  package init() {}

  @OptionGroup var pipeline: PipelineOptions
  @OptionGroup var decoding: DecoderOptions

  /// Parses `options` ("--highpass", "100", "--keep-channels", …) for a run of `input` (a
  /// path, or "(memory)"); a usage error is a `CommandFailure` (64) whose line is the one
  /// `audioprep process INPUT OPTIONS…` prints.
  package static func parsing(_ options: [String], input: String) throws -> LibraryRequest {
    do {
      return try parse(options)
    } catch {
      throw CommandFailure(
        input, AudioPrep.errorLines(message: message(for: error), arguments: ["process", input] + options).joined(separator: "\n"),
        code: ExitStatus.usage, wholeLine: true)
    }
  }

  /// The library configuration the options give, as `process` builds it for a file.
  package var configuration: PipelineConfiguration { pipeline.configuration }

  /// Runs `input` through the chain into `output`; every error is a `CommandFailure` with the
  /// exit code and line of the command line.
  package func run(_ input: AudioPipeline.Input, to output: AudioPipeline.Output) throws -> RunResult {
    do {
      return try AudioPipeline(configuration: configuration).run(input, to: output)
    } catch {
      throw Self.failure(error, input: input.path)
    }
  }

  /// The file at `path` as these options read it; a directory is refused (66) as `process`
  /// refuses it (`ProcessCommand.checkInput`).
  package func input(_ path: String) throws -> AudioPipeline.Input {
    try ProcessCommand.checkInput(path)
    return AudioPipeline.Input(path, decoder: decoding.decoder, audioStream: decoding.audioStream)
  }

  /// Classifies any error (a pulled stream's) as the command line does.
  package static func failure(_ error: Error, input: String) -> CommandFailure {
    error as? CommandFailure ?? CommandFailure(error, inputPath: input)
  }

  /// `audioprep info FILE --json OPTIONS…`'s line for `file` (`InfoCommand.json`).
  package static func infoJSON(file: String, options: [String]) throws -> String {
    try InfoCommand.json(file: file, options: options)
  }

  /// `audioprep --version`'s line.
  package static var version: String { AudioPrepVersion.text }
}
