import Foundation
import TestSupport
import XCTest

@testable import DSP

/// A stream read through a pipe ends where its bytes end, with the frames its file gives:
/// libsndfile's readers that stop at the length they were told a file has must stop at a
/// pipe's end too (review 16d, H1 and H4: they read on without end).
final class PipeEndTests: XCTestCase {
  /// Seconds a decode of a few seconds of audio may take before it counts as endless (a hang
  /// guard for a loaded machine, not a timing).
  private let hangGuard = 60.0

  /// The samples of `path` from a pipe equal those from its path, and the pipe's decode ends.
  private func assertPipeGivesTheFileSamples(_ path: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let fromFile = try decodeAll(path).samples
    XCTAssertGreaterThan(fromFile.count, 0, what, file: file, line: line)
    guard let piped = try decodeAllThroughAPipe(path, sampleLimit: 4 * fromFile.count + 65536, hangGuard: hangGuard) else {
      return XCTFail("\(what): the decode from a pipe has not ended after \(hangGuard) s", file: file, line: line)
    }
    XCTAssertEqual(piped.count, fromFile.count, "\(what): samples from a pipe", file: file, line: line)
    XCTAssertTrue(piped == fromFile, "\(what): the pipe's samples differ from the file's", file: file, line: line)
  }

  /// review41 H05: an intact stereo AVR made by sox gave half its audio from a pipe, exit 0,
  /// no word: the length its header declares (a count of frames, as libsndfile reads it) was
  /// taken for a count of samples. Every headered format sox writes, in stereo, from a pipe
  /// gives the file's samples (and a mono HTK, which sox writes only so).
  func testAStereoFileOfEveryHeaderedFormatFromAPipeGivesTheFileSamples() throws {
    let directory = try scratchDirectory(self)
    for fileExtension in ["avr", "sph", "au", "w64", "sf", "voc", "paf", "mat4", "mat5", "8svx", "pvf", "caf", "aiff", "wav"] {
      let path = directory + "/stereo." + fileExtension
      let sox = try spawn(try MadeInputs.tool("sox"), ["-n", "-r", "22050", "-c", "2", "-b", "16", path, "synth", "1", "sine", "440", "sine", "660"], timeLimit: 60)
      XCTAssertEqual(sox.status, 0, "\(fileExtension): \(sox.stderr)")
      try assertPipeGivesTheFileSamples(path, fileExtension)
    }
    // review41 H14: an HTK waveform (mono only), which libsndfile recognises by its length, was
    // "Format not recognised" from a pipe.
    let htk = directory + "/mono.htk"
    let sox = try spawn(try MadeInputs.tool("sox"), ["-n", "-r", "16000", "-c", "1", "-b", "16", htk, "synth", "1", "sine", "440"], timeLimit: 60)
    XCTAssertEqual(sox.status, 0, sox.stderr)
    try assertPipeGivesTheFileSamples(htk, "htk")
  }

  /// An 8SVX of half a second (its BODY of odd length and a pad byte) from a pipe: libsndfile's
  /// chunk parser looked for a chunk after the last one until the position reached the length
  /// it was told, 2^61, and spun at full CPU.
  func testAn8SVXFromAPipeEndsWithTheFileFrames() throws {
    let directory = try scratchDirectory(self)
    let path = directory + "/half.8svx"
    let sox = try spawn(try MadeInputs.tool("sox"), [fixtures + "/speech.flac", path, "trim", "0", "0.5"], timeLimit: 60)
    XCTAssertEqual(sox.status, 0, sox.stderr)
    try assertPipeGivesTheFileSamples(path, "8SVX")
  }

  /// An SDS (MIDI sample dump) from a pipe: libsndfile counts its blocks until the bytes it
  /// counted reach the length it was told, and past the end of a pipe it counted on without end.
  func testAnSDSFromAPipeEndsWithTheFileFrames() throws {
    let directory = try scratchDirectory(self)
    let path = directory + "/short.sds"
    let sox = try spawn(try MadeInputs.tool("sox"), [fixtures + "/speech.flac", path, "trim", "0", "0.1"], timeLimit: 60)
    XCTAssertEqual(sox.status, 0, sox.stderr)
    try assertPipeGivesTheFileSamples(path, "SDS")
  }

  /// The speech MP3 with 64 zero bytes at 5000 from a pipe: libmpg123 (through libsndfile)
  /// gave audio without end (162 MB in 10 s from the command line).
  func testAnMP3WithAHoleFromAPipeEndsWithTheFileFrames() throws {
    let directory = try scratchDirectory(self)
    var bytes = readWholeFile(fixtures + "/speech.mp3")
    bytes.replaceSubrange(5000..<5064, with: [UInt8](repeating: 0, count: 64))
    let path = directory + "/hole64.mp3"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    try assertPipeGivesTheFileSamples(path, "MP3 with a hole")
  }
}
