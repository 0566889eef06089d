import Foundation
import TestSupport
import XCTest

@testable import DSP

/// Issue 16, the third hostile review's findings on joined files (`cat a b c`) and on what is
/// taken for one: every part is checked, whatever the container, from a file and from a pipe;
/// a file held inside another (a FLAC metadata block, a Matroska attachment) is not a join.
/// References: the parts' own lengths and headers as ffmpeg wrote them, ffmpeg's decoding.
final class JoinedStreamsTests: XCTestCase {
  /// The containers whose files can be joined, with the codec ffmpeg writes each with.
  private static let containers: [(String, [String])] = [
    ("flac", ["-c:a", "flac"]), ("ogg", ["-c:a", "libvorbis"]), ("mkv", ["-c:a", "pcm_s16le"]),
    ("avi", ["-c:a", "pcm_s16le"]), ("nut", ["-c:a", "pcm_s16le"]), ("wv", ["-c:a", "wavpack"]),
    ("tta", ["-c:a", "tta"]), ("flv", ["-c:a", "libmp3lame"]), ("wma", ["-c:a", "wmav2"]),
    ("caf", ["-c:a", "pcm_s16le"]), ("m4a", ["-c:a", "aac", "-movflags", "+faststart"]),
  ]

  /// Decoders to try: both where libsndfile reads the container, else auto (FFmpeg).
  private func decoders(_ ext: String) -> [AudioDecoder] { ["flac", "ogg", "caf"].contains(ext) ? [.auto, .ffmpeg] : [.auto] }

  /// Three parts, the first two alike and the third at another rate or channel count, are
  /// refused (65, "changes from", naming the third part's byte), from a file when it is opened
  /// and from a pipe. (Only the second part was compared with the first: the third was
  /// dropped (Matroska, FLAC) or played at the first part's rate (AVI, NUT), exit 0.)
  func testAThirdPartOfAnotherFormatIsRefused() throws {
    let directory = try scratchDirectory(self)
    for (ext, codec) in Self.containers {
      let one = try MadeInputs.fromSpeech("one.\(ext)", in: directory, ["-t", "0.5", "-ar", "22050", "-ac", "1"] + codec)
      let two = try MadeInputs.fromSpeech("two.\(ext)", in: directory, ["-ss", "1", "-t", "0.5", "-ar", "22050", "-ac", "1"] + codec)
      for (variant, change) in [("rate", ["-ar", "44100", "-ac", "1"]), ("channels", ["-ar", "22050", "-ac", "2"])] {
        let three = try MadeInputs.fromSpeech("three-\(variant).\(ext)", in: directory, ["-ss", "2", "-t", "0.5"] + change + codec)
        let path = directory + "/joined-\(variant).\(ext)"
        let third = readWholeFile(one).count + readWholeFile(two).count
        try Data(readWholeFile(one) + readWholeFile(two) + readWholeFile(three)).write(to: URL(fileURLWithPath: path))
        for decoder in decoders(ext) {
          for viaPipe in [false, true] {
            let label = "\((path as NSString).lastPathComponent) through \(decoder)\(viaPipe ? " from a pipe" : "")"
            if !viaPipe { XCTAssertThrowsError(try openAudioSource(path: path, decoder: decoder), "\(label): opened") }
            XCTAssertThrowsError(try viaPipe ? decodeAllThroughAPipe(path, decoder: decoder) : decodeAll(path, decoder: decoder), label) { error in
              XCTAssertEqual((error as? AudioIOError)?.kind, .invalidInput, "\(label): \(error)")
              XCTAssertTrue("\(error)".contains("changes from") && "\(error)".contains("at byte \(third)"), "\(label): \(error)")
            }
          }
        }
      }
    }
  }

  /// CAF and M4A files joined end to end are refused: with the same format naming the second
  /// file's byte, with another rate saying what changes. (Both kept only the first part,
  /// silently; later the same format was decoded whole or warned `joined`.)
  func testJoinedCAFAndM4AAreRefused() throws {
    let directory = try scratchDirectory(self)
    let made: [(String, [String])] = [
      ("caf", ["-c:a", "pcm_s16le"]), ("m4a", ["-c:a", "aac", "-movflags", "+faststart"]),
      ("m4a", ["-c:a", "aac"]), ("m4a", ["-c:a", "alac"]),
    ]
    for (index, (ext, codec)) in made.enumerated() {
      let first = try MadeInputs.fromSpeech("first\(index).\(ext)", in: directory, ["-t", "1"] + codec)
      for (variant, change) in [("same", [String]()), ("rate", ["-ar", "16000"])] {
        let second = try MadeInputs.fromSpeech("second\(index)-\(variant).\(ext)", in: directory, ["-ss", "1", "-t", "1"] + change + codec)
        let path = directory + "/joined\(index)-\(variant).\(ext)"
        try Data(readWholeFile(first) + readWholeFile(second)).write(to: URL(fileURLWithPath: path))
        // From a pipe, an MP4 whose index follows its audio is refused whole (its own rule).
        let pipes = codec.contains("+faststart") || ext == "caf" ? [false, true] : [false]
        for decoder in decoders(ext) {
          for viaPipe in pipes {
            let label = "\((path as NSString).lastPathComponent) \(codec) through \(decoder)\(viaPipe ? " from a pipe" : "")"
            XCTAssertThrowsError(try viaPipe ? decodeAllThroughAPipe(path, decoder: decoder) : decodeAll(path, decoder: decoder), label) { error in
              let said = variant == "same" ? "starts at byte \(readWholeFile(first).count)" : "changes from"
              XCTAssertTrue("\(error)".contains(said), "\(label): \(error)")
            }
          }
        }
      }
    }
  }

