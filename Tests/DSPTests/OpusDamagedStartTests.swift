import DSP
import Foundation
import TestSupport
import XCTest

/// review48 H01 (review39 F07): an Ogg Opus stream whose first audio page is damaged, or gone,
/// gave libsndfile's reading 312 frames more from a pipe than from the file. libsndfile's file
/// length is the last granule position less where the first whole page starts and less the
/// pre-skip, which its decoding skips only at the stream's very start: a stream that starts
/// later (its first pages lost) decodes the pre-skip's frames, and the file's length stops
/// short of them; a pipe has no length, and kept them. A pipe now stops where the file does.
final class OpusDamagedStartTests: XCTestCase {
  func testAnOpusStreamWhoseFirstPagesAreLostGivesAPipeTheFilesFrames() throws {
    let directory = try scratchDirectory(self)
    var failures: [String] = []
    // At 48 kHz, and from a 16 kHz input, which libsndfile decodes at 16 kHz (granules at 48).
    for (rate, channels) in [(48000, 1), (16000, 2)] {
      let wav = directory + "/tone\(rate).wav"
      let made = try spawn(
        try MadeInputs.tool("sox"), ["-n", "-r", "\(rate)", "-c", "\(channels)", wav, "synth", "4", "sine", "440", "vol", "0.3"])
      XCTAssertEqual(made.status, 0, made.stderr)
      let whole = directory + "/tone\(rate).opus"
      _ = try MadeInputs.ffmpeg(["-i", wav, "-c:a", "libopus", "-b:a", "32k", whole])
      let bytes = readWholeFile(whole)
      // The pages: "OggS" where a page starts (header 27 bytes, its segment table, its body).
      var pages: [Range<Int>] = []
      var at = 0
      while at + 27 <= bytes.count, Array(bytes[at..<at + 4]) == Array("OggS".utf8) {
        let segments = Int(bytes[at + 26])
        let body = bytes[at + 27..<at + 27 + segments].reduce(0) { $0 + Int($1) }
        pages.append(at..<at + 27 + segments + body)
        at += 27 + segments + body
      }
      XCTAssertGreaterThanOrEqual(pages.count, 5, "the premise: two header pages and three or more of audio")
      let firstAudio = pages[2]
      var damaged = bytes
      for index in firstAudio.lowerBound + 60..<min(firstAudio.upperBound, firstAudio.lowerBound + 200) { damaged[index] ^= 0x5A }
      var lost = bytes
      lost.removeSubrange(firstAudio)
      var twoLost = bytes
      twoLost.removeSubrange(firstAudio.lowerBound..<pages[3].upperBound)
      // review54 H7, H5: the same with bytes after the last page (libsndfile's file reader finds
      // that page, or not, by how many), and intact streams laid out against RFC 7845 (audio
      // packets on the comment header's page; an empty page after the headers): the file's
      // frames, as before.
      let withATag = damaged + Array("TAG".utf8) + [UInt8](repeating: 0, count: 125)
      let withANewline = lost + [0x0A]
      let page = { (index: Int) in Self.fields(of: Array(bytes[pages[index]])) }
      let (tags, firstAudio2) = (page(1), page(2))
      let merged =
        Array(bytes[pages[0]]) + Self.page(flags: tags.flags, granule: firstAudio2.granule, serial: tags.serial, sequence: 1, lacing: tags.lacing + firstAudio2.lacing, body: tags.body + firstAudio2.body)
        + pages[3...].enumerated().flatMap { offset, range in
          let fields = Self.fields(of: Array(bytes[range]))
          return Self.page(flags: fields.flags, granule: fields.granule, serial: fields.serial, sequence: UInt32(2 + offset), lacing: fields.lacing, body: fields.body)
        }
      let emptyPage =
        Array(bytes[pages[0]]) + Array(bytes[pages[1]]) + Self.page(flags: 0, granule: 48000, serial: tags.serial, sequence: 2, lacing: [], body: [])
        + pages[2...].enumerated().flatMap { offset, range in
          let fields = Self.fields(of: Array(bytes[range]))
          return Self.page(flags: fields.flags, granule: fields.granule, serial: fields.serial, sequence: UInt32(3 + offset), lacing: fields.lacing, body: fields.body)
        }
      for (name, input) in [
        ("damaged", damaged), ("lost", lost), ("two lost", twoLost), ("whole", bytes), ("damaged, a tag after", withATag),
        ("lost, a line break after", withANewline), ("audio on the comment page", merged), ("an empty page after the headers", emptyPage),
      ] {
        let path = directory + "/\(name)\(rate).opus"
        try Data(input).write(to: URL(fileURLWithPath: path))
        let ways = decodeEveryWay(path, decoders: [.auto, .sndfile])
        for decoder in [AudioDecoder.auto, .sndfile] {
          let (file, pipe) = (ways.first { $0.decoder == decoder && !$0.throughAPipe }!, ways.first { $0.decoder == decoder && $0.throughAPipe }!)
          if file.samples == nil || file.samples != pipe.samples {
            failures.append("\(name), \(rate) Hz, --decoder \(decoder.rawValue): the file's \(file.samples?.count ?? -1) samples, the pipe's \(pipe.samples?.count ?? -1)")
          }
        }
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }

  /// An Ogg page's fields (RFC 3533).
  private static func fields(of page: [UInt8]) -> (flags: UInt8, granule: Int64, serial: UInt32, lacing: [UInt8], body: [UInt8]) {
    func littleEndian(_ at: Int, _ count: Int) -> UInt64 { page[at..<at + count].reversed().reduce(0) { $0 << 8 | UInt64($1) } }
    let segments = Int(page[26])
    return (page[5], Int64(bitPattern: littleEndian(6, 8)), UInt32(littleEndian(14, 4)), Array(page[27..<27 + segments]), Array(page[(27 + segments)...]))
  }

  /// An Ogg page of these fields, its checksum computed (CRC-32, polynomial 0x04C11DB7).
  private static func page(flags: UInt8, granule: Int64, serial: UInt32, sequence: UInt32, lacing: [UInt8], body: [UInt8]) -> [UInt8] {
    func littleEndian(_ value: UInt64, _ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    var page =
      Array("OggS".utf8) + [0, flags] + littleEndian(UInt64(bitPattern: granule), 8) + littleEndian(UInt64(serial), 4) + littleEndian(UInt64(sequence), 4)
      + [0, 0, 0, 0] + [UInt8(lacing.count)] + lacing + body
    var crc: UInt32 = 0
    for byte in page {
      crc ^= UInt32(byte) << 24
      for _ in 0..<8 { crc = crc & 0x8000_0000 != 0 ? (crc << 1) ^ 0x04C1_1DB7 : crc << 1 }
    }
    page.replaceSubrange(22..<26, with: littleEndian(UInt64(crc), 4))
    return page
  }
}
