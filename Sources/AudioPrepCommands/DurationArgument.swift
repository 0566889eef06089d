import ArgumentParser

/// A length of time on the command line: "30s", "1.5s", "100ms", "2m", "1h", or plain seconds.
package struct DurationArgument: ExpressibleByArgument, Equatable {
  package let seconds: Double

  package init(seconds: Double) { self.seconds = seconds }

  package init?(argument: String) {
    guard let parsed = Self.parse(argument) else { return nil }
    seconds = parsed
  }

  /// The longest duration accepted: 10^7 s (116 days), so that frame counts at any rate stay
  /// far inside `Int`.
  package static let maximumSeconds = 1e7

  /// Seconds in `text`, or nil when it is not a non-negative duration up to `maximumSeconds`.
  package static func parse(_ text: String) -> Double? {
    let units: [(suffix: String, scale: Double)] = [("ms", 0.001), ("min", 60), ("s", 1), ("m", 60), ("h", 3600)]
    var number = Substring(text)
    var scale = 1.0
    for unit in units where number.hasSuffix(unit.suffix) {
      number = number.dropLast(unit.suffix.count)
      scale = unit.scale
      break
    }
    guard !number.isEmpty, number.allSatisfy({ $0.isNumber || $0 == "." }), let value = Double(number),
      value.isFinite, value >= 0
    else { return nil }
    let seconds = value * scale
    return seconds <= maximumSeconds ? seconds : nil
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
