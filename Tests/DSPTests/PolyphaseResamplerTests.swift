import DSP
import TestSupport
import XCTest

/// The polyphase engine against libsamplerate's streaming engine (the reference), frame by
/// frame over the whole output, and its own invariances.
final class PolyphaseResamplerTests: XCTestCase {
  let sincConverters: [ConverterType] = [.best, .medium, .fastest]
  let inputRates = [8000, 11025, 22050, 32000, 44100, 48000, 96000, 44056]
  /// The portable SIMD kernel, and the AVX2 one where the CPU has it.
  let kernels = PolyphaseKernel.fastest == .portable ? [.portable] : [PolyphaseKernel.portable, .avx2]

  /// Runs `node` over interleaved `input` in blocks of `block` frames, then flushes.
  func run<Node: AudioNode>(
    _ node: Node, _ input: [Float], rate: Int, channels: Int, block: Int = 4096
  ) throws -> [Float] {
    var node = node
    _ = try node.prepare(StreamFormat(sampleRate: rate, channels: channels))
    var output: [Float] = []
    var start = 0
    repeat {
      let end = min(input.count, start + block * channels)
      var chunk = AudioChunk(samples: Array(input[start..<end]), channels: channels)
      try node.process(&chunk)
      output += chunk.samples
      start = end
    } while start < input.count
    var tail = AudioChunk(channels: channels)
    try node.flush(&tail)
    return output + tail.samples
  }

  /// Full-scale white noise: the hardest case for Float accumulation.
  func noise(frames: Int, channels: Int, seed: UInt64) -> [Float] {
    var random = LCG(seed: seed)
    return (0..<(frames * channels)).map { _ in Float(0.99 * random.nextSigned()) }
  }

  /// Compares every frame, the first and the last included, and the length.
  func assertMatches(
    converter: ConverterType, rate: Int, channels: Int, frames: Int, kernel: PolyphaseKernel,
    file: StaticString = #filePath, line: UInt = #line
  ) throws -> Double {
    let input = noise(frames: frames, channels: channels, seed: UInt64(rate + frames))
    let expected = try run(
      Resampler(outputRate: 16000, engine: .libsamplerate(converter)), input, rate: rate, channels: channels)
    let output = try run(
      Resampler(outputRate: 16000, engine: .polyphase(converter, threads: 2, kernel: kernel)), input, rate: rate,
      channels: channels)
    let label = "\(converter) \(rate) Hz × \(channels), \(frames) frames, \(kernel)"
    XCTAssertEqual(output.count, expected.count, label, file: file, line: line)
    XCTAssertEqual(output.count, (frames * 16000 + rate - 1) / rate * channels, label, file: file, line: line)
    let difference = maxAbsDifference(output, expected.map(Double.init))
    XCTAssertLessThanOrEqual(difference, 1e-6, label, file: file, line: line)
    return difference
  }

  /// Every sinc converter, every rate, mono and stereo, lengths 1, 2, 3 and 4096·k + 1.
  func testMatchesLibsamplerateForShortLengths() throws {
    for kernel in kernels {
      for converter in sincConverters {
        var worst = 0.0
        for rate in inputRates where PolyphaseTable.supports(converter: converter, ratio: ResamplingRatio(inputRate: rate, outputRate: 16000)!) {
          for channels in [1, 2] {
            for frames in [1, 2, 3, 4097, 8193] {
              worst = max(
                worst,
                try assertMatches(converter: converter, rate: rate, channels: channels, frames: frames, kernel: kernel))
            }
          }
        }
        print("polyphase \(kernel) \(converter), short lengths: max |Δ| = \(worst)")
      }
    }
  }

  /// 10 s of full-scale noise at 44.1 and 48 kHz, 2 s at the other rates and in stereo, 1 s for
  /// best; the portable kernel (slow in a debug build) at 44.1 and 48 kHz only.
  func testMatchesLibsamplerateOverLongNoise() throws {
    for kernel in kernels {
      for converter in sincConverters {
        var worst = 0.0
        for rate in inputRates
        where PolyphaseTable.supports(converter: converter, ratio: ResamplingRatio(inputRate: rate, outputRate: 16000)!)
          && (kernel != .portable || [44100, 48000].contains(rate))
        {
          for channels in [1, 2] {
            let seconds = converter == .best ? 1 : channels == 2 || ![44100, 48000].contains(rate) ? 2 : 10
            worst = max(
              worst,
              try assertMatches(
                converter: converter, rate: rate, channels: channels, frames: seconds * rate + 7, kernel: kernel))
          }
        }
        print("polyphase \(kernel) \(converter), long noise: max |Δ| = \(worst)")
      }
    }
  }

