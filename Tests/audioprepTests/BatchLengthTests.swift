import Foundation
import TestSupport
import XCTest

/// What batch does by an input's length: `--min-duration`/`--max-duration` skip it (a `skipped`
/// record with its `skip_reason`, left out of exports, resumable), and `--segment-longer-only`
/// writes an input no longer than the window whole, named as without `--segment`.
final class BatchLengthTests: XCTestCase {
  /// in/short.wav (1 s, cut from the speech fixture with sox) and in/long.wav (the fixture, 3.606 s).
  func corpus() throws -> String {
    let directory = try scratchDirectory(self)
    try FileManager.default.createDirectory(atPath: directory + "/in", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: fixtures + "/speech.wav", toPath: directory + "/in/long.wav")
    let sox = try bash("sox '\(fixtures)/speech.wav' in/short.wav trim 0 1", in: directory)
    XCTAssertEqual(sox.status, 0, sox.stderr)
    return directory
  }

  /// The latest manifest record of each relative path.
  func records(_ path: String) throws -> [String: [String: Any]] {
    var latest: [String: [String: Any]] = [:]
    for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
      let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      latest[try XCTUnwrap(object["relative_path"] as? String)] = object
    }
    return latest
  }

  /// NeMo's manifest of a batch: each line's audio file.
  func exported(_ directory: String) throws -> [String] {
    let result = try audioprep(["manifest", "export", "--to", "nemo", "out/manifest.jsonl", "-o", "-", "--quiet"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    return try String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").map {
      let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
      return (try XCTUnwrap(object["audio_filepath"] as? String) as NSString).lastPathComponent
    }.sorted()
  }

  func testInputsOutsideTheDurationLimitsAreSkippedWithTheirReason() throws {
    let directory = try corpus()
    var result = try audioprep(["batch", "in", "--out-dir", "out", "--min-duration", "2s", "--quiet"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    var latest = try records(directory + "/out/manifest.jsonl")
    XCTAssertEqual(latest["short.wav"]?["status"] as? String, "skipped")
    XCTAssertEqual(latest["short.wav"]?["skip_reason"] as? String, "shorter than --min-duration 2s (1.000 s)")
    XCTAssertTrue(latest["short.wav"]?["output"] is NSNull, "\(latest)")
    XCTAssertEqual(latest["long.wav"]?["status"] as? String, "ok")
    XCTAssertNil(latest["long.wav"]?["skip_reason"])
    XCTAssertEqual(directoryListing(directory + "/out").filter { $0.hasSuffix(".wav") }, ["long.wav"])
    XCTAssertEqual(try exported(directory), ["long.wav"])
    // The summary says what was left out in words that parse (the #18 review: "(0 failed, 1
    // skipped by their length ones left out)").
    let summary = try audioprep(["manifest", "export", "--to", "nemo", "out/manifest.jsonl", "-o", "-"], in: directory)
    XCTAssertTrue(summary.stderr.contains("1 input (left out: 0 failed and 1 skipped by their length)"), summary.stderr)

    // A rerun: the short input is skipped again for its length, the long one is up to date.
    result = try audioprep(["batch", "in", "--out-dir", "out", "--min-duration", "2s"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertTrue(result.stderr.contains("0 ok, 2 skipped (1 by their length), 0 failed"), result.stderr)
    latest = try records(directory + "/out/manifest.jsonl")
    XCTAssertEqual(latest["short.wav"]?["skip_reason"] as? String, "shorter than --min-duration 2s (1.000 s)")
    XCTAssertEqual(latest["long.wav"]?["status"] as? String, "skipped")
    XCTAssertNil(latest["long.wav"]?["skip_reason"])
    XCTAssertEqual(try exported(directory), ["long.wav"])

    // Other limits the next run: the short input is processed now, the long one skipped.
    result = try audioprep(["batch", "in", "--out-dir", "out", "--max-duration", "3.5s", "--quiet"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    latest = try records(directory + "/out/manifest.jsonl")
    XCTAssertEqual(latest["short.wav"]?["status"] as? String, "ok")
    XCTAssertEqual(latest["long.wav"]?["skip_reason"] as? String, "longer than --max-duration 3.5s (3.606 s)")
    XCTAssertEqual(try exported(directory), ["short.wav"])

    for arguments in [
      ["--min-duration", "3s", "--max-duration", "1s"], ["--max-duration", "0"], ["--segment-longer-only"],
      ["--utterances", "--segment-longer-only"],
    ] {
      let empty = try scratchDirectory(self)
      result = try audioprep(["batch", directory + "/in", "--out-dir", "out"] + arguments, in: empty)
      XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
      XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, "\(arguments): \(result.stderr)")
      XCTAssertEqual(directoryListing(empty), [], "\(arguments)")
    }
  }

  func testSegmentLongerOnlyWritesAShortInputWholeUnderItsOwnName() throws {
    let directory = try corpus()
    // What the short input becomes without --segment.
    var result = try audioprep(["batch", "in", "--out-dir", "plain", "--quiet"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    let plain = try Data(contentsOf: URL(fileURLWithPath: directory + "/plain/short.wav"))

    let arguments = ["batch", "in", "--out-dir", "out", "--segment", "2s", "--segment-longer-only", "--quiet"]
    result = try audioprep(arguments, in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(
      directoryListing(directory + "/out").filter { !$0.hasPrefix("manifest") },
      ["long.segments.jsonl", "long_0000.wav", "long_0001.wav", "short.wav"])
    XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: directory + "/out/short.wav")), plain)
    var latest = try records(directory + "/out/manifest.jsonl")
    XCTAssertEqual(latest["short.wav"]?["kept_whole"] as? Bool, true)
    XCTAssertEqual(latest["short.wav"]?["output"] as? String, "out/short.wav")
    XCTAssertNil(latest["long.wav"]?["kept_whole"])
    XCTAssertEqual(latest["long.wav"]?["output"] as? String, "out/long.segments.jsonl")
    XCTAssertEqual(try exported(directory), ["long_0000.wav", "long_0001.wav", "short.wav"])

    // A rerun finds both up to date.
    result = try audioprep(Array(arguments.dropLast()), in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertTrue(result.stderr.contains("0 ok, 2 skipped, 0 failed"), result.stderr)
    latest = try records(directory + "/out/manifest.jsonl")
    XCTAssertEqual(latest["short.wav"]?["kept_whole"] as? Bool, true)
    XCTAssertEqual(latest["short.wav"]?["output"] as? String, "out/short.wav")
    XCTAssertEqual(try exported(directory), ["long_0000.wav", "long_0001.wav", "short.wav"])

    // A short input named as another's segment (long_0000.wav beside long.wav) is not written
    // over it (nor it over the short one's whole file): it fails, naming both.
    try FileManager.default.copyItem(atPath: directory + "/in/short.wav", toPath: directory + "/in/long_0000.wav")
    let segment = try Data(contentsOf: URL(fileURLWithPath: directory + "/out/long_0000.wav"))
    result = try audioprep(arguments, in: directory)
    XCTAssertEqual(result.status, 65, result.stderr)
    XCTAssertTrue(
      result.stderr.contains("in/long_0000.wav: its whole output out/long_0000.wav has the name of a segment of in/long.wav"),
      result.stderr)
    XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: directory + "/out/long_0000.wav")), segment)
    // Its record names the output refused, not a sidecar never planned (#18 review D5).
    latest = try records(directory + "/out/manifest.jsonl")
    XCTAssertEqual(latest["long_0000.wav"]?["status"] as? String, "failed")
    XCTAssertEqual(latest["long_0000.wav"]?["output"] as? String, "out/long_0000.wav")
    try FileManager.default.removeItem(atPath: directory + "/in/long_0000.wav")

    // Without the option, as before: every input is cut, a short one into NAME_0000.wav.
    result = try audioprep(["batch", "in", "--out-dir", "cut", "--segment", "2s", "--quiet"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertTrue(directoryListing(directory + "/cut").contains("short_0000.wav"))
  }
}
