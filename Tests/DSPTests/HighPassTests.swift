import DSP
import XCTest

/// High-pass + gain against the Web Audio formula evaluated in Double by the test itself.
final class HighPassTests: XCTestCase {
  let format = StreamFormat(sampleRate: 16000, channels: 1)

  func testWebAudioHighPassWithGainMatchesDoubleReference() throws {
    let input = Signals.chirpPlusNoise(seconds: 3, sampleRate: 16000)
    let output = try runPipeline(input, format: format).samples
    let (b, a) = Reference.highPassCoefficients(f0: 80, q: 1, qIsDecibels: true, fs: 16000)
    let expected = Reference.filter(input, b: b, a: a, gain: 1.5)
    XCTAssertLessThanOrEqual(maxAbsDifference(output, expected), 1e-6)
  }

  func testCookbookLinearQMatchesDoubleReference() throws {
    let input = Signals.chirpPlusNoise(seconds: 3, sampleRate: 16000, seed: 7)
    let output = try runPipeline(input, format: format) {
      $0.q = .linear(0.7071)
      $0.highPassHz = 120
      $0.gain = 0.8
    }.samples
    let (b, a) = Reference.highPassCoefficients(f0: 120, q: 0.7071, qIsDecibels: false, fs: 16000)
    let expected = Reference.filter(input, b: b, a: a, gain: 0.8)
    XCTAssertLessThanOrEqual(maxAbsDifference(output, expected), 1e-6)
  }

  /// A Q in dB and the same Q read linearly are different filters: the test can tell them apart.
  func testDecibelAndLinearQDiffer() throws {
    let input = Signals.chirpPlusNoise(seconds: 1, sampleRate: 16000)
    let output = try runPipeline(input, format: format).samples
    let (b, a) = Reference.highPassCoefficients(f0: 80, q: 1, qIsDecibels: false, fs: 16000)
    XCTAssertGreaterThan(maxAbsDifference(output, Reference.filter(input, b: b, a: a, gain: 1.5)), 1e-3)
  }

  func testMagnitudeOnSinesMatchesAnalyticResponse() throws {
    let (b, a) = Reference.highPassCoefficients(f0: 80, q: 1, qIsDecibels: true, fs: 16000)
    for hz in [30.0, 80, 1000] {
      let input = Signals.sine(hz: hz, seconds: 4, sampleRate: 16000, amplitude: 0.25)
      let output = try runPipeline(input, format: format) { $0.gain = 1 }.samples
      // Skip the first second: the filter's transient has died away by then.
      let measured = Reference.amplitude(of: output[16000...], hz: hz, fs: 16000) / 0.25
      let analytic = Reference.magnitude(b: b, a: a, hz: hz, fs: 16000)
      XCTAssertEqual(
        Reference.decibels(measured), Reference.decibels(analytic), accuracy: 0.05, "at \(hz) Hz")
    }
  }

  func testLibraryMagnitudeAgreesWithReference() {
    let coefficients = BiquadCoefficients.highPass(cutoffHz: 80, sampleRate: 16000)
    let (b, a) = Reference.highPassCoefficients(f0: 80, q: 1, qIsDecibels: true, fs: 16000)
    for hz in [20.0, 80, 100, 4000] {
      XCTAssertEqual(
        coefficients.magnitude(atHz: hz, sampleRate: 16000),
        Reference.magnitude(b: b, a: a, hz: hz, fs: 16000), accuracy: 1e-12)
    }
  }

  func testCutoffAtOrAboveNyquistIsRefused() {
    XCTAssertThrowsError(try runPipeline([0, 0], format: format) { $0.highPassHz = 8000 })
  }

  func testKeepChannelsFiltersEachChannelIndependently() throws {
    let left = Signals.chirpPlusNoise(seconds: 1, sampleRate: 16000, seed: 3)
    let right = Signals.chirpPlusNoise(seconds: 1, sampleRate: 16000, seed: 4)
    let output = try runPipeline(
      Signals.interleave([left, right]), format: StreamFormat(sampleRate: 16000, channels: 2)
    ) { $0.downmix = nil }.samples
    let (b, a) = Reference.highPassCoefficients(f0: 80, q: 1, qIsDecibels: true, fs: 16000)
    let expected = Signals.interleave([left, right].map { Reference.filter($0, b: b, a: a, gain: 1.5).map(Float.init) })
    XCTAssertLessThanOrEqual(maxAbsDifference(output, expected.map(Double.init)), 1e-6)
  }
}
