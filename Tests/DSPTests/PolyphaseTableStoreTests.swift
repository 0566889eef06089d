@testable import DSP
import Foundation
import TestSupport
import XCTest

/// The table cache's files in process: a stored table is the measured one, tap for tap, and any
/// damage to its file makes `load` refuse it (#22). The command line's byte-identical outputs
/// are in `TableCacheTests`.
final class PolyphaseTableStoreTests: XCTestCase {
  func testStoredTableIsTheMeasuredOne() throws {
    let store = PolyphaseTableStore(directory: try scratchDirectory(self) + "/cache/audioprep")
    XCTAssertNil(store.load(converter: .fastest, p: 160, q: 441))
    let measured = try PolyphaseTable(converter: .fastest, p: 160, q: 441)
    store.save(measured)
    let loaded = try XCTUnwrap(store.load(converter: .fastest, p: 160, q: 441))
    XCTAssertEqual(loaded.stride, measured.stride)
    XCTAssertEqual(loaded.firstTap, measured.firstTap)
    XCTAssertEqual(loaded.lastTap, measured.lastTap)
    XCTAssertTrue(Array(loaded.allTaps) == Array(measured.allTaps))
    XCTAssertEqual((0..<160).map { loaded.steps[$0] }, (0..<160).map { measured.steps[$0] })
    guard case .stored = loaded.origin else { return XCTFail("\(loaded.origin)") }
    // Another converter or ratio is another file, absent here.
    XCTAssertNil(store.load(converter: .medium, p: 160, q: 441))
    XCTAssertNil(store.load(converter: .fastest, p: 160, q: 480))
  }

  /// Every byte of the header, the checksum, and taps across the file, flipped one at a time;
  /// cut short at several lengths; one byte more: each is refused. (48 kHz → 16 kHz: a file of
  /// its own, since a process claims each output name once, and a removed scratch directory's
  /// inode can come back.)
  func testAnyDamagedByteIsRefused() throws {
    let store = PolyphaseTableStore(directory: try scratchDirectory(self) + "/cache/audioprep")
    store.save(try PolyphaseTable(converter: .fastest, p: 1, q: 3))
    let path = store.directory + "/" + store.fileName(converter: .fastest, p: 1, q: 3)
    let intact = readWholeFile(path)
    let headerBytes = PolyphaseTableFile.headerSize(libraryVersion: Resampler.libraryVersion)
    let positions = Array(0..<headerBytes) + Array((intact.count - 8)..<intact.count)
      + Swift.stride(from: headerBytes, to: intact.count - 8, by: 61)
    func refused(_ bytes: [UInt8]) throws -> Bool {
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      return store.load(converter: .fastest, p: 1, q: 3) == nil
    }
    for position in positions {
      var damaged = intact
      damaged[position] ^= 0x01
      XCTAssertTrue(try refused(damaged), "bit 0 of byte \(position) flipped")
    }
    for length in [0, 7, headerBytes - 1, headerBytes, intact.count / 2, intact.count - 8, intact.count - 1] {
      XCTAssertTrue(try refused(Array(intact.prefix(length))), "cut to \(length) bytes")
    }
    XCTAssertTrue(try refused(intact + [0]), "one byte more")
    XCTAssertFalse(try refused(intact), "the intact file")
  }
}
