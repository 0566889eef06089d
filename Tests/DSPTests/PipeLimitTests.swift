import Foundation
import TestSupport
import XCTest

@testable import DSP

/// What FFmpeg reads from a file but not from a pipe is refused from a pipe with one line that
/// names the limit and says to give the path (#16 round 3, 9).
final class PipeLimitTests: XCTestCase {
  /// A 3-channel WavPack decodes from its path (3 channels, ffmpeg's frame count) and from a
  /// pipe is 65 naming the limit. (It said "not a readable audio file (WavPack: Cannot
  /// determine additional parameters)".) A stereo one decodes from both.
  func testAWavPackOfMoreThanTwoChannelsFromAPipeNamesTheLimit() throws {
    let directory = try scratchDirectory(self)
    let three = directory + "/three.wv"
    try MadeInputs.ffmpeg(["-f", "lavfi", "-i", "anoisesrc=d=0.5:r=22050:a=0.3", "-af", "pan=3c|c0=c0|c1=c0|c2=c0", "-c:a", "wavpack", three])
    let fromFile = try decodeAll(three)
    XCTAssertEqual(fromFile.source.format.channels, 3)
    XCTAssertEqual(fromFile.samples.count / 3, try MadeInputs.ffmpegFrames(three, channels: 3))
    XCTAssertThrowsError(try decodeAllThroughAPipe(three)) { error in
      XCTAssertEqual((error as? AudioIOError)?.kind, .invalidInput, "\(error)")
      let message = "\(error)"
      XCTAssertTrue(message.contains("more than 2 channels cannot be read from a pipe") && message.contains("give its path"), message)
      XCTAssertFalse(message.contains("\n"), message)
    }
    let two = directory + "/two.wv"
    try MadeInputs.ffmpeg(["-f", "lavfi", "-i", "anoisesrc=d=0.5:r=22050:a=0.3", "-ac", "2", "-c:a", "wavpack", two])
    XCTAssertEqual(try decodeAllThroughAPipe(two).samples, try decodeAll(two).samples)
  }
}
