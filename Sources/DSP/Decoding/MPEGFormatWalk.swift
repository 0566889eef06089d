/// Walks MPEG frame headers from one to the next (over the ID3 tags of files joined on) while
/// they follow one another, and finds where the rate or channel mode changes: files of other
/// formats joined end to end, which libsndfile ends at the first stream's length, quietly. A
/// change counts when `changedFrames` frames in a row keep it: one damaged header (a flipped
/// channel-mode or rate bit) is damage, which the decoders get over, not a second stream
/// (review16f N2: such an MP3 was refused whole).
///
/// Fed a header at a time, by a file's reader that seeks (`MPEGStreamExtent.formatChange`) or
/// by the bytes a pipe reads as they pass (`advance`, from `StreamHeaderScanner`): the same
/// bytes, the same answer, past a pipe's window too (review37a U14: a rate change 4.4 MB into
/// standard input was decoded as one stream, the file refused). Memory is constant.
struct MPEGFormatWalk {
  /// Where the next frame header (or tag) is expected.
  private(set) var offset: Int64
  /// The refusal's words, when the rate or channel mode changed.
  private(set) var change: String?
  /// The frames stopped following one another, or a change was found: nothing more to read.
  private(set) var ended = false
  /// The last frame, when the frames followed one another to it and it was cut short: the
  /// input ends inside it (cut, or its header damaged), or an ID3v1 tag ending the input begins
  /// inside it, as `MPEGFrameChain.cutFrame` says of a file (review48 H05, review52 H1, H2, W2:
  /// a pipe past its window said nothing).
  private(set) var cutFrame: MPEGFrameChain.CutFrame?
  /// The samples of the frames walked (a cut last frame's included: decoders decode it).
  private(set) var samples: Int64 = 0
  /// The samples of those before the cut frame, when the last is cut short.
  private(set) var samplesBeforeTheCut: Int64?
  /// The frames followed one another to the input's end, or to bytes that are a tag (or its
  /// start) or padding (one byte repeated, which the last frame does not end in: that is a frame
  /// cut and padded, as `MPEGFrameChain.paddedFrame` says of a file). Known at the end.
  private(set) var endsCleanly = false
  /// Where the last frame header read starts, its second byte (version, layer, CRC flag), and
  /// its frame's samples.
  private var lastFrameAt: Int64?
  private var lastSecondByte: UInt8?
  private var lastFrameSamples: Int64 = 0
  /// The last frame header read (its `headerBytes`).
  private var lastHeader: [UInt8] = []
  /// Where the walk found no header where the last frame said, before the input's end, until
  /// the bytes there are taken (`loss`).
  private var lossFound: Int64?
  /// What follows that place, as the bytes pass (`MPEGStreamLoss`).
  private var loss: MPEGStreamLoss?
  /// What the bytes from that place to the input's end are, when they are damage other than a
  /// cut last frame (the frames found again after it, a last frame cut and padded, other bytes
  /// after a cut stream). Known at the end.
  private(set) var lossDamage: MPEGStreamLoss.Damage?
  /// The last `framesKept` frames walked: where each starts, and the samples of the frames
  /// before it (where a decoder can start again, `SndFileSource.mpegResumption`).
  private(set) var recentFrames: [(at: Int64, samplesBefore: Int64)] = []
  private static let framesKept = 32
  private var first: (rate: Int, mono: Bool)?
  /// Where the second frame starts: a change there is the first header's damage (an Info
  /// frame's channel-mode bit, review36), not another stream's start.
  private var second: Int64?
  /// A change seen: where, to what, in how many frames in a row.
  private var changed: (at: Int64, format: (rate: Int, mono: Bool), count: Int)?
  /// Frames in a row a new rate or channel mode must hold to be another stream's.
  private static let changedFrames = 3
  /// The bytes of a header read at once (an ID3v2 tag's is the longest).
  static let headerBytes = 10

  /// A walk from the input's first frame, at `offset`.
  init(from offset: Int64) { self.offset = offset }

