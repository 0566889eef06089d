import ArgumentParser
import DSP

/// Usage errors reworded to name what would work: the options sox and ffmpeg users type, a
/// second input (`batch` takes many), an unknown `help` topic.
enum UsageHint {
  /// The one table of other tools' options (ffmpeg, sox, arecord, librosa-style scripts) and
  /// what audioprep takes instead. A word matches as typed or with `=VALUE`.
  static let foreignOptions: [(options: [String], hint: String)] = [
    (["-i"], "-i is ffmpeg's; audioprep takes the input as its first argument: audioprep INPUT -o OUTPUT"),
    (["-ar"], "-ar is ffmpeg's; audioprep's output rate is --rate (e.g. --rate 16k)"),
    (["-ac"], "-ac is ffmpeg's; audioprep writes mono by default (--channel N takes one channel, --keep-channels keeps all)"),
    (["--mono"], "--mono is not audioprep's; it writes mono by default (--channel N takes one channel, --keep-channels keeps all)"),
    (["--channels", "--num-channels", "--nchannels"], "%@ is not audioprep's; it writes mono by default, all channels averaged (--channel N takes channel N alone, 0-based; --keep-channels keeps all; a raw input's count is --in-channels)"),
    (["--nj", "--num-jobs", "--num-workers"], "%@ is Kaldi's or Lhotse's; audioprep batch takes -j N (audioprep batch INPUT... --out-dir OUT -j N); one file's resampling threads are --threads N"),
    (["--sampling-rate", "--sample-frequency", "--sample_rate"], "%@ is not audioprep's; the output rate is --rate (e.g. --rate 16k), a raw input's --in-rate"),
    (["-v", "--vol", "--volume"], "%@ is sox's volume; audioprep's is --gain (0.5, 0.5x or -6dB)"),
    (["--norm", "--normalize", "--normalise"], "%@ is not audioprep's; it normalises with --loudness LUFS (e.g. -23) or --peak DBFS (e.g. -1)"),
    (["--overwrite"], "--overwrite is not audioprep's; --force replaces an existing output"),
    (["--sr", "--sample-rate", "--samplerate"], "%@ is not audioprep's; the output rate is --rate (e.g. --rate 16k), a raw input's --in-rate"),
    (["-ss"], "-ss is ffmpeg's; audioprep's is --start (e.g. --start 1:30), with --end or --duration"),
    (["-to"], "-to is ffmpeg's; audioprep's is --end (e.g. --end 2:00)"),
    (["-t"], "-t is sox's file type or ffmpeg's duration; audioprep's output type is --format (wav, flac, …), a length --duration (e.g. --duration 30s), raw input --in-rate, --in-channels and --in-encoding"),
    (["-c:a", "-acodec", "-codec:a", "-f"], "%@ is ffmpeg's (or arecord's sample format); audioprep's output container is --format (wav, flac, ogg, opus, mp3, aiff, caf, raw), its sample format --encoding (s16, s24, s32, f32), a raw input's --in-encoding (s16, s16le, S16_LE)"),
    (["-q:a", "-qscale:a", "-b:a"], "%@ is ffmpeg's; audioprep has no lossy-quality option (the encoders' defaults); --format wav or flac is lossless"),
    (["-af", "-filter:a", "-filter_complex"], "%@ is ffmpeg's; audioprep's chain is fixed: --rate, --highpass, --q, --gain (or --loudness, --peak), see 'audioprep help process'"),
    (["-map"], "-map is ffmpeg's; audioprep's is --audio-stream N (0-based, counting audio streams only)"),
    (["-y"], "-y is ffmpeg's; audioprep's is --force (replace an existing output)"),
    (["-nostdin"], "-nostdin is ffmpeg's; audioprep reads standard input only when INPUT is -, so it needs none"),
    (["-threads"], "-threads is ffmpeg's; audioprep's is --threads N"),
    (["-b", "-e"], "%@ is sox's sample size/encoding; audioprep's output sample format is --encoding (s16, s24, s32, f32), a raw input's --in-encoding"),
    (["-r"], "-r is sox's; audioprep's output rate is --rate (e.g. --rate 16k), a raw input's --in-rate"),
    (["-c"], "-c is sox's; audioprep writes mono by default (--channel N, --keep-channels), a raw input's channels are --in-channels"),
    (["--overlap"], "--overlap is not audioprep's; segments overlap with --segment-overlap (e.g. --segment 30s --segment-overlap 1s)"),
    (["-sample_fmt"], "-sample_fmt is ffmpeg's; audioprep's output sample format is --encoding (s16, s24, s32, f32)"),
    (["-metadata"], "-metadata is ffmpeg's; audioprep writes no tags (the manifest of 'audioprep batch' records what each output came from)"),
    (["-vn"], "-vn is ffmpeg's (no video); audioprep writes audio only, so it needs none"),
    (["-an"], "-an is ffmpeg's (no audio); audioprep writes audio only: drop it"),
    (["-re"], "-re is ffmpeg's (read at the input's own speed); audioprep reads as fast as it can, so it needs none (a live source paces itself: --live)"),
    (["-G"], "-G is sox's guard against clipping; audioprep counts clipped samples and says so, and --peak -1 or --loudness -23 set a gain that does not clip"),
    (["-V"], "-V is sox's verbosity; audioprep prints warnings and errors (--quiet: errors only), --summary one line per run, --stats the levels"),
    (["-n"], "-n is sox's null file; 'audioprep info FILE' measures a file without writing one (--levels for its levels)"),
  ]

