import DSP
import TestSupport
import XCTest

/// Every bundled format decodes and yields the duration sox measured when the fixtures were made.
final class FixtureDecodingTests: XCTestCase {
  /// speech.wav's duration as measured by sox, from Fixtures/expected-durations.tsv.
  func expectedSeconds() throws -> [String: Double] {
    let table = try String(contentsOfFile: fixtures + "/expected-durations.tsv", encoding: .utf8)
    var result: [String: Double] = [:]
    for line in table.split(separator: "\n").dropFirst() {
      let fields = line.split(separator: "\t")
      result[String(fields[0])] = Double(fields[1])
    }
    return result
  }

  func process(_ name: String, raw: RawInputFormat? = nil) throws -> PipelineReport {
    let source = try SndFileSource(path: fixtures + "/" + name, raw: raw)
    return try Pipeline.run(source: source, sink: MemorySink(), configuration: PipelineConfiguration())
  }

  func testLosslessFormatsDecodeToTheExpectedLength() throws {
    let expected = try expectedSeconds()
    for (name, seconds) in expected {
      let report = try process(name)
      XCTAssertEqual(report.inputSeconds, seconds, accuracy: 1e-5, name)
      XCTAssertEqual(Double(report.outputFrames), (seconds * 16000).rounded(), accuracy: 1, name)
      XCTAssertEqual(report.outputFormat, StreamFormat(sampleRate: 16000, channels: 1))
    }
  }

  func testRawInputWithStatedParameters() throws {
    let seconds = try XCTUnwrap(expectedSeconds()["speech.wav"])
    let report = try process("speech.s16le.raw", raw: RawInputFormat(sampleRate: 22050, channels: 1, encoding: .s16))
    XCTAssertEqual(report.inputSeconds, seconds, accuracy: 1e-5)
  }

  /// Lossy codecs add encoder delay and padding; libsndfile removes most of it.
  func testLossyFormatsDecodeToAboutTheExpectedLength() throws {
    let seconds = try XCTUnwrap(expectedSeconds()["speech.wav"])
    for name in ["speech.ogg", "speech.opus", "speech.mp3"] {
      let report = try process(name)
      XCTAssertEqual(report.outputSeconds, seconds, accuracy: 0.06, name)
    }
  }

  func testGarbageIsRejectedAsInvalidInput() throws {
    let directory = try scratchDirectory(self)
    let path = directory + "/notes.wav"
    try "this is not audio\n".write(toFile: path, atomically: true, encoding: .utf8)
    XCTAssertThrowsError(try SndFileSource(path: path)) { error in
      XCTAssertEqual((error as? AudioIOError)?.kind, .invalidInput)
    }
    XCTAssertThrowsError(try SndFileSource(path: directory + "/missing.wav")) { error in
      XCTAssertEqual((error as? AudioIOError)?.kind, .cannotOpenInput)
    }
  }
}
