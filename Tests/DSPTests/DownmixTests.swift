import DSP
import TestSupport
import XCTest

final class DownmixTests: XCTestCase {
  let format = StreamFormat(sampleRate: 16000, channels: 3)
  let input: [Float] = [0.3, 0.6, -0.3, 0.9, 0.0, 0.3]

  func testAverageOfChannels() throws {
    let output = try runPipeline(input, format: format) { $0.turnFiltersOff() }.samples
    XCTAssertEqual(output[0], 0.2, accuracy: 1e-7)
    XCTAssertEqual(output[1], 0.4, accuracy: 1e-7)
  }

  func testChosenChannel() throws {
    let output = try runPipeline(input, format: format) {
      $0.turnFiltersOff()
      $0.downmix = .channel(1)
    }.samples
    XCTAssertEqual(output, [0.6, 0.0])
  }

  func testMissingChannelIsRefused() {
    XCTAssertThrowsError(try runPipeline(input, format: format) { $0.downmix = .channel(3) })
  }

  func testKeepChannels() throws {
    let run = try runPipeline(input, format: format) {
      $0.turnFiltersOff()
      $0.downmix = nil
    }
    XCTAssertEqual(run.samples, input)
    XCTAssertEqual(run.report.outputFormat.channels, 3)
  }
}
