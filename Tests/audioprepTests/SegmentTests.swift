import Foundation
import XCTest

final class SegmentTests: XCTestCase {
  func testThirtySecondStyleSegmentsWithSidecar() throws {
    let directory = try scratchDirectory(self)
    let result = try audioprep([fixtures + "/speech.flac", "-o", "part_%02d.flac", "--segment", "1.5s", "--pad", "--quiet"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(directoryListing(directory), ["part_00.flac", "part_01.flac", "part_02.flac", "segments.jsonl"])
    let lines = try String(contentsOfFile: directory + "/segments.jsonl", encoding: .utf8).split(separator: "\n")
    let objects = try lines.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    XCTAssertEqual(objects.map { $0["start_seconds"] as? Double }, [0, 1.5, 3])
    XCTAssertEqual(objects.map { $0["frames"] as? Int }, [24000, 24000, 24000])
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
