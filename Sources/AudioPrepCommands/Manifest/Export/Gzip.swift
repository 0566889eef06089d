/// A gzip file (RFC 1952) holding its data in deflate "stored" blocks (RFC 1951 §3.2.4): no
/// compression, so no zlib, and every gzip reader (Python's `gzip`, which Lhotse uses) reads it.
package enum Gzip {
  /// `data` as a gzip member: the header, stored blocks of at most 65,535 bytes, then the
  /// CRC-32 and the length of `data` modulo 2^32.
  package static func stored(_ data: [UInt8]) -> [UInt8] {
    // ID1 ID2, CM = 8 (deflate), FLG = 0, MTIME = 0 (none: the same bytes every run), XFL = 0, OS = 3 (Unix).
    var bytes: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3]
    bytes.reserveCapacity(data.count + data.count / 65_535 * 5 + 32)
    var start = 0
    repeat {
      let end = min(start + 65_535, data.count)
      let isLast = end == data.count
      let length = UInt16(end - start)
      bytes.append(isLast ? 1 : 0)  // BFINAL, BTYPE = 00 (stored); the rest of the byte is padding
      bytes += littleEndian(UInt32(length), count: 2) + littleEndian(UInt32(~length), count: 2)
      bytes += data[start..<end]
      start = end
    } while start < data.count
    bytes += littleEndian(CRC32.checksum(data), count: 4)
    bytes += littleEndian(UInt32(truncatingIfNeeded: data.count), count: 4)
    return bytes
  }

  private static func littleEndian(_ value: UInt32, count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
  }
}

/// CRC-32 as gzip and zlib compute it (ISO 3309, reflected polynomial 0xEDB88320).
package enum CRC32 {
  private static let table: [UInt32] = (0..<256).map { index in
    var value = UInt32(index)
    for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
    return value
  }

  package static func checksum(_ data: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in data { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    return ~crc
  }
}
