@testable import DSP
import Foundation
import TestSupport
import XCTest

/// review41 H22: a WAV, CAF or AU written to a pipe (its header gives no audio size: "to the
/// end") and cut inside a sample frame lost the part frame without a word, where the same cut
/// in a file whose header gives the size says `truncated`. The part frame proves the cut: every
/// decoder says it, from a file and a pipe; the same input cut on a frame's boundary, and whole,
/// says nothing.
final class PCMCutInAFrameTests: XCTestCase {
  func testAPipeWrittenPCMFileCutInsideAFrameIsSaidTruncated() throws {
    let directory = try scratchDirectory(self)
    let source = try MadeInputs.fromSpeech("source.wav", in: directory, ["-t", "1", "-ac", "2", "-ar", "22050", "-c:a", "pcm_s16le"])
    for container in ["wav", "caf", "au"] {
      let written = directory + "/piped." + container
      let bytes = try MadeInputs.ffmpeg(["-i", source, "-f", container, "-"])
      try bytes.write(to: URL(fileURLWithPath: written))
      // The audio's start: the whole input less its 22050 frames of 4 bytes.
      let audioStart = bytes.count - 22050 * 4
      XCTAssertGreaterThan(audioStart, 0, container)
      for (cutFrames, partBytes) in [(11025, 2), (11025, 3), (11025, 0), (22050, 0)] {
        let path = directory + "/cut-\(cutFrames)-\(partBytes)." + container
        try bytes.prefix(audioStart + cutFrames * 4 + partBytes).write(to: URL(fileURLWithPath: path))
        for decoder in [AudioDecoder.auto, .sndfile, .ffmpeg] {
          for throughAPipe in [false, true] {
            let label = "\(container) \(cutFrames) frames + \(partBytes) bytes, \(decoder), \(throughAPipe ? "a pipe" : "a file")"
            let (samples, decoded) = throughAPipe ? try decodeAllThroughAPipe(path, decoder: decoder) : try decodeAll(path, decoder: decoder)
            XCTAssertEqual(samples.count / 2, cutFrames, label)
            if partBytes == 0 {
              XCTAssertNil(decoded.truncation, label)
            } else {
              XCTAssertTrue(["truncated", "damaged"].contains { decoded.truncation?.hasPrefix($0) == true }, "\(label): \(decoded.truncation ?? "no warning")")
            }
          }
        }
      }
    }
  }
}
