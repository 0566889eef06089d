import CSoxr
import DSP
import TestSupport
import XCTest

/// The opt-in libsoxr engine: the same contract and tests as libsamplerate's node.
final class SoxrResamplerTests: XCTestCase {
  /// libsoxr's one-shot API, called directly: the reference.
  func soxrOneShot(_ input: [Float], inputRate: Int, outputRate: Int, recipe: UInt) -> [Float] {
    var output = [Float](repeating: 0, count: input.count * outputRate / inputRate + 1024)
    var produced = 0
    var io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
    var quality = soxr_quality_spec(recipe, 0)
    let error = input.withUnsafeBufferPointer { inBuffer in
      output.withUnsafeMutableBufferPointer { outBuffer in
        soxr_oneshot(
          Double(inputRate), Double(outputRate), 1, inBuffer.baseAddress, input.count, nil,
          outBuffer.baseAddress, outBuffer.count, &produced, &io, &quality, nil)
      }
    }
    XCTAssertNil(error)
    return Array(output.prefix(produced))
  }

  func soxrOnly(_ configuration: inout PipelineConfiguration, quality: SoxrQuality = .high) {
    configuration.resampler = .soxr
    configuration.soxrQuality = quality
    configuration.turnFiltersOff()
  }

  func testStreamingMatchesOneShot() throws {
    let input = Signals.chirpPlusNoise(seconds: 2, sampleRate: 44100, endHz: 15000)
    for (quality, recipe) in [(SoxrQuality.high, UInt(SOXR_20_BITQ)), (.veryHigh, UInt(SOXR_28_BITQ)), (.quick, UInt(SOXR_QQ))] {
      let expected = soxrOneShot(input, inputRate: 44100, outputRate: 16000, recipe: recipe)
      for readFrames in [61, 4096] {
        let output = try runPipeline(input, format: StreamFormat(sampleRate: 44100, channels: 1)) {
          soxrOnly(&$0, quality: quality)
          $0.readFrames = readFrames
        }.samples
        XCTAssertEqual(output.count, 32000, "\(quality)")
        XCTAssertEqual(expected.count, 32000, accuracy: 1, "one-shot \(quality)")
        let common = min(output.count, expected.count)
        XCTAssertLessThanOrEqual(
          maxAbsDifference(Array(output.prefix(common)), expected.prefix(common).map(Double.init)), 1e-6,
          "\(quality), blocks of \(readFrames)")
      }
    }
  }

  func testOutputLengthsFollowTheCeilRule() throws {
    for (frames, rate) in [(48000, 48000), (44100, 44100), (100_003, 44100), (12345, 22050), (7, 44100), (0, 8000)] {
      let report = try runPipeline([Float](repeating: 0.1, count: frames), format: StreamFormat(sampleRate: rate, channels: 1)) {
        soxrOnly(&$0)
      }.report
      XCTAssertEqual(report.outputFrames, Int64((frames * 16000 + rate - 1) / rate), "\(frames) @ \(rate)")
    }
  }

  func testLevelAndAliasRejection() throws {
    let format = StreamFormat(sampleRate: 44100, channels: 1)
    for quality in [SoxrQuality.medium, .high, .veryHigh] {
      let pass = try runPipeline(Signals.sine(hz: 1000, seconds: 2, sampleRate: 44100), format: format) {
        soxrOnly(&$0, quality: quality)
      }.samples
      XCTAssertEqual(Reference.decibels(Reference.amplitude(of: pass[4000..<28000], hz: 1000, fs: 16000) / 0.5), 0, accuracy: 0.05, "\(quality)")
      let stop = try runPipeline(Signals.sine(hz: 10000, seconds: 2, sampleRate: 44100), format: format) {
        soxrOnly(&$0, quality: quality)
      }.samples
      XCTAssertLessThanOrEqual(Reference.decibels(Reference.rms(stop[4000..<28000]) / (0.5 / 2.0.squareRoot())), -60, "\(quality)")
    }
  }

  func testStereoKeepsChannelsApart() throws {
    let left = Signals.sine(hz: 440, seconds: 1, sampleRate: 48000)
    let right = [Float](repeating: 0, count: left.count)
    let output = try runPipeline(Signals.interleave([left, right]), format: StreamFormat(sampleRate: 48000, channels: 2)) {
      soxrOnly(&$0)
      $0.downmix = nil
    }.samples
    XCTAssertEqual(output.count, 2 * 16000)
    let rightOut = stride(from: 1, to: output.count, by: 2).map { output[$0] }
    XCTAssertEqual(rightOut.map(abs).max() ?? 1, 0, accuracy: 1e-6)
  }
}
