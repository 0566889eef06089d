import DSP
import Foundation
import TestSupport
import XCTest

/// review53 H7, W2: an MP2 or MP3 cut inside its last frame (or one byte into the next frame's
/// header), then the tags a file may end in: an APEv2 tag (a small item, or a 10 KB cover), a
/// Lyrics3v2 block, each before an ID3v1 tag, or an ID3v2 tag appended with its footer. The cut
/// frame takes the tag's first bytes for its own and fits: every decoder decoded it without a
/// word (the ID3v1 rule of stop 49 alone was known). Each is said, by every decoder, from a file
/// and a pipe alike; the whole stream followed by the same tags says nothing.
final class MPEGCutIntoEndTagsTests: XCTestCase {
  static let id3v1 = Array("TAG".utf8) + Array("A title".utf8) + [UInt8](repeating: 0, count: 118)

  /// An APEv2 tag with header and footer, one binary item of `count` bytes.
  static func ape(_ count: Int) -> [UInt8] {
    let value = (0..<count).map { UInt8(truncatingIfNeeded: $0 * 13) }
    let item = littleEndian(UInt32(count)) + littleEndian(2) + Array("Cover Art (Front)".utf8) + [0] + value
    let size = UInt32(item.count + 32)
    let part = { (flags: UInt32) in Array("APETAGEX".utf8) + littleEndian(2000) + littleEndian(size) + littleEndian(1) + littleEndian(flags) + [UInt8](repeating: 0, count: 8) }
    return part(0xA000_0000) + item + part(0x8000_0000)
  }

  /// An APEv2 tag (one short text item) as writers get it wrong (review55 H2): the size
  /// counting the header too, the size leaving the footer out, the header not flagged.
  static func miscountedAPE() -> [(name: String, bytes: [UInt8])] {
    let item = littleEndian(5) + littleEndian(0) + Array("Title".utf8) + [0] + Array("hello".utf8)
    let part = { (size: Int, flags: UInt32) in
      Array("APETAGEX".utf8) + littleEndian(2000) + littleEndian(UInt32(size)) + littleEndian(1) + littleEndian(flags) + [UInt8](repeating: 0, count: 8)
    }
    let header = part(item.count + 32, 0xA000_0000)
    return [
      ("an APEv2 tag whose size counts its header", header + item + part(item.count + 64, 0x8000_0000)),
      ("an APEv2 tag whose size leaves its footer out", header + item + part(item.count, 0x8000_0000)),
      ("an APEv2 tag whose header is not flagged", header + item + part(item.count + 32, 0)),
      ("an APEv2 tag with no header", item + part(item.count + 32, 0)),
    ]
  }

  /// A Lyrics3v2 block: its fields, their size in six digits, "LYRICS200".
  static let lyrics3: [UInt8] = {
    let block = Array("LYRICSBEGIN".utf8) + Array("IND0000210".utf8) + Array("LYR00011hello world".utf8)
    return block + Array(String(format: "%06d", block.count).utf8) + Array("LYRICS200".utf8)
  }()

  /// An ID3v2.4 tag with one text frame, appended with its footer ("3DI").
  static let appendedID3v2: [UInt8] = {
    let text = [3] + Array("A title".utf8)
    let frame = Array("TIT2".utf8) + syncsafe(text.count) + [0, 0] + text
    let flags: UInt8 = 0x10  // a footer follows
    return Array("ID3".utf8) + [4, 0, flags] + syncsafe(frame.count) + frame + Array("3DI".utf8) + [4, 0, flags] + syncsafe(frame.count)
  }()

  static func littleEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
  static func syncsafe(_ value: Int) -> [UInt8] { [21, 14, 7, 0].map { UInt8(value >> $0 & 0x7F) } }

  static let endings: [(name: String, bytes: [UInt8])] = [
    ("an APEv2 tag and an ID3v1 tag", ape(40) + id3v1), ("an APEv2 tag of 10 KB and an ID3v1 tag", ape(10_000) + id3v1),
    ("an APEv2 tag alone", ape(40)), ("a Lyrics3v2 block and an ID3v1 tag", lyrics3 + id3v1), ("an ID3v2 tag with its footer", appendedID3v2),
  ]

