/// Where an Ogg Opus stream's audio starts, in 48 kHz granules, as libsndfile counts it: the
/// first page of the stream that passes its checksum after the header packets, its granule
/// position less the samples of the packets that complete on it (a packet continued from a
/// lost page is dropped). An honest stream starts at 0.
///
/// libsndfile's length of an Opus file is its last granule position less this start and less
/// the pre-skip, which its decoding skips only while it is before the pre-skip: a stream whose
/// first pages are damaged or gone starts later, decodes the pre-skip's frames at its end, and
/// the file's length stops short of them. A pipe has no length and kept them (review48 H01:
/// 32000 frames from a file, 32052 from standard input); `SndFileSource` stops a pipe where
/// the file stops.
enum OggOpusStart {
  /// The bytes from the stream's start looked through for its first page of audio (its
  /// comment header, a cover picture included, and that page).
  static let bytesLookedAt = 4 << 20
  /// The start of the stream whose bytes, from its first page, `bytes` hold; nil when they do
  /// not hold its first page of audio whole, or it is no Opus stream, and when its pages are
  /// laid out as the specification (RFC 7845) does not allow: audio packets on the comment
  /// header's page, a first page of audio with none (libsndfile's count of such a stream is
  /// its own: review54 H5).
  static func granule(_ bytes: [UInt8]) -> Int64? {
    var at = 0
    var serial: UInt32?
    var headerPackets = 0
    var lastSequence: UInt32?
    while at + 27 <= bytes.count {
      guard let page = Page(bytes, at: at) else {
        at += 1  // (as libogg does: the next capture pattern whose page passes its checksum)
        continue
      }
      at = page.end
      guard page.serial == (serial ?? page.serial) else { continue }
      serial = page.serial
      defer { lastSequence = page.sequence }
      let follows = lastSequence.map { page.sequence == $0 &+ 1 } ?? true
      if headerPackets < 2 {
        if page.sequence == 0, page.packets(bytes).first.map({ Array($0.prefix(8)) }) != Array("OpusHead".utf8) { return nil }
        headerPackets += page.completedPackets
        if headerPackets > 2 { return nil }
        continue
      }
      // A packet continued from a lost page is no packet (libogg drops it).
      var packets = page.packets(bytes)
      if page.continued, !follows, !packets.isEmpty { packets.removeFirst() }
      let samples = packets.reduce(Int64(0)) { $0 + Int64(max(0, samples48k(of: $1))) }
      return samples > 0 && page.granule >= samples ? page.granule - samples : nil  // (a granule of -1: none)
    }
    return nil
  }

  /// The samples at 48 kHz an Opus packet holds, by its table of contents (RFC 6716 3.1); 0
  /// when it is no valid packet (as `opus_packet_get_nb_samples` refuses it).
  static func samples48k(of packet: ArraySlice<UInt8>) -> Int {
    guard let toc = packet.first else { return 0 }
    let configuration = Int(toc >> 3)
    let frameSize =
      switch configuration {
      case 0..<12: [480, 960, 1920, 2880][configuration & 3]
      case 12..<16: [480, 960][configuration & 1]
      default: [120, 240, 480, 960][configuration & 3]
      }
    let frames: Int
    switch toc & 3 {
    case 0: frames = 1
    case 1, 2: frames = 2
    default:
      guard packet.count >= 2 else { return 0 }
      frames = Int(packet[packet.startIndex + 1] & 0x3F)
    }
    let samples = frames * frameSize
    return samples * 25 > 48000 * 3 ? 0 : samples  // over 120 ms: invalid
  }

  /// One Ogg page that passes its checksum.
  private struct Page {
    let granule: Int64
    let serial: UInt32
    let sequence: UInt32
    let continued: Bool
    /// The segment table's lacing values, and where the body starts and the page ends.
    let lacing: ArraySlice<UInt8>
    let body: Int
    let end: Int

    init?(_ bytes: [UInt8], at start: Int) {
      guard bytes[start] == 0x4F, bytes[start + 1] == 0x67, bytes[start + 2] == 0x67, bytes[start + 3] == 0x53, bytes[start + 4] == 0
      else { return nil }
      let segments = Int(bytes[start + 26])
      guard start + 27 + segments <= bytes.count else { return nil }
      lacing = bytes[start + 27..<start + 27 + segments]
      body = start + 27 + segments
      end = body + lacing.reduce(0) { $0 + Int($1) }
      guard end <= bytes.count else { return nil }
      func littleEndian(_ offset: Int, _ count: Int) -> UInt64 {
        bytes[start + offset..<start + offset + count].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
      }
      guard UInt32(littleEndian(22, 4)) == Self.checksum(bytes[start..<end]) else { return nil }
      continued = bytes[start + 5] & 1 != 0
      granule = Int64(bitPattern: littleEndian(6, 8))
      serial = UInt32(littleEndian(14, 4))
      sequence = UInt32(littleEndian(18, 4))
    }

    /// The packets that complete on the page (a continued first one's part on it included).
    func packets(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
      var packets: [ArraySlice<UInt8>] = []
      var start = body
      var length = 0
      for value in lacing {
        length += Int(value)
        if value < 255 {
          packets.append(bytes[start..<start + length])
          start += length
          length = 0
        }
      }
      return packets
    }

    var completedPackets: Int { lacing.filter { $0 < 255 }.count }

    /// Ogg's CRC-32 (polynomial 0x04C11DB7, nothing reflected) of the page, its own checksum
    /// field read as zeros.
    static func checksum(_ page: ArraySlice<UInt8>) -> UInt32 {
      var crc: UInt32 = 0
      for (index, byte) in page.enumerated() {
        let value = (22..<26).contains(index) ? 0 : byte
        crc = (crc << 8) ^ table[Int((crc >> 24) ^ UInt32(value))]
      }
      return crc
    }

    private static let table: [UInt32] = (0..<256).map { index in
      var value = UInt32(index) << 24
      for _ in 0..<8 { value = value & 0x8000_0000 != 0 ? (value << 1) ^ 0x04C1_1DB7 : value << 1 }
      return value
    }
  }
}
