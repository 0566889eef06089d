import Foundation
import TestSupport
import XCTest

/// Issue 21: what the help and docs claim is what the binary does. Each claim corrected here
/// is read from the help (or doc) and checked against a run, so a help text that drifts from
/// the behaviour fails (the old texts: "segments.jsonl", "a stable hash", "Replace an existing
/// output file" for batch, a manifest example without `resampler`, `dither`, `segment`).
final class HelpClaimsTests: XCTestCase {
  private func help(_ command: String) throws -> String {
    let result = try audioprep(["help", command])
    XCTAssertEqual(result.status, 0, result.stderr)
    // Unwrapped: argument-parser wraps help at 80 columns.
    return String(decoding: result.stdout, as: UTF8.self).split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }

  private func copyFixtures(_ names: [String], to directory: String) throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    for name in names { try FileManager.default.copyItem(atPath: fixtures + "/" + name, toPath: directory + "/" + name) }
  }

  /// The defaults the help names are the ones a run without options uses.
  func testChainDefaultsInTheHelpAreTheRunsDefaults() throws {
    let text = try help("process")
    for claim in ["16kHz (default: 16000)", "0 turns it off (default: 80)", "(-3dB, +6dB) (default: 1.5)"] {
      XCTAssertTrue(text.contains(claim), "help process lacks '\(claim)'")
    }
    let plain = try audioprep([fixtures + "/speech.flac", "-o", "-"])
    let stated = try audioprep([fixtures + "/speech.flac", "-o", "-", "--rate", "16000", "--highpass", "80", "--gain", "1.5"])
    XCTAssertEqual(plain.status, 0, plain.stderr)
    XCTAssertEqual(plain.stdout, stated.stdout)
  }

  /// "Default: STEM.segments.jsonl beside the segments".
  func testSegmentsListDefaultIsStemDotSegmentsJSONL() throws {
    XCTAssertTrue(try help("process").contains("Default: STEM.segments.jsonl beside the segments"))
    let directory = try scratchDirectory(self)
    try copyFixtures(["speech.flac"], to: directory)
    let result = try audioprep(["speech.flac", "--segment", "1s", "-o", "seg_%02d.wav"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/speech.segments.jsonl"))
    XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/segments.jsonl"))
    // batch does not take it (it was accepted and ignored).
    let batch = try audioprep(["batch", "speech.flac", "--out-dir", "out", "--segment", "1s", "--segments-list", "x.jsonl"], in: directory)
    XCTAssertEqual(batch.status, 64, batch.stderr)
    XCTAssertTrue(batch.stderr.contains("--segments-list is for process"), batch.stderr)
  }

  /// "the corpus split into N parts of nearly equal bytes": the largest input alone in one
  /// shard, the two smaller ones together in the other (a hash of names could not promise it).
  func testShardsAreBalancedByBytes() throws {
    XCTAssertTrue(try help("batch").contains("N parts of nearly equal bytes"))
    XCTAssertFalse(try help("batch").contains("stable hash"))
    let directory = try scratchDirectory(self)
    try copyFixtures(["stereo44k.wav", "speech.wav", "mono16k.wav"], to: directory + "/corpus")  // 353 kB, 159 kB, 64 kB
    var processed: [[String]] = []
    for k in 0..<2 {
      let result = try audioprep(["batch", "corpus", "--out-dir", "out", "--shard", "\(k)/2", "-q"], in: directory)
      XCTAssertEqual(result.status, 0, result.stderr)
      let manifest = try String(contentsOfFile: directory + "/out/manifest.\(k)-of-2.jsonl", encoding: .utf8)
      processed.append(manifest.split(separator: "\n").compactMap { line in
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) .flatMap { ($0 as? [String: Any])?["relative_path"] as? String }
      }.sorted())
    }
    XCTAssertEqual(Set(processed), [["stereo44k.wav"], ["mono16k.wav", "speech.wav"]])
  }

  /// batch --force: "reprocess every input, ignoring the manifest".
  func testBatchForceReprocesses() throws {
    XCTAssertTrue(try help("batch").contains("batch: reprocess every input, ignoring the manifest"))
    let directory = try scratchDirectory(self)
    try copyFixtures(["mono16k.wav"], to: directory + "/corpus")
    XCTAssertEqual(try audioprep(["batch", "corpus", "--out-dir", "out", "-q"], in: directory).status, 0)
    let rerun = try audioprep(["batch", "corpus", "--out-dir", "out", "-q", "--summary"], in: directory)
    XCTAssertTrue(rerun.stderr.contains("0 ok, 1 skipped"), rerun.stderr)
    let forced = try audioprep(["batch", "corpus", "--out-dir", "out", "-q", "--summary", "--force"], in: directory)
    XCTAssertTrue(forced.stderr.contains("1 ok, 0 skipped"), forced.stderr)
  }

  /// docs/batch-and-clusters.md's manifest example has the fields, and the `params` parts, a
  /// record has.
  func testTheDocumentedManifestRecordHasTheFieldsTheBinaryWrites() throws {
    let doc = try String(contentsOfFile: repositoryDirectory + "/docs/batch-and-clusters.md", encoding: .utf8)
    let example = try XCTUnwrap(doc.components(separatedBy: "```json\n").dropFirst().first?.components(separatedBy: "\n").first)
    let documented = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(example.utf8)) as? [String: Any])
    let directory = try scratchDirectory(self)
    try copyFixtures(["stereo44k.wav"], to: directory + "/corpus/spk1")
    XCTAssertEqual(try audioprep(["batch", "corpus", "--out-dir", "out", "-q"], in: directory).status, 0)
    let line = try String(contentsOfFile: directory + "/out/manifest.jsonl", encoding: .utf8).split(separator: "\n")[0]
    let real = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    XCTAssertEqual(Set(documented.keys), Set(real.keys))
    let names = { (params: Any?) in ((params as? String) ?? "").split(separator: " ").map { $0.split(separator: "=")[0] } }
    XCTAssertEqual(names(documented["params"]), names(real["params"]))
    XCTAssertEqual(documented["params"] as? String, real["params"] as? String)
  }
}
