import DSP
import Foundation
import TestSupport
import XCTest

/// A run into memory (a library caller loading file after file) writes no file, so it adds
/// nothing to the process-wide set of protected inputs: the set stayed one entry a file for
/// the life of the process, and the file could no longer be an output of that process.
final class MemoryRunProtectionTests: XCTestCase {
  func testARunIntoMemoryProtectsNothing() throws {
    let directory = NSTemporaryDirectory() + "audioprep-memory-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let copy = directory + "/speech.flac"
    try FileManager.default.copyItem(atPath: fixtures + "/speech.flac", toPath: copy)
    _ = try AudioPipeline().run(.init(copy), to: .init(.memory))
    _ = try AudioPipeline().pull(.init(copy)).next()
    XCTAssertNoThrow(try ProtectedFiles.refuseProtected(outputPath: copy))
    // A run that writes a file still protects its input.
    _ = try AudioPipeline().run(.init(copy), to: .init(.file(directory + "/out.wav")))
    XCTAssertThrowsError(try ProtectedFiles.refuseProtected(outputPath: copy))
  }
}
