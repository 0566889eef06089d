import ArgumentParser
import Glibc

/// A gain on the command line: linear (`1.5`, `1.5x`) or in decibels as sox users type it
/// (`-3dB`, `+6dB`, `0dB`; 10^(dB/20) linear). `--gain` takes it.
///
/// A sign means decibels to sox users: `--gain -3` and `--gain +3` are refused, naming both
/// readings (`-3dB`, or a factor without a sign), rather than taken as a factor (`+3` was ×3).
package struct GainArgument: ExpressibleByArgument, Equatable, CustomStringConvertible {
  package let linear: Double

  package init(linear: Double) { self.linear = linear }

  package init?(argument: String) {
    guard let linear = try? Self.linear(argument) else { return nil }
    self.linear = linear
  }

  /// The largest gain: 10^6 (+120 dB), which keeps every sample finite.
  static let maximum = 1e6

  static let expected = "is not a gain: give a factor (1.5, 1.5x) or decibels (-3dB, +6dB)"

  /// The linear factor in `text`, or nil. The range is `--gain`'s own check.
  package static func parse(_ text: String) -> Double? {
    // `×1.5`, `1.5×` and `x1.5`, as audioprep prints a gain ("gain ×1.5"), are `1.5x`.
    var lower = text.lowercased().replacing("\u{00D7}", with: "x")
    if lower.hasPrefix("x") { lower = String(lower.dropFirst()) + "x" }
    if lower.hasSuffix("db") {
      guard let decibels = UnitArgument.number(lower.dropLast(2)) else { return nil }
      let linear = pow(10, decibels / 20)
      return linear.isFinite ? linear : nil
    }
    // A percentage is a factor (150% is 1.5), as --speech-threshold takes 50%.
    if lower.hasSuffix("%") { return UnitArgument.number(lower.dropLast()).map { $0 / 100 } }
    return UnitArgument.number(lower.hasSuffix("x") ? lower.dropLast() : Substring(lower))
  }

  /// The `transform` of `--gain`: a usage error naming the forms, a signed number without a
  /// unit naming both readings, and a gain beyond the range in the unit it was given in.
  static func linear(_ text: String) throws -> Double {
    guard let linear = parse(text) else { throw UnitError(expected) }
    let lower = text.lowercased().replacing("\u{00D7}", with: "x")
    if let sign = text.first, sign == "+" || sign == "-", !lower.hasSuffix("db"), !lower.hasSuffix("x"), !lower.hasSuffix("%") {
      let magnitude = String(text.dropFirst())
      throw UnitError(
        "has a sign but no unit, which sox users read as decibels: write \(text)dB for decibels"
          + (sign == "+" ? " or \(magnitude)x for a factor" : " (a factor has no sign: 0.5, 0.5x)"))
    }
    guard linear >= 0 else { throw UnitError("is not a gain: a factor is 0 or more (1.5, 1.5x); decibels may be negative (-3dB)") }
    // A bare 0 is sox's "unchanged" (gain 0 is 0 dB) and a factor of 0 here: silence, written
    // without a word. Both readings are named; 0x says silence, 0dB unchanged.
    if linear == 0, UnitArgument.number(Substring(lower)) != nil {
      throw UnitError("is ambiguous: a bare \(text) is a factor of 0 (silence), where sox's gain \(text) is 0dB (unchanged): write 0dB or 1x to leave the level, 0x for silence")
    }
    guard linear <= maximum else {
      throw UnitError(
        lower.hasSuffix("db") ? "is beyond +120dB, the largest gain (a factor of 1000000)" : "is beyond 1000000 (+120dB), the largest gain")
    }
    return linear
  }

  package var description: String { "\(linear)" }

  /// `--gain` as given: its factor, and its text when that is a bare number (no unit).
  struct Given {
    let linear: Double
    let text: String
    var isBareNumber: Bool { UnitArgument.number(Substring(text)) != nil }
  }

  /// A bare factor above this is warned about (sox users mean decibels): ×4 is +12 dB.
  static let largestUnwarnedFactor = 4.0

  /// The `transform` of `--gain`: `linear`, with the text kept.
  static func given(_ text: String) throws -> Given { Given(linear: try linear(text), text: text) }
}
