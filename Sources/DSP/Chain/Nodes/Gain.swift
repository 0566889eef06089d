/// Multiplies every sample by a constant linear factor (Web Audio's `GainNode`).
public struct Gain: AudioNode {
  /// The linear factor; 1 leaves samples untouched.
  public let linear: Float

  public init(linear: Float) { self.linear = linear }

  public var stageName: String { "gain" }

  public func describe(input: StreamFormat, output: StreamFormat) -> String { "gain: ×\(linear)" }
  public var fingerprint: String { "gain=\(linear)" }

  public mutating func prepare(_ input: StreamFormat) throws -> StreamFormat { input }

  public mutating func process(_ chunk: inout AudioChunk) throws {
    let factor = linear
    chunk.samples.withUnsafeMutableBufferPointer { samples in
      for index in samples.indices { samples[index] *= factor }
    }
  }

  public mutating func reset() {}
}
