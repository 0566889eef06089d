import Foundation
import TestSupport
import XCTest

@testable import DSP

/// Issue 16, the fourth hostile review's findings on the containers whose header declares where
/// their audio ends (WAV, RF64, AIFF, W64, AU, SPHERE, VOC, IRCAM, AVR, WVE, PAF, MAT, 8SVX):
/// another file joined on is found whatever the first part's length, and a file cut short says
/// so, from a file and a pipe alike. Inputs are made by sox and ffmpeg from the speech fixture;
/// the expected bytes and lengths are the parts' own sizes and the headers sox wrote.
final class DecoderTrustRound4Tests: XCTestCase {
  /// sox's name for each container, and how audioprep names it.
  static let headered: [(ext: String, name: String)] = [
    ("wav", "WAV"), ("aiff", "AIFF"), ("w64", "W64"), ("au", "AU"), ("sph", "SPHERE"), ("voc", "VOC"),
    ("sf", "IRCAM"), ("avr", "AVR"), ("wve", "WVE"), ("paf", "PAF"), ("mat5", "MAT"), ("8svx", "8SVX"),
  ]

  /// `name` in `directory`, written by sox from the speech fixture at `rate`.
  static func sox(_ name: String, in directory: String, rate: Int, _ extra: [String] = []) throws -> String {
    let path = directory + "/" + name
    let result = try spawn(try MadeInputs.tool("sox"), ["-V1", fixtures + "/speech.flac", "-r", "\(rate)"] + extra + [path], timeLimit: 60)
    guard result.status == 0 else { throw XCTSkip("sox \(name): \(result.stderr)") }
    return path
  }

  private func assertRefusedAsJoined(_ path: String, name: String, at byte: Int, file: StaticString = #filePath, line: UInt = #line) {
    for viaPipe in [false, true] {
      let label = "\((path as NSString).lastPathComponent)\(viaPipe ? " from a pipe" : "")"
      XCTAssertThrowsError(try viaPipe ? decodeAllThroughAPipe(path) : decodeAll(path), label, file: file, line: line) { error in
        XCTAssertEqual((error as? AudioIOError)?.kind, .invalidInput, "\(label): \(error)", file: file, line: line)
        XCTAssertTrue(
          "\(error)".contains("a second \(name) file starts at byte \(byte)"), "\(label): \(error)", file: file, line: line)
      }
    }
  }

  /// Two files of the same container joined end to end (`cat a b`), of the same or another
  /// rate, are refused (65) naming the second's byte, from a file and from a pipe, for every
  /// container whose header says where its audio ends. (Only WAV was refused, and only within
  /// 4 MiB; AIFF got libsndfile's "bad 'FORM' marker"; W64, AU, SPHERE, VOC, IRCAM, AVR, WVE,
  /// PAF, MAT decoded the second header as samples, a 44.1 kHz part at the first part's rate.)
  func testAFileJoinedOnIsRefusedInEveryHeaderedContainer() throws {
    let directory = try scratchDirectory(self)
    for (ext, name) in Self.headered {
      // WVE holds 8 kHz A-law only: its second part is of the same rate.
      let first = try Self.sox("a.\(ext)", in: directory, rate: 8000)
      let second = try Self.sox("b.\(ext)", in: directory, rate: ext == "wve" ? 8000 : 16000)
      let path = directory + "/joined.\(ext)"
      try Data(readWholeFile(first) + readWholeFile(second)).write(to: URL(fileURLWithPath: path))
      assertRefusedAsJoined(path, name: name, at: readWholeFile(first).count)
    }
  }

  /// A first part longer than a pipe's 4 MiB window (WAV, AIFF), and a WAV joined to an RF64
  /// or an RF64 to a WAV: refused alike, from a file and a pipe. (A first part of 4.4 MB was
  /// decoded alone, exit 0, no warning; a WAV followed by an RF64 at any size too.)
  func testAJoinIsFoundWhateverTheFirstPartsLength() throws {
    let directory = try scratchDirectory(self)
    let sox = try MadeInputs.tool("sox")
    for ext in ["wav", "aiff"] {
      let long = directory + "/long.\(ext)"
      let made = try spawn(sox, ["-V1", "-n", "-r", "22050", "-c", "1", "-b", "16", long, "synth", "100", "pinknoise", "vol", "0.3"], timeLimit: 60)
      guard made.status == 0 else { throw XCTSkip("sox: \(made.stderr)") }
      XCTAssertGreaterThan(readWholeFile(long).count, 4 << 20)
      let second = try Self.sox("s44.\(ext)", in: directory, rate: 44100)
      let path = directory + "/long-joined.\(ext)"
      try Data(readWholeFile(long) + readWholeFile(second)).write(to: URL(fileURLWithPath: path))
      assertRefusedAsJoined(path, name: ext == "wav" ? "WAV" : "AIFF", at: readWholeFile(long).count)
    }
    let rf64 = directory + "/s.rf64.wav"
    try MadeInputs.ffmpeg(["-i", fixtures + "/speech.flac", "-rf64", "always", rf64])
    let wav = fixtures + "/speech.wav"
    for (name, parts) in [("wav-rf64.wav", [wav, rf64]), ("rf64-wav.wav", [rf64, wav])] {
      let path = directory + "/" + name
      try Data(parts.flatMap(readWholeFile)).write(to: URL(fileURLWithPath: path))
      assertRefusedAsJoined(path, name: "WAV", at: readWholeFile(parts[0]).count)
    }
  }
}
