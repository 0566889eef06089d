extension AudioPipeline {
  /// Runs `input` through the chain into `output`: the one way a recording is processed, by the
  /// library and by the command line alike.
  ///
  /// Calling sequence: the input (and the golden file) are protected from every output file; the
  /// source is opened; the resampling ratio and the output's format are checked once, before any
  /// output is opened; the output's length is computed when the input's is known (exact WAV sizes
  /// on standard output, RF64 only when needed); the one sink factory (`Output.makeSink`) builds
  /// the sink; the chain runs. On failure every output is removed and an earlier file each
  /// would have replaced is left as it was.
  ///
  /// - Parameters:
  ///   - golden: compare the output with this file as it is produced (`result.verification`).
  ///   - provisional: leave the files moved into place unsettled (`result.output.outputs`), for a
  ///     caller with more to do (a statistics file, a sidecar) that then settles or retracts
  ///     them; otherwise the run settles them.
  ///   - shouldStop: polled before each block is read; true abandons the run (`RunInterrupted`).
  /// - Throws: `DSPError.invalidParameter` (a parameter the input cannot satisfy, or a raw rate
  ///   beyond the resamplers' range), `DSPError.unsupportedInput` (a header rate beyond it),
  ///   `AudioIOError` (`.unsupportedOutput` for a format the output cannot hold, and every
  ///   decoding and writing failure), `RunInterrupted`.
  public func run(
    _ input: Input, to output: Output, golden: GoldenCheck? = nil, provisional: Bool = false,
    shouldStop: (@Sendable () -> Bool)? = nil
  ) throws -> RunResult {
    // Protection is against this run's outputs: a run into memory (a library caller's load)
    // writes none, and adds nothing to the process-wide set.
    if output.writes {
      input.protect()
      if let golden { ProtectedFiles.protectInput(golden.path) }
    }
    let decoder = try input.open()
    try Self.checkRatio(inputRate: decoder.format.sampleRate, outputRate: configuration.outputRate, origin: input.rateOrigin)
    var source: AudioSource = shouldStop.map { InterruptibleSource(decoder, shouldStop: $0) } ?? decoder
    var configuration = configuration
    // Segments pad themselves (the last segment, not the last chunk before it), so a segment's
    // end is where the source ends.
    if case .segments = output.destination { configuration.padLastChunk = false }
    let stream = configuration.outputFormat(for: source.format)
    if output.writes, let reason = output.format.unsupportedReason(sampleRate: stream.sampleRate, channels: stream.channels) {
      throw AudioIOError(.unsupportedOutput, path: output.displayPath, reason)
    }
    let range = output.range?.frames(at: stream.sampleRate)
    // A range's end ends the reading (an endless standard input with `--duration`).
    if let end = range?.upperBound, end < Int.max { source = RangeEndSource(source, outputEnd: end, outputRate: stream.sampleRate) }
    // A normalised run: the first pass sets the gain, before any output is opened.
    var normalization: Normalization.Outcome?
    if let target = configuration.normalization {
      normalization = try Self.firstPass(
        input, decoder: decoder, configuration: configuration, span: output.range, shouldStop: shouldStop)
        .map { target.outcome(measured: $0) }
      configuration.gain = normalization?.linearGain ?? 1
      configuration.normalization = nil
    }
    // A stream trimmed as it goes has a length known only at its end.
    let expectedFrames = output.trimsSilence != nil ? nil : decoder.exactFrames.flatMap {
      configuration.exactOutputFrames(forInputFrames: Int($0), inputRate: decoder.format.sampleRate)
    }.map { total in range.map { min(max(total, $0.lowerBound), $0.upperBound) - $0.lowerBound } ?? total }
    // A golden file of another rate or channel count is bad data, found before anything is written.
    let goldenSource = try golden.map { try openAudioSource(path: $0.path) }
    if let golden, let goldenSource, goldenSource.format != stream {
      throw AudioIOError(
        .invalidInput, path: golden.path,
        "the golden file is \(goldenSource.format), the output \(stream); they cannot be compared")
    }
    let whole = try output.inSourceTimeline(from: range?.lowerBound ?? 0).makeSink(for: stream, expectedFrames: expectedFrames)
    let trimSink = try output.trimsSilence.map { try SpeechTrimSink($0, stream: stream, forwardingTo: whole) }
    let trimmed: AudioSink = trimSink ?? whole
    let written: AudioSink = range.map { RangeSink(frames: $0, forwardingTo: trimmed) } ?? trimmed
    var comparing: ComparingSink?
    if let golden, let goldenSource {
      comparing = try ComparingSink(
        golden: goldenSource, format: stream, tolerance: golden.tolerance, encoding: output.format.encoding,
        forwardingTo: written)
    }
    var (report, summary) = try Pipeline.execute(
      source: source, sink: comparing ?? written, configuration: configuration, measuredSpan: output.range)
    report.normalization = normalization
    // What was written: a range's frames, or a trimmed stream's, not the whole stream's.
    if let range {
      report.outputFrames = Int64(min(max(Int(report.outputFrames), range.lowerBound), range.upperBound) - range.lowerBound)
    }
    if let trimSink { report.outputFrames = Int64(trimSink.passedFrames) }
    if !provisional { try summary.outputs.settle() }
    return RunResult(
      report: report,
      input: InputSummary(decoderName: decoder.decoderName, formatName: decoder.formatName, truncation: decoder.truncation,
        leadingBytes: decoder.leadingBytes),
      output: summary, verification: comparing?.result, samples: summary.samples)
  }

  /// The chain's output at ×1 over `span` (the range the run writes; nil: all of it), measured
  /// over a second reading of `input`: what a normalised run sets its gain from. Only a file can
  /// be read twice (`decoder` is the first reading, kept for the run); live mode may drop
  /// chunks, so what it writes cannot be measured before.
  private static func firstPass(
    _ input: Input, decoder: any DecodingSource, configuration: PipelineConfiguration, span: TimeRange?,
    shouldStop: (@Sendable () -> Bool)?
  ) throws -> Loudness? {
    guard !decoder.isStream, input.path != "-" else {
      throw DSPError.invalidParameter("normalising reads the input twice, so it needs a file, not a stream")
    }
    guard configuration.bufferPolicy == .block else {
      throw DSPError.invalidParameter("normalising needs every chunk of the output: not in live mode")
    }
    let reading = try input.open()
    let source: AudioSource = shouldStop.map { InterruptibleSource(reading, shouldStop: $0) } ?? reading
    var unity = configuration
    unity.gain = 1
    unity.normalization = nil
    let chain = unity.makeChain(for: source.format, timing: .file, repairsFloats: source.deliversFloats)
    guard let loudness = try LevelMeter.measure(source, through: chain, input: .none, over: span).output.loudness else {
      throw DSPError.invalidParameter("normalising measures the output's loudness, defined from \(LevelMeter.lowestLoudnessRate) Hz (BS.1770)")
    }
    return loudness
  }

  /// Where an input's rate comes from: what it costs when the resamplers cannot convert it.
  public enum RateOrigin: Sendable {
    /// A file's header: a rate no resampler converts makes the input unusable (bad data).
    case header
    /// `--in-rate` for headerless input: the caller's value (a usage error).
    case rawOption
    /// The rate a caller gave with samples in memory (`Input.samples`): the caller's too.
    case samples
  }

  /// A rate the resamplers cannot convert (a WAV claiming 1 Hz or 10 MHz) makes the input
  /// unusable (`DSPError.unsupportedInput`); a rate the caller gave (`--in-rate`, the rate of
  /// samples in memory) is the caller's mistake (`DSPError.invalidParameter`), and so is an
  /// output rate a usable header's rate cannot reach (1000 Hz to `--rate 768000`: review37b V3).
  public static func checkRatio(inputRate: Int, outputRate: Int, origin: RateOrigin) throws {
    do {
      _ = try ResamplingRatio(checking: inputRate, to: outputRate)
    } catch {
      let stated =
        switch origin {
        case .header: "the header declares \(inputRate) Hz"
        case .rawOption: "--in-rate gives \(inputRate) Hz"
        case .samples: "the samples' rate is \(inputRate) Hz"
        }
      let message = "\(stated), which cannot be resampled to \(outputRate) Hz (ratio beyond 1/256…256)"
      // A header's rate the default output takes is a usable input: the rate asked for is at fault.
      let usable = (try? ResamplingRatio(checking: inputRate, to: PipelineConfiguration().outputRate)) != nil
      throw origin == .header && !usable ? DSPError.unsupportedInput(message) : DSPError.invalidParameter(message)
    }
  }
}

/// A run abandoned because its caller asked it to stop (`shouldStop`: SIGINT, SIGTERM,
/// `--fail-fast`); its outputs are removed.
public struct RunInterrupted: Error {}

/// Passes a source through, but throws `RunInterrupted` before a read once `shouldStop` says so.
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
    if shouldStop() { throw RunInterrupted() }
    return try source.read(into: &chunk, maxFrames: maxFrames)
  }
}
