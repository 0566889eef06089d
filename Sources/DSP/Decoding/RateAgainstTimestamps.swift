import CFFmpeg

/// Checks a stream's sample rate against the container's own timestamps, once a fifth of a
/// second of them has gone by.
///
/// A demuxer may put a default in place of a rate its header cannot hold (FFmpeg's Matroska
/// reader takes 8000 Hz for NaN, a negative rate or 10^12): the samples then come out too slow,
/// and the timestamps, which the header's rate does not touch, say so. More frames than the
/// timestamps leave room for at the rate (half as many again) means the rate is not the
/// stream's. Fewer is not checked: a recording's timestamps may jump over a gap.
///
/// Only frames that follow one another with a timestamp each are measured (the span between two
/// such frames against the first one's frames): after damage FFmpeg gives frames without a
/// timestamp, or with one from before the damage, and a span measured from the first timestamp
/// over them made a FLAC with a hole "imply about 44100 Hz" where its rate was 22050.
struct RateAgainstTimestamps {
  /// Timestamps spanning less than this are too coarse to judge (Matroska counts milliseconds).
  private static let minimumSpan = 0.2
  private static let tolerance = 1.5

  private let rate: Int
  private let timeBase: AVRational
  private var first: (timestamp: Int64, frames: Int64)?
  private var done = false
  /// The previous frame, when it had a timestamp.
  private var previous: (timestamp: Int64, frames: Int64)?
  /// Seconds and frames of the consecutive timestamped frames measured so far.
  private var measuredSpan = 0.0
  private var measuredFrames: Int64 = 0
  private var last: (timestamp: Int64, frames: Int64)?
  /// Frames decoded between consecutive timestamped frames, all of them and those of steps that
  /// fit the rate: a wrong rate makes every step too long, a hole or a gap one.
  private var steppedFrames: Int64 = 0
  private var framesInStepsAtTheRate: Int64 = 0

  /// At the end: fewer frames than the timestamps leave room for at the rate (two thirds, over
  /// a second or more), which a rate above the stream's gives (a Matroska PCM track declaring
  /// 44100 Hz over 22050 Hz samples plays twice too fast), and so do timestamps that jump over
  /// gaps: a warning, not a refusal. Not when most frames came in steps that fit the rate: the
  /// timestamps jumped over a hole or a gap, which the stream's length tells (review40 G08: a
  /// Vorbis stream with a tenth zeroed "implied about 29351 Hz" where its rate was 44100).
  func fewerFramesThanTimestamps() -> String? {
    guard let first, let last, timeBase.num > 0, timeBase.den > 0, framesInStepsAtTheRate * 2 < steppedFrames else { return nil }
    let span = Double(last.timestamp - first.timestamp) * Double(timeBase.num) / Double(timeBase.den)
    let frames = Double(last.frames - first.frames)
    guard span >= 1, frames * Self.tolerance < span * Double(rate) else { return nil }
    return "the header's sample rate of \(rate) Hz does not match its timestamps, which imply about \(Int((frames / span).rounded())) Hz "
      + "(or they jump over gaps): the audio may play at the wrong speed"
  }

  /// Frames the timestamps leave room for, at the rate, beyond the frames decoded between the
  /// first timestamped frame and the last; nil without two.
  func framesMissing() -> Int64? {
    guard let first, let last, last.timestamp > first.timestamp, timeBase.num > 0, timeBase.den > 0 else { return nil }
    let span = Double(last.timestamp - first.timestamp) * Double(timeBase.num) / Double(timeBase.den)
    return Int64((span * Double(rate)).rounded()) - (last.frames - first.frames)
  }

  init(rate: Int, timeBase: AVRational) {
    self.rate = rate
    self.timeBase = timeBase
  }

  /// Notes a decoded frame whose timestamp is `timestamp` (nil when the container gives none),
  /// `framesBefore` frames into the stream. Returns what is wrong, once, when the frames so far
  /// cannot fit the timestamps at the rate.
  mutating func check(timestamp: Int64?, framesBefore: Int64) -> String? {
    if let timestamp, first != nil { last = (timestamp, framesBefore) }
    if let timestamp, let previous, timestamp > previous.timestamp, timeBase.num > 0, timeBase.den > 0 {
      let frames = framesBefore - previous.frames
      let span = Double(timestamp - previous.timestamp) * Double(timeBase.num) / Double(timeBase.den)
      steppedFrames += frames
      if Double(frames) * Self.tolerance >= span * Double(rate) { framesInStepsAtTheRate += frames }
    }
    defer { previous = timestamp.map { ($0, framesBefore) } }
    guard !done, let timestamp, timeBase.num > 0, timeBase.den > 0 else { return nil }
    guard first != nil else {
      first = (timestamp, framesBefore)
      return nil
    }
    // A step back, or none, is damage or a reordering, not a measure of the rate.
    guard let previous, timestamp > previous.timestamp else { return nil }
    measuredSpan += Double(timestamp - previous.timestamp) * Double(timeBase.num) / Double(timeBase.den)
    measuredFrames += framesBefore - previous.frames
    guard measuredSpan >= Self.minimumSpan else { return nil }
    done = true
    let frames = Double(measuredFrames)
    let span = measuredSpan
    guard frames > span * Double(rate) * Self.tolerance else { return nil }
    let implied = Int((frames / span).rounded())
    return "the header's sample rate of \(rate) Hz does not match its timestamps, which imply about \(implied) Hz; "
      + "the header's own rate is not usable"
  }
}