  /// Reads the header at `offset`: its first `headerBytes` bytes, fewer at the input's end.
  mutating func step(_ header: [UInt8]) {
    guard !ended else { return }
    guard header.count >= 4 else {
      // One to three bytes at the end that begin a frame header like the last one: the input
      // was cut inside that header, as `MPEGFrameChain` says of a file (review52 H1).
      if let lastSecondByte, !header.isEmpty, header[0] == 0xFF, header.count == 1 || header[1] == lastSecondByte {
        (cutFrame, samplesBeforeTheCut) = (MPEGFrameChain.CutFrame(at: offset, intoTag: nil), samples)
      }
      return end()
    }
    if header.count == Self.headerBytes, let tag = MPEGStreamExtent.firstFrame(header), tag > 0 {
      offset += Int64(tag)  // an ID3v2 tag: another file's start
      (lastFrameAt, lastSecondByte, lastHeader) = (nil, nil, [])
      return
    }
    if header.starts(with: Array("TAG".utf8)) {
      offset += 128  // an ID3v1 tag: another file's end
      (lastFrameAt, lastSecondByte, lastHeader) = (nil, nil, [])
      return
    }
    guard let frame = MPEGStreamExtent.FrameHeader(header) else {  // (its first 4 bytes)
      lossFound = offset
      return end()
    }
    if recentFrames.count == Self.framesKept { recentFrames.removeFirst() }
    recentFrames.append((offset, samples))
    lastFrameAt = offset
    lastSecondByte = header[1]
    lastHeader = header
    lastFrameSamples = Int64(frame.samplesPerFrame)
    samples += lastFrameSamples
    guard let stream = first else {
      first = (frame.rate, frame.mono)
      offset += Int64(frame.length)
      second = offset
      return
    }
    if (frame.rate, frame.mono) == stream {
      changed = nil
    } else if let (at, format, count) = changed, (frame.rate, frame.mono) == format {
      changed = (at, format, count + 1)
    } else {
      changed = (offset, (frame.rate, frame.mono), 1)
    }
    if let (at, format, count) = changed, count >= Self.changedFrames, at == second {
      first = format  // the first header was the damaged one
      changed = nil
    }
    if let (at, format, count) = changed, count >= Self.changedFrames {
      change = Self.changeWords(from: stream, to: format, at: at)
      return end()
    }
    offset += Int64(frame.length)
  }

  /// Walks the headers in `raw` (the input's bytes from `base`); one cut at its end waits for
  /// the next bytes, unless the input ends with them (`complete`). Bytes that skip past the
  /// next header (a gap) end the walk.
  mutating func advance(_ raw: UnsafeRawBufferPointer, base: Int64, complete: Bool) {
    let end = base + Int64(raw.count)
    while !ended {
      guard offset >= base else { return self.end() }
      if complete, offset > end, let lastFrameAt {
        (cutFrame, samplesBeforeTheCut) = (MPEGFrameChain.CutFrame(at: lastFrameAt, intoTag: nil), samples - lastFrameSamples)
        self.end()
        break
      }
      guard offset + Int64(Self.headerBytes) <= end || (complete && offset <= end) else { break }
      let at = Int(offset - base)
      step(Array(UnsafeRawBufferPointer(rebasing: raw[at..<min(raw.count, at + Self.headerBytes)])))
    }
    if let at = lossFound {
      lossFound = nil
      // (The stream's format once frames of it followed one another: a damaged first header
      // is no stream another could change from.)
      loss = MPEGStreamLoss(at: at, lastHeader: lastHeader, stream: recentFrames.count >= Self.changedFrames ? first : nil, in: raw, base: base)
    }
    loss?.take(raw, base: base)
    guard complete, change == nil else { return }
    /// The input's bytes from `at` that the last block holds; none where it does not.
    func bytes(_ at: Int64, _ count: Int) -> [UInt8] {
      at >= base && at + Int64(count) <= end ? Array(UnsafeRawBufferPointer(rebasing: raw[Int(at - base)..<Int(at - base) + count])) : []
    }
    // The last frame walked to its end runs into the tags that end the input (a frame that ends
    // the input holds those bytes as its own: review53 W1), or one to three bytes before them
    // begin its header (review53 W2), as `MPEGFrameChain` says of a file.
    let endTags = MPEGEndTags.start(size: end) { bytes($0, $1) }
    // The last "frame" a header of one to three bytes before the tags (the tags' first bytes
    // taken for the rest of it), as a file's walk reads it (review55 W4).
    if let endTags, let cut = cutFrame, cut.intoTag == nil, cut.nextAt == nil, cut.at < endTags.at, cut.at + 4 > endTags.at {
      (cutFrame, samples) = (MPEGFrameChain.CutFrame(at: cut.at, intoTag: endTags.name), samples - lastFrameSamples)
      return
    }
    guard cutFrame == nil else { return }
    if let endTags, let lastFrameAt, lastFrameAt < endTags.at, endTags.at < offset, offset < end,
      !MPEGEndTags.beginsATag(bytes(offset, min(MPEGEndTags.signatureBytes, Int(end - offset))))
    {
      (cutFrame, samplesBeforeTheCut) = (MPEGFrameChain.CutFrame(at: lastFrameAt, intoTag: endTags.name), samples - lastFrameSamples)
      return
    }
    if let endTags, let lastSecondByte, offset >= base, offset < endTags.at, offset + 4 > endTags.at {
      let left = Array(UnsafeRawBufferPointer(rebasing: raw[Int(offset - base)..<Int(endTags.at - base)]))
      if left[0] == 0xFF, left.count == 1 || left[1] == lastSecondByte {
        (cutFrame, samplesBeforeTheCut) = (MPEGFrameChain.CutFrame(at: offset, intoTag: endTags.name), samples)
        return
      }
    }
    // The last frame walked cut short, the next one starting inside it and running to the end
    // (or the tags): as `MPEGFrameChain` says of a file (review53 H4).
    let header = { (at: Int64) -> MPEGStreamExtent.FrameHeader? in
      let head = bytes(at, 4)
      return head.count == 4 ? MPEGStreamExtent.FrameHeader(head) : nil
    }
    if let lastFrameAt, offset < (endTags?.at ?? end), let last = header(lastFrameAt),
      let inside = MPEGFrameChain.frameStartingInside(last, at: lastFrameAt, end: endTags?.at ?? end, header: header, bytes: bytes)
    {
      (cutFrame, samplesBeforeTheCut) = (MPEGFrameChain.CutFrame(at: lastFrameAt, intoTag: nil, nextAt: inside.at), samples - lastFrameSamples)
      samples += inside.samples
      return
    }
    if offset >= base, offset <= end {
      let rest = UnsafeRawBufferPointer(rebasing: raw[Int(offset - base)...])
      let isATag = MPEGEndTags.beginsATag(Array(rest.prefix(MPEGEndTags.signatureBytes)), orItsCutStart: true)
      // Padding, after a frame that does not itself end in a run of that byte.
      let padding = rest.first.flatMap { byte -> Bool? in
        let frameTail = offset - Int64(MPEGFrameChain.paddedFrameRun)
        guard rest.allSatisfy({ $0 == byte }), lastFrameAt != nil, frameTail >= base else { return nil }
        return !UnsafeRawBufferPointer(rebasing: raw[Int(frameTail - base)..<Int(offset - base)]).allSatisfy { $0 == byte }
      }
      // (Or the frames end where the tags ending the input begin: an APEv2 tag without its
      // header starts with its items, review55 W1.)
      endsCleanly = rest.isEmpty || isATag || padding == true || offset == endTags?.at
    }
    // What follows where the frames stopped following one another, as a file's walk says it
    // (review53 H3): a damaged last header is a cut frame, as there.
    guard !endsCleanly, let loss else { return }
    lossDamage = loss.damage(end: end, endTagsAt: endTags?.at)
    if lossDamage == .cutFrame {
      (cutFrame, samplesBeforeTheCut, lossDamage) = (MPEGFrameChain.CutFrame(at: loss.at, intoTag: nil), samples, nil)
    }
  }

