import Glibc
import SystemPackage

/// Reads at an offset, the read position, and a file's length: `pread`, `lseek`, `ftruncate`
/// and `fallocate`, each throwing the `Errno` of the call itself (a read retries `EINTR`).
extension Descriptor {
  /// `pread`: up to `buffer.count` bytes at `offset`, in one read (fewer at the end, 0 past
  /// it); the read position does not move.
  package static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(Errno) -> Int {
    try throwingErrno { try FileDescriptor(rawValue: descriptor).read(fromAbsoluteOffset: offset, into: buffer) }
  }

  /// Up to `count` bytes at `offset`, in one read (fewer at the end); the array is not
  /// zero-filled first (a FLAC's last 64 KiB are read so when it is opened).
  package static func read(_ descriptor: Int32, count: Int, at offset: Int64) throws(Errno) -> [UInt8] {
    var failure: Errno?
    let bytes = [UInt8](unsafeUninitializedCapacity: max(0, count)) { buffer, initialized in
      initialized = 0
      do throws(Errno) { initialized = try read(descriptor, into: UnsafeMutableRawBufferPointer(buffer), at: offset) } catch { failure = error }
    }
    if let failure { throw failure }
    return bytes
  }

  /// Up to `count` bytes from the descriptor's position, in one read (fewer at the end or from
  /// a pipe), as `read(_:count:at:)` reads at an offset.
  package static func read(_ descriptor: Int32, count: Int) throws(Errno) -> [UInt8] {
    var failure: Errno?
    let bytes = [UInt8](unsafeUninitializedCapacity: max(0, count)) { buffer, initialized in
      initialized = 0
      do throws(Errno) { initialized = try read(descriptor, into: UnsafeMutableRawBufferPointer(buffer)) } catch { failure = error }
    }
    if let failure { throw failure }
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

  /// `fallocate(FALLOC_FL_KEEP_SIZE)`: the file system gives the file room for `count` bytes
  /// from `offset` now (`ENOSPC`, `EDQUOT` when it has none), its size unchanged, so that a
  /// later write there cannot fail for want of space. `EOPNOTSUPP` where the file system cannot
  /// (`ENODEV`, `ESPIPE`: a device or a pipe). Looked up at run time: Glibc's Swift module
  /// does not declare it (it is a GNU extension).
  package static func reserve(_ descriptor: Int32, count: Int64, at offset: Int64) throws(Errno) {
    guard let allocate = fileAllocate else { throw Errno.notSupported }
    while allocate(descriptor, keepSize, offset, count) != 0 {
      guard errno == EINTR else { throw Errno(rawValue: errno) }
    }
  }

  private typealias FileAllocate = @convention(c) (Int32, Int32, Int64, Int64) -> Int32
  private static let keepSize: Int32 = 1  // FALLOC_FL_KEEP_SIZE
  private static let fileAllocate: FileAllocate? = dlsym(nil, "fallocate").map { unsafeBitCast($0, to: FileAllocate.self) }
}
