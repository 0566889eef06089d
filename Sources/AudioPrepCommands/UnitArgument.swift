/// The one place a value with a unit is read from the command line: a number followed by one
/// of its option's units, and, when it does not read, the usage error naming the forms that do.
/// Every option taking decibels, milliseconds, a share, hertz, a gain, a level or a duration reads
/// through here (`FrequencyArgument`, `SampleRateArgument`, `GainArgument`, `LevelArgument`,
/// `DurationArgument`; counts: `CountArgument`).
enum UnitArgument {
  /// The number's text and the scale of the unit `text` ends with (matched case-insensitively,
  /// longest first as listed), or scale 1 without a unit.
  static func split(_ text: String, units: [(suffix: String, scale: Double)]) -> (number: Substring, scale: Double) {
    let lower = Substring(text.lowercased())
    for unit in units where lower.hasSuffix(unit.suffix) {
      return (lower.dropLast(unit.suffix.count), unit.scale)
    }
    return (lower, 1)
  }

  /// A finite decimal number (sign and exponent allowed, so that a range check can name what
  /// was given); nil for hex, `inf`, `nan` and the empty text, which `Double(_:)` would take.
  static func number(_ text: Substring) -> Double? {
    guard !text.isEmpty, text.allSatisfy({ "0123456789.+-e".contains($0) }), let value = Double(text), value.isFinite
    else { return nil }
    return value
  }

  /// `text` with its decimal comma written as a point (`1,5` → `1.5`, `44,1k` → `44.1k`), as a
  /// German or French locale writes numbers; nil when it has none (one comma between digits).
  static func decimalPoint(_ text: some StringProtocol) -> String? {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false)
    guard parts.count == 2, parts[0].last?.isNumber == true, parts[1].first?.isNumber == true else { return nil }
    return parts.joined(separator: ".")
  }

  /// `text` without its thousands separators (`16,000` → `16000`, `1,000,000`), for a value
  /// that is a whole number of hertz; nil when it has none.
  static func withoutThousands(_ text: some StringProtocol) -> String? {
    let groups = text.split(separator: ",", omittingEmptySubsequences: false)
    guard groups.count > 1, (1...3).contains(groups[0].count), groups.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
      groups.dropFirst().allSatisfy({ $0.count == 3 })
    else { return nil }
    return groups.joined()
  }

  /// `text` as a number with one of `units` or none (scale 1), or a `UnitError` saying
  /// "is not `what`: give `forms`".
  static func read(_ text: String, units: [(suffix: String, scale: Double)], what: String, forms: String) throws -> Double {
    let (digits, scale) = split(text, units: units)
    guard let value = number(digits) else { throw UnitError("is not \(what): give \(forms)") }
    return value * scale
  }

  /// Decibels: `30`, `30dB` (`--q`, `--snr-min`).
  static func decibels(_ text: String) throws -> Double {
    try read(text, units: [("db", 1)], what: "a value in dB", forms: "30 or 30dB")
  }

  /// Milliseconds: `20`, `20ms`, `0.02s` (`--chunk-ms`).
  static func milliseconds(_ text: String) throws -> Double {
    try read(text, units: [("ms", 1), ("s", 1000)], what: "a length in milliseconds", forms: "20, 20ms or 0.02s")
  }

  /// A share from 0 to 1: `0.5`, `50%` (`--speech-threshold`).
  static func share(_ text: String) throws -> Double {
    try read(text, units: [("%", 0.01)], what: "a share", forms: "0.5 or 50%")
  }

  /// A linear Q: `0.7071` (`--q-linear`). A Q in dB is --q's, with the value as typed.
  static func linearQ(_ text: String) throws -> Double {
    if text.lowercased().hasSuffix("db"), number(Substring(text.dropLast(2))) != nil {
      throw UnitError("is in dB, and --q-linear is linear: give 0.7071, or --q \(text)")
    }
    return try read(text, units: [], what: "a number", forms: "a linear Q such as 0.7071")
  }

  /// A plain number, exponent allowed: `0.0001`, `1e-4` (`--tolerance`).
  static func plain(_ text: String) throws -> Double {
    try read(text, units: [], what: "a number", forms: "0.0001 or 1e-4")
  }
}

/// A value that does not read in its option's unit; its text says which forms do. (What
/// argument-parser prints after "The value 'X' is invalid for '--opt <v>': ".)
struct UnitError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
