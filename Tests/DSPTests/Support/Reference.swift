import Foundation

/// Independent references, written from the specifications and not from the code under test.
enum Reference {
  /// Web Audio `BiquadFilterNode` type "highpass" (spec §1.13.2), in Double.
  /// `qIsDecibels`: alpha = sin(w0) / (2·10^(Q/20)); otherwise the cookbook's sin(w0) / (2Q).
  static func highPassCoefficients(f0: Double, q: Double, qIsDecibels: Bool, fs: Double)
    -> (b: [Double], a: [Double])
  {
    let w0 = 2 * Double.pi * f0 / fs
    let alpha = qIsDecibels ? sin(w0) / (2 * pow(10, q / 20)) : sin(w0) / (2 * q)
    let b = [(1 + cos(w0)) / 2, -(1 + cos(w0)), (1 + cos(w0)) / 2]
    let a = [1 + alpha, -2 * cos(w0), 1 - alpha]
    return (b.map { $0 / a[0] }, a.map { $0 / a[0] })
  }

  /// y[n] = b0 x[n] + b1 x[n-1] + b2 x[n-2] − a1 y[n-1] − a2 y[n-2], then × gain.
  static func filter(_ x: [Float], b: [Double], a: [Double], gain: Double) -> [Double] {
    var y = [Double](repeating: 0, count: x.count)
    var (x1, x2, y1, y2) = (0.0, 0.0, 0.0, 0.0)
    for n in x.indices {
      let x0 = Double(x[n])
      let y0 = b[0] * x0 + b[1] * x1 + b[2] * x2 - a[1] * y1 - a[2] * y2
      (x2, x1, y2, y1) = (x1, x0, y1, y0)
      y[n] = y0 * gain
    }
    return y
  }

  /// |H(e^jw)| from the transfer function, by complex arithmetic on e^{-jw}.
  static func magnitude(b: [Double], a: [Double], hz: Double, fs: Double) -> Double {
    let w = 2 * Double.pi * hz / fs
    func evaluate(_ c: [Double]) -> (Double, Double) {
      (c[0] + c[1] * cos(w) + c[2] * cos(2 * w), -(c[1] * sin(w) + c[2] * sin(2 * w)))
    }
    let (nr, ni) = evaluate(b)
    let (dr, di) = evaluate(a)
    return hypot(nr, ni) / hypot(dr, di)
  }

  /// Amplitude of the component at `hz` (least-squares fit of a sin and a cos).
  static func amplitude(of x: ArraySlice<Float>, hz: Double, fs: Double) -> Double {
    var (ss, sc, cc, xs, xc) = (0.0, 0.0, 0.0, 0.0, 0.0)
    for (offset, sample) in x.enumerated() {
      let phase = 2 * Double.pi * hz * Double(offset) / fs
      let (s, c) = (sin(phase), cos(phase))
      ss += s * s; sc += s * c; cc += c * c
      xs += Double(sample) * s; xc += Double(sample) * c
    }
    let det = ss * cc - sc * sc
    let alpha = (xs * cc - xc * sc) / det
    let beta = (xc * ss - xs * sc) / det
    return hypot(alpha, beta)
  }

  static func rms<C: Collection>(_ x: C) -> Double where C.Element == Float {
    let sum = x.reduce(0.0) { $0 + Double($1) * Double($1) }
    return (sum / Double(max(1, x.count))).squareRoot()
  }

  static func decibels(_ ratio: Double) -> Double { 20 * log10(ratio) }
}
