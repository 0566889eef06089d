import Glibc

/// An exclusive lock, in each directory a settle moves files into, held while it checks and
/// moves them (`CommittedOutputs.settle`): two runs settling files of the same names at once
/// (two `--force` runs to one `-o` and `--stats-json`) move theirs one after the other, each
/// set whole, so the last one wins whole (review49 H05: one run's audio was left beside the
/// other's statistics). A hidden file, ".settle.audioprep.lock", created by the first to lock
/// it and removed as it is let go (`OutputDirectory.openLockedAsNamed` tells a removed one from
/// the one under the name); a settle lasts one `link` or `rename` per file.
enum SettleLock {
  static let name = ".settle.audioprep.lock"

  /// Locks each of `directories` (one per directory itself), in one order for every process,
  /// so that two settles never wait on each other. A lock file that cannot be made (a device
  /// out of inodes) leaves that directory settled without it (as before the lock); something
  /// else under its name — a directory, a symlink, a file that holds bytes — is refused (73,
  /// naming it), never used nor removed (review50 W03: a directory there silently turned the
  /// turn-taking off; W04: a user's file there went with the lock).
  static func hold(_ directories: [OutputDirectory]) throws -> [(directory: OutputDirectory, descriptor: Int32)] {
    var byIdentity: [ProtectedFiles.Identity: OutputDirectory] = [:]
    for directory in directories {
      if let identity = directory.identity { byIdentity[identity] = byIdentity[identity] ?? directory }
    }
    let ordered = byIdentity.sorted { ($0.key.device, $0.key.inode) < ($1.key.device, $1.key.inode) }
    var held: [(directory: OutputDirectory, descriptor: Int32)] = []
    do {
      for (_, directory) in ordered {
        let opened = try directory.openLockedAsNamed(name, lock: .exclusive) {
          let opened = directory.openOrCreateLocked(name, flags: O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, lock: .exclusive)
          let code = errno
          guard opened >= 0 || code == EISDIR || code == ELOOP else { return -1 }
          return try OutputSetLock.refuseOtherThanALockFile(opened, code: code, path: directory.path.hasSuffix("/") ? directory.path + name : directory.path + "/" + name)
        }
        if opened >= 0 { held.append((directory, opened)) }
      }
    } catch {
      release(held)
      throw error
    }
    return held
  }

  /// Removes the lock file a run killed while it held it left in `directory` (review51 W2: it
  /// stayed, and every refused run after left it), when it is still a lock file (empty) and
  /// nobody holds it: taken as `hold` takes it, removed as `release` removes it, so a run that
  /// waits on it meanwhile finds the name gone and makes its own.
  static func removeIfUnheld(in directory: Int32) {
    OutputDirectory.removeUnheldLockFile(name, in: directory)
  }

  /// Lets go of what `hold` locked: each lock file goes, then its lock.
  static func release(_ held: [(directory: OutputDirectory, descriptor: Int32)]) {
    for (directory, descriptor) in held {
      OutputSetLock.unlinkIfEmpty(name, in: directory.descriptor)
      try? Descriptor.close(descriptor)
    }
  }
}