  /// Identical bytes for 1, 2 and 3 threads and for blocks from 1 frame to the whole input.
  func testOutputIsIdenticalForAnyThreadCountAndBlockSize() throws {
    let input = noise(frames: 44100 + 5, channels: 2, seed: 7)
    for kernel in kernels {
      let reference = try run(
        Resampler(outputRate: 16000, engine: .polyphase(.medium, threads: 1, kernel: kernel)), input, rate: 44100,
        channels: 2)
      for threads in [1, 2, 3] {
        for block in [1, 441, 4096, 100_000] {
          let output = try run(
            Resampler(outputRate: 16000, engine: .polyphase(.medium, threads: threads, kernel: kernel)), input,
            rate: 44100, channels: 2, block: block)
          XCTAssertEqual(output, reference, "\(kernel), \(threads) threads, blocks of \(block)")
        }
      }
    }
  }

  func testEmptyInputGivesNoOutput() throws {
    XCTAssertEqual(try run(Resampler(outputRate: 16000, engine: .polyphase(.medium)), [], rate: 44100, channels: 1), [])
  }

  func testTableCacheReturnsTheSameTableForTheSameKey() throws {
    let cache = PolyphaseTableCache.shared
    let ratio = ResamplingRatio(inputRate: 44100, outputRate: 16000)!
    let first = try cache.table(converter: .fastest, ratio: ratio)
    XCTAssertTrue(first === (try cache.table(converter: .fastest, ratio: ratio)))
    // The same reduced ratio is the same libsamplerate filter.
    XCTAssertTrue(first === (try cache.table(converter: .fastest, ratio: ResamplingRatio(inputRate: 88200, outputRate: 32000)!)))
    XCTAssertFalse(first === (try cache.table(converter: .medium, ratio: ratio)))
    XCTAssertEqual(first.p, 160)
    XCTAssertEqual(first.q, 441)
  }

  /// Sinc converters with a modest period take the polyphase engine; zoh, linear, a huge
  /// period and the direct engine keep calling libsamplerate.
  func testChainChoosesTheEngine() {
    func engine(_ converter: ConverterType, rate: Int, _ resampler: ResamplerEngine = .libsamplerate) -> String {
      var configuration = PipelineConfiguration()
      configuration.converter = converter
      configuration.resampler = resampler
      configuration.threads = 2
      let nodes = configuration.makeChain(for: StreamFormat(sampleRate: rate, channels: 1)).nodes
      switch nodes.lazy.compactMap({ ($0 as? Resampler)?.engine }).first {
      case .polyphase: return "polyphase"
      case .libsamplerate, .segmentedLibsamplerate: return "direct"
      case .soxr: return "soxr"
      case nil: return "none"
      }
    }
    for converter in sincConverters {
      for rate in inputRates { XCTAssertEqual(engine(converter, rate: rate), "polyphase", "\(converter) \(rate)") }
      XCTAssertEqual(engine(converter, rate: 44100, .libsamplerateDirect), "direct")
      // 44099 Hz: p = 16000, beyond PolyphaseTable.maxPhases.
      XCTAssertFalse(PolyphaseTable.supports(converter: converter, ratio: ResamplingRatio(inputRate: 44099, outputRate: 16000)!))
      XCTAssertEqual(engine(converter, rate: 44099), "direct")
    }
    XCTAssertEqual(engine(.linear, rate: 44100), "direct")
    XCTAssertEqual(engine(.zoh, rate: 44100), "direct")
    XCTAssertEqual(engine(.medium, rate: 16000), "none")
  }

  /// The default chain (downmix, polyphase on two threads) against the same chain calling
  /// libsamplerate directly on one thread, and live mode keeps the polyphase engine (it adds
  /// no delay: each block's outputs are split between threads, not held back).
  func testDefaultChainMatchesTheDirectChain() throws {
    let format = StreamFormat(sampleRate: 48000, channels: 2)
    let input = Signals.interleave([
      Signals.chirpPlusNoise(seconds: 2, sampleRate: 48000, endHz: 20000, seed: 3),
      Signals.chirpPlusNoise(seconds: 2, sampleRate: 48000, endHz: 20000, seed: 4),
    ])
    let direct = try runPipeline(input, format: format) {
      $0.resampler = .libsamplerateDirect
      $0.threads = 1
      $0.turnFiltersOff()
    }.samples
    for live in [false, true] {
      var configuration = PipelineConfiguration()
      configuration.threads = 2
      if live { configuration.bufferPolicy = .dropOldest }
      XCTAssertEqual(
        configuration.makeChain(for: format).nodes.compactMap { ($0 as? Resampler)?.engine }, [.polyphase(.medium, threads: live ? 1 : 2)],
        "live \(live)")
    }
    let output = try runPipeline(input, format: format) {
      $0.threads = 2
      $0.turnFiltersOff()
    }.samples
    XCTAssertEqual(output.count, 32000)
    XCTAssertLessThanOrEqual(maxAbsDifference(output, direct.map(Double.init)), 1e-6)
  }
}