  /// batch's options, which process (one INPUT) does not take: given to process they point to batch.
  static let batchOnlyOptions = [
    "-j", "--jobs", "--out-dir", "--from-list", "--manifest", "--shard", "--fail-fast", "--allow-failed", "--progress", "--no-progress",
    "--min-duration", "--max-duration", "--segment-longer-only", "--measure-loudness",
  ]

  /// The option name a word on the command line gives: as typed, without `=VALUE`, or without a
  /// value getopt users glue on (`-ac1`, `-b16`, `-ss1:30`: a single-dash name up to its first digit).
  static func optionNames(of word: String) -> [String] {
    let name = word.split(separator: "=", maxSplits: 1).first.map(String.init) ?? word
    guard !word.hasPrefix("--"), let digit = word.dropFirst(2).firstIndex(where: \.isNumber) else { return [name] }
    return [name, String(word[..<digit])]
  }

  /// The hint for the first word of `arguments` (before `--`) that is another tool's option (or,
  /// given to process, batch's), or nil.
  static func foreignOption(in arguments: [String]) -> String? {
    let toProcess = commandPath(arguments) == ["process"]
    for word in arguments.prefix(while: { $0 != "--" }) where word.hasPrefix("-") {
      for name in optionNames(of: word) {
        if let entry = foreignOptions.first(where: { $0.options.contains(name) }) {
          return entry.hint.replacing("%@", with: name)
        }
        if toProcess, batchOnlyOptions.contains(name) {
          return "\(name) is batch's; process takes one INPUT: audioprep batch INPUT... --out-dir OUT -j N"
        }
      }
    }
    return nil
  }

  /// The line for a value glued to one of audioprep's own short options (`-j4`, `-oout.wav`),
  /// which argument-parser reads as other options or as two errors in one; nil otherwise.
  static func gluedValue(in arguments: [String]) -> String? {
    for word in arguments.prefix(while: { $0 != "--" }) where !word.hasPrefix("--") && word.count > 2 {
      let option = String(word.prefix(2))
      guard ["-o", "-j"].contains(option), word.dropFirst().first?.isLetter == true else { continue }
      let command = commandType(arguments)
      guard AudioPrep.helpMessage(for: command, columns: 1000).contains(" \(option), --") else { continue }
      return "\(word): audioprep reads an option's value after a space: \(option) \(word.dropFirst(2))"
    }
    return nil
  }

