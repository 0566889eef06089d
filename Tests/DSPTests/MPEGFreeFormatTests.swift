import DSP
import Foundation
import TestSupport
import XCTest

/// Free-format MPEG audio (bit-rate index 0: no header gives a frame's length, which only the
/// next sync word shows). libsndfile's libmpg123 decodes some such streams whole and stops
/// others after a few frames; FFmpeg decodes none. review37c X11: a free-format MP2 gave 140 of
/// 64366 output samples, exit 0, without a word (file and pipe, auto and sndfile); X17: a
/// free-format MP3 kept 384 of 178560 frames and was called `joined`. Each decoder either
/// decodes the whole stream (sox's libmad, the reference, does) or refuses it, saying it is
/// free format; none keeps part of it.
final class MPEGFreeFormatTests: XCTestCase {
  /// `wav` encoded by ffmpeg with `codec` at `bitRate`, then every frame header's bit-rate index
  /// set to 0 (free format), the frames' bytes unchanged.
  private func freeFormat(_ wav: String, codec: String, bitRate: Int, rate: Int, in directory: String, name: String) throws -> String {
    let encoded = directory + "/encoded-" + name
    let untagged = codec == "mp2" ? [] : ["-id3v2_version", "0"]
    _ = try MadeInputs.ffmpeg(["-i", wav, "-c:a", codec, "-b:a", "\(bitRate / 1000)k"] + untagged + [encoded])
    var bytes = readWholeFile(encoded)
    let layer2 = [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384]
    let layer3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
    var offset = 0
    while offset + 4 <= bytes.count, bytes[offset] == 0xFF, bytes[offset + 1] & 0xE0 == 0xE0 {
      let rates = bytes[offset + 1] & 0x06 == 0x04 ? layer2 : layer3
      let length = 144 * rates[Int(bytes[offset + 2] >> 4)] * 1000 / rate + Int(bytes[offset + 2] >> 1 & 1)
      bytes[offset + 2] &= 0x0F
      offset += length
    }
    XCTAssertEqual(offset, bytes.count, "\(name): frames walked to the end")
    let path = directory + "/" + name
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// The interleaved samples sox (libmad) decodes from `path`.
  private func soxSamples(_ path: String) throws -> Int {
    let result = try spawn(try MadeInputs.tool("sox"), ["-V1", path, "-t", "f32", "-"], timeLimit: 60)
    XCTAssertEqual(result.status, 0, path)
    return result.stdout.count / 4
  }

  func testAFreeFormatStreamIsDecodedWholeOrRefused() throws {
    let directory = try scratchDirectory(self)
    var failures: [String] = []
    var wholeSomewhere: Set<String> = []
    // (long-loud.mp2: 4.6 MB, past a pipe's 4 MiB window, which libmpg123 reads to its end.)
    for (name, rate, codec, bitRate, gain, seconds) in [
      ("loud.mp2", 44100, "mp2", 192_000, "-3", 4), ("quiet.mp2", 44100, "mp2", 192_000, "-12", 4),
      ("constant.mp2", 48000, "mp2", 192_000, "-12", 4), ("free.mp3", 44100, "libmp3lame", 128_000, "-3", 4),
    ] + (testSanitizer == nil ? [("long-loud.mp2", 44100, "mp2", 192_000, "-3", 190)] : []) {
      let wav = directory + "/\(name).wav"
      let made = try spawn(
        try MadeInputs.tool("sox"),
        ["-n", "-r", "\(rate)", "-c", "2", wav, "synth", "\(seconds)", "sine", "300:3000", "sine", "440", "gain", gain])
      XCTAssertEqual(made.status, 0, made.stderr)
      let path = try freeFormat(wav, codec: codec, bitRate: bitRate, rate: rate, in: directory, name: name)
      let reference = try soxSamples(path)
      for way in decodeEveryWay(path) {
        switch way.outcome {
        case .success(let decoded):
          // Whole: within a frame (1152 stereo samples) and the decoders' delay of sox's.
          if abs(decoded.samples.count - reference) > 2 * 1152 * 2 || decoded.warning != nil {
            failures.append("\(name), \(way.label): \(decoded.samples.count) samples of sox's \(reference), \(decoded.warning ?? "no warning")")
          } else {
            wholeSomewhere.insert(name)
          }
        case .failure(let error):
          if !"\(error)".contains("free-format MPEG") {
            failures.append("\(name), \(way.label): \(error) (not said to be free format)")
          }
        }
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
    // review37c X12, X13: libsndfile decodes these from their files (the baseline did).
    XCTAssertTrue(wholeSomewhere.isSuperset(of: ["quiet.mp2", "constant.mp2"]), "decoded whole: \(wholeSomewhere.sorted())")
  }
}
