import DSP

/// Dashes pasted from a document (an en dash where a word processor joined `--`, a minus sign
/// U+2212 as audioprep itself prints one): read once, before parsing, for every command.
///
/// - A word such a dash starts, followed by a letter (`–rate`, `−−force`, `－o`), is an option
///   pasted: one line naming the character and the option to write, exit 64.
/// - A number such a dash starts (`−3dB`), given as an option's value, is a negative number:
///   the dash is read as `-`.
///
/// Words after `--` and names of files that exist are left as typed.
enum PastedDash {
  /// The dashes read as `-`, and what each is called.
  static let names: [Character: (name: String, plural: String)] = [
    "\u{2013}": ("an en dash", "en dashes"),
    "\u{2014}": ("an em dash", "em dashes"),
    "\u{2212}": ("a minus sign", "minus signs"),
    "\u{2010}": ("a Unicode hyphen (U+2010)", "Unicode hyphens (U+2010)"),
    "\u{2011}": ("a non-breaking hyphen", "non-breaking hyphens"),
    "\u{2012}": ("a figure dash", "figure dashes"),
    "\u{FF0D}": ("a fullwidth hyphen-minus", "fullwidth hyphen-minuses"),
  ]

  static func isDash(_ character: Character) -> Bool { character == "-" || names[character] != nil }

  /// The words of `arguments` before `--` that may be at fault (the only ones looked at).
  private static func candidates(_ arguments: [String]) -> Range<Int> {
    0..<(arguments.firstIndex(of: "--") ?? arguments.count)
  }

  /// Whether `word` starts with a pasted dash.
  private static func startsPasted(_ word: String) -> Bool {
    guard let first = word.first else { return false }
    return word.prefix(while: isDash).contains { names[$0] != nil } && isDash(first)
  }

  /// One line for each pasted option (`'–rate' starts with an en dash (–), probably pasted;
  /// write --rate`), without "audioprep: "; empty when there is none.
  static func lines(_ arguments: [String]) -> [String] {
    let range = candidates(arguments)
    guard arguments[range].contains(where: startsPasted) else { return [] }
    var options: CommandOptions?
    var lines: [String] = []
    for index in range where startsPasted(arguments[index]) && Descriptor.status(arguments[index]) == nil {
      let word = arguments[index]
      let dashes = word.prefix(while: isDash)
      let rest = word.dropFirst(dashes.count)
      let name = String(rest.prefix { $0 != "=" })
      // A file name (`–intro.wav`: a dot or a slash) is none of them.
      guard rest.first?.isLetter == true, !name.contains(where: { $0 == "." || $0 == "/" }) else { continue }
      if options == nil { options = CommandOptions(UsageHint.commandType(arguments)) }
      // An option's value (`-o –intro`) is the user's name for it.
      if index > 0, options!.takesValue[arguments[index - 1]] == true { continue }
      // One dash or two: as the command's options have it (an en dash is often `--` joined by a
      // word processor: `–rate`, `–o`), else two for a word, one for a letter.
      let written =
        [dashes.count >= 2 ? "--" : "-", "--", "-"].first { options!.takesValue[$0 + name] != nil }
        ?? (name.count > 1 ? "--" : "-")
      lines.append("'\(word)' starts with \(described(dashes)), probably pasted; write \(written)\(rest)")
    }
    return lines
  }

  /// "an en dash (–)", "minus signs (−−)", "a hyphen-minus and an en dash (-–)".
  static func described(_ dashes: Substring) -> String {
    var kinds: [Character] = []
    for dash in dashes where names[dash] != nil && !kinds.contains(dash) { kinds.append(dash) }
    let parts = kinds.map { kind in
      dashes.filter { $0 == kind }.count == 1 ? names[kind]!.name : names[kind]!.plural
    }
    return "\(parts.joined(separator: " and ")) (\(dashes))"
  }

  /// `arguments` with each pasted minus of a negative number given as an option's value
  /// (`--gain −3dB`, `--gain=−3dB`) read as `-`.
  static func minusSigns(_ arguments: [String]) -> [String] {
    let range = candidates(arguments)
    guard arguments[range].contains(where: { $0.contains(where: { names[$0] != nil }) }) else { return arguments }
    let options = CommandOptions(UsageHint.commandType(arguments))
    var result = arguments
    for index in range {
      let word = arguments[index]
      if index > 0, options.takesValue[arguments[index - 1]] == true, let number = negativeNumber(word) {
        result[index] = number
      } else if let equals = word.firstIndex(of: "="), options.takesValue[String(word[..<equals])] == true,
        let number = negativeNumber(String(word[word.index(after: equals)...]))
      {
        result[index] = String(word[..<equals]) + "=" + number
      }
    }
    return result
  }

  /// `−3dB` as `-3dB`: a pasted dash before a digit or a point, or nil.
  private static func negativeNumber(_ value: String) -> String? {
    guard let first = value.first, names[first] != nil, let next = value.dropFirst().first, next.isNumber || next == ".",
      Descriptor.status(value) == nil
    else { return nil }
    return "-" + value.dropFirst()
  }
}
