import Foundation
import TestSupport
import XCTest

final class VerifyCommandTests: XCTestCase {
  func testSameSamplesInAnotherContainerPass() throws {
    let result = try audioprep(["verify", fixtures + "/speech.flac", fixtures + "/speech.wav"])
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertTrue(String(decoding: result.stdout, as: UTF8.self).contains("PASS"))
  }

  func testLossyCopyFailsWithFiguresInJSONAndPassesOnSNR() throws {
    let result = try audioprep(["verify", fixtures + "/speech.ogg", fixtures + "/speech.wav", "--json"])
    XCTAssertEqual(result.status, 1)
    let object = try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    XCTAssertEqual(object["pass"] as? Bool, false)
    XCTAssertEqual(object["golden_frames"] as? Int, 79517)
    let snr = try XCTUnwrap(object["snr_db"] as? Double)
    XCTAssertGreaterThan(snr, 10)
    XCTAssertEqual(try audioprep(["verify", fixtures + "/speech.ogg", fixtures + "/speech.wav", "--snr-min", "10"]).status, 0)
  }

  func testMismatchedRateIs65AndMissingFileIs66() throws {
    let mismatch = try audioprep(["verify", fixtures + "/speech.wav", fixtures + "/mono16k.wav"])
    XCTAssertEqual(mismatch.status, 65)
    XCTAssertEqual(mismatch.stderrLines.count, 1)
    XCTAssertTrue(mismatch.stderr.contains("22050 Hz"), mismatch.stderr)
    XCTAssertEqual(try audioprep(["verify", fixtures + "/speech.wav", "/nonexistent.wav"]).status, 66)
  }

  /// `process --golden` runs the chain and compares in one step, writing nothing without -o.
  func testProcessAgainstGolden() throws {
    let directory = try scratchDirectory(self)
    let golden = directory + "/golden.wav"
    XCTAssertEqual(try audioprep([fixtures + "/speech.flac", "-o", golden, "--quiet"]).status, 0)
    let same = try audioprep([fixtures + "/speech.wav", "--golden", golden], in: directory)
    XCTAssertEqual(same.status, 0, same.stderr)
    let louder = try audioprep([fixtures + "/speech.wav", "--golden", golden, "--gain", "1.6", "--quiet"], in: directory)
    XCTAssertEqual(louder.status, 1)
    XCTAssertTrue(String(decoding: louder.stdout, as: UTF8.self).contains("FAIL"))
    XCTAssertEqual(directoryListing(directory), ["golden.wav"])
  }
}
