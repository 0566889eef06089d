import DSP
import Glibc

/// The text files audioprep reads — transcripts, `--from-list` lists, manifests, segment
/// sidecars — as bytes, without the UTF-8 byte order mark a Windows editor puts first (it would
/// begin the transcript, be part of the first path, make the first record "not a record").
enum TextFile {
  static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

  /// `bytes` without a byte order mark at the start (one elsewhere is text, and kept).
  static func droppingByteOrderMark(_ bytes: [UInt8]) -> [UInt8] {
    bytes.starts(with: byteOrderMark) ? Array(bytes.dropFirst(byteOrderMark.count)) : bytes
  }

  /// The text on the open `descriptor`, known as `path` (`limit + 1` bytes at most, with a
  /// `limit`); 66 with the reason when it cannot be read.
  static func read(_ descriptor: Int32, path: String, limit: Int = .max - 1) throws -> [UInt8] {
    do {
      return droppingByteOrderMark(try Descriptor.readAll(descriptor, limit: limit))
    } catch {
      throw CommandFailure(path, "read failed: \(String(cString: strerror(error.rawValue)))", code: ExitStatus.noInput)
    }
  }

  /// The text of the file at `path`, as `read(_:path:limit:)`; 66 when it cannot be opened.
  static func read(_ path: String, limit: Int = .max - 1) throws -> [UInt8] {
    let descriptor = Descriptor.open(path, flags: O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw CommandFailure(path, String(cString: strerror(errno)), code: ExitStatus.noInput) }
    defer { try? Descriptor.close(descriptor) }
    return try read(descriptor, path: path, limit: limit)
  }
}
