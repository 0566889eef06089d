import Foundation
import TestSupport
import XCTest

@testable import DSP

/// Issue 16, the second hostile review's decoder findings: joined or damaged inputs never lose
/// audio silently, and a file and a pipe agree. References are ffmpeg's decoding, the inputs'
/// own headers written by ffmpeg, or a known signal.
final class DecoderTrustRound2Tests: XCTestCase {
  /// An input whose header announces audio of which nothing decodes is an input fault (65, one
  /// line), not an empty output with exit 0: an MP4 whose sample sizes point past its end, a
  /// FLAC whose header is zeroed after its STREAMINFO or whose frames all are, a WavPack cut in
  /// half, from a file and from a pipe. (Three of them gave 0 frames, exit 0, with only a
  /// `truncated` warning.)
  func testAnInputOfWhichNothingDecodesIsAnInputFault() throws {
    let directory = try scratchDirectory(self)
    let m4a = try MadeInputs.fromSpeech("whole.m4a", in: directory, ["-c:a", "aac", "-movflags", "+faststart"])
    var bytes = readWholeFile(m4a)
    let stsz = try XCTUnwrap(DecoderTrustTests.find(Array("stsz".utf8), in: bytes))
    // The constant sample size (0: a table follows) becomes 1 MB: every sample lies past the end.
    bytes.replaceSubrange(stsz + 8..<stsz + 12, with: [0x00, 0x0F, 0x42, 0x40])
    let sizes = directory + "/sizes-past-the-end.m4a"
    try Data(bytes).write(to: URL(fileURLWithPath: sizes))
    var flac = readWholeFile(fixtures + "/speech.flac")
    let firstFrame = try XCTUnwrap(Self.firstFLACFrame(flac))
    flac.replaceSubrange(firstFrame..<flac.count, with: repeatElement(0, count: flac.count - firstFrame))
    let zeroed = directory + "/frames-zeroed.flac"
    try Data(flac).write(to: URL(fileURLWithPath: zeroed))
    flac = readWholeFile(fixtures + "/speech.flac")
    flac.replaceSubrange(64..<264, with: repeatElement(0, count: 200))
    let header = directory + "/header-zeroed.flac"
    try Data(flac).write(to: URL(fileURLWithPath: header))
    let wavpack = readWholeFile(try MadeInputs.fromSpeech("whole.wv", in: directory, ["-c:a", "wavpack"]))
    let half = directory + "/half.wv"
    try Data(wavpack.prefix(wavpack.count / 2)).write(to: URL(fileURLWithPath: half))
    for path in [sizes, zeroed, header, half] {
      for viaPipe in [false, true] {
        let label = "\((path as NSString).lastPathComponent)\(viaPipe ? " from a pipe" : "")"
        XCTAssertThrowsError(try viaPipe ? decodeAllThroughAPipe(path) : decodeAll(path), label) { error in
          XCTAssertEqual((error as? AudioIOError)?.kind, .invalidInput, "\(label): \(error)")
          let message = "\(error)"
          XCTAssertTrue(message.contains("nothing decodes") || message.contains("decoding failed"), "\(label): \(error)")
          XCTAssertFalse("\(error)".contains("\n"), "\(label): \(error)")
        }
      }
    }
  }

  /// Where a FLAC file's first frame starts: after its metadata blocks.
  static func firstFLACFrame(_ bytes: [UInt8]) -> Int? {
    guard bytes.starts(with: Array("fLaC".utf8)) else { return nil }
    var at = 4
    while at + 4 <= bytes.count {
      let last = bytes[at] & 0x80 != 0
      let length = bytes[at + 1..<at + 4].reduce(0) { $0 << 8 | Int($1) }
      at += 4 + length
      if last { return at }
    }
    return nil
  }
}

