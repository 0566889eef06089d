import Foundation
import TestSupport
import XCTest

/// `--shard K/N` as independent processes, and `audioprep manifest merge` checking their manifests.
final class ShardAndMergeTests: XCTestCase {
  var directory = ""
  var corpus: TestCorpus!

  override func setUpWithError() throws {
    directory = try scratchDirectory(self)
    corpus = try TestCorpus(at: directory + "/corpus")
  }

  func shardManifest(_ index: Int) -> String { directory + "/out/manifest.\(index)-of-3.jsonl" }

  /// Runs shards 0/3, 1/3 and 2/3 as three concurrent processes.
  func runThreeShards() throws {
    var results = [CommandResult?](repeating: nil, count: 3)
    let lock = NSLock()
    DispatchQueue.concurrentPerform(iterations: 3) { index in
      let result = try? audioprep(["batch", "corpus", "--out-dir", "out", "--shard", "\(index)/3", "-j", "1"], in: directory)
      lock.lock()
      results[index] = result
      lock.unlock()
    }
    for (index, result) in results.enumerated() {
      let result = try XCTUnwrap(result)
      XCTAssertTrue([0, 65].contains(result.status), "shard \(index): \(result.stderr)")
      XCTAssertTrue(result.stderr.contains("shard \(index)/3"), result.stderr)
    }
  }

  func testThreeShardsPartitionTheCorpusAndMerge() throws {
    try runThreeShards()
    var seen: [String] = []
    for index in 0..<3 {
      let records = try manifestRecords(shardManifest(index))
      XCTAssertFalse(records.isEmpty, "shard \(index) got no inputs")
      for record in records { XCTAssertEqual(record["shard"] as? String, "\(index)/3") }
      seen += records.compactMap { $0["relative_path"] as? String }
    }
    XCTAssertEqual(seen.count, corpus.all.count, "no input in two shards")
    XCTAssertEqual(Set(seen), Set(corpus.all), "every input in some shard")
    for relative in corpus.good { XCTAssertNotNil(TestCorpus.info(TestCorpus.outputPath(relative, in: directory + "/out"))) }

    let merge = try audioprep(
      ["manifest", "merge", shardManifest(0), shardManifest(1), shardManifest(2), "-o", "out/manifest.jsonl"], in: directory)
    XCTAssertEqual(merge.status, 0, merge.stderr)
    XCTAssertEqual(
      merge.stderrLines,
      ["audioprep: manifest merge: \(corpus.all.count) inputs from 3 manifests (3 shards): \(corpus.good.count) ok, 0 skipped, 3 failed"])
    let merged = try manifestRecords(directory + "/out/manifest.jsonl")
    XCTAssertEqual(merged.compactMap { $0["relative_path"] as? String }, corpus.all.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })

    // The merged manifest serves a plain rerun as its cache.
    let rerun = try audioprep(["batch", "corpus", "--out-dir", "out"], in: directory)
    XCTAssertEqual(rerun.status, 65)
    XCTAssertTrue(rerun.stderrLines.last!.contains("0 ok, \(corpus.good.count) skipped, 3 failed"), rerun.stderr)
  }

  func testMergeDetectsAMissingAndADuplicatedInput() throws {
    try runThreeShards()
    // A worker that died before its last input: one line fewer in shard 1.
    var lines = try String(contentsOfFile: shardManifest(1), encoding: .utf8).split(separator: "\n")
    let removed = lines.removeLast()
    try (lines.joined(separator: "\n") + "\n").write(toFile: shardManifest(1), atomically: true, encoding: .utf8)
    let missing = try audioprep(["manifest", "merge", shardManifest(0), shardManifest(1), shardManifest(2), "-o", "merged.jsonl"], in: directory)
    XCTAssertEqual(missing.status, 65, missing.stderr)
    XCTAssertTrue(missing.stderr.contains("shard 1/3: 1 of \(lines.count + 1) inputs missing"), missing.stderr)
    XCTAssertTrue(missing.stderr.contains("1 of \(corpus.all.count) inputs missing"), missing.stderr)
    XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/merged.jsonl"))

    // A shard with no manifest at all.
    let absent = try audioprep(["manifest", "merge", shardManifest(0), shardManifest(2)], in: directory)
    XCTAssertEqual(absent.status, 65)
    XCTAssertTrue(absent.stderr.contains("shard 1/3: no manifest given"), absent.stderr)

    // The line put back, but into shard 2's manifest too: duplicated (and in the wrong shard).
    try (lines.joined(separator: "\n") + "\n" + removed + "\n").write(toFile: shardManifest(1), atomically: true, encoding: .utf8)
    let shard2 = try String(contentsOfFile: shardManifest(2), encoding: .utf8)
    try (shard2 + removed + "\n").write(toFile: shardManifest(2), atomically: true, encoding: .utf8)
    let duplicated = try audioprep(["manifest", "merge", shardManifest(0), shardManifest(1), shardManifest(2)], in: directory)
    XCTAssertEqual(duplicated.status, 65)
    let relative = try XCTUnwrap(
      (try JSONSerialization.jsonObject(with: Data(removed.utf8)) as? [String: Any])?["relative_path"] as? String)
    XCTAssertTrue(duplicated.stderr.contains("audioprep: \(relative): duplicated: in "), duplicated.stderr)
    XCTAssertTrue(duplicated.stderr.contains("a shard 1/3 record in \(shardManifest(2)), the manifest of shard 2/3"), duplicated.stderr)

    // A torn or foreign line is reported, not skipped silently.
    try (shard2 + "{\"input\":\"x\n").write(toFile: shardManifest(2), atomically: true, encoding: .utf8)
    let torn = try audioprep(["manifest", "merge", shardManifest(0), shardManifest(1), shardManifest(2)], in: directory)
    XCTAssertEqual(torn.status, 65)
    XCTAssertTrue(torn.stderr.contains("is not a manifest record"), torn.stderr)
  }

  func testShardsAreStableAcrossRuns() throws {
    let first = try audioprep(["batch", "corpus", "--out-dir", "a", "--shard", "1/3"], in: directory)
    let second = try audioprep(["batch", "corpus", "--out-dir", "b", "--shard", "1/3", "-j", "1"], in: directory)
    XCTAssertEqual(first.status, second.status)
    let inA = try manifestRecords(directory + "/a/manifest.1-of-3.jsonl").compactMap { $0["relative_path"] as? String }
    let inB = try manifestRecords(directory + "/b/manifest.1-of-3.jsonl").compactMap { $0["relative_path"] as? String }
    XCTAssertEqual(Set(inA), Set(inB))
  }
}
