/// Where processed chunks go: a file, standard output, or memory in tests.
public protocol AudioSink: AnyObject {
  /// Writes every frame of `chunk`.
  func write(_ chunk: AudioChunk) throws
  /// Completes the output (closes, renames into place). Called once, after the last write.
  func finish() throws
  /// Discards a partial output. Called instead of `finish` when the run fails.
  func abort()
}

/// A sink whose finished outputs stay provisional until the run completes: a run whose later
/// step fails (its statistics file) takes them back, one that completes settles them. Until
/// then an earlier file each replaced (`overwrite`) is kept aside, and comes back on `retract`
/// or on a signal: a failing run leaves what was there before it.
public protocol Retractable {
  /// Takes back every output `finish` moved into place, if still the same files: the earlier
  /// file comes back, or the name is removed where there was none.
  func retract()
  /// The run completed: its outputs stay, whatever signal comes later.
  func settle()
}

/// A sink that encodes to a limited range and counts the samples it had to clip
/// (`SampleEncoder`); the pipeline's report takes the count from it.
public protocol ClipCounting {
  /// Samples clipped to full scale so far.
  var clippedSamples: Int { get }
}

/// Writes nothing: for runs that only measure or compare.
public final class DiscardingSink: AudioSink {
  public init() {}
  public func write(_ chunk: AudioChunk) throws {}
  public func finish() throws {}
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

  public func finish() throws { finished = true }
  public func abort() {}
}
