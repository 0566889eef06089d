@testable import AudioPrepCommands
import ArgumentParser
import Testing

/// Usage errors checked in process (`AudioPrep.usageError`, the line `main` prints before
/// exiting 64), without spawning the binary: issue 21's hints, units and refusals.
@Suite struct UsageErrorTests {
  /// The line for `arguments`, or a failed expectation when they parse.
  func line(_ arguments: [String]) -> String {
    guard let line = AudioPrep.usageError(arguments) else {
      Issue.record("\(arguments) parsed")
      return ""
    }
    return line
  }

  @Test func aForeignOptionNamesAudioprepsOwn() {
    #expect(line(["in.wav", "-ar", "16000"]).hasPrefix("audioprep: -ar is ffmpeg's; audioprep's output rate is --rate"))
    #expect(AudioPrep.usageError(["in.wav", "--rate", "16k"]) == nil)
  }
}

/// Every option taking a number with a unit or a count reads the forms users type, and refuses
/// the rest naming the forms it takes (#21 hostile review: `--q 1dB`, `--snr-min 30dB`,
/// `--chunk-ms 20ms`, `--threads auto`, `-j auto`, `--in-channels mono`, `--speech-threshold
/// 50%`, `--peak -1dB` were refused without naming a form).
@Suite struct UnitFormsTests {
  /// Several forms on one command line each (a parse costs about a second in a debug build).
  @Test(arguments: [
    ["in.wav", "--q", "1dB", "--chunk-ms", "20ms", "--threads", "auto", "--peak", "-1dB", "--true-peak", "-2dB"],
    ["in.wav", "--q", "-3", "--chunk-ms", "0.02s", "--gain", "+3dB", "--golden", "g.wav", "--snr-min", "30dB"],
    ["in.wav", "--loudness", "-23LKFS", "--golden", "g.wav", "--tolerance", "1e-4", "--utterances", "-o", "u%d.wav", "--speech-threshold", "50%"],
    ["batch", "in", "--out-dir", "o", "-j", "auto", "--gain", "-3dB", "--in-channels", "mono", "--in-rate", "8k", "--in-encoding", "S16_LE"],
    ["-", "--in-encoding", "pcm_s16le", "--in-channels", "stereo", "--gain", "3x"], ["-", "--in-encoding", "s16le", "--peak", "-1dBFS"],
    ["-", "--in-encoding", "S24_3LE", "--gain", "120dB"], ["-", "--in-encoding", "FLOAT_LE"], ["-", "--in-encoding", "pcm_f32le"],
    // The output's --encoding takes the same names and sox's bit counts (the -b hint points
    // there): S16_LE, s16le, 16 and float were refused (hostile review of #21).
    ["in.wav", "-o", "a.wav", "--encoding", "S16_LE"], ["in.wav", "-o", "a.wav", "--encoding", "pcm_s24le"],
    ["in.wav", "-o", "a.wav", "--encoding", "16"], ["in.wav", "-o", "a.wav", "--encoding", "float"],
    ["-", "--in-encoding", "16"],
  ])
  func accepted(arguments: [String]) {
    #expect(AudioPrep.usageError(arguments) == nil, "\(arguments)")
  }

  @Test(arguments: [
    (["in.wav", "--q", "1dBx"], "--q: '1dBx' is not a value in dB: give 30 or 30dB"),
    (["in.wav", "--golden", "g.wav", "--snr-min", "thirty"], "--snr-min: 'thirty' is not a value in dB: give 30 or 30dB"),
    (["in.wav", "--chunk-ms", "20 ms"], "--chunk-ms: '20 ms' is not a length in milliseconds: give 20, 20ms or 0.02s"),
    (["in.wav", "--threads", "many"], "--threads: 'many' is not a count: give a whole number such as 4, or auto"),
    (["batch", "in", "--out-dir", "o", "-j", "2.5"], "-j: '2.5' is not a count: give a whole number such as 4, or auto"),
    (["in.wav", "--in-channels", "quad"], "--in-channels: 'quad' is not a channel count: give 1, 2, mono or stereo"),
    // batch --segments-list said "needs --segment", and with --segment "is for process" (a
    // circle: hostile review of #21): batch says the second at once; process the first.
    (["batch", "in", "--out-dir", "o", "--segments-list", "l.jsonl"], "--segments-list is for process; batch writes each input's sidecar beside its segments, OUT/REL/STEM.segments.jsonl"),
    (["in.wav", "--segments-list", "l.jsonl"], "--segments-list needs --segment or --utterances"),
    // Less than one output frame is as empty as --duration 0 (it wrote an empty file, exit 0:
    // hostile review of #21).
    (["in.wav", "-o", "a.wav", "--duration", "0.00001"], "--start/--end/--duration leave less than one output frame at 16000 Hz: nothing to write"),
    (["in.wav", "-o", "a.wav", "--start", "1", "--end", "1.00001", "--rate", "8k"], "--start/--end/--duration leave less than one output frame at 8000 Hz: nothing to write"),
    (["in.wav", "--utterances", "-o", "u%d.wav", "--speech-threshold", "half"], "--speech-threshold: 'half' is not a share: give 0.5 or 50%"),
    (["in.wav", "--peak", "-1dBTP"], "--peak: '-1dBTP' is not a level: give a number (-1, -1dB, -1dBFS)"),
    (["in.wav", "--chunk-samples", "1k"], "--chunk-samples: '1k' is not a whole number: give one such as 1600"),
    (["in.wav", "--golden", "g.wav", "--tolerance", "small"], "--tolerance: 'small' is not a number: give 0.0001 or 1e-4"),
    // review60 W2: an overlap as long as the window once both are output frames passed the
    // check in seconds, then failed every input (a batch recorded them all as failed, 65).
    (["in.wav", "--segment", "2s", "-o", "s%d.wav", "--segment-overlap", "1.99999s"],
     "--segment-overlap must be shorter than --segment: at 16000 Hz both are 32000 output frames"),
    (["batch", "in", "--out-dir", "o", "--segment", "2s", "--segment-overlap", "1.99999s"],
     "--segment-overlap must be shorter than --segment: at 16000 Hz both are 32000 output frames"),
    // review61 O1: one frame short of the window, a step of one frame opened 32000 segments
    // at once (process: "Too many open files", 74; batch: minutes for one segment).
    (["in.wav", "--segment", "2s", "-o", "s%d.wav", "--segment-overlap", "1.9999s"],
     "--segment-overlap leaves a step of 2 output frames at 16000 Hz: 16000 segments would be open at once (at most 512); shorten the overlap"),
  ])
  func refusedNamingTheForms(arguments: [String], message: String) {
    let line = AudioPrep.usageError(arguments) ?? "parsed"
    #expect(line.hasPrefix("audioprep: \(message) (see "), "\(line)")
  }

