@testable import AudioPrepCommands
import Foundation
import Testing

/// The W items of the hostile review review29c ("it speaks the user's language"), checked in
/// process (`AudioPrep.usageError`: the lines `main` prints before exiting 64). Each rule is
/// tried on every command it applies to, with the option given separately and with '='.
@Suite struct Review29cHintTests {
  /// The lines `arguments` earn ("parsed" when they parse).
  func lines(_ arguments: [String]) -> [String] {
    (AudioPrep.usageError(arguments) ?? "parsed").split(separator: "\n").map(String.init)
  }

  /// The one line `arguments` earn, without "audioprep: " and the help pointer; a failed
  /// expectation when there are more.
  func line(_ arguments: [String]) -> String {
    let all = lines(arguments)
    #expect(all.count == 1, "\(arguments): \(all)")
    guard let first = all.first, first.hasPrefix("audioprep: "), let see = first.range(of: " (see 'audioprep ", options: .backwards) else {
      return all.first ?? ""
    }
    return String(first[first.index(first.startIndex, offsetBy: "audioprep: ".count)..<see.lowerBound])
  }

  /// W1: a mistyped long option that starts with a real one (`--q-lin`, `--start-time`) was read
  /// as that option with a glued value ("--q: '-lin' is not a value in dB"); `--output-dir`
  /// earned two lines. It is an unknown option with the name meant, one line, in every command.
  @Test(arguments: [
    (["in.wav", "--q-lin", "0.7"], "Unknown option '--q-lin'. Did you mean '--q-linear'?"),
    (["in.wav", "--q-lin=0.7"], "Unknown option '--q-lin'. Did you mean '--q-linear'?"),
    (["in.wav", "--segment-over", "1s"], "Unknown option '--segment-over'. Did you mean '--segment-overlap'?"),
    (["in.wav", "--start-time", "1"], "Unknown option '--start-time'. Did you mean '--start'?"),
    (["in.wav", "--end-time=2"], "Unknown option '--end-time'. Did you mean '--end'?"),
    (["in.wav", "--highpass-hz", "80"], "Unknown option '--highpass-hz'. Did you mean '--highpass'?"),
    (["in.wav", "--rate-hz", "16000"], "Unknown option '--rate-hz'. Did you mean '--rate'?"),
    (["in.wav", "--gain-db", "-3"], "Unknown option '--gain-db'. Did you mean '--gain'?"),
    (["in.wav", "--threads-auto"], "Unknown option '--threads-auto'. Did you mean '--threads'?"),
    (["in.wav", "--output-dir", "out"], "--output-dir is not audioprep's; batch writes into a directory with --out-dir (here --out-dir out), process one file with -o"),
    (["batch", "in", "--output-dir", "out"], "--output-dir is not audioprep's; batch writes into a directory with --out-dir (here --out-dir out), process one file with -o"),
    (["batch", "in", "--out-dir", "o", "--rate-hz=8000"], "Unknown option '--rate-hz'. Did you mean '--rate'?"),
    (["info", "in.wav", "--rate-hz", "8000"], "Unknown option '--rate-hz'. Did you mean '--rate'?"),
    (["verify", "a.wav", "b.wav", "--tolerance-db", "3"], "Unknown option '--tolerance-db'. Did you mean '--tolerance'?"),
    (["response", "--svg-file", "x.svg"], "Unknown option '--svg-file'. Did you mean '--svg'?"),
    (["manifest", "export", "--to-format", "kaldi", "m.jsonl", "-o", "d"], "Unknown option '--to-format'. Did you mean '--to'?"),
    (["manifest", "merge", "a.jsonl", "-o", "m.jsonl", "--force-all"], "Unknown option '--force-all'. Did you mean '--force'?"),
    // A value glued on is still one (`--gain-3dB`, `--rate16k`).
    (["in.wav", "--gain-3dB"], "--gain-3dB: audioprep reads an option's value after a space or '=': --gain -3dB"),
    (["in.wav", "--rate16k"], "--rate16k: audioprep reads an option's value after a space or '=': --rate 16k"),
  ])
  func aMistypedLongOptionIsUnknownWithTheNameMeant(arguments: [String], expected: String) {
    #expect(line(arguments) == expected, "\(arguments)")
  }

