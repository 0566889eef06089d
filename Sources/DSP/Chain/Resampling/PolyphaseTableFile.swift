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
/// A file is accepted only when every field agrees with what was asked for (the same converter,
/// ratio and libsamplerate version), the sizes add up exactly and the checksum matches;
/// anything else (a truncated, damaged or foreign file) is refused, and the table is measured
/// instead. A change to how tables are measured must change the magic.
enum PolyphaseTableFile {
  static let magic = Array("APPOLY01".utf8)
  private static let headerWords = 6

  /// Where a file's taps start and how they are laid out, from its header.
  struct Header {
    let firstTap: Int
    let stride: Int
    /// Bytes before the taps (a multiple of 8).
    let bytes: Int
  }

  /// The file for `table`, measured from libsamplerate `libraryVersion`.
  static func encode(_ table: PolyphaseTable, libraryVersion: String) -> [UInt8] {
    let version = Array(libraryVersion.utf8)
    var bytes = magic
    bytes.reserveCapacity(size(taps: table.p * table.stride, versionBytes: version.count))
    for word in [converterCode(table.converter), table.p, table.q, table.firstTap, table.stride, version.count] {
      append(UInt64(bitPattern: Int64(word)), to: &bytes)
    }
    bytes += version
    bytes += [UInt8](repeating: 0, count: padding(version.count))
    for tap in table.allTaps {
      withUnsafeBytes(of: tap.bitPattern.littleEndian) { bytes += $0 }
    }
    append(checksum(bytes), to: &bytes)
    return bytes
  }

  /// The bytes before the taps in a file of libsamplerate `libraryVersion`: what `header` reads.
  static func headerSize(libraryVersion: String) -> Int {
    let count = libraryVersion.utf8.count
    return magic.count + headerWords * 8 + count + padding(count)
  }

  /// The header in `bytes` (`headerSize` of them) if it describes `converter` at p/q from
  /// libsamplerate `libraryVersion`, in a file of `fileSize` bytes; nil otherwise.
  static func header(
    _ bytes: UnsafeRawBufferPointer, converter: ConverterType, p: Int, q: Int, libraryVersion: String, fileSize: Int
  ) -> Header? {
    let version = Array(libraryVersion.utf8)
    let fixed = magic.count + headerWords * 8
    guard bytes.count == headerSize(libraryVersion: libraryVersion), bytes.prefix(magic.count).elementsEqual(magic)
    else { return nil }
    let word = { (index: Int) in
      Int(Int64(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: magic.count + index * 8, as: UInt64.self))))
    }
    let (code, storedP, storedQ, firstTap, stride, versionBytes) = (word(0), word(1), word(2), word(3), word(4), word(5))
    guard code == converterCode(converter), storedP == p, storedQ == q, versionBytes == version.count,
      stride > 0, stride % 16 == 0, stride <= PolyphaseTable.maxTaps / p,
      fileSize == size(taps: p * stride, versionBytes: versionBytes),
      bytes[fixed..<fixed + versionBytes].elementsEqual(version)
    else { return nil }
    return Header(firstTap: firstTap, stride: stride, bytes: bytes.count)
  }

  /// The file's size in bytes for a table of `taps` taps.
  static func size(taps: Int, versionBytes: Int) -> Int {
    magic.count + headerWords * 8 + versionBytes + padding(versionBytes) + taps * 4 + 8
  }

  /// The largest file a table can have: `PolyphaseTable.maxTaps` taps.
  static let maxSize = size(taps: PolyphaseTable.maxTaps, versionBytes: 1024)

  /// FNV offset basis: the checksum of nothing.
  static let checksumSeed: UInt64 = 0xcbf2_9ce4_8422_2325

  /// FNV-1a over 64-bit little-endian words (the tail's bytes zero-padded to a word), offset
  /// basis and prime of 64-bit FNV, continuing from `hash`: catches a damaged or truncated file,
  /// one multiply per 8 bytes. Not a defence against someone who can write the cache (they
  /// could write anything). Pieces of a multiple of 8 bytes chain: checksum(b, checksum(a)) is
  /// the checksum of a followed by b.
  static func checksum(_ bytes: UnsafeRawBufferPointer, continuing hash: UInt64 = checksumSeed) -> UInt64 {
    var hash = hash
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
