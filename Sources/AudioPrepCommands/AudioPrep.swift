import ArgumentParser
import DSP

/// The `audioprep` command: `process` is the default subcommand. The executable's `main.swift`
/// calls `AudioPrep.main()`.
package struct AudioPrep: ParsableCommand {
  package init() {}

  package static let configuration = CommandConfiguration(
    commandName: "audioprep",
    abstract: "Prepare recordings for speech recognition: mono, 16 kHz, high-pass 80 Hz, gain ×1.5.",
    discussion: """
      EXAMPLES
        audioprep talk.flac                         # writes talk.16k.wav
        audioprep - -o - < talk.ogg | recognizer    # raw s16le on stdout
        audioprep batch corpus/ --out-dir out       # a whole tree, resumable
        audioprep talk.flac --golden talk.16k.wav   # golden check (or verify A B)

      \(ExitStatus.helpText)
      """,
    version: AudioPrepVersion.text,
    subcommands: [
      ProcessCommand.self, BatchCommand.self, ManifestCommand.self, VerifyCommand.self, InfoCommand.self,
      ResponseCommand.self,
    ],
    defaultSubcommand: ProcessCommand.self)

  /// The arguments as bytes (`PathBytes`): a file name that is not UTF-8 stays byte-exact,
  /// where `CommandLine.arguments` would replace its bytes with U+FFFD.
  package static var argumentsAsBytes: [String] {
    (1..<Int(CommandLine.argc)).map { PathBytes.string(fromCString: CommandLine.unsafeArgv[$0]!) }
  }

  /// Sets the signal dispositions (`SignalDispositions`), then parses and runs.
  ///
  /// A usage error is one line, `audioprep: what is wrong (see 'audioprep --help')`, exit 64,
  /// like every other error; help, version and the commands' own exit codes go through
  /// argument-parser unchanged.
  package static func main() {
    // A static binary's arguments come from /proc/self/cmdline: where /proc is not mounted the
    // runtime gives none, not even the program's name (review57 W7: every command stopped with
    // SIGILL).
    guard CommandLine.argc > 0 else {
      printError(lines: ["audioprep: cannot read its own arguments: /proc is not mounted (the Swift runtime reads them from /proc/self/cmdline)"])
      exit(withError: ExitCode(ExitStatus.internalError))
    }
    Descriptor.recordInherited()  // before audioprep opens any descriptor of its own
    SignalDispositions.install()
    OpenFileLimit.raiseSoftLimit()  // batch -j 512 under the usual soft 1024 (review37b V7)
    if let version = AudioPrepVersion.requested(by: Array(CommandLine.arguments.dropFirst())) {
      print(version)
      return
    }
    switch CompletionScript.request(by: Array(CommandLine.arguments.dropFirst())) {
    case .script(let script): print(script); return
    case .unknownShell(let line):
      printError(lines: ["audioprep: \(line)"])
      exit(withError: ExitCode(ExitStatus.usage))
    case nil: break
    }
    let arguments = readable(argumentsAsBytes)
    let lines = linesBeforeParsing(arguments)
    if !lines.isEmpty {
      printError(lines: lines)
      exit(withError: ExitCode(ExitStatus.usage))
    }
    // Polyphase tables persist between runs (a short file then costs no measuring).
    PolyphaseTableCache.shared.store = PolyphaseTableStore.fromEnvironment()
    do {
      var command = try parsed(arguments)
      printError(lines: RepeatedOptions.warnings(arguments))
      try command.run()
    } catch {
      let code = exitCode(for: error)
      // An ExitCode comes from a command that has already printed its own line.
      guard code.rawValue == ExitStatus.usage, !(error is ExitCode) else { exit(withError: error) }
      // The help asked for beside a word it cannot parse (`--help --rate`): the help, as
      // sox's and ffmpeg's --help print theirs whatever follows (review32i W8).
      if arguments.prefix(while: { $0 != "--" }).contains(where: { $0 == "--help" || $0 == "-h" }) {
        print(helpMessage(for: UsageHint.commandType(arguments)))
        return
      }
      printError(lines: errorLines(for: error, arguments: arguments))
      exit(withError: ExitCode(code.rawValue))
    }
  }

  /// The command `arguments` run, as `parseAsRoot` gives it. A command line whose command has
  /// no subcommands of its own (`process`, the default or named, `batch`, `info`, `manifest
  /// export` …) is parsed by argument-parser with that command as the root: from `audioprep`
  /// it would first build process's whole option set by reflection only to learn that the
  /// default subcommand takes no passthrough arguments, and the named command's set once more
  /// (a third of a short run's parse). Whatever that parse does not turn into the command (a
  /// usage error, the help, a completion request, `--version` among the words) is parsed again
  /// from the root, so messages, help and exit codes stay the root's.
  static func parsed(_ arguments: [String]) throws -> ParsableCommand {
    let command = UsageHint.commandType(arguments)
    if command.configuration.subcommands.isEmpty, arguments.first != "help" {
      let path = UsageHint.commandPath(arguments)
      let words = arguments.starts(with: path) ? Array(arguments.dropFirst(path.count)) : arguments
      if let parsed = try? command.parseAsRoot(words), type(of: parsed) == command { return parsed }
    }
    return try parseAsRoot(arguments)
  }

  /// The usage error a command line earns before argument-parser reads it (an unknown help
  /// topic; another tool's option or effect, which is never audioprep's, whatever else is wrong;
  /// a single-dash word argument-parser would take for `-h`): its lines (`UsageHint.lines`),
  /// or none.
  static func linesBeforeParsing(_ arguments: [String]) -> [String] {
    // A pasted dash (`–rate`) or character (`16​k`, `“x.wav”`), or an option after `--`, is
    // what is wrong, whatever else may be.
    let pasted = PastedDash.lines(arguments) + PastedCharacters.lines(arguments)
    if !pasted.isEmpty { return pointed(pasted, arguments: arguments) }
    if let late = UsageHint.optionsAfterDoubleDash(arguments) { return pointed([late], arguments: arguments) }
    if let unknown = UsageHint.unknownHelpTopic(arguments: arguments) { return ["audioprep: \(unknown)"] }
    if let pasted = OtherProgramLine.lines(arguments) { return pointed(pasted, arguments: arguments) }
    // A first word that is neither a file nor a command (`version`, `Process`): 64, whether
    // or not the rest parses.
    if UsageHint.commandPath(arguments) == ["process"], let first = arguments.first, let typo = UsageHint.commandTypo(first) {
      return pointed([typo], arguments: arguments)
    }
    let lines = UsageHint.lines(arguments)
    if lines.isEmpty, let refusal = RepeatedOptions.refusal(arguments) { return pointed([refusal], arguments: arguments) }
    return pointed(lines, arguments: arguments)
  }

  /// The command line as parsed: `help` after a command is that command's help
  /// (`UsageHint.helpAfterCommand`), a pasted minus of a negative value a minus (`PastedDash`).
  static func readable(_ arguments: [String]) -> [String] {
    PastedDash.minusSigns(UsageHint.helpAfterCommand(arguments) ?? arguments)
  }

  /// `lines` as printed: "audioprep: " first, the help to see after the last.
  static func pointed(_ lines: [String], arguments: [String]) -> [String] {
    lines.indices.map { "audioprep: \(lines[$0])" + ($0 == lines.count - 1 ? " (see '\(UsageHint.helpPointer(arguments))')" : "") }
  }

  /// The lines printed for a usage error (`error` thrown while parsing, validating or running
  /// `arguments`, the command line without the program name): each word at fault
  /// (`UsageHint.lines`: all unknown options, not argument-parser's first), or argument-parser's
  /// message reworded.
  static func errorLines(for error: Error, arguments: [String]) -> [String] {
    errorLines(message: self.message(for: error), arguments: arguments)
  }

  /// `errorLines` for argument-parser's `message` (the C interface's options parse as their own type).
  static func errorLines(message: String, arguments: [String]) -> [String] {
    let lines = UsageHint.lines(arguments, afterAFailedParse: true)
    return lines.isEmpty ? [errorLine(message: message, arguments: arguments)] : pointed(lines, arguments: arguments)
  }

  /// The one line printed for a usage error, when no word is at fault.
  static func errorLine(for error: Error, arguments: [String]) -> String {
    errorLine(message: self.message(for: error), arguments: arguments)
  }

  /// The one line printed for argument-parser's `message` about `arguments`.
  static func errorLine(message: String, arguments: [String]) -> String {
    "audioprep: \(messageLine(message: message, arguments: arguments)) (see '\(UsageHint.helpPointer(arguments))')"
  }

  /// The line for a usage error without "audioprep: " and the help to see.
  static func messageLine(for error: Error, arguments: [String]) -> String {
    messageLine(message: self.message(for: error), arguments: arguments)
  }

  static func messageLine(message: String, arguments: [String]) -> String {
    UsageHint.line(arguments: arguments, message: message) ?? usageLine(message)
  }

  /// The lines `arguments` earn when they do not parse or validate (what `main` prints before
  /// exiting 64, one per line), or nil when they do, or ask for help or the version: the
  /// messages checked in process, without running anything.
  package static func usageError(_ arguments: [String]) -> String? {
    let arguments = readable(arguments)
    let lines = linesBeforeParsing(arguments)
    if !lines.isEmpty { return lines.joined(separator: "\n") }
    do {
      _ = try parseAsRoot(arguments)
      return nil
    } catch {
      guard exitCode(for: error).rawValue == ExitStatus.usage else { return nil }
      return errorLines(for: error, arguments: arguments).joined(separator: "\n")
    }
  }

  /// argument-parser's message as one line. A value not among an enum's names, which it words
  /// "The value 'WAVE' is invalid for '--format <fmt>'. Please provide one of the following:"
  /// and a bulleted list (or "one of 'a', 'b' or 'c'." for a few), becomes
  /// "--format: 'WAVE' is not one of wav, flac, …".
  package static func usageLine(_ message: String) -> String {
    var lines = message.split(whereSeparator: \.isNewline).map(String.init)
    // "Unknown option '-version'\n   or: Missing value for '-o <path>' in '-version'": the first
    // reading alone (a value glued to -o or -j is named before parsing).
    if lines.count == 2, lines[1].drop(while: { $0 == " " }).hasPrefix("or: ") { lines.removeLast() }
    let head = "The value '", middle = "' is invalid for '"
    if let first = lines.first, first.hasPrefix(head), let split = first.firstRange(of: middle),
      let list = first.firstRange(of: "'. Please provide one of ")
    {
      let value = first[first.index(first.startIndex, offsetBy: head.count)..<split.lowerBound]
      let option = first[split.upperBound..<list.lowerBound].prefix { $0 != " " && $0 != "'" }
      let tail = first[list.upperBound...]
      let names =
        tail == "the following:"
        ? lines.dropFirst().map { $0.drop { $0 == " " || $0 == "-" } }
        : tail.dropLast().replacing(" or ", with: ", ").replacing(" and ", with: ", ").split(separator: ", ")
          .map { $0.filter { $0 != "'" } }
      // An encoding's name says why it is none of them (`s16be`, sox's `signed`).
      var note = ["--encoding", "--in-encoding"].contains(option) ? EncodingName.note(String(value), input: option == "--in-encoding").map { "; \($0)" } ?? "" : ""
      // Kaldi's `--dither 0` (review32i W9).
      if option == "--dither", ["0", "0.0", "off", "no", "false"].contains(value.lowercased()) { note = "; none is no dither" }
      return "\(option): '\(value)' is not one of \(names.joined(separator: ", "))\(note)"
    }
    // A value with a unit or a shape (`UnitError`): "--rate: '16q' is not a sample rate: give …".
    if let first = lines.first, first.hasPrefix(head), let split = first.firstRange(of: middle),
      let reason = first.firstRange(of: ">': ")
    {
      let value = first[first.index(first.startIndex, offsetBy: head.count)..<split.lowerBound]
      let option = first[split.upperBound..<reason.lowerBound].prefix { $0 != " " && $0 != "'" }
      // A decimal comma (`1,5`, `44,1k`), as a German or French locale writes it (review32i C2).
      // A rate's thousands separator (`16,000`: review33j W1), not a decimal comma.
      if ["--rate", "--in-rate", "--input-rate"].contains(String(option)), let whole = UnitArgument.withoutThousands(value) {
        return "\(option): '\(value)' has a thousands separator; write \(option) \(whole)"
      }
      if let pointed = UnitArgument.decimalPoint(value) {
        return "\(option): '\(value)' has a decimal comma; write a point: \(option) \(pointed)"
      }
      return "\(option): '\(value)' \(first[reason.upperBound...])"
    }
    // "Unknown option '-vn'. Did you mean '--q'?": the suggestion stays when it is close to
    // what was typed (`-stats` → `--stats`), as a command's is (`UsageHint.commandMeant`).
    if let first = lines.first, first.hasPrefix("Unknown option '"), let ask = first.firstRange(of: "'. Did you mean '") {
      let typed = first[first.index(first.startIndex, offsetBy: "Unknown option '".count)..<ask.lowerBound]
      let suggested = first[ask.upperBound...].prefix { $0 != "'" }
      let bare = { (name: Substring) in String(name.drop { $0 == "-" }).lowercased() }
      let close = UsageHint.isClose(distance: UsageHint.editDistance(bare(typed), bare(suggested)), typed: bare(typed))
      return close ? first : "Unknown option '\(typed)'"
    }
    return lines.joined(separator: "; ")
  }
}