  /// What does the work of sox's effect `name`, typed after the input as sox takes them (`sox
  /// in.wav out.wav rate 16k`), given the words after it; nil when `name` is none of them.
  static func soxEffect(_ name: String, values: [String]) -> String? {
    let number = values.first { Double($0) != nil }
    let mono = "audioprep writes mono by default, all channels averaged (--channel N takes channel N alone, 0-based; --keep-channels keeps all)"
    switch name {
    case "rate": return "is the option --rate \(values.first { $0.first?.isNumber == true } ?? "16k")"
    case "highpass": return "is the option --highpass \(values.first { $0.first?.isNumber == true } ?? "80")"
    // sox's gain is in decibels: a bare number gets the unit.
    case "gain": return "is the option --gain \(number ?? "-3")dB"
    case "vol": return "is the option --gain \(values.first { GainArgument.parse($0) != nil } ?? "0.5")"
    case "norm": return "is the option --peak \(number ?? "0") (or --loudness -23 for a loudness)"
    case "remix", "channels": return mono
    case "trim":
      guard let start = values.first else { return "are the options --start and --duration (or --end)" }
      guard values.count >= 2 else { return "is the option --start \(start)" }
      let length = values[1]
      return length.hasPrefix("=") ? "are the options --start \(start) --end \(length.dropFirst())" : "are the options --start \(start) --duration \(length)"
    case "silence": return "is the option --trim-silence (drops the non-speech before the first and after the last speech region)"
    default: return nil
    }
  }

  /// The line for a sox effect typed after process's input (`in.wav -o out.wav rate 16k`): a
  /// word of `soxEffects` that is no file and follows a word that is no option, so it is not an
  /// option's value; nil otherwise.
  static func soxEffect(in arguments: [String]) -> String? {
    guard commandPath(arguments) == ["process"] else { return nil }
    let words = Array(arguments.prefix(while: { $0 != "--" }))
    for index in words.indices.dropFirst() {
      let previous = words[index - 1]
      guard soxEffect(words[index], values: []) != nil, previous == "-" || !previous.hasPrefix("-"), previous != "process",
        Descriptor.status(words[index]) == nil
      else { continue }
      let values = Array(
        words[(index + 1)...].prefix { soxEffect($0, values: []) == nil && !$0.hasPrefix("--") && ($0 == "-" || Descriptor.status($0) == nil) })
      let typed = ([words[index]] + values).joined(separator: " ")
      guard let option = soxEffect(words[index], values: values) else { continue }
      return "'\(typed)' is a sox effect; audioprep" + (option.hasPrefix("audioprep") ? option.dropFirst("audioprep".count) : "'s \(option)")
    }
    return nil
  }

  /// The line for a single-dash word holding an `h` (ffmpeg's `-threads`, `-hide_banner`),
  /// which argument-parser would take for `-h` and answer with the help and exit 0, processing
  /// nothing; nil otherwise. Words after `--` are operands.
  static func helpInAWord(arguments: [String]) -> String? {
    for word in arguments.prefix(while: { $0 != "--" }) {
      let letters = word.dropFirst()
      guard word.hasPrefix("-"), !word.hasPrefix("--"), letters.count >= 2, letters.contains("h"),
        letters.first?.isLetter == true, letters.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" })
      else { continue }
      if let hint = foreignOption(in: [word]) { return hint }
      return "\(word) is not an option (a single-dash word is ffmpeg's; audioprep's long options have two dashes: see --help)"
    }
    return nil
  }

  /// Words other tools use for what an audioprep command does.
  static let commandAliases: [String: String] = ["merge": "manifest merge", "export": "manifest export", "soxi": "info", "ffprobe": "info", "compare": "verify"]

  /// The command a first argument that is not a file meant: a command mistyped (`inf`,
  /// `verfy`: two edits at most) or another tool's word for one (`merge`, `export`); nil otherwise.
  static func commandMeant(by word: String) -> String? {
    guard !word.hasPrefix("-"), !word.contains("/"), !word.contains("."), Descriptor.status(word) == nil else { return nil }
    return commandAliases[word.lowercased()]
      ?? commandNames.map { ($0, editDistance(word.lowercased(), $0)) }.filter { isClose(distance: $0.1, typed: word) }
      .min { $0.1 < $1.1 }?.0
  }

  /// "'inf' is neither a file nor a command; did you mean 'audioprep info'? …", or nil.
  static func commandTypo(_ word: String) -> String? {
    commandMeant(by: word).map {
      "'\(word)' is neither a file nor a command; did you mean 'audioprep \($0)'? (the commands are \(commandNames.joined(separator: ", ")))"
    }
  }

  /// Whether a name `distance` edits from `typed` is what was meant: two edits at most, one for
  /// a short word (a third of its length). The one rule for commands and options.
  static func isClose(distance: Int, typed: String) -> Bool { distance <= min(2, max(1, typed.count / 3)) }

