import Foundation
import TestSupport
import XCTest

/// The persistent polyphase table cache (#22): whatever state it is in (none yet, filled,
/// damaged, unwritable, planted), the output is byte for byte the output of a run with the cache
/// off, where the table is measured from libsamplerate in the process itself.
final class TableCacheTests: XCTestCase {
  /// Runs audioprep on the 44.1 kHz stereo fixture to `out.wav` (f32, so that every bit of the
  /// resampler shows) with `XDG_CACHE_HOME=cache` (or the cache off), and returns the output.
  func run(
    _ directory: String, cache: String?, converter: String = "medium", stats: Bool = false,
    file: StaticString = #filePath, line: UInt = #line
  ) throws -> (bytes: [UInt8], stderr: String) {
    let setup = cache.map { "export XDG_CACHE_HOME='\($0)'; unset AUDIOPREP_TABLE_CACHE" } ?? "export AUDIOPREP_TABLE_CACHE=off"
    let result = try spawnAudioprep(
      [fixtures + "/stereo44k.wav", "-o", "out.wav", "--force", "--encoding", "f32", "--converter", converter]
        + (stats ? ["--stats"] : ["--quiet"]),
      in: directory, shellSetup: setup)
    XCTAssertEqual(result.status, 0, result.stderr, file: file, line: line)
    return (readWholeFile(directory + "/out.wav"), result.stderr)
  }

  func tableFiles(_ cache: String) -> [String] {
    directoryListing(cache + "/audioprep").filter { $0.hasSuffix(".table") }
  }

  func testColdAndWarmCacheGiveTheOutputOfNoCache() throws {
    let directory = try scratchDirectory(self)
    let cache = directory + "/cache"
    for converter in ["medium", "fastest"] {
      let golden = try run(directory, cache: nil, converter: converter).bytes
      XCTAssertGreaterThan(golden.count, 100_000)
      let cold = try run(directory, cache: cache, converter: converter, stats: true)
      XCTAssertTrue(cold.bytes == golden, "cold cache, \(converter)")
      XCTAssertTrue(cold.stderr.contains("taps measured in"), cold.stderr)
      XCTAssertTrue(tableFiles(cache).contains { $0.contains("-\(converter)-160-441") }, "\(tableFiles(cache))")
      let warm = try run(directory, cache: cache, converter: converter, stats: true)
      XCTAssertTrue(warm.bytes == golden, "warm cache, \(converter)")
      XCTAssertTrue(warm.stderr.contains("read from the table cache"), warm.stderr)
    }
    XCTAssertEqual(temporaryFiles(cache), [])
  }

  /// A flipped bit in the taps, a truncated file and one ending in garbage are all refused
  /// (checksum, size), measured afresh, and the file is written again whole.
  func testDamagedCacheFileIsIgnoredAndReplaced() throws {
    let directory = try scratchDirectory(self)
    let cache = directory + "/cache"
    let golden = try run(directory, cache: nil).bytes
    _ = try run(directory, cache: cache)
    let path = cache + "/audioprep/" + (try XCTUnwrap(tableFiles(cache).first))
    let intact = readWholeFile(path)
    var flipped = intact
    flipped[intact.count / 2 / 4 * 4 + 3] ^= 0x40  // the exponent of a tap in the middle
    let damages: [(String, [UInt8])] = [
      ("flipped", flipped), ("truncated", Array(intact.prefix(intact.count - 100))),
      ("extended", intact + [1, 2, 3, 4, 5, 6, 7, 8]), ("empty", []),
    ]
    for (damage, bytes) in damages {
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      let damaged = try run(directory, cache: cache, stats: true)
      XCTAssertTrue(damaged.bytes == golden, damage)
      XCTAssertTrue(damaged.stderr.contains("taps measured in"), "\(damage): \(damaged.stderr)")
      XCTAssertTrue(readWholeFile(path) == intact, "\(damage): written again")
    }
  }

  /// A table for another converter, renamed to this one's name, is intact but not this table:
  /// the header's converter is checked.
  func testTableOfAnotherConverterIsRefused() throws {
    let directory = try scratchDirectory(self)
    let cache = directory + "/cache"
    let golden = try run(directory, cache: nil).bytes
    _ = try run(directory, cache: cache)
    _ = try run(directory, cache: cache, converter: "fastest")
    let medium = try XCTUnwrap(tableFiles(cache).first { $0.contains("-medium-") })
    let fastest = try XCTUnwrap(tableFiles(cache).first { $0.contains("-fastest-") })
    XCTAssertEqual(rename(cache + "/audioprep/" + fastest, cache + "/audioprep/" + medium), 0)
    let refused = try run(directory, cache: cache, stats: true)
    XCTAssertTrue(refused.bytes == golden, "not the output without the cache")
    XCTAssertTrue(refused.stderr.contains("taps measured in"), refused.stderr)
  }

  /// A cache that cannot be written (its directory is a file; its parent is a file) changes
  /// nothing: same output, exit 0, not a word on standard error.
  func testUnwritableCacheIsIgnored() throws {
    let directory = try scratchDirectory(self)
    let golden = try run(directory, cache: nil).bytes
    let blocked = directory + "/blocked"
    try FileManager.default.createDirectory(atPath: blocked, withIntermediateDirectories: true)
    try Data("not a directory".utf8).write(to: URL(fileURLWithPath: blocked + "/audioprep"))
    let notADirectory = directory + "/file"
    try Data("x".utf8).write(to: URL(fileURLWithPath: notADirectory))
    for cache in [blocked, notADirectory + "/cache"] {
      let result = try spawnAudioprep(
        [fixtures + "/stereo44k.wav", "-o", "out.wav", "--force", "--encoding", "f32"], in: directory,
        shellSetup: "export XDG_CACHE_HOME='\(cache)'")
      XCTAssertEqual(result.status, 0, result.stderr)
      XCTAssertEqual(result.stderr, "", cache)
      XCTAssertTrue(readWholeFile(directory + "/out.wav") == golden, cache)
    }
    XCTAssertEqual(String(decoding: readWholeFile(blocked + "/audioprep"), as: UTF8.self), "not a directory")
  }

  /// A symlink planted at a table's name is neither read through nor written through: the file
  /// it points to is left as it was, and the link is replaced by the table.
  func testSymlinkAtTheTableNameIsNotFollowed() throws {
    let directory = try scratchDirectory(self)
    let cache = directory + "/cache"
    let golden = try run(directory, cache: nil).bytes
    _ = try run(directory, cache: cache)
    let name = cache + "/audioprep/" + (try XCTUnwrap(tableFiles(cache).first))
    let table = readWholeFile(name)
    let victim = directory + "/victim"
    try Data("precious".utf8).write(to: URL(fileURLWithPath: victim))
    XCTAssertEqual(unlink(name), 0)
    XCTAssertEqual(symlink(victim, name), 0)
    let result = try run(directory, cache: cache, stats: true)
    XCTAssertTrue(result.bytes == golden, "not the output without the cache")
    XCTAssertTrue(result.stderr.contains("taps measured in"), result.stderr)
    XCTAssertEqual(String(decoding: readWholeFile(victim), as: UTF8.self), "precious")
    var status = stat()
    XCTAssertEqual(lstat(name, &status), 0)
    XCTAssertEqual(status.st_mode & S_IFMT, S_IFREG)
    XCTAssertTrue(readWholeFile(name) == table, "the link replaced by the table")
  }
}
