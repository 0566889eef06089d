/// Writes the stream as consecutive fixed-length files (`out_0000.wav`, `out_0001.wav`, …),
/// optionally overlapping, each through its own `FileSink` (so each appears only when complete).
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
    public var frames: Int
  }

  public let lengthFrames: Int
  public let overlapFrames: Int
  /// Zero-pad the last segment to full length.
  public let pad: Bool
  private let pathForIndex: (Int) -> String
  private let format: OutputFileFormat
  private let stream: StreamFormat
  private let overwrite: Bool
  private let onFinished: (Segment) throws -> Void
  private let temporaryFiles: TemporaryFileObserver?
  /// Open segments, oldest first, with the frames each has received.
  private var open: [(segment: Segment, sink: FileSink)] = []
  private var position = 0
  private var nextIndex = 0
  private var clippedInClosed = 0

  /// Samples clipped in every segment so far.
  public var clippedSamples: Int { clippedInClosed + open.reduce(0) { $0 + $1.sink.clippedSamples } }

  /// Temporary paths of the segments being written (for signal cleanup).
  public var temporaryPaths: [String] { open.map(\.sink.temporaryPath) }

  private var hop: Int { lengthFrames - overlapFrames }

  public init(
    lengthFrames: Int, overlapFrames: Int = 0, pad: Bool = false, format: OutputFileFormat, stream: StreamFormat,
    overwrite: Bool, path: @escaping (Int) -> String, onFinished: @escaping (Segment) throws -> Void = { _ in },
    temporaryFiles: TemporaryFileObserver? = nil
  ) throws {
    self.temporaryFiles = temporaryFiles
    guard lengthFrames > 0, overlapFrames >= 0, overlapFrames < lengthFrames else {
      throw DSPError.invalidParameter("segment overlap must be shorter than the segment")
    }
    self.lengthFrames = lengthFrames
    self.overlapFrames = overlapFrames
    self.pad = pad
    self.format = format
    self.stream = stream
    self.overwrite = overwrite
    self.pathForIndex = path
    self.onFinished = onFinished
    // Refuse before any work if the first segment's name is taken.
    if !overwrite, FileSink.exists(path(0)) {
      throw AudioIOError(.cannotCreateOutput, path: path(0), "already exists (use --force to replace it)")
    }
  }

  public func write(_ chunk: AudioChunk) throws {
    let channels = chunk.channels
    var offset = 0
    let frames = chunk.frameCount
    while offset < frames {
      // Open every segment that starts at or before this frame.
      if position == nextIndex * hop { try openSegment() }
      // Write up to the next boundary: a segment's end or the next segment's start.
      let nextStart = nextIndex * hop
      let nearestEnd = open.map { $0.segment.startFrame + lengthFrames }.min() ?? Int.max
      let take = min(frames - offset, nextStart - position, nearestEnd - position)
      let piece = AudioChunk(samples: Array(chunk.samples[(offset * channels)..<((offset + take) * channels)]), channels: channels)
      for index in open.indices {
        try open[index].sink.write(piece)
        open[index].segment.frames += take
      }
      offset += take
      position += take
      while let first = open.first, first.segment.startFrame + lengthFrames == position { try closeOldest() }
    }
  }

  public func finish() throws {
    // Segments that started after the last frame would be empty: none was opened. The open ones
    // end short, or padded to full length.
    while !open.isEmpty {
      if pad {
        let missing = open[0].segment.startFrame + lengthFrames - position
        if missing > 0 {
          let silence = AudioChunk(samples: [Float](repeating: 0, count: missing * stream.channels), channels: stream.channels)
          for index in open.indices {
            try open[index].sink.write(silence)
            open[index].segment.frames += missing
          }
          position += missing
        }
      }
      try closeOldest()
    }
  }

  public func abort() {
    for (_, sink) in open {
      sink.abort()
      temporaryFiles?.removed(sink.temporaryPath)
    }
    open = []
  }

  private func openSegment() throws {
    let path = pathForIndex(nextIndex)
    let sink = try FileSink(path: path, format: format, stream: stream, overwrite: overwrite)
    temporaryFiles?.created(sink.temporaryPath)
    open.append((Segment(index: nextIndex, path: path, startFrame: position, frames: 0), sink))
    nextIndex += 1
  }

  private func closeOldest() throws {
    let (segment, sink) = open.removeFirst()
    defer { temporaryFiles?.removed(sink.temporaryPath) }
    try sink.finish()
    clippedInClosed += sink.clippedSamples
    try onFinished(segment)
  }
}

/// Told when a sink creates a temporary file and when it is gone (renamed or removed), so that
/// a signal handler can clean up what is in flight.
public struct TemporaryFileObserver {
  public var created: (String) -> Void
  public var removed: (String) -> Void

  public init(created: @escaping (String) -> Void, removed: @escaping (String) -> Void) {
    self.created = created
    self.removed = removed
  }
}
