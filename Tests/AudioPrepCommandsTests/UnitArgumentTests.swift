import AudioPrepCommands
import Foundation
import Testing

/// Values with units as sox and ffmpeg users type them (issue 21). Each expected value is
/// written out independently of the parser (10^(dB/20) from Foundation's pow, not the code's).
@Suite struct UnitArgumentTests {
  @Test(arguments: [
    ("16000", 16000), ("16k", 16000), ("16kHz", 16000), ("16khz", 16000), ("16K", 16000), ("16000Hz", 16000),
    ("16000hz", 16000), ("44.1k", 44100), ("44.1kHz", 44100), ("22.05k", 22050), ("8k", 8000), ("48000", 48000),
  ])
  func sampleRates(text: String, hertz: Int) {
    #expect(SampleRateArgument.parse(text) == hertz)
    #expect(SampleRateArgument(argument: text)?.hertz == hertz)
  }

  /// Not a whole number of Hz, no number, an unknown unit, spaces, hex, inf.
  @Test(arguments: ["", "k", "Hz", "16q", "16 k", " 16k", "16kk", "16MHz", "16.5", "44.1001k", "0x10", "inf", "nan", "16k "])
  func notSampleRates(text: String) {
    #expect(SampleRateArgument.parse(text) == nil)
  }

  @Test(arguments: [
    ("80", 80.0), ("80Hz", 80.0), ("80hz", 80.0), ("0.08kHz", 80.0), ("0.5k", 500.0), ("0", 0.0), ("7999.5", 7999.5),
  ])
  func frequencies(text: String, hertz: Double) {
    #expect(FrequencyArgument.parse(text) == hertz)
  }

  @Test(arguments: ["", "Hz", "80 Hz", "80Hzz", "eighty", "inf", "0x50"])
  func notFrequencies(text: String) {
    #expect(FrequencyArgument.parse(text) == nil)
  }

  @Test(arguments: [
    ("1.5", 1.5), ("1.5x", 1.5), ("2X", 2.0), ("1", 1.0), ("0dB", 1.0), ("+6dB", Foundation.pow(10.0, 0.3)),
    ("-3dB", Foundation.pow(10.0, -0.15)), ("-6db", 0.501187233627272), ("20dB", 10.0), ("-20dB", 0.1),
  ])
  func gains(text: String, linear: Double) throws {
    let parsed = try #require(GainArgument.parse(text))
    #expect(abs(parsed - linear) <= 1e-12 * linear, "\(text): \(parsed) vs \(linear)")
  }

  @Test(arguments: ["", "dB", "x", "1.5xx", "three", "3 dB", "infdB", "nan", "1e400dB", "0x2"])
  func notGains(text: String) {
    #expect(GainArgument.parse(text) == nil)
  }

  /// The options read the units: the configuration a run gets.
  @Test func optionsTakeUnits() throws {
    let options = try PipelineOptions.parse(["--rate", "22.05k", "--highpass", "0.1kHz", "--gain", "-6dB"])
    #expect(options.configuration.outputRate == 22050)
    #expect(options.configuration.highPassHz == 100)
    #expect(abs(Double(options.configuration.gain) - 0.501187233627272) < 1e-6)
    let raw = try RawInputOptions.parse(["--in-rate", "48k", "--in-channels", "1", "--in-encoding", "s16"])
    #expect(try raw.rawFormat(for: "-").sampleRate == 48000)
  }

  /// A value that is not in the unit is a usage error that names the forms that are.
  @Test func badValuesNameTheUnits() {
    for (arguments, expected) in [
      (["--rate", "16q"], "--rate: '16q' is not a sample rate: give whole Hz as 16000, 16000Hz, 16k or 44.1kHz"),
      (["--highpass", "80Hzz"], "--highpass: '80Hzz' is not a frequency: give Hz as 80, 80Hz, 16k or 16kHz (0 turns the high-pass off)"),
      (["--gain", "3 dB"], "--gain: '3 dB' is not a gain: give a factor (1.5, 1.5x) or decibels (-3dB, +6dB)"),
    ] {
      #expect(throws: (any Error).self) { try PipelineOptions.parse(arguments) }
      do {
        _ = try PipelineOptions.parse(arguments)
      } catch {
        #expect(AudioPrep.usageLine(PipelineOptions.message(for: error)) == expected)
      }
    }
  }
}
