import Foundation
import TestSupport
import XCTest

final class InfoCommandTests: XCTestCase {
  /// A corpus survey flags a file cut short (review21e 20: `info --levels DIR` printed its
  /// decoded length with no warning; `info FILE` warned): on its line and in the totals.
  func testADirectorySurveyWithLevelsFlagsATruncatedFile() throws {
    let directory = try scratchDirectory(self)
    let wav = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/speech.wav"))
    try wav.prefix(5000).write(to: URL(fileURLWithPath: directory + "/trunc.wav"))
    try wav.write(to: URL(fileURLWithPath: directory + "/whole.wav"))
    let result = try audioprep(["info", "--levels", directory])
    let lines = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
    XCTAssertTrue(lines.contains { $0.hasPrefix(directory + "/trunc.wav: ") && $0.contains("; warning: truncated: the header announces") }, "\(lines)")
    XCTAssertFalse(lines.contains { $0.hasPrefix(directory + "/whole.wav: ") && $0.contains("warning") }, "\(lines)")
    XCTAssertTrue(lines.last?.contains("; 1 truncated or damaged (\(directory)/trunc.wav);") == true, "\(lines)")
    let json = try audioprep(["info", "--levels", "--json", directory])
    XCTAssertTrue(String(decoding: json.stdout, as: UTF8.self).contains("\"truncated\":[\"\(directory)/trunc.wav\"]"))
  }

  /// Without --levels too: the survey reads only headers, and a PCM file's header says how
  /// many frames it announces where its bytes hold fewer (review21e 20: `info DIR` printed
  /// "2478 frames" with no word, where `info FILE` and `process` warned).
  func testADirectorySurveyFlagsAFileItsHeaderSaysIsCutShort() throws {
    let directory = try scratchDirectory(self)
    let wav = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/speech.wav"))
    try wav.prefix(5000).write(to: URL(fileURLWithPath: directory + "/trunc.wav"))
    try wav.write(to: URL(fileURLWithPath: directory + "/whole.wav"))
    let result = try audioprep(["info", directory])
    XCTAssertEqual(result.status, 0, result.stderr)
    let lines = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
    XCTAssertTrue(
      lines.contains { $0.hasPrefix(directory + "/trunc.wav: ") && $0.hasSuffix("; warning: truncated: the header announces 79517 frames, the input holds 2478") },
      "\(lines)")
    XCTAssertFalse(lines.contains { $0.hasPrefix(directory + "/whole.wav: ") && $0.contains("warning") }, "\(lines)")
    XCTAssertTrue(lines.last?.contains("; 1 truncated or damaged (\(directory)/trunc.wav);") == true, "\(lines)")
    let json = try audioprep(["info", "--json", directory])
    XCTAssertTrue(String(decoding: json.stdout, as: UTF8.self).contains("\"truncated\":[\"\(directory)/trunc.wav\"]"))
  }

  /// stereo44k.wav is two sines at -6 dB (sox `gain -6`): peak -6.02 dBFS, RMS 3.01 dB lower.
  func testLevelsLengthAndChainOfAStereoFile() throws {
    let result = try audioprep(["info", fixtures + "/stereo44k.wav", "--json"])
    XCTAssertEqual(result.status, 0, result.stderr)
    let object = try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    XCTAssertEqual(object["frames"] as? Int, 88200)
    XCTAssertEqual(object["channels"] as? Int, 2)
    XCTAssertEqual(try XCTUnwrap(object["peak_dbfs"] as? Double), -6.02, accuracy: 0.05)
    XCTAssertEqual(try XCTUnwrap(object["rms_dbfs"] as? Double), -9.03, accuracy: 0.05)
    let chain = try XCTUnwrap(object["chain"] as? [String])
    XCTAssertEqual(chain.map { String($0.prefix { $0 != ":" }) }, ["downmix", "resample", "highpass", "gain"])
    let output = try XCTUnwrap(object["output"] as? [String: Any])
    XCTAssertEqual(output["frames"] as? Int, 32000)
  }

  func testNothingToResampleAt16kAndOptionsShapeTheChain() throws {
    let result = try audioprep(["info", fixtures + "/mono16k.wav", "--highpass", "0", "--gain", "1"])
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertTrue(String(decoding: result.stdout, as: UTF8.self).contains("nothing to do"))
  }

  func testMissingFileStillDescribesTheOthers() throws {
    let result = try audioprep(["info", "/nonexistent.wav", fixtures + "/speech.wav"])
    XCTAssertEqual(result.status, 66)
    XCTAssertEqual(result.stderrLines.count, 1)
    XCTAssertTrue(String(decoding: result.stdout, as: UTF8.self).contains("22050 Hz"))
  }
}

extension InfoCommandTests {
  /// `info` says the damage `process` warns about, in the same words: a line of the text, and
  /// `truncation` in the JSON (the manifest's name for it), for a file and standard input; an
  /// intact file has neither. (info printed the shorter length and nothing else.)
  func testInfoSaysWhatProcessWarnsAbout() throws {
    let directory = try scratchDirectory(self)
    let half = directory + "/half.wav"
    try Data(readWholeFile(fixtures + "/speech.wav").prefix(80000)).write(to: URL(fileURLWithPath: half))
    var hole = readWholeFile(fixtures + "/speech.flac")
    hole.replaceSubrange(60000..<60064, with: repeatElement(0, count: 64))
    let damaged = directory + "/hole.flac"
    try Data(hole).write(to: URL(fileURLWithPath: damaged))
    for path in [half, damaged] {
      for viaStdin in [false, true] {
        let name = viaStdin ? "-" : path
        let stdin = viaStdin ? Data(readWholeFile(path)) : nil
        let processed = try audioprep([name, "-o", directory + "/out.wav", "--force"], stdin: stdin)
        XCTAssertEqual(processed.status, 0, processed.stderr)
        let line = try XCTUnwrap(processed.stderrLines.first { $0.contains("; kept what is there") }, processed.stderr)
        let warning = String(line.dropFirst("audioprep: \(name): ".count).dropLast("; kept what is there".count))
        let text = try audioprep(["info", name], stdin: stdin)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(String(decoding: text.stdout, as: UTF8.self).contains("  warning: \(warning)"), "\(name): \(String(decoding: text.stdout, as: UTF8.self))")
        let json = try audioprep(["info", name, "--json"], stdin: stdin)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        XCTAssertEqual(object["truncation"] as? String, warning, name)
      }
    }
    let intact = try audioprep(["info", fixtures + "/speech.flac", "--json"])
    let object = try XCTUnwrap(JSONSerialization.jsonObject(with: intact.stdout) as? [String: Any])
    XCTAssertNil(object["truncation"])
  }
}
