import DSP
import TestSupport
import XCTest

/// `--denoise` leaves clean speech alone and still takes noise off noisy speech (#20). The
/// suppressor (WebRTC 0.3) changed clean speech by about −20 dB (SI-SDR 21 dB at low, 17 dB at
/// very-high on espeak-ng digits) and delayed it by 6 ms, and a recogniser erred much more on it
/// (pocketsphinx: 8 → 13–25 word errors of 96 on digits with a −30 dB floor; docs/denoise.md).
final class NoiseSuppressionCleanSpeechTests: XCTestCase {
  /// The fixture's speech (3.6 s) at `rate`, said twice after half a second of pause each time,
  /// peak about −6 dBFS, plus uniform white noise of `noise` peak (seeded).
  func speech(rate: Int, noise: Double) throws -> (clean: [Float], noisy: [Float], secondPause: Range<Int>) {
    let file = try readSoundFile(fixtures + "/speech.wav")
    let said = try runPipeline(file.samples, format: StreamFormat(sampleRate: file.rate, channels: 1)) {
      $0.turnFiltersOff()
      $0.outputRate = rate
    }.samples.map { $0 * 0.5 }
    let pause = [Float](repeating: 0, count: rate / 2)
    let clean = pause + said + pause + said
    var random = LCG(seed: 11)
    let secondPause = (pause.count + said.count + rate / 8)..<(2 * pause.count + said.count - rate / 8)
    return (clean, clean.map { $0 + Float(noise * random.nextSigned()) }, secondPause)
  }

  /// SI-SDR (dB) of `output` against `reference`, as bench/denoise/evaluate.py measures it, with
  /// `output` first aligned by none or the suppressor's delay at some rate (the one of 0, 48, 96,
  /// 196, 335 samples that best correlates the two; the script searches ±20 ms).
  func siSDR(_ output: [Float], _ reference: [Float]) -> Double {
    var best = (delay: 0, correlation: -Double.infinity)
    for delay in [0, 48, 96, 196, 335] {
      var sum = 0.0
      for index in max(0, -delay)..<min(reference.count, output.count - delay) {
        sum += Double(output[index + delay]) * Double(reference[index])
      }
      if sum > best.correlation { best = (delay, sum) }
    }
    var dot = 0.0
    var power = 0.0
    for index in reference.indices {
      let shifted = index + best.delay
      dot += (0..<output.count).contains(shifted) ? Double(output[shifted]) * Double(reference[index]) : 0
      power += Double(reference[index]) * Double(reference[index])
    }
    let scale = dot / power
    var target = 0.0
    var error = 0.0
    for index in reference.indices {
      let shifted = index + best.delay
      let y = (0..<output.count).contains(shifted) ? Double(output[shifted]) : 0
      target += scale * scale * Double(reference[index]) * Double(reference[index])
      error += (scale * Double(reference[index]) - y) * (scale * Double(reference[index]) - y)
    }
    return 10 * log10(target / error)
  }

  func denoise(_ samples: [Float], level: WebRtcAudioProcessing.NoiseLevel, rate: Int) throws -> [Float] {
    try runPipeline(samples, format: StreamFormat(sampleRate: rate, channels: 1)) {
      $0.turnFiltersOff()
      $0.outputRate = rate
      $0.noiseSuppression = level
    }.samples
  }

  /// Speech with a floor 70 dB under its peak (a clean recording) comes out as it went in, at
  /// every level, at 16 and 48 kHz: SI-SDR against the input of 40 dB or more (it was 32–34 dB at
  /// 16 kHz and 12 dB at 48 kHz, after taking out the delay),
  /// no delay, the same length.
  func testCleanSpeechPassesUnchanged() throws {
    for rate in [16000, 48000] {
      let input = try speech(rate: rate, noise: 0.0003).noisy
      for level in WebRtcAudioProcessing.NoiseLevel.allCases {
        let output = try denoise(input, level: level, rate: rate)
        XCTAssertEqual(output.count, input.count)
        let sdr = siSDR(output, input)
        XCTAssertGreaterThan(sdr, 40, "\(level) at \(rate) Hz: SI-SDR \(sdr) dB")
      }
    }
  }

  /// The same speech in white noise about 5 dB under it (SNR over the whole file, pauses
  /// included): at high, SI-SDR against the clean speech rises by more than 3 dB, and the pauses
  /// (after the first, where the suppressor learns the noise) lose more than 10 dB of noise.
  func testNoisySpeechIsStillDenoised() throws {
    let rate = 16000
    let (clean, noisy, secondPause) = try speech(rate: rate, noise: 0.1)
    let output = try denoise(noisy, level: .high, rate: rate)
    let before = siSDR(noisy, clean)
    let after = siSDR(output, clean)
    XCTAssertGreaterThan(after, before + 3, "SI-SDR \(before) → \(after) dB")
    XCTAssertEqual(clean[secondPause].map { abs($0) }.max(), 0, "the test needs the second pause where it looks")
    let lost = Reference.decibels(Reference.rms(noisy[secondPause]) / Reference.rms(output[secondPause]))
    XCTAssertGreaterThan(lost, 10, "noise in the pause down by \(lost) dB")
  }
}
