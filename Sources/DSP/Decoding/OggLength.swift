import Glibc

/// The length an Ogg stream's last page announces: its granule position (Vorbis counts
/// frames; Opus counts 48 kHz frames including the pre-skip its `OpusHead` gives, whatever
/// rate it is decoded at: libsndfile decodes at the input rate `OpusHead` gives when Opus
/// supports it, 8, 12, 16 or 24 kHz).
///
/// Ogg has no length up front; the last page's granule position is the stream's end.
/// libsndfile's own figure for it (`SF_INFO.frames`) stops at a damaged page, so a stream that
/// loses the rest of its pages there looked complete. From a file, the last 64 KiB are read;
/// from a pipe, what follows where libsndfile stopped is read to the end, or 64 MiB of it (kept
/// 64 KiB at a time) — or, when libsndfile already read everything, the pipe's window is.
enum OggLength {
  private static let tailBytes = 1 << 16

  /// Frames at `rate` (the rate decoded at) the last page of the first logical stream
  /// announces, or nil when unknown.
  static func frames(file path: String?, pipe: PipeReader?, rate: Int) -> Int64? {
    length(file: path, pipe: pipe, rate: rate)?.last
  }

  /// The same, with the largest granule position among the last pages read (64 KiB): larger
  /// than the last when the last page's lies (granule positions only grow), where libsndfile's
  /// file reader stops (it takes the last one for the length).
  /// `skip`: the bytes of a tag before the stream (`ID3v2Tag`). `start`: an Opus stream's
  /// start (`OggOpusStart`), which libsndfile's length of a file takes off.
  static func length(file path: String?, pipe: PipeReader?, rate: Int, skip: Int64 = 0, head pipeHead: [UInt8]? = nil, start: Int64 = 0) -> Length? {
    let head: [UInt8]
    let tail: [UInt8]
    if let path {
      let descriptor = Descriptor.open(path, flags: O_RDONLY | O_CLOEXEC)
      guard descriptor >= 0 else { return nil }
      defer { try? Descriptor.close(descriptor) }
      guard let status = Descriptor.status(of: descriptor) else { return nil }
      head = read(descriptor, at: skip, count: 512)
      let size = status.size
      tail = read(descriptor, at: max(0, size - Int64(tailBytes)), count: tailBytes)
    } else if let pipe {
      let rest = remainder(of: pipe)
      // The pipe's last bytes, when it keeps them: a stream libsndfile read to its end leaves
      // no rest, and its last pages lie past the window.
      tail = pipe.keepsTail ? Array(pipe.tail.suffix(tailBytes + 26)) : rest
      // Its first page: read at open (`pipeHead`) when the window may be gone by the end.
      if let pipeHead {
        head = pipeHead
      } else {
        guard pipe.seek(offset: skip, whence: SEEK_SET) == skip else { return nil }
        head = bytes(from: pipe, count: 512)
      }
      // (Pages there whose granules are all unset are read as they are: review57 W2.)
      if lastPage(in: tail, serial: serial(of: head), evenUnset: true) == nil {
        // libsndfile read everything: the window may still hold the whole stream (from its
        // start: a stream cut after its header pages has no page past the first 512 bytes).
        guard pipe.seek(offset: skip, whence: SEEK_SET) == skip else { return nil }
        return announced(head: head, tail: bytes(from: pipe, count: pipe.windowBytes), rate: rate, start: start)
      }
    } else {
      return nil
    }
    return announced(head: head, tail: tail, rate: rate, start: start)
  }

  /// What the last pages say, in frames at the rate decoded at.
  struct Length {
    /// The last page's granule position (the last set one, when the last page's is -1).
    let last: Int64
    /// The largest granule position among the last pages.
    let largest: Int64
    /// The last page's own granule position, as stored (-1: none, which a last page must have).
    let lastStored: Int64
    /// Whether the last page contradicts the pages before it: its granule position is smaller,
    /// or unset. libsndfile's file reader then stops early; every page is decoded instead.
    var isContradicted: Bool { largest > last || lastStored < 0 }
    /// Whether the last page read ends the stream (its end-of-stream flag): a stream cut short
    /// lacks it.
    var endsStream = true
    /// Whether that page ends the input too (no byte after it).
    var endsTheInput = false
  }

  /// What a stream whose last page lacks the end-of-stream flag is, for the warning.
  static let notEnded = "the last Ogg page does not end the stream (it was cut short)"

  private static func announced(head: [UInt8], tail: [UInt8], rate: Int, start: Int64) -> Length? {
    guard let serial = serial(of: head), let stored = lastPage(in: tail, serial: serial, evenUnset: true) else { return nil }
    // Pages whose granule positions are all unset announce nothing: contradicted, every page
    // is decoded (review54 H3: libsndfile's file reader kept 1 s of 20, without a word).
    let granule = lastPage(in: tail, serial: serial) ?? 0
    let largest = max(granule, largestGranule(in: tail, serial: serial))
    let (endsStream, endsTheInput) = lastPageEnds(in: tail, serial: serial)
    guard let preSkip = opusPreSkip(head) else {
      return Length(last: granule, largest: largest, lastStored: stored, endsStream: endsStream, endsTheInput: endsTheInput)
    }
    // 48 kHz frames, at the decoded rate, rounded down: an honest stream never falls short.
    func frames(_ granule: Int64) -> Int64 {
      let frames48k = max(0, granule - min(start, granule) - preSkip)
      let (seconds, rest) = frames48k.quotientAndRemainder(dividingBy: 48000)
      return seconds.multipliedReportingOverflow(by: Int64(rate)).partialValue + rest * Int64(rate) / 48000
    }
    return Length(last: frames(granule), largest: frames(largest), lastStored: stored, endsStream: endsStream, endsTheInput: endsTheInput)
  }

