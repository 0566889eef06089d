import ArgumentParser

/// Shell completion scripts, with what argument-parser's generator leaves out: `process` is the
/// default subcommand, so `audioprep talk.fl<TAB>` and `audioprep talk.flac -o <TAB>` must
/// complete as `audioprep process …` does.
enum CompletionScript {
  /// The script `arguments` ask for when they are `--generate-completion-script bash` (either
  /// spelling); nil for anything else, which argument-parser handles unchanged.
  static func requested(by arguments: [String]) -> String? {
    guard arguments == ["--generate-completion-script", "bash"] || arguments == ["--generate-completion-script=bash"]
    else { return nil }
    return bash(AudioPrep.completionScript(for: .bash))
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
    return (lines[...(fallback + 1)] + defaultSubcommand + lines[(fallback + 3)...]).joined(separator: "\n")
  }
}
