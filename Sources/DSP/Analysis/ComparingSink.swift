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
  private var quantizer = SampleQuantizer()
  private var goldenBlock: AudioChunk
  private var goldenPending: [Float] = []
  private var candidatePending: [Float] = []
  private var goldenEnded = false
  private var candidateFrames = 0
  private var goldenFrames = 0
  private var shorts: [Int16] = []
  private var ints: [Int32] = []
  private var stored: [Float] = []
  /// Set by `finish`.
  public private(set) var result: AudioVerifier.Result?

  public var clippedSamples: Int { forward?.clippedSamples ?? quantizer.clippedSamples }

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
    comparison = AudioComparison(tolerance: tolerance)
    goldenBlock = AudioChunk(channels: format.channels)
  }

  public func write(_ chunk: AudioChunk) throws {
    try forward?.write(chunk)
    candidateFrames += chunk.frameCount
    candidatePending.append(contentsOf: asStored(chunk.samples))
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

  public func finish() throws {
    try forward?.finish()
    while !goldenEnded {
      let frames = try golden.read(into: &goldenBlock, maxFrames: 8192)
      goldenEnded = frames == 0
      goldenFrames += frames
    }
    result = AudioVerifier.Result(
      comparison: comparison, candidateFrames: candidateFrames, goldenFrames: goldenFrames, format: golden.format)
  }

  public func abort() { forward?.abort() }

  /// The samples as an output of `encoding` would hold them.
  private func asStored(_ samples: [Float]) -> [Float] {
    switch encoding {
    case .f32: return samples
    case .s16:
      quantizer.quantize16(samples, into: &shorts)
      return shorts.map { Float($0) / 32768 }
    case .s24, .s32:
      quantizer.quantize32(samples, bits: encoding == .s24 ? 24 : 32, into: &ints)
      return ints.map { Float(Double($0) / 2_147_483_648) }
    }
  }
}
