import ArgumentParser

/// The options a command takes, read from its help (hidden ones included): what the usage
/// hints check a command line against before argument-parser reads it, and where a mistyped
/// name finds the name meant.
struct CommandOptions {
  /// Every name (`--rate`, `-o`, `--no-progress`) and whether it takes a value.
  let takesValue: [String: Bool]
  /// Every name → the first of its names (`-o` → `-o`, `--output` → `-o`): one option's forms.
  let canonical: [String: String]
  /// The names of the options whose value is a path (`-o`, `--svg`, `--out-dir`), by the value
  /// name their help gives (`pathValueNames`).
  let takesPath: Set<String>

  /// The value names audioprep's options that take a file or directory show in their help
  /// (`--svg <path>`, `--out-dir <dir>`, `--golden <golden>`).
  static let pathValueNames: Set<String> = ["path", "file", "dir", "dest", "golden"]

  /// The command, whose visible options are the names a mistyped one may have meant.
  private let command: ParsableCommand.Type

  init(_ command: ParsableCommand.Type) {
    self.command = command
    var names: [String: Bool] = ["--help": false, "-h": false, "--version": false, "--experimental-dump-help": false]
    var first: [String: String] = [:]
    var paths: Set<String> = []
    for (definition, lead, value) in Self.definitions(command, includeHidden: true) {
      for form in definition {
        names[form] = value != nil
        first[form] = lead
        if let value, Self.pathValueNames.contains(value) { paths.insert(form) }
      }
    }
    takesValue = names
    canonical = first
    takesPath = paths
  }

  /// Each option of the help: its names, the first of them, and the name of its value (nil
  /// for a flag).
  private static func definitions(_ command: ParsableCommand.Type, includeHidden: Bool) -> [(names: [String], lead: String, value: String?)] {
    var result: [(names: [String], lead: String, value: String?)] = []
    // At 1000 columns each option is one line: "  -j, --jobs <n>    Files processed …",
    // "  --progress/--no-progress", "  --segment-overlap <duration>".
    for line in command.helpMessage(includeHidden: includeHidden, columns: 1000).split(separator: "\n") where line.hasPrefix("  -") {
      let definition = line.dropFirst(2).components(separatedBy: "  ").first ?? ""
      let forms = definition.split(separator: ",").map({ $0.drop { $0 == " " } })
      let lead = forms.first.map { String($0.prefix { $0 != " " && $0 != "/" }) } ?? ""
      let names = forms.flatMap { $0.prefix(while: { $0 != " " }).split(separator: "/").map(String.init) }
      let value = definition.firstRange(of: "<").map { String(definition[$0.upperBound...].prefix { $0 != ">" }) }
      result.append((names, lead, value))
    }
    return result
  }

  var longNames: [String] { takesValue.keys.filter { $0.hasPrefix("--") }.sorted() }

  /// The short options' letters (`o`, `q`, `j`, `h`), which argument-parser lets run together (`-qo`).
  var shortLetters: Set<Character> { Set(takesValue.keys.filter { !$0.hasPrefix("--") && $0.count == 2 }.map { $0.last! }) }

  /// The name meant by a word that is none of them (`--gian`, `--enc`, `-stats`), or nil
  /// (`suggestions` when it names one).
  func suggestion(for typed: String) -> String? {
    let names = suggestions(for: typed)
    return names.count == 1 ? names[0] : nil
  }

  /// The names meant by a word that is none of them, among the options the help shows (a
  /// hidden one is there to be refused: batch's `-o`): a name that starts with what was typed
  /// (the only one, or the shortest, that all such names start with: `--seg` → `--segment`;
  /// two or three that do not: all of them, `--en` → `--encoding`, `--end`), else the nearest
  /// close one (`UsageHint.isClose`, a transposition counting as one edit). Empty when none is.
  func suggestions(for typed: String) -> [String] {
    let visible = Self.definitions(command, includeHidden: false).flatMap(\.names).filter { $0.hasPrefix("--") }
    let names = Set(visible.map { String($0.dropFirst(2)) }).subtracting(["experimental-dump-help", "help", "version"]).sorted()
    return UsageHint.namesMeant(String(typed.drop { $0 == "-" }), among: names).map { "--" + $0 }
  }

  /// "'--end'", "'--encoding' or '--end'": `suggestions` as "Did you mean …?" names them; nil for none.
  func meant(by typed: String) -> String? {
    let names = suggestions(for: typed).map { "'\($0)'" }
    guard let last = names.last else { return nil }
    return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " or " + last
  }
}
