import Foundation
import TestSupport
import XCTest

@testable import DSP

/// Issue 16, the third hostile review's decoder findings: single streams whose headers lie
/// about their length, size or rate never lose audio silently, and a file and a pipe agree.
/// Inputs are the fixtures with header bytes rewritten here; references are the honest
/// fixtures read by libsndfile directly, or ffmpeg's decoding.
final class DecoderTrustRound3Tests: XCTestCase {
  /// A PCM file whose header's sizes were never filled in (a recorder that crashed: WAV RIFF
  /// size 36 and data size 0; RF64 ds64 sizes 0; AIFF SSND size 8; CAF data size 0 or 4; W64
  /// data size 24) decodes to the end of the input, the same samples as the honest file, with
  /// a warning that says the sizes are placeholders, from a file and a pipe. A CAF data size of
  /// -1 means "to the end of the file" (Apple's specification): decoded, without a warning.
  /// (WAV, RF64, AIFF and CAF gave 0 frames, exit 0, where ffmpeg decodes all the WAV; CAF -1
  /// and 0 were refused.)
  func testAHeaderWithPlaceholderSizesDecodesToTheEnd() throws {
    let directory = try scratchDirectory(self)
    let rf64 = directory + "/honest.rf64.wav"
    let w64 = directory + "/honest.w64"
    try MadeInputs.ffmpeg(["-i", fixtures + "/speech.wav", "-rf64", "always", rf64])
    try MadeInputs.ffmpeg(["-i", fixtures + "/speech.wav", w64])
    let wav = readWholeFile(fixtures + "/speech.wav")
    let aiff = readWholeFile(fixtures + "/speech.aiff")
    let caf = readWholeFile(fixtures + "/speech.caf")
    func rewritten(_ bytes: [UInt8], _ edits: [(marker: String, at: Int, value: [UInt8])]) throws -> [UInt8] {
      var bytes = bytes
      for edit in edits {
        let chunk = try XCTUnwrap(DecoderTrustTests.find(Array(edit.marker.utf8), in: bytes), edit.marker)
        bytes.replaceSubrange(chunk + edit.at..<chunk + edit.at + edit.value.count, with: edit.value)
      }
      return bytes
    }
    let zero32: [UInt8] = [0, 0, 0, 0]
    let cases: [(name: String, honest: String, bytes: [UInt8], warns: Bool)] = [
      ("crashed.wav", fixtures + "/speech.wav", try rewritten(wav, [("RIFF", 4, [36, 0, 0, 0]), ("data", 4, zero32)]), true),
      ("zero.wav", fixtures + "/speech.wav", try rewritten(wav, [("RIFF", 4, zero32), ("data", 4, zero32)]), true),
      ("zero.rf64.wav", rf64, try rewritten(readWholeFile(rf64), [("ds64", 8, zero32 + zero32 + zero32 + zero32 + zero32 + zero32)]), true),
      ("crashed.aiff", fixtures + "/speech.aiff", try rewritten(aiff, [("FORM", 4, [0, 0, 0, 46]), ("COMM", 10, zero32), ("SSND", 4, [0, 0, 0, 8])]), true),
      ("zero.caf", fixtures + "/speech.caf", try rewritten(caf, [("data", 4, zero32 + zero32)]), true),
      ("four.caf", fixtures + "/speech.caf", try rewritten(caf, [("data", 4, zero32 + [0, 0, 0, 4])]), true),
      ("to-the-end.caf", fixtures + "/speech.caf", try rewritten(caf, [("data", 4, Array(repeating: 0xFF, count: 8))]), false),
      ("crashed.w64", w64, try rewritten(readWholeFile(w64), [("data", 16, [24, 0, 0, 0, 0, 0, 0, 0])]), true),
    ]
    for (name, honest, bytes, warns) in cases {
      let path = directory + "/" + name
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      let reference = try readSoundFile(honest).samples
      XCTAssertGreaterThan(reference.count, 70000, name)
      for viaPipe in [false, true] {
        let label = "\(name)\(viaPipe ? " from a pipe" : "")"
        let decoded: (samples: [Float], source: any DecodingSource)
        do {
          decoded = try viaPipe ? decodeAllThroughAPipe(path) : decodeAll(path)
        } catch {
          XCTFail("\(label): \(error)")
          continue
        }
        XCTAssertEqual(decoded.samples.count, reference.count, "\(label): frames")
        XCTAssertTrue(decoded.samples == reference, "\(label): samples differ from the honest file's")
        if let exact = decoded.source.exactFrames { XCTAssertEqual(Int(exact), decoded.samples.count, "\(label): exact length") }
        let warning = decoded.source.truncation
        if warns {
          XCTAssertTrue(warning?.contains("placeholders") == true, "\(label): \(warning ?? "no warning")")
        } else {
          XCTAssertNil(warning, label)
        }
      }
    }
  }
}