  /// An Ogg Vorbis stream followed by an Opus stream (a chain whose codec changes), and the
  /// reverse, are refused naming the second link's byte, as every chained Ogg is. (The second
  /// link was dropped silently: only a link of the first one's codec counted; later it was
  /// decoded or warned `joined`.)
  func testAnOggChainWhoseCodecChangesIsRefused() throws {
    let directory = try scratchDirectory(self)
    let vorbis = try MadeInputs.fromSpeech("v.ogg", in: directory, ["-t", "1", "-ar", "48000", "-c:a", "libvorbis"])
    let opus = try MadeInputs.fromSpeech("o.opus", in: directory, ["-ss", "1", "-t", "1", "-c:a", "libopus"])
    for (name, parts) in [("vorbis-opus.ogg", [vorbis, opus]), ("opus-vorbis.ogg", [opus, vorbis])] {
      let path = directory + "/" + name
      try Data(parts.flatMap(readWholeFile)).write(to: URL(fileURLWithPath: path))
      for decoder in [AudioDecoder.auto, .ffmpeg] {
        for viaPipe in [false, true] {
          let label = "\(name) through \(decoder)\(viaPipe ? " from a pipe" : "")"
          XCTAssertThrowsError(try viaPipe ? decodeAllThroughAPipe(path, decoder: decoder) : decodeAll(path, decoder: decoder), label) { error in
            XCTAssertTrue("\(error)".contains("a second Ogg file starts at byte \(readWholeFile(parts[0]).count)"), "\(label): \(error)")
          }
        }
      }
    }
  }

  /// A file held inside another is not a join: a FLAC whose APPLICATION or PADDING block holds
  /// a whole FLAC at another rate, a Matroska file with a FLAC and a Matroska file attached.
  /// They decode as ffmpeg decodes them, with no warning, from a file and a pipe. (They were
  /// refused, 65, "the sample rate changes".)
  func testAFileHeldInsideAnotherIsNotAJoin() throws {
    let directory = try scratchDirectory(self)
    let inner = readWholeFile(try MadeInputs.fromSpeech("inner.flac", in: directory, ["-t", "0.5", "-ar", "44100", "-c:a", "flac"]))
    let innerMKV = try MadeInputs.fromSpeech("inner.mkv", in: directory, ["-t", "0.5", "-ar", "44100", "-c:a", "pcm_s16le"])
    let outer = readWholeFile(try MadeInputs.fromSpeech("outer.flac", in: directory, ["-t", "1", "-c:a", "flac"]))
    var held: [String] = []
    for (name, type) in [("application", UInt8(2)), ("padding", UInt8(1))] {
      // After STREAMINFO (4 + 4 + 34 bytes), a block that is not the last: its type, 24-bit size.
      let payload = (type == 2 ? Array("test".utf8) : []) + inner
      let block = [type, UInt8(payload.count >> 16), UInt8((payload.count >> 8) & 0xFF), UInt8(payload.count & 0xFF)] + payload
      var bytes = outer
      XCTAssertEqual(bytes[4] & 0x80, 0, "STREAMINFO is not the last block")
      bytes.insert(contentsOf: block, at: 42)
      let path = directory + "/\(name)-holds-a-flac.flac"
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      held.append(path)
    }
    let attached = directory + "/attachments.mkv"
    try MadeInputs.ffmpeg([
      "-i", fixtures + "/speech.flac", "-t", "1", "-c:a", "pcm_s16le",
      "-attach", directory + "/inner.flac", "-metadata:s:t:0", "mimetype=audio/flac",
      "-attach", innerMKV, "-metadata:s:t:1", "mimetype=video/x-matroska", attached,
    ])
    held.append(attached)
    for path in held {
      let expected = try MadeInputs.ffmpegFrames(path)
      for decoder in decoders((path as NSString).pathExtension) {
        for viaPipe in [false, true] {
          let label = "\((path as NSString).lastPathComponent) through \(decoder)\(viaPipe ? " from a pipe" : "")"
          let decoded = try viaPipe ? decodeAllThroughAPipe(path, decoder: decoder) : decodeAll(path, decoder: decoder)
          XCTAssertEqual(decoded.samples.count, expected, label)
          XCTAssertNil(decoded.source.truncation, label)
        }
      }
    }
  }
}

