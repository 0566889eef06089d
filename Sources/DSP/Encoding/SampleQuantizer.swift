/// Turns Float samples into integers for an output encoding, clipping to full scale and
/// counting every sample that had to be clipped.
///
/// Full scale is 2^(bits-1): x = 1.0 maps to 32768 for s16 and clips to 32767, as SoX and
/// FFmpeg scale. Rounding is to nearest (`rounded()`), so the result is independent of
/// libsndfile's own float-to-int conversion. A NaN (which no input can carry, since sources
/// replace non-finite samples, but which float arithmetic could still produce) becomes 0 and is
/// counted as clipped instead of trapping in the integer conversion.
///
/// With `dither`, TPDF dither (the difference of two uniform variables, ±1 LSB peak) is added
/// before rounding, from a fixed-seed generator: the same input always gives the same output.
public struct SampleQuantizer {
  /// Samples clipped so far.
  public private(set) var clippedSamples = 0
  /// Whether TPDF dither is added before rounding.
  public let dither: Bool
  private var noise: TPDFNoise

  public init(dither: Bool = false, seed: UInt64 = 0x6175_6469_6F70_7265) {
    self.dither = dither
    noise = TPDFNoise(state: seed)
  }

  /// Whether the 16-bit output clips `sample` (what `quantize16` counts, without dither):
  /// x·32768 rounds past 32767 (x ≥ 1 − 2⁻¹⁶) or past −32768 (x ≤ −1 − 2⁻¹⁶). −1.0 itself is
  /// −32768 and is not clipped; +1.0 is. `info` predicts clipping with it.
  public static func clipsAt16Bits(_ sample: Float) -> Bool {
    sample >= 1 - 0x1p-16 || sample <= -1 - 0x1p-16 || sample.isNaN
  }

  /// s16: `output` is resized to `input.count`.
  public mutating func quantize16(_ input: [Float], into output: inout [Int16]) {
    quantize(input, bits: 16, shift: 0, into: &output)
  }

  /// s24 or s32, left-justified in an Int32 as libsndfile's `sf_write_int` expects.
  public mutating func quantize32(_ input: [Float], bits: Int, into output: inout [Int32]) {
    precondition(bits == 24 || bits == 32)
    quantize(input, bits: bits, shift: 32 - bits, into: &output)
  }

  /// `value.rounded()` (to the nearest integer, halves away from zero) without a call to libm's
  /// `round` for each sample, which was two fifths of the quantizer's instructions (issue 22),
  /// and without a branch on the sample (one taken at random costs more than the call).
  /// Below 2⁶² in magnitude (false for NaN and the infinities, which go to `rounded()`), adding
  /// the largest double under ½ with the value's sign and truncating through Int64 is exactly
  /// `rounded()`: the sum reaches the next integer exactly when the fraction is ½ or more (a
  /// fraction of ½ − 1 ulp stays under it, rounding to nearest included), but for the sign of a
  /// zero, which the Int64 conversion after it drops.
  @inline(__always)
  static func rounded(_ value: Double) -> Double {
    guard abs(value) < 0x1p62 else { return value.rounded() }
    return Double(Int64(value + Double(signOf: value, magnitudeOf: 0.5.nextDown)))
  }

  /// Scales by 2^(bits−1), adds dither, rounds, clips (counting) and shifts left by `shift`.
  private mutating func quantize<Sample: FixedWidthInteger>(
    _ input: [Float], bits: Int, shift: Int, into output: inout [Sample]
  ) {
    resize(&output, input.count)
    let fullScale = Double(Int64(1) << (bits - 1))
    var clipped = 0
    var noise = self.noise
    let dither = self.dither
    input.withUnsafeBufferPointer { source in
      output.withUnsafeMutableBufferPointer { target in
        for index in source.indices {
          var scaled = Self.rounded(Double(source[index]) * fullScale + (dither ? noise.next() : 0))
          if scaled.isNaN {
            scaled = 0
            clipped += 1
          } else if scaled > fullScale - 1 {
            scaled = fullScale - 1
            clipped += 1
          } else if scaled < -fullScale {
            scaled = -fullScale
            clipped += 1
          }
          target[index] = Sample(truncatingIfNeeded: Int64(scaled) << Int64(shift))
        }
      }
    }
    self.noise = noise
    clippedSamples += clipped
  }

  /// For lossy encoders: clamps to [-1, 1] and counts what was outside.
  public mutating func clamp(_ input: [Float], into output: inout [Float]) {
    resize(&output, input.count)
    var clipped = 0
    input.withUnsafeBufferPointer { source in
      output.withUnsafeMutableBufferPointer { target in
        for index in source.indices {
          let sample = source[index]
          if sample.isNaN {
            target[index] = 0
            clipped += 1
          } else if sample > 1 {
            target[index] = 1
            clipped += 1
          } else if sample < -1 {
            target[index] = -1
            clipped += 1
          } else {
            target[index] = sample
          }
        }
      }
    }
    clippedSamples += clipped
  }

  private func resize<T: Numeric>(_ array: inout [T], _ count: Int) {
    if array.count != count {
      array.removeAll(keepingCapacity: true)
      array.append(contentsOf: [T](repeating: 0, count: count))
    }
  }
}

/// Triangular-PDF noise in (-1, 1): the difference of two uniforms from Knuth's MMIX LCG.
struct TPDFNoise {
  var state: UInt64

  @inline(__always)
  mutating func next() -> Double {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    let first = Double(state >> 11) / 9_007_199_254_740_992
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return first - Double(state >> 11) / 9_007_199_254_740_992
  }
}
