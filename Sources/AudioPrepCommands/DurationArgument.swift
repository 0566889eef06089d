import ArgumentParser

/// A length of time on the command line: "30s", "1.5s", "100ms", "2m", "1h", plain seconds,
/// units in a row as ffmpeg and sox users write them ("1m30s", "1h2m3.5s"), or a clock
/// ("1:30", "00:01:30.5").
package struct DurationArgument: ExpressibleByArgument, Equatable {
  package let seconds: Double
  /// Written without a unit ("250": seconds), which `OutputOptions.warnings` looks at.
  package var isBareNumber = false

  package init(seconds: Double) { self.seconds = seconds }

  package init?(argument: String) {
    guard let parsed = Self.parse(argument) else { return nil }
    seconds = parsed
    isBareNumber = Self.isBare(argument)
  }

  /// The `transform` of an option that takes a duration: a usage error naming the forms.
  static func parsing(_ text: String) throws -> DurationArgument {
    guard let seconds = parse(text) else {
      // A duration, only too long: said so (review34b B12: "10000001" was "not a duration").
      if let seconds = text.contains(":") ? clock(text) : units(text), seconds > maximumSeconds {
        throw UnitError("is more than 10^7 s (116 days), the longest duration audioprep takes")
      }
      throw UnitError(expected)
    }
    var argument = DurationArgument(seconds: seconds)
    argument.isBareNumber = isBare(text)
    return argument
  }

  private static func isBare(_ text: String) -> Bool { text.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") } }

  /// What the error names when a value is not a duration.
  static let expected = "is not a duration: give seconds as 30, 30s, 1.5s, 100ms, 2m, 1h, 1m30s, 1:30 or 0:01:30.5"

  /// The longest duration accepted: 10^7 s (116 days), so that frame counts at any rate stay
  /// far inside `Int`.
  package static let maximumSeconds = 1e7

  /// Seconds in `text`, or nil when it is not a non-negative duration up to `maximumSeconds`.
  package static func parse(_ text: String) -> Double? {
    let seconds = text.contains(":") ? clock(text) : units(text)
    guard let seconds, seconds.isFinite, seconds <= maximumSeconds else { return nil }
    return seconds
  }

  /// "1h2m3.5s", "30s", "45": numbers each followed by a unit, the units in decreasing order
  /// and each once; a plain number alone is seconds.
  private static func units(_ text: String) -> Double? {
    let units: [(suffix: String, scale: Double)] = [("h", 3600), ("min", 60), ("ms", 0.001), ("m", 60), ("s", 1)]
    // A number with an exponent (`1.5e0`), as sox's and ffmpeg's number readers take it
    // (review32i C3), with one unit after it or none (`1e3s`; review34a A17).
    if text.contains(where: { $0 == "e" || $0 == "E" }) {
      let lower = text.lowercased()
      let unit = units.first { lower.hasSuffix($0.suffix) && lower.dropLast($0.suffix.count).last?.isNumber == true }
      guard let value = UnitArgument.number(Substring(lower.dropLast(unit?.suffix.count ?? 0))), value >= 0 else { return nil }
      return value * (unit?.scale ?? 1)
    }
    var rest = Substring(text)
    var total = 0.0
    var smallestScale = Double.infinity
    while !rest.isEmpty {
      let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
      guard let value = decimal(number) else { return nil }
      rest = rest.dropFirst(number.count)
      if rest.isEmpty {
        // A plain number: seconds, and only alone.
        guard total == 0, smallestScale == .infinity else { return nil }
        return value
      }
      guard let unit = units.first(where: { rest.hasPrefix($0.suffix) }), unit.scale < smallestScale else { return nil }
      rest = rest.dropFirst(unit.suffix.count)
      smallestScale = unit.scale
      total += value * unit.scale
    }
    return smallestScale == .infinity ? nil : total
  }

  /// "MM:SS", "HH:MM:SS", each with an optional fraction on the seconds; a field after the
  /// first is below 60.
  private static func clock(_ text: String) -> Double? {
    let fields = text.split(separator: ":", omittingEmptySubsequences: false)
    guard fields.count == 2 || fields.count == 3 else { return nil }
    var total = 0.0
    for (index, field) in fields.enumerated() {
      let isSeconds = index == fields.count - 1
      guard isSeconds || field.allSatisfy({ $0.isASCII && $0.isNumber }), let value = decimal(field) else { return nil }
      if index > 0 { guard value < 60 else { return nil } }
      total = total * 60 + value
    }
    return total
  }

  /// A non-negative decimal number: digits and at most one point, nothing else.
  private static func decimal(_ text: Substring) -> Double? {
    guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let value = Double(text), value >= 0
    else { return nil }
    return value
  }

  /// Frames at `rate`, rounded to the nearest frame.
  package func frames(at rate: Int) -> Int { Int((seconds * Double(rate)).rounded()) }

  package static var defaultCompletionKind: CompletionKind { .default }
}

/// An output name with one integer field, printf style: "out_%04d.wav", "part%d.flac".
package struct SegmentPattern {
  package let prefix: String
  package let suffix: String
  package let width: Int

  /// nil unless `text` holds exactly one `%d` or `%0Nd` (and `%%` for a literal percent).
  package init?(_ text: String) {
    var prefix = "", suffix = "", width: Int?
    var characters = Array(text)[...]
    while let character = characters.popFirst() {
      guard character == "%" else {
        if width == nil { prefix.append(character) } else { suffix.append(character) }
        continue
      }
      if characters.first == "%" {
        characters.removeFirst()
        if width == nil { prefix.append("%") } else { suffix.append("%") }
        continue
      }
      guard width == nil else { return nil }
      var digits = ""
      while let next = characters.first, next.isNumber {
        digits.append(next)
        characters.removeFirst()
      }
      guard characters.popFirst() == "d", digits.isEmpty || digits.hasPrefix("0") || digits.count == 1 else { return nil }
      width = Int(digits) ?? 0
    }
    guard let width, width <= 12 else { return nil }
    self.prefix = prefix
    self.suffix = suffix
    self.width = width
  }

  package func path(_ index: Int) -> String {
    let digits = String(index)
    return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits + suffix
  }
}
