/// CRC-16/ARC (polynomial 0x8005 reflected, initial 0): the LAME tag's checksum.
enum CRC16 {
  static func arc(_ bytes: ArraySlice<UInt8>) -> UInt16 {
    var crc: UInt16 = 0
    for byte in bytes {
      crc ^= UInt16(byte)
      for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1 }
    }
    return crc
  }
}
