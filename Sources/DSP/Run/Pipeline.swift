/// What a run did, for summaries and tests.
public struct PipelineReport: Sendable {
  public var inputFormat: StreamFormat
  public var outputFormat: StreamFormat
  public var inputFrames: Int64 = 0
  /// Frames written: with a range (`--start`/`--end`) or a trim, those of the range or the
  /// trimmed stream (`AudioPipeline.run`), not all the chain emitted.
  public var outputFrames: Int64 = 0
  public var chunksWritten = 0
  /// Chunks the live buffer discarded.
  public var droppedChunks = 0
  /// Samples clipped to full scale by the sink.
  public var clippedSamples = 0
  /// Samples WebRTC's noise suppression or gain control held at full scale (`--denoise`,
  /// `--agc`: the library works in 16-bit range), before the gain and the sink.
  public var webrtcClippedSamples = 0
  /// Float input samples that were NaN or ±Inf, replaced by 0 (`FloatRepair`).
  public var nonFiniteSamples = 0
  /// Float input samples beyond ±1024, clamped (`FloatRepair`).
  public var outOfRangeSamples = 0
  /// Seconds worker threads spent resampling (segments, or split blocks).
  public var resamplerWorkerSeconds: Double = 0
  /// The most chunks the buffer held at once.
  public var bufferHighWaterMark = 0
  public var wallSeconds: Double = 0
  /// What each node of the chain did (`AudioNode.describe`): which engine resampled, for one.
  public var chain: [String] = []
  /// Per-stage timing, when `PipelineConfiguration.collectsStatistics` was set.
  public var statistics: PipelineStatistics?
  /// The decoded input's loudness, when `PipelineConfiguration.measuresLoudness` was set.
  public var inputLoudness: Loudness?
  /// The chain's output's loudness (before the encoder's clipping), when
  /// `PipelineConfiguration.measuresLoudness` was set.
  public var outputLoudness: Loudness?
  /// The gain a normalised run set and how far short of its target it stayed
  /// (`PipelineConfiguration.normalization`).
  public var normalization: Normalization.Outcome?

  public var inputSeconds: Double { inputFormat.seconds(frames: inputFrames) }
  public var outputSeconds: Double { outputFormat.seconds(frames: outputFrames) }
}

/// Runs source → nodes → chunker → bounded buffer → sink, on two threads.
///
/// A processing thread reads, transforms and chunks; the calling thread writes. The bounded
/// buffer between them blocks the processor when full (lossless) or, in live mode, drops the
/// oldest chunk. Memory is bounded by the buffer, whatever the length of the stream.
public enum Pipeline {
  /// Processes all of `source` into `sink`, then finishes the sink (or aborts it on error). A
  /// complete run: files the sink moved into place are settled.
  public static func run(
    source: AudioSource, sink: AudioSink, configuration: PipelineConfiguration
  ) throws -> PipelineReport {
    let (report, summary) = try execute(source: source, sink: sink, configuration: configuration)
    try summary.outputs.settle()
    return report
  }

  /// `run`, returning what the sink wrote too (its files still provisional).
  /// `measuredSpan`: the span of the input and the output a run with a range writes, which is
  /// all its loudness measures count (nil: the whole stream).
  static func execute(
    source: AudioSource, sink: AudioSink, configuration: PipelineConfiguration, measuredSpan: TimeRange? = nil
  ) throws -> (PipelineReport, SinkSummary) {
    guard configuration.normalization == nil else {
      throw DSPError.invalidParameter(
        "a normalised run reads its input twice (the first pass sets the gain): run it with AudioPipeline.run from a file")
    }
    let start = monotonicSeconds()
    var chain = configuration.makeChain(
      for: source.format, timing: source.isStream ? .stream : .file, repairsFloats: source.deliversFloats)
    let outputFormat = try chain.prepare(source.format)
    let chainDescription = chain.describe(input: source.format)
    // A file's chunks are handed over in batches of half the buffer (each thread sleeps and
    // wakes once per batch); a stream's and live capture's one by one, as they come.
    let handsOverSingly = source.isStream || configuration.bufferPolicy == .dropOldest
    // Live capture drops a chunk only when the writer has taken none for half a chunk's length
    // of audio, and at least 50 ms (`ChunkQueue.dropPatience`): a decoder's burst is not a
    // writer behind real time, nor is a writer of 1-sample chunks scheduled 31 µs late (review40
    // G06: `--chunk-samples 1` dropped 47 to 2698 chunks written to a file).
    let queue = ChunkQueue(
      capacity: configuration.bufferChunks, policy: configuration.bufferPolicy,
      wakeBatch: handsOverSingly ? 1 : configuration.bufferChunks / 2,
      dropPatience: max(Double(configuration.framesPerChunk) / Double(outputFormat.sampleRate) / 2, 0.05))
    let producer = Producer(
      source: source, chain: chain, queue: queue,
      chunker: Chunker(
        framesPerChunk: configuration.framesPerChunk, channels: outputFormat.channels,
        pad: configuration.padLastChunk),
      readFrames: configuration.readFrames, timed: configuration.collectsStatistics,
      meters: configuration.measuresLoudness
        ? Meters(
          input: try LevelMeter(format: source.format, measuresLoudness: true),
          output: try LevelMeter(format: outputFormat, measuresLoudness: true),
          inputSpan: measuredSpan?.frames(at: source.format.sampleRate),
          outputSpan: measuredSpan?.frames(at: outputFormat.sampleRate)) : nil)

    let thread = JoinableThread { producer.run() }

    var report = PipelineReport(inputFormat: source.format, outputFormat: outputFormat)
    var writeError: Error?
    var writeStage = StageStatistics(name: "write")
    let timed = configuration.collectsStatistics
    while let chunk = queue.pop() {
      do {
        let started = timed ? monotonicSeconds() : 0
        try sink.write(chunk)
        if timed { writeStage.record(monotonicSeconds() - started) }
        report.outputFrames += Int64(chunk.frameCount)
        report.chunksWritten += 1
      } catch {
        writeError = error
        queue.cancel()
        break
      }
    }
    thread.join()

    if let error = producer.error ?? writeError {
      sink.abort()
      throw error
    }
    let summary = try sink.finish()
    report.inputFrames = producer.inputFrames
    report.droppedChunks = queue.droppedChunks
    report.bufferHighWaterMark = queue.highWaterMark
    report.clippedSamples = summary.clippedSamples
    producer.chain.contribute(to: &report)
    report.chain = chainDescription
    report.inputLoudness = producer.meters?.input.loudness
    report.outputLoudness = producer.meters?.output.loudness
    report.wallSeconds = monotonicSeconds() - start
    if timed {
      var statistics = PipelineStatistics()
      statistics.stages = [producer.decodeStage] + producer.nodeStages + [producer.chunkStage, writeStage]
      statistics.producerBlockedSeconds = queue.pushWaitSeconds
      statistics.consumerBlockedSeconds = queue.popWaitSeconds
      statistics.resamplerWorkerSeconds = report.resamplerWorkerSeconds
      report.statistics = statistics
    }
    return (report, summary)
  }
}

