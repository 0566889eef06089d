/// The bytes of a `PolyphaseTable` in the persistent cache, and the checks that accept them back.
///
/// Layout, every integer a little-endian 64-bit word:
///
///     "APPOLY01"                       magic and format version (8 bytes)
///     converter, p, q, firstTap, stride, version byte count
///     libsamplerate's version string (src_get_version), zero-padded to 8 bytes
///     p · stride taps, little-endian Float32
///     checksum of everything above (`checksum`)
///
/// `decode` accepts the bytes only when every field agrees with what was asked for (the same
/// converter, ratio and libsamplerate version), the sizes add up exactly and the checksum
/// matches; anything else (a truncated, damaged or foreign file) is nil, and the table is
/// measured instead. A change to how tables are measured must change the magic.
enum PolyphaseTableFile {
  static let magic = Array("APPOLY01".utf8)
  private static let headerWords = 6

  /// The file for `table`, measured from libsamplerate `libraryVersion`.
  static func encode(_ table: PolyphaseTable, libraryVersion: String) -> [UInt8] {
    let version = Array(libraryVersion.utf8)
    var bytes = magic
    bytes.reserveCapacity(size(taps: table.p * table.stride, versionBytes: version.count))
    for word in [converterCode(table.converter), table.p, table.q, table.firstTap, table.stride, version.count] {
      append(UInt64(bitPattern: Int64(word)), to: &bytes)
    }
    bytes += version
    bytes += repeatElement(0, count: padding(version.count))
    for tap in table.allTaps {
      withUnsafeBytes(of: tap.bitPattern.littleEndian) { bytes += $0 }
    }
    append(checksum(bytes), to: &bytes)
    return bytes
  }

  /// The table in `bytes` if they hold exactly `converter` at p/q from libsamplerate
  /// `libraryVersion`, intact; nil otherwise.
  static func decode(
    _ bytes: UnsafeRawBufferPointer, converter: ConverterType, p: Int, q: Int, libraryVersion: String,
    readSeconds: Double
  ) -> PolyphaseTable? {
    let version = Array(libraryVersion.utf8)
    let fixed = magic.count + headerWords * 8
    guard bytes.count >= fixed + 8, bytes.prefix(magic.count).elementsEqual(magic) else { return nil }
    let word = { (index: Int) in Int(Int64(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: magic.count + index * 8, as: UInt64.self)))) }
    let (code, storedP, storedQ, firstTap, stride, versionBytes) = (word(0), word(1), word(2), word(3), word(4), word(5))
    guard code == converterCode(converter), storedP == p, storedQ == q, versionBytes == version.count,
      stride > 0, stride % 16 == 0, stride <= PolyphaseTable.maxTaps / p,
      bytes.count == size(taps: p * stride, versionBytes: versionBytes),
      bytes[fixed..<fixed + versionBytes].elementsEqual(version)
    else { return nil }
    let body = UnsafeRawBufferPointer(rebasing: bytes[..<(bytes.count - 8)])
    let stored = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self))
    guard checksum(body) == stored else { return nil }
    let tapsOffset = fixed + versionBytes + padding(versionBytes)
    let taps = (0..<(p * stride)).map {
      Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: tapsOffset + $0 * 4, as: UInt32.self)))
    }
    return PolyphaseTable(
      converter: converter, p: p, q: q, firstTap: firstTap, stride: stride, taps: taps,
      origin: .stored(seconds: readSeconds))
  }

  /// The file's size in bytes for a table of `taps` taps.
  static func size(taps: Int, versionBytes: Int) -> Int {
    magic.count + headerWords * 8 + versionBytes + padding(versionBytes) + taps * 4 + 8
  }

  /// The largest file `decode` can accept: a table of `PolyphaseTable.maxTaps` taps.
  static let maxSize = size(taps: PolyphaseTable.maxTaps, versionBytes: 1024)

  /// FNV-1a over 64-bit little-endian words (the tail's bytes zero-padded to a word), offset
  /// basis and prime of 64-bit FNV: catches a damaged or truncated file, one multiply per 8
  /// bytes. Not a defence against someone who can write the cache (they could write anything).
  static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    var offset = 0
    while offset + 8 <= bytes.count {
      hash = (hash ^ UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))) &* 0x100_0000_01b3
      offset += 8
    }
    if offset < bytes.count {
      var tail: UInt64 = 0
      for (shift, byte) in bytes[offset...].enumerated() { tail |= UInt64(byte) << (8 * shift) }
      hash = (hash ^ tail) &* 0x100_0000_01b3
    }
    return hash
  }

  static func checksum(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBytes { checksum($0) } }

  private static func append(_ word: UInt64, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: word.littleEndian) { bytes += $0 }
  }

  private static func padding(_ count: Int) -> Int { (8 - count % 8) % 8 }

  /// A fixed number per converter, independent of the enum's declaration order.
  private static func converterCode(_ converter: ConverterType) -> Int {
    switch converter {
    case .best: 0
    case .medium: 1
    case .fastest: 2
    case .zoh: 3
    case .linear: 4
    }
  }
}
