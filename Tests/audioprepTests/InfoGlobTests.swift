import Foundation
import TestSupport
import XCTest

/// Issue 21: `info corpus/*` (a glob: several files) skips transcripts and other non-audio
/// files, saying how many, instead of an error each and exit 65. One file is still an error.
final class InfoGlobTests: XCTestCase {
  func testAGlobSkipsFilesThatAreNotAudioAndSaysHowMany() throws {
    let directory = try scratchDirectory(self)
    try FileManager.default.copyItem(atPath: fixtures + "/mono16k.wav", toPath: directory + "/a.wav")
    try Data("a transcript\n".utf8).write(to: URL(fileURLWithPath: directory + "/a.txt"))
    try Data("not audio at all".utf8).write(to: URL(fileURLWithPath: directory + "/notes.foo"))
    let result = try audioprep(["info", "a.txt", "a.wav", "notes.foo"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stderrLines, ["audioprep: info: 2 of 3 files skipped: not audio (a.txt, notes.foo)"])
    XCTAssertTrue(String(decoding: result.stdout, as: UTF8.self).hasPrefix("a.wav: WAV"))

    // A damaged file with an audio extension is still an error, and so is a lone transcript.
    try Data("RIFF broken".utf8).write(to: URL(fileURLWithPath: directory + "/b.wav"))
    let damaged = try audioprep(["info", "a.txt", "a.wav", "b.wav"], in: directory)
    XCTAssertEqual(damaged.status, 65, damaged.stderr)
    XCTAssertTrue(damaged.stderr.contains("audioprep: b.wav: "), damaged.stderr)
    XCTAssertEqual(try audioprep(["info", "a.txt"], in: directory).status, 65)
    // Only files that are not audio: nothing described is an error with one line (it exited 0).
    let none = try audioprep(["info", "a.txt", "notes.foo"], in: directory)
    XCTAssertEqual(none.status, 65, none.stderr)
    XCTAssertEqual(none.stderrLines, ["audioprep: info: none of the 2 files is audio (a.txt, notes.foo); nothing to describe"])
  }

  /// A directory inside another, or given again (`info c ./c`, `info c c/spk1`), is described
  /// once: its files were counted twice, and the hours with them (review33m W5).
  func testADirectoryInsideAnotherIsCountedOnce() throws {
    let directory = try scratchDirectory(self)
    try FileManager.default.createDirectory(atPath: directory + "/c/spk1", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: fixtures + "/mono16k.wav", toPath: directory + "/c/b.wav")
    try FileManager.default.copyItem(atPath: fixtures + "/mono16k.wav", toPath: directory + "/c/spk1/a.wav")
    // A file below a directory given too is described once (review33p W1).
    for arguments in [["c"], ["c", "./c"], ["c", "c/spk1"], ["c/spk1", "c"], ["c", "c"], ["c", "c/spk1/a.wav"]] {
      let result = try audioprep(["info"] + arguments, in: directory)
      XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)")
      let lines = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n")
      XCTAssertEqual(lines.count, 3, "\(arguments): \(lines)")
      XCTAssertTrue(lines.last?.hasPrefix("total: 2 files,") == true, "\(arguments): \(lines)")
    }
  }

  /// Headerless samples (a .raw name, standard input) are said to be so, and how process reads
  /// them; FFmpeg's guess ("image2 sequence without an audio stream") said nothing (review33h W9).
  func testRawSamplesAreSaidToHaveNoHeader() throws {
    let directory = try scratchDirectory(self)
    try Data((0..<3200).map { UInt8(truncatingIfNeeded: $0 &* 37) }).write(to: URL(fileURLWithPath: directory + "/take.raw"))
    let result = try audioprep(["info", "take.raw"], in: directory)
    XCTAssertEqual(result.status, 65, result.stderr)
    XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
    XCTAssertTrue(result.stderr.hasPrefix("audioprep: take.raw: no header to describe (raw samples?)") && result.stderr.contains("--in-rate"), result.stderr)
  }

  /// The totals' seconds are a sum without float noise (review33r C1: 26.639999999999997).
  func testTotalSecondsHaveNoFloatNoise() throws {
    let directory = try scratchDirectory(self)
    try FileManager.default.createDirectory(atPath: directory + "/c", withIntermediateDirectories: true)
    try ManifestExportTestsData.wav(frames: 1600).write(to: URL(fileURLWithPath: directory + "/c/a.wav"))
    try ManifestExportTestsData.wav(frames: 3200).write(to: URL(fileURLWithPath: directory + "/c/b.wav"))
    let result = try audioprep(["info", "c", "--json"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertTrue(String(decoding: result.stdout, as: UTF8.self).contains("\"seconds\":0.3,"), String(decoding: result.stdout, as: UTF8.self))
  }
}

/// A 16-bit mono PCM WAV at 16 kHz of `frames` silent frames.
enum ManifestExportTestsData {
  static func wav(frames: Int) -> Data {
    var data = Data("RIFF".utf8)
    let append = { (value: UInt32, bytes: Int) in withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0.prefix(bytes)) } }
    append(UInt32(36 + frames * 2), 4)
    data.append(contentsOf: Array("WAVEfmt ".utf8))
    append(16, 4); append(1, 2); append(1, 2); append(16000, 4); append(32000, 4); append(2, 2); append(16, 2)
    data.append(contentsOf: Array("data".utf8))
    append(UInt32(frames * 2), 4)
    data.append(Data(count: frames * 2))
    return data
  }
}
