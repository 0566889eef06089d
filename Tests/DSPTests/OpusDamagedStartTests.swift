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
      for (name, input) in [("damaged", damaged), ("lost", lost), ("two lost", twoLost), ("whole", bytes)] {
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
}