  /// A negative value is the option's value, refused by its range, not a missing value
  /// (`--speech-threshold -0.5`, `--vad-mode -1`, `--shard -1/10` said "Missing value").
  @Test(arguments: [
    (["in.wav", "--utterances", "-o", "u%d.wav", "--speech-threshold", "-0.5"], "--speech-threshold is a share in (0, 1] (0.5, 50%), got -0.5"),
    (["in.wav", "--utterances", "-o", "u%d.wav", "--vad-mode", "-1"], "--vad-mode is 0, 1, 2 or 3, got -1"),
    (["batch", "in", "--out-dir", "o", "--shard", "-1/10"], "--shard: '-1/10' is not a shard: K counts from 0 to N-1"),
    (["in.wav", "--threads", "-2"], "--threads must lie between 1 and 256, got -2"),
    (["in.wav", "--channel", "-1"], "--channel counts from 0, got -1"),
    (["in.wav", "--audio-stream", "-1"], "--audio-stream counts audio streams from 0, got -1"),
    (["batch", "in", "--out-dir", "o", "-j", "-1"], "-j must lie between 1 and 1024, got -1"),
    (["in.wav", "--golden", "g.wav", "--tolerance", "-1"], "--tolerance must be 0 or more"),
    // Under -60 LUFS a target cannot be met: the output's quieter blocks fall under BS.1770's
    // -70 LUFS gate (-70 gave -68.9, -69 gave -68.1, with no shortfall said).
    (["in.wav", "--loudness", "-65"], "--loudness must lie between -60 and 0 LUFS (below, BS.1770's -70 LUFS gate leaves the quieter blocks out, and the target cannot be met), got -65"),
  ])
  func negativeValuesAreValues(arguments: [String], message: String) {
    let line = AudioPrep.usageError(arguments) ?? "parsed"
    #expect(line.hasPrefix("audioprep: \(message)"), "\(line)")
    #expect(!line.contains("Missing value"), "\(line)")
  }

  /// A sign reads as decibels to sox users: `--gain -3` and `--gain +3` (×3 before) are refused
  /// naming both readings; a gain beyond the range is named in the unit it was given in
  /// (`200dB` showed the linear 1e10).
  @Test(arguments: [
    (["in.wav", "--gain", "-3"], "--gain: '-3' has a sign but no unit, which sox users read as decibels: write -3dB for decibels (a factor has no sign: 0.5, 0.5x)"),
    (["in.wav", "--gain", "+3"], "--gain: '+3' has a sign but no unit, which sox users read as decibels: write +3dB for decibels or 3x for a factor"),
    (["in.wav", "--gain", "200dB"], "--gain: '200dB' is beyond +120dB, the largest gain (a factor of 1000000)"),
    (["in.wav", "--gain", "2e6"], "--gain: '2e6' is beyond 1000000 (+120dB), the largest gain"),
  ])
  func signedAndHugeGains(arguments: [String], message: String) {
    let line = AudioPrep.usageError(arguments) ?? "parsed"
    #expect(line.hasPrefix("audioprep: \(message) (see "), "\(line)")
  }

  /// Options that cannot act are refused, not silently dropped.
  @Test(arguments: [
    (["in.wav", "--q", "3", "--q-linear", "0.7"], "--q and --q-linear both set the high-pass Q (in dB and linear); give one"),
    (["in.wav", "--tolerance", "1e-4"], "--tolerance compares with --golden FILE; give --golden, or use 'audioprep verify'"),
    (["in.wav", "--snr-min", "30"], "--snr-min compares with --golden FILE; give --golden, or use 'audioprep verify'"),
    // review29c H1: --snr-min passed whatever --tolerance said (0.000811 against 1e-6, exit 0).
    (["in.wav", "--golden", "g.wav", "--tolerance", "1e-6", "--snr-min", "30"],
     "--tolerance and --snr-min are two ways to pass (the largest error a sample, or the signal-to-error ratio); give one"),
    (["verify", "a.wav", "b.wav", "--snr-min", "30", "--tolerance", "1e-6"],
     "--tolerance and --snr-min are two ways to pass (the largest error a sample, or the signal-to-error ratio); give one"),
    (["in.wav", "--end", "0"], "--end 0 leaves nothing to write; --end is a time of the input after --start"),
    (["in.wav", "--duration", "0"], "--duration 0 leaves nothing to write"),
    (["-", "--in-encoding", "S24_LE"], "--in-encoding: 'S24_LE' is not one of s16, s24, s32, f32, u8"),
  ])
  func refusedWhenTheyCannotAct(arguments: [String], message: String) {
    let line = AudioPrep.usageError(arguments) ?? "parsed"
    #expect(line.hasPrefix("audioprep: \(message) (see "), "\(line)")
  }

