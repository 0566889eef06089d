import Foundation
import TestSupport
import XCTest

/// Issue #10: batch reports that add up — warnings in the records and the summary, one record
/// per input after a completed run, shards balanced and mergeable when some are empty, absolute
/// inputs anywhere, and the Kubernetes recipe of docs/batch-and-clusters.md run as its pods would run it.
final class BatchReportTests: XCTestCase {
  /// Runs `script` with bash in `directory`, stopping at the first failing command; `$AP` is
  /// the built audioprep.
  func sh(_ script: String, in directory: String) throws -> SpawnResult {
    try bash("set -e\n" + script, in: directory)
  }

  /// A corpus of `count` WAV files of different lengths (0.2 s + 0.1 s · i) in `corpus/`.
  func makeCorpus(_ count: Int, in directory: String) throws {
    let result = try sh(
      "mkdir -p corpus; for i in $(seq 1 \(count)); do sox -n -r 16000 -b 16 -c 1 corpus/f$i.wav synth 0.$((i + 1)) sine 440; done",
      in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
  }

  /// A truncated WAV is recorded with its warning, the warning is printed, and the summary
  /// counts it (it was "ok" with no warning anywhere).
  func testTruncatedInputIsAWarningInItsRecordAndTheSummary() throws {
    let directory = try scratchDirectory(self)
    try makeCorpus(2, in: directory)
    let truncated = try Data(contentsOf: URL(fileURLWithPath: directory + "/corpus/f2.wav")).dropLast(2000)
    try truncated.write(to: URL(fileURLWithPath: directory + "/corpus/f2.wav"))
    let result = try spawnAudioprep(["batch", "corpus", "--out-dir", "out", "--no-progress"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    let records = try manifestRecords(directory + "/out/manifest.jsonl")
    let byInput = Dictionary(uniqueKeysWithValues: records.map { ($0["relative_path"] as? String ?? "?", $0) })
    XCTAssertTrue((byInput["f2.wav"]?["truncation"] as? String)?.hasPrefix("truncated: the header announces") == true)
    XCTAssertTrue(byInput["f1.wav"]?["truncation"] is NSNull)
    XCTAssertTrue(result.stderr.contains("audioprep: corpus/f2.wav: truncated:"), result.stderr)
    XCTAssertTrue(result.stderrLines.last?.contains("warnings: 1 truncated") == true, result.stderr)
    // A rerun skips the file: its warning is not printed again as if it were processed, and
    // --quiet prints none (both printed it: hostile review of #21).
    let rerun = try spawnAudioprep(["batch", "corpus", "--out-dir", "out", "--no-progress"], in: directory)
    XCTAssertEqual(rerun.status, 0, rerun.stderr)
    XCTAssertFalse(rerun.stderr.contains("truncated:"), rerun.stderr)
    let quiet = try spawnAudioprep(["batch", "corpus", "--out-dir", "out", "--no-progress", "--quiet", "--force"], in: directory)
    XCTAssertEqual(quiet.status, 0, quiet.stderr)
    XCTAssertEqual(quiet.stderr, "")
  }

  /// After a completed run the manifest holds one line per input, however many runs there were
  /// (it grew by one line per input per run).
  func testManifestHoldsOneRecordPerInputAfterEachRun() throws {
    let directory = try scratchDirectory(self)
    try makeCorpus(5, in: directory)
    for run in 0..<3 {
      let arguments = ["batch", "corpus", "--out-dir", "out", "--no-progress"] + (run == 2 ? ["--force"] : [])
      XCTAssertEqual(try spawnAudioprep(arguments, in: directory).status, 0)
      let records = try manifestRecords(directory + "/out/manifest.jsonl")
      XCTAssertEqual(records.count, 5, "run \(run)")
      XCTAssertEqual(Set(records.compactMap { $0["relative_path"] as? String }).count, 5, "run \(run)")
    }
    XCTAssertEqual(temporaryFiles(directory), [])
  }

  /// An absolute input outside the current directory is mirrored by its whole path (it was
  /// refused with 64).
  func testAbsoluteInputOutsideTheWorkingDirectoryIsMirroredByItsPath() throws {
    let directory = try scratchDirectory(self)
    let elsewhere = try scratchDirectory(self)
    try makeCorpus(1, in: elsewhere)
    let input = elsewhere + "/corpus/f1.wav"
    let result = try spawnAudioprep(["batch", input, "--out-dir", "out", "--no-progress"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/out" + elsewhere + "/corpus/f1.wav"))
  }

  /// Shards split the corpus evenly by bytes: 30 equal files into 3 shards are 10 each (the
  /// path hash gave 7/10/17 of 34).
  func testShardsAreBalanced() throws {
    let directory = try scratchDirectory(self)
    let result = try sh(
      "mkdir corpus; sox -n -r 16000 -b 16 -c 1 t.wav synth 0.2 sine 440; for i in $(seq 1 30); do cp t.wav corpus/f$i.wav; done",
      in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    for index in 0..<3 {
      let shard = try spawnAudioprep(
        ["batch", "corpus", "--out-dir", "out", "--shard", "\(index)/3", "--no-progress"], in: directory)
      XCTAssertEqual(shard.status, 0, shard.stderr)
      XCTAssertEqual(try manifestRecords(directory + "/out/manifest.\(index)-of-3.jsonl").count, 10, "shard \(index)")
    }
  }

  /// The Kubernetes recipe in docs/batch-and-clusters.md, run as its ten pods would run it
  /// (JOB_COMPLETION_INDEX = 0…9) over a corpus of 7 files, then merged as the page says: every
  /// shard succeeds (some are empty), the merge succeeds, and every input is there exactly once.
  func testKubernetesRecipeOverFewerFilesThanShards() throws {
    let directory = try scratchDirectory(self)
    let page = try String(contentsOfFile: repositoryDirectory + "/docs/batch-and-clusters.md", encoding: .utf8)
    let section = try XCTUnwrap(page.range(of: "### Kubernetes Indexed Job"))
    let args = try XCTUnwrap(page.range(of: "            - exec audioprep", range: section.upperBound..<page.endIndex))
    let argsEnd = try XCTUnwrap(page.range(of: "\n          resources:", range: args.upperBound..<page.endIndex))
    let command = String(page[args.lowerBound..<argsEnd.lowerBound]).replacingOccurrences(of: "            - ", with: "")
      .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "exec audioprep", with: "exec \"$AP\"")
      .replacingOccurrences(of: "/data/", with: "data/")
    let merge = try XCTUnwrap(page.range(of: "Then `audioprep manifest merge ", range: section.upperBound..<page.endIndex))
    let mergeEnd = try XCTUnwrap(page.range(of: "`", range: merge.upperBound..<page.endIndex))
    let mergeCommand = "\"$AP\" manifest merge " + String(page[merge.upperBound..<mergeEnd.lowerBound])
      .replacingOccurrences(of: "/data/", with: "data/")
    try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
    try makeCorpus(7, in: directory + "/data")
    for index in 0..<10 {
      let pod = try sh("export AP JOB_COMPLETION_INDEX=\(index); sh -c '\(command)'", in: directory)
      XCTAssertEqual(pod.status, 0, "pod \(index): \(pod.stderr)")
    }
    let merged = try sh(mergeCommand, in: directory)
    XCTAssertEqual(merged.status, 0, merged.stderr)
    let records = try manifestRecords(directory + "/data/corpus-16k/manifest.jsonl")
    XCTAssertEqual(records.compactMap { $0["relative_path"] as? String }.sorted(), (1...7).map { "f\($0).wav" }.sorted())
  }
}
