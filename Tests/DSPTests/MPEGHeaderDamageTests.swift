import DSP
import Foundation
import TestSupport
import XCTest

/// One damaged frame header in an MP3 or MP2 without an Info header (review35 R1, R16): a
/// flipped bit-rate or sample-rate bit in the middle frame. libmpg123 ended such an MP3 there,
/// half the audio, without a word (file and pipe), and decoded over an MP2's as if nothing had
/// happened, where FFmpeg said `damaged`. Every decoder, from a file and a pipe, now says so,
/// and the default decoder keeps what FFmpeg decodes on.
final class MPEGHeaderDamageTests: XCTestCase {
  /// Where each frame starts, walked by the frame lengths (MPEG-1 and -2, layers II and III).
  static func frameStarts(_ bytes: [UInt8]) -> [Int] {
    let bitrates: [[Int]] = [  // [MPEG-2/2.5, MPEG-1] by layer II, III
      [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
      [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
      [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    ]
    let rates = [[11025, 12000, 8000], [], [22050, 24000, 16000], [44100, 48000, 32000]]
    var starts: [Int] = []
    var offset = 0
    while offset + 4 <= bytes.count, bytes[offset] == 0xFF, bytes[offset + 1] & 0xE0 == 0xE0 {
      let version = Int(bytes[offset + 1] >> 3) & 3
      let layer = 4 - (Int(bytes[offset + 1] >> 1) & 3)
      let bitrate = (version == 3 ? (layer == 2 ? bitrates[2] : bitrates[1]) : bitrates[0])[Int(bytes[offset + 2] >> 4)] * 1000
      let rate = rates[version][Int(bytes[offset + 2] >> 2) & 3]
      let padding = Int(bytes[offset + 2] >> 1) & 1
      starts.append(offset)
      offset += (layer == 3 && version != 3 ? 72 : 144) * bitrate / rate + padding
    }
    return starts
  }

  func testADamagedFrameHeaderIsSaidByEveryDecoder() throws {
    let directory = try scratchDirectory(self)
    let made: [(String, [String])] = [
      ("plain.mp3", ["-c:a", "libmp3lame", "-write_xing", "0", "-id3v2_version", "0"]),
      ("plain.mp2", ["-c:a", "mp2"]),
    ]
    var failures: [String] = []
    for (name, arguments) in made {
      let honest = try MadeInputs.fromSpeech(name, in: directory, arguments)
      let frames = try decodeAll(honest).samples.count
      let bytes = readWholeFile(honest)
      let starts = Self.frameStarts(bytes)
      XCTAssertGreaterThan(starts.count, 50, name)
      // review35b S7, S9: a channel-mode bit (a frame of the right length libmpg123 stopped
      // at, silently), and a header three frames from the end (too near it to find the frames
      // again by three in a row).
      let damages: [(field: String, byte: Int, bit: UInt8, frame: Int)] = [
        ("bit rate", 2, 1 << 4, starts.count / 2), ("bit rate's high", 2, 1 << 6, starts.count / 2),
        ("sample rate", 2, 1 << 2, starts.count / 2), ("channel mode", 3, 1 << 6, starts.count / 2),
        ("bit rate near the end", 2, 1 << 4, starts.count - 3),
      ]
      for (field, byte, bit, frame) in damages {
        var damaged = bytes
        damaged[starts[frame] + byte] ^= bit
        let path = directory + "/\(field.replacingOccurrences(of: " ", with: "-"))-\(name)"
        try Data(damaged).write(to: URL(fileURLWithPath: path))
        for decoder in AudioDecoder.allCases {
          for throughAPipe in [false, true] {
            let label = "\(name), a \(field) bit, --decoder \(decoder.rawValue), \(throughAPipe ? "a pipe" : "a file")"
            do {
              let (samples, source) = throughAPipe ? try decodeAllThroughAPipe(path, decoder: decoder) : try decodeAll(path, decoder: decoder)
              guard let warning = source.truncation, warning.hasPrefix("damaged") || warning.hasPrefix("truncated") else {
                failures.append("\(label): \(samples.count) of \(frames) frames, \(source.truncation ?? "no warning")")
                continue
              }
              if decoder != .sndfile, samples.count < frames * 9 / 10, frame == starts.count / 2 {
                failures.append("\(label): \(samples.count) of \(frames) frames, \(warning)")
              }
            } catch {
              failures.append("\(label): \(error)")
            }
          }
        }
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }
}

extension MPEGHeaderDamageTests {
  /// The same damage in an MP3 with its Info header (the frame count and the LAME tag's delay
  /// and padding: its length exactly), in the second audio frame and the middle one: every
  /// decoder, from a file and a pipe, says `damaged` or `truncated`, or refuses the input saying
  /// it is damaged (review35b S8: the default decoder and FFmpeg dropped the frame, 418 frames
  /// at 16 kHz, within the 0.1 s a rounded length is allowed, without a word; `--decoder
  /// sndfile` refused the file, "Format not recognised").
  func testADamagedFrameHeaderInAnMP3WithItsInfoHeaderIsSaidByEveryDecoder() throws {
    let directory = try scratchDirectory(self)
    let honest = try MadeInputs.fromSpeech("info.mp3", in: directory, ["-ar", "22050", "-c:a", "libmp3lame", "-b:a", "64k", "-id3v2_version", "0"])
    let bytes = readWholeFile(honest)
    let starts = Self.frameStarts(bytes)
    XCTAssertGreaterThan(starts.count, 50)
    var failures: [String] = []
    let damages: [(field: String, byte: Int, bit: UInt8)] = [("sample rate", 2, 1 << 3), ("bit rate", 2, 1 << 4), ("channel mode", 3, 1 << 6)]
    for (field, byte, bit) in damages {
      for frame in [2, starts.count / 2] {
        var damaged = bytes
        damaged[starts[frame] + byte] ^= bit
        let path = directory + "/\(field.replacingOccurrences(of: " ", with: "-"))-\(frame).mp3"
        try Data(damaged).write(to: URL(fileURLWithPath: path))
        for decoder in AudioDecoder.allCases {
          for throughAPipe in [false, true] {
            let label = "a \(field) bit in frame \(frame), --decoder \(decoder.rawValue), \(throughAPipe ? "a pipe" : "a file")"
            do {
              let (samples, source) = throughAPipe ? try decodeAllThroughAPipe(path, decoder: decoder) : try decodeAll(path, decoder: decoder)
              let warning = source.truncation ?? ""
              if !(warning.hasPrefix("damaged") || warning.hasPrefix("truncated")) {
                failures.append("\(label): \(samples.count) frames, \(source.truncation ?? "no warning")")
              }
            } catch {
              if !"\(error)".contains("damaged") { failures.append("\(label): \(error)") }
            }
          }
        }
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }

  /// review58 M3: the header after the Info frame damaged (its layer bits): the file's walk
  /// took the Info frame's header for the damaged one, "lose their sync at byte 0"; the damage
  /// is at the second frame's start, said so from a file and a pipe, behind a tag or not.
  func testADamagedHeaderAfterTheInfoFrameIsSaidWhereItIs() throws {
    let directory = try scratchDirectory(self)
    let honest = try MadeInputs.fromSpeech("info.mp3", in: directory, ["-c:a", "libmp3lame", "-b:a", "320k", "-id3v2_version", "0"])
    var bytes = readWholeFile(honest)
    let second = Self.frameStarts(bytes)[1]
    bytes[second + 1] ^= 0x02
    var failures: [String] = []
    let tag = Array("ID3".utf8) + [3, 0, 0, 0, 0, 0, 20] + [UInt8](repeating: 0, count: 20)
    for (name, input) in [("untagged", bytes), ("behind an ID3v2 tag", tag + bytes)] {
      let path = directory + "/damaged.mp3"
      try Data(input).write(to: URL(fileURLWithPath: path))
      let at = second + (input.count - bytes.count)
      for way in decodeEveryWay(path, decoders: [.auto, .sndfile]) where (try? way.outcome.get().warning)??.contains("lose their sync at byte \(at)") != true {
        failures.append("\(name), \(way.label): \(way.outcome.map(\.warning))")
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }

  /// An honest MP3 whose LAME-format tag gives no padding (libshine through ffmpeg: delay 0,
  /// padding 0): every decoder skips its own 529-sample delay and trims nothing at the end, so
  /// it holds the frame count less 529, which is its length, said by no warning, every decoder,
  /// file and pipe (review35b S4: `truncated: the header announces 116352 frames, the input
  /// holds 115823`, a false warning on every honest such file).
  func testAnHonestMP3WhoseTagGivesNoPaddingIsWhole() throws {
    let directory = try scratchDirectory(self)
    let path = try MadeInputs.fromSpeech("shine.mp3", in: directory, ["-ar", "32000", "-c:a", "libshine", "-b:a", "64k"])
    let frames = try MadeInputs.ffmpegFrames(path)
    for decoder in AudioDecoder.allCases {
      for throughAPipe in [false, true] {
        let label = "--decoder \(decoder.rawValue), \(throughAPipe ? "a pipe" : "a file")"
        let (samples, source) = throughAPipe ? try decodeAllThroughAPipe(path, decoder: decoder) : try decodeAll(path, decoder: decoder)
        XCTAssertEqual(samples.count, frames, label)
        XCTAssertNil(source.truncation, label)
      }
    }
  }

  /// An honest VBR MP3 without an Info header (as streams are recorded): every frame, no
  /// warning, from a file as from a pipe (review35b S2: libsndfile's file reader took the first
  /// frame's bit rate for the file's and stopped at half, `--decoder sndfile` saying `joined`,
  /// the default `damaged`).
  func testAnHonestVBRMP3WithoutAnInfoHeaderIsWholeFromAFile() throws {
    let directory = try scratchDirectory(self)
    let path = try MadeInputs.fromSpeech(
      "vbr.mp3", in: directory, ["-ar", "44100", "-ac", "2", "-c:a", "libmp3lame", "-q:a", "4", "-write_xing", "0", "-id3v2_version", "0"])
    let reference = try decodeAllThroughAPipe(path, decoder: .sndfile).samples.count
    for decoder in [AudioDecoder.auto, .sndfile] {
      for throughAPipe in [false, true] {
        let label = "--decoder \(decoder.rawValue), \(throughAPipe ? "a pipe" : "a file")"
        let (samples, source) = throughAPipe ? try decodeAllThroughAPipe(path, decoder: decoder) : try decodeAll(path, decoder: decoder)
        XCTAssertEqual(samples.count, reference, label)
        XCTAssertNil(source.truncation, label)
      }
    }
  }
}

extension MPEGHeaderDamageTests {
  /// review36's sweep, in small: one bit of each header field (bit rate, sample rate, padding,
  /// channel mode, layer, CRC flag) flipped in the first, second, third, middle, third-last and
  /// last frame of an MP3 with an ID3 tag and a LAME Info frame, and of one without either;
  /// every decoder, from a file and a pipe. A decode whose length is not ffmpeg's for the honest
  /// file (more than 2 frames off), or that a file and a pipe give differently, says `damaged`
  /// or `truncated`, or is refused saying `damaged` (review36 T8-T11: a flipped rate, padding
  /// or channel-mode bit in the Info frame or the first audio frame, or a bit-rate bit in the
  /// middle, changed the length without a word, and a file's from a pipe's).
  func testEveryHeaderFieldFlippedInAnyFrameIsSaidByEveryDecoder() throws {
    let directory = try scratchDirectory(self)
    let made: [(String, [String])] = [
      ("info.mp3", ["-t", "2", "-c:a", "libmp3lame"]),
      ("bare.mp3", ["-t", "2", "-c:a", "libmp3lame", "-write_xing", "0", "-id3v2_version", "0"]),
    ]
    let fields: [(name: String, byte: Int, bit: UInt8)] = [
      ("bit rate", 2, 1 << 7), ("sample rate", 2, 1 << 2), ("padding", 2, 1 << 1),
      ("channel mode", 3, 1 << 6), ("layer", 1, 1 << 1), ("CRC flag", 1, 1 << 0),
    ]
    var failures: [String] = []
    for (name, arguments) in made {
      let honest = try MadeInputs.fromSpeech(name, in: directory, arguments)
      let golden = try MadeInputs.ffmpegFrames(honest)
      let bytes = readWholeFile(honest)
      let lead = bytes.starts(with: Array("ID3".utf8)) ? 10 + bytes[6..<10].reduce(0) { $0 << 7 | Int($1 & 0x7F) } : 0
      let starts = Self.frameStarts(Array(bytes[lead...])).map { $0 + lead }
      XCTAssertGreaterThan(starts.count, 20, name)
      let frames = testSanitizer == nil ? [0, 1, 2, starts.count / 2, starts.count - 3, starts.count - 1] : [1, starts.count / 2, starts.count - 1]
      for frame in Set(frames).sorted() {
        for field in fields {
          var damaged = bytes
          damaged[starts[frame] + field.byte] ^= field.bit
          let path = directory + "/\(frame)-\(field.name.replacingOccurrences(of: " ", with: "-"))-\(name)"
          try Data(damaged).write(to: URL(fileURLWithPath: path))
          for decoder in AudioDecoder.allCases {
            var decoded: [Bool: [Float]] = [:]
            var warned: [Bool: Bool] = [:]
            for throughAPipe in [false, true] {
              do {
                let (samples, source) = throughAPipe ? try decodeAllThroughAPipe(path, decoder: decoder) : try decodeAll(path, decoder: decoder)
                let warning = source.truncation ?? ""
                decoded[throughAPipe] = samples
                warned[throughAPipe] = warning.hasPrefix("damaged") || warning.hasPrefix("truncated")
              } catch {
                if !"\(error)".contains("damaged") { failures.append("\(name), \(field.name) in frame \(frame), \(decoder.rawValue): \(error)") }
              }
            }
            let sameFromBoth = decoded[false] == nil || decoded[true] == nil || decoded[false] == decoded[true]
            for (throughAPipe, samples) in decoded where (abs(samples.count - golden) > 2 || !sameFromBoth) && warned[throughAPipe] != true {
              failures.append(
                "\(name), \(field.name) in frame \(frame), --decoder \(decoder.rawValue), \(throughAPipe ? "a pipe" : "a file"): "
                  + "\(samples.count) frames (ffmpeg's honest \(golden)\(sameFromBoth ? "" : "; file ≠ pipe")), no warning")
            }
          }
        }
      }
    }
    XCTAssertTrue(failures.isEmpty, "\(failures.count) silent:\n" + failures.joined(separator: "\n"))
  }
}

extension MPEGHeaderDamageTests {
  /// A mono MP3 whose Info frame's channel-mode bit is flipped (it says two channels): the
  /// default decoder gives at least the honest file's frames (ffmpeg's count) and says
  /// `damaged`, from a file and a pipe; `--decoder sndfile` refuses it saying `damaged`
  /// (review36's sweep: refused as MP3s joined end to end, then, once the first header was
  /// known for damage, libsndfile read the stream at two channels and kept 576 frames).
  func testAnInfoFrameSayingAnotherChannelCountLosesNothing() throws {
    let directory = try scratchDirectory(self)
    let honest = try MadeInputs.fromSpeech("mono.mp3", in: directory, ["-t", "2", "-ac", "1", "-c:a", "libmp3lame"])
    let golden = try MadeInputs.ffmpegFrames(honest)
    var bytes = readWholeFile(honest)
    let lead = bytes.starts(with: Array("ID3".utf8)) ? 10 + bytes[6..<10].reduce(0) { $0 << 7 | Int($1 & 0x7F) } : 0
    bytes[lead + 3] ^= 1 << 6
    let path = directory + "/damaged.mp3"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    for throughAPipe in [false, true] {
      let label = throughAPipe ? "a pipe" : "a file"
      let (samples, source) = throughAPipe ? try decodeAllThroughAPipe(path, decoder: .auto) : try decodeAll(path, decoder: .auto)
      XCTAssertGreaterThanOrEqual(samples.count, golden, label)
      XCTAssertTrue(source.truncation?.hasPrefix("damaged") == true, "\(label): \(source.truncation ?? "no warning")")
      XCTAssertThrowsError(throughAPipe ? try decodeAllThroughAPipe(path, decoder: .sndfile) : try decodeAll(path, decoder: .sndfile), label) {
        XCTAssertTrue("\($0)".contains("damaged"), "\(label): \($0)")
      }
    }
  }
}

extension MPEGHeaderDamageTests {
  /// A bit-rate bit flipped in the last frame but one of an MP3 without an Info header, so that
  /// its frame ends inside the last one: libsndfile drops the last frame; every decoder, file
  /// and pipe, gives ffmpeg's honest length or says `damaged` (review36's sweep: one frame lost
  /// without a word under the default decoder and libsndfile).
  func testABitRateBitInTheLastFrameButOneIsSaid() throws {
    let directory = try scratchDirectory(self)
    let honest = try MadeInputs.fromSpeech("bare.mp3", in: directory, ["-t", "2", "-c:a", "libmp3lame", "-write_xing", "0", "-id3v2_version", "0"])
    let golden = try MadeInputs.ffmpegFrames(honest)
    let bytes = readWholeFile(honest)
    let starts = Self.frameStarts(bytes)
    var failures: [String] = []
    for bit in [UInt8(1 << 4), 1 << 5] {
      var damaged = bytes
      damaged[starts[starts.count - 2] + 2] ^= bit
      let path = directory + "/bit-\(bit).mp3"
      try Data(damaged).write(to: URL(fileURLWithPath: path))
      for decoder in AudioDecoder.allCases {
        for throughAPipe in [false, true] {
          let label = "bit \(bit), --decoder \(decoder.rawValue), \(throughAPipe ? "a pipe" : "a file")"
          let (samples, source) = throughAPipe ? try decodeAllThroughAPipe(path, decoder: decoder) : try decodeAll(path, decoder: decoder)
          if abs(samples.count - golden) > 2, source.truncation?.hasPrefix("damaged") != true {
            failures.append("\(label): \(samples.count) of \(golden) frames, \(source.truncation ?? "no warning")")
          }
        }
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }
}

extension MPEGHeaderDamageTests {
  /// A bit flipped in the side information of an MP3's Info frame (all zero as encoders write
  /// it): libmpg123 then no longer reads the Info header, and decoded the frame as audio and the
  /// stream untrimmed, 1202 frames more and shifted, without a word (review41 H11); ffmpeg reads
  /// the header where it lies. The default decoder gives ffmpeg's frames from a file and a pipe;
  /// `--decoder sndfile` refuses it saying `damaged`.
  func testABitFlippedInTheInfoFramesSideInformationLosesNoTrim() throws {
    let directory = try scratchDirectory(self)
    let honest = try MadeInputs.fromSpeech("stereo.mp3", in: directory, ["-t", "2", "-ac", "2", "-ar", "44100", "-c:a", "libmp3lame"])
    let golden = try MadeInputs.ffmpegFrames(honest, channels: 2)
    let bytes = readWholeFile(honest)
    let tag = try XCTUnwrap((0..<bytes.count - 4).first { bytes[$0..<$0 + 4].elementsEqual("Info".utf8) })
    for back in [7, 14, 20] {
      var damaged = bytes
      damaged[tag - back] ^= 1
      let path = directory + "/side-\(back).mp3"
      try Data(damaged).write(to: URL(fileURLWithPath: path))
      XCTAssertEqual(try MadeInputs.ffmpegFrames(path, channels: 2), golden, "ffmpeg reads the Info header whatever the side information")
      for throughAPipe in [false, true] {
        let label = "byte \(tag - back), \(throughAPipe ? "a pipe" : "a file")"
        let (samples, _) = throughAPipe ? try decodeAllThroughAPipe(path, decoder: .auto) : try decodeAll(path, decoder: .auto)
        XCTAssertEqual(samples.count / 2, golden, label)
        XCTAssertThrowsError(throughAPipe ? try decodeAllThroughAPipe(path, decoder: .sndfile) : try decodeAll(path, decoder: .sndfile), label) {
          XCTAssertTrue("\($0)".contains("damaged"), "\(label): \($0)")
        }
      }
    }
  }

  /// A bit flipped in the `Xing`/`Info` marker itself (review42 H04): neither decoder then sees
  /// the header; ffmpeg leaves out the frame that held it (no audio: all-zero side information)
  /// and trims nothing, libmpg123 decoded it as 1152 frames of silence, without a word. The
  /// default decoder now says it is damaged and gives ffmpeg's frames, from a file and a pipe, for
  /// a VBR (`Xing`) and a CBR (`Info`) stream; `--decoder sndfile` refuses it saying `damaged`.
  func testABitFlippedInTheInfoMarkerIsSaidAndDecodedAsFFmpegDoes() throws {
    let directory = try scratchDirectory(self)
    let streams = [
      ("vbr.mp3", ["-t", "2", "-ac", "2", "-ar", "44100", "-c:a", "libmp3lame", "-q:a", "5"], "Xing", 2),
      ("cbr.mp3", ["-t", "2", "-ac", "1", "-ar", "22050", "-c:a", "libmp3lame", "-b:a", "16k"], "Info", 1),
    ]
    for (name, arguments, marker, channels) in streams {
      let (bytes, tag) = try Self.infoStream(name, in: directory, arguments, marker: marker)
      for (byte, bit) in [(0, 1), (3, 0x40)] {
        var damaged = bytes
        damaged[tag + byte] ^= UInt8(bit)
        try assertSaidDamagedAndDecodedAsFFmpegDoes(damaged, at: directory + "/marker-\(byte)-" + name, channels: channels, "\(name), \(marker) byte \(byte)")
      }
    }
  }

  /// An MP3 made by ffmpeg from the speech fixture with `arguments`: its bytes, and where its
  /// `marker` (`Xing` or `Info`) lies.
  static func infoStream(_ name: String, in directory: String, _ arguments: [String], marker: String) throws -> (bytes: [UInt8], tag: Int) {
    let bytes = readWholeFile(try MadeInputs.fromSpeech(name, in: directory, arguments))
    return (bytes, try XCTUnwrap((0..<bytes.count - 4).first { bytes[$0..<$0 + 4].elementsEqual(marker.utf8) }, name))
  }

  /// Four MP3s with a LAME tag after all four Info fields: MPEG-1, -2 and -2.5, CBR and VBR.
  static let infoStreams = [
    ("cbr44.mp3", ["-t", "2", "-ac", "1", "-ar", "44100", "-c:a", "libmp3lame", "-b:a", "64k"], "Info", 1),
    ("vbr44.mp3", ["-t", "2", "-ac", "2", "-ar", "44100", "-c:a", "libmp3lame", "-q:a", "5"], "Xing", 2),
    ("cbr16.mp3", ["-t", "2", "-ac", "1", "-ar", "16000", "-c:a", "libmp3lame", "-b:a", "32k"], "Info", 1),
    ("vbr8.mp3", ["-t", "2", "-ac", "2", "-ar", "8000", "-c:a", "libmp3lame", "-q:a", "7"], "Xing", 2),
  ]

  /// `damaged`, written to `path`, decodes under the default decoder to ffmpeg's frames with a
  /// `damaged` warning, from a file and a pipe; `--decoder sndfile` refuses it saying `damaged`.
  func assertSaidDamagedAndDecodedAsFFmpegDoes(_ damaged: [UInt8], at path: String, channels: Int, _ what: String) throws {
    try Data(damaged).write(to: URL(fileURLWithPath: path))
    let golden = try MadeInputs.ffmpegFrames(path, channels: channels)
    for throughAPipe in [false, true] {
      let label = "\(what), \(throughAPipe ? "a pipe" : "a file")"
      let (samples, source) = throughAPipe ? try decodeAllThroughAPipe(path, decoder: .auto) : try decodeAll(path, decoder: .auto)
      XCTAssertEqual(samples.count / channels, golden, label)
      XCTAssertTrue(source.truncation?.contains("damaged") == true, "\(label): \(source.truncation ?? "no warning")")
      XCTAssertThrowsError(throughAPipe ? try decodeAllThroughAPipe(path, decoder: .sndfile) : try decodeAll(path, decoder: .sndfile), label) {
        XCTAssertTrue("\($0)".contains("damaged"), "\(label): \($0)")
      }
    }
  }
}

extension MPEGHeaderDamageTests {
  /// A bit cleared in the `Xing`/`Info` header's flags (review43 H02): the flags say which of its
  /// four fields (frames, bytes, table of contents, quality) follow, so the LAME tag after them
  /// is read at the wrong place; libmpg123 then trimmed a wrong delay, 803 frames more than the
  /// clean stream and 529 fewer than ffmpeg, without a word. Where the encoder's tag lies where
  /// all four fields would put it, not where the flags do, the flags are damaged: the default
  /// decoder says so and gives ffmpeg's frames, from a file and a pipe, for MPEG-1, -2 and -2.5,
  /// CBR and VBR; `--decoder sndfile` refuses it saying `damaged`.
  func testABitClearedInTheInfoFlagsIsSaidAndDecodedAsFFmpegDoes() throws {
    let directory = try scratchDirectory(self)
    for (name, arguments, marker, channels) in Self.infoStreams {
      let (bytes, tag) = try Self.infoStream(name, in: directory, arguments, marker: marker)
      XCTAssertEqual(bytes[tag + 7] & 0xF, 0xF, "\(name): the encoder writes all four fields")
      for bit in [UInt8(1), 2, 4, 8] {
        var damaged = bytes
        damaged[tag + 7] ^= bit
        try assertSaidDamagedAndDecodedAsFFmpegDoes(damaged, at: directory + "/flags-\(bit)-" + name, channels: channels, "\(name), flag \(bit) cleared")
      }
    }
  }

  /// The LAME tag moved a few bytes from where the Info header's intact flags put it (a byte
  /// lost or added before it: review44 H03): libmpg123 read the delay and padding from other
  /// bytes (-1: 132561 frames for 132300) or found none (+1 to +5: 133103), without a word. A
  /// tag near, not at, its place is damage as a flag damaged is: said, and ffmpeg's frames.
  func testALAMETagMovedAFewBytesIsSaidAndDecodedAsFFmpegDoes() throws {
    let directory = try scratchDirectory(self)
    for (name, arguments, marker, channels) in [Self.infoStreams[0], Self.infoStreams[3]] {
      let (bytes, tag) = try Self.infoStream(name, in: directory, arguments, marker: marker)
      let lame = Array(bytes[(tag + 120)..<(tag + 156)])
      XCTAssertTrue(lame.starts(with: "Lav".utf8) || lame.starts(with: "LAME".utf8), name)
      for shift in [-3, -1, 1, 2, 5] {
        var moved = bytes
        moved.replaceSubrange((tag + 120)..<(tag + 156), with: [UInt8](repeating: 0, count: 36))
        moved.replaceSubrange((tag + 120 + shift)..<(tag + 156 + shift), with: lame)
        try assertSaidDamagedAndDecodedAsFFmpegDoes(moved, at: directory + "/moved\(shift)-" + name, channels: channels, "\(name), the tag moved \(shift)")
      }
    }
  }
}

extension MPEGHeaderDamageTests {
  /// The damaged Info header's byte, said from a pipe as from the file behind an ID3v2 tag a
  /// pipe reads past (5 MiB, more than its window): standard input said "at byte 0" (review44 W04).
  /// With the frames flag among the damaged ones, the file (read as a stream then, its tag read
  /// past) was looked at past its end: nothing said, 133632 frames for 132300 (review45 H09).
  func testADamagedInfoHeaderBehindALargeTagIsSaidAtItsByteFromAPipe() throws {
    let directory = try scratchDirectory(self)
    let (bytes, tag) = try Self.infoStream("bare.mp3", in: directory, Self.infoStreams[0].1 + ["-id3v2_version", "0"], marker: "Info")
    for flags in [UInt8(2), 1, 3, 0xF] {
      var damaged = bytes
      damaged[tag + 7] ^= flags
      let size = 5 << 20
      let id3 = Array("ID3".utf8) + [3, 0, 0] + [21, 14, 7, 0].map { UInt8((size >> $0) & 0x7F) } + [UInt8](repeating: 0x78, count: size)
      let path = directory + "/tagged\(flags).mp3"
      try Data(id3 + damaged).write(to: URL(fileURLWithPath: path))
      let frame = id3.count + (bytes.starts(with: [0xFF]) ? 0 : -1)
      for throughAPipe in [false, true] {
        let label = "flags ^ \(flags), \(throughAPipe ? "a pipe" : "a file")"
        let (_, source) = throughAPipe ? try decodeAllThroughAPipe(path, decoder: .auto) : try decodeAll(path, decoder: .auto)
        XCTAssertTrue(source.truncation?.contains("Info header at byte \(frame) ") == true, "\(label): \(source.truncation ?? "no warning")")
        XCTAssertThrowsError(throughAPipe ? try decodeAllThroughAPipe(path, decoder: .sndfile) : try decodeAll(path, decoder: .sndfile)) {
          XCTAssertTrue("\($0)".contains("Info header at byte \(frame) "), "\(label), --decoder sndfile: \($0)")
        }
      }
    }
  }
}

extension MPEGHeaderDamageTests {
  /// The LAME tag moved further than the 16 bytes looked at around its place (17 to 20 bytes back:
  /// its tail then lies there), or damaged where it lies (its encoder string zeroed or blanked,
  /// its delay and padding overwritten: its CRC-16 no longer holds): libmpg123 and FFmpeg trimmed
  /// by what they read there (6858 frames of the recording cut, for a delay of FF FF FF) or kept
  /// a delay, and the two decoders disagreed, without a word (review45 H06, H07). Said, with
  /// FFmpeg's frames; `--decoder sndfile` refuses it. The tag's CRC is LAME's (the frame's bytes
  /// before it) or FFmpeg's (the frame's first 190 bytes, the CRC's own as zeros); an honest
  /// file's holds (the clean files here, `testAnHonestMP3WhoseTagGivesNoPaddingIsWhole`).
  func testALAMETagMovedFarOrDamagedInPlaceIsSaid() throws {
    let directory = try scratchDirectory(self)
    for (name, arguments, marker, channels) in Self.infoStreams {
      let (bytes, tag) = try Self.infoStream(name, in: directory, arguments, marker: marker)
      let (clean, source) = try decodeAll(directory + "/" + name, decoder: .auto)
      XCTAssertNil(source.truncation, "\(name): the clean file")
      XCTAssertGreaterThan(clean.count, 0)
      let lame = Array(bytes[(tag + 120)..<(tag + 156)])
      var cases: [(String, [UInt8])] = []
      // (Moved forward, the tag overruns a small frame's end, into the next frame's header: said as that.)
      for shift in name == "vbr8.mp3" ? [-20, -17, 17, 20] : [-20, -17] {
        var moved = bytes
        moved.replaceSubrange((tag + 120)..<(tag + 156), with: [UInt8](repeating: 0, count: 36))
        moved.replaceSubrange((tag + 120 + shift)..<(tag + 156 + shift), with: lame)
        cases.append(("the tag moved \(shift)", moved))
      }
      for (what, range, value) in [
        ("its encoder string zeroed", 0..<4, UInt8(0)), ("its encoder string blanked", 0..<9, 0x20), ("its delay and padding FF", 21..<24, 0xFF),
      ] {
        var damaged = bytes
        for index in range { damaged[tag + 120 + index] = value }
        cases.append((what, damaged))
      }
      for (what, damaged) in cases {
        try assertSaidDamagedAndDecodedAsFFmpegDoes(
          damaged, at: directory + "/\(what.replacingOccurrences(of: " ", with: "-"))-" + name, channels: channels, "\(name), \(what)")
      }
    }
  }
}

extension MPEGHeaderDamageTests {
  /// CRC-16/ARC, computed here as LAME computes its tag's (the frame's bytes before the CRC).
  static func crc16(_ bytes: ArraySlice<UInt8>) -> UInt16 {
    bytes.reduce(UInt16(0)) { crc, byte in
      (0..<8).reduce(crc ^ UInt16(byte)) { value, _ in value & 1 == 1 ? (value >> 1) ^ 0xA001 : value >> 1 }
    }
  }

  /// review46 H03: a LAME tag of LAME 3.100 (LAME's own, sox's and libavformat's MP3 muxer's
  /// "LAME3.100") was taken for one of LAME before 3.90, which carries no CRC: its damage
  /// (delay and padding overwritten) was never looked for, and the length changed silently.
  /// The same stream's tag made LAME 3.100's (its CRC LAME's way: the frame's bytes before it,
  /// CRC-16/ARC computed here) is honest, and damaged is said.
  func testALAME3100TagsCRCIsCheckedToo() throws {
    let directory = try scratchDirectory(self)
    for (name, arguments, marker, channels) in [Self.infoStreams[0], Self.infoStreams[3]] {
      let (bytes, tag) = try Self.infoStream(name, in: directory, arguments, marker: marker)
      let frame = try XCTUnwrap((tag - 40..<tag).first { bytes[$0] == 0xFF && bytes[$0 + 1] & 0xE0 == 0xE0 }, name)
      var lame = bytes
      lame.replaceSubrange((tag + 120)..<(tag + 129), with: Array("LAME3.100".utf8))
      let crc = Self.crc16(lame[frame..<(tag + 154)])
      lame[tag + 154] = UInt8(crc >> 8)
      lame[tag + 155] = UInt8(crc & 0xFF)
      let honest = directory + "/lame3100-" + name
      try Data(lame).write(to: URL(fileURLWithPath: honest))
      for way in decodeEveryWay(honest, decoders: [.auto]) {
        if case .success(let decoded) = way.outcome, decoded.warning == nil { continue }
        XCTFail("\(name) as LAME 3.100's, honest, \(way.label): \(way.outcome)")
      }
      var damaged = lame
      for index in 21..<24 { damaged[tag + 120 + index] = 0xFF }
      try assertSaidDamagedAndDecodedAsFFmpegDoes(damaged, at: directory + "/lame3100-ff-" + name, channels: channels, "\(name) as LAME 3.100's, its delay and padding FF")
    }
  }
}

extension MPEGHeaderDamageTests {
  /// review46 H07: a LAME tag whose CRC holds but whose encoder delay and padding (4095 each)
  /// add up to more samples than the stream holds: libsndfile trimmed the whole stream away, an
  /// empty output with exit 0 and no word, from a file and a pipe. Such a tag is damaged: said
  /// by every decoder, decoded as FFmpeg does, file and pipe alike.
  func testALAMETagTrimmingMoreThanTheStreamIsSaid() throws {
    let directory = try scratchDirectory(self)
    for (name, arguments, marker, channels) in [
      ("short8.mp3", ["-t", "0.5", "-ac", "1", "-ar", "8000", "-c:a", "libmp3lame", "-q:a", "4"], "Xing", 1),
      ("short44.mp3", ["-t", "0.1", "-ac", "2", "-ar", "44100", "-c:a", "libmp3lame", "-b:a", "64k"], "Info", 2),
    ] {
      let (bytes, tag) = try Self.infoStream(name, in: directory, arguments, marker: marker)
      let frame = try XCTUnwrap((tag - 40..<tag).first { bytes[$0] == 0xFF && bytes[$0 + 1] & 0xE0 == 0xE0 }, name)
      var damaged = bytes
      damaged.replaceSubrange((tag + 120)..<(tag + 129), with: Array("LAME3.100".utf8))
      damaged.replaceSubrange((tag + 141)..<(tag + 144), with: [0xFF, 0xFF, 0xFF])
      let crc = Self.crc16(damaged[frame..<(tag + 154)])
      damaged[tag + 154] = UInt8(crc >> 8)
      damaged[tag + 155] = UInt8(crc & 0xFF)
      let path = directory + "/overlong-" + name
      try Data(damaged).write(to: URL(fileURLWithPath: path))
      for way in decodeEveryWay(path, decoders: [.auto, .sndfile, .ffmpeg]) {
        if case .success(let decoded) = way.outcome, decoded.warning?.contains("damaged") != true {
          XCTFail("\(name), delay and padding 4095, \(way.label): \(decoded.samples.count) samples, \(decoded.warning ?? "no warning")")
        }
      }
    }
  }
}


extension MPEGHeaderDamageTests {
  /// review46 H08: an MP3 whose first frame holds a Fraunhofer `VBRI` header (32 bytes past the
  /// frame's header, as Fraunhofer encoders write it): libsndfile decoded that frame as 1152
  /// samples of silence, the recording 24 ms late against ffmpeg, without a word. The default
  /// decoder gives ffmpeg's frames, from a file and a pipe, with no warning (it is no damage);
  /// `--decoder sndfile` refuses it, naming the header.
  func testAVBRIHeaderFrameIsNotAudio() throws {
    let directory = try scratchDirectory(self)
    let plain = readWholeFile(
      try MadeInputs.fromSpeech(
        "plain.mp3", in: directory, ["-t", "2", "-ac", "1", "-ar", "48000", "-c:a", "libmp3lame", "-b:a", "32k", "-write_xing", "0", "-id3v2_version", "0"]))
    XCTAssertEqual(Array(plain.prefix(2)), [0xFF, 0xFB])
    // The stream's first header, its padding bit cleared: 144 × 32000 / 48000 = 96 bytes.
    var frame = [UInt8](repeating: 0, count: 96)
    frame.replaceSubrange(0..<4, with: plain[0..<4])
    frame[2] &= ~0x02
    func be(_ value: Int, _ bytes: Int) -> [UInt8] { (0..<bytes).reversed().map { UInt8((value >> (8 * $0)) & 0xFF) } }
    let frames = 2 * 48000 / 1152 + 2
    let vbri = Array("VBRI".utf8) + be(1, 2) + be(1104, 2) + be(75, 2) + be(plain.count + 96, 4) + be(frames, 4)
      + be(10, 2) + be(1, 2) + be(2, 2) + be(frames / 10, 2) + (0..<10).flatMap { _ in be(100, 2) }
    frame.replaceSubrange(36..<(36 + vbri.count), with: vbri)
    let path = directory + "/vbri.mp3"
    try Data(frame + plain).write(to: URL(fileURLWithPath: path))
    let golden = try MadeInputs.ffmpegFrames(path)
    XCTAssertEqual(golden, try MadeInputs.ffmpegFrames(directory + "/plain.mp3"), "ffmpeg leaves the header frame out")
    for way in decodeEveryWay(path, decoders: [.auto, .ffmpeg]) {
      guard case .success(let decoded) = way.outcome else { XCTFail("\(way.label): \(way.outcome)"); continue }
      XCTAssertEqual(decoded.samples.count, golden, way.label)
      XCTAssertNil(decoded.warning, way.label)
    }
    for way in decodeEveryWay(path, decoders: [.sndfile]) {
      guard case .failure(let error) = way.outcome else { XCTFail("\(way.label): decoded the VBRI frame"); continue }
      XCTAssertTrue("\(error)".contains("VBRI"), "\(way.label): \(error)")
    }
  }
}
