import DSP
import XCTest

final class StatisticsTests: XCTestCase {
  /// The window keeps the last 100 blocks; the totals keep everything.
  func testWindowKeepsTheLastHundredBlocks() {
    var stage = StageStatistics(name: "x")
    for value in 1...1000 { stage.record(Double(value)) }
    XCTAssertEqual(stage.count, 1000)
    XCTAssertEqual(stage.totalSeconds, 500_500)
    let recent = stage.recent
    XCTAssertEqual(recent.minimum, 901)
    XCTAssertEqual(recent.maximum, 1000)
    XCTAssertEqual(recent.average, 950.5)
    XCTAssertEqual(recent.p95, 995)
  }

  func testPipelineReportsEveryStageWhenAsked() throws {
    let input = Signals.chirpPlusNoise(seconds: 2, sampleRate: 44100)
    let format = StreamFormat(sampleRate: 44100, channels: 1)
    let timed = try runPipeline(input, format: format) { $0.collectsStatistics = true }
    let statistics = try XCTUnwrap(timed.report.statistics)
    // A memory source holds floats: the repair node comes first.
    XCTAssertEqual(statistics.stages.map(\.name), ["decode", "repair", "resample", "highpass", "gain", "chunk+queue", "write"])
    XCTAssertEqual(statistics.stages.first?.count, (88200 + 4095) / 4096)
    XCTAssertEqual(statistics.stages.last?.count, timed.report.chunksWritten)
    XCTAssertNil(try runPipeline(input, format: format).report.statistics)
    // Timing changes nothing in the samples.
    XCTAssertEqual(timed.samples, try runPipeline(input, format: format).samples)
  }
}
