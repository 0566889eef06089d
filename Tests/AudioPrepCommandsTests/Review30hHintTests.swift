@testable import AudioPrepCommands
import Foundation
import Testing

/// The W items of the hostile review review30h ("speaks the user's language"), checked in
/// process (`AudioPrep.usageError`: the lines `main` prints before exiting 64). Each rule is
/// tried on every command it applies to.
@Suite struct Review30hHintTests {
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

  /// W1, W5: a dash pasted from a document (`–rate`, `—out-dir`, `−−rate`, `‐o`, `－－rate`) was
  /// read as a second input, a missing --out-dir or a missing file (66). It is one line naming
  /// the character and the option to write, in every command.
  @Test(arguments: [
    (["in.wav", "\u{2013}rate", "8k", "-o", "x.wav"], "'\u{2013}rate' starts with an en dash (\u{2013}), probably pasted; write --rate"),
    (["in.wav", "\u{2014}rate", "8k"], "'\u{2014}rate' starts with an em dash (\u{2014}), probably pasted; write --rate"),
    (["in.wav", "\u{2212}\u{2212}rate", "8k"], "'\u{2212}\u{2212}rate' starts with minus signs (\u{2212}\u{2212}), probably pasted; write --rate"),
    (["in.wav", "\u{2013}o", "x.wav"], "'\u{2013}o' starts with an en dash (\u{2013}), probably pasted; write -o"),
    (["in.wav", "\u{2010}o", "x.wav"], "'\u{2010}o' starts with a Unicode hyphen (U+2010) (\u{2010}), probably pasted; write -o"),
    (["in.wav", "\u{2011}o", "x.wav"], "'\u{2011}o' starts with a non-breaking hyphen (\u{2011}), probably pasted; write -o"),
    (["in.wav", "\u{FF0D}\u{FF0D}rate", "8k"], "'\u{FF0D}\u{FF0D}rate' starts with fullwidth hyphen-minuses (\u{FF0D}\u{FF0D}), probably pasted; write --rate"),
    (["in.wav", "-o", "x.wav", "\u{2013}force"], "'\u{2013}force' starts with an en dash (\u{2013}), probably pasted; write --force"),
    (["in.wav", "\u{2013}rate=8k"], "'\u{2013}rate=8k' starts with an en dash (\u{2013}), probably pasted; write --rate=8k"),
    (["batch", "corpus", "\u{2014}out-dir", "o"], "'\u{2014}out-dir' starts with an em dash (\u{2014}), probably pasted; write --out-dir"),
    (["batch", "corpus", "--out-dir", "o", "\u{2013}force"], "'\u{2013}force' starts with an en dash (\u{2013}), probably pasted; write --force"),
    (["batch", "corpus", "--out-dir", "o", "\u{2013}j", "2"], "'\u{2013}j' starts with an en dash (\u{2013}), probably pasted; write -j"),
    (["info", "in.wav", "\u{2014}json"], "'\u{2014}json' starts with an em dash (\u{2014}), probably pasted; write --json"),
    (["info", "in.wav", "\u{2013}levels"], "'\u{2013}levels' starts with an en dash (\u{2013}), probably pasted; write --levels"),
    (["verify", "a.wav", "b.wav", "\u{2013}tolerance", "1e-3"], "'\u{2013}tolerance' starts with an en dash (\u{2013}), probably pasted; write --tolerance"),
    (["response", "\u{2013}svg", "x.svg"], "'\u{2013}svg' starts with an en dash (\u{2013}), probably pasted; write --svg"),
    (["manifest", "export", "\u{2013}to", "kaldi", "m.jsonl", "-o", "d"], "'\u{2013}to' starts with an en dash (\u{2013}), probably pasted; write --to"),
    (["manifest", "merge", "a.jsonl", "\u{2013}o", "m.jsonl"], "'\u{2013}o' starts with an en dash (\u{2013}), probably pasted; write -o"),
  ])
  func aPastedDashIsNamed(arguments: [String], expected: String) {
    #expect(line(arguments) == expected, "\(arguments)")
  }

