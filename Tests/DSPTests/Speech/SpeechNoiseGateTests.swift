import DSP
import XCTest

/// The noise gate on levels with known percentiles (numpy's linear percentiles, worked by hand),
/// and on the detector: a steady sound is noise to the gate, however speech-like its spectrum.
final class SpeechNoiseGateTests: XCTestCase {
  func testAFrameMustClearTheFloorByTheNoisesSpread() {
    // 100 non-speech frames at −50, −49.9, …, −40.1 dB, then the frame judged: 101 levels. With
    // the frame between −48.5 and −40.1, the 15th percentile (rank 15) is −48.5 and the 2nd
    // (rank 2) −49.8: the spread is 1.3 dB, so a frame must exceed −47.2 dB.
    func judged(_ level: Double) -> Bool {
      var gate = SpeechNoiseGate(windowFrames: 101)
      for i in 0..<100 { XCTAssertFalse(gate.admit(false, level: -50 + 0.1 * Double(i))) }
      return gate.admit(true, level: level)
    }
    XCTAssertTrue(judged(-47.1))
    XCTAssertFalse(judged(-47.3))
    XCTAssertTrue(judged(-41))
  }

  func testInSteadyNoiseTheMarginIsHalfADecibel() {
    // 100 frames at −40 dB: no spread, so the margin is its minimum, 0.5 dB.
    func judged(_ level: Double) -> Bool {
      var gate = SpeechNoiseGate(windowFrames: 1000)
      for _ in 0..<100 { _ = gate.admit(false, level: -40) }
      return gate.admit(true, level: level)
    }
    XCTAssertTrue(judged(-39.4))
    XCTAssertFalse(judged(-39.6))
  }

  func testTheFloorFollowsTheNoiseOfTheLastWindow() {
    // 100 frames at −60 dB, then 100 at −20 dB: in a 100-frame window the −60 dB frames have
    // left and the floor is −20 dB (a frame at −19.8 is not speech); a window of 1000 still holds
    // them, its floor is −60 dB and the same frame passes.
    func judged(window: Int) -> Bool {
      var gate = SpeechNoiseGate(windowFrames: window)
      for _ in 0..<100 { _ = gate.admit(false, level: -60) }
      for _ in 0..<100 { _ = gate.admit(false, level: -20) }
      return gate.admit(true, level: -19.8)
    }
    XCTAssertFalse(judged(window: 100))
    XCTAssertTrue(judged(window: 1000))
  }

  func testWhatTheDetectorCallsNonSpeechStaysNonSpeech() {
    var gate = SpeechNoiseGate(windowFrames: 10)
    for _ in 0..<10 { _ = gate.admit(false, level: -120) }
    XCTAssertFalse(gate.admit(false, level: 0))
    XCTAssertTrue(gate.admit(true, level: 0))
  }

  func testTheWindowIsTenSecondsOfFrames() {
    XCTAssertEqual(SpeechNoiseGate(sampleRate: 16000, frameLength: 480).windowFrames, 333)
    XCTAssertEqual(SpeechNoiseGate.level(meanSquare: 0), -120)
    XCTAssertEqual(SpeechNoiseGate.level(meanSquare: 0.01), -20, accuracy: 1e-12)
  }

  /// A voiced buzz (100 Hz pulses through formant-like resonances: three periods a 30 ms frame, so
  /// every frame has the same level) held steady for 12 s after a second of silence, then 6 dB
  /// louder for a second. WebRTC calls the steady buzz speech; once
  /// the 10 s window holds only the buzz, the gate calls it noise, and the louder second speech.
  func testASteadySoundIsNoiseToTheGateAndWhatRisesOutOfItIsSpeech() throws {
    var samples = [Float](repeating: 0, count: 16000)
    for n in 0..<(13 * 16000) {
      let t = Double(n) / 16000
      var value = 0.0
      for harmonic in 1...30 {
        let f = 100.0 * Double(harmonic)
        value += (exp(-pow((f - 700) / 150, 2)) + 0.7 * exp(-pow((f - 1200) / 200, 2)) + 0.05) * sin(2 * .pi * f * t)
      }
      samples.append(Float((n < 12 * 16000 ? 0.1 : 0.2) * value))
    }
    func decisions(gated: Bool) throws -> [Bool] {
      var heard: [Bool] = []
      let detector = try VoiceActivityDetector(mode: 3, noiseGate: gated) { heard.append($0) }
      _ = try detector.prepare(StreamFormat(sampleRate: 16000, channels: 1))
      try detector.analyze(AudioChunk(samples: samples, channels: 1))
      return heard
    }
    let plain = try decisions(gated: false)
    let gated = try decisions(gated: true)
    // Frames 34–432 are the steady buzz (1.02–13 s), 434–465 the louder second.
    XCTAssertEqual(gated.count, 466)
    let steadyLate = 400..<433
    let louder = 435..<466
    XCTAssertTrue(plain[steadyLate].allSatisfy { $0 }, "WebRTC calls the buzz speech")
    XCTAssertFalse(gated[steadyLate].contains(true))
    XCTAssertTrue(gated[louder].allSatisfy { $0 })
    XCTAssertFalse(gated[..<33].contains(true))
  }
}
