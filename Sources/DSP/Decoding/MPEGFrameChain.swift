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
  /// Where the chain first breaks with frames following: no header where the last said.
  let brokenAt: Int64?

  /// Frames in a row, each where the one before says, that find the stream again.
  private static let framesToResync = 3

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
    func header(at offset: Int64) -> MPEGStreamExtent.FrameHeader? {
      let head = bytes(at: offset, 4)
      return head.count == 4 ? MPEGStreamExtent.FrameHeader(head) : nil
    }
    var offset = Int64(MPEGStreamExtent.firstFrame(bytes(at: 0, 10)) ?? 0)
    guard let first = header(at: offset) else { return nil }
    /// Whether `framesToResync` frames of the stream's kind follow one another from `start`,
    /// or fewer that end where the input ends (damage in the last frames: review35b S9).
    func resyncs(at start: Int64) -> Bool {
      var at = start
      for _ in 0..<framesToResync {
        guard let frame = header(at: at), frame.rate == first.rate, frame.samplesPerFrame == first.samplesPerFrame else { return false }
        at += Int64(frame.length)
        if at == size { return true }
      }
      return at <= size
    }
    var samples: Int64 = 0
    var brokenAt: Int64?
    while offset + 4 <= size {
      let head = bytes(at: offset, 3)
      if head == Array("TAG".utf8) {
        offset += 128  // an ID3v1 tag
        continue
      }
      if let frame = header(at: offset), frame.length > 0, offset + Int64(frame.length) <= size {
        samples += Int64(frame.samplesPerFrame)
        offset += Int64(frame.length)
        continue
      }
      // Lost: the stream's frames again further on, or the end (a last frame cut short, tags).
      var found: Int64?
      var scan = offset + 1
      search: while scan + 4 <= size {
        let block = bytes(at: scan, 1 << 16)
        guard block.count >= 2 else { break }
        for index in 0..<block.count - 1 where block[index] == 0xFF && block[index + 1] & 0xE0 == 0xE0 {
          if resyncs(at: scan + Int64(index)) {
            found = scan + Int64(index)
            break search
          }
        }
        scan += Int64(block.count - 1)
      }
      guard let found else { break }
      if brokenAt == nil { brokenAt = offset }
      offset = found
    }
    return MPEGFrameChain(samples: samples, brokenAt: brokenAt)
  }
}
