@testable import DSP
import Foundation
import TestSupport
import XCTest

/// What is not a second MP3 file (review16f N2, N20): tags stacked before the first frame (a
/// tagger adding its own before the encoder's), a tag padded with zeros, an ID3v2.4 tag appended
/// at the end, and one frame header with a flipped channel-mode or rate bit were each refused
/// whole (65 "a second MP3 file starts at byte 23", "the channel count changes from 1 to 2"),
/// from a file, a pipe and `batch`, where ffmpeg decodes them all. A real second file still is.
final class MPEGTagsAndDamageTests: XCTestCase {
  private func syncSafe(_ size: Int) -> [UInt8] { [3, 2, 1, 0].map { UInt8((size >> (7 * $0)) & 0x7F) } }

  private func tag(version: UInt8 = 3, padding: Int = 0, footer: Bool = false) -> [UInt8] {
    let frame = Array("TIT2".utf8) + [0, 0, 0, 3, 0, 0, 0] + Array("ab".utf8) + [UInt8](repeating: 0, count: padding)
    let flags: UInt8 = footer ? 0x10 : 0
    var bytes = Array("ID3".utf8) + [version, 0, flags] + syncSafe(frame.count) + frame
    if footer { bytes += Array("3DI".utf8) + [version, 0, flags] + syncSafe(frame.count) }
    return bytes
  }

  func testTagsAndOneDamagedHeaderAreNotASecondFile() throws {
    let directory = try scratchDirectory(self)
    let wav = directory + "/tone.wav"
    let made = try spawn(try MadeInputs.tool("sox"), ["-n", "-r", "22050", "-c", "1", "-b", "16", wav, "synth", "3", "sine", "440", "gain", "-6"])
    XCTAssertEqual(made.status, 0, made.stderr)
    let mp3 = directory + "/tone.mp3"
    try MadeInputs.ffmpeg(["-i", wav, "-c:a", "libmp3lame", "-b:a", "64k", "-id3v2_version", "3", "-metadata", "title=x", mp3])
    let original = readWholeFile(mp3)
    // A frame header in the middle: MPEG-2 layer III (0xFF 0xF3 or 0xF2).
    let middle = try XCTUnwrap((original.count / 2..<original.count - 4).first { original[$0] == 0xFF && original[$0 + 1] & 0xFE == 0xF2 })
    var channelFlip = original
    channelFlip[middle + 3] &= 0x3F  // mono (11) to stereo (00)
    var rateFlip = original
    rateFlip[middle + 2] = rateFlip[middle + 2] & 0xF3 | 0x04  // 22050 to 24000 Hz
    let cases: [(String, [UInt8])] = [
      ("two-tags.mp3", tag() + original), ("padded-tag.mp3", tag(padding: 20000) + original),
      ("tag-at-the-end.mp3", original + tag(version: 4, footer: true)),
      ("channel-flip.mp3", channelFlip), ("rate-flip.mp3", rateFlip),
    ]
    for (name, bytes) in cases {
      let path = directory + "/" + name
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      let reference = try MadeInputs.ffmpegFrames(path)
      for (how, pipe) in [("a file", false), ("a pipe", true)] {
        do {
          let decoded = try pipe ? decodeAllThroughAPipe(path) : decodeAll(path)
          XCTAssertGreaterThanOrEqual(decoded.samples.count, reference - 22050 / 10, "\(name) from \(how): ffmpeg decodes \(reference) frames")
        } catch {
          XCTFail("\(name) from \(how): \(error); ffmpeg decodes \(reference) frames")
        }
      }
    }
    // A second file, tags and all, is still one.
    let joined = directory + "/joined.mp3"
    try Data(tag() + original + original).write(to: URL(fileURLWithPath: joined))
    for pipe in [false, true] {
      XCTAssertThrowsError(try pipe ? decodeAllThroughAPipe(joined) : decodeAll(joined), "two files from \(pipe ? "a pipe" : "a file")") {
        XCTAssertTrue("\($0)".contains("second MP3 file"), "\($0)")
      }
    }
  }
}

