import Foundation
import TestSupport
import XCTest

/// Issue #10, "works with what users already run": the choices a sox or ffmpeg user expects
/// from options, messages, exit codes, help and completion.
final class UserExpectationTests: XCTestCase {
  // MARK: exit codes and messages

  func testNegativeNumbersAreValuesNotOptions() throws {
    let q = try audioprep([fixtures + "/speech.wav", "-o", "-", "--q", "-3"])
    XCTAssertEqual(q.status, 0, q.stderr)
    XCTAssertFalse(q.stdout.isEmpty)
    let gain = try audioprep([fixtures + "/speech.wav", "-o", "-", "--gain", "-1"])
    XCTAssertEqual(gain.status, 64)
    XCTAssertEqual(gain.stderrLines.count, 1, gain.stderr)
    XCTAssertTrue(gain.stderr.hasPrefix("audioprep: --gain: '-1' has a sign but no unit"), gain.stderr)
  }

  func testOutputFormatsLibsndfileCannotWriteAreUsageErrorsBeforeAnyWork() throws {
    let directory = try scratchDirectory(self)
    try HostileInputs.wav(channels: 1024, data: Data(count: 1024 * 2 * 160)).write(
      to: URL(fileURLWithPath: directory + "/many.wav"))
    for arguments in [
      [fixtures + "/speech.wav", "-o", "x.flac", "--encoding", "s32"],
      [fixtures + "/speech.wav", "-o", "x.flac", "--encoding", "f32"],
      ["many.wav", "--keep-channels", "-o", "x.ogg"],
      ["many.wav", "--keep-channels", "-o", "x.opus"],
      ["many.wav", "--keep-channels", "-o", "x.mp3"],
      ["many.wav", "--keep-channels", "-o", "x.flac"],
    ] {
      let result = try audioprep(arguments, in: directory)
      XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
      XCTAssertEqual(result.stderrLines.count, 1, "\(arguments): \(result.stderr)")
      XCTAssertTrue(result.stderr.hasPrefix("audioprep: x."), result.stderr)
      XCTAssertEqual(directoryListing(directory), ["many.wav"], "\(arguments)")
    }
  }

  func testOneHertzHeaderIsBadDataInEveryCommand() throws {
    let directory = try scratchDirectory(self)
    try HostileInputs.wav(rate: 1, data: Data(count: 320)).write(to: URL(fileURLWithPath: directory + "/slow.wav"))
    for arguments in [["slow.wav", "-o", "-"], ["info", "slow.wav"], ["batch", "slow.wav", "--out-dir", "out"]] {
      let result = try audioprep(arguments, in: directory)
      XCTAssertEqual(result.status, 65, "\(arguments): \(result.stderr)")
    }
  }

  func testGoldenOfAnotherRateNamesTheGoldenFile() throws {
    let golden = fixtures + "/speech.wav"  // 22050 Hz; the output is 16 kHz
    let result = try audioprep([fixtures + "/mono16k.wav", "--golden", golden])
    XCTAssertEqual(result.status, 65, result.stderr)
    XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
    XCTAssertTrue(result.stderr.hasPrefix("audioprep: \(golden): "), result.stderr)
  }

  func testChannelBeyondTheInputIsAUsageErrorNamingTheInput() throws {
    let directory = try scratchDirectory(self)
    let input = fixtures + "/mono16k.wav"
    let result = try audioprep([input, "--channel", "5", "-o", "x.wav"], in: directory)
    XCTAssertEqual(result.status, 64, result.stderr)
    XCTAssertEqual(result.stderrLines, ["audioprep: \(input): channel 5 does not exist (the input has 1, numbered from 0)"])
    XCTAssertEqual(directoryListing(directory), [])
    XCTAssertEqual(try audioprep([input, "--channel", "0", "-o", "-"]).status, 0)
  }

  func testPathWithControlCharactersStaysOnOneLine() throws {
    let directory = try scratchDirectory(self)
    let result = try audioprep(["a\nb\tc\u{1B}.wav"], in: directory)
    XCTAssertEqual(result.status, 66)
    XCTAssertEqual(result.stderrLines, ["audioprep: a\\nb\\tc\\033.wav: No such file or directory"])
  }

  func testFormatIsCaseInsensitiveAndABadOneIsOneLine() throws {
    let upper = try audioprep([fixtures + "/mono16k.wav", "-o", "-", "--format", "WAV"])
    XCTAssertEqual(upper.status, 0, upper.stderr)
    XCTAssertEqual(upper.stdout.prefix(4), Data("RIFF".utf8))
    let bad = try audioprep([fixtures + "/mono16k.wav", "-o", "-", "--format", "mp4"])
    XCTAssertEqual(bad.status, 64)
    XCTAssertEqual(
      bad.stderrLines,
      ["audioprep: --format: 'mp4' is not one of wav, flac, ogg, opus, mp3, aiff, caf, raw (see 'audioprep process --help')"])
  }

  func testOutputWithoutExtensionAsksForFormat() throws {
    let directory = try scratchDirectory(self)
    let result = try audioprep([fixtures + "/mono16k.wav", "-o", "noext"], in: directory)
    XCTAssertEqual(result.status, 64)
    XCTAssertEqual(result.stderrLines, ["audioprep: noext: cannot tell the container from 'noext' (no extension); add --format"])
  }

  // MARK: help and completion

  func help(_ command: String) throws -> String {
    let result = try audioprep([command, "--help"])
    XCTAssertEqual(result.status, 0, result.stderr)
    return String(decoding: result.stdout, as: UTF8.self)
  }

