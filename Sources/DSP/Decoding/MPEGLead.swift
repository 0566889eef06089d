/// What comes before an MP3's or MP2's first frame: ID3v2 tags, any number stacked (a tagger's
/// before another's), zero bytes after a tag (padding a tagger left outside the tag's size),
/// and zero bytes before the first frame of an untagged stream. libmpg123 and FFmpeg skip them all, as sox does; neither is a second file nor damage
/// (review37c X2: a ninth tag was "damaged: ... lose their sync"; X10: the frame after 3000 zeros
/// was "a second MP3 file").
enum MPEGLead {
  /// Where the first frame starts, the input's bytes read by `bytesAt` (`count` bytes at an
  /// offset, fewer where the input has none).
  static func length(bytesAt: (_ offset: Int64, _ count: Int) -> [UInt8]) -> Int64 {
    var length = leadingZeros(bytesAt: bytesAt)
    while true {
      let tags = ID3v2Tag.stackLength(leniently: true) { bytesAt(length + $0, 10) }
      guard tags > 0 else { return length }
      length += tags
      length += zeros(from: length, bytesAt: bytesAt)
    }
  }

  /// Zero bytes at the input's start when an MPEG frame header follows them (a file made
  /// before it was written, review42 W09: "a second MP3 file starts at byte 60000" where
  /// ffmpeg decodes the stream); 0 otherwise (an MP4's size field begins with zeros).
  private static func leadingZeros(bytesAt: (_ offset: Int64, _ count: Int) -> [UInt8]) -> Int64 {
    let count = zeros(from: 0, bytesAt: bytesAt)
    guard count > 0 else { return 0 }
    let header = bytesAt(count, 4)
    guard header.count == 4, MPEGStreamExtent.FrameHeader(header) != nil else { return 0 }
    return count
  }

  /// How many zero bytes run from `offset`, read in blocks growing from 16 bytes: a pipe's
  /// bytes are waited for only as far as the zeros go, not 4 KiB of them (8 s of a 16 kb/s live
  /// stream: review41 H03).
  private static func zeros(from offset: Int64, bytesAt: (_ offset: Int64, _ count: Int) -> [UInt8]) -> Int64 {
    var count: Int64 = 0
    var blockSize = 16
    while true {
      let block = bytesAt(offset + count, blockSize)
      let zeros = block.firstIndex { $0 != 0 } ?? block.count
      count += Int64(zeros)
      if zeros < blockSize { return count }
      blockSize = min(blockSize * 2, 4096)
    }
  }

  /// The lead of `input` when zeros follow its tags (or begin it) and a frame header follows them, which the
  /// decoders are shown the input without; 0 otherwise. libsndfile does not recognise an MPEG
  /// stream after such zeros from its bytes, and FFmpeg looks for the Info header (the gapless
  /// trim) only where the tags end (review37c X10: 1242 frames more).
  static func hiddenLength(_ input: InputBytes) -> Int64 {
    let lead = length { input.read(at: $0, count: $1) }
    let tags = ID3v2Tag.stackLength(leniently: true) { input.read(at: $0, count: 10) }
    let frame = input.read(at: lead, count: 4)
    return lead > tags && frame.count == 4 && MPEGStreamExtent.FrameHeader(frame) != nil ? lead : 0
  }

  /// The same for the start of an input held in `head`, as far as it holds it.
  static func length(_ head: [UInt8]) -> Int64 {
    length { offset, count in
      offset < Int64(head.count) ? Array(head[Int(offset)..<Int(min(Int64(head.count), offset + Int64(count)))]) : []
    }
  }
}