extension DecoderTrustRound2Tests {
  /// An honest Opus file encoded from an 8, 12, 16 or 24 kHz source (libsndfile decodes it at
  /// the input rate its `OpusHead` gives) ends without a warning, from a file and from a pipe;
  /// cut in half, it still warns `truncated`. (Its granule positions count 48 kHz frames
  /// whatever the rate, and were compared with 16 kHz frames: a false `truncated` at 16 kHz.)
  func testAnOpusFileFromASourceNotAt48kHzIsNotTruncated() throws {
    let directory = try scratchDirectory(self)
    for rate in [8000, 12000, 16000, 24000, 48000] {
      let path = try MadeInputs.fromSpeech("at-\(rate).opus", in: directory, ["-ar", "\(rate)", "-c:a", "libopus"])
      let bytes = readWholeFile(path)
      let half = directory + "/half-at-\(rate).opus"
      try Data(bytes.prefix(bytes.count / 2)).write(to: URL(fileURLWithPath: half))
      for viaPipe in [false, true] {
        let label = "\((path as NSString).lastPathComponent)\(viaPipe ? " from a pipe" : "")"
        let whole = try viaPipe ? decodeAllThroughAPipe(path) : decodeAll(path)
        XCTAssertNil(whole.source.truncation, label)
        let cut = try viaPipe ? decodeAllThroughAPipe(half) : decodeAll(half)
        XCTAssertTrue(cut.source.truncation?.hasPrefix("truncated") == true, "half of \(label): \(cut.source.truncation ?? "no warning")")
      }
    }
  }
}

extension DecoderTrustRound2Tests {
  /// A FLAC whose STREAMINFO declares another rate than its frame headers (22050 Hz, written by
  /// ffmpeg) is an input fault (65) naming both, from a file and from a pipe, whichever decoder
  /// is asked; an honest FLAC is not. (libsndfile took STREAMINFO's 44100 or 655350 Hz and the
  /// audio came out 2 or 30 times too short, exit 0.)
  func testAFLACWhoseSTREAMINFOContradictsItsFramesIsAnInputFault() throws {
    let directory = try scratchDirectory(self)
    let honest = readWholeFile(fixtures + "/speech.flac")
    XCTAssertNoThrow(try decodeAll(fixtures + "/speech.flac"))
    for lie in [44100, 655350] {
      var bytes = honest
      // STREAMINFO's 20-bit rate: 18 bytes in (marker, block header, block and frame sizes).
      bytes[18] = UInt8(lie >> 12)
      bytes[19] = UInt8((lie >> 4) & 0xFF)
      bytes[20] = UInt8((lie & 0xF) << 4) | (bytes[20] & 0x0F)
      let path = directory + "/streaminfo-\(lie).flac"
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      for decoder in [AudioDecoder.auto, .sndfile] {
        for viaPipe in [false, true] {
          let label = "\((path as NSString).lastPathComponent) through \(decoder)\(viaPipe ? " from a pipe" : "")"
          XCTAssertThrowsError(try viaPipe ? decodeAllThroughAPipe(path, decoder: decoder) : decodeAll(path, decoder: decoder), label) { error in
            XCTAssertEqual((error as? AudioIOError)?.kind, .invalidInput, "\(label): \(error)")
            XCTAssertTrue("\(error)".contains("\(lie)") && "\(error)".contains("22050"), "\(label): \(error)")
          }
        }
      }
    }
  }
}

