import DSP
import Foundation
import TestSupport
import XCTest

/// A FLAC's STREAMINFO that its frames contradict, or of 0 Hz, is refused (65) with the same
/// message whichever decoder reads it, from a file and from a pipe, and a file before anything
/// is decoded.
final class FLACStreamInfoTests: XCTestCase {
  /// ffmpeg's FLAC of the speech fixture (22050 Hz, mono, 16 bits) with STREAMINFO's rate,
  /// channel count or sample size forged. (`--decoder ffmpeg` decoded 1048575 Hz, 1 Hz, 2 and 8
  /// channels without a word, exit 0, said 0 and 655351 Hz as timestamps "which imply about
  /// 90000 Hz" after audio had gone out, and 24 bits as `decode_frame() failed`; auto and
  /// sndfile decoded 24 bits over 16-bit frames without a word: review36 T5, T6.)
  func testAForgedSTREAMINFOIsRefusedByEveryDecoder() throws {
    let directory = try scratchDirectory(self)
    let honest = readWholeFile(try MadeInputs.fromSpeech("honest.flac", in: directory, ["-c:a", "flac"]))
    // STREAMINFO starts 8 bytes in: its rate is the 20 bits from byte 18, then 3 bits of
    // channels − 1 and 5 of bits per sample − 1.
    func forged(rate: Int = 22050, channels: Int = 1, bits: Int = 16) -> [UInt8] {
      var bytes = honest
      bytes[18] = UInt8(rate >> 12)
      bytes[19] = UInt8((rate >> 4) & 0xFF)
      bytes[20] = UInt8((rate & 0xF) << 4) | UInt8((channels - 1) << 1) | UInt8((bits - 1) >> 4)
      bytes[21] = UInt8(((bits - 1) & 0xF) << 4) | (bytes[21] & 0x0F)
      return bytes
    }
    XCTAssertEqual(forged(), honest, "the forging rewrites the honest fields as they are")
    let cases: [(String, [UInt8], String)] = [
      ("rate-0", forged(rate: 0), "header declares a sample rate of 0 Hz"),
      ("rate-1", forged(rate: 1), "STREAMINFO declares 1 Hz, the frames 22050 Hz"),
      ("rate-44100", forged(rate: 44100), "STREAMINFO declares 44100 Hz, the frames 22050 Hz"),
      ("rate-655351", forged(rate: 655351), "STREAMINFO declares 655351 Hz, the frames 22050 Hz"),
      ("rate-1048575", forged(rate: 1_048_575), "STREAMINFO declares 1048575 Hz, the frames 22050 Hz"),
      ("channels-2", forged(channels: 2), "STREAMINFO declares 2 channels, the frames 1"),
      ("channels-8", forged(channels: 8), "STREAMINFO declares 8 channels, the frames 1"),
      ("bits-24", forged(bits: 24), "STREAMINFO declares 24 bits per sample, the frames 16"),
      ("bits-4", forged(bits: 4), "STREAMINFO declares 4 bits per sample, the frames 16"),
      ("bits-32", forged(bits: 32), "STREAMINFO declares 32 bits per sample, the frames 16"),
    ]
    for (label, bytes, message) in cases {
      let path = directory + "/\(label).flac"
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      for decoder in [AudioDecoder.auto, .sndfile, .ffmpeg] {
        let name = "\(label).flac through \(decoder)"
        // A file is refused when it is opened, before anything is decoded or written.
        XCTAssertThrowsError(try openAudioSource(path: path, decoder: decoder), "\(name): opened") { error in
          XCTAssertEqual((error as? AudioIOError)?.message, message, name)
        }
        XCTAssertThrowsError(try decodeAllThroughAPipe(path, decoder: decoder), "\(name) from a pipe") { error in
          XCTAssertEqual((error as? AudioIOError)?.kind, .invalidInput, "\(name) from a pipe: \(error)")
          XCTAssertEqual((error as? AudioIOError)?.message, message, "\(name) from a pipe")
        }
      }
    }
    for decoder in [AudioDecoder.auto, .sndfile, .ffmpeg] {
      let path = directory + "/honest.flac"
      XCTAssertEqual(try decodeAll(path, decoder: decoder).samples.count, try MadeInputs.ffmpegFrames(path), "honest.flac through \(decoder)")
    }
  }
}

extension FLACStreamInfoTests {
  /// review37a U25: a STREAMINFO whose fixed block size (minimum = maximum) is not its frames'
  /// (4096 over frames of 2304): auto and sndfile wrote the right length of wrong samples (129993
  /// of 132300 differed) with a false `truncated`, FFmpeg the right ones. A block size the
  /// frames contradict is refused as the other fields are, every decoder, file and pipe; an
  /// honest variable range (minimum under maximum) is not.
  func testAForgedBlockSizeIsRefusedByEveryDecoder() throws {
    let directory = try scratchDirectory(self)
    let honest = readWholeFile(try MadeInputs.fromSpeech("honest.flac", in: directory, ["-c:a", "flac"]))
    let declared = Int(honest[10]) << 8 | Int(honest[11])
    func forged(minimum: Int, maximum: Int) -> [UInt8] {
      var bytes = honest
      bytes.replaceSubrange(8..<12, with: [UInt8(minimum >> 8), UInt8(minimum & 0xFF), UInt8(maximum >> 8), UInt8(maximum & 0xFF)])
      return bytes
    }
    let cases: [(String, [UInt8], String?)] = [
      ("fixed-4096", forged(minimum: 4096, maximum: 4096), "STREAMINFO declares blocks of 4096 samples, the frames \(declared)"),
      ("at-most-1152", forged(minimum: 16, maximum: 1152), "STREAMINFO declares blocks of at most 1152 samples, the frames \(declared)"),
      ("range", forged(minimum: 16, maximum: 65535), nil),
    ]
    for (label, bytes, message) in cases {
      let path = directory + "/\(label).flac"
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      for way in decodeEveryWay(path) {
        switch (way.outcome, message) {
        case (.success(let decoded), nil):
          XCTAssertEqual(decoded.samples.count, try MadeInputs.ffmpegFrames(path), "\(label), \(way.label)")
        case (.failure(let error), let message?):
          XCTAssertEqual((error as? AudioIOError)?.message, message, "\(label), \(way.label)")
        default:
          XCTFail("\(label), \(way.label): \(way.outcome)")
        }
      }
    }
  }
}
