import DSP

/// Characters pasted from a document, a chat or a Windows script that look like ASCII or like
/// nothing at all (a zero-width space, a no-break space, full-width digits, typographic quotes,
/// a carriage return): read once, before parsing, for every command, so that `--rate 16​k` or
/// `-o “x.wav”` is one line naming the character and the word to write, exit 64 (review31h W2:
/// they were "not a sample rate" and "does not write .wav”").
///
/// An option, or a value that is no path, is looked at whole. A path (an input, or the value of
/// an option taking one) only at its ends and for carriage returns: a name's inner characters
/// are its own (a Japanese name's full-width digits, an emoji's joiners). Words after `--` and
/// names of files that exist are left as typed. Dashes pasted before an option are `PastedDash`'s.
enum PastedCharacters {
  /// Characters that show as nothing or as a space, with what each is called.
  static let invisible: [UInt32: String] = [
    0x200B: "a zero-width space (U+200B)", 0x200C: "a zero-width non-joiner (U+200C)", 0x200D: "a zero-width joiner (U+200D)",
    0x2060: "a word joiner (U+2060)", 0xFEFF: "a byte-order mark (U+FEFF)", 0x00AD: "a soft hyphen (U+00AD)",
    0x00A0: "a no-break space (U+00A0)", 0x202F: "a narrow no-break space (U+202F)", 0x2009: "a thin space (U+2009)",
    0x3000: "an ideographic space (U+3000)",
  ]
  /// The invisible characters that stand for a space where they were typed.
  static let spaces: Set<UInt32> = [0x00A0, 0x202F, 0x2009, 0x3000]
  /// Typographic quotes, which the shell keeps as part of the word.
  static let quotes: Set<UInt32> = [0x2018, 0x2019, 0x201A, 0x201C, 0x201D, 0x201E, 0x00AB, 0x00BB]
  /// Full-width forms of ASCII's `!` to `~`, each 0xFEE0 above it.
  static let fullWidth: ClosedRange<UInt32> = 0xFF01...0xFF5E
  static let carriageReturn: UInt32 = 0x0D

  /// One line for each word holding such characters, without "audioprep: "; empty when none does.
  static func lines(_ arguments: [String]) -> [String] {
    let range = 0..<(arguments.firstIndex(of: "--") ?? arguments.count)
    guard arguments[range].contains(where: { $0.unicodeScalars.contains(where: isSuspect) }) else { return [] }
    let options = CommandOptions(UsageHint.commandType(arguments))
    var lines: [String] = []
    for index in range where arguments[index].unicodeScalars.contains(where: isSuspect) && Descriptor.status(arguments[index]) == nil {
      let word = arguments[index]
      let previous = index > 0 ? arguments[index - 1] : ""
      let isValue = options.takesValue[previous] == true
      let cleaned: String
      if isValue || !word.hasPrefix("-") {
        let isPath = isValue ? options.takesPath.contains(previous) : true
        cleaned = isPath ? pathCleaned(word) : wholeCleaned(word, spaces: "")
      } else if let equals = word.firstIndex(of: "=") {
        // `--gain=１`, `-o=“x.wav”`: the name whole, its value as its option takes it.
        let name = String(word[..<equals]), value = String(word[word.index(after: equals)...])
        cleaned = wholeCleaned(name) + "=" + (options.takesPath.contains(wholeCleaned(name)) ? pathCleaned(value) : wholeCleaned(value, spaces: ""))
      } else {
        cleaned = wholeCleaned(word)
      }
      guard cleaned != word else { continue }
      lines.append(line(word, cleaned: cleaned))
    }
    return lines
  }

  /// A value as the user meant it: a pasted dash before it a minus, full-width digits and
  /// invisible characters as `wholeCleaned` writes them (`−20dB` is -20dB, `１６k` is 16k). For
  /// the values of sox's effects and other tools' options, which the hints carry over.
  static func asTyped(_ value: String) -> String {
    let minus = value.first.map { PastedDash.names[$0] != nil } == true ? "-" + value.dropFirst() : value
    guard minus.unicodeScalars.contains(where: isSuspect) else { return minus }
    return wholeCleaned(minus, spaces: "")
  }