  /// W2: another command's option was named only for batch's options given to process; every
  /// command's option given to another command names the command that takes it, run with it.
  @Test(arguments: [
    (["in.wav", "--json"], "--json is info's, not process's: audioprep info FILE... --json"),
    (["in.wav", "--levels"], "--levels is info's, not process's: audioprep info FILE... --levels"),
    (["in.wav", "--svg", "x.svg"], "--svg is response's, not process's: audioprep response --svg x.svg"),
    (["in.wav", "--svg=x.svg"], "--svg is response's, not process's: audioprep response --svg x.svg"),
    (["in.wav", "--out-dir", "o"], "--out-dir is batch's, not process's: audioprep batch INPUT... --out-dir o"),
    (["in.wav", "-j", "4"], "-j is batch's, not process's: audioprep batch INPUT... --out-dir OUT -j 4"),
    (["in.wav", "-j4"], "-j is batch's, not process's: audioprep batch INPUT... --out-dir OUT -j 4"),
    (["info", "in.wav", "-o", "x.wav"], "-o is process's, not info's: audioprep INPUT -o x.wav"),
    (["info", "in.wav", "--out-dir", "o"], "--out-dir is batch's, not info's: audioprep batch INPUT... --out-dir o"),
    (["info", "in.wav", "--in-rate", "22050"], "--in-rate is process's, not info's: audioprep INPUT -o OUTPUT --in-rate 22050"),
    (["batch", "corpus", "--out-dir", "x", "--golden", "g.wav"], "--golden is process's, not batch's: audioprep INPUT -o OUTPUT --golden g.wav"),
    (["batch", "corpus", "--out-dir", "x", "--json"], "--json is info's, not batch's: audioprep info FILE... --json"),
    (["verify", "a.wav", "b.wav", "--out-dir", "o"], "--out-dir is batch's, not verify's: audioprep batch INPUT... --out-dir o"),
    (["response", "--csv", "-", "--in-rate", "48k"], "--in-rate is process's, not response's: audioprep INPUT -o OUTPUT --in-rate 48k (or did you mean '--input-rate'?)"),
    (["manifest", "export", "--to", "kaldi", "m.jsonl", "-o", "d", "--out-dir", "d5"], "--out-dir is batch's, not manifest export's: audioprep batch INPUT... --out-dir d5"),
    (["manifest", "merge", "out/manifest.jsonl", "-o", "m.jsonl", "--to", "kaldi"], "--to is manifest export's, not manifest merge's: audioprep manifest export --to kaldi MANIFEST... -o DEST"),
    (["manifest", "--to", "kaldi"], "--to is manifest export's, not manifest's: audioprep manifest export --to kaldi MANIFEST... -o DEST"),
  ])
  func anotherCommandsOptionNamesThatCommand(arguments: [String], expected: String) {
    #expect(line(arguments) == expected, "\(arguments)")
  }

  /// W3: sox's and ffmpeg's options whose value says what audioprep takes: the value carried
  /// over (`-b 24` → `--encoding s24`), where the hint listed the forms and dropped it.
  @Test(arguments: [
    (["in.wav", "-t", "2", "-o", "o5.wav"], "-t is sox's file type or ffmpeg's duration; audioprep's is --duration 2"),
    (["in.wav", "-t", "wav", "-o", "x.wav"], "-t is sox's file type or ffmpeg's duration; audioprep's is --format wav"),
    (["in.wav", "-b", "24", "-o", "x.wav"], "-b is sox's sample size/encoding; audioprep's is --encoding s24"),
    (["in.wav", "-b24", "-o", "x.wav"], "-b is sox's sample size/encoding; audioprep's is --encoding s24"),
    (["in.wav", "-e", "floating-point", "-o", "x.wav"], "-e is sox's sample size/encoding; audioprep's is --encoding f32"),
    (["in.wav", "-acodec", "pcm_s16le", "-o", "x.wav"], "-acodec is ffmpeg's codec; audioprep's is --encoding s16"),
    (["in.wav", "-c:a", "pcm_s24le", "-o", "x.wav"], "-c:a is ffmpeg's codec; audioprep's is --encoding s24"),
    (["in.wav", "-c:a", "flac"], "-c:a is ffmpeg's codec; audioprep's is --format flac"),
    (["in.wav", "-f", "s16le", "-o", "-"], "-f is ffmpeg's format (or arecord's sample format); audioprep's is --format raw --encoding s16"),
    (["in.wav", "-af", "highpass=f=80"], "-af is ffmpeg's; audioprep's is --highpass 80 --q-linear 0.707"),
    (["in.wav", "-af", "volume=-3dB"], "-af is ffmpeg's; audioprep's is --gain -3dB"),
    (["in.wav", "-filter:a", "volume=0.5"], "-filter:a is ffmpeg's; audioprep's is --gain 0.5"),
    (["in.wav", "-af", "aresample=16000"], "-af is ffmpeg's; audioprep's is --rate 16000"),
    (["in.wav", "-af", "highpass=f=80,volume=2"], "-af is ffmpeg's; audioprep's is --highpass 80 --q-linear 0.707 --gain 2"),
    (["in.wav", "-ar", "8000"], "-ar is ffmpeg's; audioprep's output rate is --rate (here --rate 8000)"),
    (["batch", "in", "--out-dir", "o", "-b", "24"], "-b is sox's sample size/encoding; audioprep's is --encoding s24"),
    (["info", "in.wav", "-af", "volume=0.5"], "-af is ffmpeg's; audioprep's is --gain 0.5"),
  ])
  func anotherToolsOptionCarriesTheValueOver(arguments: [String], expected: String) {
    #expect(line(arguments) == expected, "\(arguments)")
  }

