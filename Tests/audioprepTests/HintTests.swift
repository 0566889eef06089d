import Foundation
import TestSupport
import XCTest

/// Issue 21, "speaks the user's language": each usage error names what would work. Every test
/// here failed before: the old lines were "Did you mean '--q'?", "is a directory",
/// "Unexpected argument", "add --format", "invalid", and `help nosuch` exited 0.
final class HintTests: XCTestCase {
  private func usageError(_ arguments: [String], in directory: String? = nil) throws -> String {
    let result = try audioprep(arguments, in: directory)
    XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
    XCTAssertEqual(result.stderrLines.count, 1, "\(arguments): \(result.stderr)")
    return result.stderr.trimmingCharacters(in: .newlines)
  }

  /// ffmpeg's and sox's options name audioprep's.
  func testForeignOptionsNameAudioprepsOption() throws {
    let input = fixtures + "/speech.wav"
    for (arguments, names) in [
      (["-ar", "16000"], "--rate"), (["-ac", "1"], "--channel"), (["-ss", "3"], "--start"), (["-t", "raw"], "--format"),
      (["-r", "16k"], "--rate"), (["-c", "1"], "--in-channels"),
    ] {
      let line = try usageError([input, "-o", "-"] + arguments)
      XCTAssertTrue(line.hasPrefix("audioprep: \(arguments[0]) is "), line)
      XCTAssertTrue(line.contains(names), line)
      XCTAssertFalse(line.contains("Did you mean"), line)
    }
  }

  func testRatesGainsAndCutOffsTakeUnits() throws {
    let plain = try audioprep([fixtures + "/speech.wav", "-o", "-", "--rate", "22050", "--gain", "0.5", "--highpass", "100"])
    let units = try audioprep([fixtures + "/speech.wav", "-o", "-", "--rate", "22.05kHz", "--gain", "-6.0206dB", "--highpass", "0.1k"])
    XCTAssertEqual(plain.status, 0, plain.stderr)
    XCTAssertEqual(units.status, 0, units.stderr)
    // -6.0206 dB is 0.49999 linear: the same s16 samples as 0.5 within one step.
    XCTAssertEqual(plain.stdout.count, units.stdout.count)
    let a = plain.stdout.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
    let b = units.stdout.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
    XCTAssertLessThanOrEqual(zip(a, b).map { abs(Int($0) - Int($1)) }.max() ?? 99, 1)
  }

  /// A duration that does not read names the forms that do (it said only "is invalid").
  func testADurationThatDoesNotReadNamesTheFormsThatDo() throws {
    for option in ["--segment", "--start", "--min-speech"] {
      XCTAssertEqual(
        try usageError([fixtures + "/speech.wav", "-o", "x_%04d.wav", option, "1x"]),
        "audioprep: \(option): '1x' is not a duration: give seconds as 30, 30s, 1.5s, 100ms, 2m, 1h, 1m30s, 1:30 or 0:01:30.5 (see 'audioprep process --help')")
    }
  }

  /// ffmpeg's single-dash words hold an `h`, which argument-parser took for -h: `-threads 4` and
  /// `-hide_banner` printed the help and exited 0, processing nothing. They are usage errors
  /// naming what audioprep takes (#21, found by a hostile review).
  func testFfmpegsSingleDashWordsAreUsageErrorsNotHelp() throws {
    let directory = try scratchDirectory(self)
    for (arguments, names) in [
      (["-threads", "4"], "--threads"), (["-hide_banner"], "-hide_banner"), (["-sh"], "-sh"),
    ] {
      let line = try usageError([fixtures + "/speech.wav", "-o", "x.wav"] + arguments, in: directory)
      XCTAssertTrue(line.contains(names), "\(arguments): \(line)")
      XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/x.wav"))
    }
    let batch = try usageError(["batch", fixtures, "--out-dir", "o", "-threads", "2"], in: directory)
    XCTAssertTrue(batch.contains("--threads"), batch)
    XCTAssertEqual(try audioprep(["-h"]).status, 0)  // -h itself is help
  }

  func testADirectoryInputPointsToBatch() throws {
    let directory = try scratchDirectory(self)
    try FileManager.default.createDirectory(atPath: directory + "/corpus", withIntermediateDirectories: true)
    let result = try audioprep(["corpus"], in: directory)
    XCTAssertEqual(result.status, 66)
    XCTAssertEqual(result.stderrLines, ["audioprep: corpus: is a directory, not an audio file; for a whole directory use 'audioprep batch corpus --out-dir OUT'"])
  }

  /// Every command that reads a file says of a directory what `process` and the library say
  /// (`verify` and `--golden` said "is a directory": review30p, W9, the same rule next door).
  func testEveryReaderOfAFileSaysTheSameOfADirectory() throws {
    let directory = try scratchDirectory(self)
    try FileManager.default.createDirectory(atPath: directory + "/corpus", withIntermediateDirectories: true)
    let speech = fixtures + "/speech.wav"
    for arguments in [["verify", "corpus", speech], ["verify", speech, "corpus"], [speech, "--golden", "corpus", "-o", "x.wav"]] {
      let result = try audioprep(arguments, in: directory)
      XCTAssertEqual(result.status, 66, "\(arguments)")
      XCTAssertEqual(result.stderrLines, ["audioprep: corpus: is a directory, not an audio file"], "\(arguments)")
    }
  }

