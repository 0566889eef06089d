import Foundation
import TestSupport
import XCTest

final class SegmentTests: XCTestCase {
  func testThirtySecondStyleSegmentsWithSidecar() throws {
    let directory = try scratchDirectory(self)
    let result = try audioprep([fixtures + "/speech.flac", "-o", "part_%02d.flac", "--segment", "1.5s", "--pad", "--quiet"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(directoryListing(directory), ["part_00.flac", "part_01.flac", "part_02.flac", "speech.segments.jsonl"])
    let lines = try String(contentsOfFile: directory + "/speech.segments.jsonl", encoding: .utf8).split(separator: "\n")
    let objects = try lines.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    XCTAssertEqual(objects.map { $0["start_seconds"] as? Double }, [0, 1.5, 3])
    XCTAssertEqual(objects.map { $0["frames"] as? Int }, [24000, 24000, 24000])
    // #10: the padded last segment ends where the source does (3.606 s, 57700 frames at 16 kHz).
    XCTAssertEqual(objects.map { $0["end_seconds"] as? Double }, [1.5, 3, 57700.0 / 16000])
  }

  /// #10: two inputs segmented into one folder each get their own sidecar, STEM.segments.jsonl.
  func testTwoInputsIntoOneFolderKeepTheirOwnSidecars() throws {
    let directory = try scratchDirectory(self)
    for (input, pattern) in [("speech.flac", "a_%02d.wav"), ("mono16k.wav", "b_%02d.wav")] {
      let result = try audioprep([fixtures + "/" + input, "-o", pattern, "--segment", "1s", "--quiet"], in: directory)
      XCTAssertEqual(result.status, 0, result.stderr)
    }
    XCTAssertTrue(directoryListing(directory).contains("speech.segments.jsonl"))
    XCTAssertTrue(directoryListing(directory).contains("mono16k.segments.jsonl"))
  }

  /// #10: with overlap, a last window lying wholly inside the one before it (no audio of its
  /// own) is not written: 3.606 s in 2 s windows every 1.5 s is [0,2) [1.5,3.5) [3,3.606).
  /// 3.5 s in 2 s windows every 1.5 s is [0,2) [1.5,3.5) only.
  func testNoSegmentLiesWhollyInsideTheOneBeforeIt() throws {
    let directory = try scratchDirectory(self)
    var result = try audioprep(
      [fixtures + "/speech.flac", "-o", "s_%02d.wav", "--segment", "2s", "--segment-overlap", "0.5s", "--quiet"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(directoryListing(directory), ["s_00.wav", "s_01.wav", "s_02.wav", "speech.segments.jsonl"])
    try FileManager.default.createDirectory(atPath: directory + "/t", withIntermediateDirectories: true)
    result = try audioprep(
      ["-", "--in-rate", "16000", "--in-channels", "1", "--in-encoding", "s16", "-o", "t/t_%02d.wav", "--segment", "2s",
       "--segment-overlap", "0.5s", "--quiet"],
      in: directory, stdin: Data(count: 56000 * 2))
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(directoryListing(directory + "/t"), ["segments.jsonl", "t_00.wav", "t_01.wav"])
  }

  /// #10: the sidecar's `file` is relative to the sidecar (not to the working directory), and
  /// `%%` in the directory part is a plain `%`.
  func testSidecarNamesFilesRelativeToItself() throws {
    let directory = try scratchDirectory(self)
    try FileManager.default.createDirectory(atPath: directory + "/100%/x", withIntermediateDirectories: true)
    let result = try audioprep(
      [fixtures + "/speech.flac", "-o", "100%%/x/p_%02d.wav", "--segment", "2s", "--quiet"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(directoryListing(directory + "/100%/x"), ["p_00.wav", "p_01.wav", "speech.segments.jsonl"])
    let lines = try String(contentsOfFile: directory + "/100%/x/speech.segments.jsonl", encoding: .utf8).split(separator: "\n")
    let files = try lines.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["file"] as? String }
    XCTAssertEqual(files, ["p_00.wav", "p_01.wav"])
  }

  /// #10: a usage error leaves no sidecar behind.
  func testAUsageErrorLeavesNoSidecar() throws {
    let directory = try scratchDirectory(self)
    let result = try audioprep([fixtures + "/speech.flac", "-o", "p_%02d.flac", "--segment", "1s", "--encoding", "f32"], in: directory)
    XCTAssertNotEqual(result.status, 0)
    XCTAssertEqual(directoryListing(directory), [])
  }

  func testPatternAndOptionErrorsAreUsageErrors() throws {
    let directory = try scratchDirectory(self)
    for arguments in [
      ["-o", "out.wav", "--segment", "1s"], ["-o", "out_%d_%d.wav", "--segment", "1s"], ["-o", "-", "--segment", "1s"],
      ["-o", "o_%d.wav", "--segment", "1s", "--segment-overlap", "2s"], ["-o", "o_%d.wav", "--segment", "ten"],
      ["-o", "o.wav", "--segment-overlap", "1s"],
    ] {
      let result = try audioprep([fixtures + "/speech.wav"] + arguments, in: directory)
      XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
    }
    XCTAssertEqual(directoryListing(directory), [])
  }
}

extension SegmentTests {
  /// In a batch each input's segments sit beside its sidecar, which is the manifest's output.
  func testBatchWritesSegmentsPerInputAndResumes() throws {
    let directory = try scratchDirectory(self)
    try FileManager.default.createDirectory(atPath: directory + "/in/sub", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: fixtures + "/speech.flac", toPath: directory + "/in/speech.flac")
    try FileManager.default.copyItem(atPath: fixtures + "/stereo44k.wav", toPath: directory + "/in/sub/tone.wav")
    let first = try audioprep(["batch", "in", "--out-dir", "out", "--segment", "1s", "--no-progress"], in: directory)
    XCTAssertEqual(first.status, 0, first.stderr)
    XCTAssertEqual(
      directoryListing(directory + "/out"),
      ["manifest.jsonl", "speech.segments.jsonl", "speech_0000.wav", "speech_0001.wav", "speech_0002.wav", "speech_0003.wav", "sub"])
    XCTAssertEqual(directoryListing(directory + "/out/sub"), ["tone.segments.jsonl", "tone_0000.wav", "tone_0001.wav"])
    let again = try audioprep(["batch", "in", "--out-dir", "out", "--segment", "1s", "--no-progress"], in: directory)
    XCTAssertTrue(again.stderr.contains("2 skipped"), again.stderr)
    let longer = try audioprep(["batch", "in", "--out-dir", "out", "--segment", "2s", "--no-progress"], in: directory)
    XCTAssertTrue(longer.stderr.contains("2 ok"), longer.stderr)
  }
}
