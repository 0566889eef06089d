import Glibc

/// Files a run marks as its own by an `flock` on them (temporaries, run tokens, lock files):
/// another process that finds one of them unlocked takes it for a dead run's, or for a lock let
/// go, and may remove it. So each is made already locked, and one opened by name is checked to
/// be the file under the name once locked.
extension OutputDirectory {
  /// Creates `name` here as `O_CREAT | O_EXCL | O_NOFOLLOW` would (`access`: `O_WRONLY` or
  /// `O_RDWR`; mode 0644 less the umask), `flock`ed (`lock`) before it appears under the name:
  /// made unnamed (`O_TMPFILE`), locked, then linked in through /proc/self/fd (`EEXIST` when
  /// the name is taken, as `O_EXCL`). There is no instant at which a run sweeping the directory
  /// finds it unlocked (review55 H1: a run held 0.4 s between its `open` and its `flock` lost
  /// its temporary, or its run token, to a batch sweeping the tree, and failed 73, 65 or 74).
  /// Where the file system makes no unnamed files, or /proc is not mounted, it is created by
  /// name and locked an instant later, as before (a sweep spares an unlocked temporary for
  /// `UnheldTemporary.settlingTime`). -1 with `errno` set when it cannot be made.
  func createLocked(_ name: String, access: Int32, lock: Descriptor.Lock) -> Int32 {
    let unnamed = Descriptor.open(".", in: descriptor, flags: Self.unnamedFile | access | O_CLOEXEC, mode: 0o644)
    if unnamed >= 0 {
      try? Descriptor.lock(unnamed, lock)
      let linked = PathBytes.withPath("/proc/self/fd/\(unnamed)") { source in
        PathBytes.withPath(name) { linkat(AT_FDCWD, source, descriptor, $0, AT_SYMLINK_FOLLOW) }
      }
      if linked == 0 { return unnamed }
      let code = errno
      try? Descriptor.close(unnamed)
      guard code == ENOENT else {  // ENOENT: no /proc (or the directory is gone: the open below says so)
        errno = code
        return -1
      }
    } else if ![EOPNOTSUPP, EISDIR, EINVAL].contains(errno) {
      return -1
    }
    let opened = Descriptor.open(name, in: descriptor, flags: access | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode: 0o644)
    if opened >= 0 { try? Descriptor.lock(opened, lock) }
    return opened
  }

  /// Opens `name` here (`flags`, without `O_CREAT`), or creates it locked (`createLocked`,
  /// `O_RDWR`) when there is none. A directory under the name fails `EISDIR`, as `O_CREAT`
  /// would. -1 with `errno` set when it can be neither opened nor made.
  func openOrCreateLocked(_ name: String, flags: Int32, lock: Descriptor.Lock) -> Int32 {
    while true {
      let opened = Descriptor.open(name, in: descriptor, flags: flags)
      if opened >= 0 {
        guard Descriptor.status(of: opened)?.isDirectory == true else { return opened }
        try? Descriptor.close(opened)
        errno = EISDIR
        return -1
      }
      guard errno == ENOENT else { return -1 }
      let made = createLocked(name, access: O_RDWR, lock: lock)
      if made >= 0 || errno != EEXIST { return made }
    }
  }

  /// Opens `name` here (`open`) and `flock`s it (`lock`), again until the file held is still
  /// the one under the name: a run that held the lock before may have removed the name (a lock
  /// file let go) or moved another file over it (a log compacted) as it let go, and a lock on
  /// that file would lock nothing, lines appended to it would be lost. A descriptor that is not
  /// a regular file (`/dev/null` as a log) is returned as it is. The one loop of
  /// `OutputFile.openLockedLog`, `OutputSetLock`, `SettleLock` and `RunToken`.
  func openLockedAsNamed(_ name: String, lock: Descriptor.Lock, open: () throws -> Int32) throws -> Int32 {
    while true {
      let opened = try open()
      try? Descriptor.lock(opened, lock)
      guard let held = Descriptor.status(of: opened), held.isRegular else { return opened }
      if let named = Descriptor.status(name, in: descriptor, following: false), named.identity == held.identity { return opened }
      try? Descriptor.close(opened)
    }
  }

  /// Removes the lock file `name` in the open `directory` when nobody holds it (a run killed
  /// while it held it left it) and it is still a lock file (empty): taken as a holder takes it,
  /// checked to be the file under the name, and removed under the lock, so that a run waiting
  /// on it meanwhile finds the name gone and makes its own (`openLockedAsNamed`). Anything else
  /// under the name stays. `SettleLock`'s and `OutputSetLock`'s.
  static func removeUnheldLockFile(_ name: String, in directory: Int32) {
    let opened = Descriptor.open(name, in: directory, flags: O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
    guard opened >= 0 else { return }
    defer { try? Descriptor.close(opened) }
    guard let held = Descriptor.status(of: opened), held.isRegular, held.size == 0,
      (try? Descriptor.lock(opened, .exclusive, wait: false)) != nil,
      Descriptor.status(name, in: directory, following: false)?.identity == held.identity
    else { return }
    _ = Descriptor.unlink(name, in: directory)
  }

  /// Glibc's `O_TMPFILE` (`__O_TMPFILE | O_DIRECTORY`), which its Swift module does not import.
  private static let unnamedFile: Int32 = 0o20000000 | O_DIRECTORY
}
