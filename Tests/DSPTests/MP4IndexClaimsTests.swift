import XCTest

@testable import DSP

/// Issue 16 (review16f N3–N5): what an MP4's index claims is priced the same whether its bytes
/// come whole (a file) or a few at a time (a pipe, any box header or table record cut between
/// two reads), and on FFmpeg's chunk path by its chunks, not its samples. The boxes are built
/// here, and the expected counts computed from FFmpeg's rules by hand.
final class MP4IndexClaimsTests: XCTestCase {
  static func box(_ type: String, _ body: [UInt8]) -> [UInt8] {
    bigEndian(UInt32(8 + body.count)) + Array(type.utf8) + body
  }

  static func bigEndian(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }

  /// A movie with one track: `handler`, one `stts` entry of `duration`, `samples` of one size,
  /// `chunks` chunks and the `stsc` runs given (first chunk, samples a chunk).
  static func movie(handler: String, duration: UInt32, samples: UInt32, chunks: UInt32, runs: [(UInt32, UInt32)]) -> [UInt8] {
    let stts = box("stts", [0, 0, 0, 0] + bigEndian(1) + bigEndian(samples) + bigEndian(duration))
    let stsz = box("stsz", [0, 0, 0, 0] + bigEndian(2) + bigEndian(samples))
    let stsc = box("stsc", [0, 0, 0, 0] + bigEndian(UInt32(runs.count)) + runs.flatMap { bigEndian($0.0) + bigEndian($0.1) + bigEndian(1) })
    let stco = box("stco", [0, 0, 0, 0] + bigEndian(chunks) + (0..<chunks).flatMap { _ in bigEndian(0) })
    let stbl = box("stbl", stts + stsc + stsz + stco)
    // QuickTime's data handler in minf must not be taken for the media's.
    let minf = box("minf", box("hdlr", [0, 0, 0, 0] + Array("dhlrurl ".utf8)) + stbl)
    let mdia = box("mdia", box("hdlr", [0, 0, 0, 0] + Array("mhlr".utf8) + Array(handler.utf8)) + minf)
    return box("ftyp", Array("qt  ".utf8) + [0, 0, 0, 0]) + box("moov", box("trak", mdia)) + box("mdat", [UInt8](repeating: 0, count: 64))
  }

  static func claims(_ bytes: [UInt8], pieces: Int, inputBytes: Int64? = nil) -> MP4IndexClaims {
    var claims = MP4IndexClaims(inputBytes: inputBytes)
    var at = 0
    while at < bytes.count {
      let count = min(pieces, bytes.count - at)
      bytes[at..<at + count].withUnsafeBytes { claims.feed($0, at: Int64(at)) }
      at += count
    }
    claims.finish()
    return claims
  }

  func testChunkPathEntriesAreCountedFromTheRunsWhateverTheReads() {
    // Runs: chunks 1–3 of 5000 samples (5 entries each), chunks 4–10 of 1024 (1 each).
    let pcm = Self.movie(handler: "soun", duration: 1, samples: 22_168, chunks: 10, runs: [(1, 5000), (4, 1024)])
    for pieces in [1, 3, 7, 4096] {
      let claims = Self.claims(pcm, pieces: pieces)
      XCTAssertEqual(claims.entries, 3 * 5 + 7 * 1, "read \(pieces) bytes at a time")
      XCTAssertNil(claims.refusal)
    }
    // The same table timed in ticks of 1024 (AAC): an entry a sample.
    let aac = Self.movie(handler: "soun", duration: 1024, samples: 22_168, chunks: 10, runs: [(1, 5000), (4, 1024)])
    XCTAssertEqual(Self.claims(aac, pieces: 5).entries, 22_168)
    // Video timed a frame a tick is not on the chunk path either.
    XCTAssertEqual(Self.claims(Self.movie(handler: "vide", duration: 1, samples: 500, chunks: 10, runs: [(1, 50)]), pieces: 2).entries, 500)
  }

  func testAClaimBeyondTheAllowanceIsRefusedFromAFileAndInPieces() {
    // 4 million samples an entry each: 160 MB of index for a 300-byte input.
    let bomb = Self.movie(handler: "soun", duration: 1024, samples: 4_000_000, chunks: 1, runs: [(1, 4_000_000)])
    for pieces in [1, 5, 4096] {
      let claims = Self.claims(bomb, pieces: pieces)
      XCTAssertEqual(claims.entries, 4_000_000)
      XCTAssertTrue(claims.refusal?.contains("index claims 4000000 entries") == true, "\(pieces): \(claims.refusal ?? "nil")")
      XCTAssertTrue(claims.refusal?.contains("read so far") == true, claims.refusal ?? "nil")
    }
    // Backed by a file of 200 MB, the same index is the file's own.
    XCTAssertNil(Self.claims(bomb, pieces: 4096, inputBytes: 200 << 20).refusal)
    // On the chunk path, 4 million PCM samples are 3907 entries.
    let pcm = Self.movie(handler: "soun", duration: 1, samples: 4_000_000, chunks: 1, runs: [(1, 4_000_000)])
    XCTAssertEqual(Self.claims(pcm, pieces: 3).entries, 3907)
    XCTAssertNil(Self.claims(pcm, pieces: 3).refusal)
  }

  func testAnythingElseIsNotWalked() {
    let wav = Array("RIFF".utf8) + Self.bigEndian(100) + Array("WAVEfmt ".utf8) + [UInt8](repeating: 0, count: 92)
    let claims = Self.claims(wav, pieces: 1)
    XCTAssertTrue(claims.done)
    XCTAssertEqual(claims.entries, 0)
  }
}
