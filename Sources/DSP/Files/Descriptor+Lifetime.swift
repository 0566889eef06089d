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

  /// Closes `descriptor`, returning its close's error (as `close` throws it) and a duplicate
  /// that still holds the file's `flock` (a lock belongs to the open file, not the descriptor),
  /// for the caller to close later: a temporary's lock, which tells a run sweeping the directory
  /// that it is alive, must outlast the close until a rename gives the file its next name
  /// (review53 W3: a sweep in that instant removed a live run's finished output). The lock is
  /// nil when no duplicate could be made.
  package static func closeKeepingTheLock(_ descriptor: Int32) -> (lock: Int32?, error: Errno?) {
    let lock = try? duplicate(descriptor)
    do { try close(descriptor) } catch { return (lock, error) }
    return (lock, nil)
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

  /// An exclusive lock on the whole file, held by this open file description (`F_OFD_SETLKW`)
  /// apart from any `flock`: another description of the file waits for it, in this process or
  /// another; `unlockRecords` lets go (and so does the description's last close). Waits,
  /// retrying `EINTR`. (The command numbers are Linux's: Glibc's module does not import them.)
  package static func lockRecords(_ descriptor: Int32) throws(Errno) {
    var range = flock()
    range.l_type = Int16(F_WRLCK)
    range.l_whence = Int16(SEEK_SET)
    while withUnsafeMutablePointer(to: &range, { fcntl(descriptor, openFileDescriptionSetLockWaiting, $0) }) != 0 {
      let code = Glibc.errno
      if code != EINTR { throw Errno(rawValue: code) }
    }
  }

  /// Lets go of `lockRecords`'s lock.
  package static func unlockRecords(_ descriptor: Int32) {
    var range = flock()
    range.l_type = Int16(F_UNLCK)
    range.l_whence = Int16(SEEK_SET)
    _ = withUnsafeMutablePointer(to: &range) { fcntl(descriptor, openFileDescriptionSetLock, $0) }
  }

  /// `F_OFD_SETLK`, `F_OFD_SETLKW` (Linux, all architectures).
  private static let openFileDescriptionSetLock: Int32 = 37
  private static let openFileDescriptionSetLockWaiting: Int32 = 38

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
