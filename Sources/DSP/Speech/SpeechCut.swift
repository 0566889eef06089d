/// A boundary a speech-aware cutter decides, in samples of the stream it listened to: a segment
/// starts, or the open segment ends (`speech`: whether it holds any detected speech; `hard`: cut
/// at the length limit for want of a pause).
/// Boundaries come in order, starts and ends alternating, each at or after the one before.
public enum SpeechCut: Equatable, Sendable {
  case start(Int)
  case end(Int, speech: Bool, hard: Bool = false)

  public var sample: Int {
    switch self {
    case .start(let sample), .end(let sample, speech: _, hard: _): sample
    }
  }
}

/// Turns frame decisions into cuts, deciding each boundary at most `lookAheadSamples` after it:
/// the stream's writer holds that much audio back, and no more (constant memory for any length).
public protocol SpeechCutPlanner {
  /// The longest a boundary can be decided after it, in samples.
  var lookAheadSamples: Int { get }
  /// Samples per frame decision.
  var frameLength: Int { get }
  /// The next frame's decision (true: speech); appends the cuts it decides.
  mutating func append(_ speech: Bool, into cuts: inout [SpeechCut])
  /// The end of the stream at `totalSamples` (a last incomplete frame is heard as it was
  /// decided: not at all); appends every cut still open, the last an end.
  mutating func finish(totalSamples: Int, into cuts: inout [SpeechCut])
}

extension SpeechCutPlanner {
  /// The segments a whole sequence of decisions gives: [start, end) in samples, with the speech flag.
  public mutating func segments(decisions: [Bool], totalSamples: Int) -> [(range: Range<Int>, speech: Bool)] {
    var cuts: [SpeechCut] = []
    for decision in decisions { append(decision, into: &cuts) }
    finish(totalSamples: totalSamples, into: &cuts)
    var result: [(range: Range<Int>, speech: Bool)] = []
    var open: Int?
    for cut in cuts {
      switch cut {
      case .start(let sample): open = sample
      case .end(let sample, let speech, _):
        if let start = open { result.append((start..<sample, speech)) }
        open = nil
      }
    }
    return result
  }
}

/// The speech probability of each frame: the share of speech decisions in a centred window of
/// `width` frames (fewer at the stream's ends). Frame i is known once frame i + width/2 is.
struct SpeechFrameSmoother {
  let halfWidth: Int
  /// Decisions from frame `first` on, as many as still needed.
  private var recent: [Bool] = []
  private var first = 0
  /// The next frame to smooth.
  private(set) var next = 0

  init(width: Int) { halfWidth = width / 2 }

  /// The probabilities `decision` completes (none, or one), as (frame, probability).
  mutating func append(_ decision: Bool) -> (frame: Int, probability: Double)? {
    recent.append(decision)
    return first + recent.count - 1 >= next + halfWidth ? emit() : nil
  }

  /// The frames still waiting for their right-hand neighbours.
  mutating func finish() -> [(frame: Int, probability: Double)] {
    var out: [(frame: Int, probability: Double)] = []
    while next < first + recent.count { out.append(emit()) }
    return out
  }

  private mutating func emit() -> (frame: Int, probability: Double) {
    let low = max(first, next - halfWidth)
    let high = min(first + recent.count - 1, next + halfWidth)
    var speech = 0
    for frame in low...high where recent[frame - first] { speech += 1 }
    let result = (frame: next, probability: Double(speech) / Double(high - low + 1))
    next += 1
    // Keep only what the next frame's window reaches back to.
    let keepFrom = max(first, next - halfWidth)
    if keepFrom > first {
      recent.removeFirst(keepFrom - first)
      first = keepFrom
    }
    return result
  }
}
