/// A high-pass biquad (direct form I), one state per channel, coefficients and state in Double.
///
/// Defaults reproduce Web Audio's `BiquadFilterNode` of type `highpass`: 80 Hz, Q = 1 dB.
public struct Biquad: AudioNode {
  /// Cut-off frequency in Hz.
  public let cutoffHz: Double
  /// Q and how to read it.
  public let q: BiquadCoefficients.Q
  /// Set by `prepare` for the stream's rate.
  public private(set) var coefficients = BiquadCoefficients(b0: 1, b1: 0, b2: 0, a1: 0, a2: 0)
  private var channels = 1
  /// Per channel: x[n-1], x[n-2], y[n-1], y[n-2].
  private var state: [Double] = []

  public var stageName: String { "highpass" }

  public func describe(input: StreamFormat, output: StreamFormat) -> String {
    switch q {
    case .decibels(let dB): "highpass: \(cutoffHz) Hz, Q \(dB) dB (Web Audio)"
    case .linear(let value): "highpass: \(cutoffHz) Hz, Q \(value) (cookbook)"
    }
  }

  public var fingerprint: String {
    switch q {
    case .decibels(let dB): "highpass_hz=\(cutoffHz) q=\(dB)dB"
    case .linear(let value): "highpass_hz=\(cutoffHz) q=\(value)linear"
    }
  }

  public init(highPassHz cutoffHz: Double, q: BiquadCoefficients.Q = .webAudioDefault) {
    self.cutoffHz = cutoffHz
    self.q = q
  }

  public mutating func prepare(_ input: StreamFormat) throws -> StreamFormat {
    let nyquist = Double(input.sampleRate) / 2
    guard cutoffHz > 0, cutoffHz < nyquist else {
      throw DSPError.invalidParameter(
        "high-pass cut-off \(cutoffHz) Hz must lie between 0 and Nyquist (\(nyquist) Hz)")
    }
    switch q {
    case .linear(let value) where !(value > 0):
      throw DSPError.invalidParameter("linear Q must be positive, got \(value)")
    default: break
    }
    coefficients = .highPass(cutoffHz: cutoffHz, q: q, sampleRate: Double(input.sampleRate))
    channels = input.channels
    state = Array(repeating: 0, count: 4 * channels)
    return input
  }

  public mutating func process(_ chunk: inout AudioChunk) throws {
    let c = coefficients
    let channels = self.channels
    let frames = chunk.frameCount
    chunk.samples.withUnsafeMutableBufferPointer { samples in
      state.withUnsafeMutableBufferPointer { state in
        for channel in 0..<channels {
          var (x1, x2, y1, y2) = (
            state[4 * channel], state[4 * channel + 1], state[4 * channel + 2],
            state[4 * channel + 3]
          )
          var index = channel
          for _ in 0..<frames {
            let x0 = Double(samples[index])
            let y0 = c.b0 * x0 + c.b1 * x1 + c.b2 * x2 - c.a1 * y1 - c.a2 * y2
            samples[index] = Float(y0)
            (x2, x1, y2, y1) = (x1, x0, y1, y0)
            index += channels
          }
          // After long silence the state decays towards subnormal Doubles, which are slow.
          // Values this small cannot reach a Float output, so zeroing them changes nothing.
          if abs(y1) < 1e-200 && abs(y2) < 1e-200 { (y1, y2) = (0, 0) }
          (state[4 * channel], state[4 * channel + 1]) = (x1, x2)
          (state[4 * channel + 2], state[4 * channel + 3]) = (y1, y2)
        }
      }
    }
  }

  public mutating func reset() {
    for index in state.indices { state[index] = 0 }
  }
}