  func testEachCommandsHelpListsOnlyWhatItUses() throws {
    let batch = try help("batch")
    XCTAssertFalse(batch.contains("--output"), batch)
    XCTAssertFalse(batch.contains("(default: the number of cores). (default:"), batch)
    for option in ["--live", "--pad", "--buffer-chunks", "--chunk-ms", "--force", "--encoding"] {
      XCTAssertFalse(try help("info").contains(option), "info lists \(option)")
    }
    for option in ["--live", "--pad", "--buffer-chunks", "--keep-channels", "--channel ", "--threads"] {
      XCTAssertFalse(try help("response").contains(option), "response lists \(option)")
    }
    XCTAssertTrue(try help("info").contains("--threads"))
    XCTAssertTrue(try help("process").contains("--live"))
  }

  func testBatchQuietAndSummary() throws {
    let directory = try scratchDirectory(self)
    try FileManager.default.createDirectory(atPath: directory + "/in", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: fixtures + "/mono16k.wav", toPath: directory + "/in/a.wav")
    // A manifest with a line that is not a record (a record a crash tore; any other line makes
    // it no manifest, 73): its warning is one -q silences.
    XCTAssertEqual(try audioprep(["batch", "in", "--out-dir", "out", "-q"], in: directory).status, 0)
    let manifest = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/out/manifest.jsonl"))
    manifest.seekToEndOfFile()
    manifest.write(Data("{\"input\":\"in/b.wav\",\"relat\n".utf8))
    manifest.closeFile()
    let quiet = try audioprep(["batch", "in", "--out-dir", "out", "-q"], in: directory)
    XCTAssertEqual(quiet.status, 0, quiet.stderr)
    XCTAssertEqual(quiet.stderr, "")
    let summary = try audioprep(["batch", "in", "--out-dir", "out", "--quiet", "--summary", "--force"], in: directory)
    XCTAssertEqual(summary.status, 0, summary.stderr)
    XCTAssertEqual(summary.stderrLines.count, 1, summary.stderr)
    XCTAssertTrue(summary.stderr.hasPrefix("audioprep: batch: 1 input:"), summary.stderr)
  }

  /// Sources the bash script and asks `_audioprep` for the words of `line`, the cursor at its end.
  func bashCompletions(_ line: String, in directory: String) throws -> [String] {
    let script = try audioprep(["--generate-completion-script", "bash"])
    XCTAssertEqual(script.status, 0, script.stderr)
    let path = directory + "/audioprep.bash"
    try script.stdout.write(to: URL(fileURLWithPath: path))
    let bash = Process()
    bash.executableURL = URL(fileURLWithPath: "/bin/bash")
    bash.currentDirectoryURL = URL(fileURLWithPath: directory)
    bash.arguments = [
      "-c",
      """
      source "$0"
      COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}
      read -ra COMP_WORDS <<< "$COMP_LINE"
      [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
      COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
      _audioprep audioprep "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
      printf '%s\\n' "${COMPREPLY[@]}"
      """,
      path, line,
    ]
    let output = Pipe()
    bash.standardOutput = output
    try bash.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    bash.waitUntilExit()
    return text.split(separator: "\n").map(String.init)
  }

  func testBashCompletesFileNamesAlsoForTheImplicitProcess() throws {
    let directory = try scratchDirectory(self)
    try FileManager.default.createDirectory(atPath: directory + "/Fixtures", withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: directory + "/talk.flac", contents: Data())
    XCTAssertEqual(try bashCompletions("audioprep Fix", in: directory), ["Fixtures"])
    XCTAssertEqual(try bashCompletions("audioprep process ta", in: directory), ["talk.flac"])
    XCTAssertEqual(try bashCompletions("audioprep talk.flac -o Fix", in: directory), ["Fixtures"])
    XCTAssertEqual(try bashCompletions("audioprep talk.flac --stats-json ta", in: directory), ["talk.flac"])
    XCTAssertEqual(try bashCompletions("audioprep batch talk.flac --out-dir ", in: directory), ["Fixtures"])
    XCTAssertEqual(try bashCompletions("audioprep info ta", in: directory), ["talk.flac"])
    XCTAssertTrue(try bashCompletions("audioprep ", in: directory).contains("batch"))
  }

  /// As process does (one rule, `PipelineConfiguration.makeResampler`): standard input is a
  /// stream and resamples on one thread, whatever --threads says; a file uses the threads.
  func testInfoOnStandardInputDescribesOneResamplingThread() throws {
    let bytes = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/speech.wav"))
    for engine in ["libsamplerate", "libsamplerate-direct"] {
      for threads in [[], ["--threads", "2"]] {
        let result = try audioprep(["info", "-", "--resampler", engine] + threads, stdin: bytes)
        XCTAssertEqual(result.status, 0, result.stderr)
        let text = String(decoding: result.stdout, as: UTF8.self)
        XCTAssertTrue(text.contains("resample: "), text)
        XCTAssertFalse(text.contains(" threads"), text)
      }
      let file = try audioprep(["info", fixtures + "/speech.wav", "--resampler", engine, "--threads", "2"])
      XCTAssertTrue(String(decoding: file.stdout, as: UTF8.self).contains("2 threads"), engine)
    }
  }

  // MARK: live from a file

  func testLiveWithARegularFileWarnsThatDropsDependOnScheduling() throws {
    let live = try audioprep([fixtures + "/mono16k.wav", "-o", "-", "--live"])
    XCTAssertEqual(live.status, 0, live.stderr)
    XCTAssertEqual(live.stderrLines.filter { $0.contains("--live") && $0.contains("regular file") }.count, 1, live.stderr)
    XCTAssertEqual(try audioprep([fixtures + "/mono16k.wav", "-o", "-", "--live", "-q"]).stderr, "")
    let bytes = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/mono16k.wav"))
    XCTAssertFalse(try audioprep(["-", "-o", "-", "--live"], stdin: bytes).stderr.contains("regular file"))
  }
}
