import Foundation
import TestSupport
import XCTest

@testable import DSP

/// A chunk before the audio whose 64-bit size is the largest there is (a CAF's `free`, a W64's
/// `junk`, an MP4 box of size 1 and that large size) is refused as a bad input, from a file and
/// from a pipe. Every walk that adds a size to an offset (the walk to the data chunk, the walk
/// for files joined on, the look for an MP4's index, an MP4's sample times, a pipe's look at
/// its first bytes) died of the overflow (a 100-byte CAF: signal 4, exit 132; found while
/// making the walk say where a pipe's audio ends, and by review29b: an `ftyp` of 2^63 - 1
/// bytes, a CAF `desc` of 2^63 - 24 from a pipe).
final class ChunkSizeOverflowTests: XCTestCase {
  static func caf(chunkSize: UInt64) -> [UInt8] {
    var bytes = Array("caff".utf8) + [0, 1, 0, 0]
    bytes += Array("desc".utf8) + 32.bigEndianBytes8
    bytes += 16000.0.bitPattern.bigEndianBytes8 + Array("lpcm".utf8) + [0, 0, 0, 12] + [0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 16]
    bytes += Array("free".utf8) + chunkSize.bigEndianBytes8 + [UInt8](repeating: 0, count: 64)
    return bytes
  }

  static func w64(chunkSize: UInt64) -> [UInt8] {
    var bytes = HeaderedFile.w64RIFF + UInt64(200).littleEndianBytes8 + HeaderedFile.w64WAVE
    bytes += Array("junk".utf8) + HeaderedFile.w64Data[4...] + chunkSize.littleEndianBytes8 + [UInt8](repeating: 0, count: 64)
    return bytes
  }

  func testAChunkAsLargeAsAnOffsetCanBeIsABadInput() throws {
    let directory = try scratchDirectory(self)
    let m4a = readWholeFile(try MadeInputs.fromSpeech("honest.m4a", in: directory, ["-c:a", "aac", "-movflags", "+faststart"]))
    let ftyp = Int(m4a[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    /// The M4A with a box of a 64-bit size after its `ftyp`.
    func withBigBox(_ boxSize: UInt64) -> [UInt8] {
      Array(m4a[..<ftyp]) + [0, 0, 0, 1] + Array("free".utf8) + boxSize.bigEndianBytes8 + [UInt8](repeating: 0, count: 16) + Array(m4a[ftyp...])
    }
    /// The M4A with its first box (`ftyp`) given a 64-bit size.
    func withBigFirstBox(_ boxSize: UInt64) -> [UInt8] {
      [0, 0, 0, 1] + Array("ftyp".utf8) + boxSize.bigEndianBytes8 + Array(m4a[8...])
    }
    /// A CAF whose first chunk (`desc`) has `size`.
    func cafWithDesc(_ size: UInt64) -> [UInt8] {
      var bytes = Self.caf(chunkSize: 64)
      bytes.replaceSubrange(12..<20, with: size.bigEndianBytes8)
      return bytes
    }
    for (name, bytes) in [
      ("ftyp-max.m4a", withBigFirstBox(UInt64(Int64.max))), ("ftyp-max-8.m4a", withBigFirstBox(UInt64(Int64.max) - 7)),
      ("desc-max.caf", cafWithDesc(UInt64(Int64.max) - 23)), ("desc-max-0.caf", cafWithDesc(UInt64(Int64.max))),
      ("free.m4a", withBigBox(UInt64(Int64.max))), ("free-ftyp.m4a", withBigBox(UInt64(Int64.max) - UInt64(ftyp) + 1)),
      ("free.caf", Self.caf(chunkSize: UInt64(Int64.max))), ("free-1.caf", Self.caf(chunkSize: UInt64(Int64.max) - 11)),
      ("junk.w64", Self.w64(chunkSize: UInt64(Int64.max))), ("junk-7.w64", Self.w64(chunkSize: UInt64(Int64.max) - 7)),
    ] {
      let path = directory + "/" + name
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      for viaPipe in [false, true] {
        XCTAssertThrowsError(try viaPipe ? decodeAllThroughAPipe(path) : decodeAll(path), name) { error in
          XCTAssertEqual((error as? AudioIOError)?.kind, .invalidInput, "\(name)\(viaPipe ? " from a pipe" : ""): \(error)")
        }
      }
    }
  }
}

extension FixedWidthInteger {
  fileprivate var bigEndianBytes8: [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: UInt64(truncatingIfNeeded: self) >> (56 - $0 * 8)) } }
  fileprivate var littleEndianBytes8: [UInt8] { bigEndianBytes8.reversed() }
}
