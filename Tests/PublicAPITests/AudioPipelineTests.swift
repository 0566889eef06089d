import DSP
import Foundation
import Testing

/// The library as another Swift package sees it: `import DSP`, nothing internal.
@Suite struct AudioPipelineTests {
  let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures").path

  @Test func chunksArriveInFixedSizesAndAddUpToTheWholeOutput() async throws {
    let pipeline = AudioPipeline()
    var sizes: [Int] = []
    var samples: [Float] = []
    for try await chunk in pipeline.chunks(from: fixtures + "/speech.flac") {
      sizes.append(chunk.frameCount)
      samples += chunk.samples
    }
    // 3.606213 s at 16 kHz = 57700 frames: 36 chunks of 1600 and one of 100.
    #expect(sizes.dropLast().allSatisfy { $0 == 1600 })
    #expect(sizes.reduce(0, +) == 57700)
    #expect(sizes.last == 100)
    // The same samples as the file path writes as float.
    let directory = NSTemporaryDirectory() + "audioprep-api-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let report = try pipeline.process(
      input: fixtures + "/speech.flac", output: directory + "/out.wav",
      format: OutputFileFormat(container: .wav, encoding: .f32))
    #expect(report.outputFrames == 57700)
    let written = try AudioVerifier.compare(
      candidate: MemorySource(samples: samples, format: StreamFormat(sampleRate: 16000, channels: 1)),
      golden: SndFileSource(path: directory + "/out.wav"), tolerance: 0)
    #expect(written.passes())
  }

  @Test func leavingTheLoopEarlyStopsTheProcessing() async throws {
    var configuration = PipelineConfiguration()
    configuration.chunkLength = .frames(160)
    let pipeline = AudioPipeline(configuration: configuration)
    var taken = 0
    for try await _ in pipeline.chunks(from: fixtures + "/speech.wav") {
      taken += 1
      if taken == 3 { break }
    }
    #expect(taken == 3)
  }

  @Test func memorySourcesAndErrorsComeThrough() async throws {
    let pipeline = AudioPipeline()
    let format = StreamFormat(sampleRate: 8000, channels: 2)
    var frames = 0
    for try await chunk in pipeline.chunks(from: { MemorySource(samples: [Float](repeating: 0.1, count: 16000), format: format) }) {
      frames += chunk.frameCount
      #expect(chunk.channels == 1)
    }
    #expect(frames == 16000)
    await #expect(throws: AudioIOError.self) {
      for try await _ in pipeline.chunks(from: "/nonexistent.flac") {}
    }
  }

  @Test func comparisonIsPublic() {
    var comparison = AudioComparison(tolerance: 1e-6)
    comparison.add(candidate: [0.5, 0.25][...], golden: [0.5, 0.25][...])
    #expect(comparison.firstOverToleranceIndex == nil)
  }
}

/// The opener as another package sees it: libsndfile for what it reads, FFmpeg when forced.
@Suite struct AudioSourceOpenerTests {
  let flac = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/speech.flac").path

  @Test func libsndfileReadsWhatItKnowsAndFFmpegWhenAsked() throws {
    let reference = try openAudioSource(path: flac)
    #expect(reference.decoderName == "libsndfile")
    let forced = try openAudioSource(path: flac, decoder: .ffmpeg)
    #expect(forced.decoderName == "FFmpeg")
    #expect(forced.format == reference.format)
    #expect(forced.formatName.contains("FLAC"))
    // FLAC is lossless: both decoders give the same samples.
    var a = AudioChunk(channels: 1), b = AudioChunk(channels: 1)
    var frames = 0
    while try reference.read(into: &a, maxFrames: 4096) > 0 {
      #expect(try forced.read(into: &b, maxFrames: 4096) == a.frameCount)
      #expect(a.samples == b.samples)
      frames += a.frameCount
    }
    #expect(frames == 79517)
    #expect(forced.truncation == nil)
  }
}

/// #11: the async sequence honours task cancellation, and its iterator never waits in `deinit`.
@Suite struct ChunkCancellationTests {
  @Test func cancellingTheTaskEndsTheLoopWithCancellationError() async throws {
    var configuration = PipelineConfiguration()
    configuration.chunkLength = .frames(160)
    let pipeline = AudioPipeline(configuration: configuration)
    let format = StreamFormat(sampleRate: 16000, channels: 1)
    let samples = [Float](repeating: 0.1, count: 16000 * 600)  // 10 minutes: 60000 chunks
    let firstChunk = AsyncStream<Void>.makeStream()
    let task = Task { () throws -> Int in
      var count = 0
      for try await _ in pipeline.chunks(from: { MemorySource(samples: samples, format: format) }) {
        count += 1
        if count == 1 { firstChunk.continuation.yield() }
        // A slow consumer: the cancellation must arrive long before the end.
        try? await Task.sleep(nanoseconds: 1_000_000)
      }
      return count
    }
    for await _ in firstChunk.stream { break }
    task.cancel()
    await #expect(throws: CancellationError.self) { _ = try await task.value }
  }
}

/// #11: one place builds the chain; a stream resamples without look-ahead, and the fingerprint
/// comes from the nodes the configuration builds.
@Suite struct ChainFactoryTests {
  @Test func aStreamIsNeverSegmented() {
    var configuration = PipelineConfiguration()
    configuration.resampler = .libsamplerateDirect
    configuration.threads = 2
    let format = StreamFormat(sampleRate: 44100, channels: 1)
    let engines = { (timing: InputTiming) in configuration.makeChain(for: format, timing: timing).nodes.compactMap { ($0 as? Resampler)?.engine } }
    #expect(engines(.file) == [.segmentedLibsamplerate(.medium, threads: 2)])
    #expect(engines(.stream) == [.libsamplerate(.medium)])
  }

  @Test func theFingerprintFollowsEveryChoiceButThreads() {
    let base = PipelineConfiguration()
    var changes: [PipelineConfiguration] = []
    for change in [
      { (c: inout PipelineConfiguration) in c.outputRate = 8000 }, { $0.converter = .best }, { $0.resampler = .soxr },
      { $0.resampler = .libsamplerateDirect }, { $0.downmix = .channel(1) }, { $0.downmix = nil },
      { $0.highPassHz = 100 }, { $0.highPassHz = nil }, { $0.q = .linear(0.7071) }, { $0.gain = 1 }, { $0.gain = 2 },
      { $0.chunkLength = .frames(160) }, { $0.padLastChunk = true }, { $0.bufferChunks = 3 },
      { $0.bufferPolicy = .dropOldest },
    ] as [(inout PipelineConfiguration) -> Void] {
      var changed = base
      change(&changed)
      changes.append(changed)
    }
    let prints = changes.map(\.fingerprint)
    #expect(Set(prints).count == prints.count)
    #expect(!prints.contains(base.fingerprint))
    var threads = base
    threads.threads = 7
    #expect(threads.fingerprint == base.fingerprint)
  }
}
