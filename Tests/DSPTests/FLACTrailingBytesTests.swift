import DSP
import Foundation
import TestSupport
import XCTest

/// Bytes after a FLAC's last frame that are no file (a line of text, noise) cost no frame of
/// the FLAC, whichever decoder reads it, from a file and from a pipe.
final class FLACTrailingBytesTests: XCTestCase {
  /// The speech fixture's FLAC (79517 frames, as the ffmpeg command line decodes it) with a line
  /// of text or 3000 bytes of noise after it. (`--decoder sndfile` asked libsndfile for more
  /// than the last frame holds, libFLAC read on into the bytes after it and the error it met
  /// there dropped the last frame: 78336 frames and a false `truncated: the header announces
  /// 79517 frames, the input holds 78336`; before the reads followed the frames, 77824 — the
  /// 1693 frames of review36 T3, where an MP3 followed.)
  func testBytesAfterAFLACCostNoFrame() throws {
    let directory = try scratchDirectory(self)
    let flac = try MadeInputs.fromSpeech("speech.flac", in: directory, ["-c:a", "flac"])
    let reference = try MadeInputs.ffmpegFrames(flac)
    var noise: [UInt8] = []
    var state: UInt32 = 12345
    for _ in 0..<3000 {
      state = state &* 1_664_525 &+ 1_013_904_223
      noise.append(UInt8(state >> 24))
    }
    for (label, trailing) in [("text", Array("notes: take 2, the second half is better\n".utf8)), ("noise", noise)] {
      let path = directory + "/with-\(label).flac"
      try Data(readWholeFile(flac) + trailing).write(to: URL(fileURLWithPath: path))
      for decoder in [AudioDecoder.auto, .sndfile, .ffmpeg] {
        for viaPipe in [false, true] {
          let name = "with-\(label).flac through \(decoder)\(viaPipe ? " from a pipe" : "")"
          let decoded = try viaPipe ? decodeAllThroughAPipe(path, decoder: decoder) : decodeAll(path, decoder: decoder)
          XCTAssertEqual(decoded.samples.count, reference, name)
          XCTAssertNil(decoded.source.truncation, name)
        }
      }
    }
  }
}
