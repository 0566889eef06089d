/// The pipeline as a Swift API: build it from a configuration, then run it from a file or
/// standard input to a file or standard output, or consume it as an `AsyncSequence` of
/// fixed-size chunks.
///
/// ```swift
/// let pipeline = AudioPipeline(configuration: PipelineConfiguration())   // 16 kHz, 80 Hz, ×1.5
/// try pipeline.process(input: "talk.flac", output: "talk.16k.wav")
/// for try await chunk in pipeline.chunks(from: "talk.flac") {
///   recognizer.feed(chunk.samples)                                       // 1600 samples each
/// }
/// ```
public struct AudioPipeline: Sendable {
  public var configuration: PipelineConfiguration

  public init(configuration: PipelineConfiguration = PipelineConfiguration()) {
    self.configuration = configuration
  }

  /// Processes `input` ("-" for standard input) into `output` ("-" for standard output).
  ///
  /// A file output is written beside its final name and moved into place only when complete;
  /// an existing file is replaced only with `overwrite`. Standard output gets raw PCM, or a
  /// streaming WAV header when `format.container` is `.wav`.
  @discardableResult
  public func process(
    input: String, output: String, format: OutputFileFormat = OutputFileFormat(container: .wav),
    raw: RawInputFormat? = nil, decoder: AudioDecoder = .auto, overwrite: Bool = false
  ) throws -> PipelineReport {
    try run(
      Input(input, raw: raw, decoder: decoder),
      to: Output(output == "-" ? .standardOutput : .file(output), format: format, overwrite: overwrite)
    ).report
  }

  /// The processed stream of `path` ("-" for standard input) as chunks of
  /// `configuration.framesPerChunk` frames (the last one short unless padded).
  ///
  /// Processing runs on its own threads and waits while the consumer is behind by
  /// `configuration.bufferChunks` chunks (in live mode it drops the oldest instead). Leaving the
  /// loop early stops the processing.
  public func chunks(from path: String, raw: RawInputFormat? = nil, decoder: AudioDecoder = .auto) -> ProcessedChunks {
    ProcessedChunks(open: { try openAudioSource(path: path, raw: raw, decoder: decoder) }, configuration: configuration)
  }

  /// The processed stream of any `AudioSource` (a `MemorySource`, your own), as chunks.
  public func chunks(from source: @escaping @Sendable () throws -> AudioSource) -> ProcessedChunks {
    ProcessedChunks(open: source, configuration: configuration)
  }
}

/// An `AsyncSequence` of processed chunks with backpressure; see `AudioPipeline.chunks(from:)`.
public struct ProcessedChunks: AsyncSequence, Sendable {
  public typealias Element = AudioChunk
  private let open: @Sendable () throws -> AudioSource
  private let configuration: PipelineConfiguration

  init(open: @escaping @Sendable () throws -> AudioSource, configuration: PipelineConfiguration) {
    self.open = open
    self.configuration = configuration
  }

  public func makeAsyncIterator() -> Iterator {
    let channel = ChunkChannel()
    let open = self.open
    let configuration = self.configuration
    let thread = JoinableThread {
      do {
        let report = try Pipeline.run(source: try open(), sink: channel, configuration: configuration)
        channel.close(report: report, error: nil)
      } catch {
        channel.close(report: nil, error: error)
      }
    }
    return Iterator(channel: channel, thread: thread)
  }

  public struct Iterator: AsyncIteratorProtocol {
    private let owner: Owner

    init(channel: ChunkChannel, thread: JoinableThread) { owner = Owner(channel: channel, thread: thread) }

    /// The next chunk, nil at the end; a cancelled task stops the processing and gets
    /// `CancellationError`.
    public mutating func next() async throws -> AudioChunk? {
      let channel = owner.channel
      return try await withTaskCancellationHandler {
        try await channel.next()
      } onCancel: {
        channel.cancel()
      }
    }

    /// The run's report once the sequence has ended (nil before, or after an error).
    public var report: PipelineReport? { owner.channel.finalReport }

    /// Stops the processing thread when the iterator goes away (a loop left early), without
    /// waiting for it: the thread fails out of its next write and ends on its own.
    final class Owner: @unchecked Sendable {
      let channel: ChunkChannel
      let thread: JoinableThread
      init(channel: ChunkChannel, thread: JoinableThread) {
        self.channel = channel
        self.thread = thread
      }
      deinit {
        channel.cancel()
        thread.detach()
      }
    }
  }
}

/// Hands chunks from the pipeline's writing thread to an async consumer, one at a time: the
/// writer waits until the consumer has taken the previous chunk, so the pipeline's own bounded
/// buffer is what absorbs bursts.
final class ChunkChannel: AudioSink, @unchecked Sendable {
  private let lock = MonitorLock()
  private var slot: AudioChunk?
  private var waiting: CheckedContinuation<AudioChunk?, Error>?
  private var finished = false
  private var failure: Error?
  private var cancelled = false
  private(set) var finalReport: PipelineReport?

  /// Called on the pipeline's writing thread: blocks until the consumer takes the chunk.
  func write(_ chunk: AudioChunk) throws {
    lock.lock()
    while slot != nil && !cancelled { lock.wait() }
    if cancelled {
      lock.unlock()
      throw CancellationError()
    }
    if let consumer = waiting {
      waiting = nil
      lock.unlock()
      consumer.resume(returning: chunk)
      return
    }
    slot = chunk
    lock.unlock()
  }

  func finish() throws -> SinkSummary { SinkSummary() }
  func abort() {}

  /// The end of the stream, with its report or error.
  func close(report: PipelineReport?, error: Error?) {
    lock.lock()
    finished = true
    finalReport = report
    failure = error is CancellationError ? nil : error
    let consumer = waiting
    waiting = nil
    lock.unlock()
    if let consumer {
      if let error = failure { consumer.resume(throwing: error) } else { consumer.resume(returning: nil) }
    }
  }

  /// The consumer went away or its task was cancelled: let the writer fail out of its wait,
  /// and a consumer waiting in `next` get `CancellationError`.
  func cancel() {
    let consumer = lock.withLock {
      cancelled = true
      lock.broadcast()
      defer { waiting = nil }
      return waiting
    }
    consumer?.resume(throwing: CancellationError())
  }

  func next() async throws -> AudioChunk? {
    try await withCheckedThrowingContinuation { continuation in
      lock.lock()
      if let chunk = slot {
        slot = nil
        lock.broadcast()
        lock.unlock()
        continuation.resume(returning: chunk)
      } else if cancelled {
        lock.unlock()
        continuation.resume(throwing: CancellationError())
      } else if finished {
        let error = failure
        lock.unlock()
        if let error { continuation.resume(throwing: error) } else { continuation.resume(returning: nil) }
      } else {
        waiting = continuation
        lock.unlock()
      }
    }
  }
}
