extension AudioPipeline {
  /// The processed stream of `input`, pulled chunk by chunk on the caller's thread
  /// (`PulledChunks.next`), for callers that cannot await: the C interface's stream, a
  /// generator in another language.
  ///
  /// The run is `run(input, to: .sink)` on a thread of its own: the same checks, normalising
  /// first pass and chain as any run. Memory stays bounded: the run waits while the caller holds
  /// back, the pipeline's buffer of `configuration.bufferChunks` chunks plus one in hand.
  /// `range` and `trimsSilence` select what is handed over, as `Output.range` and
  /// `Output.trimsSilence` select what a file gets.
  public func pull(_ input: Input, range: TimeRange? = nil, trimsSilence: SpeechTrimSink.Settings? = nil) -> PulledChunks {
    PulledChunks(pipeline: self, input: input, range: range, trimsSilence: trimsSilence)
  }
}

/// Chunks of a run handed over one at a time; see `AudioPipeline.pull`.
///
/// Calling sequence: `next()` until it returns nil (the end) or throws (the run's error, the
/// same one `run` would throw); `close()` at any time stops the run and waits for its thread.
/// One caller at a time: `next` and `close` are not for concurrent use on one object.
public final class PulledChunks: @unchecked Sendable {
  private let handoff = ChunkHandoff()
  private var thread: JoinableThread?

  init(pipeline: AudioPipeline, input: AudioPipeline.Input, range: TimeRange?, trimsSilence: SpeechTrimSink.Settings?) {
    let handoff = self.handoff
    thread = JoinableThread {
      var output = AudioPipeline.Output(.sink(handoff))
      output.range = range
      output.trimsSilence = trimsSilence
      do {
        handoff.close(result: try pipeline.run(input, to: output), error: nil)
      } catch {
        handoff.close(result: nil, error: error)
      }
    }
  }

  /// The next chunk, waiting for it; nil at the end of the stream.
  public func next() throws -> AudioChunk? { try handoff.take() }

  /// The run's result (its report, what the decoder saw: a truncation), once `next` has
  /// returned nil.
  public var result: RunResult? { handoff.finalResult }

  /// The run's report, once `next` has returned nil.
  public var report: PipelineReport? { result?.report }

  /// Stops the run (a stream left early) and waits for its thread; the chunks not taken are
  /// dropped. Called again, or after the end, it does nothing.
  public func close() {
    handoff.cancel()
    thread?.join()
    thread = nil
  }

  deinit { close() }
}

/// The sink between a run's writing thread and the caller of `PulledChunks.next`: the writer
/// waits until the previous chunk has been taken.
final class ChunkHandoff: AudioSink, @unchecked Sendable {
  private let lock = MonitorLock()
  private var slot: AudioChunk?
  private var finished = false
  private var failure: Error?
  private var cancelled = false
  private var result: RunResult?

  var finalResult: RunResult? { lock.withLock { result } }

  /// On the run's writing thread: waits for the slot to empty; a closed stream fails the run
  /// (`RunInterrupted`), which then aborts like any other.
  func write(_ chunk: AudioChunk) throws {
    lock.lock()
    defer { lock.unlock() }
    while slot != nil && !cancelled { lock.wait() }
    if cancelled { throw RunInterrupted() }
    slot = chunk
    lock.broadcast()
  }

  func finish() throws -> SinkSummary { SinkSummary() }
  func abort() {}

  /// The end of the run, with its result or error.
  func close(result: RunResult?, error: Error?) {
    lock.withLock {
      finished = true
      self.result = result
      failure = error
      lock.broadcast()
    }
  }

  /// The caller stopped: a waiting writer fails out.
  func cancel() {
    lock.withLock {
      cancelled = true
      slot = nil
      lock.broadcast()
    }
  }

  /// The next chunk, the end (nil) or the run's error.
  func take() throws -> AudioChunk? {
    lock.lock()
    defer { lock.unlock() }
    while slot == nil && !finished && !cancelled { lock.wait() }
    if let chunk = slot {
      slot = nil
      lock.broadcast()
      return chunk
    }
    if cancelled { return nil }
    if let failure { throw failure }
    return nil
  }
}
