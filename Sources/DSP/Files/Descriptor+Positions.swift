import Glibc
import SystemPackage

/// Reads at an offset, the read position, and a file's length: `pread`, `lseek` and
/// `ftruncate`, each throwing the `Errno` of the call itself (a read retries `EINTR`).
extension Descriptor {
  /// `pread`: up to `buffer.count` bytes at `offset`, in one read (fewer at the end, 0 past
  /// it); the read position does not move.
  package static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(Errno) -> Int {
    try throwingErrno { try FileDescriptor(rawValue: descriptor).read(fromAbsoluteOffset: offset, into: buffer) }
  }

  /// Up to `count` bytes at `offset`, in one read (fewer at the end).
  package static func read(_ descriptor: Int32, count: Int, at offset: Int64) throws(Errno) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    let got = try bytes.withUnsafeMutableBytes { buffer in
      Result { () throws(Errno) -> Int in try read(descriptor, into: buffer, at: offset) }
    }.get()
    bytes.removeSubrange(got...)
    return bytes
  }

  /// `lseek`: moves the read position (`whence`: `SEEK_SET`, `SEEK_CUR`, `SEEK_END`) and
  /// returns it. `seek(d, to: 0, from: SEEK_CUR)` throws `ESPIPE` for a pipe, a FIFO or a
  /// socket: how a descriptor that can seek is told.
  @discardableResult
  package static func seek(_ descriptor: Int32, to offset: Int64, from whence: Int32 = SEEK_SET) throws(Errno) -> Int64 {
    try throwingErrno {
      try FileDescriptor(rawValue: descriptor).seek(offset: offset, from: FileDescriptor.SeekOrigin(rawValue: whence))
    }
  }

  /// `ftruncate`: cuts (or extends with zeros) the file to `size` bytes.
  package static func truncate(_ descriptor: Int32, to size: Int64) throws(Errno) {
    try throwingErrno { try FileDescriptor(rawValue: descriptor).resize(to: size) }
  }
}
