import DSP
import Foundation
import Glibc
import TestSupport
import XCTest

/// A CAF whose chunk before the audio claims a size it cannot have (negative, or past the end
/// of the input) is refused by every decoder, from a file and from a pipe, with one line naming
/// the chunk and its claim, and memory does not follow the claim (review35 R2, R3, R9).
/// libsndfile refused most from a file and read them from a pipe (an `info` chunk of 2^31
/// bytes was allocated and read: 2 GB and a hang; 2^32 − 16: SIGSEGV), FFmpeg refused some from
/// a file and decoded them from a pipe (a `chan` chunk of 2^62: the default decoder's file 0,
/// its pipe 65). The `info` claims that crashed or hung in process are `CAFChunkClaimsTests` of
/// the binary tier, where a child process takes the crash.
final class CAFChunkClaimsTests: XCTestCase {
  /// Every chunk type of Apple's specification that carries a size, with an honest payload for
  /// one channel (`peak`: an edit count and one value and position; `pakt`: its four counts).
  static let chunkTypes: [(id: String, payload: [UInt8])] = [
    ("info", [0, 0, 0, 0]), ("chan", [UInt8](repeating: 0, count: 12)), ("kuki", [UInt8](repeating: 0, count: 36)),
    ("pakt", [UInt8](repeating: 0, count: 24)), ("free", [UInt8](repeating: 0, count: 36)), ("uuid", [UInt8](repeating: 0, count: 36)),
    ("strg", [0, 0, 0, 0]), ("mark", [UInt8](repeating: 0, count: 8)), ("regn", [UInt8](repeating: 0, count: 8)),
    ("umid", [UInt8](repeating: 0, count: 64)), ("ovvw", [UInt8](repeating: 0, count: 12)), ("peak", [UInt8](repeating: 0, count: 16)),
    ("edct", [0, 0, 0, 0]), ("midi", [UInt8](repeating: 0, count: 12)), ("inst", [UInt8](repeating: 0, count: 28)),
    ("lyrc", [UInt8](repeating: 0, count: 12)),
  ]

  /// The size fields forged, as the 64 bits stored (2^64 − 2 is -2, 2^64 − 1 is -1).
  static let claims: [UInt64] = [1 << 31, (1 << 32) - 16, 1 << 62, UInt64.max - 1, UInt64.max]

  /// An honest CAF of the speech fixture (16-bit PCM, mono).
  static func honestCAF(in directory: String) throws -> [UInt8] {
    readWholeFile(try MadeInputs.fromSpeech("honest.caf", in: directory, ["-c:a", "pcm_s16le"]))
  }

  /// The chunks of `bytes` after the file header: id and offset of the chunk's header.
  static func chunks(_ bytes: [UInt8]) -> [(id: String, at: Int)] {
    var found: [(id: String, at: Int)] = []
    var at = 8
    while at + 12 <= bytes.count {
      let id = String(decoding: bytes[at..<at + 4], as: UTF8.self)
      found.append((id, at))
      let size = bytes[at + 4..<at + 12].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
      guard id != "data", size < UInt64(bytes.count) else { break }
      at += 12 + Int(size)
    }
    return found
  }

  /// `honest` with chunk `id` claiming `claim` bytes (nil: its true size): the chunk ffmpeg
  /// wrote (its `chan` and `info`), or one with `payload` put before the data chunk.
  static func forged(_ honest: [UInt8], _ id: String, payload: [UInt8], claim: UInt64?) -> [UInt8] {
    var bytes = honest
    let found = chunks(bytes)
    let at: Int
    if let existing = found.first(where: { $0.id == id }) {
      at = existing.at
    } else {
      at = found.first { $0.id == "data" }!.at
      let size = UInt64(payload.count)
      bytes.insert(contentsOf: Array(id.utf8) + (0..<8).map { UInt8(truncatingIfNeeded: size >> UInt64(56 - $0 * 8)) } + payload, at: at)
    }
    if let claim {
      bytes.replaceSubrange(at + 4..<at + 12, with: (0..<8).map { UInt8(truncatingIfNeeded: claim >> UInt64(56 - $0 * 8)) })
    }
    return bytes
  }

