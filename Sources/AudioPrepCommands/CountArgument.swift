/// A whole number on the command line (`--threads`, `-j`, `--channel`, `--in-channels`,
/// `--chunk-samples`, `--buffer-chunks`, `--vad-mode`, `--audio-stream`): digits with an
/// optional sign (so that a range check can name a negative), `auto` where the option has a
/// default to fall back on, `mono`/`stereo` for channels. When it does not read, the usage error
/// names the forms that do.
package enum CountArgument: Equatable, Sendable {
  /// The option's default (`--threads auto`, `-j auto`: the number of cores).
  case auto
  case count(Int)

  /// The number, or nil for `auto`.
  package var count: Int? {
    if case .count(let count) = self { return count }
    return nil
  }

  /// The number in `text`, or nil when it is not one (digits with an optional sign). One past
  /// Int's range is refused as typed, naming `forms` (review60 W5: it was taken as Int's
  /// largest, for the option's range check, which said `got 9223372036854775807`; review40
  /// G04: before that, "not a whole number").
  static func whole(_ text: String, forms: String) throws -> Int? {
    let digits = text.first == "+" || text.first == "-" ? text.dropFirst() : Substring(text)
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
    guard let value = Int(text.first == "+" ? String(digits) : text) else {
      throw UnitError(pastAnyNumber(negative: text.first == "-", of: "count", forms: forms))
    }
    return value
  }

  /// The words for a number past Int's range: "is more than any count audioprep takes: give …".
  static func pastAnyNumber(negative: Bool, of kind: String, forms: String) -> String {
    "is \(negative ? "less" : "more") than any \(kind) audioprep takes: give \(forms)"
  }

  /// A whole number, refused naming `forms`: values the option takes (`--vad-mode`: "0, 1, 2
  /// or 3"; `--channel`: "one such as 0 or 1 …"), so that the example given is one that works.
  static func parser(giving forms: String) -> @Sendable (String) throws -> Int {
    { text in
      guard let value = try whole(text, forms: forms) else { throw UnitError("is not a whole number: give \(forms)") }
      return value
    }
  }

  /// A whole number or `auto`: `4`, `auto`.
  static func parseOrAuto(_ text: String) throws -> CountArgument {
    if text.lowercased() == "auto" { return .auto }
    let forms = "a whole number such as 4, or auto"
    guard let value = try whole(text, forms: forms) else { throw UnitError("is not a count: give \(forms)") }
    return .count(value)
  }

  /// Channels: `1`, `2`, `mono`, `stereo`.
  static func channels(_ text: String) throws -> Int {
    switch text.lowercased() {
    case "mono": return 1
    case "stereo": return 2
    default:
      guard let value = try whole(text, forms: "1, 2, mono or stereo") else { throw UnitError("is not a channel count: give 1, 2, mono or stereo") }
      return value
    }
  }
}
