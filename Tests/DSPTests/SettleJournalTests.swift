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
