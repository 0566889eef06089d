import Foundation

/// Deterministic test signals, computed in Double and rounded once to Float.
enum Signals {
  /// A linear chirp from `startHz` to `endHz` plus white noise from a fixed-seed LCG.
  static func chirpPlusNoise(
    seconds: Double, sampleRate: Int, startHz: Double = 20, endHz: Double = 7000,
    amplitude: Double = 0.4, noise: Double = 0.1, seed: UInt64 = 1
  ) -> [Float] {
    let count = Int(seconds * Double(sampleRate))
    var random = LCG(seed: seed)
    let rate = Double(sampleRate)
    let sweep = (endHz - startHz) / seconds
    return (0..<count).map { index in
      let t = Double(index) / rate
      let phase = 2 * Double.pi * (startHz * t + sweep * t * t / 2)
      return Float(amplitude * sin(phase) + noise * random.nextSigned())
    }
  }

  static func sine(hz: Double, seconds: Double, sampleRate: Int, amplitude: Double = 0.5) -> [Float] {
    let count = Int(seconds * Double(sampleRate))
    return (0..<count).map { Float(amplitude * sin(2 * Double.pi * hz * Double($0) / Double(sampleRate))) }
  }

  /// Interleaves equal-length channels.
  static func interleave(_ channels: [[Float]]) -> [Float] {
    var result: [Float] = []
    for frame in 0..<channels[0].count {
      for channel in channels { result.append(channel[frame]) }
    }
    return result
  }
}

/// Knuth's MMIX linear congruential generator: reproducible everywhere.
struct LCG {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  /// Uniform in [-1, 1).
  mutating func nextSigned() -> Double {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Double(state >> 11) / Double(1 << 53) * 2 - 1
  }
}