  /// `response` plots a fixed gain: its help does not list --loudness, --peak, --true-peak.
  @Test func responseHelpListsOnlyWhatItTakes() {
    let response = AudioPrep.configuration.subcommands.first { $0.configuration.commandName == "response" }!
    let help = AudioPrep.helpMessage(for: response, columns: 200)
    for option in ["--loudness", "--peak", "--true-peak"] { #expect(!help.contains(option), "\(option)") }
    #expect(help.contains("--gain"))
  }
}

/// Other tools' habits get a line naming what audioprep takes (#21 hostile review: bare,
/// wrong or "Did you mean '--q'?" messages before).
@Suite struct HabitHintTests {
  /// The table names other tools' options only: none is an option of any audioprep command
  /// (it is read before parsing, so one that were would refuse a valid command line).
  @Test func noForeignOptionIsAudioprepsOwn() {
    let commands: [ParsableCommand.Type] = [
      ProcessCommand.self, BatchCommand.self, InfoCommand.self, VerifyCommand.self, ResponseCommand.self,
      ManifestMergeCommand.self, ManifestExportCommand.self,
    ]
    let help = commands.map { $0.helpMessage(columns: 1000) }.joined(separator: "\n")
    for entry in UsageHint.foreignOptions {
      for name in entry.options {
        let pattern = name.hasPrefix("--") ? name : name + ","
        #expect(!help.contains(" \(pattern) ") && !help.contains(" \(name) <") && !help.contains("\(name),"), "\(name) is audioprep's")
      }
    }
    #expect(AudioPrep.usageError(["batch", "in", "--out-dir", "o", "-j", "4", "--jobs", "2"]) == nil)
  }

  @Test(arguments: [
    (["-i", "in.wav"], "-i is ffmpeg's; audioprep takes the input as its first argument"),
    (["in.wav", "-to", "2:00"], "-to is ffmpeg's; audioprep's is --end"),
    (["in.wav", "-ss", "30"], "-ss is ffmpeg's; audioprep's is --start"),
    (["in.wav", "-t", "30"], "-t is sox's file type or ffmpeg's duration; audioprep's is --duration 30"),
    (["in.wav", "-c:a", "pcm_s16le"], "-c:a is ffmpeg's codec; audioprep's is --encoding s16"),
    (["in.wav", "-f", "s16le"], "-f is ffmpeg's format (or arecord's sample format); audioprep's is --format raw --encoding s16"),
    (["in.wav", "-af", "highpass=f=80"], "-af is ffmpeg's; audioprep's is --highpass 80"),
    (["in.wav", "-map", "0:a:1"], "-map is ffmpeg's; audioprep's is --audio-stream 1"),
    (["in.wav", "--sr", "16000"], "--sr is not audioprep's; the output rate is --rate"),
    (["in.wav", "--sample-rate=16000"], "--sample-rate is not audioprep's; the output rate is --rate"),
    (["in.wav", "--mono"], "--mono is not audioprep's; it writes mono by default"),
    (["in.wav", "-y", "-o", "x.wav"], "-y is ffmpeg's; audioprep's is --force"),
    (["in.wav", "-b", "16"], "-b is sox's sample size/encoding; audioprep's is --encoding s16"),
    (["in.wav", "-e", "signed-integer"], "-e is sox's sample size/encoding; audioprep's output sample format is --encoding"),
    (["in.wav", "--segment", "30s", "-o", "x%d.wav", "--overlap", "1s"], "--overlap is not audioprep's; segments overlap with --segment-overlap"),
    (["in.wav", "-q:a", "2"], "-q:a is ffmpeg's; audioprep has no lossy-quality option"),
    (["-nostdin", "in.wav"], "-nostdin is ffmpeg's; audioprep reads standard input only when INPUT is -"),
    (["in.wav", "-ar", "16000"], "-ar is ffmpeg's; audioprep's output rate is --rate"),
    (["in.wav", "-threads", "4"], "-threads is ffmpeg's; audioprep's is --threads 4"),
    // A hostile review of #21: `--channels 1` was answered "Did you mean '--channel'?", and
    // `--channel 1` then wrote the right channel of a stereo file alone, exit 0.
    (["in.wav", "--channels", "1"], "--channels is not audioprep's; it writes mono by default, all channels averaged (--channel N takes channel N alone, 0-based"),
    (["in.wav", "--channels=2"], "--channels is not audioprep's; audioprep's is --keep-channels"),
    (["in.wav", "--nj", "4"], "--nj is Kaldi's or Lhotse's; audioprep batch takes -j N"),
    (["in.wav", "--sampling-rate", "16000"], "--sampling-rate is not audioprep's; the output rate is --rate"),
    (["in.wav", "-v", "0.5"], "-v is sox's volume or ffmpeg's log level; audioprep's is --gain 0.5"),
    (["in.wav", "--normalize"], "--normalize is not audioprep's; it normalises with --loudness LUFS"),
    (["in.wav", "--overwrite"], "--overwrite is not audioprep's; --force replaces an existing output"),
  ])
  func foreignOptions(arguments: [String], expected: String) {
    let line = AudioPrep.usageError(arguments) ?? "parsed"
    #expect(line.hasPrefix("audioprep: \(expected)"), "\(line)")
    #expect(!line.contains("Did you mean"), "\(line)")
  }

