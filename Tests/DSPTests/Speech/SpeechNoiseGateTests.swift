import DSP
import XCTest

/// The noise gate on levels with known percentiles (numpy's linear percentiles, worked by hand),
/// and on the detector: a sound WebRTC calls speech is not speech when it does not rise out of the
/// noise WebRTC heard as non-speech.
final class SpeechNoiseGateTests: XCTestCase {
  func gate(window: Int = 1000, noise levels: [Double]) -> SpeechNoiseGate {
    var gate = SpeechNoiseGate(windowFrames: window, minimumNoiseFrames: 33)
    for level in levels { XCTAssertFalse(gate.admit(false, level: level)) }
    return gate
  }

  func testAFrameMustClearTheFloorByTheNoisesSpread() {
    // 100 non-speech frames at −50, −49.9, …, −40.1 dB. The 30th percentile (rank 29.7) is
    // −47.03, the 2nd (rank 1.98) −49.802: the spread is 2.772 dB, so a frame must exceed
    // −44.258 dB. The frame judged is not one of the noise's levels.
    let noise = (0..<100).map { -50 + 0.1 * Double($0) }
    func judged(_ level: Double) -> Bool {
      var gate = gate(noise: noise)
      return gate.admit(true, level: level)
    }
    XCTAssertTrue(judged(-44.2))
    XCTAssertFalse(judged(-44.3))
    XCTAssertTrue(judged(-41))
  }

  func testInSteadyNoiseTheMarginIsHalfADecibel() {
    // 100 frames at −40 dB: no spread, so the margin is its minimum, 0.5 dB.
    func judged(_ level: Double) -> Bool {
      var gate = gate(noise: Array(repeating: -40, count: 100))
      return gate.admit(true, level: level)
    }
    XCTAssertTrue(judged(-39.4))
    XCTAssertFalse(judged(-39.6))
  }

  func testTheMarginIsAtMostSixDecibels() {
    // 10 frames at −100 dB (near silence) and 90 at −40: the floor is −40, the 2nd percentile
    // −100; the margin is 6 dB, not 60.
    func judged(_ level: Double) -> Bool {
      var gate = gate(noise: Array(repeating: -100, count: 10) + Array(repeating: -40, count: 90))
      return gate.admit(true, level: level)
    }
    XCTAssertTrue(judged(-33.9))
    XCTAssertFalse(judged(-34.1))
  }

  func testTheFloorFollowsTheNoiseOfTheLastWindow() {
    // 100 frames at −60 dB, then 100 at −20 dB: in a 100-frame window the −60 dB frames have
    // left and the floor is −20 dB (a frame at −19.8 is not speech); a window of 1000 still holds
    // them, its floor is −60 dB and the same frame passes.
    func judged(window: Int) -> Bool {
      var gate = gate(window: window, noise: Array(repeating: -60, count: 100) + Array(repeating: -20, count: 100))
      return gate.admit(true, level: -19.8)
    }
    XCTAssertFalse(judged(window: 100))
    XCTAssertTrue(judged(window: 1000))
  }

  func testSpeechDoesNotRaiseTheFloor() {
    // However long the speech, its frames are not noise: the floor stays at −40 dB.
    var gate = gate(noise: Array(repeating: -40, count: 100))
    for _ in 0..<2000 { XCTAssertTrue(gate.admit(true, level: -10)) }
    XCTAssertTrue(gate.admit(true, level: -39.4))
  }

  func testUntilASecondOfNoiseIsHeardTheDetectorsDecisionStands() {
    var gate = gate(noise: Array(repeating: -40, count: 32))
    XCTAssertTrue(gate.admit(true, level: -40))
    XCTAssertFalse(gate.admit(false, level: -40))
    XCTAssertFalse(gate.admit(true, level: -40))
  }

  func testDigitalSilenceIsNotNoise() {
    // Frames of zeros (−120 dB) are not counted: after 100 of them the gate has heard no noise,
    // and with 40 frames at −40 dB after them the floor is −40, not −120 + 0.5.
    var gate = gate(noise: Array(repeating: -120, count: 100))
    XCTAssertTrue(gate.admit(true, level: -119))
    for _ in 0..<40 { _ = gate.admit(false, level: -40) }
    XCTAssertFalse(gate.admit(true, level: -39.6))
    XCTAssertTrue(gate.admit(true, level: -39.4))
  }

