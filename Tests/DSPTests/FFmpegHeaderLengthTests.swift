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

extension FFmpegHeaderLengthTests {
  /// review60 W3: a TTA or FLV cut inside its last frame or packet (a few hundred bytes) said
  /// `damaged: the decoder reported 1 error(s) (last: CRC error)` or a corrupt packet, with the
  /// frames it held but not the length its header announces (within the last frame's
  /// tolerance, which a deeper cut passes: `truncated: the header announces …`). Every cut says
  /// both lengths, from a file and a pipe.
  func testACutInTheLastFrameSaysTheAnnouncedLengthToo() throws {
    let directory = try scratchDirectory(self)
    let wav = directory + "/src.wav"
    try MadeInputs.synth(wav, rate: 44100, channels: 2, ["10", "sine", "300", "sine", "500", "vol", "0.5"])
    var failures: [String] = []
    for (name, arguments) in [("src.tta", ["-c:a", "tta"]), ("src.flv", ["-c:a", "aac"])] {
      let path = directory + "/" + name
      _ = try MadeInputs.ffmpeg(["-i", wav] + arguments + [path])
      let bytes = readWholeFile(path)
      for cut in [100, 1000] {
        let short = directory + "/cut-\(cut)-" + name
        try Data(bytes.dropLast(cut)).write(to: URL(fileURLWithPath: short))
        for (how, decoded) in [("a file", try decodeAll(short)), ("a pipe", try decodeAllThroughAPipe(short))] {
          let warning = decoded.source.truncation ?? "nothing"
          if warning.range(of: #"announces? 44[0-9]{4} frames, the input holds"#, options: .regularExpression) == nil {
            failures.append("\(name) cut by \(cut) bytes, \(how): \(warning)")
          }
        }
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }
}
