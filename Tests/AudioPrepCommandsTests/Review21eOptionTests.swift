@testable import AudioPrepCommands
import Foundation
import ArgumentParser
import Testing

/// An option given twice (review21e 15): `-o a.wav -o b.wav` wrote only b.wav, `--rate 16k
/// --rate 8k` ran at 8 kHz, silently. An ffmpeg user's two outputs are refused (one output a
/// run); another option's last value is used, as ffmpeg does, with its warning.
@Suite struct RepeatedOptionTests {
  @Test func aSecondOutputIsRefusedAnotherValueWarned() {
    #expect(
      AudioPrep.usageError(["in.wav", "-o", "p7.wav", "-o", "p8.wav", "--force"])
        == "audioprep: -o given twice (p7.wav, p8.wav): process writes one output; give -o once (see 'audioprep process --help')")
    #expect(AudioPrep.usageError(["in.wav", "-o", "p7.wav", "--output=p8.wav"])?.hasPrefix("audioprep: -o given twice (p7.wav, p8.wav)") == true)
    #expect(RepeatedOptions.warnings(["in.wav", "--rate", "16k", "--rate=8k", "-o", "p6.wav"]) == ["audioprep: --rate given twice (16k, 8k); the last, 8k, is used"])
    #expect(RepeatedOptions.warnings(["batch", "in", "--out-dir", "o", "-j", "2", "--jobs", "4"]) == ["audioprep: -j given twice (2, 4); the last, 4, is used"])
    // The same value twice, or a flag twice, changes nothing: no warning.
    #expect(RepeatedOptions.warnings(["in.wav", "--rate", "16k", "--rate", "16k", "--force", "--force"]) == [])
    #expect(RepeatedOptions.warnings(["in.wav", "--gain", "-3dB", "--q", "-3"]) == [])
  }
}

/// `--gain 6` was ×6 (+15.6 dB, a third of the samples clipped) without a word, where sox's
/// `gain 6` (and audioprep's own hint for it) is 6 dB; `--gain -3` was refused (review21e 19).
/// A bare factor above 4 is warned about, naming both readings; a unit says which is meant.
@Suite struct BareGainTests {
  /// A bare 0 is sox's "unchanged" (0 dB) and a factor of 0 here: it wrote silence, exit 0
  /// (review21f). It is refused naming both readings; 0x, 0dB and 1x are taken.
  @Test func aBareZeroGainIsRefusedNamingBothReadings() throws {
    for zero in ["0", "0.0", "00"] {
      #expect(throws: (any Error).self, "\(zero)") { try ChainShapeOptions.parse(["--gain", zero]) }
      let line = AudioPrep.usageError(["in.wav", "-o", "x.wav", "--gain", zero]) ?? "parsed"
      #expect(line.contains("a bare \(zero) is a factor of 0 (silence)") && line.contains("0dB"), "\(line)")
    }
    for taken in ["0x", "0dB", "1x"] { #expect(throws: Never.self) { try ChainShapeOptions.parse(["--gain", taken]) } }
  }

  @Test func aLargeBareGainIsWarnedAbout() throws {
    #expect(
      try ChainShapeOptions.parse(["--gain", "6"]).warnings
        == ["audioprep: --gain 6 is a factor of 6 (+15.6 dB; a bare number is a factor); sox's gain 6 is decibels: write 6dB for those, or 6x for the factor"])
    for quiet in [["--gain", "4"], ["--gain", "6x"], ["--gain", "6dB"], ["--gain", "1.5"], []] {
      #expect(try ChainShapeOptions.parse(quiet).warnings == [], "\(quiet)")
    }
  }
}
