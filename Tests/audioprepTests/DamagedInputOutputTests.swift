import Foundation
import TestSupport
import XCTest

/// Issue 16: what a damaged input that decodes short leaves on standard output is still a
/// well-formed WAV. A FLAC file's STREAMINFO sizes standard output's WAV header before decoding;
/// when damage makes it decode short (now exit 0 with a warning, where it used to be 65), the
/// header must not announce samples that never come.
final class DamagedInputOutputTests: XCTestCase {
  func testADamagedFLACOnStandardOutputKeepsItsWAVHeaderTrue() throws {
    let directory = try scratchDirectory(self)
    var bytes = readWholeFile(fixtures + "/speech.flac")
    let holes: [(String, [UInt8])] = [
      ("hole.flac", { var copy = bytes; copy.replaceSubrange(27_000..<29_500, with: repeatElement(0, count: 2500)); return copy }()),
      ("half.flac", Array(bytes.prefix(40_000))),
    ]
    bytes = []
    for (name, damaged) in holes {
      try Data(damaged).write(to: URL(fileURLWithPath: directory + "/" + name))
      let result = try spawnAudioprep([name, "-o", "-", "--format", "wav"], in: directory, stdoutPath: directory + "/out.wav")
      XCTAssertEqual(result.status, 0, "\(name): \(result.stderr)")
      XCTAssertTrue(result.stderr.contains("truncated"), "\(name): \(result.stderr)")
      let wav = readWholeFile(directory + "/out.wav")
      XCTAssertGreaterThan(wav.count, 44, name)
      func le32(_ at: Int) -> Int { wav[at..<at + 4].reversed().reduce(0) { $0 << 8 | Int($1) } }
      XCTAssertEqual(le32(4) + 8, wav.count, "\(name): the RIFF size announces another length than was written")
      XCTAssertEqual(le32(40) + 44, wav.count, "\(name): the data size announces another length than was written")
    }
  }
}
