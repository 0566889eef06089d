import DSP

/// One recording through the chain: open, build the sink, run, clean up on failure.
///
/// `process` runs one; `batch` runs many. Every error comes out as a `CommandFailure`.
struct RecordingJob {
  let input: String
  let destination: OutputDestination
  let raw: RawInputFormat?
  let configuration: PipelineConfiguration
  /// Compare the output with this file as it is produced (`process --golden`).
  var golden: GoldenCheck? = nil

  /// A golden file and how close the output must come to it.
  struct GoldenCheck {
    var path: String
    var tolerance: Double
    var snrMinimum: Double?
  }

  /// What a finished job reports, beyond the pipeline's own report.
  struct Outcome {
    var report: PipelineReport
    var nonFiniteSamples: Int
    var inputFormatName: String
    /// Bytes written to standard output; nil for a file (its size tells).
    var bytesWritten: Int64?
    /// The comparison with the golden file, when one was given.
    var verification: AudioVerifier.Result?
  }

  func run() throws -> Outcome {
    do {
      let source = try SndFileSource(path: input, raw: raw)
      let outputFormat = configuration.outputFormat(for: source.format)
      let written = try destination.makeSink(for: outputFormat)
      var sink = written
      var comparing: ComparingSink?
      if let golden {
        comparing = try ComparingSink(
          golden: try SndFileSource(path: golden.path), format: outputFormat, tolerance: golden.tolerance,
          encoding: destination.format.encoding, forwardingTo: written)
        sink = comparing!
      }
      let guardedPath = (written as? FileSink)?.temporaryPath
      if let guardedPath { TemporaryFileGuard.protect(guardedPath) }
      defer { if guardedPath != nil { TemporaryFileGuard.release() } }
      let report = try Pipeline.run(source: source, sink: sink, configuration: configuration)
      return Outcome(
        report: report, nonFiniteSamples: source.nonFiniteSamples, inputFormatName: source.formatName,
        bytesWritten: (written as? StdoutSink)?.bytesWritten, verification: comparing?.result)
    } catch let failure as CommandFailure {
      throw failure
    } catch {
      throw CommandFailure(error, inputPath: input)
    }
  }
}
