/// The first node for a source of float samples: NaN and ±Inf become 0, magnitudes beyond
/// ±`FloatSampleRepair.limit` (1024, 60 dB over full scale) are clamped to it, and both are
/// counted into the run's report.
///
/// Near Float's limit libsamplerate's sinc filters overflow to ±Inf and the high-pass then turns
/// Inf − Inf into NaN, so no later node may ever see such a sample. Integer sources cannot
/// produce one, so the chain builds this node only for sources that deliver floats
/// (`AudioSource.deliversFloats`).
public struct FloatRepair: AudioNode {
  private var repair = FloatSampleRepair()

  public init() {}

  public var stageName: String { "repair" }

  public mutating func prepare(_ input: StreamFormat) throws -> StreamFormat { input }

  public mutating func process(_ chunk: inout AudioChunk) throws {
    chunk.samples.withUnsafeMutableBufferPointer { repair.repair($0) }
  }

  public mutating func reset() { repair = FloatSampleRepair() }

  public func describe(input: StreamFormat, output: StreamFormat) -> String {
    "repair: NaN and ±Inf → 0, beyond ±\(Int(FloatSampleRepair.limit)) clamped"
  }

  /// It changes no sample a decoder can deliver legitimately: not part of the fingerprint.
  public var fingerprint: String { "" }

  public func contribute(to report: inout PipelineReport) {
    report.nonFiniteSamples += repair.nonFinite
    report.outOfRangeSamples += repair.outOfRange
  }
}
