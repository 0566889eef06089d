import Glibc

/// An exclusive lock on a set of outputs one run writes over time (a segment set and its
/// sidecar), so that two runs writing the same set at once take turns instead of interleaving
/// their files: through a lock file `NAME.lock` beside them, held from before the first file
/// lands until the run has settled or been taken back, then removed.
///
/// The file is opened without following a link (`O_NOFOLLOW`; a FIFO there without waiting, and
/// refused), `flock`ed, and checked to still be the file under its name once the lock is held
/// (`OutputDirectory.openLockedAsNamed`; one this run makes is locked before it appears,
/// `OutputDirectory.createLocked`): the run it waited for removed the name as it let go,
/// and a lock on the removed file would lock nothing. It is registered with `TemporaryFiles`, so a signal removes it too.
package final class OutputSetLock {
  private let directory: OutputDirectory
  private let name: String
  private var descriptor: Int32
  private let registration: TemporaryFiles.Registration

  /// Waits for the set named `name` in `directory` (its lock file `name.lock`); `path` names the
  /// set in messages (review49 W05: a read-only directory was said of the lock file, which the
  /// user never named), and the lock file when that is what is wrong.
  package init(_ name: String, in directory: OutputDirectory, path: String) throws {
    self.directory = directory
    self.name = name + ".lock"
    descriptor = try Self.openLocked(self.name, in: directory, path: path)
    // Only once held: a signal while waiting must not remove the holder's lock file.
    registration = TemporaryFiles.register(directory: directory.descriptor, name: PathBytes.bytes(of: self.name))
    // A run holding the set before that was killed as it moved its files into place left a
    // journal: finished before this run reads the set (review42 H01).
    DeadRuns.clear(in: directory.descriptor)
  }

  deinit { release() }

  /// Removes the lock file and lets go of it (once; later calls do nothing).
  package func release() {
    guard descriptor >= 0 else { return }
    Self.unlinkIfEmpty(name, in: directory.descriptor)  // while held: the next holder re-opens the name
    TemporaryFiles.release(registration)
    try? Descriptor.close(descriptor)
    descriptor = -1
  }

  private static func openLocked(_ name: String, in directory: OutputDirectory, path: String) throws -> Int32 {
    try directory.openLockedAsNamed(name, lock: .exclusive) {
      let opened = directory.openOrCreateLocked(name, flags: O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, lock: .exclusive)
      let code = errno
      guard opened >= 0 || code == EISDIR || code == ELOOP else { throw OutputFile.createFailure(path, code) }
      return try refuseOtherThanALockFile(opened, code: code, path: path + ".lock")
    }
  }

  /// `opened` (or the `code` its open failed with) when it is a lock file: a regular file that
  /// holds no byte, as audioprep makes them. Anything else under a lock's name is the user's,
  /// refused (73, naming it) and never removed (review50 W04: a file of the user's there went
  /// with the lock).
  static func refuseOtherThanALockFile(_ opened: Int32, code: Int32, path lockPath: String) throws -> Int32 {
    if opened < 0 {
      let what = code == ELOOP ? "is a symlink, never followed" : "is a directory"
      throw AudioIOError(.cannotCreateOutput, path: lockPath, "\(what); audioprep locks a set of outputs through this name (move it away)")
    }
    guard let held = Descriptor.status(of: opened), held.isRegular, held.size == 0 else {
      let regular = Descriptor.status(of: opened)?.isRegular == true
      try? Descriptor.close(opened)
      throw AudioIOError(
        .cannotCreateOutput, path: lockPath,
        "\(regular ? "holds bytes, so it is no lock file of audioprep's" : "is not a regular file"); audioprep locks a set of outputs through this name (move it away)")
    }
    return opened
  }

  /// Removes the lock file `name` in `directory` when no run holds it: a run killed while it
  /// held the set left it (review63 O2: later runs that skipped the input kept it for ever).
  package static func removeIfUnheld(_ name: String, in directory: Int32) {
    OutputDirectory.removeUnheldLockFile(name, in: directory)
  }

  /// Removes the lock file `name` as its holder lets go, if it is still one (empty): a file
  /// the user wrote there since stays.
  static func unlinkIfEmpty(_ name: String, in directory: Int32) {
    guard Descriptor.status(name, in: directory, following: false)?.size == 0 else { return }
    _ = Descriptor.unlink(name, in: directory)
  }
}
