/// Where samples come from: a file, standard input, or memory in tests.
public protocol AudioSource: AnyObject {
  /// The format of the frames `read` returns.
  var format: StreamFormat { get }
  /// Replaces `chunk`'s contents with up to `maxFrames` frames; returns 0 at end of stream.
  func read(into chunk: inout AudioChunk, maxFrames: Int) throws -> Int
  /// Whether the input arrives as a stream (standard input, a FIFO, a live source), whose output
  /// must follow it without look-ahead (`InputTiming`); false for files and memory.
  var isStream: Bool { get }
  /// Whether its samples come from floats (a float WAV, memory), which may be NaN, ±Inf or huge:
  /// the chain then repairs them first (`FloatRepair`). Integer formats cannot.
  var deliversFloats: Bool { get }
}

extension AudioSource {
  public var isStream: Bool { false }
  public var deliversFloats: Bool { false }
}

/// Samples held in memory, read block by block: for tests and for callers that have them.
public final class MemorySource: AudioSource {
  public let format: StreamFormat
  /// Memory can hold anything.
  public var deliversFloats: Bool { true }
  private let samples: [Float]
  private var position = 0

  public init(samples: [Float], format: StreamFormat) {
    self.samples = samples
    self.format = format
  }

  public func read(into chunk: inout AudioChunk, maxFrames: Int) throws -> Int {
    let channels = format.channels
    let frames = min(maxFrames, (samples.count - position) / channels)
    chunk.channels = channels
    chunk.removeAll()
    chunk.samples.append(contentsOf: samples[position..<position + frames * channels])
    position += frames * channels
    return frames
  }
}