extension DecoderTrustRound2Tests {
  /// Two files of one container joined end to end (`cat a b`), for every container that can be,
  /// are refused (65), from a file and from a pipe, whichever decoder reads it: "changes from"
  /// when the second part's rate or channel count differs, else naming the second file's byte
  /// (review 16e J2–J5, J9: the decoders disagree past the first file, and a pipe cannot be
  /// read again). (Chained Ogg Vorbis, FLAC, Matroska, TTA, WMA and FLV lost the second part
  /// silently, exit 0; AVI and NUT decoded it at the first part's rate; WavPack warned
  /// `truncated or damaged` with equal lengths; later, both parts were decoded from a file and
  /// one from a pipe.)
  func testJoinedFilesAreRefusedWhateverTheContainer() throws {
    let directory = try scratchDirectory(self)
    let containers: [(String, [String])] = [
      ("flac", ["-c:a", "flac"]), ("ogg", ["-c:a", "libvorbis"]), ("opus", ["-c:a", "libopus"]),
      ("mkv", ["-c:a", "pcm_s16le"]), ("webm", ["-c:a", "libopus"]), ("avi", ["-c:a", "pcm_s16le"]),
      ("nut", ["-c:a", "pcm_s16le"]), ("flv", ["-c:a", "libmp3lame"]), ("tta", ["-c:a", "tta"]),
      ("wv", ["-c:a", "wavpack"]), ("wma", ["-c:a", "wmav2"]),
    ]
    for (ext, codec) in containers {
      // Opus always decodes at 48 kHz: only its channel count can change.
      let variants: [(String, [String])] = [("same", []), ("channels", ["-ac", "2"])] + (["opus", "webm"].contains(ext) ? [] : [("rate", ["-ar", "44100"])])
      let first = try MadeInputs.fromSpeech("first.\(ext)", in: directory, ["-t", "1"] + codec)
      for (variant, change) in variants {
        let second = try MadeInputs.fromSpeech("second-\(variant).\(ext)", in: directory, ["-t", "1"] + change + codec)
        let path = directory + "/joined-\(variant).\(ext)"
        try Data(readWholeFile(first) + readWholeFile(second)).write(to: URL(fileURLWithPath: path))
        // Only what libsndfile reads has two decoders to try; the rest is FFmpeg's under auto.
        for decoder in ["flac", "ogg", "opus"].contains(ext) ? [AudioDecoder.auto, .ffmpeg] : [.auto] {
          for viaPipe in [false, true] {
            let label = "\((path as NSString).lastPathComponent) through \(decoder)\(viaPipe ? " from a pipe" : "")"
            let decode = { try viaPipe ? decodeAllThroughAPipe(path, decoder: decoder) : decodeAll(path, decoder: decoder) }
            // A file is refused when it is opened, before anything is decoded or written.
            if !viaPipe { XCTAssertThrowsError(try openAudioSource(path: path, decoder: decoder), "\(label): opened") }
            XCTAssertThrowsError(try decode(), label) { error in
              XCTAssertEqual((error as? AudioIOError)?.kind, .invalidInput, "\(label): \(error)")
              let said = variant == "same" ? "starts at byte \(readWholeFile(first).count)" : "changes from"
              XCTAssertTrue("\(error)".contains(said), "\(label): \(error)")
            }
          }
        }
      }
    }
  }
}

