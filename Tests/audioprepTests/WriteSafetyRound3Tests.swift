import Foundation
import Glibc
import TestSupport
import XCTest

/// Issue #9, third round: what a second hostile review found. Each test failed on the commit
/// before its fix.
extension WriteSafetyTests {
  /// A descriptor path whose file can seek (stdout redirected to a file) is written from where
  /// the descriptor is, as a stream: libsndfile is never let seek it back to byte 0.
  func testADescriptorOnAFileIsWrittenAsAStreamFromItsOffset() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 0.3, in: directory)
    let result = try bash(
      """
      { printf 'PRECIOUS\\n'; "$AP" in.wav -o /dev/stdout --format wav; } > f.bin || echo "wav: $?" >&2
      : > empty.wav; "$AP" in.wav -o /dev/stdout --format wav >> empty.wav || echo "append: $?" >&2
      "$AP" in.wav -o /dev/stdout --format flac > x.flac; echo "flac: $?" >&2
      """, in: directory)
    XCTAssertTrue(result.stderr.hasSuffix("flac: 73\n"), "a file behind a descriptor cannot take FLAC: \(result.stderr)")
    let bytes = readWholeFile(directory + "/f.bin")
    XCTAssertEqual(Array(bytes.prefix(9)), Array("PRECIOUS\n".utf8))
    XCTAssertEqual(bytes.count, 9 + 44 + 4800 * 2)
    XCTAssertEqual(readWholeFile(directory + "/empty.wav").count, 44 + 4800 * 2)
    let check = try bash(
      "/usr/bin/python3 -c 'import wave; w = wave.open(\"empty.wav\"); print(w.getnframes())'", in: directory)
    XCTAssertEqual(String(decoding: check.stdout, as: UTF8.self), "4800\n", check.stderr)
  }

  /// A descriptor the caller did not open is refused (73): it could only be one of audioprep's
  /// own (its copy of standard error, an input, a directory).
  func testADescriptorTheCallerDidNotOpenIsRefused() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 0.3, in: directory)
    for number in [3, 4, 5, 9] {
      // Only 0, 1 and 2 are handed over (the test runner's own descriptors are closed first).
      let result = try bash(
        "for fd in $(seq 3 30); do eval \"exec $fd>&-\"; done; exec \"$AP\" in.wav -o /dev/fd/\(number) --format raw 2>err",
        in: directory)
      XCTAssertEqual(result.status, 73, "fd \(number): \(result.summary)")
      XCTAssertEqual(readWholeFile(directory + "/err").filter { $0 == 10 }.count, 1, "fd \(number): one line")
    }
  }

  /// Batches sharing one manifest (shards run at once, or one after the other) never lose each
  /// other's records: a run compacts the manifest only when it is its only writer, and keeps
  /// every record that is not its own.
  func testShardsSharingOneManifestKeepEveryRecord() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles("mkdir corp; for i in $(seq 1 12); do sox -n -r 16000 corp/f$i.wav synth 0.$i sine 440; done", in: directory)
    let together = try bash(
      """
      for k in 0 1 2; do "$AP" batch corp --out-dir so --shard $k/3 --manifest so/all.jsonl --no-progress 2>/dev/null & done; wait
      for k in 0 1 2; do "$AP" batch corp --out-dir so2 --shard $k/3 --manifest so2/all.jsonl --no-progress 2>/dev/null; done
      """, in: directory)
    XCTAssertEqual(together.status, 0, together.stderr)
    for manifest in ["so/all.jsonl", "so2/all.jsonl"] {
      let records = try manifestRecords(directory + "/" + manifest)
      XCTAssertEqual(Set(records.compactMap { $0["relative_path"] as? String }).count, 12, manifest)
    }
  }

  /// `--manifest -` is standard output, like every other `-`.
  func testAManifestOnStandardOutput() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles("mkdir corp; sox -n -r 16000 corp/f1.wav synth 0.2 sine 440", in: directory)
    let result = try spawnAudioprep(
      ["batch", "corp", "--out-dir", "o", "--manifest", "-", "--no-progress"], in: directory,
      stdoutPath: directory + "/stdout")
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertNil(state(directory + "/-"))
    XCTAssertTrue(String(decoding: readWholeFile(directory + "/stdout"), as: UTF8.self).contains("\"relative_path\":\"f1.wav\""))
  }

  /// Standard output however named (`/dev/stdout`, `/proc/self/fd/1`) is one stream: two
  /// outputs on it are refused (73) before anything is written.
  func testStandardOutputUnderAnyNameIsOneOutput() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 0.3, in: directory)
    for arguments in [
      ["in.wav", "-o", "-", "--stats-json", "/dev/stdout"], ["response", "--svg", "/dev/stdout", "--csv", "-"],
      ["response", "--csv", "/dev/stdout", "--svg", "/proc/self/fd/1"],
    ] {
      let result = try spawnAudioprep(arguments, in: directory, stdoutPath: directory + "/stdout")
      XCTAssertEqual(result.status, 73, "\(arguments): \(result.summary) \(result.stderr)")
      XCTAssertEqual(readWholeFile(directory + "/stdout"), [], "\(arguments)")
    }
  }

  /// A run whose last output fails (a --stats-json on a full device) takes back the outputs it
  /// had written: none of a failed run's files is left looking finished.
  func testARunWhoseStatisticsFailLeavesNoAudio() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 3, in: directory)
    for (name, arguments) in [
      ("file", ["in.wav", "-o", "out.wav", "--stats-json", "/dev/full"]),
      ("segments", ["in.wav", "--segment", "1s", "-o", "s_%02d.wav", "--stats-json", "/dev/full"]),
    ] {
      let result = try spawnAudioprep(arguments, in: directory)
      XCTAssertEqual(result.status, 74, "\(name): \(result.summary) \(result.stderr)")
      XCTAssertEqual(directoryListing(directory), ["in.wav"], name)
    }
  }

  /// SIGTERM during a `process --segment` run takes back the segments already written (143
  /// promises no partial output).
  func testSIGTERMDuringProcessSegmentsLeavesNoSegments() throws {
    let directory = try scratchDirectory(self)
    try tone("long.wav", seconds: 20, rate: 48000, in: directory)
    try setUpFiles("mkdir o", in: directory)
    let result = try spawnAudioprep(
      ["long.wav", "--segment", "1s", "-o", "o/s_%02d.flac"], in: directory,
      whileRunning: { pid in
        let deadline = Date().addingTimeInterval(spawnTimeLimit / 2)
        while Date() < deadline, !directoryListing(directory + "/o").contains("s_01.flac") { usleep(1_000) }
        kill(pid, SIGTERM)
      })
    XCTAssertEqual(result.status, 143, result.summary + result.stderr)
    XCTAssertEqual(directoryListing(directory + "/o").filter { !$0.hasPrefix(".") }, [])
    XCTAssertEqual(temporaries(directory), [])
  }

  /// A batch rerun checks every segment, not only the sidecar: a deleted or altered segment is
  /// processed again.
  func testBatchSegmentResumeChecksEverySegment() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles("mkdir corp; sox -n -r 16000 corp/ok.wav synth 2.5 sine 440 vol 0.3", in: directory)
    let arguments = ["batch", "corp", "--out-dir", "so", "--segment", "1s", "--no-progress"]
    XCTAssertEqual(try spawnAudioprep(arguments, in: directory).status, 0)
    try setUpFiles("echo garbage > so/ok_0000.wav", in: directory)
    XCTAssertEqual(try spawnAudioprep(arguments, in: directory).status, 0)
    XCTAssertEqual(statuses(try manifestRecords(directory + "/so/manifest.jsonl"))["ok.wav"], "ok")
    XCTAssertNotEqual(readWholeFile(directory + "/so/ok_0000.wav"), Array("garbage\n".utf8))
    try setUpFiles("rm so/ok_0001.wav", in: directory)
    XCTAssertEqual(try spawnAudioprep(arguments, in: directory).status, 0)
    XCTAssertNotNil(state(directory + "/so/ok_0001.wav"))
  }

  /// The sidecar names each segment relative to where the sidecar really is, through `..` and
  /// symlinked directories.
  func testSidecarPathsAreRightThroughDotDotAndSymlinks() throws {
    let directory = try scratchDirectory(self)
    try tone("s.wav", seconds: 2.5, in: directory)
    try setUpFiles("mkdir -p sub seg a/b/c; ln -s a/b/c L", in: directory)
    let result = try bash(
      """
      cd sub && "$AP" ../s.wav --segment 2s -o ../seg/y_%03d.wav --segments-list ../a/b/l.jsonl --quiet && cd ..
      "$AP" s.wav --segment 2s -o seg/z_%03d.wav --segments-list L/list.jsonl --quiet
      """, in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    for (list, first) in [("a/b/l.jsonl", "../../seg/y_000.wav"), ("a/b/c/list.jsonl", "../../../seg/z_000.wav")] {
      let line = readWholeFile(directory + "/" + list).split(separator: 10).first.map { Data($0) } ?? Data()
      let file = (try? JSONSerialization.jsonObject(with: line) as? [String: Any])?["file"] as? String
      XCTAssertEqual(file, first, list)
    }
  }

  /// A manifest hard-linked into a snapshot (`cp -al`) is copied before it is appended to: the
  /// snapshot keeps its own lines.
  func testAHardLinkedManifestIsNeverEditedInPlace() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir corp; sox -n -r 16000 corp/a.wav synth 0.2 sine 440; sox -n -r 16000 corp/b.wav synth 0.3 sine 440
      "$AP" batch corp --out-dir oh --no-progress 2>/dev/null; cp -al oh oh.bak
      sox -n -r 16000 corp/a.wav synth 0.4 sine 300
      """, in: directory)
    let snapshot = state(directory + "/oh.bak/manifest.jsonl")
    XCTAssertEqual(try spawnAudioprep(["batch", "corp", "--out-dir", "oh", "--no-progress"], in: directory).status, 0)
    XCTAssertEqual(state(directory + "/oh.bak/manifest.jsonl")?.bytes, snapshot?.bytes)
  }
}
