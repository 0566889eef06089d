import Glibc

/// A frame the detector calls speech is kept only when it stands out of the noise: its level must
/// exceed the noise floor by the noise's own spread (at least `minimumMarginDecibels`, at most
/// `maximumMarginDecibels`).
///
/// WebRTC's detector judges each frame's spectrum; in loud babble or pink noise it calls much of
/// the noise speech, and the region rules then bridge every gap. The gate learns the noise from
/// the frames the detector calls non-speech, and only from them: the levels of the last
/// `windowFrames` of those (10 s of frames; speech frames in between do not count, however long).
/// The floor is their 30th percentile, the spread that less their 2nd percentile (numpy's linear
/// percentiles). In steady noise (white: a spread of ~0.3 dB) it lets through nearly every frame
/// the detector calls speech; in babble (a spread of ~3 dB) it asks for a frame that many dB above
/// the floor. It decides each frame as it comes (no look-ahead), in constant memory.
///
/// Until it has heard `minimumNoiseFrames` non-speech frames (1 s) the detector's decision stands:
/// a clean recording that is speech from its start has no noise to measure, and speech is not its
/// own noise. Frames of digital silence (every sample zero) are no noise either: a recording padded
/// with zeros keeps the floor of its noise, not of the zeros; nor are they ever speech (WebRTC's
/// hangover calls the first ones after speech speech). The margin's cap bounds what a floor from
/// mixed near-silence and noise can take away.
public struct SpeechNoiseGate: Sendable {
  public static let floorPercentile = 30.0
  public static let spreadPercentile = 2.0
  public static let minimumMarginDecibels = 0.5
  public static let maximumMarginDecibels = 6.0
  public static let windowSeconds = 10.0
  public static let minimumNoiseSeconds = 1.0
  /// A frame of digital silence reads this level (dB), not −∞.
  public static let silenceDecibels = -120.0

  /// How many non-speech levels the floor is taken from (the last ones).
  public let windowFrames: Int
  /// How many non-speech levels it takes before the gate closes on anything.
  public let minimumNoiseFrames: Int
  /// The last non-speech frames' levels in arrival order (a ring) and sorted.
  private var recent: [Double] = []
  private var oldest = 0
  private var sorted: [Double] = []

  public init(windowFrames: Int, minimumNoiseFrames: Int) {
    precondition(windowFrames > 0 && minimumNoiseFrames > 0)
    self.windowFrames = windowFrames
    self.minimumNoiseFrames = min(minimumNoiseFrames, windowFrames)
    recent.reserveCapacity(windowFrames)
    sorted.reserveCapacity(windowFrames)
  }

  /// The gate for frames of `frameLength` samples at `sampleRate`: `windowSeconds` of them, gating
  /// after `minimumNoiseSeconds` of non-speech.
  public init(sampleRate: Int, frameLength: Int) {
    let framesPerSecond = Double(sampleRate) / Double(frameLength)
    self.init(
      windowFrames: max(1, Int((Self.windowSeconds * framesPerSecond).rounded())),
      minimumNoiseFrames: max(1, Int((Self.minimumNoiseSeconds * framesPerSecond).rounded())))
  }

  /// The level of a frame, in dB relative to full scale (mean square), floored at `silenceDecibels`.
  public static func level(meanSquare: Double) -> Double {
    max(silenceDecibels, 10 * log10(max(meanSquare, 1e-30)))
  }

  /// Hears a frame of `level` dB that the detector decided `speech`; returns whether it is speech.
  public mutating func admit(_ speech: Bool, level: Double) -> Bool {
    guard speech else {
      if level > Self.silenceDecibels { hearNoise(level) }
      return false
    }
    // Digital silence is no speech, whatever the detector says (its hangover runs into pauses).
    guard level > Self.silenceDecibels else { return false }
    guard sorted.count >= minimumNoiseFrames else { return true }
    let floor = percentile(Self.floorPercentile)
    let spread = floor - percentile(Self.spreadPercentile)
    return level > floor + min(Self.maximumMarginDecibels, max(Self.minimumMarginDecibels, spread))
  }

  private mutating func hearNoise(_ level: Double) {
    if recent.count < windowFrames {
      recent.append(level)
    } else {
      let leaving = recent[oldest]
      recent[oldest] = level
      oldest = (oldest + 1) % windowFrames
      sorted.remove(at: insertionIndex(of: leaving))
    }
    sorted.insert(level, at: insertionIndex(of: level))
  }

  /// The first index of `sorted` whose value is not below `value`.
  private func insertionIndex(of value: Double) -> Int {
    var low = 0
    var high = sorted.count
    while low < high {
      let middle = (low + high) / 2
      if sorted[middle] < value { low = middle + 1 } else { high = middle }
    }
    return low
  }

  /// The `p`th percentile of the window, interpolated linearly between ranks (numpy's default).
  private func percentile(_ p: Double) -> Double {
    let position = p / 100 * Double(sorted.count - 1)
    let below = Int(position.rounded(.down))
    let above = min(below + 1, sorted.count - 1)
    let fraction = position - Double(below)
    return sorted[below] + (sorted[above] - sorted[below]) * fraction
  }
}
