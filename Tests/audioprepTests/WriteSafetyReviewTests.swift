import Foundation
import Glibc
import TestSupport
import XCTest

/// Issue #9, second round: the defects a hostile review found in the first guarded write path.
/// Each test failed on the commit before its fix.
extension WriteSafetyTests {
  /// A descriptor path (`/dev/stderr`, `/dev/stdout`, `/dev/fd/N`) is written where the
  /// descriptor is, appending when it appends: it is never reopened at offset 0.
  func testDescriptorOutputsWriteWhereTheDescriptorIs() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 0.3, in: directory)
    let result = try bash(
      """
      printf 'LOG1\\n' > job.log; printf 'OLD\\n' > out.raw; printf 'FD3\\n' > three.raw
      "$AP" in.wav -o o.wav --stats-json /dev/stderr 2>>job.log || echo "stats: $?" >&2
      "$AP" in.wav -o /dev/stdout --format raw >> out.raw || echo "stdout: $?" >&2
      "$AP" in.wav -o /dev/fd/3 --format raw 3>>three.raw || echo "fd3: $?" >&2
      """, in: directory)
    XCTAssertEqual(result.stderr, "")
    XCTAssertEqual(Array(readWholeFile(directory + "/job.log").prefix(5)), Array("LOG1\n".utf8))
    XCTAssertEqual(Array(readWholeFile(directory + "/out.raw").prefix(4)), Array("OLD\n".utf8))
    XCTAssertEqual(readWholeFile(directory + "/out.raw").count, 4 + 4800 * 2)
    XCTAssertEqual(Array(readWholeFile(directory + "/three.raw").prefix(4)), Array("FD3\n".utf8))
  }

  /// Standard input and standard output are compared with the inputs like any file: writing
  /// onto the recording being read is refused (73), however the descriptor is named.
  func testStandardStreamsThatAreInputsAreRefused() throws {
    let directory = try scratchDirectory(self)
    try tone("a.wav", seconds: 0.3, in: directory)
    let before = state(directory + "/a.wav")
    for (name, script) in [
      ("-o /dev/fd/0 < a.wav", "exec \"$AP\" - -o /dev/fd/0 --format wav < a.wav"),
      ("-o /proc/self/fd/0 < a.wav", "exec \"$AP\" - -o /proc/self/fd/0 --format wav < a.wav"),
      ("-o - 1<>a.wav", "exec \"$AP\" a.wav -o - --format wav 1<>a.wav"),
      ("-o - >>a.wav", "exec \"$AP\" a.wav -o - --format wav >>a.wav"),
    ] {
      let result = try bash(script, in: directory)
      XCTAssertEqual(result.status, 73, "\(name): \(result.summary) \(result.stderr)")
      XCTAssertEqual(state(directory + "/a.wav"), before, name)
    }
  }

  /// A symlink to a device, FIFO or descriptor (like /dev/stdout, however spelled) is written
  /// through, never replaced, even with --force.
  func testASymlinkToADescriptorIsWrittenThroughNotReplaced() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 0.3, in: directory)
    try setUpFiles("ln -s /proc/self/fd/1 mystdout", in: directory)
    for force in [[], ["--force"]] {
      let result = try spawnAudioprep(
        ["in.wav", "-o", "mystdout", "--format", "raw"] + force, in: directory, stdoutPath: directory + "/got.raw")
      XCTAssertEqual(result.status, 0, "\(force): \(result.summary) \(result.stderr)")
      XCTAssertEqual(state(directory + "/mystdout")?.linkTarget, "/proc/self/fd/1", "\(force)")
      XCTAssertEqual(readWholeFile(directory + "/got.raw").count, 4800 * 2, "\(force)")
    }
    // Through a pipe, where the link's target is no file at all.
    let piped = try bash("\"$AP\" in.wav -o mystdout --format raw --force | cat > piped.raw", in: directory)
    XCTAssertEqual(piped.status, 0, piped.stderr)
    XCTAssertEqual(readWholeFile(directory + "/piped.raw").count, 4800 * 2)
    XCTAssertEqual(state(directory + "/mystdout")?.linkTarget, "/proc/self/fd/1")
  }

  /// A batch whose --out-dir is the directory of a file argument (or holds it) is refused like
  /// one that is an input directory: a user's file beside the recordings is never replaced.
  func testBatchOutDirHoldingAFileArgumentIsRefused() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles("mkdir corp; echo precious > corp/a.wav; sox -n -r 22050 corp/a.flac synth 0.3 sine 440", in: directory)
    let before = state(directory + "/corp/a.wav")
    for (arguments, place) in [(["batch", "a.flac", "--out-dir", "."], "/corp"), (["batch", "corp/a.flac", "--out-dir", "."], "")] {
      let result = try spawnAudioprep(arguments, in: directory + place)
      XCTAssertEqual(result.status, 64, "\(arguments): \(result.summary) \(result.stderr)")
      XCTAssertEqual(state(directory + "/corp/a.wav"), before, "\(arguments)")
    }
  }

  /// A rerun's check of existing outputs never follows a symlink or opens a FIFO at an output's
  /// name: it ends, and the FIFO is a failed record, not written into.
  func testBatchResumeNeitherFollowsNorBlocksOnOutputs() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      "mkdir rec; sox -n -r 16000 rec/f1.wav synth 0.2 sine 440 vol 0.3; cp rec/f1.wav rec/f2.wav", in: directory)
    XCTAssertEqual(try spawnAudioprep(["batch", "rec", "--out-dir", "o", "--no-progress"], in: directory).status, 0)
    try setUpFiles("ln -sf /dev/zero o/f1.wav; rm o/f2.wav; mkfifo o/f2.wav", in: directory)
    let rerun = try spawnAudioprep(["batch", "rec", "--out-dir", "o", "--no-progress"], in: directory, timeLimit: 10)
    XCTAssertFalse(rerun.timedOut, "the rerun hung on an output")
    XCTAssertEqual(rerun.status, 65, rerun.summary + rerun.stderr)
    XCTAssertEqual(state(directory + "/o/f2.wav")?.type, S_IFIFO)
    XCTAssertEqual(state(directory + "/o/f1.wav")?.type, S_IFREG, "the link is replaced by the output")
  }

  /// A manifest left with a torn last line (a crash, a full disk) never swallows the next run's
  /// first record: appends start on a line of their own.
  func testATornManifestLineNeverSwallowsARecord() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir rec; for i in $(seq 1 12); do sox -n -r 44100 -c 2 rec/f$i.wav synth 2 sine 440 vol 0.3; done
      mkdir o; printf '{"input":"rec/f1.wav","relative_pa' > o/manifest.jsonl
      """, in: directory)
    _ = try spawnAudioprep(
      ["batch", "rec", "--out-dir", "o", "-j", "1", "--no-progress"], in: directory,
      whileRunning: { pid in
        // Interrupted after its first record: the journal is left as appended, not compacted.
        let deadline = Date().addingTimeInterval(8)
        while Date() < deadline, readWholeFile(directory + "/o/manifest.jsonl").filter({ $0 == 10 }).count < 2 {
          usleep(2_000)
        }
        kill(pid, SIGTERM)
      })
    let lines = readWholeFile(directory + "/o/manifest.jsonl").split(separator: 10)
    XCTAssertGreaterThanOrEqual(lines.count, 2)
    XCTAssertEqual(String(decoding: lines[0], as: UTF8.self), "{\"input\":\"rec/f1.wav\",\"relative_pa", "the fragment stays its own line")
    for line in lines.dropFirst() {
      XCTAssertNotNil(try? JSONSerialization.jsonObject(with: Data(line)), String(decoding: line, as: UTF8.self))
    }
  }

  /// Every output of a run is checked before any is written: a --stats-json that cannot be
  /// created leaves no audio output, and a segment run that fails leaves no segments.
  func testARunThatFailsLeavesNoneOfItsOutputs() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 3, in: directory)
    try setUpFiles("echo taken > s.json; mkdir sg; echo taken > sg/seg_002.wav", in: directory)
    for (name, arguments) in [
      ("missing directory", ["in.wav", "-o", "o.wav", "--stats-json", "nodir/s.json"]),
      ("existing stats", ["in.wav", "-o", "o.wav", "--stats-json", "s.json"]),
    ] {
      let result = try spawnAudioprep(arguments, in: directory)
      XCTAssertEqual(result.status, 73, "\(name): \(result.summary) \(result.stderr)")
      XCTAssertNil(state(directory + "/o.wav"), "\(name): the audio output was left")
    }
    let segments = try spawnAudioprep(["in.wav", "--segment", "1s", "-o", "sg/seg_%03d.wav"], in: directory)
    XCTAssertEqual(segments.status, 73, segments.summary + segments.stderr)
    XCTAssertEqual(directoryListing(directory + "/sg"), ["seg_002.wav"], "segments of a failed run were left")
    XCTAssertEqual(temporaries(directory), [])
  }

  /// `-` is standard output for every output a run writes, and two outputs on it conflict.
  func testDashIsStandardOutputForEveryOutput() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 0.3, in: directory)
    try manifest("m.jsonl", in: directory)
    for (name, arguments) in [
      ("stats-json", ["in.wav", "-o", "o.wav", "--stats-json", "-"]), ("svg", ["response", "--svg", "-"]),
      ("merge", ["manifest", "merge", "m.jsonl", "-o", "-"]),
    ] {
      let result = try spawnAudioprep(arguments, in: directory, stdoutPath: directory + "/stdout")
      XCTAssertEqual(result.status, 0, "\(name): \(result.summary) \(result.stderr)")
      XCTAssertFalse(readWholeFile(directory + "/stdout").isEmpty, name)
      XCTAssertNil(state(directory + "/-"), "\(name): a file named - was written")
    }
    let both = try spawnAudioprep(["response", "--svg", "-", "--csv", "-"], in: directory)
    XCTAssertEqual(both.status, 73, both.summary + both.stderr)
    let audioAndStats = try spawnAudioprep(["in.wav", "-o", "-", "--stats-json", "-"], in: directory)
    XCTAssertEqual(audioAndStats.status, 73, audioAndStats.summary + audioAndStats.stderr)
  }

  /// An input that is a stream (a FIFO, /dev/stdin) has no name to put an output beside: like
  /// `-`, its default output is standard output.
  func testAStreamInputDefaultsToStandardOutput() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 0.3, in: directory)
    let result = try bash("mkfifo f; cat in.wav > f & exec \"$AP\" f > got.raw", in: directory)
    XCTAssertEqual(result.status, 0, result.summary + result.stderr)
    XCTAssertEqual(readWholeFile(directory + "/got.raw").count, 4800 * 2)
    XCTAssertNil(state(directory + "/f.16k.wav"))
  }

  /// A manifest must be a file that can be read back (or a device such as /dev/null): a FIFO is
  /// refused at once (73), never waited on.
  func testAManifestOnAFIFOIsRefused() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles("mkdir rec; sox -n -r 16000 rec/f1.wav synth 0.2 sine 440; mkfifo m", in: directory)
    let result = try spawnAudioprep(["batch", "rec", "--out-dir", "o", "--manifest", "m", "--no-progress"], in: directory, timeLimit: 5)
    XCTAssertFalse(result.timedOut, "waited for a reader of the manifest")
    XCTAssertEqual(result.status, 73, result.summary + result.stderr)
  }

  /// Segments shorter than a millisecond would be millions of files an hour: a usage error.
  func testASegmentShorterThanAMillisecondIsAUsageError() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 0.1, in: directory)
    for length in ["0.001ms", "0.5ms", "0s"] {
      let result = try spawnAudioprep(["in.wav", "--segment", length, "-o", "s_%04d.wav"], in: directory)
      XCTAssertEqual(result.status, 64, "\(length): \(result.summary) \(result.stderr)")
    }
    XCTAssertEqual(directoryListing(directory), ["in.wav"])
  }

  /// A device or descriptor output without an extension takes raw samples, as standard output
  /// does: `-o /dev/null` works.
  func testADeviceOutputWithoutAnExtensionIsRaw() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 0.3, in: directory)
    let result = try spawnAudioprep(["in.wav", "-o", "/dev/null"], in: directory)
    XCTAssertEqual(result.status, 0, result.summary + result.stderr)
  }
}
