@testable import AudioPrepCommands
import DSP
import Testing

/// The #21 hostile review's runtime messages, checked on the functions that decide them (the
/// commands print what these return).
@Suite struct RuntimeMessageTests {
  /// A failure already worded as a command's (a segment whose bytes cannot be read back for its
  /// hash) keeps its words, file and code when the run's failure is classified: it was printed
  /// as `audioprep: in.wav: CommandFailure(path: "u_000.wav", message: …, code: 66, …)`, 74.
  @Test func aCommandFailureThrownInsideARunKeepsItsLine() {
    let inner = CommandFailure("u_000.wav", "No such file or directory", code: ExitStatus.noInput)
    let classified = CommandFailure(inner, inputPath: "in.wav")
    #expect(classified.line == "audioprep: u_000.wav: No such file or directory")
    #expect(classified.code == ExitStatus.noInput)
  }

  /// `-o m.wav --format flac` wrote FLAC into m.wav; now a usage error naming both ways out.
  @Test func aFormatThatContradictsTheExtensionIsRefused() {
    #expect(
      OutputChecks.formatContradiction(output: "m.wav", format: .flac)
        == "-o m.wav says .wav but --format is flac; name it m.flac, or drop --format")
    #expect(AudioPrep.usageError(["in.wav", "-o", "m.wav", "--format", "flac"])?.hasPrefix("audioprep: -o m.wav says .wav") == true)
    #expect(AudioPrep.usageError(["in.wav", "-o", "x_%03d.wav", "--segment", "30s", "--format", "mp3"]) != nil)
    for (output, format) in [("m.flac", Container.flac), ("m.ogg", .opus), ("m.out", .flac), ("-", .wav), ("m.WAV", .wav)] {
      #expect(OutputChecks.formatContradiction(output: output, format: format) == nil, "\(output) \(format)")
    }
  }

  /// Binary audio to a terminal is refused (as gzip does) unless --force; a pipe or a file is not.
  @Test func audioToATerminalIsRefused() {
    #expect(OutputChecks.terminalRefusal(writesStandardOutput: true, force: false, standardOutputIsTerminal: true) != nil)
    #expect(OutputChecks.terminalRefusal(writesStandardOutput: true, force: true, standardOutputIsTerminal: true) == nil)
    #expect(OutputChecks.terminalRefusal(writesStandardOutput: true, force: false, standardOutputIsTerminal: false) == nil)
    #expect(OutputChecks.terminalRefusal(writesStandardOutput: false, force: false, standardOutputIsTerminal: true) == nil)
  }

  /// `--start` past the end wrote an empty WAV silently; the warning names the input.
  @Test func aStartPastTheEndIsWarnedAboutNamingTheInput() {
    let past = OutputChecks.rangePastTheEnd(input: "talk.wav", range: TimeRange(startSeconds: 100), inputSeconds: 12.5)
    #expect(past == "audioprep: talk.wav: --start 100s is at or past the end of the input (12.500 s); the output is empty")
    // In the user's digits, never an exponent (review34a A17: `--start 9999999` was "1e+07s").
    let far = OutputChecks.rangePastTheEnd(input: "talk.wav", range: TimeRange(startSeconds: 9_999_999), inputSeconds: 12.5)
    #expect(far?.contains("--start 9999999s is at or past") == true)
    #expect(OutputChecks.rangePastTheEnd(input: "talk.wav", range: TimeRange(startSeconds: 5), inputSeconds: 12.5) == nil)
    #expect(OutputChecks.rangePastTheEnd(input: "talk.wav", range: nil, inputSeconds: 12.5) == nil)
  }

  /// A bare number of 10 or more for an option users write in milliseconds is seconds: said.
  @Test func aBareNumberThatIsSecondsIsSaid() throws {
    let options = try OutputOptions.parse(["--utterances", "--min-speech", "250", "--speech-pad", "0.03", "--min-silence", "100ms"])
    #expect(options.warnings == ["audioprep: --min-speech 250 is 250 seconds (a bare number is seconds); for milliseconds write 250ms"])
  }

  /// "1 regions", "1 inputs": one counted thing is singular.
  @Test func oneThingIsSingular() {
    #expect(Text.count(1, "region") == "1 region")
    #expect(Text.count(0, "region") == "0 regions")
    #expect(Text.count(2, "sample") == "2 samples")
    let progress = BatchProgress(style: .silent, total: 1, totalBytes: 1)
    #expect(progress.summary(manifest: "m", shard: nil, corpusInputs: 1, stopSignal: 0).hasPrefix("audioprep: batch: 1 input: "))
  }

  /// A wav.scp given to --from-list ("ID PATH" lines) is named, with the command that turns it
  /// into paths; an ordinary list, even of names with spaces, is not.
  @Test func aKaldiTableGivenAsAListGetsAHint() {
    let exists = { (path: String) in ["/data/a.wav", "my talk.wav"].contains(path) }
    let hint = InputCollector.kaldiTableHint(listPath: "wav.scp", firstLine: "utt1 /data/a.wav", exists: exists)
    #expect(hint?.hasPrefix("line 1 ('utt1 /data/a.wav') is a Kaldi table line (ID PATH), not a path; --from-list takes one path a line: cut -d' ' -f2- wav.scp | audioprep batch --from-list -") == true)
    #expect(InputCollector.kaldiTableHint(listPath: "l", firstLine: "utt1 sox /data/a.flac -t wav - |", exists: exists)?.contains("needs its file first") == true)
    #expect(InputCollector.kaldiTableHint(listPath: "l", firstLine: "my talk.wav", exists: exists) == nil)
    #expect(InputCollector.kaldiTableHint(listPath: "l", firstLine: "/data/a.wav", exists: exists) == nil)
  }

  /// The progress line on a terminal is cut to its width (a longer one wraps and leaves a line
  /// per redraw); in a pipe a new line comes at most every half second, as documented (it came
  /// per file).
  @Test func theProgressLineFitsTheTerminalAndPipesGetTheInterval() {
    let redrawn = BatchProgress(style: .redrawn, total: 3, totalBytes: 300)
    redrawn.started(String(repeating: "long-directory-name/", count: 10) + "a.flac")
    let line = redrawn.output(now: 0, columns: 60)!
    let visible = line.dropFirst().replacing("\u{1B}[K", with: "")
    // The name in flight is cut in its middle, so its end (the file's own name) stays.
    #expect(visible.count == 59 && visible.contains("…") && visible.hasSuffix("a.flac"), "\(visible)")

    let appended = BatchProgress(style: .appended, total: 3, totalBytes: 300)
    let record = { (path: String) in
      ManifestRecord(input: path, relativePath: path, output: "o/" + path, status: .ok, params: "", shard: nil, corpusInputs: 3, shardInputs: 3)
    }
    appended.record(record("a"), bytes: 100)
    #expect(appended.output(now: 10, columns: 80) != nil)
    appended.record(record("b"), bytes: 100)
    #expect(appended.output(now: 10.2, columns: 80) == nil)  // within half a second
    #expect(appended.output(now: 10.6, columns: 80)?.hasPrefix("audioprep: batch: 2/3 files") == true)
    #expect(appended.output(now: 11.5, columns: 80) == nil)  // nothing finished since
  }
}