  private static func isSuspect(_ scalar: Unicode.Scalar) -> Bool {
    invisible[scalar.value] != nil || quotes.contains(scalar.value) || fullWidth.contains(scalar.value) || scalar.value == carriageReturn
  }

  /// `word` with every such character written as meant: ASCII for a full-width form, `space` for
  /// a wide or no-break space inside the word (a space between an option and its value,
  /// `--rate 16k`; nothing inside a value, `16 k` is 16k), nothing for the rest; spaces at its
  /// ends dropped.
  static func wholeCleaned(_ word: String, spaces space: String = " ") -> String {
    var result = String.UnicodeScalarView()
    for scalar in word.unicodeScalars {
      if spaces.contains(scalar.value) {
        result.append(contentsOf: space.unicodeScalars)
      } else if fullWidth.contains(scalar.value), let ascii = Unicode.Scalar(scalar.value - 0xFEE0) {
        result.append(ascii)
      } else if !isSuspect(scalar) {
        result.append(scalar)
      }
    }
    var text = String(result)
    while text.first == " " { text.removeFirst() }
    while text.last == " " { text.removeLast() }
    return text
  }

  /// A path as meant: without carriage returns, nor the quotes, byte-order mark and invisible
  /// characters at its ends.
  static func pathCleaned(_ word: String) -> String {
    var scalars = Array(word.unicodeScalars.filter { $0.value != carriageReturn })
    // A pair of typographic quotes around part of a name (`“out”.wav`) is removed whole.
    let opening: Set<UInt32> = [0x2018, 0x201C, 0x201E, 0x201A, 0x00AB], closing: Set<UInt32> = [0x2019, 0x201D, 0x00BB]
    if scalars.contains(where: { opening.contains($0.value) }), scalars.contains(where: { closing.contains($0.value) }) {
      scalars.removeAll { quotes.contains($0.value) }
    }
    let atEnds = { (scalar: Unicode.Scalar) in quotes.contains(scalar.value) || invisible[scalar.value] != nil }
    while let first = scalars.first, atEnds(first) { scalars.removeFirst() }
    while let last = scalars.last, atEnds(last) { scalars.removeLast() }
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars)
    return String(view)
  }

  /// The line for `word`, written `cleaned`: a carriage return is a script's line ending; the
  /// rest are named, each kind once.
  static func line(_ word: String, cleaned: String) -> String {
    let shown = "'\(TerminalText.escapingControls(word))'"
    if word.unicodeScalars.contains(where: { $0.value == carriageReturn }) {
      let place = word.unicodeScalars.last?.value == carriageReturn ? "ends with" : "holds"
      // A carriage return alone is a line's end after its last word (`--force \r\n`): nothing to write (review32i C1).
      if cleaned.isEmpty { return "a carriage return (\\r) after the last word: the script has Windows line endings (dos2unix)" }
      return "\(shown) \(place) a carriage return (\\r): the script has Windows line endings (dos2unix); write \(cleaned)"
    }
    var named: [String] = []
    var quoted: [String] = [], wide: [String] = []
    for scalar in word.unicodeScalars {
      let code = "U+" + String(scalar.value, radix: 16, uppercase: true)
      if let name = invisible[scalar.value], !named.contains(name) { named.append(name) }
      if quotes.contains(scalar.value), !quoted.contains(code) { quoted.append(code) }
      if fullWidth.contains(scalar.value), !wide.contains(code) { wide.append(code) }
    }
    if !quoted.isEmpty { named.append("typographic quotes (\(quoted.joined(separator: ", ")))") }
    if !wide.isEmpty { named.append("full-width characters (\(wide.prefix(3).joined(separator: ", "))\(wide.count > 3 ? ", …" : ""))") }
    return "\(shown) holds \(named.joined(separator: " and ")), probably pasted; write \(cleaned)"
  }
}
