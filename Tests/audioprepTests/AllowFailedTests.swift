import Foundation
import TestSupport
import XCTest

/// Issue 21: `batch --allow-failed` lets a rerun over a corpus with a permanently corrupt file
/// succeed, and only when every failure is one the manifest already holds for the same bytes.
final class AllowFailedTests: XCTestCase {
  func testARerunAcceptsOnlyFailuresSeenBeforeWithTheSameBytes() throws {
    let directory = try scratchDirectory(self)
    let corpus = directory + "/corpus"
    try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: fixtures + "/mono16k.wav", toPath: corpus + "/good.wav")
    try Data("RIFF not really a wave file".utf8).write(to: URL(fileURLWithPath: corpus + "/bad.wav"))
    let run = { (extra: [String]) in
      try audioprep(["batch", "corpus", "--out-dir", "out", "-q", "--summary"] + extra, in: directory)
    }

    // The first run has nothing to compare with: the failure is new.
    let first = try run(["--allow-failed"])
    XCTAssertEqual(first.status, 65, first.stderr)
    XCTAssertTrue(first.stderr.contains("1 failed for the first time or differently"), first.stderr)

    // A rerun: the same failure, the same bytes.
    let rerun = try run(["--allow-failed"])
    XCTAssertEqual(rerun.status, 0, rerun.stderr)
    XCTAssertTrue(rerun.stderr.contains("audioprep: corpus/bad.wav: "), rerun.stderr)  // still reported
    XCTAssertTrue(rerun.stderr.contains("0 ok, 1 skipped, 1 failed"), rerun.stderr)
    XCTAssertTrue(rerun.stderr.contains("the 1 failed as before (same error, input and options): accepted (--allow-failed)"), rerun.stderr)
    // Without the flag, the same rerun still fails.
    XCTAssertEqual(try run([]).status, 65)

    // Other bytes in the corrupt file: not the failure that was accepted.
    try Data("RIFF another broken header".utf8).write(to: URL(fileURLWithPath: corpus + "/bad.wav"))
    XCTAssertEqual(try run(["--allow-failed"]).status, 65)
    XCTAssertEqual(try run(["--allow-failed"]).status, 0)  // now seen before

    // A second corrupt file fails for the first time: 65, though the first is accepted.
    try Data("fLaC broken".utf8).write(to: URL(fileURLWithPath: corpus + "/worse.flac"))
    let mixed = try run(["--allow-failed"])
    XCTAssertEqual(mixed.status, 65, mixed.stderr)
    XCTAssertTrue(mixed.stderr.contains("1 failed for the first time or differently"), mixed.stderr)

    // Other options: the earlier failures were under other params.
    XCTAssertEqual(try run(["--allow-failed"]).status, 0)
    XCTAssertEqual(try run(["--allow-failed", "--gain", "1"]).status, 65)
  }
}