  /// Whether the last page of stream `serial` in `bytes` (which end where the input does) is
  /// whole and has the end-of-stream flag (a cut inside the last page leaves its header, flag
  /// and all, without the body it announces), and whether it ends the input.
  private static func lastPageEnds(in bytes: [UInt8], serial: UInt32) -> (stream: Bool, input: Bool) {
    guard bytes.count >= 27 else { return (false, false) }
    var at = bytes.count - 27
    while at >= 0 {
      if bytes[at] == 0x4F, bytes[at + 1] == 0x67, bytes[at + 2] == 0x67, bytes[at + 3] == 0x53, bytes[at + 4] == 0,
        UInt32(truncatingIfNeeded: littleEndian(bytes, at: at + 14, count: 4)) == serial
      {
        let segments = Int(bytes[at + 26])
        guard at + 27 + segments <= bytes.count else { return (false, false) }
        let end = at + 27 + segments + bytes[at + 27..<at + 27 + segments].reduce(0) { $0 + Int($1) }
        return (end <= bytes.count && bytes[at + 5] & 0x04 != 0, end == bytes.count)
      }
      at -= 1
    }
    return (false, false)
  }

  /// The largest granule position of the pages of stream `serial` in `bytes`.
  private static func largestGranule(in bytes: [UInt8], serial: UInt32) -> Int64 {
    var largest: Int64 = 0
    var at = 0
    while at + 27 <= bytes.count {
      if bytes[at] == 0x4F, bytes[at + 1] == 0x67, bytes[at + 2] == 0x67, bytes[at + 3] == 0x53, bytes[at + 4] == 0,
        UInt32(truncatingIfNeeded: littleEndian(bytes, at: at + 14, count: 4)) == serial
      {
        largest = max(largest, Int64(bitPattern: littleEndian(bytes, at: at + 6, count: 8)))
      }
      at += 1
    }
    return largest
  }

  /// The serial number of the first page, when `head` starts with one.
  private static func serial(of head: [UInt8]) -> UInt32? {
    guard head.count >= 27, head.starts(with: Array("OggS".utf8)) else { return nil }
    return UInt32(truncatingIfNeeded: littleEndian(head, at: 14, count: 4))
  }

  /// The granule position of the last page of stream `serial` in `bytes`.
  private static func lastPage(in bytes: [UInt8], serial: UInt32?, evenUnset: Bool = false) -> Int64? {
    guard let serial, bytes.count >= 27 else { return nil }
    var at = bytes.count - 27
    while at >= 0 {
      if bytes[at] == 0x4F, bytes[at + 1] == 0x67, bytes[at + 2] == 0x67, bytes[at + 3] == 0x53, bytes[at + 4] == 0,
        UInt32(truncatingIfNeeded: littleEndian(bytes, at: at + 14, count: 4)) == serial
      {
        let granule = Int64(bitPattern: littleEndian(bytes, at: at + 6, count: 8))
        if granule >= 0 || evenUnset { return granule }
      }
      at -= 1
    }
    return nil
  }

  /// Opus's pre-skip, from the `OpusHead` packet on the first page; nil for other codecs.
  private static func opusPreSkip(_ head: [UInt8]) -> Int64? {
    guard head.count >= 27 else { return nil }
    let payload = 27 + Int(head[26])
    guard head.count >= payload + 12, Array(head[payload..<payload + 8]) == Array("OpusHead".utf8) else { return nil }
    return Int64(littleEndian(head, at: payload + 10, count: 2))
  }

  /// What is left of `pipe` after where libsndfile stopped, its last `tailBytes` kept; at
  /// most `remainderLimit` is read, so that a producer that never stops cannot hold the run.
  private static func remainder(of pipe: PipeReader) -> [UInt8] {
    var kept: [UInt8] = []
    var read = 0
    while read < remainderLimit {
      let block = bytes(from: pipe, count: tailBytes)
      if block.isEmpty { break }
      read += block.count
      kept = Array((kept + block).suffix(tailBytes + 26))
    }
    return kept
  }
  private static let remainderLimit = 64 << 20

  private static func bytes(from pipe: PipeReader, count: Int) -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: count)
    var got = 0
    while got < count {
      let result = buffer.withUnsafeMutableBytes { pipe.read(into: $0.baseAddress! + got, count: count - got) }
      if result == 0 { break }
      got += result
    }
    return Array(buffer.prefix(got))
  }

  private static func read(_ descriptor: Int32, at offset: Int64, count: Int) -> [UInt8] {
    (try? Descriptor.read(descriptor, count: count, at: offset)) ?? []
  }

  private static func littleEndian(_ bytes: [UInt8], at offset: Int, count: Int) -> UInt64 {
    bytes[offset..<offset + count].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
  }
}
