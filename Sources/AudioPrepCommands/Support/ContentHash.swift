import DSP
import Glibc

/// 64-bit FNV-1a: a fast, stable, non-cryptographic hash for content and shard keys.
///
/// FNV-1a (Fowler–Noll–Vo, variant 1a): for each byte, `hash ^= byte; hash &*= 0x100000001b3`,
/// starting from the offset basis `0xcbf29ce484222325`. It detects accidental changes (a
/// re-encoded or edited recording), not tampering. Written as 16 hex digits, e.g.
/// `fnv1a64:af63bd4c8601b7df` for "a".
struct ContentHash: Equatable, Sendable, CustomStringConvertible {
  static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
  static let prime: UInt64 = 0x0000_0100_0000_01b3

  private(set) var value = Self.offsetBasis

  mutating func update(_ bytes: UnsafeRawBufferPointer) {
    var hash = value
    for byte in bytes {
      hash ^= UInt64(byte)
      hash &*= Self.prime
    }
    value = hash
  }

  mutating func update(_ text: String) {
    var copy = text
    copy.withUTF8 { update(UnsafeRawBufferPointer($0)) }
  }

  /// "fnv1a64:" and 16 lowercase hex digits.
  var description: String {
    let hex = String(value, radix: 16)
    return "fnv1a64:" + String(repeating: "0", count: 16 - hex.count) + hex
  }

  /// The hash of a string's UTF-8 bytes.
  static func of(_ text: String) -> ContentHash {
    var hash = ContentHash()
    hash.update(text)
    return hash
  }

  /// A small file's bytes whole (a segments sidecar), never following a symlink.
  static func readFile(at path: String) throws -> [UInt8] {
    let descriptor = Descriptor.open(path, flags: O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
    guard descriptor >= 0 else {
      throw CommandFailure(path, String(cString: strerror(errno)), code: ExitStatus.noInput)
    }
    defer { try? Descriptor.close(descriptor) }
    do {
      return try Descriptor.readAll(descriptor)
    } catch {
      throw CommandFailure(path, "read failed: \(String(cString: strerror(error.rawValue)))", code: ExitStatus.noInput)
    }
  }

  /// The hash of a file's bytes, read with `read(2)` in 64 KiB blocks. With `regularOnly` (an
  /// output the batch wrote) a symlink is not followed and anything but a regular file (a FIFO
  /// that would block, a device that never ends) is refused.
  ///
  /// Throws a `CommandFailure` (66) when the file cannot be opened or read.
  static func ofFile(at path: String, regularOnly: Bool = false) throws -> ContentHash {
    let flags = O_RDONLY | O_CLOEXEC | (regularOnly ? O_NOFOLLOW | O_NONBLOCK : 0)
    let descriptor = Descriptor.open(path, flags: flags)
    guard descriptor >= 0 else {
      throw CommandFailure(path, String(cString: strerror(errno)), code: ExitStatus.noInput)
    }
    defer { try? Descriptor.close(descriptor) }
    if regularOnly, Descriptor.status(of: descriptor)?.isRegular != true {
      throw CommandFailure(path, "is not a regular file", code: ExitStatus.noInput)
    }
    var hash = ContentHash()
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 16)
    defer { buffer.deallocate() }
    while true {
      let count: Int
      do {
        count = try Descriptor.read(descriptor, into: buffer)
      } catch {
        throw CommandFailure(path, "read failed: \(String(cString: strerror(error.rawValue)))", code: ExitStatus.noInput)
      }
      if count == 0 { return hash }
      hash.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
    }
  }
}
