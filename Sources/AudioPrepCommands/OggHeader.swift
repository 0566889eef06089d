import DSP
import Glibc

/// The rate, channels and length of an Ogg Vorbis or Ogg Opus file from its pages alone, for
/// `info DIR`'s header-only pass: the identification header on the first page, the granule
/// position of the stream's last page (minus Opus's pre-skip). libsndfile's open of an Ogg
/// file sets up the whole decoder and walks the stream (about 1 ms a file, most of a mixed
/// tree's time); this reads two small pieces of the file. nil for anything else (another codec,
/// chained or damaged streams): the caller opens it with the decoders as usual.
package struct OggHeader: Equatable {
  package let codec: String
  package let sampleRate: Int
  package let channels: Int
  package let frames: Int64

  /// The format's name as libsndfile gives it, so that totals count one format under one name.
  package var formatName: String { "OGG (OGG Container format), \(codec)" }

  package init?(path: String) {
    let descriptor = Descriptor.open(path, flags: O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { try? Descriptor.close(descriptor) }
    guard let status = Descriptor.status(of: descriptor), status.isRegular else { return nil }
    let size = status.size
    guard let head = Self.read(descriptor, at: 0, count: 512), let first = Self.page(head, at: 0),
      first.headerType & 2 != 0  // beginning of stream
    else { return nil }
    let packet = Array(head[first.bodyStart..<min(head.count, first.bodyStart + 64)])
    var preSkip: Int64 = 0
    if packet.count >= 16, packet[0] == 1, Array(packet[1..<7]) == Array("vorbis".utf8) {
      codec = "Vorbis"
      channels = Int(packet[11])
      sampleRate = Int(Self.littleEndian(packet, at: 12, count: 4))
    } else if packet.count >= 19, Array(packet[0..<8]) == Array("OpusHead".utf8) {
      codec = "Opus"
      channels = Int(packet[9])
      preSkip = Int64(Self.littleEndian(packet, at: 10, count: 2))
      sampleRate = 48000  // Opus always decodes at 48 kHz (the header's rate is the original's)
    } else {
      return nil
    }
    // The last page of this stream: search the tail, backwards, for a page with its serial
    // number and the end-of-stream flag.
    let tailStart = max(0, size - 65_536)
    guard channels > 0, sampleRate > 0, let tail = Self.read(descriptor, at: tailStart, count: Int(size - tailStart)) else {
      return nil
    }
    var position = tail.count - 27
    var last: Page?
    while position >= 0 {
      if tail[position] == 0x4F, let page = Self.page(tail, at: position), page.serial == first.serial {
        last = page
        break
      }
      position -= 1
    }
    guard let last, last.headerType & 4 != 0, last.granule >= preSkip, last.granule < Int64.max / 2 else { return nil }
    frames = last.granule - preSkip
  }

  private struct Page {
    let headerType: UInt8
    let granule: Int64
    let serial: UInt32
    let bodyStart: Int
  }

  /// The page header at `offset` in `bytes` ("OggS", version 0), nil when there is none.
  private static func page(_ bytes: [UInt8], at offset: Int) -> Page? {
    guard bytes.count >= offset + 27, Array(bytes[offset..<offset + 4]) == Array("OggS".utf8), bytes[offset + 4] == 0 else {
      return nil
    }
    let segments = Int(bytes[offset + 26])
    guard bytes.count >= offset + 27 + segments else { return nil }
    return Page(
      headerType: bytes[offset + 5], granule: Int64(bitPattern: littleEndian(bytes, at: offset + 6, count: 8)),
      serial: UInt32(littleEndian(bytes, at: offset + 14, count: 4)), bodyStart: offset + 27 + segments)
  }

  private static func littleEndian(_ bytes: [UInt8], at offset: Int, count: Int) -> UInt64 {
    (0..<count).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
  }

  private static func read(_ descriptor: Int32, at offset: Int64, count: Int) -> [UInt8]? {
    try? Descriptor.read(descriptor, count: count, at: offset)
  }
}