extension MPEGTagsAndDamageTests {
  /// review37a U22: ID3v2 tags stacked before an MP3 (a tagger's before another's) were taken
  /// for lost sync after the first ("damaged ... at byte 100" from every decoder), and FFmpeg's
  /// reading missed the Info header behind them (148 samples of padding kept). review37c X2,
  /// X10: nine stacked (eight were skipped) were "damaged ... at byte 8000", and a tag followed
  /// by 3000 zero bytes (padding a tagger left outside the tag's size) was "a second MP3 file
  /// starts at byte 3031". Tags stacked two, three, nine and forty deep, and zeros after a tag,
  /// give the untagged file's samples, without a word, every decoder, file and pipe.
  func testStackedTagsBeforeAnMP3AreTagsNotDamage() throws {
    let directory = try scratchDirectory(self)
    let plain = try MadeInputs.fromSpeech("plain.mp3", in: directory, ["-t", "3", "-c:a", "libmp3lame", "-id3v2_version", "0"])
    func tag(_ size: Int) -> [UInt8] {
      Array("ID3".utf8) + [3, 0, 0] + [21, 14, 7, 0].map { UInt8((size >> $0) & 0x7F) } + [UInt8](repeating: 0, count: size)
    }
    let reference = decodeEveryWay(plain)
    var failures: [String] = []
    for (name, tags) in [
      ("two.mp3", tag(90) + tag(90)), ("three.mp3", tag(90) + tag(3000) + tag(20)),
      ("nine.mp3", Array([[UInt8]](repeating: tag(990), count: 9).joined())),
      ("forty.mp3", Array([[UInt8]](repeating: tag(20), count: 40).joined())),
      ("zeros.mp3", tag(21) + [UInt8](repeating: 0, count: 3000)),
    ] {
      let path = directory + "/" + name
      try Data(tags + readWholeFile(plain)).write(to: URL(fileURLWithPath: path))
      failures += differences(decodeEveryWay(path), from: reference, name)
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }
}

extension MPEGTagsAndDamageTests {
  /// review42 W09: zero bytes before an untagged MP3's first frame (a file preallocated, then
  /// written) were "a second MP3 file starts at byte 60000" (65), where ffmpeg decodes the
  /// stream; zeros after a tag were skipped already. 1000 and 60000 zeros give the plain file's
  /// samples, without a word, every decoder, file and pipe.
  func testZerosBeforeAnUntaggedMP3AreSkipped() throws {
    let directory = try scratchDirectory(self)
    let plain = try MadeInputs.fromSpeech("plain.mp3", in: directory, ["-t", "3", "-c:a", "libmp3lame", "-id3v2_version", "0"])
    let reference = decodeEveryWay(plain)
    var failures: [String] = []
    for zeros in [1000, 60000] {
      let path = directory + "/zeros-\(zeros).mp3"
      try Data([UInt8](repeating: 0, count: zeros) + readWholeFile(plain)).write(to: URL(fileURLWithPath: path))
      failures += differences(decodeEveryWay(path), from: reference, "\(zeros) zeros")
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }
}

extension MPEGTagsAndDamageTests {
  /// review40 G07: an MP3 whose Info header counts fewer frames than it holds (half, or two
  /// fewer) gave 80000 frames from its file and 80266 from a pipe under FFmpeg: FFmpeg trims a
  /// file's LAME padding where the input ends, and a pipe's padding was kept once the stream
  /// outran its header's count. The padding is at the stream's end, wherever the count says:
  /// the same frames from a pipe as from the file, the honest file's. (FFmpeg's own trim of the
  /// file, where the count said, lost 1141 frames in the middle of its stream.)
  func testAnInfoCountUnderTheFramesHeldGivesTheFileFramesFromAPipe() throws {
    let directory = try scratchDirectory(self)
    var failures: [String] = []
    for (name, arguments) in [
      ("44k.mp3", ["-t", "5", "-ar", "44100", "-ac", "2", "-c:a", "libmp3lame", "-b:a", "128k", "-id3v2_version", "0"]),
      ("8k.mp3", ["-t", "3", "-ar", "8000", "-c:a", "libmp3lame", "-b:a", "24k", "-id3v2_version", "0"]),
    ] {
      let honest = try MadeInputs.fromSpeech(name, in: directory, arguments)
      let bytes = readWholeFile(honest)
      guard let info = (0..<min(200, bytes.count - 12)).first(where: { Array(bytes[$0..<$0 + 4]) == Array("Info".utf8) }) else {
        failures.append("\(name): no Info header")
        continue
      }
      let count = bytes[info + 8..<info + 12].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
      for forgedCount in [count / 2, count - 2] {
        var forgedBytes = bytes
        forgedBytes.replaceSubrange(info + 8..<info + 12, with: [24, 16, 8, 0].map { UInt8((forgedCount >> UInt32($0)) & 0xFF) })
        let forged = directory + "/forged-\(forgedCount)-" + name
        try Data(forgedBytes).write(to: URL(fileURLWithPath: forged))
        for decoder in [AudioDecoder.ffmpeg, .auto] {
          let honestSamples = try decodeAll(honest, decoder: decoder).samples
          let file = try decodeAll(forged, decoder: decoder).samples
          let pipe = try decodeAllThroughAPipe(forged, decoder: decoder).samples
          // (The default decodes on through FFmpeg where libsndfile stopped, at the count: the same
          // frames, other decoders' values from there.)
          if file != pipe || file.count != honestSamples.count || decoder == .ffmpeg && file != honestSamples {
            let firstDifference = [("pipe", pipe), ("honest", honestSamples)].map { other, samples in
              "; first sample the file and \(other) differ in: \(file.indices.first { $0 < samples.count && file[$0] != samples[$0] }.map(String.init) ?? "none")"
            }.joined()
            failures.append("\(name) counting \(forgedCount) of \(count) frames, --decoder \(decoder.rawValue): file \(file.count), pipe \(pipe.count), honest \(honestSamples.count) samples\(firstDifference)")
          }
        }
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }
}

extension MPEGTagsAndDamageTests {
  /// review37a U10: an MPEG-2 MP3 (8 kHz, 576-sample frames) whose Info header counts 2 frames
  /// fewer than it holds: libmpg123 stops at the count, 144 ms short, which was under the
  /// allowance of three 1152-sample frames and said nothing. With a LAME tag the frames held
  /// give the length to the sample: libsndfile's reading says it (and the default decodes on
  /// through FFmpeg); an honest MPEG-2 or MPEG-1 MP3 says nothing.
  func testAnInfoCountUnderTheFramesHeldIsSaid() throws {
    let directory = try scratchDirectory(self)
    var failures: [String] = []
    for (name, arguments) in [
      ("8k.mp3", ["-t", "3", "-ar", "8000", "-c:a", "libmp3lame", "-b:a", "24k", "-id3v2_version", "0"]),
      ("22k.mp3", ["-t", "3", "-c:a", "libmp3lame", "-id3v2_version", "0"]),
      ("44k.mp3", ["-t", "3", "-ar", "44100", "-c:a", "libmp3lame", "-id3v2_version", "0"]),
    ] {
      let honest = try MadeInputs.fromSpeech(name, in: directory, arguments)
      var bytes = readWholeFile(honest)
      for way in decodeEveryWay(honest) where (try? way.outcome.get().warning) != nil {
        failures.append("honest \(name), \(way.label): \(way.outcome)")
      }
      guard let info = (0..<min(200, bytes.count - 12)).first(where: { Array(bytes[$0..<$0 + 4]) == Array("Info".utf8) }) else {
        failures.append("\(name): no Info header")
        continue
      }
      let count = bytes[info + 8..<info + 12].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } - 2
      bytes.replaceSubrange(info + 8..<info + 12, with: [24, 16, 8, 0].map { UInt8((count >> UInt32($0)) & 0xFF) })
      let forged = directory + "/forged-" + name
      try Data(bytes).write(to: URL(fileURLWithPath: forged))
      let honestFrames = try decodeAll(honest, decoder: .sndfile).samples.count
      for decoder in [AudioDecoder.auto, .sndfile] {
        for throughAPipe in [false, true] {
          // (The count lies under the LAME tag's CRC, which then fails: libsndfile's reading
          // may refuse the file as damaged, review45 H07.)
          let label = "forged \(name), --decoder \(decoder.rawValue), \(throughAPipe ? "a pipe" : "a file")"
          switch Result(catching: { throughAPipe ? try decodeAllThroughAPipe(forged, decoder: decoder) : try decodeAll(forged, decoder: decoder) }) {
          case .success(let (samples, source)):
            if samples.count < honestFrames, source.truncation == nil { failures.append("\(label): \(samples.count) of \(honestFrames) frames, no warning") }
          case .failure(let error):
            if !"\(error)".contains("damaged") { failures.append("\(label): \(error)") }
          }
        }
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }
}

extension MPEGTagsAndDamageTests {
  /// review38 R2: an MP3 followed by 5000 zero bytes (a tool's padding to a block) gave 303
  /// frames of the encoder's padding more through FFmpeg from the file than from a pipe (FFmpeg
  /// trims a file's padding by where the input ends, and the zeros moved the end). Zeros after
  /// the last frame give the plain file's samples, without a word, every decoder, file and pipe.
  /// review39 F14: so do 300 bytes of 0xFF (a sync word with a forbidden bit rate, no header),
  /// which every decoder called "damaged: the last MPEG frame … runs past the input's end".
  /// review39 F02: after an MP3 without an Info header (nothing announces its length), 20000
  /// zeros lost libsndfile's last 576 samples ("Unspecified internal error") and FFmpeg's
  /// reading called 100 zeros "damaged: the decoder reported 1 error(s)", from a file and a pipe.
  func testZerosAfterAnMP3sLastFrameAreNotAudio() throws {
    let directory = try scratchDirectory(self)
    var failures: [String] = []
    for (name, arguments) in [
      ("22k.mp3", ["-t", "2", "-c:a", "libmp3lame", "-id3v2_version", "0"]),
      ("8k.mp3", ["-t", "2", "-ar", "8000", "-c:a", "libmp3lame", "-b:a", "24k", "-id3v2_version", "0"]),
      ("no-info.mp3", ["-t", "2", "-ar", "16000", "-c:a", "libmp3lame", "-b:a", "32k", "-id3v2_version", "0", "-write_xing", "0"]),
      ("no-info.mp2", ["-t", "2", "-ar", "16000", "-c:a", "mp2", "-b:a", "64k"]),
    ] {
      let plain = try MadeInputs.fromSpeech(name, in: directory, arguments)
      let reference = decodeEveryWay(plain)
      for (byte, count) in [(UInt8(0), 100), (0, 200), (0, 5000), (0, 20000), (0, 70000), (0xFF, 300)] {
        let path = directory + "/\(byte)-\(count)-" + name
        try Data(readWholeFile(plain) + [UInt8](repeating: byte, count: count)).write(to: URL(fileURLWithPath: path))
        failures += differences(decodeEveryWay(path), from: reference, "\(count) bytes of \(byte) after \(name)")
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }

  /// review40 G01: an MP3 or MP2 without an Info header cut inside a frame, then padded to the
  /// end with zeros or 0xFF bytes (a download or a copy that filled what it lost), decoded its
  /// half-padding last frame to full-scale noise without a word, every decoder, file and pipe:
  /// that frame's length fits in the input. Its end is the padding that runs on to the input's
  /// end: `damaged`. (Cut at a frame's end and padded, the test above, stays silent.) Where the
  /// frames lie comes from ffprobe's packets. (And cut, then random bytes: review41 H01.)
  func testAFrameCutShortAndPaddedToTheEndIsSaid() throws {
    let directory = try scratchDirectory(self)
    var failures: [String] = []
    for (name, arguments) in [
      ("no-info.mp2", ["-t", "3", "-ar", "44100", "-ac", "2", "-c:a", "mp2", "-b:a", "192k"]),
      ("no-info.mp3", ["-t", "3", "-ar", "22050", "-c:a", "libmp3lame", "-id3v2_version", "0", "-write_xing", "0"]),
    ] {
      let plain = try MadeInputs.fromSpeech(name, in: directory, arguments)
      let bytes = readWholeFile(plain)
      let packets = String(decoding: try spawn(try MadeInputs.tool("ffprobe"), [
        "-v", "error", "-select_streams", "a:0", "-show_entries", "packet=pos,size", "-of", "csv=p=0", plain,
      ], timeLimit: 60).stdout, as: UTF8.self).split(separator: "\n").compactMap { line -> (pos: Int, size: Int)? in
        let fields = line.split(separator: ",").compactMap { Int($0) }
        return fields.count == 2 ? (fields[1], fields[0]) : nil  // ffprobe writes size, then pos
      }
      guard packets.count > 20 else { return XCTFail("\(name): \(packets.count) packets") }
      let frame = packets[packets.count / 2]
      // review41 H02: cut 1 to 3 bytes into a frame's header, with nothing after, was silent.
      let cuts = [(frame.pos + frame.size / 2, UInt8(0), 5000), (frame.pos + frame.size / 2, 0xFF, 5000), (frame.pos + frame.size - 20, 0, 5000)]
        + (1...3).map { (frame.pos + $0, UInt8(0), 0) }
      for (cut, byte, padding) in cuts {
        let path = directory + "/cut-\(cut)-\(byte)-\(padding)-" + name
        try Data(bytes.prefix(cut) + [UInt8](repeating: byte, count: padding)).write(to: URL(fileURLWithPath: path))
        for way in decodeEveryWay(path) {
          guard case .success(let decoded) = way.outcome else { failures.append("\(path), \(way.label): \(way.outcome)"); continue }
          if decoded.warning?.hasPrefix("damaged") != true {
            failures.append("\(name) cut \(cut - frame.pos) bytes into a frame, padded with \(padding) of \(byte), \(way.label): \(decoded.warning ?? "no warning")")
          }
        }
      }
      // review41 H01: cut at a third (inside a frame, or at its end), the rest random bytes.
      var random = LCG(seed: 1)
      let third = packets[packets.count / 3]
      for cut in [third.pos + third.size / 2, third.pos] {
        let path = directory + "/cut-\(cut)-random-" + name
        let rest = (0..<(bytes.count - cut)).map { _ in UInt8(truncatingIfNeeded: Int(random.nextSigned() * 32768)) }
        try Data(bytes.prefix(cut) + rest).write(to: URL(fileURLWithPath: path))
        for way in decodeEveryWay(path) {
          if case .success(let decoded) = way.outcome, decoded.warning == nil {
            failures.append("\(name) cut \(cut - third.pos) bytes into a frame at a third, the rest random, \(way.label): no warning")
          }
        }
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }
}

extension MPEGTagsAndDamageTests {
  /// review38 R3: a tag at an MP3's end whose item holds another file (an APEv2 cover item that
  /// is a FLAC, an ID3v2.4 tag appended at the end with a GEOB frame holding a WAV) was "a second
  /// file (FLAC) starts at byte 17095 ... joined end to end": the bytes inside a tag were searched
  /// for a second file's header. A tag's contents are metadata: the MP3 decodes as without the
  /// tag, every decoder, file and pipe.
  func testAFileInsideATagAtTheEndIsNotAJoin() throws {
    let directory = try scratchDirectory(self)
    let plain = try MadeInputs.fromSpeech("plain.mp3", in: directory, ["-t", "2", "-c:a", "libmp3lame", "-id3v2_version", "0"])
    let flac = readWholeFile(try MadeInputs.fromSpeech("item.flac", in: directory, ["-t", "0.5", "-ar", "22050", "-c:a", "flac"]))
    let wav = readWholeFile(try MadeInputs.fromSpeech("item.wav", in: directory, ["-t", "0.5", "-c:a", "pcm_s16le"]))
    func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
    func syncsafe(_ value: Int) -> [UInt8] { [21, 14, 7, 0].map { UInt8((value >> $0) & 0x7F) } }
    /// An APEv2 tag (header, one binary item, footer).
    func ape(_ value: [UInt8]) -> [UInt8] {
      let item = le32(value.count) + le32(2) + Array("Cover Art (Front)".utf8) + [0] + value
      func header(_ flags: UInt32) -> [UInt8] { Array("APETAGEX".utf8) + le32(2000) + le32(item.count + 32) + le32(1) + le32(Int(flags)) + [UInt8](repeating: 0, count: 8) }
      return header(0xA000_0000) + item + header(0x8000_0000)
    }
    /// An ID3v2.4 tag with one GEOB frame.
    func id3(_ value: [UInt8]) -> [UInt8] {
      let body = [0] + Array("audio/wav".utf8) + [0, 0] + Array("x.wav".utf8) + [0] + [0] + value
      let frame = Array("GEOB".utf8) + syncsafe(body.count) + [0, 0] + body
      return Array("ID3".utf8) + [4, 0, 0] + syncsafe(frame.count) + frame
    }
    let reference = decodeEveryWay(plain)
    var failures: [String] = []
    for (name, tag) in [
      ("ape-flac.mp3", ape(flac)), ("ape-wav.mp3", ape(wav)), ("id3-wav.mp3", id3(wav)), ("id3-flac.mp3", id3(flac)),
    ] {
      let path = directory + "/" + name
      try Data(readWholeFile(plain) + tag).write(to: URL(fileURLWithPath: path))
      failures += differences(decodeEveryWay(path), from: reference, name)
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }
}

extension MPEGTagsAndDamageTests {
  /// review39 F03: an MP3 read from a pipe past its window, libsndfile at its end: 20000 zero
  /// bytes after it were "joined: more MPEG audio follows" (more than 8 KiB unread counted as
  /// audio), where the file said nothing. What is left is more audio when MPEG frames follow,
  /// after any bytes that are not (a hole of zeros); not when none do.
  func testWhatFollowsAPipesStreamIsMoreAudioOnlyWhenFramesDo() throws {
    let directory = try scratchDirectory(self)
    let frames = readWholeFile(try MadeInputs.fromSpeech("a.mp3", in: directory, ["-t", "1", "-c:a", "libmp3lame", "-id3v2_version", "0"]))
    let zeros = [UInt8](repeating: 0, count: 20000)
    for (what, bytes, expected) in [
      ("20000 zeros", zeros, false), ("300 bytes of 0xFF", [UInt8](repeating: 0xFF, count: 300), false), ("nothing", [], false),
      ("frames", frames, true), ("20000 zeros, then frames", zeros + frames, true), ("300 KB of zeros, then frames", zeros + [UInt8](repeating: 0, count: 300_000) + frames, true),
    ] {
      let path = directory + "/rest"
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      let pipe = try XCTUnwrap(PipeReader.readingForward(path))
      XCTAssertEqual(MPEGStreamExtent.moreFollows(pipe: pipe), expected, what)
    }
  }
}

extension MPEGTagsAndDamageTests {
  /// review43 W03: bytes before an MP3's first frame that are neither an ID3v2 tag nor zeros
  /// (0xFF, random bytes, junk after a tag) were "a second MP3 file starts at byte 100 (files
  /// joined end to end)", where there is no first: the message sent the user looking for joined
  /// files. The default decoder and FFmpeg, file and pipe, now say what they are: damaged, the
  /// bytes before the first frame named, 65 as before; libsndfile refuses them as before.
  func testJunkBeforeAnMP3sFirstFrameIsSaidAsSuchNotAsASecondFile() throws {
    let directory = try scratchDirectory(self)
    let plain = try MadeInputs.fromSpeech("plain.mp3", in: directory, ["-t", "3", "-c:a", "libmp3lame", "-id3v2_version", "0"])
    let tagged = try MadeInputs.fromSpeech("tagged.mp3", in: directory, ["-t", "3", "-c:a", "libmp3lame"])
    let taggedBytes = readWholeFile(tagged)
    let tagLength = 10 + taggedBytes[6..<10].reduce(0) { $0 << 7 | Int($1) }
    var generator = SystemRandomNumberGenerator()
    let junk = (0..<300).map { _ in UInt8.random(in: 1...0xFE, using: &generator) }
    let cases: [(String, [UInt8], Int)] = [
      ("0xFF", [UInt8](repeating: 0xFF, count: 64) + readWholeFile(plain), 64),
      ("random", Array(junk[..<100]) + readWholeFile(plain), 100),
      ("junk after a tag", Array(taggedBytes[..<tagLength]) + junk + Array(taggedBytes[tagLength...]), tagLength + 300),
    ]
    var failures: [String] = []
    for (name, bytes, frameAt) in cases {
      let path = directory + "/\(name.replacingOccurrences(of: " ", with: "-")).mp3"
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      for way in decodeEveryWay(path) {
        guard case .failure(let error) = way.outcome else {
          failures.append("\(name), \(way.label): decoded, not refused")
          continue
        }
        // libsndfile's own refusals stand (a pipe, which has no name, is no format it knows).
        let said = "\(error)"
        let named = way.decoder == .sndfile || said.contains("damaged") && said.contains("before the first MPEG frame at byte \(frameAt)")
        if said.contains("second") || !named {
          failures.append("\(name), \(way.label): \(said)")
        }
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }
}
