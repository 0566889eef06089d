import DSP
import Foundation
import TestSupport
import XCTest

/// Damage is not a wrong sample rate (review16f N1): a FLAC with 2 KB zeroed at a third was
/// refused whole, 65 "the header's sample rate of 22050 Hz does not match its timestamps, which
/// imply about 44100 Hz", from a file and from a pipe, where ffmpeg keeps 2.48 s of its 3 s and
/// sox 2.75 s. The frames FFmpeg decodes after the hole carry no timestamp or one from before
/// it, and the check measured every frame against the first timestamp it saw.
final class DamagedTimestampsTests: XCTestCase {
  func testAHoleInAFLACKeepsWhatFFmpegRecoversWhereverItIs() throws {
    let directory = try scratchDirectory(self)
    let wav = directory + "/tremolo.wav"
    let made = try spawn(
      try MadeInputs.tool("sox"), ["-n", "-r", "22050", "-c", "1", "-b", "16", wav, "synth", "3", "sine", "440", "gain", "-6", "tremolo", "3", "60"])
    XCTAssertEqual(made.status, 0, made.stderr)
    let flac = directory + "/tremolo.flac"
    try MadeInputs.ffmpeg(["-i", wav, "-c:a", "flac", flac])
    let whole = readWholeFile(flac)
    for position in 1..<33 {
      var bytes = whole
      let start = whole.count * position / 33
      bytes.replaceSubrange(start..<min(whole.count, start + 2048), with: repeatElement(0, count: min(2048, whole.count - start)))
      let path = directory + "/hole-\(position).flac"
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      let reference = try MadeInputs.ffmpegFrames(path)
      for (how, decoder, pipe) in [("a file", AudioDecoder.auto, false), ("a pipe", .auto, true), ("a file, FFmpeg", .ffmpeg, false)] {
        let label = "a hole at \(position)/33 (byte \(start)) from \(how)"
        do {
          let decoded = try pipe ? decodeAllThroughAPipe(path, decoder: decoder) : decodeAll(path, decoder: decoder)
          XCTAssertGreaterThanOrEqual(decoded.samples.count, reference - 22050 / 10, "\(label): ffmpeg recovers \(reference) frames")
          // A hole in the metadata's padding costs nothing; one in the audio costs frames, said.
          if decoded.samples.count < 66150 {
            XCTAssertNotNil(decoded.source.truncation, "\(label): \(decoded.samples.count) frames, silently")
          }
        } catch {
          XCTFail("\(label): \(error); ffmpeg recovers \(reference) frames")
        }
      }
    }
  }

  /// review40 G08: a Vorbis stream with a tenth zeroed at a third, under FFmpeg, said "the
  /// header's sample rate of 44100 Hz does not match its timestamps, which imply about 29351 Hz
  /// (or they jump over gaps): the audio may play at the wrong speed", where libsndfile said
  /// `truncated` with both lengths. The timestamps jump once over the hole; between the pages on
  /// either side they step at the rate, which a wrong rate would not: the stream is truncated.
  func testAHoleInAVorbisStreamIsAHoleNotAWrongRate() throws {
    let directory = try scratchDirectory(self)
    let wav = directory + "/tone.wav"
    let made = try spawn(try MadeInputs.tool("sox"), ["-n", "-r", "44100", "-c", "2", wav, "synth", "10", "sine", "440", "vol", "0.5"])
    XCTAssertEqual(made.status, 0, made.stderr)
    let ogg = directory + "/tone.ogg"
    let encoded = try spawn(try MadeInputs.tool("sox"), [wav, ogg])
    XCTAssertEqual(encoded.status, 0, encoded.stderr)
    var bytes = readWholeFile(ogg)
    bytes.replaceSubrange(bytes.count / 3..<bytes.count / 3 + bytes.count / 10, with: repeatElement(0, count: bytes.count / 10))
    let hole = directory + "/hole.ogg"
    try Data(bytes).write(to: URL(fileURLWithPath: hole))
    for way in decodeEveryWay(hole) {
      guard case .success(let decoded) = way.outcome else { XCTFail("\(way.label): \(way.outcome)"); continue }
      XCTAssertTrue(decoded.warning?.hasPrefix("truncated: the header announces 441000 frames") == true, "\(way.label): \(decoded.warning ?? "no warning")")
    }
  }
}
