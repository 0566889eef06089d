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
