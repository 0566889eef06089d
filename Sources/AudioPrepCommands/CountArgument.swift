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

  /// The number in `text`; one past Int's range is Int's largest (or smallest), for the
  /// option's range check to refuse (review40 G04: it was "not a whole number").
  static func whole(_ text: String) -> Int? {
    let digits = text.first == "+" || text.first == "-" ? text.dropFirst() : Substring(text)
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
    return Int(text.first == "+" ? String(digits) : text) ?? (text.first == "-" ? Int.min : Int.max)
  }

  /// A whole number, refused naming `forms`: values the option takes (`--vad-mode`: "0, 1, 2
  /// or 3"; `--channel`: "one such as 0 or 1 …"), so that the example given is one that works.
  static func parser(giving forms: String) -> @Sendable (String) throws -> Int {
    { text in
      guard let value = whole(text) else { throw UnitError("is not a whole number: give \(forms)") }
      return value
    }
  }

  /// A whole number or `auto`: `4`, `auto`.
  static func parseOrAuto(_ text: String) throws -> CountArgument {
    if text.lowercased() == "auto" { return .auto }
    guard let value = whole(text) else { throw UnitError("is not a count: give a whole number such as 4, or auto") }
    return .count(value)
  }

  /// Channels: `1`, `2`, `mono`, `stereo`.
  static func channels(_ text: String) throws -> Int {
    switch text.lowercased() {
    case "mono": return 1
    case "stereo": return 2
    default:
      guard let value = whole(text) else { throw UnitError("is not a channel count: give 1, 2, mono or stereo") }
      return value
    }
  }
}