  /// Peak resident set size of this process, in KiB.
  static var maxResidentKiB: Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss
  }

  func testAChunkBeforeTheAudioClaimingWhatTheInputCannotHoldIsRefusedTheSameWayEverywhere() throws {
    let directory = try scratchDirectory(self)
    let honest = try Self.honestCAF(in: directory)
    let residentBefore = Self.maxResidentKiB
    var failures: [String] = []
    for (id, payload) in Self.chunkTypes {
      for claim in Self.claims {
        // Crashed (2^32 - 16) or hung with 2 GB (2^31) in libsndfile: the binary tier's.
        if id == "info", claim == 1 << 31 || claim == (1 << 32) - 16 { continue }
        let path = directory + "/\(id)-\(claim).caf"
        try Data(Self.forged(honest, id, payload: payload, claim: claim)).write(to: URL(fileURLWithPath: path))
        let said = Int64(bitPattern: claim)
        var messages: Set<String> = []
        for decoder in AudioDecoder.allCases {
          for throughAPipe in [false, true] {
            let label = "'\(id)' claiming \(said), --decoder \(decoder.rawValue), \(throughAPipe ? "a pipe" : "a file")"
            do {
              let (samples, _) = throughAPipe ? try decodeAllThroughAPipe(path, decoder: decoder) : try decodeAll(path, decoder: decoder)
              failures.append("\(label): decoded \(samples.count) frames")
            } catch let error as AudioIOError {
              messages.insert(error.message)
              if error.kind != .invalidInput || !error.message.contains("'\(id)' chunk") || !error.message.contains("\(said)") {
                failures.append("\(label): \(error.message)")
              }
            }
          }
        }
        if messages.count > 1 { failures.append("'\(id)' claiming \(said): said differently: \(messages.sorted())") }
      }
    }
    XCTAssertTrue(failures.isEmpty, "\(failures.count) failures:\n" + failures.joined(separator: "\n"))
    // Memory never follows a claim: well under the smallest (2 GB).
    XCTAssertLessThan(Self.maxResidentKiB - residentBefore, 256 << 10, "peak RSS grew with the claims")
  }

  /// A stream longer than the 4 MiB a pipe's reader keeps: a claim reaching past them cannot be
  /// checked there, nor stepped over by either decoder, and is refused from a pipe too.
  func testAClaimPastAPipesWindowIsRefusedFromAPipe() throws {
    let directory = try scratchDirectory(self)
    let long = directory + "/long.caf"
    try MadeInputs.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=150", "-ar", "16000", "-c:a", "pcm_s16le", long])
    let path = directory + "/free.caf"
    try Data(Self.forged(readWholeFile(long), "free", payload: [UInt8](repeating: 0, count: 36), claim: 1 << 31)).write(to: URL(fileURLWithPath: path))
    for decoder in AudioDecoder.allCases {
      for throughAPipe in [false, true] {
        let label = "--decoder \(decoder.rawValue), \(throughAPipe ? "a pipe" : "a file")"
        XCTAssertThrowsError(try throughAPipe ? decodeAllThroughAPipe(path, decoder: decoder) : decodeAll(path, decoder: decoder), label) { error in
          let message = (error as? AudioIOError)?.message ?? "\(error)"
          XCTAssertTrue(message.contains("'free' chunk claims 2147483648 bytes"), "\(label): \(message)")
        }
      }
    }
  }

  /// The honest files the forgeries are made from decode whole under the default decoder, from
  /// a file and from a pipe (the refusals above are the claims', not the chunks').
  func testTheSameChunksWithHonestSizesDecode() throws {
    let directory = try scratchDirectory(self)
    let honest = try Self.honestCAF(in: directory)
    let frames = try decodeAll(directory + "/honest.caf").samples.count
    for (id, payload) in Self.chunkTypes {
      let path = directory + "/honest-\(id).caf"
      try Data(Self.forged(honest, id, payload: payload, claim: nil)).write(to: URL(fileURLWithPath: path))
      XCTAssertEqual(try decodeAll(path).samples.count, frames, id)
      XCTAssertEqual(try decodeAllThroughAPipe(path).samples.count, frames, "\(id) from a pipe")
    }
  }
}

