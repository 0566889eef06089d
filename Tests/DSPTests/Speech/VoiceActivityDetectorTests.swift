import DSP
import XCTest

/// WebRTC's detector through the library: frames of the chosen length, samples untouched.
final class VoiceActivityDetectorTests: XCTestCase {
  func testSilenceIsNotSpeechAndSamplesAreUnchanged() throws {
    var decisions: [Bool] = []
    let detector = try VoiceActivityDetector(mode: 3, frameMilliseconds: 20) { decisions.append($0) }
    _ = try detector.prepare(StreamFormat(sampleRate: 16000, channels: 1))
    let input = [Float](repeating: 0, count: 16000 + 100)
    var chunk = AudioChunk(samples: input, channels: 1)
    try detector.process(&chunk)
    XCTAssertEqual(chunk.samples, input)
    XCTAssertEqual(decisions.count, 50)  // 1 s of 20 ms frames; the last 100 samples wait
    XCTAssertEqual(detector.pendingFrames, 100)
    XCTAssertFalse(decisions.contains(true))
  }

  func testAVoicedSoundIsSpeech() throws {
    // A 120 Hz glottal-like pulse train through formant-ish resonances at 700 and 1200 Hz, loud,
    // after a second of silence: WebRTC calls most of its frames speech.
    var decisions: [Bool] = []
    let detector = try VoiceActivityDetector(mode: 0) { decisions.append($0) }
    _ = try detector.prepare(StreamFormat(sampleRate: 16000, channels: 1))
    var samples = [Float](repeating: 0, count: 16000)
    for n in 0..<32000 {
      let t = Double(n) / 16000
      var value = 0.0
      for harmonic in 1...30 {
        let f = 120.0 * Double(harmonic)
        let formant = exp(-pow((f - 700) / 150, 2)) + 0.7 * exp(-pow((f - 1200) / 200, 2)) + 0.05
        value += formant * sin(2 * .pi * f * t)
      }
      samples.append(Float(0.3 * value * (0.6 + 0.4 * sin(2 * .pi * 4 * t))))
    }
    try detector.analyze(AudioChunk(samples: samples, channels: 1))
    let silent = decisions[..<33]
    let voiced = decisions[34...]
    XCTAssertFalse(silent.contains(true))
    XCTAssertGreaterThan(Double(voiced.filter { $0 }.count) / Double(voiced.count), 0.9)
  }

  func testRatesAndFramesTheDetectorDoesNotTakeAreRefused() throws {
    XCTAssertThrowsError(try VoiceActivityDetector(frameMilliseconds: 25))
    XCTAssertThrowsError(try VoiceActivityDetector(mode: 4))
    XCTAssertThrowsError(try VoiceActivityDetector().prepare(StreamFormat(sampleRate: 22050, channels: 1)))
  }
}
