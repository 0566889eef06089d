import Glibc

/// The chain's response: the high-pass and gain from their formulas, the resampler measured by
/// sending sines through the real converter.
public struct FrequencyResponse: Sendable {
  /// One frequency's figures.
  public struct Point: Sendable {
    public var hz: Double
    /// High-pass × gain, from the coefficients (nil beyond the output's Nyquist frequency).
    public var filterDecibels: Double?
    /// High-pass phase in degrees, from the coefficients.
    public var filterPhaseDegrees: Double?
    /// Output level of a full-scale sine through the resampler, in dB: the passband below the
    /// output's Nyquist frequency, the aliases' level above it. nil when no resampler is built.
    public var resamplerDecibels: Double?
  }

  public var points: [Point]
  public var inputRate: Int
  public var outputRate: Int
  /// Where the high-pass alone is 3 dB below its passband (nil without a high-pass).
  public var minus3dBHz: Double?
  public var cutoffHz: Double?
  public var gainDecibels: Double

  /// Evaluates `configuration` at `count` log-spaced frequencies from 10 Hz to the input's
  /// Nyquist frequency, measuring the resampler with `measureSeconds` of sine per frequency.
  public static func compute(
    configuration: PipelineConfiguration, inputRate: Int, count: Int = 120, measureSeconds: Double = 0.25
  ) throws -> FrequencyResponse {
    let outputRate = configuration.outputRate
    let outputNyquist = Double(outputRate) / 2
    let top = Double(max(inputRate, outputRate)) / 2 * 0.999
    let coefficients = configuration.highPassHz.map {
      BiquadCoefficients.highPass(cutoffHz: $0, q: configuration.q, sampleRate: Double(outputRate))
    }
    let gainDecibels = 20 * log10(Double(configuration.gain))
    var points: [Point] = []
    for index in 0..<count {
      let hz = 10 * pow(top / 10, Double(index) / Double(count - 1))
      var point = Point(hz: hz)
      if hz < outputNyquist {
        let magnitude = coefficients?.magnitude(atHz: hz, sampleRate: Double(outputRate)) ?? 1
        point.filterDecibels = 20 * log10(magnitude) + gainDecibels
        point.filterPhaseDegrees = coefficients.map { $0.phase(atHz: hz, sampleRate: Double(outputRate)) * 180 / .pi } ?? 0
      }
      if inputRate != outputRate {
        point.resamplerDecibels = try resamplerLevel(
          hz: hz, inputRate: inputRate, configuration: configuration, seconds: measureSeconds)
      }
      points.append(point)
    }
    let minus3dB = coefficients.map { minus3dBFrequency($0, sampleRate: Double(outputRate)) }
    return FrequencyResponse(
      points: points, inputRate: inputRate, outputRate: outputRate, minus3dBHz: minus3dB,
      cutoffHz: configuration.highPassHz, gainDecibels: gainDecibels)
  }

  /// Bisection on the analytic magnitude of a high-pass: where it crosses −3 dB.
  static func minus3dBFrequency(_ coefficients: BiquadCoefficients, sampleRate: Double) -> Double {
    let target = pow(10, -3.0 / 20)
    var (low, high) = (1e-3, sampleRate / 2 * 0.999)
    for _ in 0..<200 {
      let middle = (low * high).squareRoot()
      if coefficients.magnitude(atHz: middle, sampleRate: sampleRate) < target { low = middle } else { high = middle }
    }
    return (low * high).squareRoot()
  }

  /// RMS of the resampler's output for a unit sine, relative to the sine's RMS, in dB.
  private static func resamplerLevel(
    hz: Double, inputRate: Int, configuration: PipelineConfiguration, seconds: Double
  ) throws -> Double {
    // At least 20 periods, so that low frequencies are measured as steadily as high ones.
    let frames = Int(Double(inputRate) * max(seconds, 20 / hz))
    var chunk = AudioChunk(
      samples: (0..<frames).map { Float(sin(2 * .pi * hz * Double($0) / Double(inputRate))) }, channels: 1)
    var single = configuration
    single.threads = 1
    guard var node = single.makeResampler(inputRate: inputRate, timing: .file) else { return 0 }
    _ = try node.prepare(StreamFormat(sampleRate: inputRate, channels: 1))
    try node.process(&chunk)
    // Skip the converter's start-up; measure the steady middle.
    let steady = chunk.samples.dropFirst(chunk.samples.count / 4).dropLast(chunk.samples.count / 4)
    let energy = steady.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(1, steady.count))
    return 10 * log10(max(energy, 1e-30) / 0.5)
  }
}

extension BiquadCoefficients {
  /// arg H(e^jw) at `frequencyHz`, in radians, in (−π, π].
  public func phase(atHz frequencyHz: Double, sampleRate: Double) -> Double {
    let w = 2 * Double.pi * frequencyHz / sampleRate
    let numRe = b0 + b1 * cos(w) + b2 * cos(2 * w), numIm = -(b1 * sin(w) + b2 * sin(2 * w))
    let denRe = 1 + a1 * cos(w) + a2 * cos(2 * w), denIm = -(a1 * sin(w) + a2 * sin(2 * w))
    var phase = atan2(numIm, numRe) - atan2(denIm, denRe)
    if phase > .pi { phase -= 2 * .pi }
    if phase <= -.pi { phase += 2 * .pi }
    return phase
  }
}