  /// ffmpeg's `-channels 1` (a count) got "Did you mean '--channel'?", which takes one channel
  /// alone (review31h H5): it is said as `--channels` is.
  @Test func ffmpegsChannelCountIsNotTheChannelOption() {
    let said = line(["in.wav", "-channels", "1"])
    #expect(said.hasPrefix("-channels is not audioprep's; it writes mono by default"), "\(said)")
  }

  /// An ffmpeg filter chain is translated only where the translation does what ffmpeg does:
  /// a filter used twice (`volume=0.5,volume=2` became `--gain 0.5 --gain 2`, of which the last
  /// wins: ×2 where ffmpeg gives ×1), a `;` (`volume=2;highpass=80` became `--gain 80`), a
  /// named argument audioprep would drop or misread (`volume=enable=0:volume=2` became `--gain
  /// 0`; `aresample=16000:resampler=soxr` dropped the resampler) get the chain's plain text
  /// (review31h H4, H6, W9).
  @Test(arguments: [
    "volume=0.5,volume=2", "highpass=80,highpass=200", "aresample=16000,aresample=8000", "volume=2;highpass=80",
    "highpass=80;volume=2", "volume=enable=0:volume=2", "aresample=16000:resampler=soxr",
    "highpass=f=80:width_type=q:width=0.707:mix=0.5", "loudnorm=I=-23:LRA=7",
  ])
  func aFilterChainIsTranslatedOnlyWhereItMeansTheSame(chain: String) {
    #expect(line(["in.wav", "-af", chain]) == "-af is ffmpeg's; audioprep's chain is fixed: --rate, --highpass, --q, --gain (or --loudness, --peak)", "\(chain)")
  }

  /// W3: the raw hint's command to paste replaced the user's values by "…" and named only the
  /// options given, though all three are needed.
  @Test func theRawHintCarriesTheValuesOver() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("raw29c-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let wav = directory + "/in.wav", ogg = directory + "/in.ogg"
    try (Data("RIFF".utf8) + Data(count: 60)).write(to: URL(fileURLWithPath: wav))
    try (Data("OggS".utf8) + Data(count: 60)).write(to: URL(fileURLWithPath: ogg))
    let all = try RawInputOptions.parse(["--in-encoding", "s16", "--in-rate", "22050", "--in-channels", "1"])
    let one = try RawInputOptions.parse(["--in-encoding", "s16"])
    for (options, path, command) in [
      (all, wav, "audioprep - --in-rate 22050 --in-channels 1 --in-encoding s16 < \(wav))"),
      (one, ogg, "audioprep - --in-rate RATE --in-channels N --in-encoding s16 < \(ogg))"),
    ] {
      do {
        _ = try options.rawFormat(for: path)
        Issue.record("read as raw")
      } catch let failure as CommandFailure {
        #expect(failure.message.hasSuffix("as sox -t raw does: " + command), "\(failure.message)")
      }
    }
  }