  /// Levenshtein distance: insertions, deletions and substitutions.
  static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var row = Array(0...b.count)
    for i in 1...max(1, a.count) where !a.isEmpty {
      var previous = row[0]
      row[0] = i
      for j in 1...max(1, b.count) where !b.isEmpty {
        let current = row[j]
        row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
        previous = current
      }
    }
    return a.isEmpty ? b.count : row[b.count]
  }

  /// The top-level commands, as `help` lists them.
  static var commandNames: [String] {
    AudioPrep.configuration.subcommands.compactMap { $0.configuration.commandName }
  }

  /// The command (and subcommand) `arguments` run: ["batch"], ["manifest", "export"], or
  /// ["process"] for the default.
  static func commandPath(_ arguments: [String]) -> [String] {
    var command: ParsableCommand.Type = AudioPrep.self
    var path: [String] = []
    for word in arguments {
      guard let next = command.configuration.subcommands.first(where: { $0.configuration.commandName == word }) else { break }
      command = next
      path.append(word)
    }
    return path.isEmpty ? ["process"] : path
  }

  /// The command `arguments` run (`ProcessCommand` for the default).
  static func commandType(_ arguments: [String]) -> ParsableCommand.Type {
    var command: ParsableCommand.Type = AudioPrep.self
    for word in commandPath(arguments) {
      command = command.configuration.subcommands.first { $0.configuration.commandName == word } ?? ProcessCommand.self
    }
    return command
  }

  /// Where a usage error points: the help of the command `arguments` run ("audioprep batch
  /// --help"), or the main help when the first word was a command mistyped.
  static func helpPointer(_ arguments: [String]) -> String {
    let path = commandPath(arguments)
    if path == ["process"], let first = arguments.first, first != "process", commandMeant(by: first) != nil {
      return "audioprep --help"
    }
    return "audioprep \(path.joined(separator: " ")) --help"
  }

  /// The line for a usage error, without "audioprep: ", when a hint applies; nil otherwise.
  /// `arguments` are the command line without the program name; `message` argument-parser's.
  static func line(arguments: [String], message: String) -> String? {
    let path = commandPath(arguments)
    let command = path.joined(separator: " ")
    if path == ["process"], let first = arguments.first, arguments.first != "process", let typo = commandTypo(first) {
      return typo
    }
    if command == "response", let option = arguments.first(where: { ["--loudness", "--peak", "--true-peak"].contains($0) }) {
      return "\(option) sets the gain file by file (process, batch, info); response plots a fixed --gain"
    }
    if command == "response", let option = arguments.first(where: { ["--denoise", "--agc", "--no-agc"].contains($0) }) {
      return "\(option) adapts to the signal and has no frequency response (process, batch, info take it); response plots the fixed filters"
    }
    if path == ["manifest"], let word = arguments.dropFirst().first, !word.hasPrefix("-") {
      let names = ManifestCommand.configuration.subcommands.compactMap { $0.configuration.commandName }
      return "manifest: no subcommand '\(word)'; its subcommands are \(names.joined(separator: ", "))"
    }
    guard path == ["process"] else { return nil }
    // argument-parser: "Unexpected argument 'b.wav'" or "2 unexpected arguments: 'b.wav', 'c.wav'".
    let extras: [String]
    if message.hasPrefix("Unexpected argument '") {
      extras = [String(message.dropFirst("Unexpected argument '".count).prefix { $0 != "'" })]
    } else if let colon = message.firstRange(of: " unexpected arguments: ") {
      extras = message[colon.upperBound...].split(separator: ", ").map { String($0.dropFirst().dropLast()) }
    } else {
      return nil
    }
    if extras.count == 1, let output = extras.first, !output.hasPrefix("-"), Descriptor.status(output) == nil,
      !arguments.contains("-o") && !arguments.contains("--output")
    {
      // sox's habit, `sox in.wav out.wav`: the second name is the output.
      return "\(output): process takes one INPUT and writes to -o: 'audioprep INPUT -o \(output)' (for several inputs, 'audioprep batch INPUT... --out-dir OUT')"
    }
    return "\(extras.joined(separator: ", ")): process takes one INPUT; for several use 'audioprep batch INPUT... --out-dir OUT'"
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
