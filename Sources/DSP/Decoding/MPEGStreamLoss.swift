/// Where a pipe's MP3 or MP2 frames stopped following one another before its end, and what the
/// bytes from there to the end are, as `MPEGFrameChain` says of a file: the stream's frames
/// again (a hole or a damaged header mid-stream), the last frame's header damaged, a last frame
/// cut and padded, other bytes after a cut stream — or a tag, padding or a few harmless bytes.
///
/// A pipe too long for its window is not walked as a file; its frames are walked as its bytes
/// pass (`MPEGFormatWalk`), which ends at the first place no header is where the last frame
/// said. The bytes after that place are looked at as they pass too: whether they are all one
/// byte, how many there are, and the first `searchedBytes` of them kept, where the frames are
/// looked for again (review53 H3: a 390-byte hole in a 4.4 MB MP3, a damaged last header, a
/// last frame cut then padded or followed by other bytes: the file said `damaged`, standard
/// input nothing, from libsndfile). Memory is constant.
struct MPEGStreamLoss {
  /// Where no header was where the last frame said.
  let at: Int64
  /// The bytes there (`MPEGEndTags.signatureBytes`, fewer at the end).
  private let head: [UInt8]
  /// The last frame's header (4 bytes and more); none when the loss is at the first frame.
  private let lastHeader: [UInt8]
  /// The stream's rate and channel mode (its first frame's, as the walk took them).
  private let stream: (rate: Int, mono: Bool)?
  /// The last frame's last `MPEGFrameChain.paddedFrameRun` bytes; nil when they had passed.
  private let frameTail: [UInt8]?
  /// The first bytes from `at`, kept to look for the frames again.
  private var following: [UInt8] = []
  /// The bytes from `at` seen so far (to the input's end, once it has ended).
  private var seen: Int64 = 0
  /// How many of those, from `at`, are one byte repeated.
  private var run: Int64 = 0
  /// Past the bytes kept, the last bytes seen, where frames like the last are looked for as
  /// the bytes pass (review58 M4: 70000 bytes inserted mid-stream were "neither MPEG frames nor
  /// a tag"), and whether they were found.
  private var passing: [UInt8] = []
  private var foundAgain = false
  /// The offset of `passing`'s first byte.
  private var passingAt: Int64 = 0
  /// Past the bytes kept, the first frames of another rate or channel mode found, in a row.
  private var otherStream: (at: Int64, header: MPEGStreamExtent.FrameHeader)?
  /// The bytes three frames of the longest length span, and the header after them.
  private static let threeFrames = 3 * 2881 + 4

  /// Bytes after the loss looked through for the frames again: the stream's frames follow a
  /// hole within a frame or two.
  private static let searchedBytes = 1 << 16

  /// A loss at `at`, found in `raw` (the input's bytes from `base`) after the frame whose header
  /// is `lastHeader` (none: at the first frame); nil when `raw` does not hold the bytes at `at`.
  init?(at: Int64, lastHeader: [UInt8], stream: (rate: Int, mono: Bool)?, in raw: UnsafeRawBufferPointer, base: Int64) {
    guard at >= base, at < base + Int64(raw.count) else { return nil }
    let start = Int(at - base)
    self.at = at
    self.lastHeader = lastHeader
    self.stream = stream
    head = Array(UnsafeRawBufferPointer(rebasing: raw[start..<min(raw.count, start + MPEGEndTags.signatureBytes)]))
    let run = MPEGFrameChain.paddedFrameRun
    frameTail = start >= run ? Array(UnsafeRawBufferPointer(rebasing: raw[(start - run)..<start])) : nil
  }

  /// Takes the bytes of `raw` (the input's from `base`) past those seen.
  mutating func take(_ raw: UnsafeRawBufferPointer, base: Int64) {
    let from = at + seen
    guard from >= base, from < base + Int64(raw.count) else { return }
    let new = UnsafeRawBufferPointer(rebasing: raw[Int(from - base)...])
    let keep = max(0, min(new.count, Self.searchedBytes - following.count))
    following += new.prefix(keep)
    if keep < new.count, !foundAgain, lastHeader.count >= 4, let last = MPEGStreamExtent.FrameHeader(lastHeader) {
      passing += new[keep...]
      passingAt = at + seen + Int64(new.count) - Int64(passing.count)
      // Places whose three frames the bytes hold are looked at once; the rest wait for more.
      let looked = max(0, passing.count - Self.threeFrames)
      foundAgain = Self.framesFollow(in: passing, places: 0..<looked, like: last)
      if otherStream == nil, let stream, let other = Self.otherStream(in: passing, places: 0..<looked, unlike: stream) {
        otherStream = (passingAt + Int64(other.index), other.header)
      }
      passing.removeFirst(looked)
      passingAt += Int64(looked)
    }
    if run == seen, let first = following.first { run += Int64(new.firstIndex { $0 != first } ?? new.count) }
    seen += Int64(new.count)
  }

