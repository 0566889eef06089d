import Foundation
import TestSupport
import XCTest

/// `--start`, `--end`, `--duration`: the output is the same range cut from the whole output,
/// exact to the sample (raw f32 compared bit for bit), from a file, from standard input, in batch.
final class RangeTests: XCTestCase {
  func floats(_ data: Data) -> [Float] {
    data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
  }

  func floats(atPath path: String) throws -> [Float] { floats(try Data(contentsOf: URL(fileURLWithPath: path))) }

  func testRangesAreSlicesOfTheWholeOutput() throws {
    let directory = try scratchDirectory(self)
    let input = fixtures + "/speech.flac"
    let raw = ["--format", "raw", "--encoding", "f32", "--quiet"]
    var result = try audioprep([input, "-o", "whole.f32"] + raw, in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    let whole = try floats(atPath: directory + "/whole.f32")
    XCTAssertEqual(whole.count, 57700)
    let stdin = try Data(contentsOf: URL(fileURLWithPath: input))
    // (options, first frame, end frame) at 16 kHz, bounds rounded to the nearest frame.
    let cases: [([String], Int, Int)] = [
      (["--start", "1.2345s", "--end", "3s"], 19752, 48000),
      (["--start", "500ms", "--duration", "0.25s"], 8000, 12000),
      (["--end", "1s"], 0, 16000),
      (["--start", "3.5s"], 56000, 57700),
      (["--start", "10s"], 57700, 57700),
    ]
    for (index, (options, from, to)) in cases.enumerated() {
      result = try audioprep([input, "-o", "part\(index).f32"] + raw + options, in: directory)
      XCTAssertEqual(result.status, 0, result.stderr)
      XCTAssertEqual(try floats(atPath: directory + "/part\(index).f32"), Array(whole[from..<to]), "\(options) from a file")
      result = try audioprep(["-", "-o", "-"] + raw + options, in: directory, stdin: stdin)
      XCTAssertEqual(result.status, 0, result.stderr)
      XCTAssertEqual(floats(result.stdout), Array(whole[from..<to]), "\(options) from standard input")
    }
    // batch: the same range of every input.
    try FileManager.default.createDirectory(atPath: directory + "/in", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: input, toPath: directory + "/in/talk.flac")
    result = try audioprep(["batch", "in", "--out-dir", "out", "--start", "1.2345s", "--end", "3s"] + raw, in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(try floats(atPath: directory + "/out/talk.raw"), Array(whole[19752..<48000]))
  }

  /// A WAV on standard output announces the range's length, not the whole input's.
  func testAWAVOnStandardOutputAnnouncesTheRangesLength() throws {
    let result = try audioprep(
      [fixtures + "/speech.wav", "-o", "-", "--format", "wav", "--start", "1s", "--duration", "1s"], in: try scratchDirectory(self))
    XCTAssertEqual(result.status, 0)
    let bytes = [UInt8](result.stdout)
    let dataSize = bytes[40..<44].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    XCTAssertEqual(dataSize, 16000 * 2)
    XCTAssertEqual(bytes.count, 44 + 16000 * 2)
  }

  /// --start past the end of the input wrote an empty WAV silently (#21 hostile review): a
  /// warning names the input, and the output is still what was asked for.
  func testAStartPastTheEndIsWarnedAboutNamingTheInput() throws {
    let directory = try scratchDirectory(self)
    let result = try audioprep([fixtures + "/speech.wav", "-o", "late.wav", "--start", "1h"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
    XCTAssertTrue(result.stderr.hasPrefix("audioprep: \(fixtures)/speech.wav: --start 3600s is at or past the end of the input ("), result.stderr)
  }

  func testRangesThatCannotBeAreUsageErrors() throws {
    for options in [["--start", "2s", "--end", "1s"], ["--end", "2s", "--duration", "1s"], ["--start", "1s", "--segment", "1s", "-o", "s_%d.wav"]] {
      let directory = try scratchDirectory(self)
      let result = try audioprep([fixtures + "/speech.wav"] + options, in: directory)
      XCTAssertEqual(result.status, 64, "\(options)")
      XCTAssertEqual(directoryListing(directory), [])
    }
  }
}
