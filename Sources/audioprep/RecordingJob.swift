import DSP

/// One recording through the chain: open, build the sink, run, clean up on failure.
///
/// `process` runs one; `batch` runs many. Every error comes out as a `CommandFailure`.
struct RecordingJob {
  let input: String
  let destination: OutputDestination
  let raw: RawInputFormat?
  let configuration: PipelineConfiguration

  /// What a finished job reports, beyond the pipeline's own report.
  struct Outcome {
    var report: PipelineReport
    var nonFiniteSamples: Int
    var inputFormatName: String
    /// Bytes written to standard output; nil for a file (its size tells).
    var bytesWritten: Int64?
  }

  func run() throws -> Outcome {
    do {
      let source = try SndFileSource(path: input, raw: raw)
      let sink = try destination.makeSink(for: configuration.outputFormat(for: source.format))
      let guardedPath = (sink as? FileSink)?.temporaryPath
      if let guardedPath { TemporaryFileGuard.protect(guardedPath) }
      defer { if guardedPath != nil { TemporaryFileGuard.release() } }
      let report = try Pipeline.run(source: source, sink: sink, configuration: configuration)
      return Outcome(
        report: report, nonFiniteSamples: source.nonFiniteSamples, inputFormatName: source.formatName,
        bytesWritten: (sink as? StdoutSink)?.bytesWritten)
    } catch let failure as CommandFailure {
      throw failure
    } catch {
      throw CommandFailure(error, inputPath: input)
    }
  }
}
