import DSP
import XCTest

/// Block sizes, chunk sizes and buffer capacities change nothing but timing.
final class ChunkingTests: XCTestCase {
  let stereo44k = StreamFormat(sampleRate: 44100, channels: 2)

  func input() -> [Float] {
    Signals.interleave([
      Signals.chirpPlusNoise(seconds: 1.5, sampleRate: 44100, seed: 5),
      Signals.chirpPlusNoise(seconds: 1.5, sampleRate: 44100, seed: 6),
    ])
  }

  func testOutputIsIdenticalForEveryBlockChunkAndBufferSize() throws {
    let input = input()
    let reference = try runPipeline(input, format: stereo44k).samples
    XCTAssertFalse(reference.isEmpty)
    for size in [1, 7, 160, 1600, 4096] {
      for capacity in [1, 10] {
        let run = try runPipeline(input, format: stereo44k) {
          $0.readFrames = size
          $0.chunkLength = .frames(size)
          $0.bufferChunks = capacity
        }
        let bitwiseEqual = run.samples.count == reference.count
          && zip(run.samples, reference).allSatisfy { $0.bitPattern == $1.bitPattern }
        XCTAssertTrue(bitwiseEqual, "block/chunk size \(size), buffer \(capacity)")
        XCTAssertEqual(run.report.droppedChunks, 0)
        XCTAssertTrue(run.sink.chunkSizes.dropLast().allSatisfy { $0 == size }, "size \(size)")
      }
    }
  }

  func testChunksHaveFixedSizeAndTheLastIsShortUnlessPadded() throws {
    let input = [Float](repeating: 0.25, count: 16000 + 500)
    let format = StreamFormat(sampleRate: 16000, channels: 1)
    let short = try runPipeline(input, format: format).sink.chunkSizes
    XCTAssertEqual(short, Array(repeating: 1600, count: 10) + [500])
    let padded = try runPipeline(input, format: format) { $0.padLastChunk = true }
    XCTAssertEqual(padded.sink.chunkSizes, Array(repeating: 1600, count: 11))
    XCTAssertEqual(padded.samples.suffix(1100), Array(repeating: 0, count: 1100)[...])
  }

  func testChunkMillisecondsAreMeasuredAtTheOutputRate() {
    var configuration = PipelineConfiguration()
    XCTAssertEqual(configuration.framesPerChunk, 1600)
    configuration.chunkLength = .milliseconds(20)
    configuration.outputRate = 8000
    XCTAssertEqual(configuration.framesPerChunk, 160)
  }

  /// A writer slower than real time (100 ms a chunk of 10 ms) loses the oldest chunks, counted.
  func testLiveModeDropsOldestWithASlowConsumerAndCountsIt() throws {
    let format = StreamFormat(sampleRate: 16000, channels: 1)
    let slow = MemorySink()
    slow.beforeWrite = { usleep(100_000) }
    let live = try runPipeline(Signals.chirpPlusNoise(seconds: 0.2, sampleRate: 16000), format: format, configure: {
      $0.bufferPolicy = .dropOldest
      $0.chunkLength = .frames(160)
      $0.bufferChunks = 2
    }, sink: slow)
    XCTAssertGreaterThan(live.report.droppedChunks, 0)
    XCTAssertEqual(live.report.chunksWritten + live.report.droppedChunks, 20)

    let input = Signals.chirpPlusNoise(seconds: 10, sampleRate: 16000)

    let patient = MemorySink()
    patient.beforeWrite = { usleep(200) }
    let blocking = try runPipeline(input, format: format, configure: {
      $0.chunkLength = .frames(160)
      $0.bufferChunks = 2
    }, sink: patient)
    XCTAssertEqual(blocking.report.droppedChunks, 0)
    XCTAssertEqual(blocking.report.chunksWritten, 1000)
    XCTAssertEqual(blocking.samples, try runPipeline(input, format: format).samples)
  }

  /// review39 F19: `--live` fed at real time dropped chunks of MP3, Ogg and 8SVX input: their
  /// decoders answer in bursts (libmpg123 waits for 16 KiB), many chunks at once, which filled
  /// the live buffer faster than the writer, keeping up with real time many times over, was
  /// scheduled to take them. A chunk is dropped only when the writer has taken none for half a
  /// chunk's length of audio: a burst is handed over whole; a writer slower than real time
  /// still loses the oldest (`testLiveModeDropsOldestWithASlowConsumerAndCountsIt`).
  /// review40 G06: so were chunks of one sample, whose half-chunk patience (31 µs) was shorter
  /// than the writer's scheduling: the patience is at least 50 ms.
  func testLiveModeHandsOverABurstWhole() throws {
    let input = Signals.chirpPlusNoise(seconds: 20, sampleRate: 16000)
    let format = StreamFormat(sampleRate: 16000, channels: 1)
    for _ in 0..<3 {
      let live = try runPipeline(input, format: format, configure: {
        $0.bufferPolicy = .dropOldest
        $0.chunkLength = .frames(1600)
        $0.bufferChunks = 2
      })
      XCTAssertEqual(live.report.droppedChunks, 0)
      XCTAssertEqual(live.report.chunksWritten, 200)
    }
    let tiny = try runPipeline(Signals.chirpPlusNoise(seconds: 0.5, sampleRate: 16000), format: format, configure: {
      $0.bufferPolicy = .dropOldest
      $0.chunkLength = .frames(1)
      $0.bufferChunks = 10
    })
    XCTAssertEqual(tiny.report.droppedChunks, 0, "1-sample chunks")
    XCTAssertEqual(tiny.report.chunksWritten, 8000)
  }

  func testQueueHandsBackChunksInOrderAndDropsTheOldest() {
    let queue = ChunkQueue(capacity: 3, policy: .dropOldest)
    for value in 0..<5 { queue.push(AudioChunk(samples: [Float(value)], channels: 1)) }
    queue.close()
    var seen: [Float] = []
    while let chunk = queue.pop() { seen += chunk.samples }
    XCTAssertEqual(seen, [2, 3, 4])
    XCTAssertEqual(queue.droppedChunks, 2)
    XCTAssertEqual(queue.highWaterMark, 3)
  }
}