extension JoinedStreamsTests {
  /// MP3 and MP2 files joined from parts of another rate are refused from a file (65, naming
  /// the byte); from a pipe they are refused or the warning says `joined`, never silent. (A
  /// joined MP2 kept its first part silently, exit 0: FFmpeg, reading the second part's rate,
  /// declined to take over, and nothing said so.)
  func testJoinedMPEGFilesOfAnotherRateAreNeverSilent() throws {
    let directory = try scratchDirectory(self)
    for (ext, codec) in [("mp3", "libmp3lame"), ("mp2", "mp2")] {
      let first = try MadeInputs.fromSpeech("a.\(ext)", in: directory, ["-t", "1", "-ar", "22050", "-c:a", codec])
      let second = try MadeInputs.fromSpeech("b.\(ext)", in: directory, ["-ss", "1", "-t", "1", "-ar", "44100", "-c:a", codec])
      let path = directory + "/joined.\(ext)"
      try Data(readWholeFile(first) + readWholeFile(second)).write(to: URL(fileURLWithPath: path))
      XCTAssertThrowsError(try decodeAll(path), ext) { error in
        XCTAssertTrue("\(error)".contains("changes from 22050 to 44100 Hz at byte "), "\(ext): \(error)")
      }
      do {
        let piped = try decodeAllThroughAPipe(path)
        XCTAssertTrue(piped.source.truncation?.contains("joined") == true, "\(ext) from a pipe: silent")
      } catch {
        XCTAssertTrue("\(error)".contains("changes from"), "\(ext) from a pipe: \(error)")
      }
    }
  }
}

extension JoinedStreamsTests {
  /// The same joined files, as files, are refused when they are opened, before a sample is
  /// decoded, whichever decoder reads them: a run writing to standard output wrote 90–112 KB of
  /// the first part before the 65 (review35 R15: an MP2, or an MP3 without an Info header,
  /// was walked for its rate only when libsndfile reached its end).
  func testAJoinedMPEGFileOfAnotherRateIsRefusedBeforeItsFirstSample() throws {
    let directory = try scratchDirectory(self)
    let plain = ["-write_xing", "0", "-id3v2_version", "0"]
    for (ext, codec) in [("mp3", ["-c:a", "libmp3lame"] + plain), ("mp2", ["-c:a", "mp2"])] {
      let first = try MadeInputs.fromSpeech("first.\(ext)", in: directory, ["-t", "1", "-ar", "22050"] + codec)
      let second = try MadeInputs.fromSpeech("second.\(ext)", in: directory, ["-ss", "1", "-t", "1", "-ar", "44100"] + codec)
      let path = directory + "/joined-plain.\(ext)"
      try Data(readWholeFile(first) + readWholeFile(second)).write(to: URL(fileURLWithPath: path))
      for decoder in AudioDecoder.allCases {
        XCTAssertThrowsError(try openAudioSource(path: path, decoder: decoder), "\(ext), \(decoder)") { error in
          XCTAssertTrue("\(error)".contains("changes from 22050 to 44100 Hz at byte "), "\(ext), \(decoder): \(error)")
        }
      }
    }
  }
}

extension JoinedStreamsTests {
  /// A NUT file ends with its index: junk after it is not decoded (the file's frames, as ffmpeg
  /// decodes the clean file), and another NUT file joined on is refused naming its byte, from a
  /// file and a pipe. (FFmpeg's demuxer resynced into what followed: 20 kB of junk became 5618
  /// frames of noise, a second NUT file 28882; later the second was dropped, warned `joined`.)
  func testWhatFollowsANUTFileIsNotDecodedAsItsFrames() throws {
    let directory = try scratchDirectory(self)
    let nut = try MadeInputs.fromSpeech("clean.nut", in: directory, ["-t", "1", "-ar", "16000", "-c:a", "pcm_s16le"])
    let frames = try MadeInputs.ffmpegFrames(nut)
    var random = LCG(seed: 16)
    let junk = (0..<20000).map { _ in UInt8(truncatingIfNeeded: Int((random.nextSigned() + 1) * 128)) }
    let withJunk = directory + "/junk-after.nut"
    try Data(readWholeFile(nut) + junk).write(to: URL(fileURLWithPath: withJunk))
    let joined = directory + "/joined.nut"
    try Data(readWholeFile(nut) + readWholeFile(nut)).write(to: URL(fileURLWithPath: joined))
    for viaPipe in [false, true] {
      let label = viaPipe ? "from a pipe" : "from a file"
      let afterJunk = try viaPipe ? decodeAllThroughAPipe(withJunk) : decodeAll(withJunk)
      XCTAssertEqual(afterJunk.samples.count, frames, "junk after, \(label)")
      XCTAssertNil(afterJunk.source.truncation, "junk after, \(label)")
      XCTAssertThrowsError(try viaPipe ? decodeAllThroughAPipe(joined) : decodeAll(joined), "joined, \(label)") { error in
        XCTAssertTrue("\(error)".contains("a second NUT file starts at byte \(readWholeFile(nut).count)"), "joined, \(label): \(error)")
      }
    }
  }
}

