/// Writes the stream as one file per segment a speech-aware planner cuts (`--utterances`,
/// `--segment … --at-pauses`), each through its own `FileSink`, exact to the sample: a segment
/// holds the stream's samples [start, end) as they were written, nothing changed.
///
/// The detector listens to every chunk; the planner decides each boundary at most
/// `lookAheadSamples` after it, so the sink holds back that much audio and no more: memory does
/// not depend on the stream's or a segment's length (a segment's audio is written as it comes,
/// not held whole). Audio outside every segment (silence between utterances) is dropped.
public final class SpeechSegmentingSink: AudioSink {
  public typealias Segment = SegmentingSink.Segment

  private var planner: any SpeechCutPlanner
  private let detector: VoiceActivityDetector
  private let stream: StreamFormat
  private let openSegment: (Int) throws -> FileSink
  private let onFinished: (Segment) throws -> Void
  /// Interleaved samples from frame `bufferStart` on: at most the look-ahead and one chunk.
  private var buffer: [Float] = []
  private var bufferStart = 0
  private var received = 0
  /// Where writing has got to: everything before it is in a segment or dropped.
  private var position = 0
  private var pending: [SpeechCut] = []
  private var current: (segment: Segment, sink: FileSink)?
  /// A segment started whose file is not open yet.
  private var opening: Int?
  private var nextIndex = 0
  private var finished = CommittedOutputs()
  private var clippedInClosed = 0
  /// The most audio held back at once, in frames: at most the look-ahead plus a chunk (the
  /// buffer holding it is compacted at twice that).
  public private(set) var peakHeldFrames = 0

  /// The look-ahead, in frames of the stream: how long the sink holds audio back.
  public var lookAheadFrames: Int { planner.lookAheadSamples }

  /// - Throws: `DSPError.invalidParameter` for a stream the detector does not take.
  public init(
    planner: any SpeechCutPlanner, detector: VoiceActivityDetector, stream: StreamFormat,
    openSegment: @escaping (Int) throws -> FileSink, onFinished: @escaping (Segment) throws -> Void = { _ in }
  ) throws {
    self.planner = planner
    self.detector = detector
    self.stream = stream
    self.openSegment = openSegment
    self.onFinished = onFinished
    _ = try detector.prepare(stream)
    guard detector.frameLength == planner.frameLength else {
      throw DSPError.invalidParameter("the planner's frames (\(planner.frameLength)) are not the detector's (\(detector.frameLength))")
    }
    detector.onFrame = { [unowned self] speech in self.planner.append(speech, into: &self.pending) }
  }

  public var clippedSamples: Int { clippedInClosed + (current?.sink.clippedSamples ?? 0) }

  public func write(_ chunk: AudioChunk) throws {
    buffer.append(contentsOf: chunk.samples)
    received += chunk.frameCount
    peakHeldFrames = max(peakHeldFrames, received - position)
    try detector.analyze(chunk)
    try drain(until: max(position, received - planner.lookAheadSamples))
  }

  public func finish() throws -> SinkSummary {
    do {
      planner.finish(totalSamples: received, into: &pending)
      try drain(until: received)
      if current != nil { try close(at: received, speech: true) }
    } catch {
      abort()
      throw error
    }
    defer { finished = CommittedOutputs() }
    return SinkSummary(clippedSamples: clippedSamples, outputs: finished)
  }

  public func abort() {
    current?.sink.abort()
    current = nil
    finished.retract()
  }

  /// Applies every cut before `limit` in order and writes (or drops) the audio up to it.
  private func drain(until limit: Int) throws {
    var applied = 0
    while applied < pending.count, pending[applied].sample <= limit {
      let cut = pending[applied]
      try advance(to: cut.sample)
      switch cut {
      case .start(let sample):
        if current != nil { try close(at: sample, speech: true) }
        // The file is opened at the segment's first sample: an empty segment leaves none.
        opening = sample
      case .end(let sample, let speech, let hard):
        try close(at: sample, speech: speech, hard: hard)
        opening = nil
      }
      applied += 1
    }
    pending.removeFirst(applied)
    try advance(to: limit)
    // Let go of what is written; compact once the dead part outgrows the live one.
    let dead = (position - bufferStart) * stream.channels
    if dead > 0, dead >= buffer.count - dead {
      buffer.removeFirst(dead)
      bufferStart = position
    }
  }

  /// Writes [position, target) to the open segment, or drops it when none is open.
  private func advance(to target: Int) throws {
    guard target > position else { return }
    if let start = opening {
      opening = nil
      let sink = try openSegment(nextIndex)
      current = (Segment(index: nextIndex, path: sink.path, startFrame: start, frames: 0, sourceFrames: 0), sink)
    }
    if let (_, sink) = current {
      let channels = stream.channels
      let from = (position - bufferStart) * channels
      let to = (target - bufferStart) * channels
      try sink.write(AudioChunk(samples: Array(buffer[from..<to]), channels: channels))
      current!.segment.frames += target - position
      current!.segment.sourceFrames += target - position
    }
    position = target
  }

  private func close(at sample: Int, speech: Bool, hard: Bool = false) throws {
    guard let (opened, sink) = current else { return }
    current = nil
    var segment = opened
    segment.hardCut = hard
    segment.speech = speech
    let summary = try sink.finish()
    segment.committedBytesPath = summary.outputs.committedBytesPaths.first
    finished.append(contentsOf: summary.outputs)
    clippedInClosed += summary.clippedSamples
    nextIndex += 1
    try onFinished(segment)
  }
}
