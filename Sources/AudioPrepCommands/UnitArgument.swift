/// What the values with units (`FrequencyArgument`, `SampleRateArgument`, `GainArgument`)
/// share: a number followed by one of its option's units, and the usage error when it is not.
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
}

/// A value that does not read in its option's unit; its text says which forms do. (What
/// argument-parser prints after "The value 'X' is invalid for '--opt <v>': ".)
struct UnitError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
