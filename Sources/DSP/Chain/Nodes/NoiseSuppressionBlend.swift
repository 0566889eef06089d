import Glibc

/// How much of WebRTC's noise suppression a stream gets, frame by frame, from how noisy its input
/// is: none where the input is clean, all of it where it is noisy (`WebRtcAudioProcessing`).
///
/// The estimate is the ratio, in dB, of the loudest to the quietest input energy over the last
/// 2 s, each energy the mean over 40 ms (four 10 ms frames): speech over the noise floor between
/// words (minimum statistics). At 34 dB or more the suppressor's output is not used (the weight is
/// 0: the input passes unchanged), at 22 dB or less it is used whole (weight 1), linearly between.
/// The weight falls towards 0 fast (in two frames: a word's onset after a long pause is not
/// suppressed) and rises towards 1 slowly (by 0.02 a frame, half a second end to end).
///
/// Why: the suppressor (0.3) changes clean speech little within words (under 1 dB per octave band
/// on espeak-ng digits) but lowers the floor between them and its remnants, and a recogniser
/// (pocketsphinx) errs much more on that (8 → 25 word errors of 96 at `high` on digits with a
/// −30 dB floor; the same output with the floor added back: 11). docs/denoise.md has the figures.
struct NoiseSuppressionBlend {
  /// At or above this estimate the suppressor's output is not used.
  static let cleanDB = 34.0
  /// At or below this estimate the suppressor's output is used whole.
  static let noisyDB = 22.0
  static let windowFrames = 200
  static let smoothingFrames = 4
  static let fallPerFrame = 0.5
  static let risePerFrame = 0.02
  /// −100 dBFS: digital silence reads as this energy, not as zero.
  static let energyFloor = 1e-10

  /// The weight of the suppressor's output now; 0 at the start (nothing known of the noise yet).
  private(set) var weight = 0.0
  private var recent = [Double](repeating: 0, count: smoothingFrames)
  private var recentCount = 0
  private var window = [Double](repeating: 0, count: windowFrames)
  private var windowCount = 0
  private var frames = 0

  /// Takes the next frame's mean input energy (mean square over its samples and channels) and
  /// returns the weight for it.
  mutating func next(frameEnergy: Double) -> Double {
    recent[frames % Self.smoothingFrames] = frameEnergy
    recentCount = min(recentCount + 1, Self.smoothingFrames)
    var sum = 0.0
    for index in 0..<recentCount { sum += recent[index] }
    window[frames % Self.windowFrames] = sum / Double(recentCount)
    windowCount = min(windowCount + 1, Self.windowFrames)
    frames += 1
    var lowest = Double.infinity
    var highest = 0.0
    for index in 0..<windowCount {
      lowest = min(lowest, window[index])
      highest = max(highest, window[index])
    }
    let estimate = 10 * log10((highest + Self.energyFloor) / (lowest + Self.energyFloor))
    let target = min(1, max(0, (Self.cleanDB - estimate) / (Self.cleanDB - Self.noisyDB)))
    weight = target < weight ? max(target, weight - Self.fallPerFrame) : min(target, weight + Self.risePerFrame)
    return weight
  }
}
