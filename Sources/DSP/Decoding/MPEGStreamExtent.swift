import Glibc

/// Whether an MP3 or MP2 input goes on after the stream libsndfile decoded: MPEG files joined
/// end to end (`cat a.mp3 b.mp3`), which libsndfile's libmpg123 ends at the first one's LAME
/// `Info`/`Xing` frame count, silently dropping the rest.
///
/// From a file, the first frame's `Info`/`Xing` header gives the stream's size in bytes; more
/// than `allowance` bytes beyond it (and beyond an ID3v2 tag before it) is another stream; and
/// the frame headers are walked for a rate or channel mode that changes (libsndfile ends such a
/// file at the first stream's length). From a pipe, what is left after libsndfile stopped is
/// counted.
enum MPEGStreamExtent {
  /// Bytes an input may hold after its stream without that being more audio: trailing tags
  /// (ID3v1 is 128 bytes, APE tags without pictures a few KiB).
  static let allowance = 8192

  /// The first 64 KiB of the stream from its first frame — after the ID3v2 tags before it,
  /// however large, and zeros after them (`MPEGLead`) — of a file, or of a pipe's window (nil once the window is gone); the
  /// pipe's position is kept. (From byte 0, a tag of 64 KiB or more left no Info header to
  /// read: FFmpeg kept a pipe's gapless padding, review37c X3.)
  static func head(file path: String?, pipe: PipeReader?) -> [UInt8]? {
    if let pipe {
      let position = pipe.tell
      defer { _ = pipe.seek(offset: position, whence: SEEK_SET) }
      guard pipe.seek(offset: 0, whence: SEEK_SET) == 0 else { return nil }
      return head(InputBytes(file: nil, pipe: pipe))
    }
    guard let path else { return nil }
    return head(InputBytes(file: path, pipe: nil))
  }

  /// The same from `input`, as far as its first `available` bytes reach (a pipe's read so far,
  /// so that a live stream is not held back).
  static func head(_ input: InputBytes, available: Int64 = .max) -> [UInt8] {
    let lead = MPEGLead.length { input.read(at: $0, count: $1) }
    return input.read(at: lead, count: Int(max(0, min(1 << 16, available - lead))))
  }

  static func moreFollows(file path: String) -> Bool {
    let descriptor = Descriptor.open(path, flags: O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return false }
    let reader = BufferedFileReader(descriptor: descriptor)  // closes it
    guard let status = Descriptor.status(of: descriptor) else { return false }
    var head = [UInt8](repeating: 0, count: 1 << 16)
    let got = head.withUnsafeMutableBytes { reader.read(into: $0.baseAddress!, count: $0.count) }
    head = Array(head.prefix(max(0, got)))
    let size = status.size
    if let (start, streamBytes) = announcedStream(head), size - Int64(start) - streamBytes > Int64(allowance) { return true }
    return formatChange(reader, size: size, from: Int64(firstFrame(head) ?? 0)) != nil
  }

