import Glibc

/// Peak and RMS level of a stream, accumulated block by block.
public struct LevelMeter: Sendable {
  public private(set) var peak: Float = 0
  public private(set) var samples = 0
  private var energy: Double = 0

  public init() {}

  /// Reads all of `source` and measures it; returns the meter and the frames read.
  public static func measure(_ source: AudioSource) throws -> (meter: LevelMeter, frames: Int64) {
    var meter = LevelMeter()
    var block = AudioChunk(channels: source.format.channels)
    var frames: Int64 = 0
    while try source.read(into: &block, maxFrames: 16384) > 0 {
      frames += Int64(block.frameCount)
      meter.add(block.samples[...])
    }
    return (meter, frames)
  }

  public mutating func add(_ block: ArraySlice<Float>) {
    for sample in block {
      peak = max(peak, abs(sample))
      energy += Double(sample) * Double(sample)
    }
    samples += block.count
  }

  /// Peak level in dB relative to full scale (1.0); -inf for silence.
  public var peakDBFS: Double { 20 * log10(Double(peak)) }
  /// RMS level in dB relative to full scale; -inf for silence.
  public var rmsDBFS: Double { samples > 0 ? 10 * log10(energy / Double(samples)) : -.infinity }
}