  func testTwoInputsPointToBatch() throws {
    let line = try usageError([fixtures + "/speech.wav", fixtures + "/speech.flac"])
    XCTAssertEqual(
      line,
      "audioprep: \(fixtures)/speech.flac: process takes one INPUT; for several use 'audioprep batch INPUT... --out-dir OUT' (to write over it instead: 'audioprep INPUT -o \(fixtures)/speech.flac --force') (see 'audioprep process --help')"
    )
  }

  func testAContainerItCannotWriteListsTheOnesItCan() throws {
    let directory = try scratchDirectory(self)
    let line = try usageError([fixtures + "/speech.wav", "-o", "x.m4a"], in: directory)
    // Not "(or name one with --format)": a WAV named .m4a is refused (review21f).
    XCTAssertEqual(line, "audioprep: x.m4a: audioprep does not write .m4a; it writes .wav .flac .ogg .opus .mp3 .aiff .caf .raw: name the output with one of them")
    let unknown = try usageError([fixtures + "/speech.wav", "-o", "x.out"], in: directory)
    XCTAssertTrue(unknown.hasSuffix("(or name one with --format)"), unknown)
    // A directory that does not exist is not called one (review21f); it cannot be created
    // as a file: 73 (review29c W9).
    let toDirectory = try audioprep([fixtures + "/speech.wav", "-o", "outdir/"], in: directory)
    XCTAssertEqual(toDirectory.status, 73, toDirectory.stderr)
    XCTAssertTrue(toDirectory.stderr.hasPrefix("audioprep: outdir/: no such directory; -o names a file"), toDirectory.stderr)
    XCTAssertTrue(toDirectory.stderr.contains("audioprep batch"), toDirectory.stderr)
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])
    // A directory named like a file (`-o x.wav`) is still an output that cannot be created (73).
    try FileManager.default.createDirectory(atPath: directory + "/x.wav", withIntermediateDirectories: false)
    let named = try audioprep([fixtures + "/speech.wav", "-o", "x.wav"], in: directory)
    XCTAssertEqual(named.status, 73, named.stderr)
    XCTAssertTrue(named.stderr.hasPrefix("audioprep: x.wav: is a directory; -o names a file"), named.stderr)
  }

  func testAShardOutOfRangeSaysHowKCounts() throws {
    let line = try usageError(["batch", fixtures, "--out-dir", "/nonexistent/out", "--shard", "10/10"])
    XCTAssertEqual(line, "audioprep: --shard: '10/10' is not a shard: K counts from 0 to N-1 (0/10 … 9/10) (see 'audioprep batch --help')")
  }

  func testAnUnknownHelpTopicIsAUsageErrorListingTheCommands() throws {
    let line = try usageError(["help", "nosuch"])
    XCTAssertEqual(line, "audioprep: help: no command 'nosuch'; the commands are process, batch, manifest, verify, info, response")
    let known = try audioprep(["help", "batch"])
    XCTAssertEqual(known.status, 0)
    XCTAssertTrue(String(decoding: known.stdout, as: UTF8.self).contains("--out-dir"))
    // The same rule a level down: a subcommand that is not there (it printed manifest's help, 0).
    XCTAssertEqual(
      try usageError(["help", "manifest", "nosuch"]),
      "audioprep: help: manifest has no subcommand 'nosuch'; its subcommands are merge, export")
    XCTAssertEqual(try usageError(["help", "process", "nosuch"]), "audioprep: help: process has no subcommands")
    let subcommand = try audioprep(["help", "manifest", "export"])
    XCTAssertEqual(subcommand.status, 0)
    XCTAssertTrue(String(decoding: subcommand.stdout, as: UTF8.self).contains("--to"))
  }

  /// review32i W8: --help beside a word that does not parse (`--help --rate`, the value
  /// missing) prints the help and exits 0, as sox's and ffmpeg's --help do (it was 64).
  func testHelpBesideAnUnparsedWordIsTheHelp() throws {
    for arguments in [["--help", "--rate"], ["info", "--help", "--rate"], ["batch", "-h", "--jobs"]] {
      let result = try audioprep(arguments)
      XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)")
      XCTAssertTrue(String(decoding: result.stdout, as: UTF8.self).hasPrefix("OVERVIEW: "), "\(arguments)")
    }
  }

  /// The arecord example writes raw samples; raw input that starts with a container's
  /// signature is warned about once, and the output is the same as without the warning.
  func testRawInputWithAContainerSignatureWarnsOnce() throws {
    let help = try audioprep(["help", "process"])
    XCTAssertTrue(String(decoding: help.stdout, as: UTF8.self).contains("arecord -f S16_LE -r 48000 -c 1 -t raw |\n"))
    let raw = ["--in-rate", "16k", "--in-channels", "1", "--in-encoding", "s16", "-o", "-"]
    let wav = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/speech.wav"))
    var headerless = wav
    headerless.replaceSubrange(0..<4, with: Array("JUNK".utf8))
    // Each with its article ("an Ogg": it said "a Ogg"); AIFF and CAF were not warned about.
    for (bytes, name) in [
      (wav, "a WAV"), (Data("fLaC".utf8) + wav.dropFirst(4), "a FLAC"), (Data("OggS".utf8) + wav.dropFirst(4), "an Ogg"),
      (Data("ID3".utf8) + wav.dropFirst(3), "an MP3 (ID3)"), (Data("FORM".utf8) + wav.dropFirst(4), "an AIFF"),
      (Data("caff".utf8) + wav.dropFirst(4), "a CAF"),
    ] {
      let result = try audioprep(["-"] + raw, stdin: bytes)
      XCTAssertEqual(result.status, 0, result.stderr)
      XCTAssertEqual(result.stderrLines.filter { $0.contains("raw input") }.count, 1, result.stderr)
      XCTAssertTrue(result.stderr.contains("audioprep: -: raw input (--in-*) starts with \(name) header"), result.stderr)
      // arecord writes WAV headers, to a pipe: its advice is for those only.
      XCTAssertEqual(result.stderr.contains("add -t raw"), name == "a WAV", result.stderr)
    }
    // Without a signature: no warning, and the samples after the first 4 bytes are the same.
    let plain = try audioprep(["-"] + raw, stdin: headerless)
    let warned = try audioprep(["-"] + raw, stdin: wav)
    XCTAssertFalse(plain.stderr.contains("raw input"), plain.stderr)
    XCTAssertEqual(plain.stdout.count, warned.stdout.count)
    // A file whose name does not say raw is refused naming its header (review21e 13: its
    // header was decoded as samples, exit 0); named .raw, it is read as asked, with the warning.
    let byName = try audioprep([fixtures + "/speech.wav"] + raw)
    XCTAssertEqual(byName.status, 64, byName.stderr)
    XCTAssertEqual(byName.stderrLines.count, 1, byName.stderr)
    XCTAssertTrue(byName.stderr.hasPrefix("audioprep: \(fixtures)/speech.wav: is a WAV file (it starts with 'RIFF'); --in-rate, --in-channels, --in-encoding are for headerless input"), byName.stderr)
    let directory = try scratchDirectory(self)
    try wav.write(to: URL(fileURLWithPath: directory + "/speech.raw"))
    let namedRaw = try audioprep([directory + "/speech.raw"] + raw)
    XCTAssertTrue(namedRaw.stderr.contains("audioprep: \(directory)/speech.raw: raw input (--in-*) starts with a WAV header"), namedRaw.stderr)
    XCTAssertFalse(namedRaw.stderr.contains("arecord"), namedRaw.stderr)  // a file is not arecord's output
  }

  /// Samples on standard input with no --in-* options name them (#21 review: "-: not a
  /// readable audio file (Format not recognised)" alone, where `x.raw` named all three).
  func testRawSamplesOnStandardInputNameTheRawOptions() throws {
    // Noise from a fixed seed: fresh random bytes were now and then probed by FFmpeg as raw
    // H.263 ("without an audio stream"), and the test failed one run in a few hundred.
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    let samples = Data((0..<32000).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: state >> 56)
    })
    let result = try audioprep(["-", "-o", "-"], stdin: samples)
    XCTAssertEqual(result.status, 65, result.stderr)
    XCTAssertEqual(
      result.stderr,
      "audioprep: -: not a readable audio file (Format not recognised); raw samples need --in-rate, --in-channels and --in-encoding (e.g. --in-rate 16k --in-channels 1 --in-encoding s16)\n")
  }

  /// A recognised container's own fault on standard input is not told about raw samples: a
  /// WAV whose LIST chunk runs past its end (review34a A3).
  func testAContainersFaultOnStandardInputIsNotCalledRawSamples() throws {
    let wav = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/mono16k.wav"))
    var size = UInt32(0xFFFF_FFF0).littleEndian
    let list = Data("LIST".utf8) + Data(bytes: &size, count: 4) + Data("INFO".utf8)
    let result = try audioprep(["-", "-o", "-"], stdin: wav.prefix(12) + list + wav.dropFirst(12))
    XCTAssertEqual(result.status, 65, result.stderr)
    XCTAssertTrue(result.stderr.hasPrefix("audioprep: -: "), result.stderr)
    XCTAssertFalse(result.stderr.contains("raw samples need"), result.stderr)
  }

  /// review32h W9: a file that exists under a name no option has (`-3dB`) is named as a file
  /// (`./-3dB`), as `-9.flac` is (was "Missing expected argument '<input>'"). Needs the binary:
  /// the name is relative to the directory it runs in.
  func testAFileNamedLikeANumberIsNamedAsAFile() throws {
    let directory = try scratchDirectory(self)
    try FileManager.default.copyItem(atPath: fixtures + "/speech.wav", toPath: directory + "/-3dB")
    let line = try usageError(["-3dB", "-o", "o.wav"], in: directory)
    XCTAssertTrue(line.contains("a file of that name is ./-3dB"), line)
  }
}
