/// Free-format MPEG audio: frame headers whose bit-rate index is 0, a rate of the encoder's
/// choosing that no header gives. A frame's length is found only from where the next header
/// starts; it is the same for every frame but for the padding slot. libsndfile's libmpg123
/// decodes some such streams whole and stops others after a few frames (review37c X11: 140
/// output samples of 64366, without a word; X17: an MP3 called `joined`); FFmpeg decodes none.
/// sox's libmad decodes them. A free-format stream is decoded whole or refused: `refusal`.
struct MPEGFreeFormat {
  /// A frame's length without its padding slot.
  let frameLength: Int
  /// Where the first frame starts, the samples a frame holds and its padding slot's bytes (4 in
  /// layer I, 1 in layers II and III).
  var start: Int64 = 0
  var samplesPerFrame = 0
  var slot = 1

  /// The fewest samples the stream's frames hold when the input ends at byte `end`: each frame
  /// is at most a slot longer than `frameLength` (for a pipe past its window, not walked).
  func samplesAtLeast(toByte end: Int64) -> Int64 {
    max(0, end - start) / Int64(frameLength + slot) * Int64(samplesPerFrame)
  }

  /// The longest free-format frame looked for: MPEG-2.5 layer III at 8 kHz and 640 kb/s.
  private static let longestFrame = 5760

  /// The free-format stream whose first frame starts at `start`, the input's bytes read by
  /// `bytesAt` (`count` bytes at an offset, fewer where the input has none): three headers of
  /// one stream with bit-rate index 0, each where the one before and one frame length say.
  /// nil otherwise.
  static func find(at start: Int64, bytesAt: (_ offset: Int64, _ count: Int) -> [UInt8]) -> MPEGFreeFormat? {
    var block = bytesAt(start, 4)
    /// A free-format header at `offset` of `block` (its length: the padding slot alone).
    func header(_ offset: Int) -> MPEGStreamExtent.FrameHeader? {
      guard offset + 4 <= block.count else { return nil }
      return MPEGStreamExtent.FrameHeader(Array(block[offset..<offset + 4]), freeFormat: MPEGFreeFormat(frameLength: 0)).flatMap { $0.isFreeFormat ? $0 : nil }
    }
    guard let first = header(0) else { return nil }
    block = bytesAt(start, longestFrame + 4)
    for next in 5..<max(5, block.count - 3) where block[next] == 0xFF {
      guard let second = header(next), second.isOfTheSameStream(as: first), next > first.length else { continue }
      let found = MPEGFreeFormat(frameLength: next - first.length, start: start, samplesPerFrame: first.samplesPerFrame, slot: first.layer == 1 ? 4 : 1)
      // The third header, where the second's length says (read past the block when it ends there).
      let third = start + Int64(next) + Int64(found.frameLength + second.length)
      let bytes = bytesAt(third, 4)
      if bytes.count == 4, let frame = MPEGStreamExtent.FrameHeader(bytes, freeFormat: found), frame.isFreeFormat, frame.isOfTheSameStream(as: first) {
        return found
      }
    }
    return nil
  }

  /// The free-format stream at the start of `input` (after its tags: `MPEGLead`).
  static func find(_ input: InputBytes) -> MPEGFreeFormat? {
    find(at: MPEGLead.length { input.read(at: $0, count: $1) }) { input.read(at: $0, count: $1) }
  }

  /// What begins every refusal of a free-format stream.
  static let what = "free-format MPEG audio (bit-rate index 0 in its frame headers), which FFmpeg does not decode"

  /// The refusal of a free-format stream libsndfile stopped part-way through: after `decoded`
  /// frames of the `held` its frames hold (`atLeast`: the fewest they hold; nil: not known, and
  /// more of the input followed).
  static func refusal(decoded: Int64, held: Int64?, atLeast: Bool = false) -> String {
    let of = held.map { " of the \(atLeast ? "at least " : "")\($0) its MPEG frames hold" } ?? ", with more of the input unread"
    return "\(what): libsndfile stopped after \(decoded) frames\(of)"
  }

  /// The refusal of a free-format stream libsndfile does not recognise.
  static let unrecognised = "\(what), and libsndfile does not recognise from its bytes (it may from a file named .mp2 or .mp3)"
}
