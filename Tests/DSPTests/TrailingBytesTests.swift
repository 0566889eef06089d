import CSndFile
import Foundation
import TestSupport
import XCTest

@testable import DSP

/// A valid file with bytes after its audio that taggers and recorders write (an ID3v1 tag, an
/// APE tag, zero padding) is whole: every frame, no warning, from a file and a pipe. (A FLAC
/// said "damaged: libsndfile stopped after 12288 frames …, FFmpeg decoded on: the header
/// announces 16000 frames, the input holds 16000"; review16e V1. FFmpeg alone said "damaged: the
/// decoder reported 3 error(s)" about the bytes after the last frame.)
final class TrailingBytesTests: XCTestCase {
  private static let id3v1 = Array("TAG".utf8) + [UInt8](repeating: 0x20, count: 124) + [12]
  private static let apeTag: [UInt8] = {
    // APE tag v2 footer (32 bytes), no items: preamble, version, size, count, flags, reserved.
    func le(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
    let footer = Array("APETAGEX".utf8) + le(2000) + le(32) + le(0) + le(0) + [UInt8](repeating: 0, count: 8)
    return footer
  }()

  func testAFLACWithATagOrPaddingAfterItsFramesIsWhole() throws {
    let directory = try scratchDirectory(self)
    let signal = Signals.sine(hz: 440, seconds: 2, sampleRate: 8000, amplitude: 0.4)
    let plain = directory + "/plain.flac"
    try writeSoundFile(plain, samples: signal, rate: 8000, format: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16))
    let reference = try decodeAll(plain)
    XCTAssertEqual(reference.samples.count, signal.count)
    XCTAssertNil(reference.source.truncation)
    let bytes = readWholeFile(plain)
    for (name, trailer) in [("id3v1", Self.id3v1), ("ape", Self.apeTag), ("zeros", [UInt8](repeating: 0, count: 4096))] {
      let path = directory + "/\(name).flac"
      try Data(bytes + trailer).write(to: URL(fileURLWithPath: path))
      let decodings = [
        ("file", try decodeAll(path)), ("pipe", try decodeAllThroughAPipe(path)),
        ("file by FFmpeg", try decodeAll(path, decoder: .ffmpeg)), ("pipe by FFmpeg", try decodeAllThroughAPipe(path, decoder: .ffmpeg)),
      ]
      for (label, decoded) in decodings {
        XCTAssertEqual(decoded.samples, reference.samples, "\(name) from a \(label)")
        XCTAssertNil(decoded.source.truncation, "\(name) from a \(label)")
      }
    }
  }
}

extension TrailingBytesTests {
  /// review37a U19: a WAV with a second `data` chunk after its first: FFmpeg's reading from a
  /// pipe read on into it (the second chunk's header decoded as four samples, twice the
  /// length) where the file, and libsndfile, stop at the end of the first. A PCM header's data
  /// chunk is its audio: every decoder, file and pipe, gives the first chunk's samples.
  func testASecondDataChunkAfterAWAVsAudioIsNotDecoded() throws {
    let directory = try scratchDirectory(self)
    let plain = readWholeFile(try MadeInputs.fromSpeech("plain.wav", in: directory, ["-t", "2", "-c:a", "pcm_s16le", "-fflags", "+bitexact"]))
    guard let data = (12..<plain.count - 8).first(where: { Array(plain[$0..<$0 + 4]) == Array("data".utf8) }) else {
      return XCTFail("no data chunk")
    }
    let size = Int(plain[data + 4]) | Int(plain[data + 5]) << 8 | Int(plain[data + 6]) << 16 | Int(plain[data + 7]) << 24
    let chunk = Array(plain[data..<data + 8 + size])
    var body = Array(plain[8..<data]) + chunk + chunk
    body = Array("RIFF".utf8) + (0..<4).map { UInt8((body.count >> (8 * $0)) & 0xFF) } + body
    let path = directory + "/two.wav"
    try Data(body).write(to: URL(fileURLWithPath: path))
    let reference = (0..<size / 2).map { Float(Int16(bitPattern: UInt16(chunk[8 + 2 * $0]) | UInt16(chunk[9 + 2 * $0]) << 8)) / 32768 }
    for way in decodeEveryWay(path) {
      XCTAssertEqual(way.samples?.count, reference.count, "\(way.label): \(way.outcome)")
      XCTAssertTrue(way.samples == reference, "\(way.label): not the first data chunk's samples")
    }
  }
}
