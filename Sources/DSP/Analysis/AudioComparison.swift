import Glibc

/// How a candidate differs from a golden signal: sample by sample, streamed in blocks.
///
/// Feed aligned blocks of both with `add(candidate:golden:)` (any block sizes), then read the
/// figures. Memory does not depend on the length of the signals.
public struct AudioComparison: Sendable, Equatable {
  /// |candidate − golden| above which a sample counts as outside tolerance.
  public let tolerance: Double
  /// The largest |candidate − golden|.
  public private(set) var maxAbsError: Double = 0
  /// Index (in samples, interleaved) of the largest difference.
  public private(set) var maxAbsErrorIndex = 0
  /// Index of the first sample whose difference exceeds `tolerance`, if any.
  public private(set) var firstOverToleranceIndex: Int?
  /// Samples compared.
  public private(set) var comparedSamples = 0
  private var errorEnergy: Double = 0
  private var goldenEnergy: Double = 0

  public init(tolerance: Double) { self.tolerance = tolerance }

  /// Compares equal-length blocks that follow the ones already added.
  public mutating func add(candidate: ArraySlice<Float>, golden: ArraySlice<Float>) {
    precondition(candidate.count == golden.count, "blocks must be aligned")
    var index = comparedSamples
    for (c, g) in zip(candidate, golden) {
      let error = Double(c) - Double(g)
      let magnitude = abs(error)
      if magnitude > maxAbsError || magnitude.isNaN {
        maxAbsError = magnitude
        maxAbsErrorIndex = index
      }
      if firstOverToleranceIndex == nil && !(magnitude <= tolerance) { firstOverToleranceIndex = index }
      errorEnergy += error * error
      goldenEnergy += Double(g) * Double(g)
      index += 1
    }
    comparedSamples = index
  }

  /// Root mean square of the difference.
  public var rmsError: Double { comparedSamples > 0 ? (errorEnergy / Double(comparedSamples)).squareRoot() : 0 }

  /// Signal-to-error ratio in dB: golden energy over difference energy; +inf when identical.
  public var snrDecibels: Double {
    if errorEnergy == 0 { return .infinity }
    if goldenEnergy == 0 { return -.infinity }
    return 10 * log10(goldenEnergy / errorEnergy)
  }
}

/// Compares two audio sources to the end, block by block.
public enum AudioVerifier {
  /// The comparison, and both lengths in frames. Sources must agree in rate and channels.
  public struct Result: Sendable {
    public var comparison: AudioComparison
    public var candidateFrames: Int
    public var goldenFrames: Int
    public var format: StreamFormat

    public var lengthsMatch: Bool { candidateFrames == goldenFrames }

    /// Within tolerance everywhere, the same length, and (when given) at least `snrMinimum` dB.
    public func passes(snrMinimum: Double? = nil) -> Bool {
      guard lengthsMatch else { return false }
      if let snrMinimum { return comparison.snrDecibels >= snrMinimum }
      return comparison.firstOverToleranceIndex == nil
    }
  }

  /// Reads both sources to their ends. Throws `DSPError` when rates or channel counts differ.
  public static func compare(
    candidate: AudioSource, golden: AudioSource, tolerance: Double, blockFrames: Int = 8192
  ) throws -> Result {
    guard candidate.format == golden.format else {
      throw DSPError.unsupportedInput(
        "formats differ: candidate \(candidate.format), golden \(golden.format)")
    }
    let channels = candidate.format.channels
    var comparison = AudioComparison(tolerance: tolerance)
    var candidateBlock = AudioChunk(channels: channels), goldenBlock = AudioChunk(channels: channels)
    var candidatePending: [Float] = [], goldenPending: [Float] = []
    var candidateFrames = 0, goldenFrames = 0
    var candidateDone = false, goldenDone = false
    while !(candidateDone && goldenDone) {
      if !candidateDone {
        let frames = try candidate.read(into: &candidateBlock, maxFrames: blockFrames)
        candidateDone = frames == 0
        candidateFrames += frames
        candidatePending.append(contentsOf: candidateBlock.samples.prefix(frames * channels))
      }
      if !goldenDone {
        let frames = try golden.read(into: &goldenBlock, maxFrames: blockFrames)
        goldenDone = frames == 0
        goldenFrames += frames
        goldenPending.append(contentsOf: goldenBlock.samples.prefix(frames * channels))
      }
      let common = min(candidatePending.count, goldenPending.count)
      comparison.add(candidate: candidatePending[..<common], golden: goldenPending[..<common])
      candidatePending.removeFirst(common)
      goldenPending.removeFirst(common)
      // Past the shorter one's end, only count what is left of the longer.
      if candidateDone && !goldenDone { goldenPending.removeAll(keepingCapacity: true) }
      if goldenDone && !candidateDone { candidatePending.removeAll(keepingCapacity: true) }
    }
    return Result(
      comparison: comparison, candidateFrames: candidateFrames, goldenFrames: goldenFrames,
      format: candidate.format)
  }
}