  /// Where the rate or channel mode of the MPEG file at `path` changes (files of other formats
  /// joined end to end), as audioprep's refusal says it; nil when it does not.
  static func formatChange(file path: String) -> String? {
    let descriptor = Descriptor.open(path, flags: O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    let reader = BufferedFileReader(descriptor: descriptor)  // closes it
    guard let status = Descriptor.status(of: descriptor) else { return nil }
    var head = [UInt8](repeating: 0, count: 16)
    let got = head.withUnsafeMutableBytes { reader.read(into: $0.baseAddress!, count: $0.count) }
    return formatChange(reader, size: status.size, from: Int64(firstFrame(Array(head.prefix(max(0, got)))) ?? 0))
  }

  /// Walks the frame headers of `reader` from `offset` (`MPEGFormatWalk`): where the rate or
  /// channel mode changes. The file is read through `reader` in blocks (a frame is a few hundred
  /// bytes: a read each was 600 system calls for a 230 KB file, most of `info`'s over a
  /// directory of MP3s).
  private static func formatChange(_ reader: some SeekableBytes, size: Int64, from offset: Int64) -> String? {
    var walk = MPEGFormatWalk(from: offset)
    var header = [UInt8](repeating: 0, count: MPEGFormatWalk.headerBytes)
    while !walk.ended, walk.offset + 4 <= size {
      guard reader.seek(offset: walk.offset, whence: SEEK_SET) == walk.offset else { return nil }
      let got = header.withUnsafeMutableBytes { reader.readBytes(into: $0.baseAddress!, count: $0.count) }
      walk.step(Array(header.prefix(max(0, got))))
    }
    return walk.change
  }

  /// An MPEG audio frame header: its rate, channel mode and length in bytes.
  struct FrameHeader {
    let rate: Int
    let mono: Bool
    let length: Int
    let samplesPerFrame: Int
    /// 1, 2 or 3.
    let layer: Int
    /// Whether a 16-bit CRC follows the header (its protection bit is 0).
    let hasCRC: Bool
    /// The header's fields FFmpeg's MP3 reader compares between two frames to find the stream
    /// (`MP3_MASK` in libavformat's mp3dec.c): version, layer, CRC flag, rate, channel mode,
    /// copyright, original and emphasis; not the bit rate, padding or mode extension.
    let fieldsFFmpegCompares: UInt32

    /// Whether `other` is a frame of the same stream: the same rate, channel count, layer and
    /// CRC flag (one flipped bit in any of them is a damaged header, not the stream's).
    func isOfTheSameStream(as other: FrameHeader) -> Bool {
      rate == other.rate && mono == other.mono && layer == other.layer && hasCRC == other.hasCRC
    }
    /// Its bit-rate index is 0 (`MPEGFreeFormat`).
    let isFreeFormat: Bool

    /// The header in `bytes` (4 of them); nil when they are none. A free-format header (bit-rate
    /// index 0) is one only in a stream whose frame length `freeFormat` gives.
    init?(_ bytes: [UInt8], freeFormat: MPEGFreeFormat? = nil) {
      guard bytes[0] == 0xFF, bytes[1] & 0xE0 == 0xE0 else { return nil }
      let version = Int(bytes[1] >> 3) & 3  // 0: 2.5, 2: 2, 3: 1
      let layer = 4 - (Int(bytes[1] >> 1) & 3)  // 1, 2 or 3
      let bitrateIndex = Int(bytes[2] >> 4)
      let rateIndex = Int(bytes[2] >> 2) & 3
      guard version != 1, layer != 4, bitrateIndex != 0 || freeFormat != nil, bitrateIndex != 15, rateIndex != 3 else { return nil }
      let bitrates = version == 3 ? Self.mpeg1Bitrates : Self.mpeg2Bitrates
      rate = Self.rates[version][rateIndex]
      self.layer = layer
      hasCRC = bytes[1] & 1 == 0
      mono = bytes[3] >> 6 == 3
      fieldsFFmpegCompares = bytes[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } & 0xFFFE_0CCF
      let padding = Int(bytes[2] >> 1) & 1
      samplesPerFrame = layer == 1 ? 384 : layer == 3 && version != 3 ? 576 : 1152
      isFreeFormat = bitrateIndex == 0
      if isFreeFormat, let freeFormat {
        length = freeFormat.frameLength + padding * (layer == 1 ? 4 : 1)
        return
      }
      let bitrate = bitrates[layer - 1][bitrateIndex - 1] * 1000
      if layer == 1 {
        length = (12 * bitrate / rate + padding) * 4
      } else {
        length = (layer == 3 && version != 3 ? 72 : 144) * bitrate / rate + padding
      }
    }

    /// Rates by version (2.5, reserved, 2, 1) and index; bit rates in kb/s by layer and index.
    private static let rates = [[11025, 12000, 8000], [], [22050, 24000, 16000], [44100, 48000, 32000]]
    private static let mpeg1Bitrates = [
      [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
      [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
      [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
    ]
    private static let mpeg2Bitrates = [
      [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
      [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
      [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    ]
  }

  /// Where a frame header among the first `frames` of `head` disagrees with the first frame's
  /// rate, channel mode, layer or CRC flag, or is not where the frame before it says: libmpg123 (libsndfile's
  /// MPEG reader) refuses such a stream when it is opened, "Format not recognised", where
  /// FFmpeg decodes on over the damage (review35b S8). nil when the first frames agree, or
  /// `head` does not start with an MPEG frame.
  static func damagedHeaderNearTheStart(_ head: [UInt8], frames: Int = 8) -> Int? {
    guard let start = firstFrame(head), start + 4 <= head.count, head[start] == 0xFF, head[start + 1] & 0xE0 == 0xE0 else { return nil }
    // A first header that is none (a bit-rate index of 0 or 15, a reserved layer) before frames
    // that follow one another: the first frame's header is the damaged one (review36).
    guard let first = FrameHeader(Array(head[start..<start + 4])) else {
      return (start + 1..<max(start + 1, head.count - 4)).contains { framesFollow(head, at: $0) == true } ? start : nil
    }
    var offset = start + first.length
    for _ in 1..<frames {
      guard offset + 4 <= head.count else { return nil }
      guard let next = FrameHeader(Array(head[offset..<offset + 4])), next.isOfTheSameStream(as: first) else { return offset }
      offset += next.length
    }
    return nil
  }

  /// The rate and channel mode of the frames after the first one, and where the first frame
  /// starts, of the input's first bytes read by `head` (`count` of them, fewer where the input
  /// ends): the first frame's header may be damaged (an Info frame with a flipped rate or
  /// channel-mode bit), and a decoder that takes its format for the stream's reads the rest as
  /// another stream (review36: libsndfile gave 576 frames of a mono MP3 whose Info frame said two
  /// channels). nil when no frames follow one another in the first 16 KiB.
  ///
  /// The head is read in sizes growing from 512 bytes until the answer is the one the 16 KiB
  /// would give: a live stream's first frames are not held back until 16 KiB of it have come
  /// (8 s at 16 kb/s: review41 H03).
  static func formatAfterTheFirstFrame(_ head: (_ count: Int) -> [UInt8]) -> (start: Int, rate: Int, mono: Bool)? {
    var count = 512
    while true {
      let bytes = head(count)
      let whole = bytes.count < count || count >= formatLookLimit
      switch formatAfterTheFirstFrame(bytes, whole: whole) {
      case .found(let start, let rate, let mono): return (start, rate, mono)
      case .none: return nil
      case .needsMoreBytes: count *= 2
      }
    }
  }

  /// How far `formatAfterTheFirstFrame` looks.
  static let formatLookLimit = 1 << 14

  private enum FormatSearch {
    case found(start: Int, rate: Int, mono: Bool)
    case none
    /// More bytes than the head holds decide it.
    case needsMoreBytes
  }

  /// The search in `head`; `whole`: nothing past it is looked at (frames cut at its end do not follow).
  private static func formatAfterTheFirstFrame(_ head: [UInt8], whole: Bool) -> FormatSearch {
    guard let start = firstFrame(head), start + 4 <= head.count else { return whole ? .none : .needsMoreBytes }
    for offset in start + 1..<max(start + 1, head.count - 4) {
      switch framesFollow(head, at: offset) {
      case true?:
        let frame = FrameHeader(Array(head[offset..<offset + 4]))!
        return .found(start: start, rate: frame.rate, mono: frame.mono)
      case false?: continue
      case nil: if !whole { return .needsMoreBytes }
      }
    }
    return whole ? .none : .needsMoreBytes
  }

  /// How an Info frame libmpg123 does not read is damaged.
  enum InfoFrameDamage {
    /// Its side information is not zero (a bit flipped there).
    case sideInformation
    /// Its `Xing`/`Info` marker is these bytes, a bit or two from one.
    case marker([UInt8])
    /// Its flags say the encoder's (LAME) tag lies `said` bytes past the marker; it lies
    /// `found` bytes past it (`misplacedLAMETag`).
    case misplacedLAMETag(said: Int, found: Int)
    /// Its LAME tag's CRC-16 does not hold (`lameTagCRCFails`): bytes of it are damaged.
    case lameTagCRC
    /// Its LAME tag's encoder delay and padding add up to more than the `samples` its Info
    /// header counts: bytes of it damaged (or forged) with its CRC made again (review46 H07).
    case lameTrimPastTheStream(delay: Int64, padding: Int64, samples: Int64)
    /// No damage: a Fraunhofer encoder's `VBRI` header, which libmpg123 (as libsndfile reads
    /// MP3) decodes as a frame of silence, and FFmpeg leaves out (review46 H08).
    case vbriHeader

    /// The damage said of the frame at `byte`.
    func said(at byte: Int64) -> String {
      switch self {
      case .sideInformation: "the side information of the MPEG Info frame at byte \(byte) is not zero"
      case .marker(let marker):
        "the Xing/Info marker of the MPEG frame at byte \(byte) is damaged (it reads \"\(String(decoding: marker.map { (0x20...0x7E).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self))\")"
      case .misplacedLAMETag(let said, let found): "the LAME tag of the MPEG Info header at byte \(byte) lies \(found) bytes past its marker, where its flags put it \(said)"
      case .lameTagCRC: "the LAME tag of the MPEG Info header at byte \(byte) fails its CRC (the encoder delay and padding it gives are not to be trusted)"
      case .lameTrimPastTheStream(let delay, let padding, let samples):
        "the LAME tag of the MPEG Info header at byte \(byte) trims an encoder delay of \(delay) and a padding of \(padding) samples, more than the \(samples) its header counts"
      case .vbriHeader: "the MPEG frame at byte \(byte) holds a Fraunhofer VBRI header, not audio"
      }
    }
  }

  /// Where the first frame starts, of the input's first bytes read by `head` (`count` of them,
  /// fewer where it ends), and how it is damaged, when that frame holds an `Info`/`Xing` header
  /// libmpg123 does not read; nil otherwise. libmpg123 reads one only where the frame's side
  /// information (past its first two bytes, a CRC's place) is all zero, as encoders write it,
  /// and the marker is exact; otherwise it decodes the frame as audio and the stream untrimmed:
  /// a bit flipped in the side information gave 1202 frames more, shifted, without a word
  /// (review41 H11), and one flipped in the marker 1152 frames of silence more (review42 H04).
  /// FFmpeg reads the header where the side information is damaged, and leaves the frame out
  /// where the marker is (no audio in it). A header whose flags are damaged (review43 H02), or
  /// whose LAME tag moved or is damaged in place (its CRC fails, review45 H06, H07), is read, but
  /// its LAME tag at the wrong place or wrong: both decoders trim a wrong delay, or none.
  static func infoFrameLibmpg123Ignores(_ bytesAt: (_ offset: Int64, _ count: Int) -> [UInt8]) -> (start: Int64, damage: InfoFrameDamage)? {
    // The frame's header, side information, marker, its four fields and the LAME tag's encoder
    // string however far it drifted, read where the frame starts (past a tag of any size, never
    // with it).
    let start = MPEGLead.length(bytesAt: bytesAt)
    let read = bytesAt(start, longestLayerIIIFrame)
    guard read.count >= 4, let frame = FrameHeader(Array(read[0..<4])), frame.layer == 3 else { return nil }
    // The Info frame alone: a tag is never looked for in the frame after it.
    let bytes = Array(read.prefix(max(frame.length, 4)))
    if let tag = infoTag(bytes, start: 0), tag > 6 {
      guard bytes[6..<tag].allSatisfy({ $0 == 0 }) else { return (start, .sideInformation) }
      if let misplaced = misplacedLAMETag(bytes, tag: tag) { return (start, .misplacedLAMETag(said: misplaced.said, found: misplaced.found)) }
      if lameTagCRCFails(bytes, tag: tag) { return (start, .lameTagCRC) }
      if let info = infoHeader(bytes), let lame = info.lame, case let samples = info.frames * Int64(info.samplesPerFrame),
        lame.delay + lame.padding > samples
      {
        return (start, .lameTrimPastTheStream(delay: lame.delay, padding: lame.padding, samples: samples))
      }
      return nil
    }
    // A Fraunhofer VBRI header lies 32 bytes past the frame's header, whatever its version and mode.
    if bytes.count >= 40, bytes[36..<40].elementsEqual("VBRI".utf8) { return (start, .vbriHeader) }
    // Where the marker lies: after the header and the side information (32 or 17 bytes for
    // MPEG-1 stereo or mono, 17 or 9 for MPEG-2 and 2.5), itself all zero.
    let mpeg1 = frame.samplesPerFrame == 1152
    let at = 4 + (mpeg1 ? (frame.mono ? 17 : 32) : (frame.mono ? 9 : 17))
    guard at + 4 <= bytes.count, bytes[6..<at].allSatisfy({ $0 == 0 }) else { return nil }
    let marker = Array(bytes[at..<at + 4])
    let nearest = [Array("Xing".utf8), Array("Info".utf8)].map { name in zip(name, marker).map { ($0 ^ $1).nonzeroBitCount }.reduce(0, +) }.min()!
    return (1...2).contains(nearest) ? (start, .marker(marker)) : nil
  }

  /// Where the encoder's tag lies past the `Info`/`Xing` marker at `tag`, when its flags put it
  /// elsewhere: an encoder string ("LAME", "Lavc", "Lavf", "GOGO") where other flags would put
  /// it (a flag damaged: review43 H02), or a few bytes from where these do (the tag moved: a
  /// byte lost or added before it, review44 H03), and not where these do. Either way libmpg123
  /// reads the delay and padding from other bytes and trims by them, and FFmpeg finds no tag.
  /// (A chance match of four letters in the table of contents or the fields is all but
  /// impossible.) nil when the tag is where the flags say, or nowhere (an encoder that writes none).
  static func misplacedLAMETag(_ head: [UInt8], tag: Int) -> (said: Int, found: Int)? {
    guard tag + 8 <= head.count else { return nil }
    let said = lameTagOffset(flags: bigEndian(head, at: tag + 4))
    let isEncoderString = { (offset: Int) in tag + offset + 4 <= head.count && encoderStrings.contains(Array(head[(tag + offset)..<(tag + offset + 4)])) }
    guard !isEncoderString(said) else { return nil }
    // Where other flags would put it, then anywhere in the frame past the fields, nearest
    // first (review45 H06: moved 17 to 20 bytes back, it was not looked for).
    let elsewhere = (0..<16).map { lameTagOffset(flags: UInt32($0)) } + (8..<max(8, head.count - tag)).sorted { abs($0 - said) < abs($1 - said) }
    return elsewhere.first(where: isEncoderString).map { (said, $0) }
  }

  /// Whether the LAME tag where the Info header's flags put it (`tag`, its marker, in `frame`,
  /// the Info frame's bytes) fails its CRC-16: bytes of it damaged (review45 H07: its encoder
  /// string zeroed, its delay and padding overwritten — 6858 frames cut, without a word). The
  /// CRC (CRC-16/ARC, its last two bytes) is LAME's, over the frame's bytes before it, or
  /// FFmpeg's, over the frame's first 190 bytes with its own as zeros and zeros past the frame.
  /// Not asked of 36 zero bytes (no tag: an encoder that writes none), nor of a tag that
  /// carries no CRC: LAME's before 3.90 (its version string alone) and GOGO's.
  static func lameTagCRCFails(_ frame: [UInt8], tag: Int) -> Bool {
    guard tag + 8 <= frame.count else { return false }
    let at = tag + lameTagOffset(flags: bigEndian(frame, at: tag + 4))
    guard at + 36 <= frame.count else { return false }
    let lame = Array(frame[at..<at + 36])
    guard lame.contains(where: { $0 != 0 }), !lame.starts(with: Array("GOGO".utf8)), !isLAMEBeforeItsTag(lame) else { return false }
    let stored = UInt16(lame[34]) << 8 | UInt16(lame[35])
    if CRC16.arc(frame[0..<at + 34]) == stored { return false }
    var first = Array(frame.prefix(190)) + [UInt8](repeating: 0, count: max(0, 190 - frame.count))
    for index in (at + 34)..<(at + 36) where index < 190 { first[index] = 0 }
    return CRC16.arc(first[...]) != stored
  }

  /// Whether a LAME tag's version string is LAME's before 3.90 ("LAME3.89 (beta)"), which wrote
  /// no tag after it.
  private static func isLAMEBeforeItsTag(_ lame: [UInt8]) -> Bool {
    // The minor version's digits, however many ("LAME3.100": 100, not 10; review46 H03).
    guard lame.starts(with: Array("LAME3.".utf8)), let minor = Int(String(decoding: lame[6...].prefix { (0x30...0x39).contains($0) }, as: UTF8.self))
    else { return false }
    return minor < 90
  }

  /// The longest MPEG layer III frame (320 kb/s at 32 kHz, with its padding slot): an Info frame
  /// is read whole.
  static let longestLayerIIIFrame = 1441

  /// How far past its marker an `Info`/`Xing` header's LAME tag lies by its flags: the marker
  /// and flags, then the frames (4 bytes), bytes (4), table of contents (100) and quality (4)
  /// the flags say are there.
  static func lameTagOffset(flags: UInt32) -> Int {
    8 + (flags & 1 != 0 ? 4 : 0) + (flags & 2 != 0 ? 4 : 0) + (flags & 4 != 0 ? 100 : 0) + (flags & 8 != 0 ? 4 : 0)
  }

  /// The encoder strings a LAME tag (LAME's, or FFmpeg's and GOGO's in its format) starts with.
  static let encoderStrings = ["LAME", "Lavc", "Lavf", "GOGO"].map { Array($0.utf8) }

  /// Whether three frame headers of one stream follow one another from `offset` of `head`; nil
  /// when they do so far and `head` ends before the third.
  private static func framesFollow(_ head: [UInt8], at offset: Int) -> Bool? {
    var at = offset
    var kind: FrameHeader?
    for _ in 0..<3 {
      guard at + 4 <= head.count else { return nil }
      guard let frame = FrameHeader(Array(head[at..<at + 4])), kind.map(frame.isOfTheSameStream) ?? true else { return false }
      kind = kind ?? frame
      at += frame.length
    }
    return true
  }

  /// Where the first frame starts: after the ID3v2 tags stacked at the start, if any, and the
  /// zeros after them (`MPEGLead`; review37a U22, review37c X2, X10).
  static func firstFrame(_ head: [UInt8]) -> Int? {
    Int(MPEGLead.length(head))
  }

  /// Reads what is left of `pipe`: more audio when MPEG frames follow (two in a row, after any
  /// bytes that are not frames: a hole), not when none do (zeros, a tag at the end: review39
  /// F03, 20000 zero bytes were "joined: more MPEG audio follows"). Past `lookLimit` unread,
  /// what is left counts as more.
  static func moreFollows(pipe: PipeReader) -> Bool {
    var block = [UInt8](repeating: 0, count: 1 << 16)
    var carried: [UInt8] = []
    var read = 0
    while read < lookLimit {
      let got = block.withUnsafeMutableBytes { pipe.read(into: $0.baseAddress!, count: $0.count) }
      if got == 0 { return false }
      read += got
      let bytes = carried + block[..<got]
      if holdsFrames(bytes) { return true }
      // A frame and the next header cut at the block's end are looked at again with the next.
      carried = Array(bytes.suffix(2 * longestFrame + 4))
    }
    return true
  }

  /// How far past a stream's end `moreFollows(pipe:)` looks for frames.
  static let lookLimit = 64 << 20
  /// More than any MPEG audio frame's length (the longest: MPEG-1 layer II at 32 kHz and
  /// 384 kb/s, 1729 bytes with its padding slot).
  private static let longestFrame = 2881

  /// Whether `bytes` hold an MPEG frame header followed, where its length says, by another of
  /// the same stream.
  static func holdsFrames(_ bytes: [UInt8]) -> Bool {
    for at in 0..<max(0, bytes.count - 3) where bytes[at] == 0xFF && bytes[at + 1] & 0xE0 == 0xE0 {
      guard let first = FrameHeader(Array(bytes[at..<at + 4])), first.length > 0 else { continue }
      let next = at + first.length
      if next + 4 <= bytes.count, let second = FrameHeader(Array(bytes[next..<next + 4])), second.isOfTheSameStream(as: first) { return true }
    }
    return false
  }

  /// Frames the first frame's `Info`/`Xing` header announces: its frame count times the
  /// frame's samples, less the LAME tag's encoder delay and padding (libmpg123 and FFmpeg remove
  /// both); without a LAME tag, two frames less, so that an honest file never falls short of it.
  static func announcedFrames(_ head: [UInt8]) -> Int64? { announcement(head)?.frames }

  /// The same frames, with the LAME tag's padding when the header has one, as the frames a
  /// decoder that does not know where the stream ends (FFmpeg on a pipe) emits past them: the
  /// padding less the decoder's delay, which it counts (review40 G07: the whole padding, taken
  /// off a pipe's stream that outran its count, took 529 frames too many).
  static func announcement(_ head: [UInt8]) -> (frames: Int64, padding: Int64?)? {
    guard let info = infoHeader(head) else { return nil }
    let total = info.frames * Int64(info.samplesPerFrame)
    guard let lame = info.lame else { return (max(0, total - 2 * Int64(info.samplesPerFrame)), nil) }
    // The decoders skip their own delay (529 samples) after the encoder's, and trim the
    // padding at the end, which counts that delay: a padding under it (libshine's tag gives 0)
    // trims nothing (review35b S4: 529 frames announced that no decoder gives).
    return (max(0, total - lame.delay - max(lame.padding, Self.decoderDelay)), max(0, lame.padding - Self.decoderDelay))
  }

  /// The samples the decoders take off an honest stream's frames when its Info header has a
  /// LAME tag: the Info frame's own, the encoder's delay and the padding (as `announcement`
  /// counts them). nil without a LAME tag, or when the Info frame's header is damaged.
  static func gaplessTrim(_ head: [UInt8]) -> Int64? {
    guard let info = infoHeader(head), let lame = info.lame else { return nil }
    return Int64(info.samplesPerFrame) + lame.delay + max(lame.padding, Self.decoderDelay)
  }

  /// The first frame's `Info`/`Xing` header, when its header is the stream's: the frames it
  /// counts, the frame's samples, and its LAME tag's delay and padding.
  private static func infoHeader(_ head: [UInt8]) -> (frames: Int64, samplesPerFrame: Int, lame: (delay: Int64, padding: Int64)?)? {
    guard let start = firstFrame(head), start + 4 <= head.count, let frame = FrameHeader(Array(head[start..<start + 4])),
      let tag = infoTag(head, start: start), headerIsIntact(frame, at: start, in: head)
    else { return nil }
    let flags = bigEndian(head, at: tag + 4)
    guard flags & 0x1 != 0, tag + 12 <= head.count else { return nil }
    let frames = Int64(bigEndian(head, at: tag + 8))
    // The LAME tag (LAME's, or FFmpeg's in its format) follows the Info header's 120 bytes
    // (with all four fields); its delay and padding are 12 bits each, 21 bytes into it.
    let lame = tag + 120
    guard flags & 0xF == 0xF, lame + 24 <= head.count, encoderStrings.contains(Array(head[lame..<lame + 4])) else {
      return (frames, frame.samplesPerFrame, nil)
    }
    let delay = Int64(head[lame + 21]) << 4 | Int64(head[lame + 22] >> 4)
    let padding = Int64(head[lame + 22] & 0xF) << 8 | Int64(head[lame + 23])
    return (frames, frame.samplesPerFrame, (delay, padding))
  }

  /// Whether the header of the Info frame at `start` is the stream's: the next frame's header
  /// is where its length says, of the same rate, channel count, layer and CRC flag. A flipped
  /// bit in it (its rate, padding or channel mode) hides the Info header from the decoders,
  /// which then decode every frame untrimmed: its count is no longer the stream's length
  /// (review36 T8, T9).
  private static func headerIsIntact(_ frame: FrameHeader, at start: Int, in head: [UInt8]) -> Bool {
    let next = start + frame.length
    guard next + 4 <= head.count else { return true }  // a stream of one frame
    return FrameHeader(Array(head[next..<next + 4]))?.isOfTheSameStream(as: frame) == true
  }

  /// The samples an MPEG layer III decoder's synthesis delays its output by (libmpg123's and
  /// FFmpeg's `528 + 1`), which the gapless trim takes off the start.
  static let decoderDelay: Int64 = 529

  /// Where the `Info`/`Xing` header of the frame at `start` is, if it has one.
  static func infoTag(_ head: [UInt8], start: Int) -> Int? {
    let end = min(head.count - 16, start + 48)
    guard start + 4 < end else { return nil }
    return ((start + 4)..<end).first { [Array("Info".utf8), Array("Xing".utf8)].contains(Array(head[$0..<$0 + 4])) }
  }

  /// Where the first frame starts and the stream size its `Info`/`Xing` header gives.
  private static func announcedStream(_ head: [UInt8]) -> (start: Int, bytes: Int64)? {
    guard let start = firstFrame(head), start + 4 <= head.count, head[start] == 0xFF, head[start + 1] & 0xE0 == 0xE0 else { return nil }
    // The Info/Xing tag follows the side information, 4 to 36 bytes into the frame.
    guard let at = infoTag(head, start: start) else { return nil }
    let flags = bigEndian(head, at: at + 4)
    guard flags & 0x2 != 0 else { return nil }
    let bytesAt = at + 8 + (flags & 0x1 != 0 ? 4 : 0)
    guard bytesAt + 4 <= head.count else { return nil }
    return (start, Int64(bigEndian(head, at: bytesAt)))
  }

  private static func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    bytes[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
  }
}

/// Bytes read at a position that can be set: a file's (`BufferedFileReader`), or a pipe's
/// inside its window (`PipeReader`).
protocol SeekableBytes {
  func seek(offset: Int64, whence: Int32) -> Int64
  func readBytes(into pointer: UnsafeMutableRawPointer, count: Int) -> Int
}

extension BufferedFileReader: SeekableBytes {
  func readBytes(into pointer: UnsafeMutableRawPointer, count: Int) -> Int { read(into: pointer, count: count) }
}

extension PipeReader: SeekableBytes {
  func readBytes(into pointer: UnsafeMutableRawPointer, count: Int) -> Int { read(into: pointer, count: count) }
}
