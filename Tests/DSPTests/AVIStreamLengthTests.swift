@testable import DSP
import Foundation
import TestSupport
import XCTest

/// An AVI's PCM audio stream header counts its samples (`strh` dwLength, in dwScale/dwRate
/// units, with a fixed sample size): a stream that decodes to fewer has lost audio, however
/// few. review39 F08: a PCM AVI with one `00wb` chunk header zeroed lost that chunk's 1024
/// frames (64 ms) without a word from a file and a pipe, under the 0.1 s a length estimated
/// from a bit rate is allowed. review40 G03: so did MP3 and AC3, whose header counts their
/// frames (one a chunk) at the sample rate: a count of samples too; and ADPCM, whose header
/// counts its blocks of a fixed size, each of a whole number of samples.
final class AVIStreamLengthTests: XCTestCase {
  func testAPCMStreamShorterThanItsHeaderCountsIsSaid() throws {
    let directory = try scratchDirectory(self)
    var failures: [String] = []
    for (name, arguments) in [
      ("s16.avi", ["-t", "3", "-ar", "16000", "-c:a", "pcm_s16le"]), ("u8.avi", ["-t", "3", "-ar", "8000", "-c:a", "pcm_u8"]),
      ("stereo.avi", ["-t", "3", "-ac", "2", "-c:a", "pcm_s16le"]), ("f32.avi", ["-t", "3", "-c:a", "pcm_f32le"]),
      ("alaw.avi", ["-t", "3", "-ar", "8000", "-c:a", "pcm_alaw"]),
      // review40 G03: coded audio, one frame a chunk, counted at the sample rate.
      ("mp3.avi", ["-t", "3", "-ar", "44100", "-c:a", "libmp3lame"]), ("ac3.avi", ["-t", "3", "-ar", "48000", "-c:a", "ac3"]),
      ("mp2.avi", ["-t", "3", "-ar", "32000", "-c:a", "mp2"]),
      // review40 G03: ADPCM, in blocks of a fixed size, each a whole number of samples.
      ("adpcm-ms.avi", ["-t", "3", "-ar", "44100", "-c:a", "adpcm_ms"]), ("adpcm-ima.avi", ["-t", "3", "-ar", "22050", "-c:a", "adpcm_ima_wav"]),
    ] where testSanitizer == nil || ["s16.avi", "mp3.avi", "adpcm-ms.avi"].contains(name) {  // (one of each kind under a sanitizer)
      let path = try MadeInputs.fromSpeech(name, in: directory, arguments)
      let bytes = readWholeFile(path)
      // The third audio chunk's header (the first `00wb` is in the stream header list).
      var at = 0
      var chunks: [Int] = []
      while let found = DecoderTrustTests.find(Array("00wb".utf8), in: Array(bytes[at...])) {
        chunks.append(at + found)
        at += found + 4
      }
      let reference = try MadeInputs.ffmpegFrames(path, channels: name == "stereo.avi" ? 2 : 1)
      guard chunks.count > 4 else { return XCTFail("\(name): \(chunks.count) chunks") }
      var damaged = bytes
      damaged.replaceSubrange(chunks[3]..<chunks[3] + 8, with: repeatElement(0, count: 8))
      let hole = directory + "/hole-" + name
      try Data(damaged).write(to: URL(fileURLWithPath: hole))
      for way in decodeEveryWay(path, decoders: [.auto, .ffmpeg]) {
        guard case .success(let decoded) = way.outcome else { failures.append("\(name), \(way.label): \(way.outcome)"); continue }
        if decoded.warning != nil || decoded.samples.count != reference * (name == "stereo.avi" ? 2 : 1) {
          failures.append("\(name) whole, \(way.label): \(decoded.samples.count) samples, \(decoded.warning ?? "no warning")")
        }
      }
      for way in decodeEveryWay(hole, decoders: [.auto, .ffmpeg]) {
        guard case .success(let decoded) = way.outcome else { continue }
        let frames = decoded.samples.count / (name == "stereo.avi" ? 2 : 1)
        if frames < reference, decoded.warning?.hasPrefix("truncated") != true {
          failures.append("\(name) with a chunk header zeroed, \(way.label): \(frames) of \(reference) frames, \(decoded.warning ?? "no warning")")
        }
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }

  /// review40 G02: an AVI of MP3 cut to 60 % said nothing from its file (FFmpeg's AVI reader
  /// estimates a file's length from its bit rate, here from the bytes left) and `truncated`
  /// from a pipe (the stream header's length): the header's is taken, from both.
  func testACodedStreamCutShortSaysSoFromAFileAsFromAPipe() throws {
    let directory = try scratchDirectory(self)
    var failures: [String] = []
    for (name, arguments) in [
      ("mp3.avi", ["-t", "3", "-ar", "44100", "-ac", "2", "-c:a", "libmp3lame"]), ("ac3.avi", ["-t", "3", "-ar", "48000", "-c:a", "ac3"]),
    ] {
      let path = try MadeInputs.fromSpeech(name, in: directory, arguments)
      let bytes = readWholeFile(path)
      let cut = directory + "/cut-" + name
      try Data(bytes.prefix(bytes.count * 6 / 10)).write(to: URL(fileURLWithPath: cut))
      for way in decodeEveryWay(path, decoders: [.auto, .ffmpeg]) {
        if case .success(let decoded) = way.outcome, decoded.warning == nil { continue }
        failures.append("\(name) whole, \(way.label): \(way.outcome)")
      }
      for way in decodeEveryWay(cut, decoders: [.auto, .ffmpeg]) {
        guard case .success(let decoded) = way.outcome else { failures.append("\(name) cut, \(way.label): \(way.outcome)"); continue }
        if decoded.warning?.hasPrefix("truncated") != true {
          failures.append("\(name) cut to 60 %, \(way.label): \(decoded.samples.count) samples, \(decoded.warning ?? "no warning")")
        }
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }

  /// Codecs whose header's count is not the samples they decode are not called cut short
  /// when whole: WMA (a frame fewer: the decoder's delay) and G.726 (chunks of any length, the
  /// last one short).
  func testAWholeStreamOfAnInexactCountIsNotCalledTruncated() throws {
    let directory = try scratchDirectory(self)
    var failures: [String] = []
    for (name, arguments) in [
      ("wma.avi", ["-t", "3", "-ar", "22050", "-c:a", "wmav2"]), ("g726.avi", ["-t", "2.3", "-ar", "8000", "-c:a", "g726"]),
    ] {
      let path = try MadeInputs.fromSpeech(name, in: directory, arguments)
      for way in decodeEveryWay(path, decoders: [.auto, .ffmpeg]) {
        guard case .success(let decoded) = way.outcome else { failures.append("\(name), \(way.label): \(way.outcome)"); continue }
        if decoded.warning?.hasPrefix("truncated") == true { failures.append("\(name) whole, \(way.label): \(decoded.warning!)") }
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }
}
