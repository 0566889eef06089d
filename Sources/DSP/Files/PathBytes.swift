import Glibc

/// File names are bytes; Swift strings are Unicode. This codec keeps every name byte-exact.
///
/// A path is held in a `String` in which each byte that is not part of valid UTF-8 is written as
/// the private-use scalar U+EF00 + byte (U+EF80…U+EFFF, the "OPTU-8" convention). Valid UTF-8
/// that itself encodes U+EF80…U+EFFF is escaped the same way, byte by byte, so the mapping is
/// one-to-one: `bytes(of: string(fromBytes: b)) == b` for every byte sequence `b`. Names in
/// valid UTF-8, nearly all of them, are ordinary strings. Every system call that takes a path
/// goes through `withPath`.
package enum PathBytes {
  /// The first scalar of the escape range; byte b (0x80…0xFF) is U+EF00 + b.
  package static let escapeBase: UInt32 = 0xEF00

  /// The string that holds `bytes` (a path from `argv`, `readdir`, a file list).
  package static func string<Bytes: Collection>(fromBytes bytes: Bytes) -> String where Bytes.Element == UInt8 {
    let input = Array(bytes)
    // ASCII, most names: the string of the same bytes.
    if input.allSatisfy({ $0 < 0x80 }) { return String(decoding: input, as: UTF8.self) }
    var scalars = String.UnicodeScalarView()
    var index = 0
    while index < input.count {
      if let (scalar, length) = decodeScalar(input, at: index), !isEscape(scalar.value) {
        scalars.append(scalar)
        index += length
      } else {
        // An invalid byte, or one byte of a valid U+EF80…U+EFFF: escaped on its own.
        let byte = input[index]
        scalars.append(Unicode.Scalar(byte < 0x80 ? UInt32(byte) : escapeBase + UInt32(byte))!)
        index += 1
      }
    }
    return String(scalars)
  }

  /// The string for a C string from `argv` or `readdir`.
  package static func string(fromCString pointer: UnsafePointer<CChar>) -> String {
    string(fromBytes: UnsafeBufferPointer(start: pointer, count: strlen(pointer)).lazy.map { UInt8(bitPattern: $0) })
  }

  /// The bytes `path` stands for.
  package static func bytes(of path: String) -> [UInt8] {
    // No escape (U+EF80…U+EFFF is EE BE 80…EE BF BF in UTF-8): its UTF-8 bytes.
    if !path.utf8.contains(0xEE) { return Array(path.utf8) }
    var result: [UInt8] = []
    result.reserveCapacity(path.utf8.count)
    for scalar in path.unicodeScalars {
      if isEscape(scalar.value) {
        result.append(UInt8(scalar.value - escapeBase))
      } else {
        result.append(contentsOf: String(scalar).utf8)
      }
    }
    return result
  }

  /// One piece of the bytes a path stands for, decoded as UTF-8.
  package enum Piece: Equatable {
    /// A character, valid UTF-8 (U+EF80…U+EFFF included).
    case scalar(Unicode.Scalar)
    /// A byte that is not part of valid UTF-8.
    case byte(UInt8)
  }

  /// The bytes `path` stands for, decoded as UTF-8 where they are valid — U+EF80…U+EFFF too,
  /// which the `String` holds escaped byte by byte — and the other bytes one by one: for the
  /// formats whose readers decode UTF-8 (JSON, ids), which must show that character.
  package static func decoded(_ path: String) -> [Piece] {
    guard hasEscapes(path) else { return path.unicodeScalars.map { .scalar($0) } }
    let raw = bytes(of: path)
    var pieces: [Piece] = []
    var index = 0
    while index < raw.count {
      if let (scalar, length) = decodeScalar(raw, at: index) {
        pieces.append(.scalar(scalar))
        index += length
      } else {
        pieces.append(.byte(raw[index]))
        index += 1
      }
    }
    return pieces
  }

  /// Whether `path` holds bytes that are not UTF-8 (escaped scalars).
  package static func hasEscapes(_ path: String) -> Bool {
    path.unicodeScalars.contains { isEscape($0.value) }
  }

  /// Whether `scalar` is an escaped byte.
  package static func isEscape(_ scalar: UInt32) -> Bool { (escapeBase + 0x80...escapeBase + 0xFF).contains(scalar) }

  /// Runs `body` with `path` as the NUL-terminated bytes a system call takes.
  package static func withPath<Result>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> Result) rethrows -> Result {
    if !hasEscapes(path) { return try path.withCString(body) }
    var raw = bytes(of: path).map { CChar(bitPattern: $0) }
    raw.append(0)
    return try raw.withUnsafeBufferPointer { try body($0.baseAddress!) }
  }

  /// The scalar that starts at `index` and its length in bytes, if the UTF-8 there is valid.
  private static func decodeScalar(_ bytes: [UInt8], at index: Int) -> (Unicode.Scalar, Int)? {
    let lead = bytes[index]
    if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
    let length: Int
    var value: UInt32
    switch lead {
    case 0xC2...0xDF: (length, value) = (2, UInt32(lead & 0x1F))
    case 0xE0...0xEF: (length, value) = (3, UInt32(lead & 0x0F))
    case 0xF0...0xF4: (length, value) = (4, UInt32(lead & 0x07))
    default: return nil
    }
    guard index + length <= bytes.count else { return nil }
    for offset in 1..<length {
      let byte = bytes[index + offset]
      guard byte & 0xC0 == 0x80 else { return nil }
      value = value << 6 | UInt32(byte & 0x3F)
    }
    // Overlong forms, surrogates and values past U+10FFFF are not valid UTF-8.
    let smallest: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
    guard value >= smallest, let scalar = Unicode.Scalar(value) else { return nil }
    return (scalar, length)
  }
}
