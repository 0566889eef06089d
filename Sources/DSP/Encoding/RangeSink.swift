/// Passes on only frames [start, end) of the stream (`--start`, `--end`, `--duration`): the same
/// samples the whole output holds there, exact to the sample (the chain runs over the whole input,
/// so filters and the resampler have their history at the range's first sample).
public final class RangeSink: AudioSink {
  public let frames: Range<Int>
  private let sink: AudioSink
  private var position = 0

  public init(frames: Range<Int>, forwardingTo sink: AudioSink) {
    self.frames = frames
    self.sink = sink
  }

  public func write(_ chunk: AudioChunk) throws {
    let count = chunk.frameCount
    defer { position += count }
    let from = max(frames.lowerBound, position) - position
    let to = min(frames.upperBound, position + count) - position
    guard from < to else { return }
    if from == 0 && to == count { return try sink.write(chunk) }
    let channels = chunk.channels
    try sink.write(AudioChunk(samples: Array(chunk.samples[(from * channels)..<(to * channels)]), channels: channels))
  }

  public func finish() throws -> SinkSummary { try sink.finish() }
  public func abort() { sink.abort() }
}

/// A time range of the input, in seconds (`--start`, `--end`/`--duration`).
public struct TimeRange: Sendable, Equatable {
  public var startSeconds: Double
  /// nil: to the end.
  public var endSeconds: Double?

  public init(startSeconds: Double = 0, endSeconds: Double? = nil) {
    self.startSeconds = startSeconds
    self.endSeconds = endSeconds
  }

  /// The frames at `rate`, each bound rounded to the nearest frame.
  public func frames(at rate: Int) -> Range<Int> {
    let start = Int((startSeconds * Double(rate)).rounded())
    let end = endSeconds.map { Int(($0 * Double(rate)).rounded()) } ?? Int.max
    return start..<max(start, end)
  }

  /// The frames `speechExtent` found at `sampleRate`, or an empty range when there is no speech.
  public init(speechExtent: Range<Int>?, sampleRate: Int) {
    let frames = speechExtent ?? 0..<0
    self.init(
      startSeconds: Double(frames.lowerBound) / Double(sampleRate), endSeconds: Double(frames.upperBound) / Double(sampleRate))
  }

  public var fingerprint: String { "range=\(startSeconds)s-\(endSeconds.map { "\($0)s" } ?? "end")" }
}
