import Foundation
import TestSupport
import XCTest

/// Review38's regressions, each read from its path and refused from standard input:
/// R6, an AIFF whose second chunk before the audio starts past 4 MiB (a 4.5 MB `NAME`, then a
/// 200 KB `ANNO`): the walk for libsndfile's chunk steps read the pipe past its window;
/// R7, an 8SVX with a 6 MB `ANNO` and a 1-byte `NAME`, the same; R9, a FLAC behind an ID3v2.3
/// tag with the flag bit v2.4 uses for a footer: 10 bytes of the FLAC were hidden with the
/// tag. Now stdin gives the file's samples (R6, R7 under the default decoder, through FFmpeg;
/// `--decoder sndfile` refuses them with a word). Run as a child: the exit status and the bytes
/// written are what is compared.
final class HostileRound38Tests: XCTestCase {
  private static func bigEndian32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }
  private static func chunk(_ id: String, _ body: [UInt8]) -> [UInt8] {
    Array(id.utf8) + bigEndian32(body.count) + body + (body.count % 2 == 1 ? [0] : [])
  }
  private static let frames = 32000
  private static let samples: [Int16] = (0..<frames).map { Int16(8000 * sin(Double($0) * 0.17)) }

  static func aiff() -> [UInt8] {
    let comm: [UInt8] = [0, 1] + bigEndian32(frames) + [0, 16] + [0x40, 0x0C, 0xFA, 0, 0, 0, 0, 0, 0, 0]  // 16000 Hz
    let pcm = samples.flatMap { [UInt8(truncatingIfNeeded: $0 >> 8), UInt8(truncatingIfNeeded: $0)] }
    let body = Array("AIFF".utf8) + chunk("COMM", comm) + chunk("NAME", [UInt8](repeating: 0x78, count: 4_500_001))
      + chunk("ANNO", [UInt8](repeating: 0x7A, count: 200_001)) + chunk("SSND", [UInt8](repeating: 0, count: 8) + pcm)
    return Array("FORM".utf8) + bigEndian32(body.count) + body
  }

  static func eightSVX() -> [UInt8] {
    let vhdr = bigEndian32(frames) + bigEndian32(0) + bigEndian32(0) + [0x3E, 0x80, 1, 0] + bigEndian32(0x10000)  // 16000 Hz
    let body = Array("8SVX".utf8) + chunk("VHDR", vhdr) + chunk("ANNO", [UInt8](repeating: 0x7A, count: 6_000_001))
      + chunk("NAME", [0x78]) + chunk("BODY", samples.map { UInt8(bitPattern: Int8(truncatingIfNeeded: $0 >> 8)) })
    return Array("FORM".utf8) + bigEndian32(body.count) + body
  }

  func testWhatAFileGivesStandardInputGives() throws {
    let directory = try scratchDirectory(self)
    let flac = readWholeFile(try FFmpegFixtures.make("round38.flac", ["-t", "2", "-c:a", "flac"]))
    // An ID3v2.3 tag of 138 bytes, flags 0x10.
    let tagged = Array("ID3".utf8) + [3, 0, 0x10, 0, 0, 1, 0] + [UInt8](repeating: 0, count: 128) + flac
    for (name, bytes) in [("r6.aiff", Self.aiff()), ("r7.8svx", Self.eightSVX()), ("r9.flac", tagged)] {
      let path = directory + "/" + name
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      for decoder in ["auto", "sndfile"] {
        let file = try spawnAudioprep([path, "-o", "file.wav", "--force", "--decoder", decoder], in: directory, timeLimit: 60)
        XCTAssertEqual(file.status, 0, "\(name), --decoder \(decoder), its path: \(file.stderr)")
        let stdin = try spawnAudioprep(
          ["-", "--format", "wav", "-o", "stdin.wav", "--force", "--decoder", decoder], in: directory, stdinPath: path, timeLimit: 60)
        // libsndfile alone is not given chunks it must be shown otherwise past a pipe's window:
        // refused with a word (the default reads them through FFmpeg).
        if decoder == "sndfile", name != "r9.flac" {
          XCTAssertEqual(stdin.status, 65, "\(name), --decoder \(decoder), stdin: \(stdin.stderr)")
          XCTAssertTrue(stdin.stderr.contains("reach past the first 4 MiB"), "\(name), --decoder \(decoder), stdin: \(stdin.stderr)")
          continue
        }
        XCTAssertEqual(stdin.status, 0, "\(name), --decoder \(decoder), stdin: \(stdin.stderr)")
        XCTAssertEqual(readWholeFile(directory + "/stdin.wav"), readWholeFile(directory + "/file.wav"), "\(name), --decoder \(decoder)")
      }
    }
  }
}
