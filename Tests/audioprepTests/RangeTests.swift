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

  /// The range is taken first and then cut (`--segment`, `--at-pauses`, `--utterances`): each
  /// segment holds the whole output's samples where its sidecar line says, and the sidecar counts
  /// in the source's timeline (from a file, from standard input, in batch).
  func testARangeCutIntoSegmentsIsTheWholeOutputsSamplesInTheSourcesTimeline() throws {
    let directory = try scratchDirectory(self)
    let input = fixtures + "/speech.flac"
    let raw = ["--format", "raw", "--encoding", "f32", "--quiet"]
    var result = try audioprep([input, "-o", "whole.f32"] + raw, in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    let whole = try floats(atPath: directory + "/whole.f32")
    /// Each segment of the sidecar at `list` against the whole output; returns (start, frames).
    func check(_ list: String, _ context: String) throws -> [(Int, Int)] {
      var found: [(Int, Int)] = []
      for line in try String(contentsOfFile: directory + "/" + list, encoding: .utf8).split(separator: "\n") {
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let start = try XCTUnwrap(object["start_frame"] as? Int), frames = try XCTUnwrap(object["frames"] as? Int)
        let file = PathNameForTests.directory(of: list) + (try XCTUnwrap(object["file"] as? String))
        XCTAssertEqual(try floats(atPath: directory + "/" + file), Array(whole[start..<(start + frames)]), "\(context): \(file)")
        XCTAssertEqual(try XCTUnwrap(object["start_seconds"] as? Double), Double(start) / 16000, accuracy: 1e-9, context)
        found.append((start, frames))
      }
      return found
    }
    let range = ["--start", "0.5s", "--end", "3.2s"]
    result = try audioprep([input, "-o", "s_%02d.f32", "--segment", "1s"] + range + raw, in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    let fixed = try check("speech.segments.jsonl", "--segment 1s")
    XCTAssertEqual(fixed.map(\.0), [8000, 24000, 40000])
    XCTAssertEqual(fixed.map(\.1), [16000, 16000, 11200])

    try FileManager.default.createDirectory(atPath: directory + "/p", withIntermediateDirectories: true)
    result = try audioprep([input, "-o", "p/w_%02d.f32", "--segment", "1s", "--at-pauses"] + range + raw, in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    let windows = try check("p/speech.segments.jsonl", "--at-pauses")
    XCTAssertEqual(windows.first?.0, 8000)
    XCTAssertEqual(windows.reduce(8000) { $0 == $1.0 ? $1.0 + $1.1 : -1 }, 51200, "\(windows)")  // contiguous, to the end

    try FileManager.default.createDirectory(atPath: directory + "/u", withIntermediateDirectories: true)
    result = try audioprep([input, "-o", "u/u_%02d.f32", "--utterances", "--start", "1s"] + raw, in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    let utterances = try check("u/speech.segments.jsonl", "--utterances")
    XCTAssertFalse(utterances.isEmpty)
    XCTAssertTrue(utterances.allSatisfy { $0.0 >= 16000 }, "\(utterances)")

    try FileManager.default.createDirectory(atPath: directory + "/i", withIntermediateDirectories: true)
    result = try audioprep(
      ["-", "-o", "i/s_%02d.f32", "--segment", "1s"] + range + raw, in: directory,
      stdin: try Data(contentsOf: URL(fileURLWithPath: input)))
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(try check("i/segments.jsonl", "standard input").map(\.0), [8000, 24000, 40000])

    try FileManager.default.createDirectory(atPath: directory + "/in", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: input, toPath: directory + "/in/talk.flac")
    result = try audioprep(["batch", "in", "--out-dir", "out", "--segment", "1s"] + range + raw, in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(try check("out/talk.segments.jsonl", "batch").map(\.0), [8000, 24000, 40000])
  }

  /// A ranged batch records the frames it wrote, not the whole stream's: `output_frames` was
  /// 57700 for a 25700-frame file, and every export gave the whole input's duration. The same
  /// for an input a `--segment-longer-only` batch keeps whole (its range fits the window).
  func testABatchRecordsTheRangesLengthAndExportsIt() throws {
    let directory = try scratchDirectory(self)
    try FileManager.default.createDirectory(atPath: directory + "/in", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: fixtures + "/speech.wav", toPath: directory + "/in/talk.wav")
    for (name, options) in [("plain", [String]()), ("whole", ["--segment", "2s", "--segment-longer-only"])] {
      var result = try audioprep(["batch", "in", "--out-dir", name, "--start", "2s", "-q"] + options, in: directory)
      XCTAssertEqual(result.status, 0, result.stderr)
      let record = try XCTUnwrap(
        JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(name)/manifest.jsonl"))) as? [String: Any])
      XCTAssertEqual(record["output_frames"] as? Int, 25700, name)  // 57700 - 32000
      result = try audioprep(["manifest", "export", "--to", "kaldi", "\(name)/manifest.jsonl", "-o", "k-\(name)", "-q"], in: directory)
      XCTAssertEqual(result.status, 0, result.stderr)
      XCTAssertEqual(try String(contentsOfFile: "\(directory)/k-\(name)/utt2dur", encoding: .utf8), "talk 1.60625\n", name)
    }
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
    for options in [["--start", "2s", "--end", "1s"], ["--end", "2s", "--duration", "1s"], ["--start", "1s", "--trim-silence", "-o", "t.wav"]] {
      let directory = try scratchDirectory(self)
      let result = try audioprep([fixtures + "/speech.wav"] + options, in: directory)
      XCTAssertEqual(result.status, 64, "\(options)")
      XCTAssertEqual(directoryListing(directory), [])
    }
  }
}

/// The directory part of a relative path, with its slash ("" for a bare name).
enum PathNameForTests {
  static func directory(of path: String) -> String {
    path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
  }
}

extension RangeTests {
  /// review37b V4, review39 F10: `--duration 1s` (`--end 1s`) on standard input that never ends
  /// (a microphone, /dev/zero) wrote the second and then read on for ever. A range's end ends the
  /// run once the chain has what it needs past it (sox's `trim 0 1` stops so): the range's frames,
  /// exit 0. (The samples are the whole output's there: `testRangesAreSlicesOfTheWholeOutput`.)
  func testARangeOfAnEndlessStandardInputEnds() throws {
    let directory = try scratchDirectory(self)
    for (options, rate) in [(["--duration", "1s"], "16000"), (["--start", "0.5s", "--end", "1.5s"], "48000")] {
      let result = try spawn(
        audioprepPath, ["-", "--in-rate", rate, "--in-channels", "1", "--in-encoding", "s16", "-o", directory + "/out.f32", "--format", "raw", "--encoding", "f32", "--force"] + options,
        stdinPath: "/dev/zero", timeLimit: 60)
      XCTAssertFalse(result.timedOut, "\(options): still reading after 60 s")
      XCTAssertEqual(result.status, 0, "\(options): \(result.stderr)")
      XCTAssertEqual((try? Data(contentsOf: URL(fileURLWithPath: directory + "/out.f32")))?.count, 16000 * 4, "\(options)")
    }
  }
}