/// The processing thread's work: read, run the chain, cut into chunks, queue them.
private final class Producer: @unchecked Sendable {
  let source: AudioSource
  var chain: NodeChain
  var chunker: Chunker
  let queue: ChunkQueue
  let readFrames: Int
  let timed: Bool
  var decodeStage = StageStatistics(name: "decode")
  var nodeStages: [StageStatistics]
  /// Chunking and queueing, including any wait for room in the buffer.
  var chunkStage = StageStatistics(name: "chunk+queue")
  /// Set by the processing thread; read only after it has been joined.
  var error: Error?
  var inputFrames: Int64 = 0
  /// The input's and the chain output's levels, when the run measures loudness.
  var meters: Meters?

  init(
    source: AudioSource, chain: NodeChain, queue: ChunkQueue, chunker: Chunker, readFrames: Int, timed: Bool,
    meters: Meters?
  ) {
    self.timed = timed
    self.meters = meters
    nodeStages = chain.nodes.map { StageStatistics(name: $0.stageName) }
    self.source = source
    self.chain = chain
    self.queue = queue
    self.chunker = chunker
    self.readFrames = readFrames
  }

  func run() {
    defer { queue.close() }
    let emit: (AudioChunk) throws -> Void = { [queue] chunk in
      if !queue.push(chunk) { throw CancellationError() }
    }
    do {
      var block = AudioChunk(channels: source.format.channels)
      while true {
        var started = timed ? monotonicSeconds() : 0
        guard try source.read(into: &block, maxFrames: readFrames) > 0 else { break }
        meters?.addInput(block)
        inputFrames += Int64(block.frameCount)
        if timed {
          let now = monotonicSeconds()
          decodeStage.record(now - started)
          try chain.process(&block, timing: &nodeStages)
          meters?.addOutput(block)
          started = monotonicSeconds()
          try chunker.append(block, emit: emit)
          chunkStage.record(monotonicSeconds() - started)
        } else {
          try chain.process(&block)
          meters?.addOutput(block)
          try chunker.append(block, emit: emit)
        }
      }
      var tail = AudioChunk(channels: chain.formats.last?.channels ?? source.format.channels)
      try chain.flush(&tail)
      meters?.addOutput(tail)
      try chunker.append(tail, emit: emit)
      try chunker.finish(emit: emit)
    } catch is CancellationError {
      // The writer stopped; its error is the one to report.
    } catch {
      self.error = error
      queue.cancel()
    }
  }
}

/// The input's and the chain output's levels over the span a run writes (nil: all of it).
private struct Meters {
  var input: LevelMeter
  var output: LevelMeter
  let inputSpan: Range<Int>?
  let outputSpan: Range<Int>?
  /// Frames read and frames the chain has made so far.
  var inputPosition = 0
  var outputPosition = 0

  mutating func addInput(_ block: AudioChunk) {
    input.add(block, at: inputPosition, keeping: inputSpan)
    inputPosition += block.frameCount
  }

  mutating func addOutput(_ block: AudioChunk) {
    output.add(block, at: outputPosition, keeping: outputSpan)
    outputPosition += block.frameCount
  }
}