extension JoinedStreamsTests {
  /// A Matroska file's SegmentUID is 16 random bytes: when they held the bytes of a
  /// SamplingFrequency element (`B5 88` and a double under 1), the rate was read from them as 0
  /// Hz, and three parts joined were "changes from 0 to 22050 Hz at byte 22664" (a flaky test
  /// showed it). The rate is the audio track's, its elements walked: the third part is named.
  func testAMatroskaRateIsReadFromItsAudioTrackNotFromRandomBytes() throws {
    let directory = try scratchDirectory(self)
    func part(_ name: String, _ arguments: [String]) throws -> [UInt8] {
      var bytes = readWholeFile(try MadeInputs.fromSpeech(name, in: directory, arguments + ["-c:a", "pcm_s16le"]))
      guard let uid = (0..<bytes.count - 19).first(where: { bytes[$0] == 0x73 && bytes[$0 + 1] == 0xA4 && bytes[$0 + 2] == 0x90 }) else {
        XCTFail("\(name): no SegmentUID")
        return bytes
      }
      let lookalike = [0xB5, 0x88] + (0..<8).reversed().map { UInt8(((0.5 as Double).bitPattern >> ($0 * 8)) & 0xFF) } + [UInt8](repeating: 7, count: 6)
      bytes.replaceSubrange(uid + 3..<uid + 19, with: lookalike)
      return bytes
    }
    let one = try part("one.mkv", ["-t", "0.5", "-ar", "22050", "-ac", "1"])
    let two = try part("two.mkv", ["-ss", "1", "-t", "0.5", "-ar", "22050", "-ac", "1"])
    let three = try part("three.mkv", ["-ss", "2", "-t", "0.5", "-ar", "44100", "-ac", "1"])
    let path = directory + "/joined.mkv"
    try Data(one + two + three).write(to: URL(fileURLWithPath: path))
    for viaPipe in [false, true] {
      XCTAssertThrowsError(try viaPipe ? decodeAllThroughAPipe(path) : decodeAll(path)) { error in
        XCTAssertTrue("\(error)".contains("changes from 22050 to 44100 Hz at byte \(one.count + two.count)"), "\(viaPipe ? "a pipe" : "a file"): \(error)")
      }
    }
  }
}

extension JoinedStreamsTests {
  /// review39 F16: the frames of a 44.1 kHz stereo FLAC after a 22.05 kHz mono FLAC, without
  /// the second's `fLaC` header: libsndfile stopped at the first STREAMINFO's total and FFmpeg
  /// dropped them as false frame headers, exit 0 (the 2 s lost without a word, or "damaged").
  /// A stream whose format changes part-way is refused by every decoder, file and pipe.
  func testFLACFramesOfAnotherFormatAfterAFLACAreRefused() throws {
    let directory = try scratchDirectory(self)
    let first = readWholeFile(try MadeInputs.fromSpeech("a.flac", in: directory, ["-t", "3", "-ar", "22050", "-ac", "1"]))
    for (name, arguments) in [("rate", ["-ar", "44100", "-ac", "1"]), ("channels", ["-ar", "22050", "-ac", "2"])] {
      let second = readWholeFile(try MadeInputs.fromSpeech("b-\(name).flac", in: directory, ["-ss", "3", "-t", "2"] + arguments))
      // The second's frames: after its metadata blocks (the last flagged in its header's top bit).
      var at = 4
      while true {
        let last = second[at] & 0x80 != 0
        at += 4 + (Int(second[at + 1]) << 16 | Int(second[at + 2]) << 8 | Int(second[at + 3]))
        if last { break }
      }
      let path = directory + "/frames-\(name).flac"
      try Data(first + second[at...]).write(to: URL(fileURLWithPath: path))
      for way in decodeEveryWay(path) {
        guard case .failure(let error) = way.outcome else {
          XCTFail("\(name), \(way.label): \(way.samples?.count ?? 0) samples, \((try? way.outcome.get().warning) ?? nil ?? "no warning")")
          continue
        }
        XCTAssertTrue("\(error)".contains("changes from"), "\(name), \(way.label): \(error)")
      }
    }
  }
}
