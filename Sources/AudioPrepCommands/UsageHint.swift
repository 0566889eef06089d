import ArgumentParser

/// Usage errors reworded to name what would work: the options sox and ffmpeg users type, a
/// second input (`batch` takes many), an unknown `help` topic.
enum UsageHint {
  /// ffmpeg's and sox's options, and what audioprep takes instead.
  static let foreignOptions: [(option: String, hint: String)] = [
    ("-ar", "-ar is ffmpeg's; audioprep's output rate is --rate (e.g. --rate 16k)"),
    ("-ac", "-ac is ffmpeg's; audioprep writes mono by default (--channel N takes one channel, --keep-channels keeps all)"),
    ("-ss", "-ss is ffmpeg's; audioprep processes whole recordings (--segment 30s cuts them into files)"),
    ("-t", "-t is sox's file type or ffmpeg's duration; audioprep's output type is --format (wav, flac, …), raw input is --in-rate, --in-channels and --in-encoding, and --segment 30s cuts files"),
    ("-r", "-r is sox's; audioprep's output rate is --rate (e.g. --rate 16k), a raw input's --in-rate"),
    ("-c", "-c is sox's; audioprep writes mono by default (--channel N, --keep-channels), a raw input's channels are --in-channels"),
  ]

  /// The line for a single-dash word holding an `h` (ffmpeg's `-threads`, `-hide_banner`),
  /// which argument-parser would take for `-h` and answer with the help and exit 0, processing
  /// nothing; nil otherwise. Words after `--` are operands.
  static func helpInAWord(arguments: [String]) -> String? {
    for word in arguments.prefix(while: { $0 != "--" }) {
      let letters = word.dropFirst()
      guard word.hasPrefix("-"), !word.hasPrefix("--"), letters.count >= 2, letters.contains("h"),
        letters.first?.isLetter == true, letters.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" })
      else { continue }
      if word == "-threads" { return "-threads is ffmpeg's; audioprep's is --threads N" }
      return "\(word) is not an option (a single-dash word is ffmpeg's; audioprep's long options have two dashes: see --help)"
    }
    return nil
  }

  /// The top-level commands, as `help` lists them.
  static var commandNames: [String] {
    AudioPrep.configuration.subcommands.compactMap { $0.configuration.commandName }
  }

  /// The line for a usage error, without "audioprep: ", when a hint applies; nil otherwise.
  /// `arguments` are the command line without the program name; `message` argument-parser's.
  static func line(arguments: [String], message: String) -> String? {
    let options = arguments.prefix { $0 != "--" }
    if let foreign = foreignOptions.first(where: { foreign in
      options.contains { $0 == foreign.option || $0.hasPrefix(foreign.option + "=") }
    }) {
      return foreign.hint
    }
    let command = arguments.first.flatMap { commandNames.contains($0) ? $0 : nil } ?? "process"
    let unexpected = "Unexpected argument '"
    if command == "process", message.hasPrefix(unexpected) {
      let extra = message.dropFirst(unexpected.count).prefix { $0 != "'" }
      return "\(extra): process takes one INPUT; for several use 'audioprep batch INPUT... --out-dir OUT'"
    }
    return nil
  }

  /// The error for `help TOPIC...` when a TOPIC is not a command (or a subcommand of the one
  /// before it), or nil (argument-parser then prints the help). `arguments` are the command line
  /// without the program name.
  static func unknownHelpTopic(arguments: [String]) -> String? {
    guard arguments.first == "help" else { return nil }
    var command: ParsableCommand.Type = AudioPrep.self
    var path: [String] = []
    for topic in arguments.dropFirst() {
      guard !topic.hasPrefix("-") else { return nil }
      let subcommands = command.configuration.subcommands
      let names = subcommands.compactMap { $0.configuration.commandName }
      if path.isEmpty && topic == "help" { return nil }
      guard let next = subcommands.first(where: { $0.configuration.commandName == topic }) else {
        if path.isEmpty { return "help: no command '\(topic)'; the commands are \(names.joined(separator: ", "))" }
        let name = path.joined(separator: " ")
        return names.isEmpty
          ? "help: \(name) has no subcommands"
          : "help: \(name) has no subcommand '\(topic)'; its subcommands are \(names.joined(separator: ", "))"
      }
      command = next
      path.append(topic)
    }
    return nil
  }
}
