import DSP
import Foundation
import TestSupport
import XCTest

/// Issue 16, the decoders' half: damage is never silent, the same bytes give the same frames
/// from a file and from a pipe, and an input fault or an unsatisfiable option has one exit code
/// whatever the container. References are ffmpeg's and sox's decoding, or a known signal.
final class DecoderTrustTests: XCTestCase {
  /// `--audio-stream N` beyond the input's audio streams is the caller's choice (64), as
  /// `--channel N` beyond its channels is, in every container.
  func testAnAudioStreamTheInputLacksIsAnInvalidParameter() throws {
    let directory = try scratchDirectory(self)
    let inputs = [
      try MadeInputs.fromSpeech("one.m4a", in: directory, ["-c:a", "aac"]),
      try MadeInputs.fromSpeech("one.webm", in: directory, ["-c:a", "libopus"]),
      fixtures + "/speech.wav",
    ]
    for path in inputs {
      XCTAssertThrowsError(try openAudioSource(path: path, audioStream: 1), path) { error in
        guard case .invalidParameter(let message)? = error as? DSPError else { return XCTFail("\(path): \(error)") }
        XCTAssertTrue(message.contains("no audio stream 1"), message)
      }
      XCTAssertNoThrow(try openAudioSource(path: path, audioStream: 0), path)
    }
  }

  /// Bytes no decoder recognises are "not a readable audio file (Format not recognised)",
  /// whatever their name says, from a file or a pipe; never libsndfile's "File does not exist".
  func testUnrecognisedBytesSayWhatIsWrongWhateverTheirName() throws {
    let directory = try scratchDirectory(self)
    var state: UInt32 = 12345
    let noise = (0..<4096).map { _ -> UInt8 in
      state = state &* 1_664_525 &+ 1_013_904_223
      return UInt8(truncatingIfNeeded: state >> 24)
    }
    for name in ["x.mp3", "x.mp2", "x.wav", "x.flac", "x.ogg", "x.opus", "x.m4a", "x.webm", "x"] {
      let path = directory + "/" + name
      try Data(noise).write(to: URL(fileURLWithPath: path))
      for viaPipe in [false, true] {
        XCTAssertThrowsError(try viaPipe ? decodeAllThroughAPipe(path) : decodeAll(path), name) { error in
          let io = error as? AudioIOError
          XCTAssertEqual(io?.kind, .invalidInput, "\(name): \(error)")
          XCTAssertEqual(io?.message, "not a readable audio file (Format not recognised)", "\(name)\(viaPipe ? " through a pipe" : "")")
        }
      }
    }
  }
}
