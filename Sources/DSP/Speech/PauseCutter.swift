/// Windows no longer than `windowLength` samples, each cut at the best pause in its last part
/// (`--segment 30s --at-pauses`): the longest run of non-speech frames (smoothed probability
/// below the threshold) in the last `pauseSearchSeconds` (at most a third of the window), cut in
/// its middle. A window with no pause there is cut hard at its full length (`hardCuts`).
/// Windows cover the whole stream, speech or not; each says whether it holds speech.
public struct PauseCutter: SpeechCutPlanner {
  public let windowLength: Int
  public let frameLength: Int
  public let lookAheadSamples: Int
  public let rules: SpeechRegionRules
  /// Windows cut at a pause, and cut hard for want of one.
  public private(set) var pauseCuts = 0
  public private(set) var hardCuts = 0

  private let searchLength: Int
  private var smoother: SpeechFrameSmoother
  /// Smoothed decisions from frame `firstFrame` on (true: speech): at most a window's worth.
  private var speech: [Bool] = []
  private var firstFrame = 0
  private var windowStart = 0
  private var started = false

  /// - Throws: `DSPError.invalidParameter` for a window shorter than a frame, or rules that cannot hold.
  public init(windowLength: Int, rules: SpeechRegionRules = SpeechRegionRules(), sampleRate: Int, frameLength: Int) throws {
    guard windowLength > frameLength else {
      throw DSPError.invalidParameter("a pause-aware window must be longer than a detector frame")
    }
    guard rules.threshold > 0, rules.threshold <= 1, rules.smoothingFrames >= 1, rules.smoothingFrames % 2 == 1 else {
      throw DSPError.invalidParameter("the speech threshold is in (0, 1] and the smoothing window odd")
    }
    self.windowLength = windowLength
    self.frameLength = frameLength
    self.rules = rules
    searchLength = min(windowLength / 3, Int((rules.pauseSearchSeconds * Double(sampleRate)).rounded()))
    smoother = SpeechFrameSmoother(width: rules.smoothingFrames)
    lookAheadSamples = searchLength + (smoother.halfWidth + 3) * frameLength
  }

  public mutating func append(_ decision: Bool, into cuts: inout [SpeechCut]) {
    if !started {
      started = true
      cuts.append(.start(0))
    }
    if let (frame, probability) = smoother.append(decision) { step(frame, probability, into: &cuts) }
  }

  public mutating func finish(totalSamples: Int, into cuts: inout [SpeechCut]) {
    for (frame, probability) in smoother.finish() { step(frame, probability, into: &cuts) }
    if !started {
      guard totalSamples > 0 else { return }
      cuts.append(.start(0))
    }
    while totalSamples - windowStart > windowLength { cut(into: &cuts) }
    cuts.append(.end(totalSamples, speech: holdsSpeech(before: totalSamples)))
  }

  private mutating func step(_ frame: Int, _ probability: Double, into cuts: inout [SpeechCut]) {
    speech.append(probability >= rules.threshold)
    while (frame + 1) * frameLength >= windowStart + windowLength { cut(into: &cuts) }
  }

  private mutating func cut(into cuts: inout [SpeechCut]) {
    let limit = windowStart + windowLength
    let searchFrom = max(windowStart + 1, limit - searchLength)
    var best: Range<Int>?
    var frame = firstFrame
    while frame < firstFrame + speech.count {
      guard !speech[frame - firstFrame] else {
        frame += 1
        continue
      }
      var end = frame
      while end < firstFrame + speech.count && !speech[end - firstFrame] { end += 1 }
      let clipped = max(frame * frameLength, searchFrom)..<max(max(frame * frameLength, searchFrom), min(end * frameLength, limit))
      if !clipped.isEmpty, clipped.count > (best?.count ?? 0) { best = clipped }
      frame = end
    }
    let boundary: Int
    if let best {
      pauseCuts += 1
      boundary = best.lowerBound + best.count / 2
    } else {
      hardCuts += 1
      boundary = limit
    }
    cuts.append(.end(boundary, speech: holdsSpeech(before: boundary), hard: best == nil))
    cuts.append(.start(boundary))
    windowStart = boundary
    // Frames wholly before the new window are no longer needed.
    let drop = min(speech.count, max(0, boundary / frameLength - firstFrame))
    speech.removeFirst(drop)
    firstFrame += drop
  }

  /// Whether a speech frame overlaps [windowStart, end).
  private func holdsSpeech(before end: Int) -> Bool {
    for (offset, isSpeech) in speech.enumerated() where isSpeech {
      let frame = firstFrame + offset
      if frame * frameLength < end && (frame + 1) * frameLength > windowStart { return true }
    }
    return false
  }
}
