import DSP
import Foundation
import TestSupport
import XCTest

/// A FLAC cut short gives the same frames from a file and from a pipe, whichever decoder reads
/// it: the whole frames before the cut, as the ffmpeg command line decodes them.
final class FLACCutTests: XCTestCase {
  /// FLACs of two frame sizes, cut at a quarter, half, 90 % and one byte short: every decoder
  /// gives ffmpeg's frames from a file and from a pipe, and says `truncated` (or `damaged`). (`--decoder
  /// sndfile` read a file 4096 frames at a time and dropped the whole read that met the cut:
  /// 28672 frames where a pipe and FFmpeg give 29952, 61440 for 62208, 77824 for 78336;
  /// review36 T1.)
  func testACutFLACGivesTheSameFramesFromAFileAndAPipe() throws {
    let directory = try scratchDirectory(self)
    for frameSize in ["2304", "1152"] {
      let whole = readWholeFile(try MadeInputs.fromSpeech("frames-\(frameSize).flac", in: directory, ["-c:a", "flac", "-frame_size", frameSize]))
      for (label, length) in [("quarter", whole.count / 4), ("half", whole.count / 2), ("ninety", whole.count * 9 / 10), ("one-byte", whole.count - 1)] {
        let path = directory + "/cut-\(label)-\(frameSize).flac"
        try Data(whole.prefix(length)).write(to: URL(fileURLWithPath: path))
        let reference = try MadeInputs.ffmpegFrames(path)
        for decoder in [AudioDecoder.auto, .sndfile, .ffmpeg] {
          for viaPipe in [false, true] {
            let name = "\((path as NSString).lastPathComponent) through \(decoder)\(viaPipe ? " from a pipe" : "")"
            let decoded = try viaPipe ? decodeAllThroughAPipe(path, decoder: decoder) : decodeAll(path, decoder: decoder)
            XCTAssertEqual(decoded.samples.count, reference, name)
            // (FFmpeg says a cut inside the last frame's CRC as `damaged`.)
            let warning = decoded.source.truncation ?? "no warning"
            XCTAssertTrue(warning.hasPrefix("truncated") || warning.hasPrefix("damaged"), "\(name): \(warning)")
          }
        }
      }
    }
  }
}
