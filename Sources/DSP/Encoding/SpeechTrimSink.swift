/// Passes on the stream from its first speech region's start to its last one's end (pads
/// included, the non-speech between regions kept): `--trim-silence` on a stream, which cannot be
/// read twice as a file is (`AudioPipeline.speechExtent`).
///
/// The regions are those `--utterances` cuts (WebRTC's detector and `SpeechRegionRules`), each
/// boundary decided at most the rules' look-ahead after it. Before the first region, audio older
/// than the look-ahead is dropped. Inside a region, audio older than the look-ahead is passed on.
/// After a region's end, the non-speech is held until the next region starts (then it is passed
/// on: it lies between two regions) or the stream ends (then it is dropped) — but never more than
/// `holdSeconds` of it: beyond that the oldest is passed on, as if more speech were to come. So
/// the output is the file's trimmed output exactly whenever the stream ends no more than
/// `holdSeconds` after its last speech; after a longer trailing silence, all but its last
/// `holdSeconds` are kept. Memory: at most `holdSeconds` (or the look-ahead, if longer) and a chunk.
public final class SpeechTrimSink: AudioSink {
  /// How the stream is listened to and how much trailing non-speech may be held.
  public struct Settings: Sendable, Equatable {
    public var rules: SpeechRegionRules
    /// WebRTC's aggressiveness, 0…3.
    public var detectorMode: Int
    /// The most non-speech held after a region, waiting for the next one, in seconds.
    public var holdSeconds: Double

    /// 30 s: the longest trailing non-speech a stream's trimmed output drops whole.
    public static let defaultHoldSeconds = 30.0

    public init(rules: SpeechRegionRules = SpeechRegionRules(), detectorMode: Int = 3, holdSeconds: Double = Self.defaultHoldSeconds) {
      self.rules = rules
      self.detectorMode = detectorMode
      self.holdSeconds = holdSeconds
    }
  }

  private let sink: AudioSink
  private let detector: VoiceActivityDetector
  private var tracker: SpeechRegionTracker
  private var cuts: [SpeechCut] = []
  private let channels: Int
  private let holdFrames: Int
  /// Interleaved samples of frames [decided, received), from `offset` in `buffer`.
  private var buffer: [Float] = []
  private var offset = 0
  private var received = 0
  /// Frames before this are passed on or dropped.
  private var decided = 0
  private var started = false
  private var inRegion = false
  /// The most audio held back at once, in frames.
  public private(set) var peakHeldFrames = 0
  /// Frames passed on so far: the output's length once finished.
  public private(set) var passedFrames = 0

  /// The look-ahead, in frames of the stream.
  public var lookAheadFrames: Int { tracker.lookAheadSamples }

  /// - Throws: `DSPError.invalidParameter` for a rate the detector does not take, or rules that cannot hold.
  public init(_ settings: Settings, stream: StreamFormat, forwardingTo sink: AudioSink) throws {
    self.sink = sink
    detector = try VoiceActivityDetector(mode: settings.detectorMode, noiseGate: settings.rules.noiseGate)
    _ = try detector.prepare(stream)
    tracker = try SpeechRegionTracker(rules: settings.rules, sampleRate: stream.sampleRate, frameLength: detector.frameLength)
    channels = stream.channels
    holdFrames = max(0, Int((settings.holdSeconds * Double(stream.sampleRate)).rounded()))
    detector.onFrame = { [unowned self] speech in self.tracker.append(speech, into: &self.cuts) }
  }

  public func write(_ chunk: AudioChunk) throws {
    buffer.append(contentsOf: chunk.samples)
    received += chunk.frameCount
    peakHeldFrames = max(peakHeldFrames, received - decided)
    try detector.analyze(chunk)
    try follow()
    let settled = received - tracker.lookAheadSamples
    if !started {
      drop(until: settled)  // no region can start this early any more
    } else if inRegion {
      try pass(until: settled)
    } else {
      try pass(until: received - max(holdFrames, tracker.lookAheadSamples))
    }
  }

  public func finish() throws -> SinkSummary {
    tracker.finish(totalSamples: received, into: &cuts)
    try follow()
    return try sink.finish()  // what follows the last region is dropped
  }

  public func abort() { sink.abort() }

  /// Acts on the boundaries decided so far.
  private func follow() throws {
    for cut in cuts {
      switch cut {
      case .start(let sample):
        if started { try pass(until: sample) } else { drop(until: sample) }
        started = true
        inRegion = true
      case .end(let sample, speech: _, hard: _):
        try pass(until: sample)
        inRegion = false
      }
    }
    cuts.removeAll(keepingCapacity: true)
  }

  /// Passes frames [decided, end) on.
  private func pass(until end: Int) throws {
    let count = min(end, received) - decided
    guard count > 0 else { return }
    try sink.write(AudioChunk(samples: Array(buffer[offset..<(offset + count * channels)]), channels: channels))
    passedFrames += count
    consume(count)
  }

  /// Drops frames [decided, end).
  private func drop(until end: Int) {
    let count = min(end, received) - decided
    guard count > 0 else { return }
    consume(count)
  }

  private func consume(_ frames: Int) {
    decided += frames
    offset += frames * channels
    // Compacted once the consumed part is the larger: moves are amortised, memory stays bounded.
    if offset * 2 >= buffer.count {
      buffer.removeFirst(offset)
      offset = 0
    }
  }
}
