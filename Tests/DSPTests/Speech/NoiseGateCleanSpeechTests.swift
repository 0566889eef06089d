import DSP
import TestSupport
import XCTest

/// The noise gate on recordings without noise, or with digital silence: it must not take speech
/// away where there is no noise to measure. The references are the clean fixture's extent (numpy on
/// `Fixtures/speech.wav`, 22.05 kHz: the first and last sample above −40 dBFS are at 0.013 s and
/// 3.256 s) and the same rules without the gate.
final class NoiseGateCleanSpeechTests: XCTestCase {
  let format = StreamFormat(sampleRate: 16000, channels: 1)

  /// `path` through the default chain (16 kHz, high-pass, gain), as `--utterances` hears it.
  func processed(_ path: String) throws -> [Float] {
    let sink = MemorySink()
    _ = try Pipeline.run(source: try openAudioSource(path: path), sink: sink, configuration: PipelineConfiguration())
    return sink.samples
  }

  func regions(_ samples: [Float], gated: Bool) throws -> [Range<Int>] {
    let meter = try SpeechMeter(stream: format, rules: SpeechRegionRules(noiseGate: gated))
    var regions: [Range<Int>] = []
    meter.onRegion = { regions.append($0) }
    for start in stride(from: 0, to: samples.count, by: 1600) {
      try meter.write(AudioChunk(samples: Array(samples[start..<min(samples.count, start + 1600)]), channels: 1))
    }
    _ = try meter.finish()
    return regions
  }

  func seconds(_ frames: Range<Int>) -> String {
    String(format: "%.2f-%.2f s", Double(frames.lowerBound) / 16000, Double(frames.upperBound) / 16000)
  }

  /// Fixtures/speech.flac (3.6 s, speech from 0.013 s to 3.256 s): the gate once kept 0.06–1.35 s
  /// and 1.50–1.95 s of it, taking the sentence's own level for the noise floor. Now one region
  /// from where WebRTC alone starts it (0.06 s) past the sentence's last sound; WebRTC alone ends
  /// it at 3.39 s, the gate at 3.36 s (the frames of zeros WebRTC's hangover calls speech are not).
  func testAShortCleanFileKeepsItsWholeSentence() throws {
    let samples = try processed(fixtures + "/speech.flac")
    let gated = try regions(samples, gated: true)
    let plain = try regions(samples, gated: false)
    XCTAssertEqual(gated.count, 1, "\(gated.map(seconds))")
    XCTAssertEqual(plain.count, 1, "\(plain.map(seconds))")
    guard let region = gated.first, let whole = plain.first else { return }
    XCTAssertEqual(region.lowerBound, whole.lowerBound)
    XCTAssertLessThanOrEqual(region.lowerBound, Int(0.1 * 16000), seconds(region))
    XCTAssertGreaterThanOrEqual(region.upperBound, Int(3.256 * 16000), seconds(region))
    XCTAssertLessThanOrEqual(region.upperBound, whole.upperBound)
  }

  /// The sentence from its first to its last sound, four times with no pause between (13 s, more
  /// than the gate's 10 s window): speech from the first frame to the last, one region.
  func testCleanSpeechFromFirstToLastFrameIsOneRegion() throws {
    let sentence = try processed(fixtures + "/speech.wav")
    let active = sentence[Int(0.013 * 16000)..<Int(3.256 * 16000)]
    let samples = [Float]((0..<4).map { _ in active }.joined())
    let gated = try regions(samples, gated: true)
    XCTAssertEqual(gated.map(seconds), try regions(samples, gated: false).map(seconds))
    XCTAssertEqual(gated.count, 1, "\(gated.map(seconds))")
    guard let region = gated.first else { return }
    XCTAssertLessThanOrEqual(region.lowerBound, Int(0.1 * 16000), seconds(region))
    XCTAssertGreaterThanOrEqual(region.upperBound, samples.count - Int(0.1 * 16000), seconds(region))
  }

  /// Digital silence and steady white noise (−40 dBFS RMS) hold no speech, gated or not.
  func testSilenceAndNoiseHoldNoSpeech() throws {
    let silence = [Float](repeating: 0, count: 12 * 16000)
    var random = LCG(seed: 7)
    // Uniform noise in ±0.01·√3: an RMS of 0.01.
    let noise = (0..<(12 * 16000)).map { _ in Float(random.nextSigned() * 0.01 * 3.0.squareRoot()) }
    for (name, samples) in [("silence", silence), ("noise", noise)] {
      XCTAssertEqual(try regions(samples, gated: true), [], name)
      XCTAssertEqual(try regions(samples, gated: false), [], name)
    }
  }

  /// Zeros before a noisy recording are not its noise: 1 s of digital silence, then the sentence
  /// three times in white noise (10 dB under the sentence's power), 1 s apart. The gate keeps as
  /// much of the sentences (from their first to their last sound) as it does without the zeros,
  /// and nearly as much as WebRTC alone. (Counted as noise, the zeros made the margin ~70 dB, the
  /// floor's percentile on the noise and the spread's on the zeros, and dropped the first 10 s.)
  func testZerosBeforeANoisyRecordingAreNotItsNoise() throws {
    let sentence = try processed(fixtures + "/speech.wav")
    let power = sentence.reduce(0.0) { $0 + Double($1 * $1) } / Double(sentence.count)
    let noiseRMS = (power / 10).squareRoot()
    var random = LCG(seed: 5)
    var clean = [Float](repeating: 0, count: 16000)
    var speech: [Range<Int>] = []
    for _ in 0..<3 {
      speech.append((clean.count + Int(0.013 * 16000))..<(clean.count + Int(3.256 * 16000)))
      clean += sentence + [Float](repeating: 0, count: 16000)
    }
    let noisy = clean.map { $0 + Float(random.nextSigned() * noiseRMS * 3.0.squareRoot()) }
    /// The share of the sentences' samples inside `found`, `offset` samples later.
    func kept(_ found: [Range<Int>], offset: Int = 0) -> Double {
      let inside = speech.reduce(0) { total, range in
        total + found.reduce(0) { $0 + max(0, min($1.upperBound, range.upperBound + offset) - max($1.lowerBound, range.lowerBound + offset)) }
      }
      return Double(inside) / Double(speech.reduce(0) { $0 + $1.count })
    }
    let zeros = [Float](repeating: 0, count: 16000)
    let padded = kept(try regions(zeros + noisy, gated: true), offset: 16000)
    let unpadded = kept(try regions(noisy, gated: true))
    let plain = kept(try regions(zeros + noisy, gated: false), offset: 16000)
    XCTAssertGreaterThan(padded, unpadded - 0.02)
    XCTAssertGreaterThan(padded, plain - 0.1)
  }
}
