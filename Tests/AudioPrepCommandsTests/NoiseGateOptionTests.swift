@testable import AudioPrepCommands
import DSP
import Testing

/// `--no-noise-gate` turns the noise gate off in the rules the speech cuts use; it is on by default
/// and, as every speech option, named when given where nothing listens.
@Suite struct NoiseGateOptionTests {
  @Test func theGateIsOnUnlessTurnedOff() throws {
    #expect(try SpeechOptions.parse([]).rules.noiseGate)
    #expect(try SpeechOptions.parse(["--no-noise-gate"]).rules.noiseGate == false)
    #expect(try SpeechOptions.parse(["--no-noise-gate"]).firstGiven == "--no-noise-gate")
    #expect(try SpeechOptions.parse([]).firstGiven == nil)
  }

  @Test func theFingerprintSaysWhetherItRan() {
    let gated = SpeechCutting(.utterances).fingerprint
    let plain = SpeechCutting(.utterances, rules: SpeechRegionRules(noiseGate: false)).fingerprint
    #expect(gated == plain + "/gate")
  }
}
