import DSP
import TestSupport
import XCTest

/// Segments resampled on several threads join into the single-converter output.
final class ParallelResamplerTests: XCTestCase {
  func run(_ input: [Float], format: StreamFormat, threads: Int, segmentFrames: Int = 0,
           converter: ConverterType = .medium, readFrames: Int = 4096) throws -> [Float] {
    try runPipeline(input, format: format) {
      $0.turnFiltersOff()
      $0.downmix = nil
      $0.resampler = .libsamplerateDirect
      $0.converter = converter
      $0.threads = threads
      $0.segmentFrames = segmentFrames
      $0.readFrames = readFrames
    }.samples
  }

  func testSegmentedOutputEqualsOneConverterAcrossSegmentSizesAndConverters() throws {
    let format = StreamFormat(sampleRate: 44100, channels: 1)
    let input = Signals.chirpPlusNoise(seconds: 4, sampleRate: 44100, endHz: 15000)
    for converter in [ConverterType.best, .medium, .fastest, .linear, .zoh] {
      let serial = try run(input, format: format, threads: 1, converter: converter)
      for segment in [441, 44100, 65536, 300_000] {
        let parallel = try run(input, format: format, threads: 2, segmentFrames: segment, converter: converter)
        XCTAssertEqual(parallel.count, serial.count, "\(converter), segment \(segment)")
        XCTAssertLessThanOrEqual(
          maxAbsDifference(parallel, serial.map(Double.init)), 1e-6, "\(converter), segment \(segment)")
      }
    }
  }

  func testOtherRatiosAndChannels() throws {
    for (rate, channels) in [(48000, 2), (22050, 1), (8000, 1), (11025, 3), (96000, 1)] {
      let format = StreamFormat(sampleRate: rate, channels: channels)
      let input = Signals.interleave((0..<channels).map {
        Signals.chirpPlusNoise(seconds: 3, sampleRate: rate, endHz: Double(rate) / 2.5, seed: UInt64($0 + 20))
      })
      let serial = try run(input, format: format, threads: 1)
      let parallel = try run(input, format: format, threads: 3, segmentFrames: 20000, readFrames: 777)
      XCTAssertEqual(parallel.count, serial.count, "\(rate) Hz × \(channels)")
      XCTAssertLessThanOrEqual(maxAbsDifference(parallel, serial.map(Double.init)), 1e-6, "\(rate) Hz × \(channels)")
    }
  }

  func testShortInputsShorterThanOneSegment() throws {
    let format = StreamFormat(sampleRate: 44100, channels: 1)
    for frames in [0, 1, 7, 441, 5000] {
      let input = Signals.chirpPlusNoise(seconds: Double(frames) / 44100, sampleRate: 44100)
      XCTAssertEqual(
        try run(input, format: format, threads: 2, segmentFrames: 4410),
        try run(input, format: format, threads: 1), "\(frames) frames")
    }
  }
}

extension ParallelResamplerTests {
  /// Live mode resamples on one thread whatever `threads` says: segments would hold a
  /// real-time stream back and then burst past the live buffer.
  func testLiveModeUsesTheStreamingResampler() {
    var configuration = PipelineConfiguration()
    configuration.resampler = .libsamplerateDirect
    configuration.threads = 4
    let format = StreamFormat(sampleRate: 48000, channels: 1)
    XCTAssertEqual(
      configuration.makeResampler(inputRate: 48000, timing: .file)?.engine,
      .segmentedLibsamplerate(.medium, threads: 4, segmentFrames: 0))
    configuration.bufferPolicy = .dropOldest
    XCTAssertEqual(configuration.makeResampler(inputRate: 48000, timing: .file)?.engine, .libsamplerate(.medium))
    let nodes = configuration.makeChain(for: format).nodes
    XCTAssertEqual(nodes.compactMap { ($0 as? Resampler)?.engine }, [.libsamplerate(.medium)])
  }
}