  /// W4: info did not know sox's effects ("rate: No such file or directory", two lines, 66).
  @Test(arguments: [
    (["info", "in.wav", "rate", "16k"], "'rate 16k' is a sox effect; audioprep's is the option --rate 16k"),
    (["info", "in.wav", "gain", "-3"], "'gain -3' is a sox effect; audioprep's is the option --gain -3dB"),
  ])
  func infoNamesSoxEffects(arguments: [String], expected: String) {
    #expect(line(arguments) == expected, "\(arguments)")
  }

  /// W5: an empty input said ": No such file or directory" (66), naming nothing; `version`
  /// exited 66 where `Process` exits 64.
  @Test(arguments: [[""], ["", "-o", "x.wav"], ["info", ""], ["verify", "", "in.wav"], ["manifest", "merge", ""], ["batch", "", "--out-dir", "o"]])
  func anEmptyInputNeedsAPath(arguments: [String]) {
    #expect(line(arguments) == "an input needs a path; it was given an empty one ('')", "\(arguments)")
  }

  @Test func aWordThatIsNeitherAFileNorACommandIsAUsageError() {
    #expect(lines(["version"]).first?.hasPrefix("audioprep: 'version' is neither a file nor a command; did you mean 'audioprep --version'?") == true, "\(lines(["version"]))")
    #expect(lines(["Process", "in.wav"]).first?.hasPrefix("audioprep: 'Process' is neither a file nor a command; did you mean 'audioprep process'?") == true)
  }

  /// W6: `batch help` said "Missing expected argument '--out-dir <dir>'"; `info help` looked
  /// for a file named help: both are their command's help, as `help batch` is.
  @Test(arguments: [["batch", "help"], ["info", "help"], ["process", "help"], ["manifest", "export", "help"], ["verify", "help"], ["response", "help"]])
  func helpAfterACommandIsItsHelp(arguments: [String]) {
    #expect(AudioPrep.usageError(arguments) == nil, "\(arguments): \(lines(arguments))")
    #expect(UsageHint.helpAfterCommand(arguments) == ["help"] + arguments.dropLast())
  }

  /// W6: a command given twice blamed the input ("in.wav: process takes one INPUT").
  @Test(arguments: [
    (["process", "process", "in.wav"], "'process' given twice; give the command once: audioprep process in.wav"),
    (["info", "info", "in.wav"], "'info' given twice; give the command once: audioprep info in.wav"),
    (["batch", "info", "in.wav", "--out-dir", "o"], "'info' is a command, not an input of 'audioprep batch'; give one command: audioprep batch … or audioprep info …"),
  ])
  func aCommandGivenTwiceIsNamed(arguments: [String], expected: String) {
    #expect(line(arguments) == expected, "\(arguments)")
  }

  /// W7: `--rate --gain 2` blamed --gain ("'--gain' is not a sample rate").
  @Test(arguments: [
    (["in.wav", "--rate", "--gain", "2"], "--rate has no value ('--gain' after it is an option): give --rate VALUE"),
    (["in.wav", "-o", "--force"], "-o has no value ('--force' after it is an option): give -o VALUE"),
    (["batch", "in", "--out-dir", "--force"], "--out-dir has no value ('--force' after it is an option): give --out-dir VALUE"),
    (["info", "in.wav", "--rate", "--gain=2"], "--rate has no value ('--gain=2' after it is an option): give --rate VALUE"),
    (["response", "--svg", "--csv", "x.csv"], "--svg has no value ('--csv' after it is an option): give --svg VALUE"),
    (["verify", "a.wav", "b.wav", "--tolerance", "--snr-min", "30"], "--tolerance has no value ('--snr-min' after it is an option): give --tolerance VALUE"),
    (["manifest", "export", "--to", "--force", "m.jsonl", "-o", "d"], "--to has no value ('--force' after it is an option): give --to VALUE"),
  ])
  func anOptionWithoutItsValueIsTheOneBlamed(arguments: [String], expected: String) {
    #expect(line(arguments) == expected, "\(arguments)")
  }

