import DSP
import TestSupport
import Testing

/// Samples in memory as a run's input, and a run pulled chunk by chunk: what the C interface
/// (the Python package's `process` and `stream`) is built on, checked against `run` into memory.
@Suite struct PulledChunksTests {
  let input = fixtures + "/stereo44k.wav"

  func decoded(_ path: String) throws -> (samples: [Float], format: StreamFormat) {
    let source = try SndFileSource(path: path)
    var chunk = AudioChunk(channels: source.format.channels)
    var samples: [Float] = []
    while try source.read(into: &chunk, maxFrames: 4096) > 0 { samples += chunk.samples }
    return (samples, source.format)
  }

  @Test func samplesInMemoryAreProcessedAsTheFile() throws {
    let (samples, format) = try decoded(input)
    var keeping = PipelineConfiguration()
    keeping.downmix = nil
    for configuration in [PipelineConfiguration(), keeping] {
      let pipeline = AudioPipeline(configuration: configuration)
      let fromFile = try pipeline.run(.init(input), to: .init(.memory))
      let fromMemory = try pipeline.run(.samples(samples, format: format), to: .init(.memory))
      #expect(fromMemory.samples == fromFile.samples)
      #expect(fromMemory.report.outputFormat == fromFile.report.outputFormat)
    }
  }

  @Test func samplesInMemoryAreNormalisedAsTheFile() throws {
    let (samples, format) = try decoded(fixtures + "/speech.wav")
    var configuration = PipelineConfiguration()
    configuration.normalization = Normalization(target: .loudness(lufs: -23), truePeakCeilingDBTP: -1)
    let pipeline = AudioPipeline(configuration: configuration)
    let fromFile = try pipeline.run(.init(fixtures + "/speech.wav"), to: .init(.memory))
    #expect(try pipeline.run(.samples(samples, format: format), to: .init(.memory)).samples == fromFile.samples)
  }

  @Test func pulledChunksAddUpToTheRunIntoMemory() throws {
    let pipeline = AudioPipeline()
    let whole = try #require(try pipeline.run(.init(input), to: .init(.memory)).samples)
    let pulled = pipeline.pull(.init(input))
    var samples: [Float] = []
    var sizes: [Int] = []
    while let chunk = try pulled.next() {
      samples += chunk.samples
      sizes.append(chunk.frameCount)
    }
    #expect(samples == whole)
    #expect(sizes.dropLast().allSatisfy { $0 == 1600 })
    #expect(pulled.report?.outputFrames == Int64(whole.count))
    #expect(try pulled.next() == nil)
  }

  @Test func closingEarlyStopsTheRun() throws {
    var configuration = PipelineConfiguration()
    configuration.chunkLength = .frames(16)
    let pulled = AudioPipeline(configuration: configuration).pull(.init(input))
    #expect(try pulled.next()?.frameCount == 16)
    pulled.close()  // returns once the run's thread has ended
    #expect(try pulled.next() == nil)
    #expect(pulled.report == nil)
  }

  @Test func theRunsErrorComesFromNext() throws {
    let pulled = AudioPipeline().pull(.init(fixtures + "/no-such-file.wav"))
    #expect(throws: AudioIOError.self) { try pulled.next() }
  }
}
