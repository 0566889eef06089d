/// Ends a source once it has given what a range's end needs (`--end`, `--duration`): the input's
/// frames up to that end, and `margin` more for the resampler's filter to see past it. What
/// follows would only be cut off (`RangeSink`), and an endless stream (a microphone, /dev/zero)
/// was read for ever (review37b V4, review39 F10). The output's frames in the range are those
/// the whole output holds there: the chain's filters look back, the resampler less far ahead
/// than `margin`.
final class RangeEndSource: AudioSource {
  private let source: AudioSource
  private var left: Int

  /// Input frames read past the range's end: more than any resampler's filter reaches ahead.
  static let margin = 2.0

  /// `source` read to the input frame that output frame `outputEnd` (at `outputRate`) needs.
  init(_ source: AudioSource, outputEnd: Int, outputRate: Int) {
    self.source = source
    let rate = Double(source.format.sampleRate)
    left = Int((Double(outputEnd) * rate / Double(max(1, outputRate)) + Self.margin * rate).rounded(.up))
  }

  var format: StreamFormat { source.format }
  var isStream: Bool { source.isStream }
  var deliversFloats: Bool { source.deliversFloats }

  func read(into chunk: inout AudioChunk, maxFrames: Int) throws -> Int {
    guard left > 0 else {
      chunk.removeAll()
      return 0
    }
    let frames = try source.read(into: &chunk, maxFrames: min(maxFrames, left))
    left -= frames
    return frames
  }
}
