/// How frame decisions become speech regions, named and defaulted as silero-vad's
/// `get_speech_timestamps` (threshold 0.5, min_speech_duration_ms 250, max_speech_duration_s
/// inf, min_silence_duration_ms 100, speech_pad_ms 30).
///
/// The detector's decisions are smoothed into a speech probability: the share of speech frames
/// in a centred window of `smoothingFrames`. A region starts where it reaches `threshold` and
/// ends where it falls below `threshold - 0.15` (silero's hysteresis) for `minSilenceSeconds`.
/// With `noiseGate` (the default), a frame WebRTC calls speech counts only when its level stands
/// out of the noise floor of the frames it called non-speech (`SpeechNoiseGate`).
public struct SpeechRegionRules: Sendable, Equatable {
  public var threshold: Double
  /// Regions shorter than this (before padding) are dropped.
  public var minSpeechSeconds: Double
  /// Longer regions (padding included) are split at their best internal pause, or cut hard.
  public var maxSpeechSeconds: Double
  /// Shorter gaps are merged into the region around them.
  public var minSilenceSeconds: Double
  /// Added at both ends of a region; a gap shorter than two pads is split in the middle.
  public var speechPadSeconds: Double
  /// The centred window the decisions are averaged over (odd; 1 = no smoothing).
  public var smoothingFrames: Int
  /// How far before the length limit a split (`maxSpeechSeconds`) or a pause-aware cut looks for
  /// its pause: at most this long, and at most a third of the limit.
  public var pauseSearchSeconds: Double
  /// Whether the detector's speech frames must stand out of the noise floor (`SpeechNoiseGate`).
  public var noiseGate: Bool

  public init(
    threshold: Double = 0.5, minSpeechSeconds: Double = 0.25, maxSpeechSeconds: Double = .infinity,
    minSilenceSeconds: Double = 0.1, speechPadSeconds: Double = 0.03, smoothingFrames: Int = 5,
    pauseSearchSeconds: Double = 10, noiseGate: Bool = true
  ) {
    self.threshold = threshold
    self.minSpeechSeconds = minSpeechSeconds
    self.maxSpeechSeconds = maxSpeechSeconds
    self.minSilenceSeconds = minSilenceSeconds
    self.speechPadSeconds = speechPadSeconds
    self.smoothingFrames = smoothingFrames
    self.pauseSearchSeconds = pauseSearchSeconds
    self.noiseGate = noiseGate
  }

  /// silero's `neg_threshold`.
  public var releaseThreshold: Double { threshold - 0.15 }

  /// - Throws: `DSPError.invalidParameter` naming the rule that cannot hold.
  public func validate() throws {
    guard threshold > 0, threshold <= 1 else { throw DSPError.invalidParameter("the speech threshold is in (0, 1], got \(threshold)") }
    guard minSpeechSeconds >= 0, minSilenceSeconds >= 0, speechPadSeconds >= 0 else {
      throw DSPError.invalidParameter("speech and silence durations and the pad cannot be negative")
    }
    guard maxSpeechSeconds > 2 * speechPadSeconds + minSpeechSeconds else {
      throw DSPError.invalidParameter(
        "the longest speech (\(maxSpeechSeconds)s) must exceed the shortest (\(minSpeechSeconds)s) plus two pads (\(2 * speechPadSeconds)s)")
    }
    guard smoothingFrames >= 1, smoothingFrames % 2 == 1 else {
      throw DSPError.invalidParameter("the smoothing window is an odd number of frames, got \(smoothingFrames)")
    }
    guard pauseSearchSeconds > 0 else { throw DSPError.invalidParameter("the pause search must be positive") }
  }
}
