@testable import DSP
import Foundation
import Glibc
import TestSupport
import XCTest

/// What this process protects outlives the files and directories it protected: in a process
/// that runs many runs (in-process tests, whose scratch directories come and go; a long batch
/// whose inputs are removed meanwhile), an inode number freed and reused made a new file "an
/// input" and a new directory's names "named by another output of this run". In-process tests
/// failed at random from it (2 of 5 runs of the manifest suites, stop 31).
final class ProtectedFilesReuseTests: XCTestCase {
  /// A name an output claimed is free again once that output has gone (discarded here; a settled
  /// output is protected by its identity instead).
  func testANameIsFreeAgainOnceItsOutputHasGone() throws {
    let directory = try scratchDirectory(self)
    let opened = try OutputDirectory.open(directory)
    var first: OutputFile? = try OutputFile(name: "x.wav", in: opened, path: directory + "/x.wav", overwrite: false, devicesInPlace: false)
    XCTAssertThrowsError(try OutputFile(name: "x.wav", in: opened, path: directory + "/x.wav", overwrite: false, devicesInPlace: false)) {
      XCTAssertTrue("\($0)".contains("is named by another output of this run"), "\($0)")
    }
    first?.discard()
    first = nil
    XCTAssertNoThrow(try OutputFile(name: "x.wav", in: opened, path: directory + "/x.wav", overwrite: false, devicesInPlace: false))
  }

  /// An input removed, and a new file in its inode, is not that input.
  func testANewFileInAnInputsReusedInodeIsNoInput() throws {
    let directory = try scratchDirectory(self)
    let input = directory + "/input.wav"
    FileManager.default.createFile(atPath: input, contents: Data([1, 2, 3]))
    ProtectedFiles.protectInput(input)
    XCTAssertThrowsError(try ProtectedFiles.refuseProtected(outputPath: input))
    let inode = try XCTUnwrap(Descriptor.status(input)).identity
    XCTAssertEqual(unlink(input), 0)
    // The file system hands the freed inode out again, usually at once: look for it.
    for attempt in 0..<500 {
      let candidate = directory + "/new-\(attempt).wav"
      FileManager.default.createFile(atPath: candidate, contents: Data([4]))
      if Descriptor.status(candidate)?.identity == inode {
        XCTAssertNoThrow(try ProtectedFiles.refuseProtected(outputPath: candidate))
        return
      }
    }
    throw XCTSkip("the file system did not reuse the inode in 500 new files")
  }
}
