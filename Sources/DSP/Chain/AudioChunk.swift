/// A block of interleaved Float32 samples flowing between nodes.
///
/// The storage is reused from block to block (`removeAll(keepingCapacity:)`), so a steady stream
/// allocates nothing once its buffers have grown to the block size.
public struct AudioChunk: Sendable {
  /// Interleaved samples: frame 0 channel 0, frame 0 channel 1, …
  public var samples: [Float]
  /// Interleaved channels per frame.
  public var channels: Int

  public init(samples: [Float] = [], channels: Int) {
    precondition(channels > 0, "a chunk needs at least one channel")
    self.samples = samples
    self.channels = channels
  }

  /// Whole frames held.
  public var frameCount: Int { samples.count / channels }

  public var isEmpty: Bool { samples.isEmpty }

  /// Empties the chunk and keeps its storage for the next block.
  public mutating func removeAll() { samples.removeAll(keepingCapacity: true) }
}
