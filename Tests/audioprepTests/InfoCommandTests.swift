import Foundation
import TestSupport
import XCTest

final class InfoCommandTests: XCTestCase {
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
