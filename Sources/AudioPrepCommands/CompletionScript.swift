import ArgumentParser
import Glibc

/// Shell completion scripts, with what argument-parser's generator leaves out: `process` is the
/// default subcommand, so `audioprep talk.fl<TAB>` and `audioprep talk.flac -o <TAB>` must
/// complete as `audioprep process …` does.
enum CompletionScript {
  /// What a command line asks of the completion scripts.
  enum Request: Equatable {
    /// The script to print.
    case script(String)
    /// A shell argument-parser has no script for: the usage error, without "audioprep: ".
    case unknownShell(String)
  }

  /// What `arguments` ask for when they hold `--generate-completion-script [SHELL]` (either
  /// spelling, after a subcommand or an input too; without SHELL, the one `$SHELL` names): the
  /// root script, with bash's patched (`bash`), whichever command it was given to; nil when
  /// they do not ask. `shellPath`: `$SHELL`; when it names no shell argument-parser writes for
  /// and none is named, the error says which to name (review31h W8: it was "Unknown option").
  static func request(by arguments: [String], shellPath: String? = getenv("SHELL").map { String(cString: $0) }) -> Request? {
    let flag = "--generate-completion-script"
    guard let at = arguments.prefix(while: { $0 != "--" }).firstIndex(where: { $0 == flag || $0.hasPrefix(flag + "=") }) else { return nil }
    let word = arguments[at]
    let next = at + 1 < arguments.count && !arguments[at + 1].hasPrefix("-") ? arguments[at + 1] : nil
    let named = word == flag ? next : String(word.dropFirst(flag.count + 1))
    let fromEnvironment = shellPath.flatMap { CompletionShell(rawValue: String($0.split(separator: "/").last ?? "")) }
    guard let shell = named.map({ CompletionShell(rawValue: $0.lowercased()) }) ?? fromEnvironment else {
      let shells = CompletionShell.allCases.map(\.rawValue).joined(separator: ", ")
      guard let named else {
        let environment = shellPath.map { "$SHELL is '\($0)', none of \(shells)" } ?? "$SHELL is not set"
        return .unknownShell("\(flag) names no shell and \(environment); give one: \(flag) bash")
      }
      return .unknownShell("\(flag): '\(named)' is not one of \(shells)")
    }
    let script = AudioPrep.completionScript(for: shell)
    return .script(shell == .bash ? bash(script) : script)
  }

  /// argument-parser's bash script, whose root function offers only subcommand names when the
  /// first word names none, made to complete that word and the rest as `process`'s too.
  static func bash(_ script: String) -> String {
    let lines = script.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let root = lines.firstIndex(of: "_audioprep() {"),
      let fallback = lines[root...].firstIndex(of: "    *)"),
      lines.indices.contains(fallback + 2), lines[fallback + 1] == "        # Offer subcommand completions",
      lines[fallback + 2].hasPrefix("        COMPREPLY+=($(compgen -W ")
    else { return script }
    // Root flags are offered again by process; subcommand names only for the first word.
    let defaultSubcommand = [
      "        # process is the default subcommand: a first word that names no subcommand is its",
      "        # input or an option, so complete as 'audioprep process ...' (added by audioprep)",
      "        COMPREPLY=()",
      "        if [[ \"${#unparsed_words[@]}\" -eq 0 ]]; then",
      "    " + lines[fallback + 2],
      "        fi",
      "        unparsed_words=(\"${subcommand}\" \"${unparsed_words[@]}\")",
      "        _audioprep_process",
    ]
    var patched = lines[...(fallback + 1)] + defaultSubcommand + lines[(fallback + 3)...]
    // `help <TAB>` offers the commands (argument-parser offered --version, which help refuses: review33h W11).
    if let help = patched.firstIndex(of: "_audioprep_help() {"), let offer = patched[help...].firstIndex(of: "    __audioprep_offer_flags_options -1") {
      let commands = AudioPrep.configuration.subcommands.map { $0._commandName }.joined(separator: " ")
      patched[offer] = "    [[ \"${#unparsed_words[@]}\" -le 1 ]] && COMPREPLY=($(compgen -W '\(commands)' -- \"${cur}\"))  # added by audioprep"
    }
    return patched.joined(separator: "\n")
  }
}