  func testDigitalSilenceIsNeverSpeech() {
    var gate = gate(noise: [])
    XCTAssertFalse(gate.admit(true, level: -120))
    XCTAssertTrue(gate.admit(true, level: -119))
  }

  func testWhatTheDetectorCallsNonSpeechStaysNonSpeech() {
    var gate = gate(noise: Array(repeating: -100, count: 40))
    XCTAssertFalse(gate.admit(false, level: 0))
    XCTAssertTrue(gate.admit(true, level: 0))
  }

  func testTheWindowIsTenSecondsOfFramesAndTheGateWaitsForOne() {
    let gate = SpeechNoiseGate(sampleRate: 16000, frameLength: 480)
    XCTAssertEqual(gate.windowFrames, 333)
    XCTAssertEqual(gate.minimumNoiseFrames, 33)
    XCTAssertEqual(SpeechNoiseGate.level(meanSquare: 0), -120)
    XCTAssertEqual(SpeechNoiseGate.level(meanSquare: 0.01), -20, accuracy: 1e-12)
  }

  /// A voiced buzz (100 Hz pulses through formant-like resonances: three periods a 30 ms frame, so
  /// every frame has the same level) between stretches of white noise (RMS 0.02): 2 s of noise,
  /// 3 s of the buzz at the noise's level, 1 s of noise, 2 s of the buzz 6 dB over it. WebRTC
  /// calls the noise non-speech (but for its first 3 frames) and the buzz speech; the gate, which
  /// has heard the noise, calls the buzz at its level noise and the louder one speech. (6 dB under
  /// the noise, WebRTC itself calls the buzz non-speech.)
  func testASoundThatDoesNotRiseOutOfTheNoiseIsNotSpeech() throws {
    let period = (0..<160).map { n -> Double in
      let t = Double(n) / 16000
      var value = 0.0
      for harmonic in 1...30 {
        let f = 100.0 * Double(harmonic)
        value += (exp(-pow((f - 700) / 150, 2)) + 0.7 * exp(-pow((f - 1200) / 200, 2)) + 0.05) * sin(2 * .pi * f * t)
      }
      return value
    }
    let periodRMS = (period.reduce(0) { $0 + $1 * $1 } / 160).squareRoot()
    func buzz(seconds: Int, rms: Double) -> [Float] {
      (0..<(seconds * 16000)).map { Float(period[$0 % 160] * rms / periodRMS) }
    }
    var random = LCG(seed: 11)
    func noise(seconds: Int) -> [Float] {
      (0..<(seconds * 16000)).map { _ in Float(random.nextSigned() * 0.02 * 3.0.squareRoot()) }
    }
    let samples = noise(seconds: 2) + buzz(seconds: 3, rms: 0.02) + noise(seconds: 1) + buzz(seconds: 2, rms: 0.04)
    func decisions(gated: Bool) throws -> [Bool] {
      var heard: [Bool] = []
      let detector = try VoiceActivityDetector(mode: 3, noiseGate: gated) { heard.append($0) }
      _ = try detector.prepare(StreamFormat(sampleRate: 16000, channels: 1))
      try detector.analyze(AudioChunk(samples: samples, channels: 1))
      return heard
    }
    let plain = try decisions(gated: false)
    let gated = try decisions(gated: true)
    // Frames 0–65 are noise, 67–165 the quiet buzz, 167–198 noise, 200–265 the loud buzz.
    XCTAssertEqual(gated.count, 266)
    let quiet = 70..<166  // the buzz at the noise's level
    let loud = 203..<266
    XCTAssertTrue(plain[quiet].allSatisfy { $0 }, "WebRTC calls the quiet buzz speech")
    XCTAssertTrue(plain[loud].allSatisfy { $0 }, "WebRTC calls the loud buzz speech")
    XCTAssertFalse(gated[quiet].contains(true))
    XCTAssertTrue(gated[loud].allSatisfy { $0 })
    XCTAssertLessThan(plain[..<66].filter { $0 }.count, 6, "WebRTC calls the noise non-speech")
  }
}
