import DSP
import Foundation
import TestSupport
import XCTest

/// A PCM container cut short says so whichever decoder reads it (review16e's D3): FFmpeg does
/// not pass on the length of a WAV whose data chunk runs past the end of the input (it guesses
/// one from the bytes there are), nor a W64's or a CAF's, so `--decoder ffmpeg` kept half a file
/// without a word where libsndfile warned `truncated`.
final class FFmpegHeaderLengthTests: XCTestCase {
  func testACutPCMContainerIsTruncatedForFFmpegAsForLibsndfile() throws {
    try assertCutsAreTruncatedForFFmpeg { $0 * 2 / 5 }
  }

  /// A cut of 4000 bytes (23 ms of 16-bit stereo) too: the data size gives the length to the
  /// frame, and the tolerance of a length FFmpeg estimates does not apply to it (review37c X20:
  /// no word under `--decoder ffmpeg`, file and stdin, where libsndfile said `truncated`).
  func testAShortCutOfAPCMContainerIsTruncatedForFFmpegToo() throws {
    try assertCutsAreTruncatedForFFmpeg { $0 - 4000 }
  }

  /// Files of each PCM container cut to `keeping` of their bytes: FFmpeg, from a file and a
  /// pipe, says `truncated` with the length libsndfile says.
  private func assertCutsAreTruncatedForFFmpeg(keeping: (Int) -> Int) throws {
    let directory = try scratchDirectory(self)
    let made: [(String, [String])] = [
      ("s16.wav", ["-c:a", "pcm_s16le"]), ("u8.wav", ["-c:a", "pcm_u8"]),
      ("stereo-s16.wav", ["-ac", "2", "-c:a", "pcm_s16le"]), ("s24.wav", ["-c:a", "pcm_s24le"]),
      ("mulaw.wav", ["-c:a", "pcm_mulaw"]), ("f32.wav", ["-c:a", "pcm_f32le"]),
      ("s16.w64", ["-c:a", "pcm_s16le"]), ("stereo-s16.w64", ["-ac", "2", "-c:a", "pcm_s16le"]),
      ("s16.caf", ["-c:a", "pcm_s16le"]), ("stereo-s24.caf", ["-ac", "2", "-c:a", "pcm_s24be"]),
    ]
    for (name, arguments) in made {
      let path = try MadeInputs.fromSpeech(name, in: directory, arguments)
      XCTAssertNil(try decodeAll(path, decoder: .ffmpeg).source.truncation, name)
      let bytes = readWholeFile(path)
      let cut = directory + "/cut-" + name
      try Data(bytes.prefix(keeping(bytes.count))).write(to: URL(fileURLWithPath: cut))
      // libsndfile, the reference here: "truncated: the header announces N frames, …".
      let sndfile = try decodeAll(cut, decoder: .sndfile).source.truncation ?? "nothing"
      guard let range = sndfile.range(of: #"announces [0-9]+ frames"#, options: .regularExpression) else {
        XCTFail("\(name) cut short, libsndfile: \(sndfile)")
        continue
      }
      let announced = sndfile[range]
      for (how, decoded) in [("a file", try decodeAll(cut, decoder: .ffmpeg)), ("a pipe", try decodeAllThroughAPipe(cut, decoder: .ffmpeg))] {
        let warning = decoded.source.truncation ?? "nothing"
        XCTAssertTrue(
          warning.hasPrefix("truncated") && warning.contains(announced),
          "\(name) cut short, FFmpeg from \(how): \(warning)")
      }
    }
  }
}
