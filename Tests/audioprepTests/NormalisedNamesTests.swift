import CSndFile
import Foundation
import TestSupport
import XCTest

/// Names that differ only in Unicode normalisation (NFC `é` = C3 A9, NFD `e` + U+0301 =
/// 65 CC 81) are two files to the file system, so batch and `manifest merge` treat them as two
/// inputs with two outputs and two records (review37b V1, V2). Swift's `String` equality is
/// canonical equivalence, so these tests compare paths by their bytes too.
final class NormalisedNamesTests: XCTestCase {
  /// `é`, composed (NFC).
  static let composed = "\u{E9}"
  /// `é`, decomposed (NFD): `e` then a combining acute accent.
  static let decomposed = "e\u{301}"

  var directory = ""

  override func setUpWithError() throws {
    directory = try scratchDirectory(self)
  }

  /// A 0.2 s WAV tone at `relative` below the scratch directory.
  func tone(_ relative: String, frequencyHz: Double = 440) throws {
    try TestCorpus.writeTone(
      at: directory + "/" + relative, format: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16), rate: 16000, channels: 1,
      frames: 3200, frequencyHz: frequencyHz)
  }

  /// The byte spellings of `paths`: what a file system tells apart.
  func byteSet(_ paths: [String]) -> Set<[UInt8]> { Set(paths.map { Array($0.utf8) }) }

  /// The `field` of every record in `manifest`, as byte spellings.
  func recorded(_ field: String, in manifest: String) throws -> [[UInt8]] {
    try manifestRecords(directory + "/" + manifest).map { Array(($0[field] as? String ?? "").utf8) }
  }

  /// The byte spellings of the WAV files below `relative`.
  func files(below relative: String) -> [[UInt8]] {
    let names = (try? FileManager.default.subpathsOfDirectory(atPath: directory + "/" + relative)) ?? []
    return names.filter { $0.hasSuffix(".wav") }.map { Array($0.utf8) }
  }

  /// Two files `é.wav` (NFC and NFD) and `f.wav` between them in byte order: three inputs, three
  /// outputs, three records, exit 0; a rerun skips all three (resume finds each record).
  func testDirectoryWithComposedAndDecomposedNames() throws {
    try tone("c/\(Self.composed).wav", frequencyHz: 440)
    try tone("c/\(Self.decomposed).wav", frequencyHz: 200)
    try tone("c/f.wav", frequencyHz: 300)
    let first = try audioprep(["batch", "c", "--out-dir", "o"], in: directory)
    XCTAssertEqual(first.status, 0, first.stderr)
    XCTAssertTrue(first.stderrLines.last?.contains("3 inputs: 3 ok") == true, first.stderr)
    let relatives = try recorded("relative_path", in: "o/manifest.jsonl")
    XCTAssertEqual(relatives.count, 3, "one record per input")
    XCTAssertEqual(
      Set(relatives), byteSet(["\(Self.composed).wav", "\(Self.decomposed).wav", "f.wav"]), "both spellings recorded")
    XCTAssertEqual(Set(try recorded("output", in: "o/manifest.jsonl")).count, 3, "three distinct outputs")
    XCTAssertEqual(Set(files(below: "o")), byteSet(["\(Self.composed).wav", "\(Self.decomposed).wav", "f.wav"]))

    let rerun = try audioprep(["batch", "c", "--out-dir", "o"], in: directory)
    XCTAssertEqual(rerun.status, 0, rerun.stderr)
    XCTAssertTrue(rerun.stderrLines.last?.contains("0 ok, 3 skipped") == true, rerun.stderr)
    XCTAssertEqual(try recorded("relative_path", in: "o/manifest.jsonl").count, 3, "compaction keeps both records")

    // Resume after one output is lost: only that input is redone, the other spelling is kept.
    try FileManager.default.removeItem(atPath: directory + "/o/\(Self.decomposed).wav")
    let resumed = try audioprep(["batch", "c", "--out-dir", "o"], in: directory)
    XCTAssertEqual(resumed.status, 0, resumed.stderr)
    XCTAssertTrue(resumed.stderrLines.last?.contains("1 ok, 2 skipped") == true, resumed.stderr)
    XCTAssertEqual(Set(files(below: "o")).count, 3)
  }

  /// Whole subdirectories whose names differ only in normalisation are two subtrees.
  func testSubdirectoriesWithComposedAndDecomposedNames() throws {
    try tone("c/\(Self.composed)/x.wav")
    try tone("c/\(Self.decomposed)/x.wav", frequencyHz: 200)
    let result = try audioprep(["batch", "c", "--out-dir", "o"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(
      Set(try recorded("relative_path", in: "o/manifest.jsonl")),
      byteSet(["\(Self.composed)/x.wav", "\(Self.decomposed)/x.wav"]))
    XCTAssertEqual(Set(files(below: "o")), byteSet(["\(Self.composed)/x.wav", "\(Self.decomposed)/x.wav"]))
  }

  /// Both spellings given as directory arguments are two roots, as `a` and `b` are: each one's
  /// `x.wav` has the relative path `x.wav`, which batch refuses (64) rather than walking one
  /// directory and dropping the other (exit 0, 1 input). Given as files, they are two inputs.
  func testDirectoryAndFileArgumentsWithComposedAndDecomposedNames() throws {
    try tone("\(Self.composed)/x.wav")
    try tone("\(Self.decomposed)/x.wav", frequencyHz: 200)
    let directories = try audioprep(["batch", Self.composed, Self.decomposed, "--out-dir", "o"], in: directory)
    XCTAssertEqual(directories.status, 64, directories.stderr)
    XCTAssertTrue(directories.stderr.contains("has the same relative path, x.wav"), directories.stderr)

    let files = try audioprep(["batch", "\(Self.composed)/x.wav", "\(Self.decomposed)/x.wav", "--out-dir", "o"], in: directory)
    XCTAssertEqual(files.status, 0, files.stderr)
    XCTAssertEqual(
      Set(try recorded("input", in: "o/manifest.jsonl")), byteSet(["\(Self.composed)/x.wav", "\(Self.decomposed)/x.wav"]))
  }

  /// `--from-list` naming both spellings: two records, and the same file listed twice is still one.
  func testListWithComposedAndDecomposedNames() throws {
    try tone("c/\(Self.composed).wav")
    try tone("c/\(Self.decomposed).wav", frequencyHz: 200)
    let list = "c/\(Self.composed).wav\nc/\(Self.decomposed).wav\nc/\(Self.composed).wav\n"
    let result = try audioprep(["batch", "--from-list", "-", "--out-dir", "o"], in: directory, stdin: Data(list.utf8))
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(
      Set(try recorded("input", in: "o/manifest.jsonl")), byteSet(["c/\(Self.composed).wav", "c/\(Self.decomposed).wav"]))
    XCTAssertEqual(try recorded("input", in: "o/manifest.jsonl").count, 2)
  }

  /// Outputs whose names differ only in normalisation (`é.flac` NFC → `é.wav`, `é.wav` NFD → `é.wav`)
  /// are distinct files, not a collision; a real one (`a.wav`, `a.flac`) still is.
  func testOutputsThatDifferOnlyInNormalisationDoNotCollide() throws {
    try TestCorpus.writeTone(
      at: directory + "/c/\(Self.composed).flac", format: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16), rate: 16000,
      channels: 1, frames: 3200, frequencyHz: 440)
    try tone("c/\(Self.decomposed).wav", frequencyHz: 200)
    let result = try audioprep(["batch", "c", "--out-dir", "o"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertFalse(result.stderr.contains("already the output of"), result.stderr)
    XCTAssertEqual(Set(files(below: "o")), byteSet(["\(Self.composed).wav", "\(Self.decomposed).wav"]))

    try tone("d/a.wav")
    try TestCorpus.writeTone(
      at: directory + "/d/a.flac", format: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16), rate: 16000, channels: 1,
      frames: 3200, frequencyHz: 440)
    let clash = try audioprep(["batch", "d", "--out-dir", "p"], in: directory)
    XCTAssertEqual(clash.status, 65, clash.stderr)
    XCTAssertTrue(clash.stderr.contains("already the output of"), clash.stderr)
  }

  /// A sharded run over both spellings merges into three records (it reported one input missing
  /// on every rerun).
  func testShardedRunMergesBothSpellings() throws {
    try tone("c/\(Self.composed).wav", frequencyHz: 440)
    try tone("c/\(Self.decomposed).wav", frequencyHz: 200)
    try tone("c/f.wav", frequencyHz: 300)
    for index in 0..<2 {
      let shard = try audioprep(["batch", "c", "--out-dir", "s", "--shard", "\(index)/2"], in: directory)
      XCTAssertEqual(shard.status, 0, shard.stderr)
    }
    let merge = try audioprep(
      ["manifest", "merge", "s/manifest.0-of-2.jsonl", "s/manifest.1-of-2.jsonl", "-o", "s/merged.jsonl"], in: directory)
    XCTAssertEqual(merge.status, 0, merge.stderr)
    XCTAssertEqual(
      Set(try recorded("relative_path", in: "s/merged.jsonl")),
      byteSet(["\(Self.composed).wav", "\(Self.decomposed).wav", "f.wav"]))
    XCTAssertEqual(try recorded("relative_path", in: "s/merged.jsonl").count, 3)
  }

  /// `manifest export` keeps both spellings: two recordings with two ids (it kept one of two
  /// records of a correct manifest, "1 of 2 inputs missing", exit 0).
  func testKaldiExportKeepsBothSpellings() throws {
    try tone("c/\(Self.composed).wav")
    try tone("c/\(Self.decomposed).wav", frequencyHz: 200)
    let batch = try audioprep(["batch", "c", "--out-dir", "o", "-q"], in: directory)
    XCTAssertEqual(batch.status, 0, batch.stderr)
    let export = try audioprep(["manifest", "export", "o/manifest.jsonl", "--to", "kaldi", "-o", "k"], in: directory)
    XCTAssertEqual(export.status, 0, export.stderr)
    XCTAssertFalse(export.stderr.contains("missing"), export.stderr)
    let table = try Data(contentsOf: URL(fileURLWithPath: directory + "/k/wav.scp"))
    let ids = table.split(separator: UInt8(ascii: "\n")).map { Array($0.prefix { $0 != UInt8(ascii: " ") }) }
    XCTAssertEqual(Set(ids), byteSet([Self.composed, Self.decomposed]), String(decoding: table, as: UTF8.self))
  }
}
