import CSampleRate
import DSP
import TestSupport
import XCTest

/// The streaming resampler against a one-shot `src_simple` call, and its audible behaviour.
final class ResamplerTests: XCTestCase {
  /// libsamplerate's one-shot API, called directly: the reference.
  func srcSimple(_ input: [Float], channels: Int, ratio: Double, converter: Int32) -> [Float] {
    let frames = input.count / channels
    var output = [Float](repeating: 0, count: (Int(Double(frames) * ratio) + 64) * channels)
    var generated = 0
    input.withUnsafeBufferPointer { inBuffer in
      output.withUnsafeMutableBufferPointer { outBuffer in
        var data = SRC_DATA(
          data_in: inBuffer.baseAddress, data_out: outBuffer.baseAddress, input_frames: frames,
          output_frames: outBuffer.count / channels, input_frames_used: 0, output_frames_gen: 0,
          end_of_input: 1, src_ratio: ratio)
        XCTAssertEqual(src_simple(&data, converter, Int32(channels)), 0)
        generated = data.output_frames_gen
      }
    }
    return Array(output.prefix(generated * channels))
  }

  let converters: [(ConverterType, Int32)] = [
    (.best, Int32(SRC_SINC_BEST_QUALITY)), (.medium, Int32(SRC_SINC_MEDIUM_QUALITY)),
    (.fastest, Int32(SRC_SINC_FASTEST)), (.zoh, Int32(SRC_ZERO_ORDER_HOLD)), (.linear, Int32(SRC_LINEAR)),
  ]

  /// The chain with libsamplerate called directly (the polyphase engine has its own tests
  /// against this one).
  func resampleOnly(_ configuration: inout PipelineConfiguration) {
    configuration.resampler = .libsamplerateDirect
    configuration.turnFiltersOff()
    configuration.downmix = nil
  }

  /// Every frame agrees with one-shot `src_simple`, serial and segmented on two threads. The
  /// length is ceil(n·p/q) = 32000 by audioprep's rule; src_simple's own end test gives 31999 or
  /// 32001 depending on the converter.
  func testStreamingMatchesSrcSimpleForEveryConverter() throws {
    let input = Signals.chirpPlusNoise(seconds: 2, sampleRate: 44100, endHz: 15000)
    for (converter, cValue) in converters {
      let expected = srcSimple(input, channels: 1, ratio: 16000.0 / 44100, converter: cValue)
      XCTAssertEqual(expected.count, 32000, accuracy: 1, "src_simple \(converter)")
      for threads in [1, 2] {
        let output = try runPipeline(input, format: StreamFormat(sampleRate: 44100, channels: 1)) {
          resampleOnly(&$0)
          $0.converter = converter
          $0.threads = threads
        }.samples
        XCTAssertEqual(output.count, 32000, "\(converter), \(threads) threads")
        let common = min(output.count, expected.count)
        XCTAssertLessThanOrEqual(
          maxAbsDifference(Array(output.prefix(common)), expected.prefix(common).map(Double.init)), 1e-6,
          "\(converter), \(threads) threads")
      }
    }
  }

  func testStereoStreamingMatchesSrcSimple() throws {
    let left = Signals.chirpPlusNoise(seconds: 1, sampleRate: 48000, seed: 11)
    let right = Signals.chirpPlusNoise(seconds: 1, sampleRate: 48000, seed: 12)
    let input = Signals.interleave([left, right])
    let output = try runPipeline(input, format: StreamFormat(sampleRate: 48000, channels: 2)) {
      resampleOnly(&$0)
    }.samples
    let expected = srcSimple(input, channels: 2, ratio: 1.0 / 3, converter: Int32(SRC_SINC_MEDIUM_QUALITY))
    XCTAssertEqual(output.count, 2 * 16000)
    let common = min(output.count, expected.count)
    XCTAssertLessThanOrEqual(
      maxAbsDifference(Array(output.prefix(common)), expected.prefix(common).map(Double.init)), 1e-6)
  }

