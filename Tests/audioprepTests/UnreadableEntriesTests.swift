import Foundation
import TestSupport
import XCTest

/// Issue 19's W5 (review): a dangling symlink, a symlink loop and a FIFO with audio names were
/// dropped without a word by `info DIR` and `batch`. Each is one line naming it and why, counted
/// as skipped; none is followed or opened (a FIFO would block).
final class UnreadableEntriesTests: XCTestCase {
  private func corpus() throws -> String {
    let directory = try scratchDirectory(self)
    let corpus = directory + "/corpus"
    try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: fixtures + "/mono16k.wav", toPath: corpus + "/a.wav")
    XCTAssertEqual(symlink("nowhere.wav", corpus + "/b.wav"), 0)
    XCTAssertEqual(symlink("c.wav", corpus + "/c.wav"), 0)
    XCTAssertEqual(mkfifo(corpus + "/d.wav", 0o644), 0)
    return directory
  }

  static let lines = [
    "audioprep: corpus/b.wav: skipped: a symbolic link to nothing (its target does not exist)",
    "audioprep: corpus/c.wav: skipped: a symbolic link loop",
    "audioprep: corpus/d.wav: skipped: a FIFO, not a regular file (never opened: reading it could block)",
  ]

  func testInfoSaysEachAndCountsThem() throws {
    let directory = try corpus()
    let result = try audioprep(["info", "corpus"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stderrLines, Self.lines)
    let totals = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").last ?? ""
    XCTAssertTrue(totals.hasPrefix("total: 1 file, "), String(totals))
    XCTAssertTrue(totals.hasSuffix("; 3 other files skipped (1 dangling symlink, 1 symlink loop, 1 FIFO)"), String(totals))
  }

  func testBatchSaysEach() throws {
    let directory = try corpus()
    let result = try audioprep(["batch", "corpus", "--out-dir", "out", "--no-progress"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(Array(result.stderrLines.prefix(3)), Self.lines)
    XCTAssertEqual(result.stderrLines.count, 4, result.stderr)  // and the summary
  }
}
