@testable import DSP
import Foundation
import Glibc
import SystemPackage
import TestSupport
import XCTest

/// The file-descriptor layer's wrappers against the C library's own answers (issue 17: every
/// file-system call goes through `Descriptor` or `DirectoryListing`): each does what its C call
/// does, and a failure throws that call's errno.
final class DescriptorTests: XCTestCase {
  /// Stop 43: a listing copied each record's whole 256-byte `d_name` field, though a record is
  /// only as long as its name: past the end of the last record of a block into an unmapped page,
  /// a crash (139) listing a 3000-file directory of segments (caught as an overflow under ASan).
  /// Every name of such a directory is listed.
  func testDirectoryListingReadsEachNameWhereItLies() throws {
    let directory = try scratchDirectory(self)
    let names = Set((0..<3000).map { "s_\($0).wav" })
    for name in names { XCTAssertTrue(FileManager.default.createFile(atPath: directory + "/" + name, contents: nil)) }
    let opened = open(directory, O_RDONLY | O_DIRECTORY)
    defer { close(opened) }
    var listed: Set<String> = []
    try DirectoryListing.forEach(in: opened) { listed.insert($0.name) }
    XCTAssertEqual(listed, names)
  }

  func testDirectoryListingGivesEveryNameAndLeavesTheDescriptorOpen() throws {
    let directory = try scratchDirectory(self)
    let names = ["a.wav", ".hidden", "b", "n\u{e9}"]
    for name in names { XCTAssertTrue(FileManager.default.createFile(atPath: directory + "/" + name, contents: Data())) }
    try FileManager.default.createDirectory(atPath: directory + "/sub", withIntermediateDirectories: false)
    let descriptor = Descriptor.open(directory, flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    XCTAssertGreaterThanOrEqual(descriptor, 0)
    defer { try? Descriptor.close(descriptor) }
    var listed: [String: Bool] = [:]
    try DirectoryListing.forEach(in: descriptor) { listed[$0.name] = $0.isDirectory }
    // What FileManager lists (`.` and `..` never), and `sub` is the one directory.
    XCTAssertEqual(Set(listed.keys), Set(try FileManager.default.contentsOfDirectory(atPath: directory)))
    XCTAssertEqual(listed["sub"], true)
    XCTAssertEqual(listed["a.wav"], false)
    // The caller's descriptor is still open, and a second listing starts from the first name.
    XCTAssertNotNil(Descriptor.status("a.wav", in: descriptor))
    var again = 0
    try DirectoryListing.forEach(in: descriptor) { _ in again += 1 }
    XCTAssertEqual(again, names.count + 1)
    XCTAssertThrowsError(try DirectoryListing.forEach(in: -1) { _ in }) { XCTAssertEqual($0 as? Errno, .badFileDescriptor) }
  }

  func testPositionsAreThoseOfPreadLseekAndFtruncate() throws {
    let path = try scratchDirectory(self) + "/f"
    XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data((0..<100).map { UInt8($0) })))
    let descriptor = Descriptor.open(path, flags: O_RDWR | O_CLOEXEC)
    XCTAssertGreaterThanOrEqual(descriptor, 0)
    defer { try? Descriptor.close(descriptor) }
    XCTAssertEqual(try Descriptor.read(descriptor, count: 4, at: 10), [10, 11, 12, 13])
    XCTAssertEqual(try Descriptor.read(descriptor, count: 8, at: 96), [96, 97, 98, 99], "fewer at the end")
    XCTAssertEqual(try Descriptor.read(descriptor, count: 8, at: 200), [])
    XCTAssertEqual(try Descriptor.seek(descriptor, to: 0, from: SEEK_CUR), 0, "pread moved nothing")
    XCTAssertEqual(try Descriptor.seek(descriptor, to: -10, from: SEEK_END), 90)
    XCTAssertThrowsError(try Descriptor.seek(descriptor, to: -1, from: SEEK_SET)) { XCTAssertEqual($0 as? Errno, .invalidArgument) }
    try Descriptor.truncate(descriptor, to: 50)
    XCTAssertEqual(Descriptor.status(of: descriptor)?.size, 50)
    // A pipe cannot seek: how an output that is a stream is told.
    var ends: [Int32] = [0, 0]
    XCTAssertEqual(pipe(&ends), 0)
    defer { for end in ends { try? Descriptor.close(end) } }
    XCTAssertThrowsError(try Descriptor.seek(ends[0], to: 0, from: SEEK_CUR)) { XCTAssertEqual($0 as? Errno, .illegalSeek) }
    XCTAssertEqual([UInt8](repeating: 1, count: 3).withUnsafeBytes { Descriptor.writeAll(ends[1], $0).written }, 3)
    XCTAssertEqual(try Descriptor.bytesWaiting(ends[0]), 3)
  }

  func testLifetimeAndPathCallsThrowTheirErrno() throws {
    let directory = try scratchDirectory(self)
    let path = directory + "/f"
    XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data([1])))
    let descriptor = Descriptor.open(path, flags: O_RDONLY | O_CLOEXEC)
    let copy = try Descriptor.duplicate(descriptor)
    XCTAssertGreaterThanOrEqual(copy, 3)
    XCTAssertEqual(fcntl(copy, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC)
    XCTAssertEqual(Descriptor.status(of: copy)?.identity, Descriptor.status(of: descriptor)?.identity)
    try Descriptor.lock(descriptor, .exclusive)
    // Another open file description of the same file cannot take it without waiting.
    let other = Descriptor.open(path, flags: O_RDONLY | O_CLOEXEC)
    XCTAssertThrowsError(try Descriptor.lock(other, .shared, wait: false)) { XCTAssertEqual($0 as? Errno, .wouldBlock) }
    try Descriptor.close(other)
    try Descriptor.close(copy)
    try Descriptor.close(descriptor)
    XCTAssertThrowsError(try Descriptor.close(descriptor)) { XCTAssertEqual($0 as? Errno, .badFileDescriptor) }

    XCTAssertEqual(symlink("f", directory + "/link"), 0)
    XCTAssertEqual(try Descriptor.linkTarget(directory + "/link"), "f")
    XCTAssertThrowsError(try Descriptor.linkTarget(path)) { XCTAssertEqual($0 as? Errno, .invalidArgument) }
    XCTAssertEqual(try Descriptor.resolvedPath(directory + "/./link"), try Descriptor.resolvedPath(path))
    XCTAssertThrowsError(try Descriptor.resolvedPath(directory + "/missing")) { XCTAssertEqual($0 as? Errno, .noSuchFileOrDirectory) }
    XCTAssertNoThrow(try Descriptor.checkReadable(path))
    XCTAssertEqual(try Descriptor.workingDirectory(), FileManager.default.currentDirectoryPath)
    XCTAssertEqual(Descriptor.makeDirectory(directory + "/d", mode: 0o755), 0)
    XCTAssertEqual(Descriptor.makeDirectory(directory + "/d/e", mode: 0o755), 0)
    XCTAssertThrowsError(try Descriptor.removeDirectory(directory + "/d")) { XCTAssertEqual($0 as? Errno, .directoryNotEmpty) }
    try Descriptor.removeDirectory(directory + "/d/e")
    try Descriptor.removeDirectory(directory + "/d")
    XCTAssertNil(Descriptor.status(directory + "/d"))
  }
}
