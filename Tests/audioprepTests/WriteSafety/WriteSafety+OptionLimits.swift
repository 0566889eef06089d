import CSndFile
import Foundation
import Glibc
import TestSupport
import XCTest

/// Option limits: values that would overflow, produce NaN/Inf or absurd segments are usage
/// errors before anything is written.
/// Each test failed on the commit before its fix (issue 9 and its reviews, issue 16).
extension WriteSafetyTests {
  /// #9 rule 8: an absurd segment length is a usage error, not a crash.
  func testAbsurdSegmentLengthIsAUsageError() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 0.5, in: directory)
    for length in ["600000000000000s", "1e300s", "99999999999999999999h"] {
      let result = try spawnAudioprep(["in.wav", "--segment", length, "-o", "s_%04d.wav"], in: directory)
      XCTAssertEqual(result.status, 64, "\(length): \(result.summary) \(result.stderr)")
      XCTAssertEqual(directoryListing(directory), ["in.wav"], length)
      try setUpFiles("rm -f segments.jsonl in.segments.jsonl s_*.wav", in: directory)
    }
  }

  /// #9 rule 9: option values that make the chain non-finite are usage errors (64), nothing written.
  func testOptionsThatOverflowAreUsageErrors() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 0.5, in: directory)
    let cases: [[String]] = [
      ["--gain", "1e39", "--encoding", "f32"], ["--q-linear", "1e-320"], ["--q=-1e308"], ["--q", "1e308"],
      ["--highpass", "1e-300"],
    ]
    for options in cases {
      let result = try spawnAudioprep(["in.wav", "-o", "out.wav"] + options, in: directory)
      XCTAssertEqual(result.status, 64, "\(options): \(result.summary) \(result.stderr)")
      XCTAssertEqual(directoryListing(directory), ["in.wav"], "\(options): something was written")
      try setUpFiles("rm -f out.wav", in: directory)
    }
  }

  /// #9 rule 9: no accepted option set produces an f32 output holding NaN or Inf with exit 0.
  func testNoAcceptedOptionsProduceNonFiniteOutput() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 0.5, in: directory)
    let cases: [[String]] = [
      ["--gain", "3e38"], ["--gain", "1e30"], ["--q", "300"], ["--q", "-300"], ["--q-linear", "1e-30"],
      ["--q-linear", "1e30"], ["--highpass", "1e-30"], ["--highpass", "7999.999999"], ["--q-linear", "5e-324"],
    ]
    for options in cases {
      let result = try spawnAudioprep(["in.wav", "-o", "out.wav", "--encoding", "f32", "--force"] + options, in: directory)
      guard result.status == 0 else {
        XCTAssertEqual(result.status, 64, "\(options): \(result.summary) \(result.stderr)")
        continue
      }
      var info = SF_INFO()
      guard let file = sf_open(directory + "/out.wav", Int32(SFM_READ), &info) else {
        XCTFail("\(options): unreadable output")
        continue
      }
      var samples = [Float](repeating: 0, count: Int(info.frames) * Int(info.channels))
      _ = sf_readf_float(file, &samples, info.frames)
      sf_close(file)
      XCTAssertTrue(samples.allSatisfy { $0.isFinite }, "\(options): exit 0 with NaN/Inf in the output")
    }
  }

  /// Segments shorter than a millisecond would be millions of files an hour: a usage error.
  func testASegmentShorterThanAMillisecondIsAUsageError() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 0.1, in: directory)
    for length in ["0.001ms", "0.5ms", "0s"] {
      let result = try spawnAudioprep(["in.wav", "--segment", length, "-o", "s_%04d.wav"], in: directory)
      XCTAssertEqual(result.status, 64, "\(length): \(result.summary) \(result.stderr)")
    }
    XCTAssertEqual(directoryListing(directory), ["in.wav"])
  }
}