  /// sox's `in.wav out.wav` names the output; three or more names are a batch; a command
  /// mistyped or another tool's word names the command (they got batch hints or nothing).
  @Test(arguments: [
    (["in.wav", "out-never-there.wav"], "audioprep: out-never-there.wav: process takes one INPUT and writes to -o: 'audioprep INPUT -o out-never-there.wav'"),
    (["a.wav", "b.wav", "c.wav"], "audioprep: b.wav, c.wav: process takes one INPUT; for several use 'audioprep batch INPUT... --out-dir OUT'"),
    (["inf", "x.wav"], "audioprep: 'inf' is neither a file nor a command; did you mean 'audioprep info'?"),
    (["verfy", "a.wav", "b.wav"], "audioprep: 'verfy' is neither a file nor a command; did you mean 'audioprep verify'?"),
    (["merge", "a.jsonl", "b.jsonl"], "audioprep: 'merge' is neither a file nor a command; did you mean 'audioprep manifest merge'?"),
    (["export", "m.jsonl", "x"], "audioprep: 'export' is neither a file nor a command; did you mean 'audioprep manifest export'?"),
  ])
  func namesAndCommands(arguments: [String], expected: String) {
    let line = AudioPrep.usageError(arguments) ?? "parsed"
    #expect(line.hasPrefix(expected), "\(line)")
  }

  /// A subcommand's usage error points to that subcommand's help (all pointed to the main
  /// help), and `manifest nosuch` lists the subcommands there are (it said "Unexpected argument").
  @Test func errorsPointToTheirCommandsHelp() {
    #expect(AudioPrep.usageError(["batch", "in"]) == "audioprep: Missing expected argument '--out-dir <dir>' (see 'audioprep batch --help')")
    #expect(AudioPrep.usageError(["manifest", "nosuch"]) == "audioprep: manifest: no subcommand 'nosuch'; its subcommands are merge, export (see 'audioprep manifest --help')")
    #expect(AudioPrep.usageError(["in.wav", "--rate", "16q"])?.hasSuffix("(see 'audioprep process --help')") == true)
    #expect(AudioPrep.usageError(["manifest", "export", "m.jsonl"])?.hasSuffix("(see 'audioprep manifest export --help')") == true)
    #expect(AudioPrep.usageError(["response", "--loudness", "-23"]) == "audioprep: --loudness sets the gain file by file (process, batch, info); response plots a fixed --gain (see 'audioprep response --help')")
  }
}

/// The help as argument-parser prints it at 80 columns (#21 hostile review: the arecord example
/// wrapped into two commands, the exit-status table mid-phrase).
@Suite struct HelpLayoutTests {
  static var commands: [ParsableCommand.Type] {
    func all(_ command: ParsableCommand.Type) -> [ParsableCommand.Type] {
      [command] + command.configuration.subcommands.flatMap(all)
    }
    return all(AudioPrep.self)
  }

  /// The discussion (examples, exit status) fits 80 columns, so nothing in it is re-wrapped.
  @Test func discussionsFitEightyColumns() {
    for command in Self.commands {
      let wide = AudioPrep.helpMessage(for: command, columns: 1000)
      let narrow = AudioPrep.helpMessage(for: command, columns: 80)
      let discussion = { (help: String) in help.split(separator: "\n\n", maxSplits: 1).last?.components(separatedBy: "USAGE:").first ?? "" }
      #expect(discussion(wide) == discussion(narrow), "\(command.configuration.commandName ?? "")")
    }
  }

  /// No line of any help is wider than 80 columns, the USAGE lines included (verify's was 96,
  /// manifest export's 209, response's 234: #21 review).
  @Test func everyLineFitsEightyColumns() {
    for command in Self.commands {
      for line in AudioPrep.helpMessage(for: command, columns: 80).split(separator: "\n") {
        #expect(line.count <= 80, "\(command.configuration.commandName ?? ""): \(line)")
      }
    }
  }

  /// Every line of an EXAMPLES block starts a command or continues one (after `|` or `\`): each
  /// example pastes as one command.
  @Test func examplesPasteAsCommands() {
    for command in Self.commands {
      let help = AudioPrep.helpMessage(for: command, columns: 80)
      guard let start = help.range(of: "EXAMPLE") else { continue }
      let block = help[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
        .prefix { !$0.isEmpty }
      var previous = ""
      for line in block {
        let word = line.drop { $0 == " " }.prefix { $0 != " " }
        let continues = previous.hasSuffix("|") || previous.hasSuffix("\\")
        #expect(continues || ["audioprep", "arecord", "find"].contains(String(word)), "\(line)")
        previous = String(line.split(separator: "#", omittingEmptySubsequences: false).first ?? "")
        while previous.last == " " { previous.removeLast() }
      }
    }
  }
}

/// The second hostile review of #21: words no table held got argument-parser's nearest option
/// ("-vn" → "Did you mean '--q'?", "--bits" → "--rate"), getopt's glued values (`-ac1`, `-j4`,
/// `-oout.wav`) got that or two messages run together, sox's effects typed after the input were
/// called inputs (or "Unknown option '-3'"), and batch's options given to process were unknown.
@Suite struct HabitHintReview2Tests {
  /// A suggestion is made only when it is close to what was typed; otherwise none.
  @Test(arguments: [
    // `--bits 16` is no longer unknown: review30h gave it the table's hint (--encoding s16).
    (["in.wav", "--bitrate", "128k"], "Unknown option '--bitrate' (see "),
  ])
  func farSuggestionsAreDropped(arguments: [String], expected: String) {
    let line = AudioPrep.usageError(arguments) ?? "parsed"
    #expect(line.hasPrefix("audioprep: \(expected)"), "\(line)")
  }

