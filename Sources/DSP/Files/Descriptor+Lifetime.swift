import Glibc
import SystemPackage

/// A descriptor's life beside its reads and writes: closing it, duplicating it, and the
/// advisory lock on its file. Each throws the `Errno` of the call itself.
extension Descriptor {
  /// `close`. An error is only worth reading where written bytes may be lost (a write-back
  /// failure NFS reports late); elsewhere `try?` drops it. Never retried: on Linux the
  /// descriptor is gone even when `close` says `EINTR`.
  package static func close(_ descriptor: Int32) throws(Errno) {
    try throwingErrno { try FileDescriptor(rawValue: descriptor).close() }
  }

  /// A new descriptor for the same open file, close-on-exec, numbered `lowest` or above
  /// (`fcntl(F_DUPFD_CLOEXEC)`; 3 keeps it clear of the standard streams).
  package static func duplicate(_ descriptor: Int32, lowest: Int32 = 3) throws(Errno) -> Int32 {
    let copy = fcntl(descriptor, F_DUPFD_CLOEXEC, lowest)
    guard copy >= 0 else { throw Errno(rawValue: Glibc.errno) }
    return copy
  }

  /// Makes `target` another descriptor for `descriptor`'s file, closing what `target` was
  /// (`dup2`: how standard error is pointed elsewhere and back).
  package static func duplicate(_ descriptor: Int32, onto target: Int32) throws(Errno) {
    try throwingErrno { _ = try FileDescriptor(rawValue: descriptor).duplicate(as: FileDescriptor(rawValue: target)) }
  }

  /// How `lock` waits, and for which lock.
  package enum Lock {
    /// Shared (`LOCK_SH`): many holders; exclusive (`LOCK_EX`): one, and no shared holder.
    case shared, exclusive
  }

  /// `flock` on the open file: waits for it (retrying `EINTR`) unless `wait` is false, when a
  /// lock another holds throws `EWOULDBLOCK` at once.
  package static func lock(_ descriptor: Int32, _ lock: Lock, wait: Bool = true) throws(Errno) {
    let operation = (lock == .shared ? LOCK_SH : LOCK_EX) | (wait ? 0 : LOCK_NB)
    while flock(descriptor, operation) != 0 {
      let code = Glibc.errno
      if code != EINTR { throw Errno(rawValue: code) }
    }
  }

  /// Runs a swift-system call, rethrowing what it throws as its `Errno`.
  static func throwingErrno<T>(_ call: () throws -> T) throws(Errno) -> T {
    do {
      return try call()
    } catch let error as Errno {
      throw error
    } catch {
      throw Errno.ioError
    }
  }
}
