import Foundation
import TestSupport
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

  /// A track: `handler`, one `stts` entry of `duration`, `samples` of one size, `chunks` chunks
  /// and the `stsc` runs given (first chunk, samples a chunk); `extra` boxes at the end of the
  /// track, `table` wrapping the sample table's `stsc` (FFmpeg reads it wherever it is).
  static func track(
    handler: String, duration: UInt32, samples: UInt32, chunks: UInt32, runs: [(UInt32, UInt32)],
    extra: [UInt8] = [], stscIn wrapper: String? = nil
  ) -> [UInt8] {
    let stts = box("stts", [0, 0, 0, 0] + bigEndian(1) + bigEndian(samples) + bigEndian(duration))
    let stsz = box("stsz", [0, 0, 0, 0] + bigEndian(2) + bigEndian(samples))
    var stsc = box("stsc", [0, 0, 0, 0] + bigEndian(UInt32(runs.count)) + runs.flatMap { bigEndian($0.0) + bigEndian($0.1) + bigEndian(1) })
    let stco = box("stco", [0, 0, 0, 0] + bigEndian(chunks) + (0..<chunks).flatMap { _ in bigEndian(0) })
    var outside: [UInt8] = []
    if let wrapper {
      outside = box(wrapper, stsc)
      stsc = []
    }
    let stbl = box("stbl", stts + stsc + stsz + stco)
    // QuickTime's data handler in minf must not be taken for the media's.
    let minf = box("minf", box("hdlr", [0, 0, 0, 0] + Array("dhlrurl ".utf8)) + stbl)
    let mdia = box("mdia", box("hdlr", [0, 0, 0, 0] + Array("mhlr".utf8) + Array(handler.utf8)) + minf)
    return box("trak", mdia + outside + extra)
  }

  static func movie(_ tracks: [UInt8], first: String = "ftyp") -> [UInt8] {
    box(first, Array("qt  ".utf8) + [0, 0, 0, 0]) + box("moov", tracks) + box("mdat", [UInt8](repeating: 0, count: 64))
  }

  static func movie(handler: String, duration: UInt32, samples: UInt32, chunks: UInt32, runs: [(UInt32, UInt32)]) -> [UInt8] {
    movie(track(handler: handler, duration: duration, samples: samples, chunks: chunks, runs: runs))
  }

  static func claims(_ bytes: [UInt8], pieces: Int, inputBytes: Int64? = nil) -> MP4IndexClaims {
    var claims = MP4IndexClaims(inputBytes: inputBytes)
    inPieces(bytes, of: pieces) { claims.feed($0, at: $1) }
    claims.finish()
    return claims
  }

  func testChunkPathEntriesAreCountedFromTheRunsWhateverTheReads() {
    // Runs: chunks 1–3 of 5000 samples, chunks 4–10 of 1024; an entry for each 160 samples at
    // most (a QuickTime sound description's packet): 32 and 7 entries a chunk.
    let pcm = Self.movie(handler: "soun", duration: 1, samples: 22_168, chunks: 10, runs: [(1, 5000), (4, 1024)])
    for pieces in [1, 3, 7, 4096] {
      let claims = Self.claims(pcm, pieces: pieces)
      XCTAssertEqual(claims.entries, 3 * 32 + 7 * 7, "read \(pieces) bytes at a time")
      XCTAssertNil(claims.refusal)
    }
    // The same table timed in ticks of 1024 (AAC): an entry a sample.
    let aac = Self.movie(handler: "soun", duration: 1024, samples: 22_168, chunks: 10, runs: [(1, 5000), (4, 1024)])
    XCTAssertEqual(Self.claims(aac, pieces: 5).entries, 22_168)
    // A track timed a sample a tick under another handler may still be audio to FFmpeg (its
    // sample description says): the larger of both paths.
    XCTAssertEqual(Self.claims(Self.movie(handler: "vide", duration: 1, samples: 500, chunks: 10, runs: [(1, 50)]), pieces: 2).entries, 500)
    XCTAssertEqual(Self.claims(Self.movie(handler: "vide", duration: 1, samples: 5, chunks: 10, runs: [(1, 1600)]), pieces: 2).entries, 100)
  }

  func testAClaimBeyondTheAllowanceIsRefusedFromAFileAndInPieces() {
    // Two tracks of 2 million samples an entry each: 160 MB of index for a 600-byte input.
    let track = Self.track(handler: "soun", duration: 1024, samples: 2_000_000, chunks: 1, runs: [(1, 2_000_000)])
    let bomb = Self.movie(track + track)
    for pieces in [1, 5, 4096] {
      let claims = Self.claims(bomb, pieces: pieces)
      XCTAssertEqual(claims.entries, 4_000_000)
      XCTAssertTrue(claims.refusal?.contains("index claims 4000000 entries") == true, "\(pieces): \(claims.refusal ?? "nil")")
      XCTAssertTrue(claims.refusal?.contains("read so far") == true, claims.refusal ?? "nil")
    }
    // Backed by a file of 200 MB, the same index is the file's own.
    XCTAssertNil(Self.claims(bomb, pieces: 4096, inputBytes: 200 << 20).refusal)
    // On the chunk path, 4 million PCM samples are 25000 entries.
    let pcm = Self.movie(handler: "soun", duration: 1, samples: 4_000_000, chunks: 1, runs: [(1, 4_000_000)])
    XCTAssertEqual(Self.claims(pcm, pieces: 3).entries, 25000)
    XCTAssertNil(Self.claims(pcm, pieces: 3).refusal)
  }

  /// review29a H1–H8: the walk reads sizes as FFmpeg does and prices what FFmpeg builds.
  func testTheWalkSeesWhatFFmpegParses() {
    // 2 million samples, 80 MB of index: twice that is over the allowance, once is not.
    let bomb = Self.track(handler: "soun", duration: 1024, samples: 2_000_000, chunks: 1, runs: [(1, 1)])
    XCTAssertNil(Self.claims(Self.movie(bomb), pieces: 4096).refusal)
    let refused = { (bytes: [UInt8], label: String) in
      for pieces in [1, 4096] {
        XCTAssertNotNil(Self.claims(bytes, pieces: pieces).refusal, "\(label), \(pieces) at a time")
      }
    }
    // H1: a first box of any name.
    refused(Self.movie(bomb + bomb, first: "junk"), "a first box FFmpeg does not know")
    // H2: a box too small for its header ends its container (the track), not the walk; a box
    // running past its container ends with it.
    let short = Self.box(
      "trak", Array(Self.track(handler: "soun", duration: 1024, samples: 10, chunks: 1, runs: [(1, 1)]).dropFirst(8)) + [0, 0, 0, 4] + Array("free".utf8))
    refused(Self.movie(short + bomb + bomb), "a 4-byte box in the first track")
    let tail = Self.box(
      "trak", Array(Self.track(handler: "soun", duration: 1024, samples: 10, chunks: 1, runs: [(1, 1)]).dropFirst(8)) + [0, 0, 0, 1])
    refused(Self.movie(tail + bomb + bomb), "4 bytes left at the end of the first track")
    var long = Self.track(handler: "soun", duration: 1024, samples: 10, chunks: 1, runs: [(1, 1)]) + Self.box("free", [])
    long.replaceSubrange(long.count - 8..<long.count - 4, with: Self.bigEndian(1 << 30))
    let clamped = Self.box("trak", Array(long.dropFirst(8)))
    refused(Self.movie(clamped + bomb + bomb), "a box past its track's end")
    // H4: the chunk table inside edts or udta is the track's.
    for wrapper in ["edts", "udta", "dinf"] {
      let pcm = Self.track(handler: "soun", duration: 1, samples: 10, chunks: 8, runs: [(1, 400_000_000)], stscIn: wrapper)
      refused(Self.movie(pcm), "stsc in \(wrapper)")
    }
    // H7: an edit list of 3 edits builds the index three times.
    let edits = Self.box("edts", Self.box("elst", [0, 0, 0, 0] + Self.bigEndian(3) + [UInt8](repeating: 0, count: 36)))
    refused(Self.movie(Self.track(handler: "soun", duration: 1024, samples: 2_000_000, chunks: 1, runs: [(1, 1)], extra: edits)), "3 edits")
    // review29b: tables inside `meta` (after its handler; ISO's 4 bytes of version first or
    // QuickTime's none), `ilst`, `wave`; a `trun` inside a fragment's `meta`.
    let stsz = Self.box("stsz", [0, 0, 0, 0] + Self.bigEndian(2) + Self.bigEndian(2_000_000))
    let handler = Self.box("hdlr", [UInt8](repeating: 0, count: 24))
    let small = Self.track(handler: "soun", duration: 1024, samples: 10, chunks: 1, runs: [(1, 1)], extra: [])
    for (label, wrapped) in [
      ("ISO meta", Self.box("meta", [0, 0, 0, 0] + handler + stsz)), ("QuickTime meta", Self.box("meta", handler + stsz)),
      ("ilst", Self.box("ilst", stsz)), ("wave", Self.box("wave", stsz)),
    ] {
      let inside = Self.box("trak", Array(small.dropFirst(8)) + wrapped)
      refused(Self.movie(inside + inside), "stsz in \(label)")
    }
    // review29b: tables among a sound sample entry's extension boxes (after `esds`), in each
    // version of the entry (whose fields before its boxes are 28, 44 or 64 bytes long).
    for version: UInt8 in [0, 1, 2] {
      let fields = [UInt8](repeating: 0, count: 8) + [0, version] + [UInt8](repeating: 0, count: 18 + (version == 1 ? 16 : version == 2 ? 36 : 0))
      let entry = Self.box("mp4a", fields + Self.box("esds", [0, 0, 0, 0]) + stsz)
      let inside = Self.box("trak", Array(small.dropFirst(8)) + Self.box("stsd", [0, 0, 0, 0] + Self.bigEndian(1) + entry))
      refused(Self.movie(inside + inside), "stsz in a version \(version) sound entry")
    }
    let trun = Self.box("trun", [0, 0, 0, 1] + Self.bigEndian(3_000_000) + Self.bigEndian(0))
    let fragments = Self.box("moof", Self.box("traf", Self.box("meta", [0, 0, 0, 0] + handler + trun)))
    refused(Self.movie(small) + fragments + fragments, "trun in a fragment's meta")
    // review29b: two chunk tables in a track, the first the large one (FFmpeg 5.1 keeps it).
    let stscs = Self.box("stsc", [0, 0, 0, 0] + Self.bigEndian(1) + Self.bigEndian(1) + Self.bigEndian(400_000_000) + Self.bigEndian(1))
    let pcm = Self.track(handler: "soun", duration: 1, samples: 10, chunks: 8, runs: [(1, 1)], stscIn: nil)
    let firstBig = Self.box("trak", stscs + Array(pcm.dropFirst(8)))
    refused(Self.movie(firstBig + firstBig), "a second stsc")
    // H8: encryption data for 500000 samples.
    let senc = Self.box("senc", [0, 0, 0, 0] + Self.bigEndian(500_000))
    refused(Self.movie(Self.track(handler: "soun", duration: 1024, samples: 10, chunks: 1, runs: [(1, 1)], extra: senc)), "senc")
  }

  /// review29a H9: a pipe's fragment is taken on trust before its data (which follows it)
  /// arrives: 4688 samples of PCM in the first fragment, with 4 KiB read.
  func testAFragmentsDataFollowsIt() {
    let trun = Self.box("trun", [0, 0, 0, 1] + Self.bigEndian(4688) + Self.bigEndian(0))
    let fragment = Self.box("moof", Self.box("traf", trun)) + Self.box("mdat", [UInt8](repeating: 0, count: 9376))
    let stream = Self.box("ftyp", Array("qt  ".utf8) + [0, 0, 0, 0]) + Self.box("moov", []) + fragment
    XCTAssertNil(Self.claims(stream, pieces: 64).refusal)
    XCTAssertEqual(Self.claims(stream, pieces: 64).fragmentSamples, 4688)
  }

  /// review29a H10: a track FFmpeg cannot index in one allocation is said to be one.
  func testATrackOverTheAllocationCapIsNamed() {
    let long = Self.movie(handler: "soun", duration: 1024, samples: 2_900_000, chunks: 1, runs: [(1, 1)])
    let refusal = Self.claims(long, pieces: 4096, inputBytes: 1 << 30).refusal ?? ""
    XCTAssertTrue(refusal.contains("an MP4 track of 2900000 samples"), refusal)
  }

  func testAnythingElseIsNotWalked() {
    let wav = Array("RIFF".utf8) + Self.bigEndian(100) + Array("WAVEfmt ".utf8) + [UInt8](repeating: 0, count: 92)
    let claims = Self.claims(wav, pieces: 1)
    XCTAssertNil(claims.refusal)
    XCTAssertEqual(claims.entries, 0)
  }
}