  @Test func closeSuggestionsStay() {
    #expect(AudioPrep.usageError(["in.wav", "-stat"])?.contains("Did you mean '--stats'?") == true)
    // A long name exactly, with one dash, is named (review31h W1).
    #expect(AudioPrep.usageError(["in.wav", "-stats"])?.contains("'-stats' has one dash; audioprep's long options have two: --stats") == true)
    #expect(AudioPrep.usageError(["in.wav", "--fromat", "wav"])?.contains("Did you mean '--format'?") == true)
  }

  /// ffmpeg's and sox's words, as typed and with the value glued on, get the table's hint.
  @Test(arguments: [
    (["in.wav", "-vn"], "-vn is ffmpeg's (no video); audioprep writes audio only, so it needs none"),
    (["in.wav", "-an"], "-an is ffmpeg's (no audio)"),
    (["in.wav", "-re"], "-re is ffmpeg's (read at the input's own speed); audioprep reads as fast as it can"),
    (["in.wav", "-sample_fmt", "s16"], "-sample_fmt is ffmpeg's; audioprep's is --encoding s16"),
    (["in.wav", "-metadata", "title=x"], "-metadata is ffmpeg's;"),
    (["in.wav", "-G"], "-G is sox's guard against clipping;"),
    // A unique prefix of --trim-silence, but sox's trim is a cut (#18 review).
    (["in.wav", "--trim", "0"], "--trim is not audioprep's; it cuts with --start and --duration"),
    (["in.wav", "-V3"], "-V is sox's verbosity;"),
    (["in.wav", "-V"], "-V is sox's verbosity;"),
    (["-n", "in.wav"], "-n is sox's null file;"),
    (["in.wav", "-ac1"], "-ac is ffmpeg's; audioprep writes mono by default"),
    (["in.wav", "-b16"], "-b is sox's sample size/encoding; audioprep's is --encoding s16"),
    (["in.wav", "-ss1"], "-ss is ffmpeg's; audioprep's is --start"),
    (["in.wav", "-ss1:30"], "-ss is ffmpeg's; audioprep's is --start"),
    (["in.wav", "-t10"], "-t is sox's file type or ffmpeg's duration"),
    (["in.wav", "-ar16000"], "-ar is ffmpeg's; audioprep's output rate is --rate"),
    (["in.wav", "-r16k"], "-r is sox's; audioprep's output rate is --rate"),
    (["in.wav", "-c1"], "-c is sox's; audioprep writes mono by default"),
    // batch's options given to process point to batch.
    (["in.wav", "-j", "4"], "-j is batch's, not process's: audioprep batch INPUT... --out-dir OUT -j 4"),
    (["in.wav", "-j4"], "-j is batch's, not process's"),
    (["in.wav", "--jobs=2"], "--jobs is batch's, not process's: audioprep batch INPUT... --out-dir OUT --jobs 2"),
    (["in.wav", "--out-dir", "o"], "--out-dir is batch's, not process's"),
    (["in.wav", "-o", "x.wav", "--progress"], "--progress is batch's, not process's"),
  ])
  func habitsGetTheirHint(arguments: [String], expected: String) {
    let line = AudioPrep.usageError(arguments) ?? "parsed"
    #expect(line.hasPrefix("audioprep: \(expected)"), "\(line)")
    #expect(!line.contains("Did you mean"), "\(line)")
  }

  /// The option names a command's help shows (`-j`, `--jobs`, `--progress`, `--no-progress`):
  /// its words that start with a dash, split at spaces and the punctuation around names.
  static func optionNames(_ command: any ParsableCommand.Type) -> Set<String> {
    let words = command.helpMessage(columns: 1000).split(whereSeparator: { " ,;:/[]()<>=\n'`".contains($0) })
    return Set(words.filter { $0.hasPrefix("-") && $0.count > 1 && $0.dropFirst().first!.isLetter || $0.hasPrefix("--") }.map(String.init))
  }

