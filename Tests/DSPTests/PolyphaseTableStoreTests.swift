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

  /// The store keeps its files within its capacity, removing those used least recently: one
  /// file per ratio grew without bound under speed perturbation (a random rate each call: 226
  /// files, 185 MB after 600 calls; hostile review 31p, W3). A table loaded counts as used; the
  /// table just saved stays, even alone beyond the capacity.
  func testTheStoreStaysWithinItsCapacityKeepingTheTablesInUse() throws {
    let ratios = [(1, 2), (1, 3), (2, 3), (3, 4)]
    let (a, b, c, d) = (0, 1, 2, 3)
    let tables = try ratios.map { try PolyphaseTable(converter: .fastest, p: $0.0, q: $0.1) }
    let sizes = try tables.map { table in
      let probe = PolyphaseTableStore(directory: try scratchDirectory(self) + "/probe-\(table.p)-\(table.q)")
      probe.save(table)
      return try XCTUnwrap(Descriptor.status(probe.directory + "/" + probe.fileName(converter: .fastest, p: table.p, q: table.q))?.size)
    }
    func stored(_ store: PolyphaseTableStore) -> [String] {
      ((try? FileManager.default.contentsOfDirectory(atPath: store.directory)) ?? []).filter { $0.hasSuffix(".table") }.sorted()
    }
    func names(_ store: PolyphaseTableStore, _ indices: [Int]) -> [String] {
      indices.map { store.fileName(converter: .fastest, p: ratios[$0].0, q: ratios[$0].1) }.sorted()
    }
    // Room for A, C and D: B, used least recently once A has been loaded again, goes.
    let store = PolyphaseTableStore(directory: try scratchDirectory(self) + "/cache/audioprep", capacityBytes: sizes[a] + sizes[c] + sizes[d])
    store.save(tables[a])
    store.save(tables[b])
    usleep(20_000)  // a later modification time than B's, on any file system's clock
    XCTAssertNotNil(store.load(converter: .fastest, p: ratios[a].0, q: ratios[a].1))
    usleep(20_000)
    store.save(tables[c])
    store.save(tables[d])
    XCTAssertEqual(stored(store), names(store, [a, c, d]))
    // A capacity smaller than any table: the one just saved, alone.
    let tiny = PolyphaseTableStore(directory: try scratchDirectory(self) + "/tiny/audioprep", capacityBytes: 1)
    tiny.save(tables[a])
    XCTAssertEqual(stored(tiny), names(tiny, [a]))
    tiny.save(tables[b])
    XCTAssertEqual(stored(tiny), names(tiny, [b]))
  }

  /// A temporary a killed process left in the store (`kill -9` between its write and its
  /// rename: up to 500 KiB each) is removed by the next save once nobody holds it; one a live
  /// writer holds (its `flock`) stays (hostile review 36b, P1: 141 orphans took the store past
  /// its 64 MiB, and nothing ever removed them).
  func testASaveRemovesTemporariesThatKilledProcessesLeft() throws {
    let store = PolyphaseTableStore(directory: try scratchDirectory(self) + "/cache/audioprep")
    let table = try PolyphaseTable(converter: .fastest, p: 1, q: 2)
    store.save(table)
    let name = store.fileName(converter: .fastest, p: 1, q: 2)
    let orphans = (0..<5).map { store.directory + "/.\(name).audioprep-99999-\(String($0, radix: 16))abc.tmp" }
    for orphan in orphans {
      try Data(repeating: 7, count: 1000).write(to: URL(fileURLWithPath: orphan))
      var old = [timespec(tv_sec: 1_000_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000_000, tv_nsec: 0)]
      XCTAssertEqual(utimensat(AT_FDCWD, orphan, &old, 0), 0)
    }
    let held = store.directory + "/.\(name).audioprep-99998-def.tmp"
    try Data(repeating: 7, count: 1000).write(to: URL(fileURLWithPath: held))
    let holder = open(held, O_RDONLY)
    XCTAssertGreaterThanOrEqual(holder, 0)
    defer { close(holder) }
    XCTAssertEqual(flock(holder, LOCK_EX), 0)
    store.save(try PolyphaseTable(converter: .fastest, p: 1, q: 3))
    let left = try FileManager.default.contentsOfDirectory(atPath: store.directory).filter { $0.hasSuffix(".tmp") }
    XCTAssertEqual(left, [(held as NSString).lastPathComponent])
  }
}