extension MP4IndexClaimsTests {
  /// review37b V9: memory grew by about 0.6 MB a declared track whatever the tracks hold (one
  /// honest track repeated 900 times: 614 MB for a 2.3 MB file). A track is priced at what
  /// FFmpeg holds for one (`trackCost`), so that the tracks too stay within the allowance.
  func testEveryTrackCountsAgainstTheAllowance() {
    let track = Self.track(handler: "soun", duration: 1024, samples: 10, chunks: 1, runs: [(1, 10)])
    let within = Int(MP4IndexClaims.allowance / MP4IndexClaims.trackCost) - 5
    XCTAssertNil(Self.claims(Self.movie(Array(repeating: track, count: within).flatMap { $0 }), pieces: 4096).refusal)
    let refused = Self.claims(Self.movie(Array(repeating: track, count: 900).flatMap { $0 }), pieces: 4096)
    XCTAssertTrue(refused.refusal?.contains("tracks, about 128 MiB for FFmpeg to hold") == true, refused.refusal ?? "nil")
  }

  /// review41 H21: an M4A whose `mvhd` box name had one bit flipped (FFmpeg then reads no
  /// movie time scale, and decodes nothing) gave an empty output, exit 0, no word, where its
  /// sample table lists 174 packets: nothing decodes, from a file and a pipe.
  func testAnIndexedTrackOfWhichNothingDecodesIsRefused() throws {
    let directory = try scratchDirectory(self)
    let m4a = try MadeInputs.fromSpeech("a.m4a", in: directory, ["-t", "3", "-c:a", "aac", "-movflags", "+faststart"])
    var bytes = readWholeFile(m4a)
    let mvhd = try XCTUnwrap((0..<bytes.count - 4).first { Array(bytes[$0..<$0 + 4]) == Array("mvhd".utf8) })
    bytes[mvhd + 1] ^= 0x80
    let damaged = directory + "/damaged.m4a"
    try Data(bytes).write(to: URL(fileURLWithPath: damaged))
    for way in decodeEveryWay(damaged, decoders: [.auto, .ffmpeg]) {
      guard case .failure(let error) = way.outcome else { XCTFail("\(way.label): \(way.outcome)"); continue }
      XCTAssertTrue("\(error)".contains("nothing decodes"), "\(way.label): \(error)")
    }
  }
}