  /// Every command's option given to another command that does not take it names a command
  /// that does (review29c W2: only batch's options given to process did, from a list of them
  /// kept by hand; --min-duration and --segment-longer-only, added later, had been missed once).
  @Test func anyCommandsOptionGivenToAnotherNamesACommandThatTakesIt() {
    let prefixes: [[String]: [String]] = [
      ["process"]: ["in.wav"], ["batch"]: ["batch", "in", "--out-dir", "o"], ["info"]: ["info", "in.wav"],
      ["verify"]: ["verify", "a.wav", "b.wav"], ["response"]: ["response"],
      ["manifest", "export"]: ["manifest", "export", "--to", "kaldi", "m.jsonl", "-o", "d"], ["manifest", "merge"]: ["manifest", "merge", "m.jsonl", "-o", "n.jsonl"],
    ]
    #expect(Set(prefixes.keys) == Set(UsageHint.commandForms.map(\.command)))
    let options = Dictionary(uniqueKeysWithValues: prefixes.keys.map { ($0, CommandOptions(UsageHint.commandType($0)).takesValue) })
    for (command, prefix) in prefixes {
      // The names of options (the help's other words that start with a dash are left out).
      let others = Set(options.filter { $0.key != command }.flatMap { $0.value.keys }).subtracting(options[command]!.keys)
        .filter { $0.hasPrefix("-") && $0.drop { $0 == "-" }.first?.isLetter == true && ($0.hasPrefix("--") || $0.count == 2) }
      for name in others.sorted() {
        let line = AudioPrep.usageError(prefix + [name]) ?? "parsed"
        // Named as another command's, unless another tool's hint names what this command
        // takes (`--to` given to process is ffmpeg's -to: --end) or response says why it has none.
        let named = line.hasPrefix("audioprep: \(name) is ") && line.contains("'s, not \(command.joined(separator: " "))'s: ")
        // An output option of another command says how this one writes (review30h W11-W13).
        let explained = line.contains("ffmpeg's") || line.contains("response plots") || UsageHint.outputForms.contains { line.contains("audioprep: \($0.line)") }
        #expect(named || explained, "\(command) \(name): \(line)")
        #expect(!line.contains("\n"), "\(command) \(name): \(line)")
      }
    }
  }

  /// getopt's glued value on audioprep's own short options is one line saying where the space goes.
  @Test(arguments: [
    (["batch", "corpus", "--out-dir", "o", "-j4"], "audioprep: -j4: audioprep reads an option's value after a space: -j 4 (see 'audioprep batch --help')"),
    (["batch", "corpus", "-j4", "--out-dir", "o"], "audioprep: -j4: audioprep reads an option's value after a space: -j 4 (see 'audioprep batch --help')"),
    (["in.wav", "-oout.wav"], "audioprep: -oout.wav: audioprep reads an option's value after a space: -o out.wav (see 'audioprep process --help')"),
    (["manifest", "merge", "m.jsonl", "-oall.jsonl"], "audioprep: -oall.jsonl: audioprep reads an option's value after a space: -o all.jsonl (see 'audioprep manifest merge --help')"),
  ])
  func gluedValuesAreOneLine(arguments: [String], expected: String) {
    #expect(AudioPrep.usageError(arguments) == expected)
  }

  /// Whatever else argument-parser words in two parts is one line (`-version`: "Unknown option
  /// …;    or: Missing value for '-o <path>' in '-version'").
  @Test func twoPartMessagesAreOneLine() {
    let line = AudioPrep.usageError(["in.wav", "-version"]) ?? "parsed"
    #expect(!line.contains("or:") && !line.contains("  "), "\(line)")
    #expect(AudioPrep.usageError(["in.wav", "-qo", "x.wav"]) == nil)
  }

  /// sox's effects typed after the input name audioprep's option.
  @Test(arguments: [
    (["in.wav", "-o", "out.wav", "rate", "16k"], "'rate 16k' is a sox effect; audioprep's is the option --rate 16k"),
    (["in.wav", "out.wav", "rate", "16k"], "'rate 16k' is a sox effect; audioprep's is the option --rate 16k"),
    (["in.wav", "-o", "out.wav", "gain", "-3"], "'gain -3' is a sox effect; audioprep's is the option --gain -3dB"),
    (["in.wav", "-o", "out.wav", "highpass", "80"], "'highpass 80' is a sox effect; audioprep's is the option --highpass 80"),
    (["in.wav", "-o", "out.wav", "remix", "-"], "'remix -' is a sox effect; audioprep writes mono by default"),
    (["in.wav", "-o", "out.wav", "channels", "1"], "'channels 1' is a sox effect; audioprep writes mono by default"),
    (["in.wav", "-o", "out.wav", "trim", "0", "10"], "'trim 0 10' is a sox effect; audioprep's are the options --start 0 --duration 10"),
    (["in.wav", "-o", "out.wav", "norm", "-1"], "'norm -1' is a sox effect; audioprep's are the options --peak -1 --true-peak 0 (or --loudness -23 for a loudness)"),
    (["in.wav", "-o", "out.wav", "vol", "0.5"], "'vol 0.5' is a sox effect; audioprep's is the option --gain 0.5"),
  ])
  func soxEffectsNameTheOption(arguments: [String], expected: String) {
    // The first line (`in.wav out.wav …` earns a second, on out.wav: WholeCommandLineTests).
    let line = (AudioPrep.usageError(arguments) ?? "parsed").split(separator: "\n").first.map(String.init) ?? ""
    #expect(line.hasPrefix("audioprep: \(expected)"), "\(line)")
    #expect(!line.contains("batch") && !line.contains("Unknown"), "\(line)")
  }
}

/// A path option given as "" names no file: one usage error (64), "OPTION needs a path", for
/// every option that takes a path, on every command. `batch --out-dir ''` wrote its outputs and
/// manifest into the current directory (review21e H1, where `--out-dir .` was refused); `-o ''`
/// said "add --format"; `batch --manifest ''` and `response --svg ''` exited 73 naming no file
/// (review21f).
@Suite struct EmptyPathTests {
  @Test(arguments: [
    (["batch", "in", "--out-dir", ""], "--out-dir"),
    (["batch", "in", "--out-dir", "o", "--from-list", ""], "--from-list"),
    (["batch", "in", "--out-dir", "o", "--manifest", ""], "--manifest"),
    (["in.wav", "-o", ""], "-o"),
    (["in.wav", "--output", ""], "--output"),
    (["in.wav", "-o", "x_%d.wav", "--segment", "1s", "--segments-list", ""], "--segments-list"),
    (["in.wav", "-o", "x.wav", "--stats-json", ""], "--stats-json"),
    (["in.wav", "--golden", ""], "--golden"),
    (["response", "--svg", ""], "--svg"),
    (["response", "--csv", ""], "--csv"),
    (["manifest", "merge", "a.jsonl", "-o", ""], "-o"),
    (["manifest", "export", "--to", "csv", "a.jsonl", "-o", ""], "-o"),
    (["manifest", "export", "--to", "kaldi", "a.jsonl", "-o", "k", "--audioprep-command", ""], "--audioprep-command"),
  ])
  func anEmptyPathIsAUsageError(arguments: [String], option: String) {
    let line = AudioPrep.usageError(arguments) ?? "parsed"
    #expect(line.hasPrefix("audioprep: \(option) needs a path") && !line.contains("\n"), "\(line)")
  }

