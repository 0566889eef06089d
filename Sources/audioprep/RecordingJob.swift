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
    /// Float input samples beyond ±1024 clamped.
    var outOfRangeSamples: Int
    /// Set when the input ended before the length its header announced.
    var truncation: String?
    var inputFormatName: String
  }

  func run() throws -> Outcome {
    do {
      let source = try SndFileSource(path: input, raw: raw)
      try checkResamplingRatio(source.format.sampleRate)
      var chain = configuration.makeChain(for: source.format)
      let outputFormat = try chain.prepare(source.format)
      let (sink, guardedPath) = try SignalDispositions.holdingTermination {
        let sink = try destination.makeSink(for: outputFormat)
        let guardedPath = (sink as? FileSink)?.temporaryPath
        if let guardedPath { TemporaryFileGuard.protect(guardedPath) }
        return (sink, guardedPath)
      }
      defer { if guardedPath != nil { TemporaryFileGuard.release() } }
      let report = try Pipeline.run(source: source, sink: sink, configuration: configuration)
      return Outcome(
        report: report, nonFiniteSamples: source.nonFiniteSamples, outOfRangeSamples: source.outOfRangeSamples,
        truncation: source.truncation, inputFormatName: source.formatName)
    } catch let failure as CommandFailure {
      throw failure
    } catch {
      throw CommandFailure(error, inputPath: input)
    }
  }

  /// libsamplerate converts within 1/256…256 (SRC_MAX_RATIO). A header rate outside that
  /// (a WAV claiming 1 Hz or 10 MHz) makes the input unusable: 65. A raw `--in-rate` is an
  /// option, so the same mismatch is a usage error: 64.
  private func checkResamplingRatio(_ inputRate: Int) throws {
    let ratio = Double(configuration.outputRate) / Double(inputRate)
    guard ratio < 1.0 / 256 || ratio > 256 else { return }
    let origin = raw == nil ? "the header declares" : "--in-rate gives"
    throw CommandFailure(
      input,
      "\(origin) \(inputRate) Hz, which cannot be resampled to \(configuration.outputRate) Hz (ratio beyond 1/256…256)",
      code: raw == nil ? ExitStatus.dataError : ExitStatus.usage)
  }
}
