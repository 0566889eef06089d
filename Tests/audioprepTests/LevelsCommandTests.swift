import Foundation
import TestSupport
import XCTest

/// The command line of issue 20's levels: `info`'s loudness fields, `--loudness`/`--peak`
/// refused where a first pass cannot be made, and batch's `--measure-loudness` fields.
final class LevelsCommandTests: XCTestCase {
  func testInfoJSONCarriesLoudnessAndTheClipPrediction() throws {
    let result = try audioprep(["info", fixtures + "/speech.flac", "--json"])
    XCTAssertEqual(result.status, 0, result.stderr)
    let object = try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    for key in ["integrated_lufs", "range_lu", "true_peak_dbtp", "sample_peak_dbfs"] { XCTAssertNotNil(object[key] as? Double, key) }
    let output = try XCTUnwrap(object["output"] as? [String: Any])
    // What the default chain's ×1.5 does to this file: 9 samples clipped (the run counts 9).
    XCTAssertEqual(output["clips"] as? Bool, true)
    XCTAssertEqual(output["clipped_samples"] as? Int, 9)
    XCTAssertEqual(try XCTUnwrap(output["headroom_lacking_db"] as? Double), 0.85, accuracy: 0.01)
    let quieter = try audioprep(["info", fixtures + "/speech.flac", "--json", "--gain", "-3dB"])
    let quieterOutput = try XCTUnwrap((JSONSerialization.jsonObject(with: quieter.stdout) as? [String: Any])?["output"] as? [String: Any])
    XCTAssertEqual(quieterOutput["clips"] as? Bool, false)
  }

  /// Standard input, live mode and a fixed gain cannot go with a first pass: 64, one line, and
  /// nothing written. (Standard input is given empty: audioprep refuses it before reading.)
  /// Below 4 kHz BS.1770's K-weighting (a shelf at 1.68 kHz) is not defined: loudness is "not
  /// measured" there, in info, in batch records and in --stats, and normalising to it is a usage
  /// error (64). At 1–3 kHz every one of these crashed (SIGILL, a NaN turned into an Int), and
  /// a crashing input stopped a whole batch (#20, found by a hostile review).
  func testLoudnessBelowFourKilohertzIsNotMeasuredAndNeverCrashes() throws {
    let directory = try scratchDirectory(self)
    let made = try spawn("/usr/bin/env", ["sox", fixtures + "/speech.wav", "-r", "2000", directory + "/low.wav"])
    XCTAssertEqual(made.status, 0, made.stderr)
    for arguments in [
      ["info", "low.wav"], ["info", "low.wav", "--json"], ["info", fixtures + "/speech.wav", "--rate", "2000"],
      ["info", fixtures + "/speech.wav", "--rate", "3k", "--json"],
      ["batch", "low.wav", "--out-dir", "o", "--measure-loudness", "--no-progress"],
      ["batch", fixtures + "/speech.wav", "--out-dir", "o2", "--rate", "2000", "--measure-loudness", "--no-progress"],
    ] {
      let result = try audioprep(arguments, in: directory)
      XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr.prefix(300))")
    }
    for arguments in [
      [fixtures + "/speech.wav", "-o", "x.wav", "--rate", "2000", "--loudness", "-23"],
      [fixtures + "/speech.wav", "-o", "y.wav", "--rate", "3000", "--peak", "-1"],
      ["info", fixtures + "/speech.wav", "--rate", "2000", "--loudness", "-23"],
    ] {
      let result = try audioprep(arguments, in: directory)
      XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr.prefix(300))")
      XCTAssertEqual(result.stderrLines.count, 1, "\(arguments): \(result.stderr.prefix(300))")
    }
  }

  func testWhereAFirstPassCannotBeMadeItIsAUsageError() throws {
    let directory = try scratchDirectory(self)
    for (arguments, stdin) in [
      (["-", "--loudness", "-23", "-o", directory + "/out.wav"], Data()),
      (["-", "--peak", "-1", "-o", "-"], Data()),
      ([fixtures + "/speech.wav", "--loudness", "-23", "--live", "-o", directory + "/out.wav"], nil),
      ([fixtures + "/speech.wav", "--loudness", "-23", "--gain", "2", "-o", directory + "/out.wav"], nil),
      ([fixtures + "/speech.wav", "--true-peak", "-2", "-o", directory + "/out.wav"], nil),
      (["batch", fixtures + "/speech.wav", "--out-dir", directory + "/batch", "--peak", "-1", "--live"], nil),
      (["response", "--loudness", "-23", "--csv", "-"], nil),
    ] as [([String], Data?)] {
      let result = try audioprep(arguments, stdin: stdin)
      XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
      XCTAssertEqual(result.stderrLines.count, 1, "\(arguments): \(result.stderr)")
      XCTAssertTrue(result.stdout.isEmpty, "\(arguments)")
      XCTAssertEqual(directoryListing(directory), [], "\(arguments)")
    }
  }

  func testTheShortfallIsReportedOnStandardErrorAndInStatsJSON() throws {
    let directory = try scratchDirectory(self)
    let result = try audioprep([
      fixtures + "/speech.flac", "-o", directory + "/out.wav", "--loudness", "-10", "--stats-json", directory + "/stats.json",
    ])
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
    XCTAssertTrue(result.stderr.contains("not reached"), result.stderr)
    let stats = try XCTUnwrap(
      JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/stats.json"))) as? [String: Any])
    let normalization = try XCTUnwrap(stats["normalization"] as? [String: Any])
    XCTAssertEqual(normalization["reached"] as? Bool, false)
    XCTAssertGreaterThan(try XCTUnwrap(normalization["shortfall_db"] as? Double), 5)
    XCTAssertEqual(try XCTUnwrap((normalization["expected"] as? [String: Any])?["true_peak_dbtp"] as? Double), -1, accuracy: 1e-9)
  }

  func testBatchRecordsLoudnessOnlyWhenAsked() throws {
    let directory = try scratchDirectory(self)
    let plain = try audioprep(["batch", fixtures + "/speech.wav", "--out-dir", directory + "/plain", "-q"])
    XCTAssertEqual(plain.status, 0, plain.stderr)
    let plainLine = try String(contentsOfFile: directory + "/plain/manifest.jsonl", encoding: .utf8)
    XCTAssertFalse(plainLine.contains("lufs"))
    let measured = try audioprep(["batch", fixtures + "/speech.wav", "--out-dir", directory + "/measured", "-q", "--measure-loudness"])
    XCTAssertEqual(measured.status, 0, measured.stderr)
    let line = try String(contentsOfFile: directory + "/measured/manifest.jsonl", encoding: .utf8)
    let record = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    XCTAssertEqual(try XCTUnwrap(record["input_integrated_lufs"] as? Double), -21.05, accuracy: 0.01)
    XCTAssertNotNil(record["output_true_peak_dbtp"] as? Double)
    // The same samples as without measuring.
    let plainRecord = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(plainLine.utf8)) as? [String: Any])
    XCTAssertEqual(record["output_hash"] as? String, plainRecord["output_hash"] as? String)
  }
}