extension DecoderTrustRound2Tests {
  /// The same damage gives the same frames, the same warning (or none) and the same error from
  /// a file and from a pipe, and damage that loses or garbles audio is never silent: TTA,
  /// WavPack, NUT, FLV and Matroska, whole, cut in half, cut by 7 bytes, with a 2.5 KB zeroed
  /// hole and with 512 inverted bytes a third of the way in. (A damaged TTA decoded garbage
  /// silently; a NUT cut short warned only from a file; an honest WavPack warned only from a
  /// pipe, at its APE tag.)
  func testTheSameDamageGivesTheSameOutcomeFromAFileAndAPipe() throws {
    let directory = try scratchDirectory(self)
    let made: [(String, [String])] = [
      ("tta.tta", ["-c:a", "tta"]), ("wavpack.wv", ["-c:a", "wavpack"]), ("pcm.nut", ["-c:a", "pcm_s16le"]),
      ("mp3.flv", ["-c:a", "libmp3lame"]), ("flac.mkv", ["-c:a", "flac"]),
    ]
    for (name, codec) in made {
      let whole = readWholeFile(try MadeInputs.fromSpeech(name, in: directory, codec))
      let third = whole.count / 3
      var hole = whole
      hole.replaceSubrange(third..<third + 2500, with: repeatElement(0, count: 2500))
      var flipped = whole
      for index in third..<third + 512 { flipped[index] ^= 0xFF }
      let damages: [(String, [UInt8])] = [
        ("whole", whole), ("half", Array(whole.prefix(whole.count / 2))), ("less7", Array(whole.dropLast(7))),
        ("hole", hole), ("flipped", flipped),
      ]
      for (damage, bytes) in damages {
        let path = directory + "/\(damage)-" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let file = Result { try decodeAll(path) }
        let piped = Result { try decodeAllThroughAPipe(path) }
        let label = "\(name) \(damage)"
        switch (file, piped) {
        case (.success(let file), .success(let piped)):
          XCTAssertEqual(file.samples.count, piped.samples.count, "\(label): frames")
          XCTAssertEqual(file.source.truncation, piped.source.truncation, "\(label): warning")
          if damage == "whole" {
            XCTAssertNil(file.source.truncation, label)
          } else if !name.hasPrefix("pcm"), file.samples != readWholeFileSamples(directory, name) {
            // (PCM's bytes are its samples: damage inside them cannot be seen, as in a WAV.)
            XCTAssertNotNil(file.source.truncation, "\(label): other audio than the whole file's, silently")
          }
        case (.failure(let file), .failure(let piped)):
          XCTAssertEqual((file as? AudioIOError)?.message, (piped as? AudioIOError)?.message, label)
        default:
          XCTFail("\(label): from a file \(file), from a pipe \(piped)")
        }
      }
    }
  }

  /// The samples the undamaged `name` in `directory` decodes to.
  private func readWholeFileSamples(_ directory: String, _ name: String) -> [Float] {
    (try? decodeAll(directory + "/whole-" + name).samples) ?? []
  }
}

extension DecoderTrustRound2Tests {
  /// WAV, AIFF and CAF cut by a few bytes (inside the last frame or two) give the same frames
  /// from a file and from a pipe: every whole frame there is. (A CAF cut by 7 bytes gave 79509
  /// frames from a file, 79513 from a pipe; (163130 − 7 − 4096) / 2 = 79513.5.)
  func testPCMCutByAFewBytesGivesTheSameFramesFromAFileAndAPipe() throws {
    let directory = try scratchDirectory(self)
    for name in ["speech.wav", "speech.aiff", "speech.caf"] {
      let bytes = readWholeFile(fixtures + "/" + name)
      for cut in [1, 3, 7, 64] {
        let path = directory + "/less\(cut)-" + name
        try Data(bytes.dropLast(cut)).write(to: URL(fileURLWithPath: path))
        let file = try decodeAll(path)
        let piped = try decodeAllThroughAPipe(path)
        XCTAssertEqual(file.samples.count, piped.samples.count, "\(name) less \(cut) bytes")
        XCTAssertEqual(file.source.truncation, piped.source.truncation, "\(name) less \(cut) bytes")
      }
    }
  }
}

extension DecoderTrustRound2Tests {
  /// A 5.1 WavPack (its frames are three blocks, one per channel pair, all starting at the same
  /// sample) is one stream, not three joined: it decodes without an error or warning.
  func testAMultichannelWavPackIsNotTakenForJoinedFiles() throws {
    let directory = try scratchDirectory(self)
    let path = directory + "/six.wv"
    try MadeInputs.ffmpeg([
      "-f", "lavfi", "-i", "anoisesrc=d=1:r=22050:a=0.3", "-af", "pan=5.1|c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0",
      "-c:a", "wavpack", path,
    ])
    XCTAssertNil(StreamHeaderScanner.scan(file: path, reach: .everything).join.map(\.next.offset), "a join found in one stream")
    // (From a pipe FFmpeg cannot open a multichannel WavPack at all: "Cannot determine
    // additional parameters", as the ffmpeg command line.)
    let decoded = try decodeAll(path)
    XCTAssertEqual(decoded.source.format.channels, 6)
    XCTAssertNil(decoded.source.truncation)
  }
}
