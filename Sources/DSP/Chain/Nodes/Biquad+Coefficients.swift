import Glibc

/// Normalised second-order section coefficients (a0 = 1), in Double.
public struct BiquadCoefficients: Equatable, Sendable {
  public var b0, b1, b2, a1, a2: Double

  public init(b0: Double, b1: Double, b2: Double, a1: Double, a2: Double) {
    (self.b0, self.b1, self.b2, self.a1, self.a2) = (b0, b1, b2, a1, a2)
  }

  /// How a high-pass filter's Q is given.
  public enum Q: Equatable, Sendable {
    /// Web Audio `BiquadFilterNode` semantics: Q in dB, alpha = sin(w0) / (2·10^(Q/20)).
    case decibels(Double)
    /// Audio EQ Cookbook semantics: alpha = sin(w0) / (2·Q); 0.7071 is Butterworth.
    case linear(Double)

    /// The Web Audio default for `highpass`: Q = 1 dB.
    public static let webAudioDefault = Q.decibels(1)
  }

  /// Audio EQ Cookbook high-pass, with alpha from `q` (Web Audio dB semantics by default).
  public static func highPass(cutoffHz: Double, q: Q = .webAudioDefault, sampleRate: Double)
    -> BiquadCoefficients
  {
    let w0 = 2 * Double.pi * cutoffHz / sampleRate
    let cosW0 = cos(w0)
    let alpha: Double
    switch q {
    case .decibels(let dB): alpha = sin(w0) / (2 * pow(10, dB / 20))
    case .linear(let linearQ): alpha = sin(w0) / (2 * linearQ)
    }
    let a0 = 1 + alpha
    return BiquadCoefficients(
      b0: (1 + cosW0) / 2 / a0, b1: -(1 + cosW0) / a0, b2: (1 + cosW0) / 2 / a0,
      a1: -2 * cosW0 / a0, a2: (1 - alpha) / a0)
  }

  /// |H(e^jw)| at `frequencyHz`, evaluated from the coefficients.
  public func magnitude(atHz frequencyHz: Double, sampleRate: Double) -> Double {
    let w = 2 * Double.pi * frequencyHz / sampleRate
    let (c1, s1, c2, s2) = (cos(w), sin(w), cos(2 * w), sin(2 * w))
    let numRe = b0 + b1 * c1 + b2 * c2, numIm = -(b1 * s1 + b2 * s2)
    let denRe = 1 + a1 * c1 + a2 * c2, denIm = -(a1 * s1 + a2 * s2)
    return ((numRe * numRe + numIm * numIm) / (denRe * denRe + denIm * denIm)).squareRoot()
  }
}