  /// Whether the frames stopped following one another before the bytes passed so far ended
  /// (what the bytes from there are is known at the end: `lossDamage`).
  var lossMet: Bool { lossFound != nil || loss != nil }
  /// Whether, in the bytes passed so far, the frames follow one another again after such a
  /// place: more of the stream after a hole.
  var framesFoundAfterALoss: Bool { loss?.framesFoundAgain == true }

  /// The refusal's words where frames of another rate or channel mode (`to`) follow those of
  /// `from`, at byte `at`.
  static func changeWords(from: (rate: Int, mono: Bool), to: (rate: Int, mono: Bool), at: Int64) -> String {
    let joined = "at byte \(at), where another MPEG stream is joined on; audioprep does not follow such changes"
    return from.rate != to.rate
      ? "the sample rate changes from \(from.rate) to \(to.rate) Hz \(joined)"
      : "the channel count changes from \(from.mono ? 1 : 2) to \(to.mono ? 1 : 2) \(joined)"
  }

  /// Where the frames stopped following one another, not found again after it, frames of
  /// another rate or channel mode follow (another stream joined on after bytes that are not
  /// frames, review59 W5), as the refusal says it.
  var changeAfterALoss: String? { loss?.changeWords }

  /// Whether the frames were found again after a place where they stopped following one
  /// another: the bytes in between lost (a hole, a damaged header mid-stream).
  var lostSync: Bool { if case .lostSync = lossDamage { true } else { false } }

  /// `lossDamage` as a warning says it, its offsets `shift` bytes on (a tag skipped before the
  /// walk).
  func lossWarning(shiftedBy shift: Int64) -> String? {
    guard let loss else { return nil }
    return lossDamage.map { loss.warning($0, shift: shift) }
  }

  /// What the bytes passed so far after the place where the frames stopped following one
  /// another are, when the input was not read to its end: the frames found again, or bytes that
  /// are not frames as far as they were read. nil when there is no such place, or the bytes
  /// there begin a tag.
  func lossWarningBeforeTheEnd(shiftedBy shift: Int64) -> String? {
    loss?.warningBeforeTheEnd(shift: shift)
  }

  private mutating func end() { ended = true }
}
