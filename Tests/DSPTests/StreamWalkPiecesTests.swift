@testable import DSP
import TestSupport
import XCTest

/// What walks a pipe's bytes as they arrive (`PipeReader.record`) is fed in the pieces its
/// reads return, which a writer decides: a walk must find the same whatever the pieces.
/// review39 F21: a WAV whose `data` chunk header sat just past the 4 MiB window, written 13
/// bytes at a time, was "nothing decodes" in 2 runs of 10: the first read returned 13 bytes,
/// the first chunk header (byte 12) began inside the 16 bytes read for the RIFF header, and the
/// walk took it for bytes gone by unseen; the forward seek over the 4 MiB `LIST` chunk was then
/// not known for a header chunk's, and the window was lost before libsndfile seeked back.
final class StreamWalkPiecesTests: XCTestCase {
  private func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
  private func be32(_ value: Int) -> [UInt8] { le32(value).reversed() }
  private func le64(_ value: Int) -> [UInt8] { le32(value) + le32(value >> 32) }

  /// A header of each chunk container the walk knows, with an `INFO`-like chunk before the
  /// audio, and where the audio's first byte is (counted here, by hand).
  private var headers: [(name: String, bytes: [UInt8], audioStart: Int64)] {
    let fmt = Array("fmt ".utf8) + le32(16) + [1, 0, 1, 0] + le32(16000) + le32(32000) + [2, 0, 16, 0]
    let list = Array("LIST".utf8) + le32(10) + Array("INFOabcdef".utf8)
    let wavBody = Array("WAVE".utf8) + fmt + list + Array("data".utf8) + le32(64)
    let wav = Array("RIFF".utf8) + le32(wavBody.count + 64 - 4) + wavBody
    let comm = Array("COMM".utf8) + be32(18) + [0, 1, 0, 0, 0, 32, 0, 16, 0x40, 0x0C, 0xFA] + [UInt8](repeating: 0, count: 7)
    let aiffBody = Array("AIFF".utf8) + comm + Array("NAME".utf8) + be32(3) + Array("abc".utf8) + [0] + Array("SSND".utf8) + be32(72)
    let aiff = Array("FORM".utf8) + be32(aiffBody.count + 72) + aiffBody
    let w64Format = Array("fmt ".utf8) + [UInt8](repeating: 0xF3, count: 12)
    let w64 = HeaderedFile.w64RIFF + le64(0) + HeaderedFile.w64WAVE + w64Format + le64(24 + 16) + [UInt8](repeating: 1, count: 16)
      + HeaderedFile.w64Data + le64(24 + 64)
    let tag = Array("ID3".utf8) + [3, 0, 0, 0, 0, 0, 2] + [0, 0]
    let empty = Array("ID3".utf8) + [3, 0, 0, 0, 0, 0, 0]
    return [
      ("WAV", wav, Int64(wav.count)), ("AIFF", aiff, Int64(aiff.count)), ("W64", w64, Int64(w64.count)),
      ("a tag, then a WAV", tag + wav, Int64(tag.count + wav.count)),
      ("an empty tag, then a WAV", empty + wav, Int64(empty.count + wav.count)),
    ]
  }

  func testTheAudioChunkIsFoundWhateverPiecesTheBytesArriveIn() {
    var failures: [String] = []
    for (name, header, audioStart) in headers {
      let bytes = header + [UInt8](repeating: 0, count: 64)
      for piece in 1...bytes.count {
        var walk = AudioChunkStart()
        inPieces(bytes, of: piece) { walk.feed($0, at: $1) }
        if walk.audioStart != audioStart { failures.append("\(name) fed \(piece) bytes at a time: audio at \(walk.audioStart.map(String.init) ?? "not found"), not \(audioStart)") }
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.prefix(20).joined(separator: "\n"))
  }

  /// The same rule for the search for another file joined on (`StreamHeaderScanner`): two
  /// files end to end are found whatever the pieces, and one file is never taken for two.
  func testAJoinIsFoundWhateverPiecesTheBytesArriveIn() {
    var failures: [String] = []
    for (name, header, _) in headers where !name.contains("tag") {
      let file = header + [UInt8](repeating: 0, count: name == "AIFF" ? 72 : 64)  // SSND's offset and block size first
      for (what, bytes, joined) in [("one \(name)", file, false), ("two \(name)s", file + file, true)] {
        for piece in [1, 2, 3, 5, 7, 12, 13, 16, 17, 64, 4096] {
          let scanner = StreamHeaderScanner()
          inPieces(bytes, of: piece) { scanner.feed($0, at: $1) }
          scanner.finish()
          if (scanner.joinRefusal != nil) != joined {
            failures.append("\(what) fed \(piece) bytes at a time: \(scanner.joinRefusal ?? "no join found")")
          }
        }
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.prefix(20).joined(separator: "\n"))
  }

  /// And for MPEG audio, whose second file is told by its frames (another rate), not a header.
  func testAnMPEGJoinIsFoundWhateverPiecesTheBytesArriveIn() throws {
    let directory = try scratchDirectory(self)
    let first = readWholeFile(try MadeInputs.fromSpeech("a.mp3", in: directory, ["-t", "1", "-c:a", "libmp3lame", "-id3v2_version", "0"]))
    let second = readWholeFile(try MadeInputs.fromSpeech("b.mp3", in: directory, ["-t", "1", "-ar", "8000", "-c:a", "libmp3lame", "-id3v2_version", "0"]))
    var failures: [String] = []
    for (what, bytes, joined) in [("one MP3", first, false), ("two MP3s of other rates", first + second, true)] {
      for piece in [1, 3, 13, 417, 4096, 1 << 16] {
        let scanner = StreamHeaderScanner()
        inPieces(bytes, of: piece) { scanner.feed($0, at: $1) }
        scanner.finish()
        if (scanner.joinRefusal(mpeg: true) != nil) != joined {
          failures.append("\(what) fed \(piece) bytes at a time: \(scanner.joinRefusal(mpeg: true) ?? "no join found")")
        }
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }
}
