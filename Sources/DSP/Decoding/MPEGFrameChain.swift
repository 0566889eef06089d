import Glibc

/// An MP3's or MP2's frames walked by their headers' lengths, over damage: how many samples
/// they hold, and where the chain first breaks with frames after it (review35 R1, R16).
///
/// Each frame header gives the frame's length, so the next header is where the last one says.
/// One damaged header (a flipped bit-rate or sample-rate bit) sends the walk, and libmpg123,
/// into the middle of a frame: libmpg123 may end the stream there without a word (half an MP3
/// without an Info header, which has no length to fall short of) or decode over it. The walk
/// finds the frames again (three headers in a row of the stream's rate and layer, each where
/// the one before says), so a decoder that stopped short of the frames' samples is known to
/// have, and damage it decoded over is said.
struct MPEGFrameChain {
  /// Samples the frames hold (a damaged header's frame counted as the header says).
  let samples: Int64
  /// Where the chain first breaks with frames following: no header where the last said (the
  /// first frame's own position when its header is damaged: an Info frame's rate bit).
  let brokenAt: Int64?
  /// Where frames of another rate or channel mode follow bytes that are not frames (another
  /// stream joined on after them), as the refusal says it; the walk stops there.
  let change: String?
  /// The first header where the frame before says, of another rate, channel count, layer or
  /// CRC flag than the stream's: a flipped bit that keeps the frame's length (review36 T11).
  let oddHeaderAt: Int64?

  /// The last frame cut short (`CutFrame`).
  let cutFrame: CutFrame?

  /// A last frame cut short: a frame header after the last whole frame whose frame runs past
  /// the input's end (the last frame's header damaged, a raised bit rate or another layer, or
  /// the frame cut short), or a frame that runs into the tags ending the input (cut, and tags
  /// written after it, whose first bytes the frame takes for its own: review52 H2, W2; review53
  /// H7, W2; `MPEGEndTags`).
  struct CutFrame: Equatable {
    /// Where its header starts.
    let at: Int64
    /// The name of the tag it runs into (`MPEGEndTags`); nil when it runs past the input's end.
    let intoTag: String?
    /// Where the next frame starts, inside this one, when this one was cut short and the frames
    /// after it follow (`frameStartingInside`).
    var nextAt: Int64? = nil

    /// As a warning says it.
    var warning: String {
      if let nextAt { return "the MPEG frame at byte \(at) is cut short: the next frame starts inside it, at byte \(nextAt)" }
      if let intoTag { return "the last MPEG frame, at byte \(at), runs into the \(intoTag) at the input's end (the frame cut short, the tag written after it)" }
      return "the last MPEG frame, at byte \(at), runs past the input's end (its header damaged, or the frame cut short)"
    }
  }

  /// The samples of the frames before the cut one, when the last is cut short.
  let samplesBeforeTheCut: Int64?

  /// The samples after which a decoder's errors (FFmpeg's) are about the bytes after the frames
  /// (a tag, padding: harmless), or about a last frame cut short, which the walk says; nil
  /// when the walk found other damage.
  var samplesBeforeAnyErrorItExplains: Int64? {
    if brokenAt == nil, oddHeaderAt == nil, passedOverByFFmpegAt == nil, let samplesBeforeTheCut { return samplesBeforeTheCut }
    return damageForFFmpeg == nil ? samples : nil
  }

  /// The last frame, when it ends in the run of one byte (0x00 or 0xFF) that then fills the
  /// input to its end: a frame cut short and padded (a download or a copy that filled what it
  /// lost), whose length fits in the input, so every decoder decodes it, to noise up to full
  /// scale (review40 G01). Encoders end a frame otherwise: LAME's stuffing is 0x55 and 0xAA,
  /// FFmpeg's MP2 frames end in at most 6 zero bytes (3,900 frames measured); a whole frame
  /// followed by padding (review38 R2) ends in its own bytes, not the padding's.
  let paddedFrame: (at: Int64, byte: UInt8)?