  /// W2: `--gain −3dB` with U+2212 (the minus audioprep prints) was "not a gain". A pasted dash
  /// before a number given as an option's value is a minus.
  @Test(arguments: [
    ["in.wav", "--gain", "\u{2212}3dB"],
    ["in.wav", "--gain=\u{2212}3dB"],
    ["in.wav", "--gain", "\u{2013}3dB"],
    ["in.wav", "--peak", "\u{2212}1"],
    ["batch", "corpus", "--out-dir", "o", "--gain", "\u{2212}3dB"],
    ["info", "in.wav", "--gain", "\u{2212}6dB"],
  ])
  func aPastedMinusBeforeANumberIsAMinus(arguments: [String]) {
    #expect(lines(arguments) == ["parsed"], "\(arguments)")
  }

  /// A name that starts with a dash in a file name, or an option's value, is the user's name.
  @Test(arguments: [["in.wav", "-o", "\u{2013}intro.wav"], ["in.wav", "-o", "\u{2013}intro"]])
  func aDashedFileNameIsNoPastedOption(arguments: [String]) {
    #expect(lines(arguments) == ["parsed"], "\(arguments)")
  }

  /// W5, W6: options after `--` were inputs in batch and info (66, "No such file"; info
  /// described the good files first), and process's line moved `-o`'s value away from it.
  /// Every command says they came after `--` and writes the command with each option next to
  /// its value; ffmpeg's `-i` is dropped.
  @Test(arguments: [
    (["in.wav", "--", "-o", "x.wav"], "-o: came after '--', which makes every word after it an input; put options before it: audioprep in.wav -o x.wav"),
    (["in.wav", "--", "-i", "-o", "out.wav"], "-i, -o: came after '--', which makes every word after it an input; put options before it: audioprep in.wav -o out.wav"),
    (["--", "-i", "in.wav", "-o", "out.wav"], "-i, -o: came after '--', which makes every word after it an input; put options before it: audioprep in.wav -o out.wav"),
    (["batch", "--out-dir", "o", "--", "corpus", "--force"], "--force: came after '--', which makes every word after it an input; put options before it: audioprep batch --out-dir o corpus --force"),
    (["batch", "--", "corpus", "--out-dir", "o"], "--out-dir: came after '--', which makes every word after it an input; put options before it: audioprep batch corpus --out-dir o"),
    (["info", "--", "in.wav", "--json"], "--json: came after '--', which makes every word after it an input; put options before it: audioprep info in.wav --json"),
    (["verify", "--", "a.wav", "b.wav", "--tolerance", "1e-3"], "--tolerance: came after '--', which makes every word after it an input; put options before it: audioprep verify a.wav b.wav --tolerance 1e-3"),
    (["manifest", "merge", "--", "a.jsonl", "-o", "m.jsonl"], "-o: came after '--', which makes every word after it an input; put options before it: audioprep manifest merge a.jsonl -o m.jsonl"),
    // An input that starts with a dash stays after `--`.
    (["--", "-take.wav", "-o", "x.wav"], "-o: came after '--', which makes every word after it an input; put options before it: audioprep -o x.wav -- -take.wav"),
  ])
  func optionsAfterTheDoubleDashAreSaidToBe(arguments: [String], expected: String) {
    #expect(line(arguments) == expected, "\(arguments)")
  }

