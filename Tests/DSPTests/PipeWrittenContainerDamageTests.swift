import DSP
import Foundation
import TestSupport
import XCTest

/// Matroska, WebM, FLV and MPEG-TS written to a pipe announce no length (no Duration, no
/// index): cut short or holed, they lost up to half their audio without a word (review41 H19,
/// H20), where the same containers written to a file said `truncated`. What FFmpeg's demuxer
/// says of them is the evidence: an error it logged ("File ended prematurely", "0x00 at pos …
/// invalid as first byte of an EBML number") or a packet it marked corrupt (a TS packet or an
/// FLV tag cut short). Every way of decoding them, file and pipe, now warns; whole, none does.
final class PipeWrittenContainerDamageTests: XCTestCase {
  private static let containers: [(name: String, arguments: [String])] = [
    ("p.mkv", ["-c:a", "libopus", "-f", "matroska"]),
    ("p.webm", ["-c:a", "libopus", "-f", "webm"]),
    ("p.flv", ["-c:a", "aac", "-f", "flv"]),
    ("mp3.flv", ["-ar", "44100", "-c:a", "libmp3lame", "-f", "flv"]),
    ("p.ts", ["-c:a", "mp2", "-f", "mpegts"]),
  ]

  func testAPipeWrittenContainerCutOrHoledIsSaidDamagedAndWholeIsNot() throws {
    let directory = try scratchDirectory(self)
    var failures: [String] = []
    for (name, arguments) in Self.containers {
      let bytes = [UInt8](try MadeInputs.ffmpeg(["-i", fixtures + "/speech.flac", "-ac", "1"] + arguments + ["-"]))
      let whole = directory + "/" + name
      try Data(bytes).write(to: URL(fileURLWithPath: whole))
      var damaged: [(String, [UInt8])] = [45, 63].map { ("cut at \($0) %", Array(bytes[..<(bytes.count * $0 / 100)])) }
      if name != "p.ts" {  // a TS packet zeroed is a packet skipped by its sync byte, said or not by the decoder
        damaged += [35, 50, 70].map { percent in
          var holed = bytes
          let at = bytes.count * percent / 100
          holed.replaceSubrange(at..<at + min(3000, bytes.count / 10), with: [UInt8](repeating: 0, count: min(3000, bytes.count / 10)))
          return ("zeroed at \(percent) %", holed)
        }
      }
      for way in decodeEveryWay(whole, decoders: [.auto]) {
        if case .success(let decoded) = way.outcome, decoded.warning == nil { continue }
        failures.append("\(name) whole, \(way.label): \(way.outcome)")
      }
      for (damage, damagedBytes) in damaged {
        let path = directory + "/\(damage.filter(\.isNumber))-" + name
        try Data(damagedBytes).write(to: URL(fileURLWithPath: path))
        for way in decodeEveryWay(path, decoders: [.auto, .ffmpeg]) {
          if case .success(let decoded) = way.outcome, decoded.warning == nil {
            failures.append("\(name) \(damage), \(way.label): \(decoded.samples.count) frames, no warning")
          }
        }
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }
}

extension PipeWrittenContainerDamageTests {
  /// review45 H08: a WebM Opus packet whose header FFmpeg's Opus parser cannot read (here a
  /// code-3 packet of no frames) is dropped by the demuxer, 20 ms of the stream gone and the
  /// rest moved up, without a word: the parser logs its error on the stream's own codec context,
  /// which nothing watched. Said, from a file and a pipe; the whole stream is not.
  func testAPacketTheStreamsParserCannotReadIsSaid() throws {
    let directory = try scratchDirectory(self)
    var bytes = [UInt8](try MadeInputs.ffmpeg(["-i", fixtures + "/speech.flac", "-ac", "1", "-c:a", "libopus", "-f", "webm", "-"]))
    let whole = directory + "/whole.webm"
    try Data(bytes).write(to: URL(fileURLWithPath: whole))
    // A SimpleBlock (0xA3, a 2-byte size, track 1, a timecode, flags 0x80) past the middle: its
    // payload's TOC byte set to code 3, its frame count to 0.
    let block = try XCTUnwrap((bytes.count / 2..<bytes.count - 8).first {
      bytes[$0] == 0xA3 && (0x40...0x7F).contains(bytes[$0 + 1]) && bytes[$0 + 3] == 0x81 && bytes[$0 + 6] == 0x80
    })
    bytes[block + 7] |= 3
    bytes[block + 8] = 0
    let damaged = directory + "/damaged.webm"
    try Data(bytes).write(to: URL(fileURLWithPath: damaged))
    var failures: [String] = []
    for way in decodeEveryWay(whole, decoders: [.auto]) {
      if case .success(let decoded) = way.outcome, decoded.warning == nil { continue }
      failures.append("whole, \(way.label): \(way.outcome)")
    }
    for way in decodeEveryWay(damaged, decoders: [.auto, .ffmpeg]) {
      if case .success(let decoded) = way.outcome, decoded.warning?.contains("Error parsing Opus packet header") != true {
        failures.append("damaged, \(way.label): \(decoded.samples.count) frames, \(decoded.warning ?? "no warning")")
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }
}

extension PipeWrittenContainerDamageTests {
  /// review45 H04: an MKV (MP3) written to a pipe, 300 random bytes overwritten a fifth in (a
  /// block's size field hit): from the file a fifth of the audio was gone without a word, where
  /// standard input said "File ended prematurely". FFmpeg's file reading logs the damage with no
  /// context ("Truncating packet of size …") or nothing at all (it steps to the next cluster):
  /// a context-less error line while the demuxer reads is its, and a stream with no length whose
  /// timestamps span more frames than it holds is said (as a NUT's is).
  func testAPipeWrittenMatroskaWithABlockDamagedIsSaidFromAFileToo() throws {
    let directory = try scratchDirectory(self)
    let made = try bash(
      """
      sox -n -r 44100 -c 2 src.wav synth 5 sine 440 sine 660 vol 0.5
      ffmpeg -v error -y -i src.wav -c:a libmp3lame -f matroska - > w.mkv
      for seed in 5 7; do python3 - $seed <<'PY'
      import sys, random
      random.seed(int(sys.argv[1])); d = open('w.mkv', 'rb').read(); p = int(len(d) * 0.2)
      open('r%s.mkv' % sys.argv[1], 'wb').write(d[:p] + bytes(random.getrandbits(8) for _ in range(300)) + d[p + 300:])
      PY
      done
      """, in: directory)
    XCTAssertEqual(made.status, 0, made.stderr)
    let whole = try decodeAll(directory + "/w.mkv", decoder: .auto)
    XCTAssertNil(whole.source.truncation)
    var failures: [String] = []
    for seed in [5, 7] {
      for way in decodeEveryWay(directory + "/r\(seed).mkv", decoders: [.auto]) {
        if case .success(let decoded) = way.outcome, decoded.samples.count < whole.samples.count, decoded.warning == nil {
          failures.append("seed \(seed), \(way.label): \(decoded.samples.count) of \(whole.samples.count), no warning")
        }
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }
}