  /// Where the bytes after the last frame begin, and how many, when they are neither frames,
  /// a tag, nor one byte repeated (padding), and more than `bytesNoTagExplains`: the stream was
  /// cut, other bytes after it (review41 H01: an MP3 without an Info header cut at a third, the
  /// rest random, lost two thirds without a word).
  let bytesAfterTheFrames: (at: Int64, count: Int64)?

  /// The first of the frames at the start FFmpeg's MP3 reader does not decode: it starts at the
  /// first frame whose header agrees with the next one's in the fields it compares
  /// (`FrameHeader.fieldsFFmpegCompares`), so a copyright, original or emphasis bit flipped in
  /// the first audio frame or the second loses 576 to 2304 samples (libmpg123 decodes them).
  let passedOverByFFmpegAt: Int64?

  /// The damage FFmpeg's reading loses audio to, as a warning says it.
  var damageForFFmpeg: String? {
    damage ?? passedOverByFFmpegAt.map { "the MPEG frame header at byte \($0) disagrees with the next one, and FFmpeg starts decoding after it" }
  }

  /// What a pipe too long for its window to be walked as a file (`walk(pipe:)` nil) says of its
  /// stream's damage: its last frame cut short (its header damaged too), or what follows where
  /// its frames stopped following one another (`MPEGFormatWalk.lossDamage`: the frames again
  /// after a hole, a last frame cut and padded, other bytes after a cut stream), from
  /// the frames its bytes were walked by as they passed (review48 H05, review53 H3: the file
  /// said so, standard input said nothing). The pipe is read to its end first (up to
  /// `PipeReader.readToTheEnd`'s limit): a decoder that stops at an Info header's count leaves
  /// the last bytes unread.
  static func damage(atTheEndOf pipe: PipeReader) -> String? {
    let shift = pipe.skippedTagBytes
    // A pipe is read on at most 64 MiB (a producer that never stops must not hold the run):
    // where that is not its end, what was read past the frames is said (review59 H3: silent).
    guard pipe.readToTheEnd() else { return pipe.headers.mpegFrames?.lossWarningBeforeTheEnd(shiftedBy: shift) }
    guard let walk = pipe.headers.mpegFrames else { return nil }
    guard let cut = walk.cutFrame else { return walk.lossWarning(shiftedBy: shift) }
    return CutFrame(at: cut.at + shift, intoTag: cut.intoTag, nextAt: cut.nextAt.map { $0 + shift }).warning
  }

  /// The samples of the frames a pipe too long for its window to be walked as a file holds
  /// (`samples`), and those after which a decoder's errors are about the bytes after them or a
  /// last frame cut short (`samplesBeforeAnyErrorItExplains`), from the frames its bytes were
  /// walked by as they passed, once it is read to its end; nil when they changed format.
  /// nil, too, when bytes that are neither padding nor a tag follow them (other bytes, or the
  /// rest of frames a damaged header sent the walk past: review53 H1).
  static func samples(atTheEndOf pipe: PipeReader) -> (all: Int64, beforeAnyErrorItExplains: Int64)? {
    guard pipe.readToTheEnd(), let walk = pipe.headers.mpegFrames, walk.change == nil, walk.cutFrame != nil || walk.endsCleanly else { return nil }
    return (walk.samples, walk.samplesBeforeTheCut ?? walk.samples)
  }

  /// A frame of `frame`'s stream that starts inside it (past its header), from which frames
  /// follow one another to `end` exactly, or whole to a last one that runs past `end` (cut too:
  /// review56 H3): where it starts and the samples of those frames. The frame at `frameAt` was
  /// cut short and the next one written at once after what was left of it (review53 H4: the
  /// walk took the cut frame's declared length into the next one, and its last bytes for a few
  /// after the stream). nil when there is none.
  static func frameStartingInside(
    _ frame: MPEGStreamExtent.FrameHeader, at frameAt: Int64, end: Int64, header: (Int64) -> MPEGStreamExtent.FrameHeader?,
    bytes: (Int64, Int) -> [UInt8]
  ) -> (at: Int64, samples: Int64)? {
    // (With the byte after it: a header at its last byte, one byte short, review56 H1.)
    let body = bytes(frameAt + 4, frame.length - 3)
    for index in 0..<max(0, min(body.count - 1, frame.length - 4)) where body[index] == 0xFF && body[index + 1] & 0xE0 == 0xE0 {
      let start = frameAt + 4 + Int64(index)
      var (at, samples, whole) = (start, Int64(0), 0)
      while at < end, let next = header(at), next.length > 0, next.isOfTheSameStream(as: frame) {
        at += Int64(next.length)
        samples += Int64(next.samplesPerFrame)
        if at <= end { whole += 1 }
      }
      if at == end && whole > 0 || at > end && whole > 0 { return (start, samples) }
    }
    return nil
  }