  /// W3: sox's `vol 6 dB` (value and type as two words) became `--gain 6`, a factor of 6
  /// (+15.6 dB). Every type sox's vol takes (amplitude, power, dB, by any prefix, glued or
  /// not) and sox's gain (always dB) give the gain sox would apply.
  @Test(arguments: [
    (["in.wav", "-o", "x.wav", "vol", "6", "dB"], "'vol 6 dB' is a sox effect; audioprep's is the option --gain 6dB"),
    (["in.wav", "-o", "x.wav", "vol", "6", "d"], "'vol 6 d' is a sox effect; audioprep's is the option --gain 6dB"),
    (["in.wav", "-o", "x.wav", "vol", "-3", "DB"], "'vol -3 DB' is a sox effect; audioprep's is the option --gain -3dB"),
    (["in.wav", "-o", "x.wav", "vol", "6dB"], "'vol 6dB' is a sox effect; audioprep's is the option --gain 6dB"),
    (["in.wav", "-o", "x.wav", "vol", "6db"], "'vol 6db' is a sox effect; audioprep's is the option --gain 6dB"),
    (["in.wav", "-o", "x.wav", "vol", "2", "power"], "'vol 2 power' is a sox effect; audioprep's is the option --gain 3.0103dB"),
    (["in.wav", "-o", "x.wav", "vol", "4", "p"], "'vol 4 p' is a sox effect; audioprep's is the option --gain 6.0206dB"),
    (["in.wav", "-o", "x.wav", "vol", "0.5", "amplitude"], "'vol 0.5 amplitude' is a sox effect; audioprep's is the option --gain 0.5"),
    (["in.wav", "-o", "x.wav", "vol", "0.5", "a"], "'vol 0.5 a' is a sox effect; audioprep's is the option --gain 0.5"),
    (["in.wav", "-o", "x.wav", "vol", "0.5"], "'vol 0.5' is a sox effect; audioprep's is the option --gain 0.5"),
    (["in.wav", "-o", "x.wav", "gain", "6"], "'gain 6' is a sox effect; audioprep's is the option --gain 6dB"),
    (["in.wav", "-o", "x.wav", "gain", "+6"], "'gain +6' is a sox effect; audioprep's is the option --gain +6dB"),
    (["batch", "corpus", "--out-dir", "o", "vol", "6", "dB"], "'vol 6 dB' is a sox effect; audioprep's is the option --gain 6dB"),
    (["info", "in.wav", "vol", "6", "dB"], "'vol 6 dB' is a sox effect; audioprep's is the option --gain 6dB"),
  ])
  func soxVolumeKeepsItsUnit(arguments: [String], expected: String) {
    #expect(line(arguments) == expected, "\(arguments)")
  }

  /// W4: sox's `norm -1` became `--peak -1`, which the default true-peak ceiling (-1 dBTP)
  /// kept 0.13 dB short. The hint raises the ceiling to 0 dBTP, the highest audioprep takes.
  @Test(arguments: [
    (["in.wav", "-o", "x.wav", "norm", "-1"], "'norm -1' is a sox effect; audioprep's are the options --peak -1 --true-peak 0 (or --loudness -23 for a loudness)"),
    (["in.wav", "-o", "x.wav", "gain", "-n", "-3"], "'gain -n -3' is a sox effect; audioprep's are the options --peak -3 --true-peak 0"),
    // Within 1 dB of 0 dBFS the inter-sample peaks may hold it under (speech.wav: 0.13 dB).
    (["in.wav", "-o", "x.wav", "norm"], "'norm' is a sox effect; audioprep's are the options --peak 0 --true-peak 0 (the true peak stays at or under 0 dBTP, which may hold the peak a little under 0 dBFS; or --loudness -23 for a loudness)"),
    (["in.wav", "-o", "x.wav", "gain", "-n"], "'gain -n' is a sox effect; audioprep's are the options --peak 0 --true-peak 0 (the true peak stays at or under 0 dBTP, which may hold the peak a little under 0 dBFS)"),
    (["batch", "corpus", "--out-dir", "o", "norm", "-1"], "'norm -1' is a sox effect; audioprep's are the options --peak -1 --true-peak 0 (or --loudness -23 for a loudness)"),
  ])
  func soxNormReachesItsLevel(arguments: [String], expected: String) {
    #expect(line(arguments) == expected, "\(arguments)")
  }

