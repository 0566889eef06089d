import Foundation
import Glibc
import TestSupport
import XCTest

/// Manifests as files: shards sharing one, torn lines, hard links, FIFOs and standard output,
/// resumption that checks every segment.
/// Each test failed on the commit before its fix (issue 9 and its reviews, issue 16).
extension WriteSafetyTests {
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

  /// A manifest must be a file that can be read back (or a device such as /dev/null): a FIFO is
  /// refused at once (73), never waited on.
  func testAManifestOnAFIFOIsRefused() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles("mkdir rec; sox -n -r 16000 rec/f1.wav synth 0.2 sine 440; mkfifo m", in: directory)
    let result = try spawnAudioprep(["batch", "rec", "--out-dir", "o", "--manifest", "m", "--no-progress"], in: directory, timeLimit: 5)
    XCTAssertFalse(result.timedOut, "waited for a reader of the manifest")
    XCTAssertEqual(result.status, 73, result.summary + result.stderr)
  }
}
