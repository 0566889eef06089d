import Foundation
import TestSupport
import XCTest

final class VerifyCommandTests: XCTestCase {
  /// A FIFO named as a file to compare is refused unopened, as info refuses it (review21e 17:
  /// `verify FIFO x` and `--golden FIFO` waited for a writer for ever): one line, 66.
  func testAFIFOToCompareIsRefusedNotWaitedOn() throws {
    let directory = try scratchDirectory(self)
    let fifo = directory + "/pipe.wav"
    XCTAssertEqual(mkfifo(fifo, 0o600), 0)
    for arguments in [
      ["verify", fifo, fixtures + "/speech.wav"], ["verify", fixtures + "/speech.wav", fifo],
      [fixtures + "/speech.wav", "--golden", fifo],
    ] {
      let result = try audioprep(arguments, timeLimit: 20)
      XCTAssertEqual(result.status, 66, "\(arguments): \(result.stderr)")
      XCTAssertEqual(
        result.stderrLines, ["audioprep: \(fifo): is a FIFO, not a regular file (never opened: reading it could block); save what it holds to a file first (cat \(fifo) > FILE)"],
        "\(arguments)")
    }
  }

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
    let onSNR = try audioprep(["verify", fixtures + "/speech.ogg", fixtures + "/speech.wav", "--snr-min", "10"])
    XCTAssertEqual(onSNR.status, 0)
    // The tolerance is not what --snr-min passes on: no "first sample over tolerance 1e-06" on
    // a PASS (#21 review).
    let text = String(decoding: onSNR.stdout, as: UTF8.self)
    XCTAssertTrue(text.contains("PASS") && text.contains("required SNR: 10.00 dB"), text)
    XCTAssertFalse(text.contains("tolerance"), text)
  }

  /// The main help's golden-file example runs when pasted after the examples before it (it
  /// named out.wav, which none of them writes: 66).
  func testTheMainHelpsGoldenExampleRunsAfterTheOnesBefore() throws {
    let directory = try scratchDirectory(self)
    try FileManager.default.copyItem(atPath: fixtures + "/speech.flac", toPath: directory + "/talk.flac")
    let help = String(decoding: try audioprep(["--help"]).stdout, as: UTF8.self)
    let examples = help.components(separatedBy: "EXAMPLES\n").last!.split(separator: "\n").prefix { $0.hasPrefix("  ") }
      .map { $0.split(separator: "#")[0].split(separator: " ").map(String.init) }
    let first = try XCTUnwrap(examples.first), golden = try XCTUnwrap(examples.first { $0.contains("verify") || $0.contains("--golden") })
    XCTAssertEqual(first, ["audioprep", "talk.flac"])
    XCTAssertEqual(try audioprep(Array(first.dropFirst()), in: directory).status, 0)
    let check = try audioprep(Array(golden.dropFirst()), in: directory)
    XCTAssertEqual(check.status, 0, "\(golden): \(check.stderr)")
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

  /// review32h C4: a stereo difference was placed "at sample 94086" of a 79517-frame file (an
  /// interleaved index); it is a frame and a channel. Golden: silence with one sample of one
  /// channel set, a place known in advance (frame 1000, channel 1).
  func testAMultichannelDifferenceIsPlacedByFrameAndChannel() throws {
    let directory = try scratchDirectory(self)
    var header = Data("RIFF".utf8) + le32(36 + 2000 * 4) + Data("WAVEfmt ".utf8) + le32(16)
    header += le16(1) + le16(2) + le32(16000) + le32(16000 * 4) + le16(4) + le16(16) + Data("data".utf8) + le32(2000 * 4)
    let silence = Data(count: 2000 * 4)
    var changed = silence
    changed[(1000 * 2 + 1) * 2 + 1] = 0x40  // frame 1000, channel 1: 0x4000
    try (header + silence).write(to: URL(fileURLWithPath: directory + "/golden.wav"))
    try (header + changed).write(to: URL(fileURLWithPath: directory + "/candidate.wav"))
    let result = try audioprep(["verify", directory + "/candidate.wav", directory + "/golden.wav"])
    XCTAssertEqual(result.status, 1)
    let text = String(decoding: result.stdout, as: UTF8.self)
    XCTAssertTrue(text.contains("at frame 1000, channel 1 (0.0625 s)") && text.contains("over tolerance 1e-06: frame 1000, channel 1"), text)
  }

  private func le16(_ value: Int) -> Data { Data([UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)]) }
  private func le32(_ value: Int) -> Data { le16(value & 0xFFFF) + le16(value >> 16) }
}
