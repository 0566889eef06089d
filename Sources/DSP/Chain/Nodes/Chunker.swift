/// Cuts a stream into chunks of exactly `framesPerChunk` frames, as the browser's audio worklet
/// was fed. The last chunk is short unless `pad` fills it with silence.
public struct Chunker {
  /// Frames in every chunk but possibly the last.
  public let framesPerChunk: Int
  /// Whether the last chunk is zero-padded to full length.
  public let pad: Bool
  private var pending: AudioChunk

  public init(framesPerChunk: Int, channels: Int, pad: Bool = false) {
    precondition(framesPerChunk > 0, "a chunk holds at least one frame")
    self.framesPerChunk = framesPerChunk
    self.pad = pad
    pending = AudioChunk(channels: channels)
    pending.samples.reserveCapacity(framesPerChunk * channels)
  }

  /// Adds `chunk`'s frames and hands each completed chunk to `emit`, in order.
  public mutating func append(_ chunk: AudioChunk, emit: (AudioChunk) throws -> Void) rethrows {
    let size = framesPerChunk * pending.channels
    var offset = 0
    let samples = chunk.samples
    while offset < samples.count {
      let take = min(size - pending.samples.count, samples.count - offset)
      pending.samples.append(contentsOf: samples[offset..<offset + take])
      offset += take
      if pending.samples.count == size {
        try emit(pending)
        pending.removeAll()
      }
    }
  }

  /// Emits the partial last chunk, if any (padded with zeros when `pad` is set).
  public mutating func finish(emit: (AudioChunk) throws -> Void) rethrows {
    guard !pending.isEmpty else { return }
    if pad {
      let size = framesPerChunk * pending.channels
      pending.samples.append(contentsOf: [Float](repeating: 0, count: size - pending.samples.count))
    }
    try emit(pending)
    pending.removeAll()
  }
}
