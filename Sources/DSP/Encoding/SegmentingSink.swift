/// Writes the stream as consecutive fixed-length files (`out_0000.wav`, `out_0001.wav`, …),
/// optionally overlapping, each through its own `FileSink` (so each appears only when complete,
/// and every rule of `OutputFile` applies to each).
///
/// Segment k covers output frames [k·hop, k·hop + length) with hop = length − overlap. A frame
/// belongs to every segment that covers it, so overlapping segments are written side by side
/// and nothing is buffered: memory does not depend on the segment length.
public final class SegmentingSink: AudioSink {
  /// One finished segment, as the sidecar lists it.
  public struct Segment: Sendable, Equatable {
    public var index: Int
    public var path: String
    public var startFrame: Int
    /// Frames in the file (zero padding included).
    public var frames: Int
    /// Frames of the source in it: `frames` less any padding.
    public var sourceFrames: Int
    /// Whether speech was detected in it; nil when no detector ran (fixed-length segments).
    public var speech: Bool? = nil
    /// Cut at the length limit because there was no pause to cut at (`--at-pauses`,
    /// `--max-speech`).
    public var hardCut = false
    /// Where its bytes can be read until the run settles (`OutputFile.committedBytesPath`): a
    /// segment that replaces an earlier file waits under a name of its own until then.
    package var committedBytesPath: String?

    public init(index: Int, path: String, startFrame: Int, frames: Int, sourceFrames: Int, speech: Bool? = nil) {
      self.index = index
      self.path = path
      self.startFrame = startFrame
      self.frames = frames
      self.sourceFrames = sourceFrames
      self.speech = speech
    }
  }

  public let lengthFrames: Int
  public let overlapFrames: Int
  /// Zero-pad the last segment to full length.
  public let pad: Bool
  private let openSegment: (Int) throws -> FileSink
  private let stream: StreamFormat
  private let onFinished: (Segment) throws -> Void
  /// Open segments, oldest first, with the frames each has received.
  private var open: [(segment: Segment, sink: FileSink)] = []
  /// Segments moved into place, taken back by `abort`: a few hundred bytes each (no buffers), the
  /// one thing that grows with the number of segments.
  private var finished = CommittedOutputs()
  private var position = 0
  /// The end of the stream covered by the segments closed so far.
  private var coveredUntil = 0
  private var nextIndex = 0
  private var clippedInClosed = 0

  /// Samples clipped in every segment so far.
  public var clippedSamples: Int { clippedInClosed + open.reduce(0) { $0 + $1.sink.clippedSamples } }

  private var hop: Int { lengthFrames - overlapFrames }

  /// `openSegment(k)` opens segment k's file; `onFinished` hears of each one moved into place.
  public init(
    lengthFrames: Int, overlapFrames: Int = 0, pad: Bool = false, stream: StreamFormat,
    openSegment: @escaping (Int) throws -> FileSink, onFinished: @escaping (Segment) throws -> Void = { _ in }
  ) throws {
    guard lengthFrames > 0, overlapFrames >= 0, overlapFrames < lengthFrames else {
      throw DSPError.invalidParameter("segment overlap must be shorter than the segment")
    }
    self.lengthFrames = lengthFrames
    self.overlapFrames = overlapFrames
    self.pad = pad
    self.stream = stream
    self.openSegment = openSegment
    self.onFinished = onFinished
  }

  public func write(_ chunk: AudioChunk) throws {
    let channels = chunk.channels
    var offset = 0
    let frames = chunk.frameCount
    while offset < frames {
      // Open every segment that starts at or before this frame.
      if position == nextIndex * hop { try startSegment() }
      // Write up to the next boundary: a segment's end or the next segment's start.
      let nextStart = nextIndex * hop
      let nearestEnd = open.map { $0.segment.startFrame + lengthFrames }.min() ?? Int.max
      let take = min(frames - offset, nextStart - position, nearestEnd - position)
      let piece = AudioChunk(samples: Array(chunk.samples[(offset * channels)..<((offset + take) * channels)]), channels: channels)
      for index in open.indices {
        try open[index].sink.write(piece)
        open[index].segment.frames += take
        open[index].segment.sourceFrames += take
      }
      offset += take
      position += take
      while let first = open.first, first.segment.startFrame + lengthFrames == position { try closeOldest() }
    }
  }

  /// Closes the segments still open at the end of the stream. The oldest one runs to the end
  /// (short, or zero-padded to full length with `pad`); a younger one lies wholly inside an
  /// earlier segment and holds no audio of its own, so it is removed rather than listed.
  public func finish() throws -> SinkSummary {
    do {
      try closeAll()
    } catch {
      abort()
      throw error
    }
    defer { finished = CommittedOutputs() }
    return SinkSummary(clippedSamples: clippedSamples, outputs: finished)
  }

  private func closeAll() throws {
    let end = position
    while let oldest = open.first {
      if coveredUntil >= end {
        open.removeFirst()
        oldest.sink.abort()
        continue
      }
      let missing = oldest.segment.startFrame + lengthFrames - end
      if pad && missing > 0 {
        let silence = AudioChunk(samples: [Float](repeating: 0, count: missing * stream.channels), channels: stream.channels)
        try oldest.sink.write(silence)
        open[0].segment.frames += missing
      }
      try closeOldest()
    }
  }

  /// Removes every segment of this run: those being written, and those already moved into
  /// place (a run that fails part-way leaves none of its segments, as a single output).
  public func abort() {
    for (_, sink) in open { sink.abort() }
    open = []
    finished.retract()
  }

  private func startSegment() throws {
    // Until the run completes (`settle`), a signal takes a finished segment back too (a
    // `FileSink` holds its output until settled).
    let sink = try openSegment(nextIndex)
    open.append((Segment(index: nextIndex, path: sink.path, startFrame: position, frames: 0, sourceFrames: 0), sink))
    nextIndex += 1
  }

  private func closeOldest() throws {
    var (segment, sink) = open.removeFirst()
    coveredUntil = max(coveredUntil, segment.startFrame + segment.sourceFrames)
    let summary = try sink.finish()
    segment.committedBytesPath = summary.outputs.committedBytesPaths.first
    finished.append(contentsOf: summary.outputs)
    clippedInClosed += summary.clippedSamples
    try onFinished(segment)
  }
}
