import DSP
import XCTest

final class AudioComparisonTests: XCTestCase {
  func testFiguresMatchAHandComputation() {
    let golden: [Float] = (0..<1000).map { Float(sin(Double($0) * 0.1)) * 0.5 }
    var candidate = golden
    candidate[100] += 0.25
    candidate[700] -= 0.5
    var comparison = AudioComparison(tolerance: 0.1)
    // Uneven blocks: the result must not depend on them.
    comparison.add(candidate: candidate[0..<333], golden: golden[0..<333])
    comparison.add(candidate: candidate[333...], golden: golden[333...])
    XCTAssertEqual(comparison.maxAbsError, 0.5, accuracy: 1e-7)
    XCTAssertEqual(comparison.maxAbsErrorIndex, 700)
    XCTAssertEqual(comparison.firstOverToleranceIndex, 100)
    let goldenEnergy = golden.reduce(0.0) { $0 + Double($1) * Double($1) }
    let errorEnergy = zip(candidate, golden).reduce(0.0) { $0 + pow(Double($1.0) - Double($1.1), 2) }
    XCTAssertEqual(comparison.snrDecibels, 10 * log10(goldenEnergy / errorEnergy), accuracy: 1e-9)
    XCTAssertEqual(comparison.rmsError, (errorEnergy / 1000).squareRoot(), accuracy: 1e-12)
  }

  func testIdenticalSignalsHaveInfiniteSNRAndNothingOverTolerance() {
    let signal = Signals.chirpPlusNoise(seconds: 0.1, sampleRate: 16000)
    var comparison = AudioComparison(tolerance: 0)
    comparison.add(candidate: signal[...], golden: signal[...])
    XCTAssertNil(comparison.firstOverToleranceIndex)
    XCTAssertEqual(comparison.snrDecibels, .infinity)
  }

  func testVerifierReportsLengthsAndRefusesMismatchedFormats() throws {
    let format = StreamFormat(sampleRate: 16000, channels: 1)
    let long = MemorySource(samples: [Float](repeating: 0.1, count: 20000), format: format)
    let short = MemorySource(samples: [Float](repeating: 0.1, count: 19000), format: format)
    let result = try AudioVerifier.compare(candidate: long, golden: short, tolerance: 1e-6, blockFrames: 777)
    XCTAssertEqual(result.candidateFrames, 20000)
    XCTAssertEqual(result.goldenFrames, 19000)
    XCTAssertEqual(result.comparison.comparedSamples, 19000)
    XCTAssertFalse(result.passes())
    let stereo = MemorySource(samples: [0, 0], format: StreamFormat(sampleRate: 16000, channels: 2))
    XCTAssertThrowsError(try AudioVerifier.compare(candidate: stereo, golden: MemorySource(samples: [0], format: format), tolerance: 0))
  }
}
