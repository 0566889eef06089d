/// Speech regions from frame decisions, as they stream (`--utterances`): silero-vad's
/// `get_speech_timestamps` rules (`SpeechRegionRules`) applied to WebRTC's frames.
///
/// A region starts where the smoothed probability reaches the threshold and ends where it stays
/// below the release threshold for the minimum silence (shorter gaps are merged). It is
/// confirmed, and its start cut, once it has lasted the minimum speech; shorter ones are dropped.
/// One longer than the maximum (pads included) is split at the longest pause in its last part
/// (`pauseSearchSeconds`), or cut hard at the limit where there is none. Each region is padded
/// at both ends; a gap shorter than two pads is split in the middle.
public struct SpeechRegionTracker: SpeechCutPlanner {
  public let rules: SpeechRegionRules
  public let frameLength: Int
  public let lookAheadSamples: Int
  /// Regions split because they reached the maximum: at a pause, or hard (no pause to cut at).
  public private(set) var pauseSplits = 0
  public private(set) var hardSplits = 0

  private let minSpeechFrames: Int
  private let minSilenceFrames: Int
  private let maxSpeechFrames: Int?
  private let searchFrames: Int
  private let pad: Int
  private var smoother: SpeechFrameSmoother
  /// The region being heard (frames): its start, whether confirmed, where its current silence began.
  private var start: Int?
  private var confirmed = false
  private var silenceStart: Int?
  /// The region's internal pauses (frames), for a split.
  private var pauses: [Range<Int>] = []
  /// The unpadded end (samples) of the last confirmed region, waiting for its padded end.
  private var pendingEnd: Int?
  /// Whether that region was cut hard at the maximum.
  private var pendingHard = false
  /// Where the last region's padded end was cut: no start goes before it.
  private var lastEnd = 0
  private var frames = 0

  /// - Throws: `DSPError.invalidParameter` for rules that cannot hold (`SpeechRegionRules.validate`).
  public init(rules: SpeechRegionRules = SpeechRegionRules(), sampleRate: Int, frameLength: Int) throws {
    try rules.validate()
    self.rules = rules
    self.frameLength = frameLength
    let rate = Double(sampleRate)
    let frameSeconds = Double(frameLength) / rate
    minSpeechFrames = Int((rules.minSpeechSeconds / frameSeconds).rounded(.up))
    minSilenceFrames = max(1, Int((rules.minSilenceSeconds / frameSeconds).rounded(.up)))
    pad = Int((rules.speechPadSeconds * rate).rounded())
    if rules.maxSpeechSeconds.isFinite {
      let frames = Int(((rules.maxSpeechSeconds - 2 * rules.speechPadSeconds) / frameSeconds).rounded(.down))
      maxSpeechFrames = max(minSpeechFrames + 1, frames)
    } else {
      maxSpeechFrames = nil
    }
    searchFrames = maxSpeechFrames.map { min($0 / 3, Int((rules.pauseSearchSeconds / frameSeconds).rounded())) } ?? 0
    smoother = SpeechFrameSmoother(width: rules.smoothingFrames)
    // A start is cut once the region has lasted the minimum speech, after the smoothing delay;
    // an end once no confirmed region can start within two pads of it, or, at a split, at most
    // the pause search before the limit (then the next start once confirmed).
    let smoothingDelay = (smoother.halfWidth + 3) * frameLength
    let minSpeech = minSpeechFrames * frameLength
    lookAheadSamples =
      smoothingDelay
      + max(pad + minSpeech + minSilenceFrames * frameLength, searchFrames * frameLength + minSpeech + pad)
  }

  public mutating func append(_ speech: Bool, into cuts: inout [SpeechCut]) {
    frames += 1
    if let (frame, probability) = smoother.append(speech) { step(frame, probability, into: &cuts) }
  }

  public mutating func finish(totalSamples: Int, into cuts: inout [SpeechCut]) {
    for (frame, probability) in smoother.finish() { step(frame, probability, into: &cuts) }
    if let start {
      let end = silenceStart ?? frames
      if !confirmed && end - start >= minSpeechFrames { confirm(start, into: &cuts) }
      close(start, end)
    }
    if let pendingEnd {
      cuts.append(.end(min(totalSamples, pendingEnd + pad), speech: true, hard: pendingHard))
      self.pendingEnd = nil
    }
  }

  private mutating func step(_ frame: Int, _ probability: Double, into cuts: inout [SpeechCut]) {
    if probability >= rules.threshold {
      if let silence = silenceStart {
        pauses.append(silence..<frame)
        silenceStart = nil
      }
      if start == nil {
        start = frame
        confirmed = false
        pauses = []
      }
    } else if let begun = start, probability < rules.releaseThreshold || silenceStart != nil {
      // A silence starts below the release threshold; once started, it lasts until the
      // probability is back at the threshold (so a region always ends within its minimum).
      if silenceStart == nil { silenceStart = frame }
      if let silence = silenceStart, frame + 1 - silence >= minSilenceFrames {
        close(begun, silence)
        start = nil
        silenceStart = nil
      }
    }
    if let begun = start, !confirmed, (silenceStart ?? frame + 1) - begun >= minSpeechFrames {
      confirm(begun, into: &cuts)
    }
    if let begun = start, let limit = maxSpeechFrames, frame + 1 - begun > limit { split(begun, limit, at: frame) }
    // No confirmed region can start within two pads of the pending end any more.
    if let end = pendingEnd, (frame + 1) * frameLength >= end + 2 * pad, start.map({ $0 * frameLength >= end + 2 * pad }) ?? true {
      cuts.append(.end(end + pad, speech: true, hard: pendingHard))
      lastEnd = end + pad
      pendingEnd = nil
    }
  }

  /// The region [begun, …) has passed the limit at `frame`: it ends at the longest pause in its
  /// last part (the current silence counts), or at the limit.
  private mutating func split(_ begun: Int, _ limit: Int, at frame: Int) {
    let searchFrom = begun + limit - searchFrames
    var candidates = pauses
    if let silence = silenceStart { candidates.append(silence..<(frame + 1)) }
    let best = candidates.filter { $0.lowerBound >= searchFrom && $0.lowerBound > begun }
      .max { $0.count < $1.count }
    if let best {
      pauseSplits += 1
      close(begun, best.lowerBound)
      if best.upperBound > frame {
        // The current silence: the region is over, the silence lies outside it.
        start = nil
        silenceStart = nil
      } else {
        start = best.upperBound
      }
      pauses = pauses.filter { $0.lowerBound >= best.upperBound }
    } else {
      hardSplits += 1
      close(begun, begun + limit)
      pendingHard = true
      start = begun + limit
      pauses = []
    }
    confirmed = false
  }

  private mutating func confirm(_ begun: Int, into cuts: inout [SpeechCut]) {
    confirmed = true
    let startSample = begun * frameLength
    if let end = pendingEnd {
      let gap = startSample - end
      let boundary = gap < 2 * pad ? end + gap / 2 : end + pad
      cuts.append(.end(boundary, speech: true, hard: pendingHard))
      lastEnd = boundary
      pendingEnd = nil
      cuts.append(.start(max(boundary, startSample - pad)))
    } else {
      cuts.append(.start(max(lastEnd, startSample - pad)))
    }
  }

  /// The region [begun, end) (frames) is over: kept if confirmed, dropped if too short.
  private mutating func close(_ begun: Int, _ end: Int) {
    if confirmed {
      pendingEnd = end * frameLength
      pendingHard = false
    }
    confirmed = false
  }
}
