/// An option given more than once (`--rate 16k --rate 8k`, `-o a.wav -o b.wav`): argument-parser
/// keeps the last value silently. ffmpeg warns and uses the last ("Multiple -ar options
/// specified …, only the last … will be used"), and audioprep does the same; a second output is
/// refused, since an ffmpeg user's `-o a.wav -o b.wav` expects two files and would get one.
enum RepeatedOptions {
  /// The options whose repetition is refused (one output a run): canonical name → command.
  static let refused: Set<String> = ["-o", "--out-dir"]

  /// Each value option of `arguments` given more than once with different values: its name as
  /// first typed and its values in order, in the order first seen. Empty without computing the
  /// command's options when no name can repeat.
  static func repeated(_ arguments: [String]) -> [(canonical: String, typed: String, values: [String])] {
    let words = Array(arguments.prefix { $0 != "--" })
    let names = words.filter { $0.count > 1 && $0.hasPrefix("-") }.map { String($0.prefix { $0 != "=" }) }
    // A short name and a long one with its letter (-o and --output, -j and --jobs) may be one option.
    let shortAndLong = names.contains { short in
      !short.hasPrefix("--") && short.count == 2 && names.contains { $0.hasPrefix("-" + short) }
    }
    guard Set(names).count < names.count || shortAndLong else { return [] }
    let options = CommandOptions(UsageHint.commandType(arguments))
    var found: [(canonical: String, typed: String, values: [String])] = []
    var index = UsageHint.commandPath(arguments).count
    if UsageHint.commandPath(arguments) == ["process"], arguments.first != "process" { index = 0 }
    while index < words.count {
      let word = words[index]
      let name = String(word.prefix { $0 != "=" })
      guard word.count > 1, word.hasPrefix("-"), options.takesValue[name] == true, let canonical = options.canonical[name] else {
        index += 1
        continue
      }
      let glued = word.contains("=")
      guard glued || index + 1 < words.count else { break }
      let value = glued ? String(word.drop { $0 != "=" }.dropFirst()) : words[index + 1]
      if let at = found.firstIndex(where: { $0.canonical == canonical }) {
        found[at].values.append(value)
      } else {
        found.append((canonical, name, [value]))
      }
      index += glued ? 1 : 2
    }
    return found.filter { Set($0.values).count > 1 }
  }

  /// The usage error for a repeated option that cannot take its last value (a second `-o`), or nil.
  static func refusal(_ arguments: [String]) -> String? {
    guard let output = repeated(arguments).first(where: { refused.contains($0.canonical) }) else { return nil }
    let command = UsageHint.commandPath(arguments).joined(separator: " ")
    let writes = output.canonical == "--out-dir" ? "writes below one directory" : "writes one output"
    return "\(output.typed) given twice (\(output.values.joined(separator: ", "))): \(command) \(writes); give \(output.typed) once"
  }

  /// The warnings for the other repeated options: "audioprep: --rate given twice (16k, 8k); the last, 8k, is used".
  static func warnings(_ arguments: [String]) -> [String] {
    repeated(arguments).filter { !refused.contains($0.canonical) }.map {
      "audioprep: \($0.typed) given \($0.values.count == 2 ? "twice" : "\($0.values.count) times") (\($0.values.joined(separator: ", "))); the last, \($0.values.last!), is used"
    }
  }
}