  /// review46 W06: an option that ends the line without its value got argument-parser's raw
  /// "Missing value for '--rate <hz>'", where one followed by another option was named.
  @Test(arguments: [
    (["in.wav", "-o", "y.wav", "--rate"], "--rate has no value (it ends the command line): give --rate VALUE"),
    (["in.wav", "-o"], "-o has no value (it ends the command line): give -o VALUE"),
    (["batch", "in", "--out-dir"], "--out-dir has no value (it ends the command line): give --out-dir VALUE"),
    (["in.wav", "-o", "y.wav", "--gain"], "--gain has no value (it ends the command line): give --gain VALUE"),
    (["manifest", "export", "m.jsonl", "-o", "d", "--to"], "--to has no value (it ends the command line): give --to VALUE"),
  ])
  func anOptionEndingTheLineWithoutItsValueIsNamed(arguments: [String], expected: String) {
    #expect(line(arguments) == expected, "\(arguments)")
  }

  /// W8: a value error's example was no value of the option ("give one such as 4" for
  /// --vad-mode 0-3 and --channel; --tolerance's "0.0001 or 1e-4" for --q-linear).
  @Test(arguments: [
    (["info", "in.wav", "--speech", "--vad-mode", "aggressive"], "--vad-mode: 'aggressive' is not a whole number: give 0, 1, 2 or 3"),
    (["in.wav", "--utterances", "-o", "u%d.wav", "--vad-mode=high"], "--vad-mode: 'high' is not a whole number: give 0, 1, 2 or 3"),
    (["in.wav", "--channel", "left"], "--channel: 'left' is not a whole number: give one such as 0 or 1 (channels count from 0)"),
    (["batch", "in", "--out-dir", "o", "--channel=left"], "--channel: 'left' is not a whole number: give one such as 0 or 1 (channels count from 0)"),
    (["in.wav", "--audio-stream", "second"], "--audio-stream: 'second' is not a whole number: give one such as 0 or 1 (audio streams count from 0)"),
    (["in.wav", "--q-linear", "0.7071dB"], "--q-linear: '0.7071dB' is in dB, and --q-linear is linear: give 0.7071, or --q 0.7071dB"),
    (["response", "--q-linear", "high"], "--q-linear: 'high' is not a number: give a linear Q such as 0.7071"),
  ])
  func aValueErrorsExampleIsAValueOfTheOption(arguments: [String], expected: String) {
    #expect(line(arguments) == expected, "\(arguments)")
  }

  /// W9: `-o DIR` exited 64 where the exit table says 73 (an output that cannot be created),
  /// and its example named talk.16k.wav, not this input's output.
  @Test func anOutputThatIsADirectoryCannotBeCreated() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("odir29c-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    for (output, said) in [(directory, "is a directory"), (directory + "/", "is a directory"), (directory + "/nodir/", "no such directory")] {
      do {
        _ = try OutputDestination(input: "rec/in.flac", output: output, options: try OutputOptions.parse([]), rate: 16000)
        Issue.record("\(output) accepted")
      } catch let failure as CommandFailure {
        #expect(failure.code == ExitStatus.cannotCreate, "\(output): \(failure.code)")
        #expect(failure.message.hasPrefix("\(said); -o names a file (e.g. -o \(PathName.join(output, "in.16k.wav")))"), "\(failure.message)")
      }
    }
  }

  /// W10: `response --svg chain.png` wrote SVG into a .png without a word (refused, 64, by
  /// `run`, after an input or a collision is refused: `Review29cCommandLineTests`).
  @Test func aResponseFileNamedForAnotherFormatIsRefused() {
    #expect(ResponseCommand.misnamed("--svg", "chain.png", format: "svg") == "--svg writes SVG, not .png; name it chain.svg (response draws SVG only; for a .png: rsvg-convert -f png chain.svg -o chain.png)")
    #expect(ResponseCommand.misnamed("--svg", "plot.csv", format: "svg") == "--svg writes SVG, not .csv; name it plot.svg")
    #expect(ResponseCommand.misnamed("--csv", "table.svg", format: "csv") == "--csv writes CSV, not .svg; name it table.csv")
    for (option, path, format) in [("--svg", "chain.svg", "svg"), ("--csv", "table.txt", "csv"), ("--svg", "plot", "svg"), ("--csv", "-", "csv"), ("--svg", "CHAIN.SVG", "svg")] {
      #expect(ResponseCommand.misnamed(option, path, format: format) == nil, "\(option) \(path)")
    }
  }
}