  /// What the bytes from a loss to the input's end are, when they are damage.
  enum Damage: Equatable {
    /// The stream's frames follow again: the bytes in between lost.
    case lostSync
    /// The last frame's header damaged (no header, or one or two bits off the one before), or
    /// a frame that runs past the input's end.
    case cutFrame
    /// The last frame ends in a run of `byte` (0x00 or 0xFF) that fills the input to its end.
    case paddedFrame(at: Int64, byte: UInt8)
    /// More bytes than damage leaves that are neither frames, a tag nor padding.
    case bytesAfterTheFrames(count: Int64)
  }

  /// What the bytes from the loss to the input's end (`end`) are, as `MPEGFrameChain`'s walk
  /// of a file reads them; nil when they are harmless: a tag (or the tags ending the input,
  /// from `endTagsAt`), padding after a whole frame (up to those tags), or no more than
  /// `MPEGFrameChain.bytesNoTagExplains` other bytes.
  func damage(end: Int64, endTagsAt: Int64?) -> Damage? {
    let audioEnd = endTagsAt ?? end
    guard !MPEGEndTags.beginsATag(head), at < audioEnd else { return nil }
    // The first frame's header damaged: the stream is the frames that follow (review57 H1);
    // zeros or ID3v2 tags before the first frame are not damage (`MPEGLead`, as a file's walk).
    guard lastHeader.count >= 4, let last = MPEGStreamExtent.FrameHeader(lastHeader) else {
      let lead = MPEGLead.length { offset, count in
        offset < following.count ? Array(following[Int(offset)..<min(following.count, Int(offset) + count)]) : []
      }
      return lead == 0 && framesFollow(like: nil, end: end) ? .lostSync : nil
    }
    if at + run >= audioEnd, let byte = head.first {
      guard byte == 0x00 || byte == 0xFF, frameTail?.allSatisfy({ $0 == byte }) == true else { return nil }
      return .paddedFrame(at: at - Int64(last.length), byte: byte)
    }
    if foundAgain || framesFollow(like: last, end: end) { return .lostSync }
    let flipped = zip(head.prefix(4), lastHeader.prefix(4)).reduce(0) { $0 + ($1.0 ^ $1.1).nonzeroBitCount }
    if head.count >= 4, MPEGStreamExtent.FrameHeader(Array(head.prefix(4))) != nil || flipped <= 2 { return .cutFrame }
    guard end - at > Int64(MPEGFrameChain.bytesNoTagExplains) else { return nil }
    return .bytesAfterTheFrames(count: end - at)
  }

  /// Whether frames like the last follow again in the bytes seen after the loss so far: more
  /// of the stream follows a hole (before the input's end is known).
  var framesFoundAgain: Bool {
    guard lastHeader.count >= 4, let last = MPEGStreamExtent.FrameHeader(lastHeader) else { return false }
    return foundAgain || framesFollow(like: last, end: .max)
  }

  /// What the bytes seen after the loss are, as a warning says it, when the input's end was
  /// not reached (a pipe read no further: `MPEGFrameChain.damage(atTheEndOf:)`): frames like
  /// the last found again, or that many bytes that are neither frames nor a tag. nil at the
  /// first frame, or where the bytes begin a tag.
  func warningBeforeTheEnd(shift: Int64) -> String? {
    guard !MPEGEndTags.beginsATag(head), lastHeader.count >= 4, let last = MPEGStreamExtent.FrameHeader(lastHeader) else { return nil }
    // One byte repeated, as far as read: padding, as `damage` says of it at the end (review61
    // W2: 70 MiB of zeros after a stream were "neither MPEG frames nor a tag" from a pipe, and
    // nothing from the file).
    if run == seen, let byte = head.first {
      guard byte == 0x00 || byte == 0xFF, frameTail?.allSatisfy({ $0 == byte }) == true else { return nil }
      return MPEGFrameChain.paddedFrameWarning(at: at - Int64(last.length) + shift, byte: byte)
    }
    if framesFoundAgain { return MPEGFrameChain.lostSyncWarning(at: at + shift) }
    return MPEGFrameChain.bytesAfterTheFramesWarning(at: at + shift, read: seen)
  }

