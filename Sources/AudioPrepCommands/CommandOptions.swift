import ArgumentParser

/// The options a command takes, read from its help (hidden ones included): what the usage
/// hints check a command line against before argument-parser reads it, and where a mistyped
/// name finds the name meant.
struct CommandOptions {
  /// Every name (`--rate`, `-o`, `--no-progress`) and whether it takes a value.
  let takesValue: [String: Bool]
  /// Every name → the first of its names (`-o` → `-o`, `--output` → `-o`): one option's forms.
  let canonical: [String: String]

  init(_ command: ParsableCommand.Type) {
    var names: [String: Bool] = ["--help": false, "-h": false, "--version": false, "--experimental-dump-help": false]
    var first: [String: String] = [:]
    // At 1000 columns each option is one line: "  -j, --jobs <n>    Files processed …",
    // "  --progress/--no-progress", "  --segment-overlap <duration>".
    for line in command.helpMessage(includeHidden: true, columns: 1000).split(separator: "\n") where line.hasPrefix("  -") {
      let definition = line.dropFirst(2).components(separatedBy: "  ").first ?? ""
      let value = definition.contains("<")
      let forms = definition.split(separator: ",").map({ $0.drop { $0 == " " } })
      let lead = forms.first.map { String($0.prefix { $0 != " " && $0 != "/" }) } ?? ""
      for form in forms {
        for name in form.prefix(while: { $0 != " " }).split(separator: "/") {
          names[String(name)] = value
          first[String(name)] = lead
        }
      }
    }
    takesValue = names
    canonical = first
  }

  var longNames: [String] { takesValue.keys.filter { $0.hasPrefix("--") }.sorted() }

  /// The short options' letters (`o`, `q`, `j`, `h`), which argument-parser lets run together (`-qo`).
  var shortLetters: Set<Character> { Set(takesValue.keys.filter { !$0.hasPrefix("--") && $0.count == 2 }.map { $0.last! }) }

  /// The name meant by a word that is none of them (`--gian`, `--enc`, `-stats`), or nil: a name
  /// that starts with what was typed (the only one, or the shortest, that all such names start
  /// with: `--seg` → `--segment`), else the nearest close one (`UsageHint.isClose`, a
  /// transposition counting as one edit).
  func suggestion(for typed: String) -> String? {
    let bare = String(typed.drop { $0 == "-" }).lowercased()
    guard bare.count >= 2 else { return nil }
    let names = longNames.map { String($0.dropFirst(2)) }.filter { !["experimental-dump-help", "help", "version"].contains($0) }
    let extending = names.filter { $0.hasPrefix(bare) }
    if let shortest = extending.min(by: { $0.count < $1.count }), extending.allSatisfy({ $0.hasPrefix(shortest) }) {
      return "--" + shortest
    }
    let nearest = names.map { ($0, UsageHint.editDistance(bare, $0)) }.filter { UsageHint.isClose(distance: $0.1, typed: bare) }
      .min { $0.1 < $1.1 }
    return nearest.map { "--" + $0.0 }
  }
}