  /// The tail is not lost: 48000 frames at 1/3 give 16000 (libsamplerate's NULL-pointer pitfall
  /// gave 15954), and 44.1k → 16k lengths land within one frame of n·16000/44100 — exactly
  /// ceil(n·16000/44100), with one thread or two.
  func testOutputLengths() throws {
    for (frames, rate) in [(48000, 48000), (44100, 44100), (100_003, 44100), (12345, 22050), (7, 44100)] {
      let input = [Float](repeating: 0.1, count: frames)
      for converter in ConverterType.allCases {
        for threads in [1, 2] {
          let report = try runPipeline(input, format: StreamFormat(sampleRate: rate, channels: 1)) {
            resampleOnly(&$0)
            $0.converter = converter
            $0.threads = threads
          }.report
          let ideal = (Double(frames) * 16000 / Double(rate)).rounded()
          XCTAssertEqual(Double(report.outputFrames), ideal, accuracy: 1, "\(frames) @ \(rate) with \(converter)")
          XCTAssertEqual(report.outputFrames, Int64((frames * 16000 + rate - 1) / rate), "ceil rule: \(frames) @ \(rate), \(converter), \(threads) threads")
        }
      }
    }
  }

  func testOneKilohertzKeepsItsLevelAndTenKilohertzIsRejected() throws {
    let format = StreamFormat(sampleRate: 44100, channels: 1)
    for converter in [ConverterType.best, .medium, .fastest] {
      let pass = try runPipeline(Signals.sine(hz: 1000, seconds: 2, sampleRate: 44100), format: format) {
        resampleOnly(&$0)
        $0.converter = converter
      }.samples
      let level = Reference.amplitude(of: pass[4000..<28000], hz: 1000, fs: 16000)
      XCTAssertEqual(Reference.decibels(level / 0.5), 0, accuracy: 0.05, "\(converter)")

      let stop = try runPipeline(Signals.sine(hz: 10000, seconds: 2, sampleRate: 44100), format: format) {
        resampleOnly(&$0)
        $0.converter = converter
      }.samples
      let leaked = Reference.rms(stop[4000..<28000]) / (0.5 / 2.0.squareRoot())
      XCTAssertLessThanOrEqual(Reference.decibels(leaked), -60, "\(converter)")
    }
  }

  func testEqualRatesBuildNoResamplerAndPassSamplesThrough() throws {
    var chain = PipelineConfiguration().makeChain(for: StreamFormat(sampleRate: 16000, channels: 1))
    _ = try chain.prepare(StreamFormat(sampleRate: 16000, channels: 1))
    XCTAssertFalse(chain.nodes.contains { $0 is Resampler })
    let input = Signals.chirpPlusNoise(seconds: 0.5, sampleRate: 16000)
    let output = try runPipeline(input, format: StreamFormat(sampleRate: 16000, channels: 1)) {
      resampleOnly(&$0)
    }.samples
    XCTAssertEqual(output, input)
  }
}

extension ResamplerTests {
  /// #10: a last block of one frame (4096·k + 1 input frames read 4096 at a time) made
  /// libsamplerate's linear converter read before its buffer (last samples off by up to 0.44).
  /// Every converter, every block size that leaves a 1-frame tail, agrees with `src_simple` to
  /// the last frame.
  func testALastBlockOfOneFrameChangesNothing() throws {
    for (rate, frames) in [(44100, 4097), (44100, 8193), (8000, 4097), (22050, 8193), (48000, 4097), (11025, 4097)] {
      let input = Signals.chirpPlusNoise(seconds: Double(frames) / Double(rate), sampleRate: rate, endHz: 3000)
      XCTAssertEqual(input.count, frames)
      for (converter, cValue) in converters {
        let expected = srcSimple(input, channels: 1, ratio: 16000.0 / Double(rate), converter: cValue)
        let output = try runPipeline(input, format: StreamFormat(sampleRate: rate, channels: 1)) {
          resampleOnly(&$0)
          $0.converter = converter
          $0.threads = 1
          $0.readFrames = 4096
        }.samples
        let common = min(output.count, expected.count)
        XCTAssertLessThanOrEqual(
          maxAbsDifference(Array(output.prefix(common)), expected.prefix(common).map(Double.init)), 1e-6,
          "\(converter), \(frames) frames at \(rate) Hz")
      }
    }
  }

  /// #10: the output is byte-identical for any --threads with every converter (linear and zoh
  /// differed by 1.5e-8 in 88 samples when segmented).
  func testEveryConverterIsIdenticalForAnyThreadCount() throws {
    let input = Signals.chirpPlusNoise(seconds: 6, sampleRate: 44100, endHz: 15000)
    for (converter, _) in converters {
      var outputs: [[Float]] = []
      for threads in [1, 2, 3] {
        outputs.append(
          try runPipeline(input, format: StreamFormat(sampleRate: 44100, channels: 1)) {
            resampleOnly(&$0)
            $0.converter = converter
            $0.threads = threads
            $0.segmentFrames = 44100
          }.samples)
      }
      XCTAssertEqual(outputs[0], outputs[1], "\(converter): 1 vs 2 threads")
      XCTAssertEqual(outputs[0], outputs[2], "\(converter): 1 vs 3 threads")
    }
  }
}

