import Glibc

/// A frame the detector calls speech is kept only when it stands out of the noise around it: its
/// level must exceed the noise floor by the noise's own spread (at least `minimumMarginDecibels`).
///
/// WebRTC's detector judges each frame's spectrum; in loud babble or pink noise it calls much of
/// the noise speech, and the region rules then bridge every gap. The gate listens to the levels
/// of the last `windowFrames` frames (10 s, this frame included; fewer at the stream's start):
/// the floor is their 15th percentile, the spread that less their 2nd percentile (numpy's linear
/// percentiles). In steady noise (white: a spread of ~0.3 dB) it lets through nearly every frame
/// the detector calls speech; in babble (a spread of ~3 dB) it asks for a frame that many dB
/// above the floor. It decides each frame as it comes (no look-ahead).
///
/// It assumes the last 10 s hold some non-speech (at least 15% of frames): in speech without any
/// pause for longer, the floor rises into the speech and the gate drops its quietest frames.
public struct SpeechNoiseGate: Sendable {
  public static let floorPercentile = 15.0
  public static let spreadPercentile = 2.0
  public static let minimumMarginDecibels = 0.5
  public static let windowSeconds = 10.0
  /// A frame of digital silence reads this level (dB), not −∞.
  public static let silenceDecibels = -120.0

  public let windowFrames: Int
  /// The last frames' levels in arrival order (a ring) and sorted.
  private var recent: [Double] = []
  private var oldest = 0
  private var sorted: [Double] = []

  public init(windowFrames: Int) {
    precondition(windowFrames > 0)
    self.windowFrames = windowFrames
    recent.reserveCapacity(windowFrames)
    sorted.reserveCapacity(windowFrames)
  }

  /// The gate for frames of `frameLength` samples at `sampleRate`: `windowSeconds` of them.
  public init(sampleRate: Int, frameLength: Int) {
    self.init(windowFrames: max(1, Int((Self.windowSeconds * Double(sampleRate) / Double(frameLength)).rounded())))
  }

  /// The level of a frame, in dB relative to full scale (mean square), floored at `silenceDecibels`.
  public static func level(meanSquare: Double) -> Double {
    max(silenceDecibels, 10 * log10(max(meanSquare, 1e-30)))
  }

  /// Hears a frame of `level` dB that the detector decided `speech`; returns whether it is speech.
  public mutating func admit(_ speech: Bool, level: Double) -> Bool {
    if recent.count < windowFrames {
      recent.append(level)
    } else {
      let leaving = recent[oldest]
      recent[oldest] = level
      oldest = (oldest + 1) % windowFrames
      sorted.remove(at: insertionIndex(of: leaving))
    }
    sorted.insert(level, at: insertionIndex(of: level))
    guard speech else { return false }
    let floor = percentile(Self.floorPercentile)
    let margin = max(Self.minimumMarginDecibels, floor - percentile(Self.spreadPercentile))
    return level > floor + margin
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
