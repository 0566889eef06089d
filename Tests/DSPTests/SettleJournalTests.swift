@testable import DSP
import Foundation
import Glibc
import TestSupport
import XCTest

/// review42 H01: the journal a settle writes before moving a run's waiting files into place
/// names every one of them, whichever descriptor of the directory each output opened.
final class SettleJournalTests: XCTestCase {
  func testTheJournalNamesEveryWaitingFileOfTheDirectory() throws {
    let directory = try scratchDirectory(self)
    let names = (0..<5).map { "s_\($0).wav" } + ["list.jsonl"]
    for name in names { XCTAssertTrue(FileManager.default.createFile(atPath: directory + "/" + name, contents: Data("old".utf8))) }
    let files = try names.map { name in
      let file = try OutputFile(path: directory + "/" + name, overwrite: true)  // each opens the directory anew
      file.holdsUntilSettled = true
      try Array("new \(name)".utf8).withUnsafeBytes { try file.write($0) }
      try file.commit()
      return file
    }
    let journal = SettleJournal(writing: files.compactMap(\.settleStep))
    defer { journal.remove() }
    let listed = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasSuffix(".settling") })
    let fields = readWholeFile(directory + "/" + listed).split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    XCTAssertEqual(fields.count, 3 * names.count, "steps: \(fields)")
    XCTAssertEqual(Set(stride(from: 2, to: fields.count, by: 3).map { fields[$0] }), Set(names))
    for step in stride(from: 0, to: fields.count - 2, by: 3) {
      XCTAssertEqual(fields[step], "m")
      XCTAssertEqual(readWholeFile(directory + "/" + fields[step + 1]), Array("new \(fields[step + 2])".utf8), "\(fields[step + 1]) waits for \(fields[step + 2])")
    }
    for file in files { try file.settle() }
    journal.remove()
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(".") }, [], "the journal and the waiting files are gone")
    for name in names { XCTAssertEqual(readWholeFile(directory + "/" + name), Array("new \(name)".utf8)) }
  }
}

/// review49 H01, H03: a `--force` settle is taken back, never half done, until its last
/// replacement; past it, finished. By the run itself when a step fails, and by the next run
/// when it was killed (its journal, here planted as a run gone from the machine would leave it).
final class SettleTakeBackTests: XCTestCase {
  /// A process number no process can have (beyond Linux's largest `pid_max`).
  let gone: pid_t = 999_999_999

  func state(_ path: String) -> String {
    var status = stat()
    guard lstat(path, &status) == 0 else { return "" }
    return "\(status.st_dev):\(status.st_ino):\(status.st_size):\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
  }

  /// What a removal's step says of the file: `state` and the inode's change time.
  func removalState(_ path: String) -> String {
    var status = stat()
    guard lstat(path, &status) == 0 else { return "" }
    return state(path) + ":\(status.st_ctim.tv_sec).\(status.st_ctim.tv_nsec)"
  }

  func write(_ text: String, _ path: String) {
    XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)), path)
  }

  func finishDeadRuns(in directory: String) throws {
    let opened = try OutputDirectory.open(directory + "/")
    withExtendedLifetime(opened) { DeadRuns.clear(in: opened.descriptor) }
  }

  func hidden(_ directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(".") }.sorted()
  }

  /// Plants what a dead run left: for each name, its new file ("new NAME") waiting or, for the
  /// first `moved`, already under the name; the journal's step of `kind` for each ("M": the
  /// earlier file linked aside; "F": the name was free).
  func plant(_ names: [String], kind: String, moved: Int, removing: [String] = [], in directory: String) {
    var journal: [UInt8] = []
    for name in removing { journal += Array("r".utf8) + [0] + Array(name.utf8) + [0] + Array(removalState(directory + "/" + name).utf8) + [0] }
    for (index, name) in names.enumerated() {
      let waiting = ".\(name).audioprep-\(gone)-ff.pending"
      if kind == "M" { XCTAssertEqual(link(directory + "/" + name, directory + "/.\(name).audioprep-\(gone)-ff.earlier"), 0, name) }
      write("new \(name)", directory + "/" + waiting)
      journal += Array(kind.utf8) + [0] + Array(waiting.utf8) + [0] + Array(name.utf8) + [0] + Array(state(directory + "/" + waiting).utf8) + [0]
      if index < moved { XCTAssertEqual(rename(directory + "/" + waiting, directory + "/" + name), 0, name) }
    }
    write(String(decoding: journal, as: UTF8.self), directory + "/.settle.audioprep-\(gone)-ff.settling")
  }

  func testAKilledReplacementOntoNamesThatWereFreeFreesThem() throws {
    let directory = try scratchDirectory(self)
    plant(["a.wav", "b.wav", "c.wav"], kind: "F", moved: 2, in: directory)
    try finishDeadRuns(in: directory)
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [], "the killed run's files stay")
  }

  func testAKilledReplacementPutsTheEarlierFilesBack() throws {
    let directory = try scratchDirectory(self)
    let names = ["a.wav", "b.wav", "c.wav"]
    for name in names + ["d.wav"] { write("old \(name)", directory + "/" + name) }
    plant(names, kind: "M", moved: 2, removing: ["d.wav"], in: directory)
    try finishDeadRuns(in: directory)
    for name in names + ["d.wav"] { XCTAssertEqual(readWholeFile(directory + "/" + name), Array("old \(name)".utf8), name) }
    XCTAssertEqual(try hidden(directory), [])
  }

  func testAReplacementKilledPastItsLastRenameIsFinished() throws {
    let directory = try scratchDirectory(self)
    let names = ["a.wav", "b.wav", "c.wav"]
    for name in names + ["d.wav"] { write("old \(name)", directory + "/" + name) }
    plant(names, kind: "M", moved: 3, removing: ["d.wav"], in: directory)
    try finishDeadRuns(in: directory)
    for name in names { XCTAssertEqual(readWholeFile(directory + "/" + name), Array("new \(name)".utf8), name) }
    XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/d.wav"), "the earlier set's extra the run removes once settled")
    XCTAssertEqual(try hidden(directory), [])
  }

  /// The run's own take-back, whatever each name held: an earlier file (linked aside, put
  /// back), nothing (freed), with or without `--force`.
  func testARunTakesBackEveryStepItMade() throws {
    let directory = try scratchDirectory(self)
    write("old a.wav", directory + "/a.wav")
    let files = try [("a.wav", true), ("b.wav", true), ("c.wav", false)].map { name, overwrite in
      let file = try OutputFile(path: directory + "/" + name, overwrite: overwrite)
      file.holdsUntilSettled = true
      try Array("new \(name)".utf8).withUnsafeBytes { try file.write($0) }
      try file.commit()
      return file
    }
    for file in files { try file.checkSettle() }
    for file in files { try file.setEarlierAside() }
    for file in files { try file.linkIntoPlace() }
    for file in files { try file.replaceIntoPlace() }
    XCTAssertEqual(readWholeFile(directory + "/b.wav"), Array("new b.wav".utf8), "set-up: the steps were made")
    XCTAssertTrue(files.allSatisfy(\.canBeTakenBack))
    for file in files { file.removeCommitted() }
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["a.wav"])
    XCTAssertEqual(readWholeFile(directory + "/a.wav"), Array("old a.wav".utf8))
  }
}