/// One node in front of every engine: the same checks, the same pass-through, the same length.
final class ResamplerFrontTests: XCTestCase {
  let engines: [Resampler.Engine] = [
    .libsamplerate(.medium), .segmentedLibsamplerate(.medium, threads: 2, segmentFrames: 4410),
    .polyphase(.medium, threads: 2), .soxr(.high),
  ]

  /// A ratio beyond 1/256…256 is refused by the front, with one message, whatever the engine.
  func testEveryEngineRefusesARatioBeyondTheLimitWithOneMessage() {
    for engine in engines {
      for rate in [1, 10_000_000] {
        var node = Resampler(outputRate: 16000, engine: engine)
        XCTAssertThrowsError(try node.prepare(StreamFormat(sampleRate: rate, channels: 1)), "\(engine)") {
          XCTAssertEqual(
            $0 as? DSPError,
            .unsupportedInput("\(rate) Hz cannot be resampled to \(16000) Hz (ratio beyond 1/256…256)"), "\(engine)")
        }
      }
      var zero = Resampler(outputRate: 0, engine: engine)
      XCTAssertThrowsError(try zero.prepare(StreamFormat(sampleRate: 16000, channels: 1))) {
        XCTAssertEqual($0 as? DSPError, .invalidParameter("output rate must be positive"))
      }
    }
  }

  /// At equal rates no engine runs: the samples come back untouched, in blocks and at the end.
  func testEveryEnginePassesEqualRatesThrough() throws {
    let input = Signals.chirpPlusNoise(seconds: 0.3, sampleRate: 16000)
    for engine in engines {
      var node = Resampler(outputRate: 16000, engine: engine)
      _ = try node.prepare(StreamFormat(sampleRate: 16000, channels: 1))
      XCTAssertFalse(node.isActive)
      var chunk = AudioChunk(samples: input, channels: 1)
      try node.process(&chunk)
      try node.flush(&chunk)
      XCTAssertEqual(chunk.samples, input, "\(engine)")
    }
  }

  /// ceil(n · p / q) frames for every engine, whatever the block size (counted, not timed).
  func testEveryEngineGivesTheCeilLength() throws {
    for engine in engines {
      // Frame by frame over a short input: one call a frame costs most under a sanitizer.
      for (frames, rate, block) in [(7, 44100, 3), (44101, 44100, 4096), (12345, 22050, 1000), (801, 8000, 1), (443, 44100, 1)] {
        var node = Resampler(outputRate: 16000, engine: engine)
        _ = try node.prepare(StreamFormat(sampleRate: rate, channels: 2))
        var emitted = 0
        var start = 0
        while start < frames {
          let count = min(block, frames - start)
          var chunk = AudioChunk(samples: [Float](repeating: 0.25, count: 2 * count), channels: 2)
          try node.process(&chunk)
          emitted += chunk.frameCount
          start += count
        }
        var tail = AudioChunk(channels: 2)
        try node.flush(&tail)
        emitted += tail.frameCount
        XCTAssertEqual(emitted, (frames * 16000 + rate - 1) / rate, "\(engine), \(frames) @ \(rate) in blocks of \(block)")
      }
    }
  }
}

extension ResamplerTests {
  /// review37b V3: a header's rate the default output takes, that cannot reach the `--rate`
  /// asked for (1000 Hz to 768000), is the option's fault (64), as for headerless input; a
  /// header's rate no output takes (1 Hz) is the input's (65).
  func testARequestedRateTheInputCannotReachIsTheOptionsFault() {
    func error(_ rate: Int, to output: Int) -> DSPError? {
      do {
        try AudioPipeline.checkRatio(inputRate: rate, outputRate: output, origin: .header)
        return nil
      } catch { return error as? DSPError }
    }
    guard case .invalidParameter = error(1000, to: 768_000) else { return XCTFail("1000 to 768000: \(String(describing: error(1000, to: 768_000)))") }
    guard case .unsupportedInput = error(1, to: 16000) else { return XCTFail("1 to 16000: \(String(describing: error(1, to: 16000)))") }
    guard case .unsupportedInput = error(1, to: 768_000) else { return XCTFail("1 to 768000") }
    XCTAssertNil(error(1000, to: 16000))
  }
}
