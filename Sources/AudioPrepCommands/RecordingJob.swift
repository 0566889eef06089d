import DSP

/// One recording through the chain: open, build the sink, run, clean up on failure.
///
/// `process` runs one; `batch` runs many. Every error comes out as a `CommandFailure`, except
/// `JobInterrupted` when `shouldStop` asked the job to give up (its temporary file is removed).
struct RecordingJob {
  let input: String
  let destination: OutputDestination
  let raw: RawInputFormat?
  let configuration: PipelineConfiguration
  /// Which library decodes the input.
  var decoding = DecoderOptions()
  /// Compare the output with this file as it is produced (`process --golden`).
  var golden: GoldenCheck? = nil

  /// A golden file and how close the output must come to it.
  struct GoldenCheck {
    var path: String
    var tolerance: Double
    var snrMinimum: Double?
  }
  /// Polled before each block is read; returning true abandons the job.
  var shouldStop: (@Sendable () -> Bool)? = nil

  /// What a finished job reports, beyond the pipeline's own report.
  struct Outcome {
    var report: PipelineReport
    var nonFiniteSamples: Int
    /// Float input samples beyond ±1024 clamped.
    var outOfRangeSamples: Int
    /// Set when the input ended before the length its header announced.
    var truncation: String?
    var inputFormatName: String
    /// "libsndfile" or "FFmpeg".
    var decoderName: String
    /// Bytes written to standard output; nil for a file (its size tells).
    var bytesWritten: Int64?
    /// The comparison with the golden file, when one was given.
    var verification: AudioVerifier.Result?
    /// The outputs, to take back if a later step of the run fails (`Retractable`).
    var sink: AudioSink
  }

  func run() throws -> Outcome {
    do {
      // Known before any output is opened: no output may replace an input.
      ProtectedFiles.protectInput(input)
      if let golden { ProtectedFiles.protectInput(golden.path) }
      let decoder = try decoding.open(input, raw: raw)
      try Self.checkResamplingRatio(
        inputRate: decoder.format.sampleRate, outputRate: configuration.outputRate, input: input, rawInput: raw != nil)
      let source: AudioSource = shouldStop.map { InterruptibleSource(decoder, shouldStop: $0) } ?? decoder
      var configuration = configuration
      // Segments pad themselves (--pad pads the last segment, not the last chunk before it), so
      // the sidecar's end_seconds is where the source ends.
      if destination.segmentation != nil { configuration.padLastChunk = false }
      let outputFormat = configuration.outputFormat(for: source.format)
      // A container and encoding libsndfile cannot write at this rate and channel count (FLAC
      // f32, 1024 channels in Ogg) is a usage limit: 64, found before any output is opened.
      if !destination.discards,
        let reason = destination.format.unsupportedReason(sampleRate: outputFormat.sampleRate, channels: outputFormat.channels)
      {
        throw CommandFailure(destination.displayPath, reason, code: ExitStatus.usage)
      }
      let expectedFrames = decoder.exactFrames.flatMap {
        configuration.exactOutputFrames(forInputFrames: Int($0), inputRate: decoder.format.sampleRate)
      }
      // A golden file of another rate or channel count is bad data, named as such (65, as
      // `verify` says), found before anything is written.
      let goldenSource = try golden.map { try openAudioSource(path: $0.path) }
      if let golden, let goldenSource, goldenSource.format != outputFormat {
        throw CommandFailure(
          golden.path, "the golden file is \(goldenSource.format), the output \(outputFormat); they cannot be compared",
          code: ExitStatus.dataError)
      }
      let written = try destination.makeSink(for: outputFormat, expectedFrames: expectedFrames)
      var sink = written
      var comparing: ComparingSink?
      if let golden, let goldenSource {
        comparing = try ComparingSink(
          golden: goldenSource, format: outputFormat, tolerance: golden.tolerance,
          encoding: destination.format.encoding, forwardingTo: written)
        sink = comparing!
      }
      let report = try Pipeline.run(source: source, sink: sink, configuration: configuration)
      return Outcome(
        report: report, nonFiniteSamples: report.nonFiniteSamples, outOfRangeSamples: report.outOfRangeSamples,
        truncation: decoder.truncation, inputFormatName: decoder.formatName, decoderName: decoder.decoderName,
        bytesWritten: (written as? StdoutSink)?.bytesWritten, verification: comparing?.result, sink: written)
    } catch let failure as CommandFailure {
      throw failure
    } catch let interrupted as JobInterrupted {
      throw interrupted
    } catch {
      throw CommandFailure(error, inputPath: input)
    }
  }

  /// A rate the resamplers cannot convert (`Resampler.checkRatio`: a WAV claiming 1 Hz or
  /// 10 MHz) makes the input unusable: 65, in every command that reads it (`process`, `batch`,
  /// `info`). A raw `--in-rate` is an option, so the same mismatch is a usage error: 64.
  static func checkResamplingRatio(inputRate: Int, outputRate: Int, input: String, rawInput: Bool) throws {
    do {
      try Resampler.checkRatio(inputRate: inputRate, outputRate: outputRate)
    } catch {
      let origin = rawInput ? "--in-rate gives" : "the header declares"
      throw CommandFailure(
        input,
        "\(origin) \(inputRate) Hz, which cannot be resampled to \(outputRate) Hz (ratio beyond 1/256…256)",
        code: rawInput ? ExitStatus.usage : ExitStatus.dataError)
    }
  }
}

/// A job abandoned because the command was asked to stop (SIGINT, SIGTERM, `--fail-fast`).
struct JobInterrupted: Error {}

/// Passes a source through, but throws `JobInterrupted` before a read once `shouldStop` says so.
///
/// The pipeline then cancels its buffer and aborts the sink, which removes the temporary file.
final class InterruptibleSource: AudioSource {
  private let source: AudioSource
  private let shouldStop: @Sendable () -> Bool

  init(_ source: AudioSource, shouldStop: @escaping @Sendable () -> Bool) {
    self.source = source
    self.shouldStop = shouldStop
  }

  var format: StreamFormat { source.format }
  var isStream: Bool { source.isStream }
  var deliversFloats: Bool { source.deliversFloats }

  func read(into chunk: inout AudioChunk, maxFrames: Int) throws -> Int {
    if shouldStop() { throw JobInterrupted() }
    return try source.read(into: &chunk, maxFrames: maxFrames)
  }
}