  /// W7: sox's format options before the input, or for a headerless one, describe the input;
  /// they were translated one by one into output options (`-b 16` → --encoding s16).
  @Test(arguments: [
    (["sp.raw", "-o", "y.wav", "-r", "22050", "-c", "1", "-e", "signed", "-b", "16"],
     "'-r 22050 -c 1 -e signed -b 16' describe the input in sox; audioprep's are --in-rate 22050 --in-channels 1 --in-encoding s16"),
    (["-t", "raw", "-r", "16000", "-e", "signed", "-b", "16", "-c", "1", "sp.raw", "-o", "out.wav"],
     "'-t raw -r 16000 -e signed -b 16 -c 1' describe the input in sox; audioprep's are --in-rate 16000 --in-channels 1 --in-encoding s16"),
    (["-t", "raw", "-r", "48k", "-", "-o", "out.wav"],
     "'-t raw -r 48k' describe the input in sox; audioprep's are --in-rate 48k --in-channels N --in-encoding ENC"),
    (["-r", "8000", "-e", "floating-point", "-b", "32", "-c", "2", "x.pcm"],
     "'-r 8000 -e floating-point -b 32 -c 2' describe the input in sox; audioprep's are --in-rate 8000 --in-channels 2 --in-encoding f32"),
    (["-e", "unsigned", "-b", "8", "-r", "8k", "-c", "1", "x.raw"],
     "'-e unsigned -b 8 -r 8k -c 1' describe the input in sox; audioprep's are --in-rate 8k --in-channels 1 --in-encoding u8"),
    (["-r", "8000", "in.wav", "-o", "x.wav"],
     "'-r 8000' describes the input in sox; audioprep reads in.wav's format from its header (--in-rate, --in-channels and --in-encoding are for a headerless input; the output's rate is --rate)"),
    (["batch", "-r", "22050", "-c", "1", "-b", "16", "a.raw", "--out-dir", "o"],
     "'-r 22050 -c 1 -b 16' describe the input in sox; audioprep's are --in-rate 22050 --in-channels 1 --in-encoding s16"),
  ])
  func soxFormatOptionsBeforeTheInputDescribeIt(arguments: [String], expected: String) {
    #expect(line(arguments) == expected, "\(arguments)")
  }

  /// An option given before a raw input and again after it: the second is the output's, as in
  /// sox (review31h H3: `-r 16k` after the input became --in-rate 16k, the 22050 dropped, and
  /// the output, followed, was 22.05 kHz data read as 16 kHz): its own line says --rate.
  @Test func aSoxOptionAfterTheInputIsTheOutputs() {
    let said = lines(["-t", "raw", "-r", "22050", "-e", "signed", "-b", "16", "-c", "1", "sp.raw", "-r", "16k", "-o", "y.wav"])
    #expect(said.count == 2, "\(said)")
    #expect(said.first?.contains("audioprep's are --in-rate 22050 --in-channels 1 --in-encoding s16") == true, "\(said)")
    #expect(said.last?.contains("--rate") == true && said.last?.contains("16k") == true, "\(said)")
  }

