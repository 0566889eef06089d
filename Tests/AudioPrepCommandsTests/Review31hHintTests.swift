@testable import AudioPrepCommands
import Foundation
import Testing

/// The items of the hostile review review31h ("speaks the user's language") left after stop 31,
/// checked in process (`AudioPrep.usageError`: the lines `main` prints before exiting 64).
@Suite struct Review31hHintTests {
  /// The lines `arguments` earn ("parsed" when they parse).
  func lines(_ arguments: [String]) -> [String] {
    (AudioPrep.usageError(arguments) ?? "parsed").split(separator: "\n").map(String.init)
  }

  /// A WAV file of `rate` Hz (a second of silence) in a new directory.
  func wav(rate: Int) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("r31h-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appendingPathComponent("in\(rate).wav").path
    try ManifestExportTests.wav(frames: rate, rate: rate).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// H1: sox's `trim 0 22050s` counts samples at the rate where the effect stands (the
  /// input's, or an earlier `rate` effect's); the hint converted them at 16 kHz whatever the
  /// input (22050 samples of a 44.1 kHz file are 0.5 s, not 1.378 s). The seconds are given
  /// as options at the rate read from the input's header; when none can be read, no rate is
  /// assumed.
  @Test func soxSampleCountsAreConvertedAtTheRateWhereTheEffectStands() throws {
    let cd = try wav(rate: 44100)
    let at44 = lines([cd, "-o", "out.wav", "trim", "0", "22050s"])
    #expect(at44.count == 1 && at44[0].contains("--start 0 --duration 0.5 ") && at44[0].contains("22050 samples at 44100 Hz"), "\(at44)")
    #expect(!at44.joined().contains("16 kHz"), "\(at44)")
    let both = lines([cd, "out.wav", "trim", "44100s", "=66150s"])
    #expect(both.first?.contains("--start 1 --end 1.5 (sox's '44100s' is 44100 samples at 44100 Hz, '=66150s' is 66150 samples at 44100 Hz, the input's rate)") == true, "\(both)")
    // After sox's `rate 16k`, the samples are the 16 kHz stream's.
    let afterRate = lines([cd, "out.wav", "rate", "16k", "trim", "0", "8000s"])
    #expect(afterRate.contains { $0.contains("--start 0 --duration 0.5 ") && $0.contains("8000 samples at 16000 Hz") }, "\(afterRate)")
    let at8k = lines([try wav(rate: 8000), "-o", "out.wav", "trim", "0", "8000s"])
    #expect(at8k.count == 1 && at8k[0].contains("--duration 1 "), "\(at8k)")
    // An input that cannot be read: no rate assumed, the division said.
    let missing = lines(["nosuch.wav", "-o", "out.wav", "trim", "0", "8000s"])
    #expect(missing.count == 1 && missing[0].contains("8000 samples at the input's rate") && !missing[0].contains("16 kHz"), "\(missing)")
  }

  /// H2: ffmpeg's `-ss` before `-i` seeks the input, and `-to` after `-i` then counts from the
  /// seek: `-ss 1 -i in -to 2` is 1 s to 3 s of the input, a length of 2 s (was `--end 2`,
  /// half of it). Output seeking (`-i in -ss 1 -to 2`) keeps `--end 2`.
  @Test func ffmpegToAfterAnInputSeekIsALength() {
    let seek = lines(["-ss", "1", "-i", "in.wav", "-to", "2", "out.wav"])
    // One range for the seek and the end around -i (review33j H2): 1 s to 3 s of the input.
    #expect(seek.contains { $0.contains("--start 1 --end 3") } && !seek.joined().contains("--end 2"), "\(seek)")
    for kept in [["-i", "in.wav", "-ss", "1", "-to", "2", "out.wav"], ["-ss", "1", "-to", "2", "-i", "in.wav", "out.wav"]] {
      let to = lines(kept).filter { $0.contains("-to is ffmpeg's") }
      #expect(to.count == 1 && to[0].contains("--end 2") && !to[0].contains("--duration"), "\(kept): \(to)")
    }
  }

  /// W6: with ffmpeg's `-i` typed, `-t 2` is ffmpeg's duration, before or after the input, not
  /// sox's description of the file after it ("'-t 2' describes the input in sox").
  @Test func ffmpegDurationWithAnInputOptionIsADuration() {
    for arguments in [["-i", "in.wav", "-t", "2", "out.wav"], ["-t", "2", "-i", "in.wav", "out.wav"], ["-i", "in.wav", "-t", "00:00:02", "-o", "out.wav"]] {
      let got = lines(arguments)
      #expect(got.contains { $0.contains("-t is ffmpeg's duration") && $0.contains("(here --duration ") }, "\(arguments): \(got)")
      #expect(!got.joined().contains("in sox") && !got.joined().contains("sox's file type"), "\(arguments): \(got)")
    }
  }

  /// W1: a long option typed with one dash (`-output`, `-jobs`) was read as a short option with
  /// a value glued on (`-o utput`, `-j obs`): it names the long option, in every command.
  @Test func aLongOptionWithOneDashIsNamed() {
    for (arguments, expected) in [
      (["in.wav", "-output", "x.wav"], "'-output' has one dash; audioprep's long options have two: --output"),
      (["batch", "corpus", "--out-dir", "o", "-jobs", "2"], "'-jobs' has one dash; audioprep's long options have two: --jobs"),
      (["in.wav", "-o", "x.wav", "-gain=2"], "'-gain=2' has one dash; audioprep's long options have two: --gain=2"),
      (["info", "-json", "in.wav"], "'-json' has one dash; audioprep's long options have two: --json"),
    ] {
      let got = lines(arguments)
      #expect(got.first?.contains(expected) == true, "\(arguments): \(got)")
    }
    // A short option with its value glued on is still read so.
    #expect(lines(["in.wav", "-ox.wav"]).first?.contains("-o x.wav") == true)
  }

  /// W2: characters pasted from a document or a Windows script, invisible or alike to ASCII
  /// (a zero-width space, a no-break space, full-width digits, typographic quotes, a carriage
  /// return), were never named: `--rate 16\u{200B}k` "is not a sample rate", `-o “x.wav”`
  /// "does not write .wav”". One line names the character and what to write; a file that
  /// exists, and a path's inner characters (a Japanese name's full-width digits), are as typed.
  @Test func pastedLookalikeCharactersAreNamed() throws {
    for (arguments, expected) in [
      (["in.wav", "--rate", "16\u{200B}k"], "'16\u{200B}k' holds a zero-width space (U+200B), probably pasted; write 16k"),
      (["in.wav", "--gain", "\u{FF11}.5"], "holds full-width characters (U+FF11), probably pasted; write 1.5"),
      (["in.wav", "--rate\u{00A0}16k"], "holds a no-break space (U+00A0), probably pasted; write --rate 16k"),
      (["in.wav", "-o", "\u{201C}x.wav\u{201D}"], "holds typographic quotes (U+201C, U+201D), probably pasted; write x.wav"),
      (["in.wav", "-o", "x.wav\r"], "ends with a carriage return (\\r): the script has Windows line endings (dos2unix); write x.wav"),
      (["batch", "corpus", "--out-dir", "o", "-j", "2\r"], "ends with a carriage return (\\r)"),
      (["in.wav", "\u{2018}--force\u{2019}"], "holds typographic quotes (U+2018, U+2019), probably pasted; write --force"),
      (["info", "\u{FEFF}in.wav"], "holds a byte-order mark (U+FEFF), probably pasted; write in.wav"),
    ] {
      let got = lines(arguments)
      #expect(got.count == 1 && got[0].contains(expected), "\(arguments): \(got)")
    }
    // A path's inner full-width digits and joiners are a name's own; a file that exists is as typed.
    #expect(!lines(["in.wav", "-o", "\u{9332}\u{97F3}\u{FF11}.wav"]).joined().contains("pasted"))
    #expect(!lines(["in.wav", "-o", "a\u{200D}b.wav"]).joined().contains("pasted"))
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("r31h-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let quoted = directory.appendingPathComponent("\u{201C}in\u{201D}.wav").path
    try ManifestExportTests.wav(frames: 160).write(to: URL(fileURLWithPath: quoted))
    #expect(!lines([quoted, "-o", "x.wav", "--gain", "\u{FF12}"]).joined().contains("\u{201C}"))
  }

  /// W3: soxi's options given to info (`info -r f.wav`) took the file for -r's value ("--rate
  /// f.wav") or had "no option"; each names the field of `info --json` that holds it.
  @Test func soxiOptionsGivenToInfoNameTheJSONField() {
    for (option, field) in [("-r", "sample_rate"), ("-c", "channels"), ("-D", "seconds"), ("-s", "frames"), ("-t", "format"), ("-e", "format")] {
      let got = lines(["info", option, "f.wav"])
      #expect(got.count == 1 && got[0].contains("\(option) is soxi's") && got[0].contains("audioprep info --json f.wav") && got[0].contains("\"\(field)\""), "\(option): \(got)")
      #expect(!got.joined().contains("--rate f.wav"), "\(got)")
    }
  }

  /// W7: `--help info` printed process's help; it is info's, as `info --help` and `help info`.
  @Test func helpBeforeACommandIsThatCommandsHelp() {
    #expect(AudioPrep.readable(["--help", "info"]) == ["help", "info"])
    #expect(AudioPrep.readable(["-h", "manifest", "export"]) == ["help", "manifest", "export"])
    #expect(AudioPrep.readable(["--help"]) == ["--help"])
  }

  /// W11, W12: `--norm=-1` carries its level (`--peak -1 --true-peak 0`, as sox's norm); sox's
  /// `vol -6` (an amplitude of -6: ×6, inverted) was `--gain -6`, which audioprep refuses.
  @Test func normAndNegativeVolumeCarryWhatTheyMean() {
    let norm = lines(["in.wav", "--norm=-1", "-o", "x.wav"])
    #expect(norm.count == 1 && norm[0].contains("--peak -1 --true-peak 0"), "\(norm)")
    let vol = lines(["in.wav", "-o", "x.wav", "vol", "-6"])
    #expect(vol.count == 1 && !vol[0].contains("--gain -6 ") && !vol[0].contains("--gain -6 (") && vol[0].contains("--gain 6") && vol[0].contains("-6dB"), "\(vol)")
  }

  /// W14: a line pasted whole from sox or ffmpeg (`audioprep sox in.wav out.wav`) took the
  /// program's name for an input; it is named, and the rest is translated as usual.
  @Test func anotherProgramsNameFirstIsNamed() {
    let sox = lines(["sox", "in.wav", "out.wav", "rate", "16k"])
    #expect(sox.first?.contains("'sox' is sox's name; audioprep's command line is what follows it") == true, "\(sox)")
    #expect(sox.contains { $0.contains("--rate 16k") }, "\(sox)")
    let ffmpeg = lines(["ffmpeg", "-i", "in.wav", "-ar", "16000", "out.wav"])
    #expect(ffmpeg.first?.contains("'ffmpeg' is ffmpeg's name") == true && ffmpeg.contains { $0.contains("--rate 16000") }, "\(ffmpeg)")
    #expect(lines(["soxi", "in.wav"]).first?.contains("audioprep info in.wav") == true)
    #expect(lines(["play", "in.wav"]).first?.contains("audioprep does not play audio") == true)
    #expect(lines(["arecord", "-f", "cd", "x.wav"]).first?.contains("| audioprep - --in-encoding s16") == true)
  }

  /// W15: manifest export's format given as another command's (`-t kaldi`, `--format kaldi`,
  /// `-f nemo`) said it had no option for it, or named process; manifest merge's `--out-dir`
  /// named batch. Each names the command's own, the value carried over.
  @Test func manifestCommandsNameTheirOwnOptions() {
    for (arguments, expected) in [
      (["manifest", "export", "-t", "kaldi", "m.jsonl", "-o", "d"], "manifest export names its toolkit with --to (here --to kaldi)"),
      (["manifest", "export", "--format", "kaldi", "m.jsonl", "-o", "d"], "manifest export names its toolkit with --to (here --to kaldi)"),
      (["manifest", "export", "-f", "nemo", "m.jsonl", "-o", "d"], "manifest export names its toolkit with --to (here --to nemo)"),
      (["manifest", "merge", "a.jsonl", "--out-dir", "d"], "manifest merge writes one file, with -o (here -o d)"),
    ] {
      let got = lines(arguments)
      #expect(got.first?.contains(expected) == true && !got.joined().contains("Missing expected argument"), "\(arguments): \(got)")
    }
  }

  /// W4: arecord's options moved after `-` (`audioprep - -f S16_LE -r 48000 -c 2`: what arecord
  /// pipes in) were read as the output's (`--format raw --encoding s16`, `--rate 48000`,
  /// `--keep-channels`); they describe the input: `--in-*`.
  @Test func arecordsFormatAfterStandardInputDescribesTheInput() {
    let got = lines(["-", "-f", "S16_LE", "-r", "48000", "-c", "2", "-o", "x.wav"])
    #expect(got.count == 1 && got[0].contains("in arecord") && got[0].contains("--in-rate 48000 --in-channels 2 --in-encoding s16"), "\(got)")
    // A file's `-f` is still ffmpeg's or arecord's output format.
    #expect(!lines(["in.wav", "-f", "S16_LE", "-o", "x.raw"]).joined().contains("--in-encoding s16"))
  }

  /// W5: sox's `-e floating-point -b 32` (one sample format) gave two contradictory lines,
  /// `--encoding f32` and `--encoding s32`; it is one line, in either order.
  @Test func soxsEncodingAndBitsAreOneSampleFormat() {
    for (arguments, expected) in [
      (["in.wav", "-o", "x.wav", "-e", "floating-point", "-b", "32"], "'-e floating-point -b 32' is sox's sample format; audioprep's is --encoding f32"),
      (["in.wav", "-o", "x.wav", "-b", "16", "-e", "signed-integer"], "'-b 16 -e signed-integer' is sox's sample format; audioprep's is --encoding s16"),
      (["in.wav", "x.wav", "-b", "24", "-e", "signed"], "audioprep's is --encoding s24"),
    ] {
      let got = lines(arguments).filter { $0.contains("sox") }
      #expect(got.count == 1 && got[0].contains(expected), "\(arguments): \(got)")
    }
  }

  /// W8: `--generate-completion-script` without a shell, where `$SHELL` is unset or names none
  /// argument-parser writes for (`/bin/sh`), said "Unknown option '--generate-completion-script'";
  /// it says what to give.
  @Test func aCompletionScriptWithoutAShellSaysWhichToName() {
    let flag = ["--generate-completion-script"]
    guard case .unknownShell(let unset)? = CompletionScript.request(by: flag, shellPath: nil) else {
      Issue.record("no shell named, $SHELL unset: \(String(describing: CompletionScript.request(by: flag, shellPath: nil)))")
      return
    }
    #expect(unset.contains("$SHELL is not set") && unset.contains("give one: --generate-completion-script bash"), "\(unset)")
    guard case .unknownShell(let sh)? = CompletionScript.request(by: flag, shellPath: "/bin/sh") else {
      Issue.record("$SHELL /bin/sh")
      return
    }
    #expect(sh.contains("$SHELL is '/bin/sh', none of zsh, bash, fish"), "\(sh)")
    guard case .script? = CompletionScript.request(by: flag, shellPath: "/usr/bin/zsh") else {
      Issue.record("$SHELL /usr/bin/zsh gives no script")
      return
    }
  }

  /// W10: a whole line translated from sox or ffmpeg left out that audioprep's chain also
  /// high-passes at 80 Hz and applies a gain of 1.5 by default, which sox and ffmpeg do not:
  /// the line says `--highpass 0 --gain 1` gives their conversion alone.
  @Test func aWholeLineTranslatedSaysTheDefaultChain() {
    for arguments in [["sox", "in.wav", "out.wav", "rate", "16k"], ["ffmpeg", "-i", "in.wav", "-ar", "16000", "out.wav"], ["-i", "in.wav", "-ar", "16000", "out.wav"]] {
      let got = lines(arguments)
      #expect(got.contains { $0.contains("--highpass 0") && $0.contains("--gain 1") && $0.contains("80 Hz") && $0.contains("1.5") }, "\(arguments): \(got)")
    }
  }

  /// W16: `verify --snr-min -30dB` was accepted: under 0 dB the error may be louder than the
  /// signal, so nearly anything passes, which a golden test never means (a sign typed for
  /// decibels). It is a usage error naming the positive form; 0 and up pass as before.
  @Test func aNegativeSignalToErrorMinimumIsRefused() {
    for arguments in [["verify", "a.wav", "b.wav", "--snr-min", "-30dB"], ["in.wav", "-o", "x.wav", "--golden", "g.wav", "--snr-min=-1"]] {
      let got = lines(arguments)
      #expect(got.count == 1 && got[0].contains("--snr-min") && got[0].contains("positive") && got[0].contains("louder than the signal"), "\(arguments): \(got)")
    }
    #expect(lines(["verify", "a.wav", "b.wav", "--snr-min", "0"]) == ["parsed"])
    #expect(lines(["verify", "a.wav", "b.wav", "--snr-min", "30dB"]) == ["parsed"])
  }

  // review32h (on the s32 binary, after the fixes above).

  /// review32h H1: sox's and ffmpeg's highpass is a Butterworth section (Q 0.707) unless a width
  /// says otherwise; `--highpass 80` alone is audioprep's Web Audio Q (1 dB, linear 1.12): +4 dB
  /// at 80 Hz. The hint carries `--q-linear 0.707`; sinc is named a different filter shape.
  @Test func highpassHintsKeepTheirQ() {
    for (arguments, expected) in [
      (["in.wav", "-o", "x.wav", "highpass", "80"], "--highpass 80 --q-linear 0.707"),
      (["in.wav", "-o", "x.wav", "highpass", "-2", "120"], "--highpass 120 --q-linear 0.707"),
      (["in.wav", "-o", "x.wav", "highpass", "80", "0.5q"], "--highpass 80 --q-linear 0.5"),
      (["-i", "in.wav", "-af", "highpass=f=80", "x.wav"], "--highpass 80 --q-linear 0.707"),
      (["-i", "in.wav", "-af", "highpass=80,volume=0.5", "x.wav"], "--highpass 80 --q-linear 0.707 --gain 0.5"),
    ] {
      let got = lines(arguments)
      #expect(got.contains { $0.contains(expected) }, "\(arguments): \(got)")
    }
    let sinc = lines(["in.wav", "-o", "x.wav", "sinc", "80"])
    #expect(sinc.first?.contains("steep") == true && sinc.first?.contains("--highpass 80 --q-linear 0.707") == true, "\(sinc)")
  }

  /// review32h H2: sox's remix keeps its channels' order and volumes: `remix 1v0.5` is channel 0
  /// at half gain (was "mono, all channels averaged"); `remix 2 1` (a swap), `remix 0 1` (a silent
  /// channel), `remix 2 2` (one twice) have no equivalent (were `--keep-channels`).
  @Test func remixHintsKeepOrderAndVolume() {
    for (values, expected) in [
      (["1v0.5"], "is the option --channel 0 --gain 0.5"),
      (["2"], "is the option --channel 1"),
      (["1", "2"], "is the option --keep-channels"),
      (["1v0.5", "2v0.5"], "is the option --keep-channels --gain 0.5"),
      (["2", "1"], "audioprep cannot reorder, repeat or silence channels"),
      (["0", "1"], "audioprep cannot reorder, repeat or silence channels"),
      (["2", "2"], "audioprep cannot reorder, repeat or silence channels"),
      (["1v0.5", "2"], "audioprep cannot"),
      (["-"], "all channels averaged"),
      (["1,2"], "all channels averaged"),
    ] {
      let got = lines(["in.wav", "-o", "x.wav", "remix"] + values)
      #expect(got.count == 1 && got[0].contains(expected), "remix \(values): \(got)")
    }
  }

  /// review32h H3, W6: a whole line's note claimed "--highpass 0 --gain 1 converts alone, as sox
  /// and ffmpeg do", but audioprep also writes mono at 16 kHz; and it named options the line's
  /// own effects set (`highpass 200 vol 0.5`), twice for ffmpeg. The note names each default
  /// the line does not set, once.
  @Test func aWholeLineNoteNamesTheDefaultsTheLineLeaves() {
    let plain = lines(["sox", "in.wav", "out.wav"])
    #expect(plain.first.map { ["--highpass 0", "--gain 1", "--keep-channels", "--rate"].allSatisfy($0.contains) } == true, "\(plain)")
    #expect(!plain.joined().contains("as sox and ffmpeg do"), "\(plain)")
    let set = lines(["sox", "in.wav", "out.wav", "highpass", "200", "vol", "0.5", "rate", "16k", "remix", "-"])
    #expect(set.first.map { !$0.contains("--highpass 0") && !$0.contains("--gain 1") && !$0.contains("--rate") && !$0.contains("--keep-channels") } == true, "\(set)")
    let ffmpeg = lines(["ffmpeg", "-i", "in.wav", "-ar", "16000", "out.wav"])
    #expect(ffmpeg.filter { $0.contains("--highpass 0") }.count == 1 && !ffmpeg.joined().contains("--rate the input"), "\(ffmpeg)")
  }

  /// review32h H4: more cut points than one range: sox's `trim 0.5 1 1.5` (keep and skip in
  /// turn) was `--start 0.5 --duration 1`, the third dropped; a second trim cuts the first's
  /// output (`trim 1 2 trim 0.5 1` is 1.5 s to 2.5 s) and gave two conflicting lines; ffmpeg's
  /// `-ss` before and after `-i` add up.
  @Test func severalCutPointsAreOneRangeOrRefused() {
    let three = lines(["in.wav", "-o", "x.wav", "trim", "0.5", "1", "1.5"])
    #expect(three.count == 1 && three[0].contains("one range") && !three[0].contains("--start 0.5 --duration 1 "), "\(three)")
    let twice = lines(["in.wav", "-o", "x.wav", "trim", "1", "2", "trim", "0.5", "1"])
    #expect(twice.contains { $0.contains("--start 1.5 --duration 1") } && !twice.contains { $0.contains("--start 0.5") }, "\(twice)")
    let seeks = lines(["-ss", "1", "-i", "in.wav", "-ss", "0.5", "-t", "1", "x.wav"])
    #expect(seeks.contains { $0.contains("--start 1.5") } && !seeks.contains { $0.contains("(here --start 0.5)") || $0.contains("(here --start 1)") }, "\(seeks)")
  }

  /// review32h W2: the rate of a raw input given on the line (`--in-rate 22050`, sox's `-r
  /// 22050` before it) is the rate its samples count at ("could not be read here").
  @Test func aRawInputsGivenRateCountsTheSamples() {
    for arguments in [
      ["sp22.raw", "--in-rate", "22050", "--in-channels", "1", "--in-encoding", "s16", "-o", "x.wav", "trim", "0", "8000s"],
      ["-t", "raw", "-r", "22050", "-e", "signed", "-b", "16", "-c", "1", "sp22.raw", "x.wav", "trim", "0", "8000s"],
    ] {
      let got = lines(arguments)
      #expect(got.contains { $0.contains("--duration 0.362812") && $0.contains("8000 samples at 22050 Hz") }, "\(got)")
    }
  }

  /// review32h W1: hints audioprep refused when followed: `trim =0.5 1` (`--start =0.5`), `trim
  /// 1000s 1s` at 44.1 kHz (`--duration 2.3e-05`), `vol 0` and `volume=0` (`--gain 0`, ambiguous),
  /// `volume=-6` (a sign without a unit), `norm 3` (a peak over 0 dBFS), `-e unsigned -b 8`
  /// (`--encoding u8`, which audioprep does not write), `soxi -D f` (`info -D f`).
  @Test func hintsAreOptionsAudioprepTakes() throws {
    let cd = try wav(rate: 44100)
    for (arguments, expected, refused) in [
      (["in.wav", "-o", "x.wav", "trim", "=0.5", "1"], "--start 0.5 --duration 1", "--start =0.5"),
      ([cd, "-o", "x.wav", "trim", "1000s", "1s"], "--start 0.022676 --duration 0.000023", "e-05"),
      (["in.wav", "-o", "x.wav", "vol", "0"], "--gain 0x", "--gain 0 "),
      (["in.wav", "-af", "volume=0", "-o", "x.wav"], "--gain 0x", "--gain 0 "),
      (["in.wav", "-af", "volume=-6", "-o", "x.wav"], "-af is ffmpeg's", "--gain -6 "),
      (["in.wav", "-o", "x.wav", "norm", "3"], "--peak 0 --true-peak 0", "--peak 3"),
      (["in.wav", "-o", "x.wav", "-e", "unsigned", "-b", "8"], "audioprep writes s16, s24, s32 or f32", "--encoding u8"),
      (["soxi", "-D", "f.wav"], "audioprep info --json f.wav", "info -D"),
    ] {
      let got = lines(arguments)
      #expect(got.contains { $0.contains(expected) } && !got.joined().contains(refused), "\(arguments): \(got)")
      #expect(!got.contains { $0.contains("is not a duration") || $0.contains("ambiguous") || $0.contains("must lie") || $0.contains("is not one of") }, "\(arguments): \(got)")
    }
  }

  /// review32h W3: ffmpeg's input options before `-i` (`-f s16le -ar 22050 -ac 1 -i sp.raw`)
  /// describe a raw input: `--in-*`, not the output's `--format raw`, `--rate 22050`.
  @Test func ffmpegsInputOptionsDescribeTheInput() {
    let got = lines(["-f", "s16le", "-ar", "22050", "-ac", "1", "-i", "sp.raw", "-ar", "16000", "out.wav"])
    #expect(got.contains { $0.contains("--in-rate 22050 --in-channels 1 --in-encoding s16") }, "\(got)")
    #expect(got.contains { $0.contains("(here --rate 16000)") } && !got.contains { $0.contains("--rate 22050") || $0.contains("--format raw") }, "\(got)")
  }

  /// review32h W5: a second name that is standard output (`-`) or a file that exists is the
  /// output too, as sox takes it (was "for several use batch").
  @Test func aSecondNameIsTheOutputWhateverItIs() throws {
    let dash = lines(["in.wav", "-"])
    #expect(dash.count == 1 && dash[0].contains("'audioprep INPUT -o -'"), "\(dash)")
    let existing = try wav(rate: 16000)
    let there = lines(["in.wav", existing])
    #expect(there.count == 1 && there[0].contains("for several use 'audioprep batch") && there[0].contains("-o \(existing) --force"), "\(there)")
  }

  /// review32h W7: soxi's options to info name every file given (`info -D a.wav b.wav` dropped b.wav).
  @Test func soxiOptionsKeepEveryFile() {
    let got = lines(["info", "-D", "a.wav", "b.wav"])
    #expect(got.count == 1 && got[0].contains("audioprep info --json a.wav b.wav"), "\(got)")
  }

  /// review32h W12: audioprep prints "gain ×1.5"; `--gain ×1.5` and `1.5×` are taken as `1.5x`.
  @Test func theMultiplicationSignIsAFactor() {
    #expect(GainArgument.parse("\u{00D7}1.5") == 1.5 && GainArgument.parse("1.5\u{00D7}") == 1.5 && GainArgument.parse("x2") == 2)
    #expect(lines(["in.wav", "-o", "x.wav", "--gain", "\u{00D7}1.5"]) == ["parsed"])
  }

  /// review32h W11: Kaldi's and Lhotse's job counts carry their value (`--nj 4` → `-j 4`), `-nj` too.
  @Test func jobCountsCarryTheirValue() {
    for (arguments, expected) in [(["--nj", "4"], "-j 4"), (["--num-jobs", "8"], "-j 8"), (["-nj", "8"], "-j 8")] {
      let got = lines(["batch", "corpus", "--out-dir", "o"] + arguments)
      #expect(got.count == 1 && got[0].contains("audioprep's is \(expected)"), "\(arguments): \(got)")
    }
  }

  /// review32h W8: a correction that was itself wrong: a no-break space inside a value (`16 k`)
  /// is removed, not made a space; one at either end of a word is dropped; typographic quotes
  /// around part of a name (`“out”.wav`) are both removed.
  @Test func pastedCharacterCorrectionsAreRight() {
    for (arguments, expected) in [
      (["in.wav", "--rate", "16\u{00A0}k"], "write 16k"),
      (["in.wav", "--rate", "\u{00A0}16k"], "write 16k"),
      (["in.wav", "-o", "\u{201C}out\u{201D}.wav"], "write out.wav"),
    ] {
      let got = lines(arguments)
      #expect(got.count == 1 && got[0].hasSuffix(expected) || got.first?.contains(expected + " (see") == true, "\(arguments): \(got)")
    }
  }

  /// review32h W13: sox's `silence 1 0.1 1%` (one part: the start alone) was `--trim-silence`
  /// (both ends) without a word; ffmpeg's bare loudnorm dropped its true-peak ceiling (TP=-2).
  @Test func partsOfAnEffectAreNotDroppedSilently() {
    let start = lines(["in.wav", "-o", "x.wav", "silence", "1", "0.1", "1%"])
    #expect(start.count == 1 && start[0].contains("trims the start alone"), "\(start)")
    // A second part of -1 cuts every pause, not only the ends (review33k H1: sox 6.36 s of 11.21,
    // --trim-silence 9.03 s): no option of audioprep's, said so.
    let both = lines(["in.wav", "-o", "x.wav", "silence", "1", "0.1", "1%", "-1", "0.1", "1%"])
    #expect(both.count == 1 && both[0].contains("no option that cuts the pauses inside"), "\(both)")
    let loudnorm = lines(["in.wav", "-af", "loudnorm", "-o", "x.wav"])
    #expect(loudnorm.contains { $0.contains("--loudness -24 --true-peak -2") }, "\(loudnorm)")
  }

  /// review32h W4: arecord's variants after `-`: glued values (`-r22050 -c1`), ffmpeg's names
  /// (`-ar`, `-ac`), named formats (`-f cd`, `-f dat`), `-d 5` (a duration).
  @Test func arecordsVariantsDescribeTheInput() {
    for (arguments, expected) in [
      (["-", "-f", "S16_LE", "-r22050", "-c1", "-o", "x.wav"], "--in-rate 22050 --in-channels 1 --in-encoding s16"),
      (["-", "-f", "s16le", "-ar", "22050", "-ac", "1", "-o", "x.wav"], "--in-rate 22050 --in-channels 1 --in-encoding s16"),
      (["-", "-f", "cd", "-o", "x.wav"], "--in-rate 44100 --in-channels 2 --in-encoding s16"),
      (["-", "-f", "dat", "-o", "x.wav"], "--in-rate 48000 --in-channels 2 --in-encoding s16"),
      (["-", "-f", "U8", "-r", "8000", "-c", "1", "-o", "x.wav"], "--in-rate 8000 --in-channels 1 --in-encoding u8"),
    ] {
      let got = lines(arguments)
      #expect(got.count == 1 && got[0].contains(expected) && got[0].contains("arecord"), "\(arguments): \(got)")
    }
    let duration = lines(["-", "-f", "S16_LE", "-r", "16000", "-c", "1", "-d", "5", "-o", "x.wav"])
    #expect(duration.contains { $0.contains("--duration 5") }, "\(duration)")
    // A file's -f is not arecord's.
    #expect(!lines(["in.wav", "-f", "cd", "-o", "x.wav"]).joined().contains("--in-rate"))
  }

  // review32i (on the s32b binary).

  /// review32i H1: `rate -v 16k`'s -v is rate's quality, not sox's volume: the defaults note keeps
  /// the 1.5 gain (followed, ×1.5 against sox).
  @Test func ratesQualityFlagIsNoVolume() {
    let got = lines(["sox", "in.wav", "out.wav", "rate", "-v", "16k"])
    #expect(got.first?.contains("a gain of 1.5 (--gain 1: none)") == true, "\(got)")
    #expect(got.contains { $0.contains("--rate 16k") }, "\(got)")
  }

  /// review32i H2, W4: a pasted minus or full-width digits inside an effect's or another tool's
  /// value are read as typed: `vol −20dB` is -20dB (was 0.5), `norm −3` is --peak -3, `rate １６k`
  /// and `-ar １６０００` carry 16k and 16000.
  @Test func pastedCharactersInsideValuesAreReadAsMeant() {
    for (arguments, expected) in [
      (["in.wav", "-o", "x.wav", "vol", "\u{2212}20dB"], "--gain -20dB"),
      (["in.wav", "-o", "x.wav", "norm", "\u{2013}3"], "--peak -3 --true-peak 0"),
      (["in.wav", "-o", "x.wav", "gain", "\u{2212}3"], "--gain -3dB"),
      (["in.wav", "-o", "x.wav", "rate", "\u{FF11}\u{FF16}k"], "--rate 16k"),
      (["in.wav", "-o", "x.wav", "-ar", "\u{FF11}\u{FF16}000"], "--rate 16000"),
    ] {
      let got = lines(arguments)
      #expect(got.contains { $0.contains(expected) }, "\(arguments): \(got)")
    }
  }

  /// review32i H3: gains typed twice multiply in sox (`vol 0.5 vol 2` is ×1); audioprep takes one
  /// --gain, so the second line gives their product (the last line followed won, ×2). A second
  /// highpass or rate is said to be one audioprep has not.
  @Test func secondGainsAndFiltersAreOneOption() {
    let twice = lines(["in.wav", "-o", "x.wav", "vol", "0.5", "vol", "2"])
    #expect(twice.contains { $0.contains("--gain 1x") && $0.contains("multiply") }, "\(twice)")
    let mixed = lines(["in.wav", "-o", "x.wav", "vol", "0.5", "gain", "6"])
    #expect(mixed.contains { $0.contains("--gain 0.997631x") }, "\(mixed)")
    let global = lines(["-v", "0.5", "in.wav", "-o", "x.wav", "vol", "2"])
    #expect(global.contains { $0.contains("--gain 1x") }, "\(global)")
    let filters = lines(["in.wav", "-o", "x.wav", "highpass", "80", "highpass", "200"])
    #expect(filters.contains { $0.contains("filters again") }, "\(filters)")
    let rates = lines(["in.wav", "-o", "x.wav", "rate", "8k", "rate", "16k"])
    #expect(rates.contains { $0.contains("resamples once") }, "\(rates)")
  }

  /// review32i H4, W12: a remix mix with weights (`1,2v-1`, `1v0.3,2v0.7`) is no average; a
  /// range (`1-2`) is; `1p-6` is a volume in dB.
  @Test func remixMixesWithWeightsAreNoAverage() {
    for (values, expected) in [
      (["1,2v-1"], "audioprep cannot"), (["1v0.3,2v0.7"], "audioprep cannot"), (["1-2"], "all channels averaged"),
      (["1p-6"], "is the option --channel 0 --gain -6dB"),
    ] {
      let got = lines(["in.wav", "-o", "x.wav", "remix"] + values)
      #expect(got.count == 1 && got[0].contains(expected), "remix \(values): \(got)")
    }
  }

  /// review32i H5: big-endian raw input (sox's -B, -x; ffmpeg's s16be) is named: audioprep reads
  /// little-endian samples only (followed as s16, noise).
  @Test func bigEndianRawInputIsNamed() {
    let sox = lines(["-t", "raw", "-r", "22050", "-e", "signed", "-b", "16", "-c", "1", "-B", "be.raw", "-o", "x.wav"])
    #expect(sox.contains { $0.contains("big-endian") && $0.contains("little-endian") }, "\(sox)")
    let ffmpeg = lines(["-f", "s16be", "-ar", "22050", "-ac", "1", "-i", "be.raw", "x.wav"])
    #expect(ffmpeg.contains { $0.contains("big-endian") && $0.contains("little-endian") }, "\(ffmpeg)")
    #expect(lines(["-t", "raw", "-r", "22050", "-e", "signed", "-b", "16", "-c", "1", "-L", "le.raw", "-o", "x.wav"]).contains { $0.contains("-L is sox's little-endian") })
  }

  /// review32i W2, W5, W9: ffmpeg uses -t and ignores -to when both are typed (two lines that,
  /// followed, were refused together); sox's `gain -h` alone is 0 dB; `--resample 8000` is
  /// --rate (was "Did you mean --resampler", which refuses 8000); `--dither 0` names none.
  @Test func smallHabitsNameWhatWorks() {
    let both = lines(["-i", "in.wav", "-t", "1", "-to", "0.5", "x.wav"])
    #expect(both.contains { $0.contains("-to is ffmpeg's") && $0.contains("ignores -to") } && !both.contains { $0.contains("--end 0.5") }, "\(both)")
    let headroom = lines(["in.wav", "-o", "x.wav", "gain", "-h"])
    #expect(headroom.count == 1 && headroom[0].contains("is the option --gain 0dB"), "\(headroom)")
    let resample = lines(["in.wav", "-o", "x.wav", "--resample", "8000"])
    #expect(resample.count == 1 && resample[0].contains("--rate 8000") && !resample[0].contains("--resampler"), "\(resample)")
    let dither = lines(["in.wav", "-o", "x.wav", "--dither", "0"])
    #expect(dither.count == 1 && dither[0].contains("none is no dither"), "\(dither)")
  }

  /// review32i W11: a sox line typed without `sox` (`in.wav out.wav rate 16k`) got no defaults
  /// note: followed, the 80 Hz high-pass and ×1.5 were added. The first effect's line says it.
  @Test func soxEffectsWithoutTheProgramSayTheDefaults() {
    let got = lines(["in.wav", "out.wav", "rate", "16k"])
    #expect(got.first?.contains("--rate 16k") == true && got.first?.contains("--highpass 0") == true && got.first?.contains("--gain 1") == true, "\(got)")
    #expect(got.filter { $0.contains("audioprep's defaults") }.count == 1, "\(got)")
  }

  /// review32i W8: `manifest --help export` showed manifest's help; `HELP info` and `Help` were
  /// read as inputs.
  @Test func helpAmongACommandsWordsIsThatCommandsHelp() {
    #expect(AudioPrep.readable(["manifest", "--help", "export"]) == ["help", "manifest", "export"])
    #expect(AudioPrep.readable(["HELP", "info"]) == ["help", "info"])
    #expect(AudioPrep.readable(["Help"]) == ["help"])
    #expect(AudioPrep.readable(["info", "--help"]) == ["help", "info"] || AudioPrep.readable(["info", "--help"]) == ["info", "--help"])
  }

  /// review32i W3: sox's raw types that carry their encoding (`-t s16`, `-t sw`, `-t f32`, a
  /// file named `.s16`) were `--in-encoding ENC`, or "reads its format from its header".
  @Test func soxRawTypesCarryTheirEncoding() {
    for (type, encoding) in [("s16", "s16"), ("sw", "s16"), ("f32", "f32"), ("u8", "u8")] {
      let got = lines(["-t", type, "-r", "22050", "-c", "1", "sp.raw", "-o", "x.wav"])
      #expect(got.contains { $0.contains("--in-rate 22050 --in-channels 1 --in-encoding \(encoding)") }, "\(type): \(got)")
    }
    let named = lines(["-r", "22050", "-c", "1", "sp.s16", "-o", "x.wav"])
    #expect(named.contains { $0.contains("--in-encoding s16") } && !named.joined().contains("from its header"), "\(named)")
  }

  /// review32i W1: two trims, the second in samples (`trim 0 0.5 trim 4000s` of a 44.1 kHz file)
  /// gave no range; the samples count at the input's rate: from 0.090703 s for 0.409297 s.
  @Test func twoTrimsWithSamplesAreOneRange() throws {
    let cd = try wav(rate: 44100)
    let got = lines([cd, "-o", "x.wav", "trim", "0", "0.5", "trim", "4000s"])
    #expect(got.contains { $0.contains("--start 0.090703 --duration 0.409297") }, "\(got)")
  }

  /// review32i W6: a highpass width in Hz, kHz or octaves is a Q (sox `highpass 100 50h` is Q 2;
  /// `1o` is √2); ffmpeg's `width_type=q:width=0.707` is `--q-linear 0.707` (was the chain's
  /// plain line, or audioprep's own Q).
  @Test func highpassWidthsAreAQ() {
    for (arguments, expected) in [
      (["in.wav", "-o", "x.wav", "highpass", "100", "50h"], "--highpass 100 --q-linear 2"),
      (["in.wav", "-o", "x.wav", "highpass", "100", "1o"], "--highpass 100 --q-linear 1.414"),
      (["in.wav", "-o", "x.wav", "highpass", "1000", "0.5k"], "--highpass 1000 --q-linear 2"),
      (["in.wav", "-af", "highpass=f=100:width_type=q:width=0.707", "-o", "x.wav"], "--highpass 100 --q-linear 0.707"),
      (["in.wav", "-af", "highpass=f=100:t=h:w=50", "-o", "x.wav"], "--highpass 100 --q-linear 2"),
    ] {
      let got = lines(arguments)
      #expect(got.contains { $0.contains(expected) }, "\(arguments): \(got)")
    }
  }

  /// review32i W7: `sox --i` is soxi; sox's `-d` with no value is the audio device (not
  /// arecord's duration); `-n stats` is info --levels, with no line about a second input and
  /// no defaults note (nothing is written).
  @Test func soxInfoDeviceAndStatsNameAudioprepsOwn() {
    let soxi = lines(["sox", "--i", "-r", "nosuch44.wav"])
    #expect(soxi.count == 1 && soxi[0].contains("'sox --i' is soxi") && soxi[0].contains("audioprep info --json nosuch44.wav"), "\(soxi)")
    for arguments in [["sox", "in.wav", "-d"], ["sox", "-d", "out.wav"], ["in.wav", "-d"]] {
      let got = lines(arguments)
      #expect(got.contains { $0.contains("-d is sox's audio device") } && !got.joined().contains("arecord's duration"), "\(arguments): \(got)")
    }
    // arecord's -d with seconds stays a duration.
    #expect(lines(["-", "-d", "5", "-o", "x.wav"]).contains { $0.contains("--duration 5") })
    let stats = lines(["in.wav", "-n", "stats"])
    #expect(stats.count == 2 && stats[1].contains("audioprep info --levels") && !stats.joined().contains("takes one INPUT"), "\(stats)")
    #expect(!stats.joined().contains("defaults"), "\(stats)")
  }

  /// review32i W10: ffmpeg's `volume=3/2` is --gain 1.5 (was `--gain 3/2`, refused); the last
  /// word of an ffmpeg line with -i is its output, -o (was "process takes one INPUT"), and -i's
  /// line names the whole command.
  @Test func ffmpegFractionsAndOutputsAreAudioprepsOptions() {
    let volume = lines(["-i", "in.wav", "-af", "volume=3/2", "o.wav"])
    #expect(volume.contains { $0.contains("--gain 1.5") } && !volume.joined().contains("3/2"), "\(volume)")
    for arguments in [["-i", "in.wav", "-ar", "16000", "o.wav"], ["-i", "in.wav", "-c:a", "flac", "o.wav"], ["ffmpeg", "-i", "in.wav", "-ac", "1", "o.wav"]] {
      let got = lines(arguments)
      #expect(!got.joined().contains("takes one INPUT") && got.contains { $0.contains("audioprep in.wav -o o.wav") }, "\(arguments): \(got)")
    }
  }

  /// review32i C1–C4: a lone carriage return names no word to write; a decimal comma is named
  /// (`1,5`, `44,1k`); a duration takes an exponent (`1.5e0`, as sox's trim does); an ffmpeg
  /// option given twice on one side of -i is the last one's, and -t on both sides is the shorter.
  @Test func carriageReturnsCommasExponentsAndRepeatedFfmpegOptions() {
    let cr = lines(["in.wav", "-o", "o.wav", "--force", "\r"])
    #expect(cr.count == 1 && cr[0].contains("Windows line endings") && !cr[0].contains("write"), "\(cr)")
    #expect(lines(["in.wav", "-o", "o.wav", "--gain", "1,5"]).first?.contains("decimal comma; write a point: --gain 1.5") == true)
    #expect(lines(["in.wav", "-o", "o.wav", "--rate", "44,1k"]).first?.contains("--rate 44.1k") == true)
    #expect(DurationArgument.parse("1.5e0") == 1.5)
    #expect(DurationArgument.parse("-1e0") == nil)
    let twice = lines(["-i", "in.wav", "-ss", "1", "-ss", "2", "o.wav"])
    #expect(twice.contains { $0.contains("ffmpeg uses the last: drop this one") } && twice.contains { $0.contains("--start 2") } && !twice.contains { $0.contains("--start 1") }, "\(twice)")
    let lengths = lines(["-ss", "1", "-t", "2", "-i", "in.wav", "-t", "0.5", "o.wav"])
    #expect(lengths.contains { $0.contains("--start 1 --end 1.5") } && !lengths.contains { $0.contains("--duration 2") }, "\(lengths)")
    // Two inputs are not one option given twice.
    #expect(!lines(["-i", "a.wav", "-i", "b.wav", "o.wav"]).joined().contains("given again"))
  }

  /// review32i W8: a typo of `help` (`halp`) is named as one, as a command's typo is.
  @Test func aTypoOfHelpIsNamed() {
    for arguments in [["halp"], ["halp", "info"]] {
      let got = lines(arguments)
      #expect(got.count == 1 && got[0].contains("did you mean 'audioprep help'"), "\(arguments): \(got)")
    }
  }

  /// review33h H1: each trim's samples count at the rate where it stands (`trim 4410s rate 16k
  /// trim 1600s` of a 44.1 kHz file starts at 0.1 + 0.1 s; it was 0.375625 s, the first trim
  /// counted at 16 kHz), and a sum is written without float noise (0.30000000000000004).
  @Test func eachTrimCountsSamplesAtItsOwnRate() throws {
    let cd = try wav(rate: 44100)
    let got = lines([cd, "-o", "o.wav", "trim", "4410s", "rate", "16k", "trim", "1600s"])
    #expect(got.contains { $0.contains("--start 0.2 ") }, "\(got)")
    let twice = lines([cd, "-o", "o.wav", "rate", "16k", "trim", "1600s", "rate", "8k", "trim", "800s"])
    #expect(twice.contains { $0.contains("--start 0.2 ") } && !twice.joined().contains("0000000"), "\(twice)")
  }

  /// review33h H2: sox's `rate` with no rate converts to the output's -r (`-r 8k out.wav rate
  /// -v` writes 8 kHz); it was --rate 16k, the line before it --rate 8k.
  @Test func rateWithoutARateIsTheOutputsR() {
    let got = lines(["sox", "in.wav", "-r", "8k", "out.wav", "rate", "-v"])
    #expect(got.contains { $0.contains("'rate -v'") && $0.contains("--rate 8k") } && !got.joined().contains("--rate 16k"), "\(got)")
    let none = lines(["in.wav", "out.wav", "rate", "-v"])
    #expect(none.contains { $0.contains("'rate -v'") && $0.contains("keeps the input's rate") }, "\(none)")
  }

  /// review33h H3: a normalisation sets the peak and the gains after it move it: `gain -n -3
  /// gain 2` is --peak -1 (it was --gain 0.891251x, a fixed cut); a gain before a
  /// normalisation does not count.
  @Test func gainsAfterANormalisationMoveItsPeak() {
    for (arguments, expected) in [
      (["in.wav", "-o", "o.wav", "gain", "-n", "-3", "gain", "2"], "--peak -1 --true-peak 0"),
      (["in.wav", "-o", "o.wav", "vol", "2", "norm", "-3"], "--peak -3 --true-peak 0"),
    ] {
      let got = lines(arguments)
      #expect(got.contains { $0.contains(expected) } && !got.joined().contains("--gain 0."), "\(arguments): \(got)")
    }
    // vol 2 is +6.02 dB: norm -6 then vol 2 peaks at +0.02 dBFS, which audioprep holds at 0.
    let over = lines(["in.wav", "-o", "o.wav", "norm", "-6", "vol", "2"])
    #expect(over.contains { $0.contains("--peak 0 --true-peak 0") }, "\(over)")
    let under = lines(["in.wav", "-o", "o.wav", "norm", "-6", "vol", "0.5"])
    #expect(under.contains { $0.contains("--peak -12.0206 --true-peak 0") }, "\(under)")
  }

  /// review33h H4: an arecord line's own format, rate, channels, device and duration are the
  /// pipe's (a fixed S16_LE 16 kHz mono pipe dropped them; followed, it recorded from the wrong
  /// device for ever); `-f cd` is S16_LE at 44100 Hz, 2 channels.
  @Test func anArecordLineKeepsItsOwnOptions() {
    let got = lines(["arecord", "-f", "S16_LE", "-r", "44100", "-c", "2", "-D", "hw:1", "-d", "5", "out.wav"])
    #expect(got.count == 1 && got[0].contains("arecord -t raw -f S16_LE -r 44100 -c 2 -D hw:1 -d 5 | audioprep - --in-encoding s16 --in-rate 44100 --in-channels 2 -o out.wav"), "\(got)")
    let cd = lines(["arecord", "-f", "cd", "-t", "wav", "take.wav"])
    #expect(cd.first?.contains("arecord -t raw -f S16_LE -r 44100 -c 2 | audioprep - --in-encoding s16 --in-rate 44100 --in-channels 2 -o take.wav") == true, "\(cd)")
    let bigEndian = lines(["arecord", "-f", "S16_BE", "x.wav"])
    #expect(bigEndian.first?.contains("not S16_BE") == true, "\(bigEndian)")
  }
}
