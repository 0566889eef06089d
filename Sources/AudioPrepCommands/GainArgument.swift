import ArgumentParser
import Glibc

/// A gain on the command line: linear (`1.5`, `1.5x`) or in decibels as sox users type it
/// (`-3dB`, `+6dB`, `0dB`; 10^(dB/20) linear). `--gain` takes it.
package struct GainArgument: ExpressibleByArgument, Equatable, CustomStringConvertible {
  package let linear: Double

  package init(linear: Double) { self.linear = linear }

  package init?(argument: String) {
    guard let linear = Self.parse(argument) else { return nil }
    self.linear = linear
  }

  static let expected = "is not a gain: give a factor (1.5, 1.5x) or decibels (-3dB, +6dB)"

  /// The linear factor in `text`, or nil. The range is `--gain`'s own check.
  package static func parse(_ text: String) -> Double? {
    let lower = text.lowercased()
    if lower.hasSuffix("db") {
      guard let decibels = UnitArgument.number(lower.dropLast(2)) else { return nil }
      let linear = pow(10, decibels / 20)
      return linear.isFinite ? linear : nil
    }
    return UnitArgument.number(lower.hasSuffix("x") ? lower.dropLast() : Substring(lower))
  }

  static func linear(_ text: String) throws -> Double {
    guard let linear = parse(text) else { throw UnitError(expected) }
    return linear
  }

  package var description: String { "\(linear)" }
}