  /// W8: the channel hints dropped the user's value: sox's `remix 2` takes channel 2 alone,
  /// `remix 1 2` keeps two channels (`remix 1,2` mixes them into one, as audioprep's default
  /// does), `channels 2`, `-ac 2`, `-c 2` keep two; ffmpeg's `-sample_fmt fltp` is f32.
  @Test(arguments: [
    (["in.wav", "-o", "x.wav", "remix", "1"], "'remix 1' is a sox effect; audioprep's is the option --channel 0"),
    (["in.wav", "-o", "x.wav", "remix", "2"], "'remix 2' is a sox effect; audioprep's is the option --channel 1"),
    (["in.wav", "-o", "x.wav", "remix", "1", "2"], "'remix 1 2' is a sox effect; audioprep's is the option --keep-channels"),
    (["in.wav", "-o", "x.wav", "channels", "2"], "'channels 2' is a sox effect; audioprep's is the option --keep-channels"),
    (["in.wav", "-o", "x.wav", "remix", "1,2"], "'remix 1,2' is a sox effect; audioprep writes mono by default, all channels averaged (--channel N takes channel N alone, 0-based; --keep-channels keeps all)"),
    (["in.wav", "-o", "x.wav", "-ac", "2"], "-ac is ffmpeg's; audioprep's is --keep-channels"),
    (["in.wav", "-o", "x.wav", "-c", "2"], "-c is sox's; audioprep's is --keep-channels"),
    (["in.wav", "-o", "x.wav", "-sample_fmt", "fltp"], "-sample_fmt is ffmpeg's; audioprep's is --encoding f32"),
    (["in.wav", "-o", "x.wav", "-sample_fmt", "s16p"], "-sample_fmt is ffmpeg's; audioprep's is --encoding s16"),
    (["batch", "corpus", "--out-dir", "o", "remix", "2"], "'remix 2' is a sox effect; audioprep's is the option --channel 1"),
  ])
  func channelHintsKeepTheValue(arguments: [String], expected: String) {
    #expect(line(arguments) == expected, "\(arguments)")
  }

  /// W9: a translated `--format` (from `-c:a flac`) then contradicted `-o x.wav`, a second
  /// error about an option the user never typed.
  @Test(arguments: [
    (["in.wav", "-o", "x.wav", "-c:a", "flac"], "-c:a is ffmpeg's codec; audioprep's is --format flac"),
    (["in.wav", "-o", "x.wav", "-f", "flac"], "-f is ffmpeg's format (or arecord's sample format); audioprep's is --format flac"),
    (["in.wav", "-o", "x.wav", "-t", "raw"], "-t is sox's file type or ffmpeg's duration; audioprep's is --format raw"),
  ])
  func aTranslationMakesNoSecondError(arguments: [String], expected: String) {
    #expect(line(arguments) == expected, "\(arguments)")
  }

  /// W10: `--to kaldi` given to process became ffmpeg's `-to` (`--end kaldi`, then "'kaldi' is
  /// not a duration"): a value that is no duration is manifest export's --to.
  @Test(arguments: [
    (["in.wav", "--to", "kaldi"], "--to is manifest export's, not process's: audioprep manifest export --to kaldi MANIFEST... -o DEST (or did you mean '--tolerance'?)"),
    (["in.wav", "--to", "3"], "--to: -to is ffmpeg's; audioprep's is --end (here --end 3)"),
  ])
  func anFfmpegOptionsValueMustFitItsEquivalent(arguments: [String], expected: String) {
    #expect(line(arguments) == expected, "\(arguments)")
  }

  /// W11, W12, W13: an output option of another command names how this command writes:
  /// batch's -o (with or without --out-dir: it was "Missing expected argument '--out-dir'"),
  /// manifest export's --out-dir (two lines, pointing at batch), response's -o (pointing at
  /// process); a flag's glued value is not carried into the example.
  @Test(arguments: [
    (["batch", "corpus", "-o", "out"], "batch writes below --out-dir (here --out-dir out)"),
    (["batch", "corpus", "--output", "out"], "batch writes below --out-dir (here --out-dir out)"),
    (["batch", "corpus", "-o", "out", "--rate", "8k"], "batch writes below --out-dir (here --out-dir out)"),
    (["batch", "corpus", "-o=out"], "batch writes below --out-dir (here --out-dir out)"),
    (["manifest", "export", "m.jsonl", "--to", "kaldi", "--out-dir", "d5"], "manifest export writes to -o DEST (here -o d5)"),
    (["response", "-o", "r.svg"], "response writes with --svg (here --svg r.svg)"),
    (["in.wav", "--json=1"], "--json is info's, not process's: audioprep info FILE... --json"),
  ])
  func anotherCommandsOutputOptionSaysHowThisOneWrites(arguments: [String], expected: String) {
    #expect(line(arguments) == expected, "\(arguments)")
  }