  func testALastFrameCutBeforeTheTagsEndingTheInputIsSaid() throws {
    let directory = try scratchDirectory(self)
    var failures: [String] = []
    for (name, bytes) in try MPEGCutIntoEndTagsTests.shortStreams(in: directory) {
      let last = Self.lastFrameStart(bytes)
      // A whole stream and tags written otherwise than the format says: nothing to say
      // (review55 H2: "runs into the APEv2 tag").
      for ending in Self.miscountedAPE() where testSanitizer == nil {
        let path = directory + "/miscounted-" + name
        try Data(bytes + ending.bytes + Self.id3v1).write(to: URL(fileURLWithPath: path))
        for way in decodeEveryWay(path) where way.samples == nil || (try? way.outcome.get().warning) != nil {
          failures.append("\(name), whole, then \(ending.name), \(way.label): \(way.outcome.map(\.warning))")
        }
      }
      // (Under a sanitizer, the longest tag and the one found by its footer's header.)
      for ending in Self.endings where testSanitizer == nil || ending.name.contains("10 KB") || ending.name.contains("ID3v2") {
        let path = directory + "/tagged-" + name
        try Data(bytes + ending.bytes).write(to: URL(fileURLWithPath: path))
        for way in decodeEveryWay(path) where way.samples == nil || (try? way.outcome.get().warning) != nil {
          failures.append("\(name), whole, then \(ending.name), \(way.label): \(way.outcome.map(\.warning))")
        }
        for (cutName, cut) in [
          ("its last frame's last 30 bytes lost", Array(bytes.dropLast(30))), ("half its last frame lost", Array(bytes[..<(last + (bytes.count - last) / 2)])),
          ("cut a byte into a header", bytes + [0xFF]),
          // review55 W4: two or three bytes of it ("the MPEG frame header … disagrees", or the
          // decoder's errors).
          ("cut two bytes into a header", bytes + bytes[0..<2]), ("cut three bytes into a header", bytes + bytes[0..<3]),
        ] {
          try Data(cut + ending.bytes).write(to: URL(fileURLWithPath: path))
          let ways = decodeEveryWay(path)
          for way in ways where (try? way.outcome.get().warning)??.hasPrefix("damaged: the last MPEG frame") != true {
            failures.append("\(name), \(cutName), then \(ending.name), \(way.label): \(way.outcome.map(\.warning))")
          }
          for decoder in AudioDecoder.allCases {
            let (file, pipe) = (ways.first { $0.decoder == decoder && !$0.throughAPipe }!, ways.first { $0.decoder == decoder && $0.throughAPipe }!)
            let words = { (way: DecodedWay) in (try? way.outcome.get().warning) ?? nil }
            if file.samples != pipe.samples || words(file) != words(pipe) {
              failures.append("\(name), \(cutName), then \(ending.name), --decoder \(decoder.rawValue): file \(file.samples?.count ?? -1) (\(words(file) ?? "-")), pipe \(pipe.samples?.count ?? -1) (\(words(pipe) ?? "-"))")
            }
          }
        }
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }

  /// Three seconds of two tones as the MP2 (48 kHz, 384 kb/s) and the MP3 (44.1 kHz, 320 kb/s,
  /// no Info header or tag) ffmpeg writes: their names and bytes.
  static func shortStreams(in directory: String) throws -> [(name: String, bytes: [UInt8])] {
    let wav = directory + "/short.wav"
    let made = try spawn(try MadeInputs.tool("sox"), ["-n", "-r", "48000", "-c", "2", wav, "synth", "3", "sine", "300:3000", "sine", "440", "gain", "-12"])
    XCTAssertEqual(made.status, 0, made.stderr)
    return try [
      ("short.mp2", ["-c:a", "mp2", "-b:a", "384k"]), ("short.mp3", ["-ar", "44100", "-c:a", "libmp3lame", "-b:a", "320k", "-write_xing", "0", "-id3v2_version", "0"]),
    ].map { name, arguments in
      try MadeInputs.ffmpeg(["-i", wav] + arguments + [directory + "/" + name])
      return (name, readWholeFile(directory + "/" + name))
    }
  }

  /// Where the last frame of an MPEG-1 Layer II or III stream with no tag before it starts.
  static func lastFrameStart(_ bytes: [UInt8]) -> Int {
    var (at, last) = (0, 0)
    while let length = frameLength(bytes, at: at) {
      last = at
      at += length
    }
    return last
  }

  /// The length of the MPEG-1 Layer II or III frame at `at` by its header (144 × bit rate /
  /// rate, and the padding byte); nil where no frame header is.
  static func frameLength(_ bytes: [UInt8], at: Int) -> Int? {
    guard at + 4 <= bytes.count, bytes[at] == 0xFF, bytes[at + 1] & 0xE0 == 0xE0 else { return nil }
    let layer = 4 - Int(bytes[at + 1] >> 1 & 3)
    let bitRates = layer == 2 ? [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384] : [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
    return 144 * bitRates[Int(bytes[at + 2] >> 4)] * 1000 / [44100, 48000, 32000][Int(bytes[at + 2] >> 2 & 3)] + Int(bytes[at + 2] >> 1 & 1)
  }
}
