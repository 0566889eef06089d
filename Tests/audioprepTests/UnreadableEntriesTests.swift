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

  /// A FIFO named on info's command line (no writer) blocked for ever; batch refused it. info
  /// refuses it unopened too (66, one line), within the time limit (#18 review D8).
  func testInfoRefusesAFIFONamedOnItsCommandLine() throws {
    let directory = try scratchDirectory(self)
    XCTAssertEqual(mkfifo(directory + "/pipe.wav", 0o644), 0)
    let result = try audioprep(["info", "pipe.wav"], in: directory, timeLimit: 20)
    XCTAssertEqual(result.status, 66, result.stderr)
    XCTAssertEqual(
      result.stderrLines,
      ["audioprep: pipe.wav: is a FIFO, not a regular file (never opened: reading it could block); to describe what it holds: audioprep info - < pipe.wav"])
    let batch = try audioprep(["batch", "pipe.wav", "--out-dir", "out", "--no-progress"], in: directory, timeLimit: 20)
    XCTAssertEqual(batch.status, 65, batch.stderr)
  }

  /// Issue 19, decided: a symlink to a file is read wherever its target lies, inside the tree or
  /// not (as `find corpus -name '*.wav' | audioprep batch --from-list -` reads it, and as symlink
  /// farms and the Hugging Face cache, whose snapshots link to blobs outside them, need); its
  /// output and record take the link's name. A symlinked directory is not walked (as find).
  func testASymlinkToAFileOutsideTheTreeIsReadUnderItsOwnName() throws {
    let directory = try scratchDirectory(self)
    try FileManager.default.createDirectory(atPath: directory + "/corpus", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: directory + "/store", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: fixtures + "/mono16k.wav", toPath: directory + "/store/blob")
    XCTAssertEqual(symlink("../store/blob", directory + "/corpus/a.wav"), 0)
    XCTAssertEqual(symlink("../store", directory + "/corpus/linked"), 0)
    let result = try audioprep(["batch", "corpus", "--out-dir", "out", "--no-progress"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/out/a.wav"))
    XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/out/linked"))
    let manifest = try String(contentsOfFile: directory + "/out/manifest.jsonl", encoding: .utf8)
    XCTAssertTrue(manifest.contains("\"relative_path\":\"a.wav\""), manifest)
  }

  /// A file `info DIR` may not read (no permission) is unreadable, not undecodable, and a
  /// subdirectory it may not read is in the totals, line and `--json`, not only on standard
  /// error: its recordings are not counted, and the totals say so (hostile review 30m, W3: the
  /// file was listed as undecodable, the directory was in no total). Exit 66 as before. Run as
  /// `nobody` (`setpriv`), since permissions do not bind root.
  func testUnreadableFilesAndDirectoriesAreInTheTotals() throws {
    guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
      throw XCTSkip("needs root and setpriv to run info as another user")
    }
    let directory = try scratchDirectory(self)
    let corpus = directory + "/corpus"
    for sub in ["a", "c"] { try FileManager.default.createDirectory(atPath: corpus + "/" + sub, withIntermediateDirectories: true) }
    for name in ["a/b.wav", "a/locked.wav", "c/d.wav"] {
      try FileManager.default.copyItem(atPath: fixtures + "/mono16k.wav", toPath: corpus + "/" + name)
    }
    XCTAssertEqual(chmod(directory, 0o755), 0)
    XCTAssertEqual(chmod(corpus + "/a/locked.wav", 0), 0)
    XCTAssertEqual(chmod(corpus + "/c", 0), 0)
    let asNobody = ["--reuid=65534", "--regid=65534", "--clear-groups", audioprepPath, "info", corpus]
    for json in [false, true] {
      let result = try spawn("/usr/bin/setpriv", asNobody + (json ? ["--json"] : []))
      XCTAssertEqual(result.status, 66, result.stderr)
      let totals = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
      if json {
        XCTAssertTrue(totals.contains("\"undecodable\":[]"), totals)
        XCTAssertTrue(totals.contains("\"unreadable\":[\"\(corpus)/a/locked.wav\"]"), totals)
        XCTAssertTrue(totals.contains("\"unreadable_directories\":[\"\(corpus)/c\"]"), totals)
      } else {
        XCTAssertTrue(totals.hasPrefix("total: 1 file, "), totals)
        XCTAssertTrue(totals.contains("; 0 undecodable; 1 unreadable file (\(corpus)/a/locked.wav); "), totals)
        XCTAssertTrue(totals.contains("1 unreadable directory, its files not counted (\(corpus)/c)"), totals)
      }
    }
  }

  /// A symlink to a directory is not followed (a link back up would walk for ever), and was
  /// skipped without a word: its recordings in no count, the hours short by them (review31m
  /// W10). It is said on one line and named in the totals, as an unreadable directory is, in
  /// text and `--json`; the exit status stays 0 (nothing failed).
  func testSymlinkedDirectoriesAreSaidAndInTheTotals() throws {
    let directory = try scratchDirectory(self)
    let corpus = directory + "/corpus"
    try FileManager.default.createDirectory(atPath: directory + "/elsewhere", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: fixtures + "/mono16k.wav", toPath: corpus + "/a.wav")
    try FileManager.default.copyItem(atPath: fixtures + "/mono16k.wav", toPath: directory + "/elsewhere/b.wav")
    XCTAssertEqual(symlink("../elsewhere", corpus + "/linked"), 0)
    for json in [false, true] {
      let result = try audioprep(["info", "corpus"] + (json ? ["--json"] : []), in: directory)
      XCTAssertEqual(result.status, 0, result.stderr)
      XCTAssertEqual(
        result.stderrLines, ["audioprep: corpus/linked: skipped: a symbolic link to a directory (not followed: its files are not counted)"])
      let totals = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
      if json {
        XCTAssertTrue(totals.contains("\"files\":1,"), totals)
        XCTAssertTrue(totals.contains("\"symlinked_directories\":[\"corpus/linked\"]"), totals)
      } else {
        XCTAssertTrue(totals.hasPrefix("total: 1 file, "), totals)
        XCTAssertTrue(totals.contains("; 1 symlinked directory not followed, its files not counted (corpus/linked); "), totals)
      }
    }
  }
}
