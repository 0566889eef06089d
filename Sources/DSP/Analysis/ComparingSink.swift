/// A sink that compares what it is given with a golden source as the stream passes, and
/// optionally forwards every chunk to another sink (`process --golden`).
///
/// Samples are compared as they would be stored with `encoding`: an s16 output is quantized to
/// 16 bits (and back) first, so a candidate matches the golden file it would have written.
public final class ComparingSink: AudioSink {
  private let golden: AudioSource
  private let forward: AudioSink?
  private let encoding: SampleEncoding
  private var comparison: AudioComparison
  private var encoder: SampleEncoder
  private var goldenBlock: AudioChunk
  private var goldenPending: [Float] = []
  private var candidatePending: [Float] = []
  private var goldenEnded = false
  private var candidateFrames = 0
  private var goldenFrames = 0
  /// Set by `finish`.
  public private(set) var result: AudioVerifier.Result?


  /// `format` is the stream's; the golden source must have the same rate and channels.
  public init(
    golden: AudioSource, format: StreamFormat, tolerance: Double, encoding: SampleEncoding,
    forwardingTo forward: AudioSink? = nil
  ) throws {
    guard golden.format == format else {
      throw DSPError.unsupportedInput("formats differ: output \(format), golden \(golden.format)")
    }
    self.golden = golden
    self.forward = forward
    self.encoding = encoding
    encoder = SampleEncoder(format: OutputFileFormat(container: .raw, encoding: encoding))
    comparison = AudioComparison(tolerance: tolerance)
    goldenBlock = AudioChunk(channels: format.channels)
  }

  public func write(_ chunk: AudioChunk) throws {
    try forward?.write(chunk)
    candidateFrames += chunk.frameCount
    candidatePending.append(contentsOf: encoder.storedValues(chunk.samples))
    while !goldenEnded && goldenPending.count < candidatePending.count {
      let frames = try golden.read(into: &goldenBlock, maxFrames: 8192)
      goldenEnded = frames == 0
      goldenFrames += frames
      goldenPending.append(contentsOf: goldenBlock.samples.prefix(frames * goldenBlock.channels))
    }
    let common = min(candidatePending.count, goldenPending.count)
    comparison.add(candidate: candidatePending[..<common], golden: goldenPending[..<common])
    candidatePending.removeFirst(common)
    goldenPending.removeFirst(common)
    if goldenEnded { candidatePending.removeAll(keepingCapacity: true) }
  }

  /// Finishes the forwarded output, then reads the rest of the golden file; if that fails, the
  /// forwarded output is taken back.
  public func finish() throws -> SinkSummary {
    let summary = try forward?.finish() ?? SinkSummary(clippedSamples: encoder.clippedSamples)
    do {
      while !goldenEnded {
        let frames = try golden.read(into: &goldenBlock, maxFrames: 8192)
        goldenEnded = frames == 0
        goldenFrames += frames
      }
    } catch {
      summary.outputs.retract()
      throw error
    }
    result = AudioVerifier.Result(
      comparison: comparison, candidateFrames: candidateFrames, goldenFrames: goldenFrames, format: golden.format)
    return summary
  }

  public func abort() { forward?.abort() }
}
