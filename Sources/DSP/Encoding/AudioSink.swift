/// Where processed chunks go: a file, standard output, or memory in tests.
public protocol AudioSink: AnyObject {
  /// Writes every frame of `chunk`.
  func write(_ chunk: AudioChunk) throws
  /// Completes the output (closes, renames into place) and says what it wrote. Called once,
  /// after the last write.
  func finish() throws -> SinkSummary
  /// Discards a partial output. Called instead of `finish` when the run fails.
  func abort()
}

/// Writes nothing: for runs that only measure or compare.
public final class DiscardingSink: AudioSink {
  public init() {}
  public func write(_ chunk: AudioChunk) throws {}
  public func finish() throws -> SinkSummary { SinkSummary() }
  public func abort() {}
}

/// Keeps everything written, in memory: for tests and for callers that want the samples.
public final class MemorySink: AudioSink {
  public private(set) var samples: [Float] = []
  /// The chunks in the order received, with their sizes.
  public private(set) var chunkSizes: [Int] = []
  public private(set) var finished = false
  /// Called before each write; tests use it to make a slow consumer.
  public var beforeWrite: (() -> Void)?

  public init() {}

  public func write(_ chunk: AudioChunk) throws {
    beforeWrite?()
    samples.append(contentsOf: chunk.samples)
    chunkSizes.append(chunk.frameCount)
  }

  public func finish() throws -> SinkSummary {
    finished = true
    return SinkSummary(samples: samples)
  }
  public func abort() {}
}
