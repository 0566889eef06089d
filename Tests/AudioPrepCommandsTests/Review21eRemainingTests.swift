@testable import AudioPrepCommands
import DSP
import Foundation
import ArgumentParser
import Testing

/// What the hostile review of #21 (review21e) found that the first rounds left: "did you mean"
/// gaps (21), help's own errors (23), habits with no hint (24), an option ignored without its
/// companion (25), a segment pattern with nothing to segment (27), the batch summary's
/// warnings naming no file (28), and options after `--` taken for a second input. Checked in
/// process (`AudioPrep.usageError`: the lines `main` prints).
@Suite struct Review21eRemainingTests {
  func lines(_ arguments: [String]) -> [String] {
    (AudioPrep.usageError(arguments) ?? "parsed").split(separator: "\n").map(String.init)
  }

  /// 21: one rule finds the name meant (a prefix first, then one or two edits) for help
  /// topics, manifest's subcommands and options; a name two options start with names both;
  /// a name close to another tool's option gets that option's hint.
  @Test func theNameMeantIsFoundByOneRule() {
    #expect(lines(["help", "proc"]).first?.contains("did you mean 'audioprep help process'?") == true, "\(lines(["help", "proc"]))")
    #expect(lines(["help", "bach"]).first?.contains("did you mean 'audioprep help batch'?") == true)
    #expect(lines(["manifest", "exprt"]).first?.contains("did you mean 'audioprep manifest export'?") == true, "\(lines(["manifest", "exprt"]))")
    let en = lines(["in.wav", "--en", "3"])
    #expect(en.count == 1 && en[0].contains("Did you mean '--encoding' or '--end'?"), "\(en)")
    let to = lines(["in.wav", "--to", "3"])
    #expect(to.count == 1 && to[0].contains("--end") && !to[0].contains("--tolerance"), "\(to)")
    #expect(lines(["in.wav", "--ar", "8000"]).first?.contains("(here --rate 8000)") == true, "\(lines(["in.wav", "--ar", "8000"]))")
    #expect(lines(["in.wav", "--overwite"]).first?.contains("--force replaces an existing output") == true, "\(lines(["in.wav", "--overwite"]))")
    #expect(lines(["--input", "in.wav"]).first?.contains("audioprep INPUT -o OUTPUT") == true, "\(lines(["--input", "in.wav"]))")
    #expect(
      lines(["in.wav", "--rate16k"])
        == ["audioprep: --rate16k: audioprep reads an option's value after a space or '=': --rate 16k (see 'audioprep process --help')"])
    #expect(lines(["in.wav", "--gain-3dB"]).first?.contains("--gain -3dB") == true)
    #expect(lines(["batch", "in", "--out-dir", "bx", "--out", "1"]).first?.contains("Did you mean '--out-dir'?") == true, "\(lines(["batch", "in", "--out-dir", "bx", "--out", "1"]))")
  }

  /// 23: `help -x` pointed at process's help; `--help=process` printed the main help, exit 0.
  @Test func helpsOwnErrorsSayWhatHelpTakes() {
    let dash = lines(["help", "-x"])
    #expect(dash.count == 1 && dash[0].hasPrefix("audioprep: help: '-x' is not a command; the commands are ") && !dash[0].contains("process --help"), "\(dash)")
    #expect(
      lines(["--help=process"])
        == ["audioprep: --help=process: --help takes no value; for a command's help: audioprep help process (or audioprep process --help)"])
    #expect(AudioPrep.usageError(["help", "batch"]) == nil)
  }

  /// 24: other tools' habits that had no hint.
  @Test func moreHabitsGetAHint() {
    for (arguments, expected) in [
      (["in.wav", "-o", "x.wav", "dither"], "--dither tpdf"), (["in.wav", "-o", "x.wav", "dither", "-s"], "--dither tpdf"),
      (["in.wav", "-o", "x.wav", "sinc", "80"], "--highpass 80"), (["in.wav", "-o", "x.wav", "speed", "1.1"], "speed"),
      (["in.wav", "-o", "x.wav", "tempo", "1.1"], "tempo"), (["in.wav", "-o", "x.wav", "loudness"], "--loudness"),
      (["in.wav", "-o", "x.wav", "-S"], "progress"), (["in.wav", "-o", "x.wav", "-D"], "--dither"),
      (["in.wav", "-o", "x.wav", "--no-dither"], "--dither"),
      (["in.wav", "-o", "x.wav", "--gain", "6", "dB"], "write the value and its unit as one word: --gain 6dB"),
      (["version", "x.wav"], "did you mean 'audioprep --version'?"),
    ] {
      let got = lines(arguments)
      #expect(got.count == 1 && got[0].contains(expected) && !got[0].contains("takes one INPUT"), "\(arguments): \(got)")
    }
    // `audioprep version` alone is a usage error (64) naming --version, as `Process` is (review29c W5).
    #expect(lines(["version"]).first?.contains("did you mean 'audioprep --version'?") == true)
    // A percentage is a factor, as --speech-threshold takes 50%.
    #expect(AudioPrep.usageError(["in.wav", "--gain", "150%"]) == nil)
    #expect(GainArgument.parse("150%") == 1.5)
  }

  /// 25: `--soxr-quality` without `--resampler soxr` was ignored, where `--true-peak` without
  /// `--loudness` is refused; `--converter` with `--resampler soxr` likewise. Every command
  /// taking the chain's shape (process, batch, info, response) says so.
  @Test func anOptionItsCompanionIgnoresIsRefused() {
    for command in [[], ["batch"], ["info"]] {
      let input = command == ["batch"] ? ["in", "--out-dir", "o"] : ["in.wav"]
      let got = lines(command + input + ["--soxr-quality", "very-high"])
      #expect(got.count == 1 && got[0].contains("--soxr-quality is libsoxr's quality; it needs --resampler soxr"), "\(command): \(got)")
      #expect(lines(command + input + ["--resampler", "soxr", "--converter", "best"]).first?.contains("--converter is libsamplerate's converter; --resampler soxr does not use it") == true)
      #expect(AudioPrep.usageError(command + input + ["--resampler", "soxr", "--soxr-quality", "very-high"]) == nil)
    }
    #expect(lines(["response", "--soxr-quality", "very-high"]).first?.contains("it needs --resampler soxr") == true)
  }

  /// 27: `-o 'out_%d.wav'` without --segment wrote a file literally named `out_%d.wav`.
  @Test func aSegmentPatternWithNothingToSegmentIsRefused() throws {
    let options = try OutputOptions.parse([])
    do {
      _ = try OutputDestination(input: "in.wav", output: "s1/o_%d.wav", options: options, rate: 16000)
      Issue.record("accepted")
    } catch let failure as CommandFailure {
      #expect(failure.code == ExitStatus.usage)
      #expect(
        failure.line
          == "audioprep: s1/o_%d.wav: has a segment number field (%d), but nothing is cut into segments: add --segment LENGTH (or --utterances), or name one file")
    }
  }

  /// 28: the batch summary said "warnings: 1 clipped" without naming the input.
  @Test func theSummaryNamesTheInputsWarnedAbout() {
    let progress = BatchProgress(style: .silent, total: 2, totalBytes: 200)
    var loud = ManifestRecord(
      input: "corp4/loud.wav", relativePath: "loud.wav", output: "br/loud.wav", status: .ok, params: "", shard: nil, corpusInputs: 2,
      shardInputs: 2)
    loud.clippedSamples = 120
    progress.record(loud, bytes: 100)
    progress.record(
      ManifestRecord(
        input: "corp4/a.wav", relativePath: "a.wav", output: "br/a.wav", status: .ok, params: "", shard: nil, corpusInputs: 2, shardInputs: 2),
      bytes: 100)
    let summary = progress.summary(manifest: "br/manifest.jsonl", shard: nil, corpusInputs: 2, stopSignal: 0)
    #expect(summary.contains("; warnings: 1 clipped (corp4/loud.wav);"), "\(summary)")
  }

  /// `-- -i -o out.wav`: after `--` every word is an argument, so `-o` was "a second INPUT;
  /// for several use batch". The line says the options came after `--`.
  @Test func optionsAfterTheDoubleDashAreSaidToBe() {
    let got = lines(["--", "-i", "-o", "out.wav"])
    #expect(
      got == [
        "audioprep: -i, -o: came after '--', which makes every word after it an input; put options before it: audioprep -o out.wav (see 'audioprep process --help')"
      ], "\(got)")
  }
}

/// 24: `scp:wav.scp` (Kaldi's rspecifier) was "no such file".
@Suite struct KaldiRspecifierTests {
  @Test func anRspecifierNamesTheTablesWay() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rspecifier-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let table = directory + "/wav.scp"
    try "utt1 in/talk.wav\n".write(toFile: table, atomically: true, encoding: .utf8)
    do {
      try ProcessCommand.checkInput("scp:" + table)
      Issue.record("accepted")
    } catch let failure as CommandFailure {
      #expect(failure.code == ExitStatus.usage)
      #expect(
        failure.line
          == "audioprep: scp:\(table): is a Kaldi rspecifier; audioprep reads files, not tables: for the files \(table) lists: cut -d' ' -f2- \(table) | audioprep batch --from-list - --out-dir OUT")
    }
  }
}
