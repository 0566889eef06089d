/// Measures a stream's speech without writing it (`info --speech`): WebRTC's decisions turned
/// into regions by `SpeechRegionRules`, as `--utterances` would cut them, counted and summed.
/// Holds nothing but the detector's frame and the tracker's state.
public final class SpeechMeter: AudioSink {
  private let detector: VoiceActivityDetector
  private var tracker: SpeechRegionTracker
  private var cuts: [SpeechCut] = []
  private var openStart: Int?
  public private(set) var frames = 0
  /// Regions found, and the frames they cover (pads included).
  public private(set) var regions = 0
  public private(set) var speechFrames = 0
  public let sampleRate: Int
  /// Hears of each region (frames of the stream, pads included) once its end is decided.
  public var onRegion: (Range<Int>) throws -> Void = { _ in }

  /// - Throws: `DSPError.invalidParameter` for a rate the detector does not take.
  public init(stream: StreamFormat, rules: SpeechRegionRules = SpeechRegionRules(), detectorMode: Int = 3) throws {
    detector = try VoiceActivityDetector(mode: detectorMode, noiseGate: rules.noiseGate)
    _ = try detector.prepare(stream)
    tracker = try SpeechRegionTracker(rules: rules, sampleRate: stream.sampleRate, frameLength: detector.frameLength)
    sampleRate = stream.sampleRate
    detector.onFrame = { [unowned self] speech in self.tracker.append(speech, into: &self.cuts) }
  }

  public var speechSeconds: Double { Double(speechFrames) / Double(sampleRate) }
  public var seconds: Double { Double(frames) / Double(sampleRate) }
  /// Speech time over the stream's length (0 for an empty stream).
  public var ratio: Double { frames > 0 ? Double(speechFrames) / Double(frames) : 0 }

  public func write(_ chunk: AudioChunk) throws {
    frames += chunk.frameCount
    try detector.analyze(chunk)
    try count()
  }

  public func finish() throws -> SinkSummary {
    tracker.finish(totalSamples: frames, into: &cuts)
    try count()
    return SinkSummary()
  }

  public func abort() {}

  private func count() throws {
    for cut in cuts {
      switch cut {
      case .start(let sample): openStart = sample
      case .end(let sample, _, _):
        if let start = openStart {
          regions += 1
          speechFrames += sample - start
          try onRegion(start..<sample)
        }
        openStart = nil
      }
    }
    cuts.removeAll(keepingCapacity: true)
  }
}
