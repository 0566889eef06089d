import Foundation
import TestSupport
import XCTest

/// `--denoise` and `--agc` on the command line (#20): the same bytes from a file, from standard
/// input, from batch and from a second run; a batch resumed with them redoes outputs made
/// without them; rates WebRTC does not take and `response` are usage errors (64, one line).
final class DenoiseCommandTests: XCTestCase {
  let options = ["--denoise", "high", "--agc"]

  func testFileStdinBatchAndASecondRunWriteTheSameBytes() throws {
    let directory = try scratchDirectory(self)
    let input = fixtures + "/speech.wav"
    let first = try audioprep([input, "-o", "first.wav"] + options, in: directory)
    XCTAssertEqual(first.status, 0, first.stderr)
    let second = try audioprep([input, "-o", "second.wav"] + options, in: directory)
    XCTAssertEqual(second.status, 0, second.stderr)
    let piped = try audioprep(["-", "-o", "piped.wav"] + options, in: directory, stdin: Data(readWholeFile(input)))
    XCTAssertEqual(piped.status, 0, piped.stderr)
    let plain = try audioprep([input, "-o", "plain.wav"], in: directory)
    XCTAssertEqual(plain.status, 0, plain.stderr)
    let bytes = readWholeFile(directory + "/first.wav")
    XCTAssertTrue(readWholeFile(directory + "/second.wav") == bytes)
    XCTAssertTrue(readWholeFile(directory + "/piped.wav") == bytes)
    XCTAssertFalse(readWholeFile(directory + "/plain.wav") == bytes)
    XCTAssertEqual(readWholeFile(directory + "/plain.wav").count, bytes.count, "the stream keeps its length")

    // A batch made without the options, resumed with them: the fingerprint differs, so the
    // output is made again, and it is process's.
    try FileManager.default.copyItem(atPath: input, toPath: directory + "/speech.wav")
    let without = try audioprep(["batch", "speech.wav", "--out-dir", "o", "--no-progress"], in: directory)
    XCTAssertEqual(without.status, 0, without.stderr)
    XCTAssertTrue(readWholeFile(directory + "/o/speech.wav") == readWholeFile(directory + "/plain.wav"))
    let with = try audioprep(["batch", "speech.wav", "--out-dir", "o", "--no-progress"] + options, in: directory)
    XCTAssertEqual(with.status, 0, with.stderr)
    XCTAssertTrue(readWholeFile(directory + "/o/speech.wav") == bytes, "the resumed batch redid the output")
  }

  /// Files processed at once by batch's workers (one WebRTC instance each) come out as process
  /// writes them one at a time.
  func testParallelBatchWorkersWriteWhatProcessWrites() throws {
    let directory = try scratchDirectory(self)
    try FileManager.default.createDirectory(atPath: directory + "/in", withIntermediateDirectories: false)
    for index in 0..<4 { try FileManager.default.copyItem(atPath: fixtures + "/speech.wav", toPath: directory + "/in/s\(index).wav") }
    let single = try audioprep([fixtures + "/speech.wav", "-o", "single.wav"] + options, in: directory)
    XCTAssertEqual(single.status, 0, single.stderr)
    let batch = try audioprep(["batch", "in", "--out-dir", "out", "-j", "4", "--no-progress"] + options, in: directory)
    XCTAssertEqual(batch.status, 0, batch.stderr)
    for index in 0..<4 {
      XCTAssertTrue(readWholeFile(directory + "/out/s\(index).wav") == readWholeFile(directory + "/single.wav"), "s\(index)")
    }
  }

  /// Utterances are cut from the processed stream: every file comes out, and a second run
  /// writes the same files.
  func testUtterancesTakeTheOptions() throws {
    let directory = try scratchDirectory(self)
    for run in ["a", "b"] {
      try FileManager.default.createDirectory(atPath: directory + "/" + run, withIntermediateDirectories: false)
      let result = try audioprep([fixtures + "/speech.wav", "--utterances", "-o", "u_%03d.wav"] + options, in: directory + "/" + run)
      XCTAssertEqual(result.status, 0, result.stderr)
    }
    let made = directoryListing(directory + "/a")
    XCTAssertTrue(made.contains("u_000.wav"), "\(made)")
    XCTAssertEqual(directoryListing(directory + "/b"), made)
    for name in made {
      XCTAssertTrue(readWholeFile(directory + "/a/" + name) == readWholeFile(directory + "/b/" + name), name)
    }
  }

  func testRatesWebRtcDoesNotTakeAndResponseAreUsageErrors() throws {
    let directory = try scratchDirectory(self)
    for arguments in [
      [fixtures + "/speech.wav", "-o", "x.wav", "--denoise", "high", "--rate", "22050"],
      [fixtures + "/speech.wav", "-o", "x.wav", "--agc", "--rate", "44100"],
      ["batch", fixtures + "/speech.wav", "--out-dir", "o", "--denoise", "low", "--rate", "11025"],
      ["info", fixtures + "/speech.wav", "--agc", "--rate", "24000"],
      [fixtures + "/speech.wav", "-o", "x.wav", "--denoise", "loud"],
      ["response", "--denoise", "high", "--csv", "r.csv"],
      ["response", "--agc", "--csv", "r.csv"],
    ] {
      let result = try audioprep(arguments, in: directory)
      XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr.prefix(300))")
      XCTAssertEqual(result.stderrLines.count, 1, "\(arguments): \(result.stderr.prefix(300))")
    }
    XCTAssertEqual(directoryListing(directory), [], "nothing written")
  }

  /// `--denoise off --no-agc` writes the bytes no option writes, and `info --json` says whether
  /// the chain runs WebRTC's audio processing and which of it.
  func testOffWritesTheDefaultBytesAndInfoSaysWhatRuns() throws {
    let directory = try scratchDirectory(self)
    let input = fixtures + "/speech.wav"
    let plain = try audioprep([input, "-o", "plain.wav"], in: directory)
    XCTAssertEqual(plain.status, 0, plain.stderr)
    let off = try audioprep([input, "-o", "off.wav", "--denoise", "off", "--no-agc"], in: directory)
    XCTAssertEqual(off.status, 0, off.stderr)
    XCTAssertTrue(readWholeFile(directory + "/off.wav") == readWholeFile(directory + "/plain.wav"))
    for (arguments, expected) in [
      ([String](), "{\"runs\":false,\"denoise\":\"off\",\"agc\":false}"),
      (["--denoise", "off"], "{\"runs\":false,\"denoise\":\"off\",\"agc\":false}"),
      (["--denoise", "very-high"], "{\"runs\":true,\"denoise\":\"very-high\",\"agc\":false}"),
      (["--agc"], "{\"runs\":true,\"denoise\":\"off\",\"agc\":true}"),
    ] {
      let info = try audioprep(["info", input, "--json"] + arguments, in: directory)
      XCTAssertEqual(info.status, 0, info.stderr)
      let json = String(decoding: info.stdout, as: UTF8.self)
      XCTAssertTrue(json.contains("\"webrtc\":" + expected), "\(arguments): \(json)")
    }
  }
}
