/// Where a segmented output cuts when it listens for speech: at utterances (`--utterances`), or
/// at pauses within a length limit (`--segment 30s --at-pauses`), with WebRTC's detector.
public struct SpeechCutting: Sendable, Equatable {
  public enum Kind: String, Sendable {
    /// One segment per speech region; the audio between regions is dropped.
    case utterances
    /// Windows covering the whole stream, no longer than the segment length, cut at pauses.
    case atPauses = "at-pauses"
  }

  public var kind: Kind
  public var rules: SpeechRegionRules
  /// WebRTC's aggressiveness, 0…3.
  public var detectorMode: Int
  public var frameMilliseconds: Int

  public init(_ kind: Kind, rules: SpeechRegionRules = SpeechRegionRules(), detectorMode: Int = 3, frameMilliseconds: Int = 30) {
    self.kind = kind
    self.rules = rules
    self.detectorMode = detectorMode
    self.frameMilliseconds = frameMilliseconds
  }

  /// Every choice that moves a boundary, for the batch fingerprint.
  public var fingerprint: String {
    "speech=\(kind.rawValue)/webrtc\(detectorMode)/\(frameMilliseconds)ms/threshold\(rules.threshold)"
      + "/min\(rules.minSpeechSeconds)s/max\(rules.maxSpeechSeconds)s/silence\(rules.minSilenceSeconds)s"
      + "/pad\(rules.speechPadSeconds)s/smooth\(rules.smoothingFrames)/search\(rules.pauseSearchSeconds)s"
      + (rules.noiseGate ? "/gate" : "")
  }

  /// The sink that listens to a stream of `stream` and writes its segments (`lengthFrames`, the
  /// window for `.atPauses`).
  /// - Throws: `DSPError.invalidParameter` for a rate the detector does not take or rules that cannot hold.
  public func makeSink(
    stream: StreamFormat, lengthFrames: Int, openSegment: @escaping (Int) throws -> FileSink,
    onFinished: @escaping (SegmentingSink.Segment) throws -> Void
  ) throws -> SpeechSegmentingSink {
    let detector = try VoiceActivityDetector(mode: detectorMode, frameMilliseconds: frameMilliseconds, noiseGate: rules.noiseGate)
    _ = try detector.prepare(stream)
    let planner: any SpeechCutPlanner =
      switch kind {
      case .utterances:
        try SpeechRegionTracker(rules: rules, sampleRate: stream.sampleRate, frameLength: detector.frameLength)
      case .atPauses:
        try PauseCutter(windowLength: lengthFrames, rules: rules, sampleRate: stream.sampleRate, frameLength: detector.frameLength)
      }
    return try SpeechSegmentingSink(
      planner: planner, detector: detector, stream: stream, openSegment: openSegment, onFinished: onFinished)
  }
}