  /// W15: sox effects audioprep has no equivalent of were read as second inputs (`lowpass 3000`)
  /// or unknown options (`bass -3`).
  @Test(arguments: [
    (["in.wav", "-o", "x.wav", "lowpass", "3000"], "'lowpass 3000' is a sox effect; audioprep has no low-pass of its own: the resampler's filter removes what lies above half of --rate"),
    (["in.wav", "-o", "x.wav", "reverse"], "'reverse' is a sox effect; audioprep has none like it (its chain: --rate, --highpass, --q, --gain or --loudness/--peak, --trim-silence)"),
    (["in.wav", "-o", "x.wav", "bass", "-3"], "'bass -3' is a sox effect; audioprep has none like it (its chain: --rate, --highpass, --q, --gain or --loudness/--peak, --trim-silence)"),
    (["in.wav", "-o", "x.wav", "fade", "0.5"], "'fade 0.5' is a sox effect; audioprep has none like it (its chain: --rate, --highpass, --q, --gain or --loudness/--peak, --trim-silence)"),
    (["in.wav", "-o", "x.wav", "pad", "1"], "'pad 1' is a sox effect; audioprep has none like it (its chain: --rate, --highpass, --q, --gain or --loudness/--peak, --trim-silence)"),
  ])
  func soxEffectsWithoutAnEquivalentAreNamed(arguments: [String], expected: String) {
    #expect(line(arguments) == expected, "\(arguments)")
  }

  /// W15: ffmpeg's and Windows' ways of asking for help or the version.
  @Test(arguments: [
    (["-help"], "-help is ffmpeg's; audioprep's help is --help (or -h)"),
    (["-version"], "-version is ffmpeg's; audioprep's version is --version"),
    (["/?"], "/? is Windows' help; audioprep's is --help (or -h)"),
    (["in.wav", "/?"], "/? is Windows' help; audioprep's is --help (or -h)"),
    (["-?"], "-? is not audioprep's; its help is --help (or -h)"),
  ])
  func otherToolsHelpSpellingsPointAtHelp(arguments: [String], expected: String) {
    #expect(line(arguments) == expected, "\(arguments)")
  }

  /// W16: two output directories were taken (the last, with a warning), as two -o are not; a
  /// unit as a word of its own after --duration (`2 min`) was a second input; `--highpass off`
  /// did not say 0 turns it off; `batch -` was 66 "No such file".
  @Test(arguments: [
    (["batch", "corpus", "--out-dir", "o", "--out-dir", "p"], "--out-dir given twice (o, p): batch writes below one directory; give --out-dir once"),
    (["in.wav", "--duration", "2", "min"], "--duration 2 min: write the value and its unit as one word: --duration 2min"),
    (["in.wav", "--highpass", "off"], "--highpass: 'off' is not a frequency: give Hz as 80, 80Hz, 16k or 16kHz (0 turns the high-pass off)"),
    (["batch", "-", "--out-dir", "o"], "batch takes no standard input as an input: for paths read from it, --from-list -; for one stream, audioprep - -o OUTPUT"),
  ])
  func moreParsingGaps(arguments: [String], expected: String) {
    #expect(line(arguments) == expected, "\(arguments)")
  }