  /// An empty value of an option that takes no path is that option's own error.
  @Test func anEmptyValueOfAnotherOptionIsItsOwnError() {
    let line = AudioPrep.usageError(["in.wav", "--gain", ""]) ?? "parsed"
    #expect(line.contains("--gain") && !line.contains("needs a path"), "\(line)")
  }
}

/// Numbers in messages are written as typed: "got -80", "9000 Hz", not "-80.0", "9000.0 Hz"
/// (#21 review), and a fraction keeps its digits.
@Suite struct MessageNumberTests {
  @Test(arguments: [
    (["in.wav", "--loudness", "-80"], "--loudness must lie between -60 and 0 LUFS (below, BS.1770's -70 LUFS gate leaves the quieter blocks out, and the target cannot be met), got -80 ("),
    (["in.wav", "--highpass", "9000"], "--highpass 9000 Hz is not below Nyquist (8000 Hz at --rate 16000) ("),
    (["in.wav", "--peak", "-80.5"], "--peak must lie between -70 and 0 dBFS, got -80.5 ("),
    (["in.wav", "--q", "101"], "--q must lie between -100 and 100 dB, got 101 ("),
    (["in.wav", "-o", "a.wav", "--start", "2", "--end", "1"], "--end (1s) must be after --start (2s) ("),
  ])
  func wholeNumbersHaveNoDecimalPoint(arguments: [String], message: String) {
    let line = AudioPrep.usageError(arguments) ?? "parsed"
    #expect(line.hasPrefix("audioprep: \(message)"), "\(line)")
  }
}

/// The #18/#21 review and issue 21's leftovers: argument-parser split ffmpeg's single-dash words
/// into letters (`-aq 2` → "Unknown option '-a'", `-loglevel` → '-l', `-vol` → '-v'); a whole
/// ffmpeg command line was corrected one option a run; suggestions were uneven (`--gian` none,
/// `--enc` → `--end`, prefixes none) and a mistyped `--out-dri` was reported as a missing `--out-dir`.
@Suite struct WholeCommandLineTests {
  /// ffmpeg's words are named whole, with what audioprep takes (or that it needs none).
  @Test(arguments: [
    (["in.wav", "-aq", "2"], "-aq is ffmpeg's; audioprep has no lossy-quality option"),
    (["in.wav", "-loglevel", "quiet"], "-loglevel is ffmpeg's; audioprep prints only warnings and errors (--quiet: errors only)"),
    (["in.wav", "-vol", "256"], "-vol is ffmpeg's volume (256 = unchanged); audioprep's is --gain (0.5, 0.5x or -6dB)"),
    (["in.wav", "-nostats"], "-nostats is ffmpeg's; audioprep prints no statistics unless --stats, so it needs none"),
    (["in.wav", "-hide_banner"], "-hide_banner is ffmpeg's; audioprep prints no banner, so it needs none"),
    (["in.wav", "-v", "error"], "-v is sox's volume or ffmpeg's log level; audioprep's volume is --gain"),
    // Any other single-dash word argument-parser would split into letters is named whole.
    (["in.wav", "-xyz"], "-xyz is not an option (a single-dash word is ffmpeg's; audioprep's long options have two dashes)"),
    (["batch", "in", "--out-dir", "o", "-acodec", "flac"], "-acodec is ffmpeg's"),
  ])
  func singleDashWordsAreNamedWhole(arguments: [String], expected: String) {
    let line = AudioPrep.usageError(arguments) ?? "parsed"
    #expect(line.hasPrefix("audioprep: \(expected)"), "\(line)")
    #expect(!line.contains("Unknown option '-"), "\(line)")
  }

  /// A file name that starts with a dash (`-dash.flac`, `-take1.wav`) is named as one, with
  /// the way to give it: argument-parser split it into letters, and an `h` among them printed
  /// the help and exited 0, writing nothing (review21f).
  @Test(arguments: [["-dash.flac", "-o", "zz.wav"], ["info", "-dash.flac"], ["-take1.wav", "-o", "x.wav"], ["-dash.wav"]])
  func aFileNameStartingWithADashIsNamed(arguments: [String]) {
    let word = arguments.first { $0.hasPrefix("-") && $0.contains(".") && $0 != "-o" }!
    let line = AudioPrep.usageError(arguments) ?? "parsed"
    #expect(line.contains("'\(word)' looks like an option") && line.contains("./\(word)"), "\(line)")
  }