  /// Frames of another rate or channel mode than the stream's, in a row, after the loss where
  /// frames like the last were not found again (another stream joined on after other bytes:
  /// review59 W5), as the refusal says it. (Offsets from the walk's start, as `at`.)
  var changeWords: String? {
    guard !framesFoundAgain, let stream else { return nil }
    let inFollowing = following.count >= 2 ? Self.otherStream(in: following, places: 0..<following.count - 1, unlike: stream) : nil
    guard let other = inFollowing.map({ (at + Int64($0.index), $0.header) }) ?? otherStream else { return nil }
    return MPEGFormatWalk.changeWords(from: stream, to: (other.header.rate, other.header.mono), at: other.at)
  }

  /// The first place in `bytes`, among `places`, where three frames of another rate or channel
  /// mode than `stream`'s follow one another.
  private static func otherStream(in bytes: [UInt8], places: Range<Int>, unlike stream: (rate: Int, mono: Bool)) -> (index: Int, header: MPEGStreamExtent.FrameHeader)? {
    for index in places where bytes[index] == 0xFF && index + 4 <= bytes.count && bytes[index + 1] & 0xE0 == 0xE0 {
      guard let kind = MPEGStreamExtent.FrameHeader(Array(bytes[index..<index + 4])), kind.rate != stream.rate || kind.mono != stream.mono,
        framesFollow(in: bytes, places: index..<index + 1, like: kind)
      else { continue }
      return (index, kind)
    }
    return nil
  }

  /// `damage` as a warning says it, its offsets `shift` bytes on (a tag skipped before the walk).
  func warning(_ damage: Damage, shift: Int64) -> String {
    switch damage {
    case .lostSync: MPEGFrameChain.lostSyncWarning(at: at + shift)
    case .cutFrame: MPEGFrameChain.CutFrame(at: at + shift, intoTag: nil).warning
    case .paddedFrame(let frameAt, let byte): MPEGFrameChain.paddedFrameWarning(at: frameAt + shift, byte: byte)
    case .bytesAfterTheFrames(let count): MPEGFrameChain.bytesAfterTheFramesWarning(at: at + shift, count: count)
    }
  }

  /// Whether three frames like `like` (or like the first of them) follow one another from a
  /// place past the loss, each where the one before says, or fewer that end where the input
  /// does, as `MPEGFrameChain`'s walk finds the stream again.
  private func framesFollow(like: MPEGStreamExtent.FrameHeader?, end: Int64) -> Bool {
    guard following.count >= 2 else { return false }
    return Self.framesFollow(in: following, places: 1..<following.count - 1, like: like, endOfTheInput: end - at)
  }

  /// Whether three frames like `like` (or like the first of them) follow one another in
  /// `bytes` from one of `places` (the last ending within the input), or fewer from there
  /// that end where the input does, `endOfTheInput` bytes from the first of `bytes` (nil:
  /// not yet known).
  private static func framesFollow(in bytes: [UInt8], places: Range<Int>, like: MPEGStreamExtent.FrameHeader?, endOfTheInput: Int64? = nil) -> Bool {
    let endsTheInput = { (next: Int) in Int64(next) == endOfTheInput }
    for index in places where bytes[index] == 0xFF && index + 1 < bytes.count && bytes[index + 1] & 0xE0 == 0xE0 {
      guard index + 4 <= bytes.count, let kind = like ?? MPEGStreamExtent.FrameHeader(Array(bytes[index..<index + 4])) else { continue }
      var next = index
      var frames = 0
      while frames < 3, next + 4 <= bytes.count, let frame = MPEGStreamExtent.FrameHeader(Array(bytes[next..<next + 4])),
        frame.length > 0, frame.isOfTheSameStream(as: kind)
      {
        next += frame.length
        frames += 1
        if endsTheInput(next) { return true }
      }
      if frames == 3, Int64(next) <= endOfTheInput ?? .max { return true }
    }
    return false
  }
}