  /// W16: `-o nodir/` named `-o nodir/in.16k.wav` as the example, which then failed (73: the
  /// directory does not exist). The line says to create it.
  @Test func aMissingOutputDirectorySaysToCreateIt() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nodir30h-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    for (output, create) in [(directory + "/nodir/", true), (directory + "/", false)] {
      do {
        _ = try OutputDestination(input: "rec/in.flac", output: output, options: try OutputOptions.parse([]), rate: 16000)
        Issue.record("\(output) accepted")
      } catch let failure as CommandFailure {
        #expect(failure.message.hasSuffix("; for one, create it first (mkdir -p \(output))") == create, "\(failure.message)")
      }
    }
  }

  /// W11, W15: `--input-rate` given to process did not suggest --in-rate; verify's --golden and
  /// info's --tolerance/--snr-min pointed at process (whose --tolerance needs --golden);
  /// `rate=8k` was an output file name.
  @Test(arguments: [
    (["in.wav", "--input-rate", "48k"], "--input-rate is response's, not process's: audioprep response --svg PLOT.svg --input-rate 48k (or did you mean '--in-rate'?)"),
    (["verify", "a.wav", "b.wav", "--golden", "g.wav"], "--golden is process's, not verify's: verify takes the golden file as its second argument: audioprep verify CANDIDATE g.wav"),
    (["info", "in.wav", "--tolerance", "1e-3"], "--tolerance is verify's, not info's: audioprep verify CANDIDATE GOLDEN --tolerance 1e-3"),
    (["info", "in.wav", "--snr-min", "30"], "--snr-min is verify's, not info's: audioprep verify CANDIDATE GOLDEN --snr-min 30"),
    (["in.wav", "rate=8k"], "'rate=8k' is no file; as an option it is --rate=8k"),
    (["in.wav", "--segment-overlaps", "1s"], "Unknown option '--segment-overlaps'. Did you mean '--segment-overlap'?"),
  ])
  func anotherCommandsOptionFindsItsNaturalHome(arguments: [String], expected: String) {
    #expect(line(arguments) == expected, "\(arguments)")
  }

  /// W14: the bash script asked for through a subcommand or after an input lost audioprep's
  /// default-subcommand patch, and `tcsh` was "Unknown option '--generate-completion-script'".
  @Test func everyWayOfAskingForTheBashScriptGetsThePatchedOne() {
    guard case .script(let patched)? = CompletionScript.request(by: ["--generate-completion-script", "bash"]) else {
      Issue.record("no script")
      return
    }
    #expect(patched.contains("(added by audioprep)"))
    for arguments in [
      ["process", "--generate-completion-script", "bash"], ["in.wav", "--generate-completion-script", "bash"],
      ["--generate-completion-script=bash"], ["--generate-completion-script", "Bash"], ["batch", "--generate-completion-script=bash"],
    ] {
      #expect(CompletionScript.request(by: arguments) == .script(patched), "\(arguments)")
    }
    #expect(CompletionScript.request(by: ["--generate-completion-script", "tcsh"]) == .unknownShell("--generate-completion-script: 'tcsh' is not one of zsh, bash, fish"))
    #expect(CompletionScript.request(by: ["in.wav", "-o", "x.wav"]) == nil)
  }

  /// C: other tools' long options had no hint (`--bits 16`, `--verbose`), or a misleading one
  /// (`--output-format flac` → "Did you mean '--output'?", which would write a file named flac).
  @Test(arguments: [
    (["in.wav", "--bits", "16"], "--bits is not audioprep's; audioprep's is --encoding s16"),
    (["in.wav", "--output-format", "flac"], "--output-format is not audioprep's; audioprep's is --format flac"),
    (["in.wav", "--lowpass", "4k"], "--lowpass is not audioprep's; it has no low-pass of its own: the resampler's filter removes what lies above half of --rate"),
    (["in.wav", "--verbose"], "--verbose is not audioprep's; it prints warnings and errors (--quiet: errors only), --summary one line per run"),
    (["in.wav", "--silent"], "--silent is not audioprep's; --quiet prints errors only"),
    (["in.wav", "--yes"], "--yes is not audioprep's; --force replaces an existing output"),
    (["batch", "corpus", "--out-dir", "o", "--bits", "24"], "--bits is not audioprep's; audioprep's is --encoding s24"),
  ])
  func otherToolsLongOptionsAreNamed(arguments: [String], expected: String) {
    #expect(line(arguments) == expected, "\(arguments)")
  }
}