  /// The damage the walk found, as a warning says it; nil when every header is the stream's.
  var damage: String? {
    if let brokenAt { return Self.lostSyncWarning(at: brokenAt) }
    if let oddHeaderAt { return "the MPEG frame header at byte \(oddHeaderAt) disagrees with the frames around it" }
    if let cutFrame { return cutFrame.warning }
    if let paddedFrame { return Self.paddedFrameWarning(at: paddedFrame.at, byte: paddedFrame.byte) }
    if let bytesAfterTheFrames { return Self.bytesAfterTheFramesWarning(at: bytesAfterTheFrames.at, count: bytesAfterTheFrames.count) }
    return nil
  }

  /// The warnings of `damage`, which a pipe's walk past its window says too (`MPEGStreamLoss`).
  static func lostSyncWarning(at offset: Int64) -> String { "the MPEG frames lose their sync at byte \(offset)" }
  static func paddedFrameWarning(at offset: Int64, byte: UInt8) -> String {
    "the last MPEG frame, at byte \(offset), ends in the \(byte == 0 ? "0x00" : "0xFF") bytes that fill the input to its end (cut short and padded: its audio is noise)"
  }
  static func bytesAfterTheFramesWarning(at offset: Int64, count: Int64) -> String {
    "the \(count) bytes from byte \(offset) on are neither MPEG frames nor a tag (the stream cut short, other bytes after it)"
  }
  /// Bytes after the frames that a pipe was not read to the end of (`PipeReader.readToTheEnd`'s limit).
  static func bytesAfterTheFramesWarning(at offset: Int64, read: Int64) -> String {
    "the \(read) bytes from byte \(offset) on are neither MPEG frames nor a tag, and the pipe was read no further (the stream cut short, other bytes after it)"
  }

  /// Frames in a row, each where the one before says, that find the stream again.
  private static let framesToResync = 3
  /// Bytes after the last frame, not a tag (ID3v1 and v2, APE, Lyrics3: recognised) nor
  /// padding, that are more than damage leaves: a stream cut, other bytes after it.
  static let bytesNoTagExplains = 4096
  /// The run of padding bytes a frame ends in that is not an encoder's.
  static let paddedFrameRun = 12

