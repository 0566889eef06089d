import ArgumentParser

/// A frequency on the command line, as sox and ffmpeg users type it: `80`, `80Hz`, `16k`,
/// `16kHz`, `0.08kHz` (units case-insensitive). `--highpass` takes it.
package struct FrequencyArgument: ExpressibleByArgument, Equatable, CustomStringConvertible {
  package let hertz: Double

  package init(hertz: Double) { self.hertz = hertz }

  package init?(argument: String) {
    guard let hertz = Self.parse(argument) else { return nil }
    self.hertz = hertz
  }

  /// What the error names when a value is not a frequency.
  static let expected = "is not a frequency: give Hz as 80, 80Hz, 16k or 16kHz (0 turns the high-pass off)"

  /// Hertz in `text`, or nil when it is not a number with an optional `Hz`, `k` or `kHz`.
  /// The range is each option's own check.
  package static func parse(_ text: String) -> Double? {
    let (number, scale) = UnitArgument.split(text, units: [("khz", 1000), ("hz", 1), ("k", 1000)])
    return UnitArgument.number(number).map { $0 * scale }
  }

  /// The `transform` of an option that takes a frequency: a usage error naming the units.
  static func hertz(_ text: String) throws -> Double {
    guard let hertz = parse(text) else { throw UnitError(expected) }
    return hertz
  }

  package var description: String { "\(hertz)" }
}

/// A sample rate: a frequency that is a whole number of Hz (`16000`, `16k`, `44.1k`, `48kHz`).
/// `--rate`, `--in-rate` and `response --input-rate` take it.
package struct SampleRateArgument: ExpressibleByArgument, Equatable, CustomStringConvertible {
  package let hertz: Int

  package init(hertz: Int) { self.hertz = hertz }

  package init?(argument: String) {
    guard let hertz = Self.parse(argument) else { return nil }
    self.hertz = hertz
  }

  static let expected = "is not a sample rate: give whole Hz as 16000, 16000Hz, 16k or 44.1kHz"

  /// Whole hertz in `text`, or nil (a fraction of a hertz is not a rate, nor is a number past
  /// 2^62 Hz: `hertz` refuses that as typed). A rate the option does not take is left to its
  /// range check (review40 G04: `--rate 4000000000` was "not a sample rate").
  package static func parse(_ text: String) -> Int? {
    guard let hertz = FrequencyArgument.parse(text), hertz.isFinite, abs(hertz) < 0x1p62 else { return nil }
    // 44.1k is 44100.00000000001 in binary: round what is within a millionth of a hertz.
    let whole = hertz.rounded()
    guard abs(hertz - whole) < 1e-6 else { return nil }
    return Int(whole)
  }

  static func hertz(_ text: String) throws -> Int {
    if let hertz = FrequencyArgument.parse(text), hertz.isFinite, abs(hertz) >= 0x1p62 {
      // review60 W5: echoed as Int's largest, `got 9223372036854775807`.
      throw UnitError(CountArgument.pastAnyNumber(negative: hertz < 0, of: "sample rate", forms: "whole Hz as 16000, 16000Hz, 16k or 44.1kHz"))
    }
    guard let hertz = parse(text) else { throw UnitError(expected) }
    return hertz
  }

  package var description: String { String(hertz) }
}