  /// audioprep's own short options run together still parse (`-qo x.wav` is `-q -o x.wav`).
  @Test func shortOptionsRunTogetherStillParse() {
    #expect(AudioPrep.usageError(["in.wav", "-qo", "x.wav"]) == nil)
    #expect(AudioPrep.usageError(["batch", "in", "--out-dir", "o", "-qj", "2"]) == nil)
    // A value that starts with a dash and a letter is the option's value, not a word to name.
    #expect(AudioPrep.usageError(["in.wav", "-o", "-"]) == nil)
  }

  /// Every foreign option of one command line is named at once, one line each, then what the
  /// rest of the line gets (ffmpeg's last word is the output: -o, named on -i's line).
  @Test func aWholeFfmpegCommandLineIsCorrectedInOneRun() {
    let text = AudioPrep.usageError(["-i", "in.mp3", "-ar", "16000", "-ac", "1", "-vn", "out.wav"]) ?? "parsed"
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines.count == 4, "\(text)")
    for (line, start) in zip(lines, ["-i is ffmpeg's", "-ar is ffmpeg's", "-ac is ffmpeg's", "-vn is ffmpeg's"]) {
      #expect(line.hasPrefix("audioprep: \(start)"), "\(line)")
    }
    #expect(lines.first?.contains("audioprep in.mp3 -o out.wav") == true, "\(text)")
    #expect(lines.last?.hasSuffix("(see 'audioprep process --help')") == true)
    // sox's: two effects and the output without -o.
    let sox = AudioPrep.usageError(["in.wav", "out.wav", "rate", "16k", "channels", "1"]) ?? "parsed"
    #expect(sox.contains("'rate 16k' is a sox effect") && sox.contains("'channels 1' is a sox effect"), "\(sox)")
    #expect(sox.contains("out.wav: process takes one INPUT and writes to -o"), "\(sox)")
    // Several unknown options: each named.
    let typos = AudioPrep.usageError(["batch", "in", "--threds", "1", "--out-dri", "o"]) ?? "parsed"
    #expect(typos.contains("Unknown option '--threds'. Did you mean '--threads'?"), "\(typos)")
    #expect(typos.contains("Unknown option '--out-dri'. Did you mean '--out-dir'?"), "\(typos)")
    #expect(!typos.contains("Missing expected argument"), "\(typos)")
  }

  /// One rule for "did you mean": a unique prefix (or the shortest name all candidates start
  /// with) first, then one edit for a short word and two for a longer one, a transposition
  /// counting as one; nothing farther.
  @Test(arguments: [
    (["in.wav", "--gian", "2"], "--gian", "--gain"),
    (["in.wav", "--enc", "s16"], "--enc", "--encoding"),
    (["in.wav", "--seg", "3s", "-o", "x%d.wav"], "--seg", "--segment"),
    (["batch", "in", "--out-dir", "o", "--max-dur", "5s"], "--max-dur", "--max-duration"),
    (["batch", "in", "--out-dir", "o", "--encod", "s16"], "--encod", "--encoding"),
    (["batch", "in", "--out-dri", "o"], "--out-dri", "--out-dir"),
    (["batch", "in", "--outdir", "o"], "--outdir", "--out-dir"),
    (["in.wav", "--fromat", "wav"], "--fromat", "--format"),
    (["in.wav", "-stat"], "-stat", "--stats"),
    (["in.wav", "--hihgpass", "80"], "--hihgpass", "--highpass"),
  ])
  func closeNamesAreSuggested(arguments: [String], typed: String, suggested: String) {
    let line = AudioPrep.usageError(arguments) ?? "parsed"
    #expect(line.hasPrefix("audioprep: Unknown option '\(typed)'. Did you mean '\(suggested)'?"), "\(line)")
  }
}

/// The C interface (Python's `audioprep.load(path, gian=2)`) words a usage error as the command
/// line does, the new suggestions and named words included.
@Suite struct LibraryUsageErrorTests {
  @Test(arguments: [["--gian", "2"], ["--frobnicate", "1"], ["-aq", "2"], ["--converter", "bogus"]])
  func readsAsTheCommandLine(options: [String]) {
    let expected = AudioPrep.usageError(["process", "x.wav"] + options)
    do {
      _ = try LibraryRequest.parsing(options, input: "x.wav")
      Issue.record("\(options) parsed")
    } catch let failure as CommandFailure {
      #expect(failure.line == expected, "\(options)")
    } catch {
      Issue.record("\(error)")
    }
  }

  /// `info` refuses the command line's own options by name, as `load` does: its help page came
  /// back as one ";"-joined error, `--output` as "Unknown option" (review of #23, W6).
  @Test(arguments: ["--help", "--version", "--output=x.wav", "--encoding=s16"])
  func infoRefusesTheCommandLinesOwnOptionsByName(option: String) {
    do {
      _ = try LibraryRequest.infoJSON(file: "x.wav", options: [option])
      Issue.record("\(option) described")
    } catch let failure as CommandFailure {
      #expect(failure.line.contains("not for the library"), "\(failure.line)")
      #expect(!failure.line.contains("\n"), "\(failure.line)")
    } catch {
      Issue.record("\(error)")
    }
  }
}