extension CAFChunkClaimsTests {
  /// review37c X21: a CAF whose `free` chunk before `data` is 100000 bytes: libsndfile jumped
  /// over it past its header cache without moving the offset it takes the audio's from, and
  /// decoded the chunk's zeros as audio (the audio late, its end lost), exit 0, no word. No
  /// decoder gives other samples than the untouched CAF's: the default decodes it through FFmpeg
  /// from its path, `--decoder sndfile` refuses it. (A chunk of 40000 bytes, which libsndfile
  /// caches, is read by libsndfile as before.)
  func testAChunkPastLibsndfilesHeaderCacheIsNeverDecodedAsAudio() throws {
    let directory = try scratchDirectory(self)
    let plain = try MadeInputs.fromSpeech("plain.caf", in: directory, ["-t", "1", "-c:a", "pcm_s16be"])
    let bytes = readWholeFile(plain)
    let reference = try decodeAll(plain, decoder: .ffmpeg).samples
    var at = 8
    while at + 12 <= bytes.count, Array(bytes[at..<at + 4]) != Array("data".utf8) {
      at += 12 + Int(bytes[at + 4..<at + 12].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }
    for size in [40000, 100_000] {
      let free = Array("free".utf8) + (0..<8).reversed().map { UInt8((UInt64(size) >> ($0 * 8)) & 0xFF) } + [UInt8](repeating: 0, count: size)
      let path = directory + "/free-\(size).caf"
      try Data(Array(bytes[..<at]) + free + Array(bytes[at...])).write(to: URL(fileURLWithPath: path))
      for way in decodeEveryWay(path) {
        if case .success(let decoded) = way.outcome, decoded.samples != reference {
          XCTFail("free \(size), \(way.label): \(decoded.samples.count) samples, not the untouched CAF's \(reference.count)")
        }
      }
      XCTAssertEqual(try decodeAll(path, decoder: .auto).samples, reference, "free \(size), the default decoder from its path")
      if size > 60000 {
        XCTAssertThrowsError(try decodeAll(path, decoder: .sndfile), "free \(size), --decoder sndfile")
        // review38 R8: from a pipe no decoder reads it, and each refusal sent the user to the
        // other decoder ("--decoder auto or ffmpeg reads it"; "leave --decoder to libsndfile").
        // A pipe's refusal asks for the path.
        for way in decodeEveryWay(path) where way.throughAPipe {
          guard case .failure(let error) = way.outcome else { continue }
          let message = "\(error)"
          XCTAssertTrue(
            message.contains("give its path") && !message.contains("reads it") && !message.contains("leave --decoder"),
            "free \(size), \(way.label): \(message)")
        }
      }
    }
  }
}

extension CAFChunkClaimsTests {
  /// review37a U21: a CAF whose `desc` claims 0x7FFFFFFF bytes a packet: FFmpeg stopped reading
  /// before any audio, and the file gave an empty output, exit 0 ("truncated or damaged: the
  /// header announces 0 frames, the input holds 0"), where standard input was refused. Audio of
  /// which nothing decodes is refused, every decoder, file and pipe.
  func testACAFOfWhichNothingDecodesIsRefused() throws {
    let directory = try scratchDirectory(self)
    var bytes = readWholeFile(try MadeInputs.fromSpeech("plain.caf", in: directory, ["-t", "1", "-ac", "2", "-c:a", "pcm_s16be"]))
    guard let desc = (0..<bytes.count - 4).first(where: { Array(bytes[$0..<$0 + 4]) == Array("desc".utf8) }) else {
      return XCTFail("no desc chunk")
    }
    bytes.replaceSubrange(desc + 28..<desc + 32, with: [0x7F, 0xFF, 0xFF, 0xFF])
    let path = directory + "/packet.caf"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    for way in decodeEveryWay(path) {
      if case .success(let decoded) = way.outcome {
        XCTFail("\(way.label): \(decoded.samples.count) samples, \(decoded.warning ?? "no warning")")
      }
    }
  }
}