  /// The walk of the MPEG file at `path`.
  static func walk(file path: String) -> MPEGFrameChain? {
    let descriptor = Descriptor.open(path, flags: O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    let reader = BufferedFileReader(descriptor: descriptor)  // closes it
    guard let size = Descriptor.status(of: descriptor)?.size else { return nil }
    return walk(reader, size: size)
  }

  /// The same for a pipe read to its end that its window still holds whole (the same bytes
  /// give the same answer as a file); nil when it does not. The read position is put back.
  static func walk(pipe: PipeReader) -> MPEGFrameChain? {
    guard pipe.readToTheEnd(limit: Int64(pipe.windowBytes)), pipe.bytesConsumed <= Int64(pipe.windowBytes) else { return nil }
    let position = pipe.tell
    defer { _ = pipe.seek(offset: position, whence: SEEK_SET) }
    return walk(pipe, size: pipe.bytesConsumed)
  }

  private static func walk(_ reader: some SeekableBytes, size: Int64) -> MPEGFrameChain? {
    func bytes(at offset: Int64, _ count: Int) -> [UInt8] {
      guard reader.seek(offset: offset, whence: SEEK_SET) == offset else { return [] }
      var buffer = [UInt8](repeating: 0, count: count)
      let got = buffer.withUnsafeMutableBytes { reader.readBytes(into: $0.baseAddress!, count: count) }
      return Array(buffer.prefix(max(0, got)))
    }
    var offset = MPEGLead.length { bytes(at: $0, $1) }
    // A free-format stream's frames are as long as the first two headers' distance says.
    let freeFormat = MPEGFreeFormat.find(at: offset) { bytes(at: $0, $1) }
    func header(at offset: Int64) -> MPEGStreamExtent.FrameHeader? {
      let head = bytes(at: offset, 4)
      return head.count == 4 ? MPEGStreamExtent.FrameHeader(head, freeFormat: freeFormat) : nil
    }
    /// Whether `framesToResync` frames like `like` (or like the first of them) follow one another
    /// from `start`, or fewer that end where the input ends (damage in the last frames:
    /// review35b S9).
    func resyncs(at start: Int64, like: MPEGStreamExtent.FrameHeader?) -> Bool {
      var at = start
      guard let kind = like ?? header(at: start) else { return false }
      for _ in 0..<framesToResync {
        guard let frame = header(at: at), frame.isOfTheSameStream(as: kind) else { return false }
        at += Int64(frame.length)
        if at == size { return true }
      }
      return at <= size
    }
    /// The first place after `start` where the frames (like `like`) follow one another again.
    func resync(after start: Int64, like: MPEGStreamExtent.FrameHeader?) -> Int64? {
      var scan = start + 1
      while scan + 4 <= size {
        let block = bytes(at: scan, 1 << 16)
        guard block.count >= 2 else { break }
        for index in 0..<block.count - 1 where block[index] == 0xFF && block[index + 1] & 0xE0 == 0xE0 {
          if resyncs(at: scan + Int64(index), like: like) { return scan + Int64(index) }
        }
        scan += Int64(block.count - 1)
      }
      return nil
    }
    var brokenAt: Int64?
    var change: String?
    var oddHeaderAt: Int64?
    var cutFrame: CutFrame?
    // The stream is the first frame's, unless that header is damaged (no frames of its kind
    // follow it where it says, as after an Info frame with a flipped rate or padding bit, or
    // it is no header: a bit-rate index of 0 or 15): then the frames after it are the stream,
    // and the chain breaks at its start. (The second frame's header may be the damaged one: a
    // channel-mode bit, review36 T11.)
    let atStart = header(at: offset)
    let firstIsIntact = atStart.map { first in
      let second = offset + Int64(first.length)
      return header(at: second).map { $0.isOfTheSameStream(as: first) || resyncs(at: second + Int64($0.length), like: first) } == true
        // (Or the second header is the damaged one: frames like the first follow it a frame of
        // the first's length on, a padding byte either way: review58 M3, the file said "lose
        // their sync at byte 0" of an Info frame whose next header was damaged.)
        || (-1...1).contains { resyncs(at: second + Int64(first.length + $0), like: first) }
    }
    let stream: MPEGStreamExtent.FrameHeader
    if firstIsIntact != true, let found = resync(after: offset, like: nil), let after = header(at: found) {
      brokenAt = offset
      offset = found
      stream = after
    } else if let atStart {
      stream = atStart
    } else {
      return nil
    }
    /// Whether frames of the stream start inside `frame` (at `start`, past its header) and
    /// follow one another to its very end: a raised bit-rate bit made its header claim the
    /// frames after it, which the decoders then skip (review36 T10: 4 frames of 32 kb/s, one of
    /// 128 kb/s to the byte, and the chain went on as if nothing had happened), or ends inside
    /// the last frame.
    func swallowsFrames(_ frame: MPEGStreamExtent.FrameHeader, at start: Int64) -> Bool {
      let end = start + Int64(frame.length)
      let body = bytes(at: start + 4, frame.length - 4)
      for index in 0..<max(0, body.count - 1) where body[index] == 0xFF && body[index + 1] & 0xE0 == 0xE0 {
        var at = start + 4 + Int64(index)
        while at < end, let inner = header(at: at), inner.isOfTheSameStream(as: stream) { at += Int64(inner.length) }
        // (Or to the input's end: the last frame swallowed by the one before it.)
        if at == end || at == size { return true }
      }
      return false
    }
    // The frames FFmpeg passes over at the start (after an Info frame, which its reader takes
    // apart first), while one's header disagrees with the next one's.
    var passedOverByFFmpegAt: Int64?
    if let first = header(at: offset) {
      var at = offset
      if MPEGStreamExtent.infoTag(bytes(at: offset, 48 + 16), start: 0) != nil { at += Int64(first.length) }
      for _ in 0..<framesToResync {
        guard let frame = header(at: at), let next = header(at: at + Int64(frame.length)),
          frame.fieldsFFmpegCompares != next.fieldsFFmpegCompares
        else { break }
        passedOverByFFmpegAt = passedOverByFFmpegAt ?? at
        at += Int64(frame.length)
      }
    }
    var samples: Int64 = 0
    var lastLength: Int?
    var lastFrameAt: Int64?
    var samplesBeforeTheCut: Int64?
    // The tags that end the input, where a last frame cut short may run into them.
    let endTags = MPEGEndTags.start(size: size) { bytes(at: $0, $1) }
    let tagAt = endTags?.at
    while offset + 4 <= size {
      // A header the tags ending the input begin inside: one to three bytes of it (below).
      if let tagAt, offset < tagAt, offset + 4 > tagAt { break }
      let head = bytes(at: offset, 3)
      if head == Array("TAG".utf8) {
        offset += 128  // an ID3v1 tag
        continue
      }
      if let frame = header(at: offset), frame.length > 0, offset + Int64(frame.length) <= size {
        if oddHeaderAt == nil, !frame.isOfTheSameStream(as: stream) || frame.length > (lastLength ?? 0) + 1 && swallowsFrames(frame, at: offset) {
          oddHeaderAt = offset
        }
        // (A frame that ends the input holds those bytes as its own: review53 W1; so does one
        // that ends where a tag begins: a tag's size miscounted, review55 H2.)
        if let tagAt, offset < tagAt, offset + Int64(frame.length) > tagAt, offset + Int64(frame.length) < size,
          !MPEGEndTags.beginsATag(bytes(at: offset + Int64(frame.length), MPEGEndTags.signatureBytes))
        {
          (cutFrame, samplesBeforeTheCut) = (CutFrame(at: offset, intoTag: endTags?.name), samples)
          samples += Int64(frame.samplesPerFrame)  // (decoded: the tag's bytes its audio)
          break
        }
        samples += Int64(frame.samplesPerFrame)
        lastFrameAt = offset
        offset += Int64(frame.length)
        lastLength = frame.length
        continue
      }
      // Lost: the stream's frames again further on, or the end (a last frame cut short, tags).
      // A frame header there whose frame runs past the end (cut short), or the last frame's
      // header with a bit or two flipped (a layer of 0 is none): not only a sync word (0xFF
      // bytes after the last frame, review39 F14, were "damaged").
      guard let found = resync(after: offset, like: stream) else {
        // Frames of another rate or channel mode after the bytes: another stream joined on
        // (review59 W5: "neither MPEG frames nor a tag", the second stream dropped).
        if let other = resync(after: offset, like: nil), let kind = header(at: other), kind.rate != stream.rate || kind.mono != stream.mono {
          change = MPEGFormatWalk.changeWords(from: (stream.rate, stream.mono), to: (kind.rate, kind.mono), at: other)
          break
        }
        if let lastFrameAt, let last = header(at: lastFrameAt),
          let inside = Self.frameStartingInside(last, at: lastFrameAt, end: tagAt ?? size, header: header, bytes: { bytes(at: $0, $1) })
        {
          (cutFrame, samplesBeforeTheCut) = (CutFrame(at: lastFrameAt, intoTag: nil, nextAt: inside.at), samples - Int64(last.samplesPerFrame))
          samples += inside.samples
          break
        }
        let head = bytes(at: offset, 4)
        let lastHead = lastFrameAt.map { bytes(at: $0, 4) } ?? []
        let flipped = zip(head, lastHead).reduce(0) { $0 + ($1.0 ^ $1.1).nonzeroBitCount }
        if header(at: offset) != nil || head.count == 4 && lastHead.count == 4 && flipped <= 2 {
          (cutFrame, samplesBeforeTheCut) = (CutFrame(at: offset, intoTag: nil), samples)
        }
        break
      }
      if brokenAt == nil { brokenAt = offset }
      offset = found
    }
    // One to three bytes left after the last frame walked that are the end of a frame starting
    // inside it (cut to its header, the next one after it: review56 H2), as bytes it resyncs
    // over are (above).
    if cutFrame == nil, offset < tagAt ?? size, offset + 4 > tagAt ?? size, let lastFrameAt, let last = header(at: lastFrameAt),
      let inside = Self.frameStartingInside(last, at: lastFrameAt, end: tagAt ?? size, header: header, bytes: { bytes(at: $0, $1) })
    {
      (cutFrame, samplesBeforeTheCut) = (CutFrame(at: lastFrameAt, intoTag: nil, nextAt: inside.at), samples - Int64(last.samplesPerFrame))
      samples += inside.samples
    }
    // One to three bytes left after the last frame, before the input's end or the tags ending
    // it, that begin its header: the stream was cut inside the next frame's header (review41
    // H02: silent, where a cut a byte later said so; review53 W2: silent before a tag).
    let audioEnd = tagAt ?? size
    if cutFrame == nil, offset < audioEnd, offset + 4 > audioEnd, let lastFrameAt {
      let left = bytes(at: offset, Int(audioEnd - offset))
      let lastHead = bytes(at: lastFrameAt, 4)
      if !left.isEmpty, left.count < 4, left[0] == 0xFF, left.count == 1 || lastHead.count > 1 && left[1] == lastHead[1] {
        (cutFrame, samplesBeforeTheCut) = (CutFrame(at: offset, intoTag: endTags?.name), samples)
      }
    }
    /// Whether the bytes from `start` to the audio's end (the tags ending the input, or its end)
    /// are all `byte` (review53 W7: zeros, then an ID3v1 tag, were "neither MPEG frames nor a tag").
    func onlyBytes(_ byte: UInt8, from start: Int64) -> Bool {
      var at = start
      while at < audioEnd {
        let block = bytes(at: at, Int(min(1 << 16, audioEnd - at)))
        guard !block.isEmpty, block.allSatisfy({ $0 == byte }) else { return false }
        at += Int64(block.count)
      }
      return true
    }
    var paddedFrame: (at: Int64, byte: UInt8)?
    if cutFrame == nil, let lastFrameAt, let lastLength, lastLength > Self.paddedFrameRun + 4, lastFrameAt + Int64(lastLength) < size,
      MPEGStreamExtent.infoTag(bytes(at: lastFrameAt, 48 + 16), start: 0) == nil
    {
      let end = lastFrameAt + Int64(lastLength)
      let tail = bytes(at: end - Int64(Self.paddedFrameRun), Self.paddedFrameRun)
      if let byte = tail.first, byte == 0x00 || byte == 0xFF, tail.count == Self.paddedFrameRun, tail.allSatisfy({ $0 == byte }), onlyBytes(byte, from: end) {
        paddedFrame = (lastFrameAt, byte)
      }
    }
    var bytesAfterTheFrames: (at: Int64, count: Int64)?
    if cutFrame == nil, paddedFrame == nil, lastFrameAt != nil, size - offset > Int64(Self.bytesNoTagExplains) {
      let head = bytes(at: offset, MPEGEndTags.signatureBytes)
      let isTag = MPEGEndTags.beginsATag(head)
      // An APE tag written with its footer alone ends the input (or comes before an ID3v1 tag).
      let endsInAnAPETag = [size - 32, size - 128 - 32].contains { bytes(at: $0, 8) == Array("APETAGEX".utf8) }
      if !isTag, !endsInAnAPETag, let first = head.first, !onlyBytes(first, from: offset) {
        bytesAfterTheFrames = (offset, size - offset)
      }
    }
    return MPEGFrameChain(
      samples: samples, brokenAt: brokenAt, change: change, oddHeaderAt: oddHeaderAt, cutFrame: cutFrame, samplesBeforeTheCut: samplesBeforeTheCut,
      paddedFrame: paddedFrame, bytesAfterTheFrames: bytesAfterTheFrames, passedOverByFFmpegAt: passedOverByFFmpegAt)
  }
}
