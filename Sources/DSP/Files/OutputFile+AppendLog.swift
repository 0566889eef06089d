import Glibc
import SystemPackage

/// A log appended to in place (the batch manifest), built on `OutputFile`'s rules.
///
/// Calling sequence: `unshareLog` (a hard-linked log becomes a file of its own), then
/// `init(appendingTo:…)` (opened under a shared `flock`, checked to still be the named file),
/// appends through `write`, and at the end `replaceLog` (the whole log at once, through a
/// temporary, when the caller holds the lock exclusively).
extension OutputFile {
  /// Has the file system give a log that is a regular file room for `count` more bytes past
  /// its end (`Descriptor.reserve`), so that an append of that many cannot then fail for want
  /// of space. Throws, as a failed write would (74), when the file system has no room, the
  /// quota is spent or the append would pass the limit of a file's size (`ulimit -f`); a log that cannot reserve (a device, a file system without `fallocate`)
  /// goes on as without it.
  package func reserveRoomToAppend(_ count: Int) throws {
    guard let status = Descriptor.status(of: descriptor), status.isRegular else { return }
    // `fallocate` keeping the size does not look at the limit of a file's size (`ulimit -f`),
    // which the append would meet (review63 H1).
    var limit = rlimit()
    if getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max,
      UInt64(max(0, status.size)) + UInt64(count) > UInt64(limit.rlim_cur)
    {
      throw AudioIOError(.ioFailure, path: path, "no room for \(count) more bytes: \(Errno.fileTooLarge.text)")
    }
    do throws(Errno) {
      try Descriptor.reserve(descriptor, count: Int64(count), at: status.size)
    } catch where [Errno.noSpace, .diskQuotaExceeded, .fileTooLarge].contains(error) {
      throw AudioIOError(.ioFailure, path: path, "no room for \(count) more bytes: \(error.text)")
    } catch {}
  }

  /// Gives back the room `reserveRoomToAppend` made that the appends did not use: the blocks
  /// past the end (`ftruncate` to the size). Kept, they stayed allocated, and a file system
  /// with room for the whole run had none left for the log's rewrite at its end (review63 H5).
  package func releaseRoomPastTheEnd() {
    guard let status = Descriptor.status(of: descriptor), status.isRegular else { return }
    try? Descriptor.truncate(descriptor, to: status.size)
  }

  /// A log appended to in place (the batch manifest), with the same rules but no temporary:
  /// each append lands as it is written. A regular file there is appended to (`overwrite` is
  /// not needed for that); a symlink is refused without `overwrite`, and removed (never
  /// followed) with it; a FIFO or socket, which could not be read back, is refused.
  package convenience init(appendingTo name: String, in directory: OutputDirectory, path: String, overwrite: Bool) throws {
    let nameBytes = PathBytes.bytes(of: name)
    if let status = Descriptor.status(name, in: directory.descriptor, following: false) {
      switch status.kind {
      case .directory: throw AudioIOError(.cannotCreateOutput, path: path, "is a directory")
      case .blockDevice: throw AudioIOError(.cannotCreateOutput, path: path, "is a block device; refusing to write to it")
      case .fifo, .socket:
        // Opening it would wait for a reader, and it could never be read back.
        throw AudioIOError(.cannotCreateOutput, path: path, "is a FIFO or socket; a log must be a file (or a device)")
      case .symlink:
        // A link to an input names the input: refused like any spelling of it, --force or not.
        if let target = Descriptor.status(name, in: directory.descriptor) { try Self.refuseProtected(target, path: path) }
        guard overwrite else {
          throw AudioIOError(.cannotCreateOutput, path: path, "is a symlink (use --force to replace the link itself)")
        }
        _ = Descriptor.unlink(name, in: directory.descriptor)
      default: try Self.refuseProtected(status, path: path)
      }
    }
    guard let claim = ProtectedFiles.claim(directory: directory.descriptor, name: nameBytes) else {
      throw AudioIOError(.cannotCreateOutput, path: path, "is named by another output of this run")
    }
    let opened: Int32
    do {
      opened = try Self.openLockedLog(name, in: directory, path: path)
    } catch {
      ProtectedFiles.release(claim)
      throw error
    }
    ProtectedFiles.protectOutput(descriptor: opened, finished: false)
    self.init(
      descriptor: opened, path: path, isDirect: true, isSeekable: false, overwrite: overwrite, name: nameBytes,
      logDirectory: Descriptor.status(of: opened)?.isRegular == true ? directory : nil)
    self.claim = claim
  }

  /// Opens a log for appending under a shared `flock`, and makes sure it is still the file under
  /// its name once the lock is held: another run compacting the log holds it exclusively until
  /// its rewritten file has replaced this one (`replaceLog`), and appending to the file it
  /// replaced would lose every line. Such a file is closed and the name opened again.
  static func openLockedLog(_ name: String, in directory: OutputDirectory, path: String) throws -> Int32 {
    try directory.openLockedAsNamed(name, lock: .shared) {
      try open(name, in: directory, flags: O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW, path: path)
    }
  }


  /// Makes `name` in `directory` a file of its own when it is hard-linked elsewhere (a `cp -al`
  /// snapshot): its contents are copied to a temporary moved over the name, so that appending
  /// to it never edits the other names' file.
  package static func unshareLog(name: String, in directory: OutputDirectory, path: String) throws {
    guard let status = Descriptor.status(name, in: directory.descriptor, following: false), status.isRegular,
      status.linkCount > 1
    else { return }
    let source = try open(name, in: directory, flags: O_RDONLY | O_NOFOLLOW, path: path)
    defer { try? Descriptor.close(source) }
    let contents: [UInt8]
    do {
      contents = try Descriptor.readAll(source)
    } catch {
      throw AudioIOError(.ioFailure, path: path, "read failed: \(error.text)")
    }
    let temporary = try createTemporary(for: PathBytes.bytes(of: name), in: directory, path: path)
    defer { TemporaryFiles.release(temporary.registration) }
    let temporaryPath = PathBytes.string(fromBytes: temporary.name)
    keepPermissions(of: status, on: temporary.descriptor)
    // Written and closed by hand, not committed: the copy is the log itself, not a new output.
    let (_, writeError) = contents.withUnsafeBytes { Descriptor.writeAll(temporary.descriptor, $0) }
    let (lock, closeError) = Descriptor.closeKeepingTheLock(temporary.descriptor)
    defer { if let lock { try? Descriptor.close(lock) } }
    let at = directory.descriptor
    guard writeError == nil, closeError == nil,
      Descriptor.rename(temporaryPath, to: name, in: at) == 0
    else {
      let reason = (writeError ?? closeError)?.text ?? String(cString: strerror(errno))
      _ = Descriptor.unlink(temporaryPath, in: at)
      throw AudioIOError(.ioFailure, path: path, "cannot copy the hard-linked log: \(reason)")
    }
  }

  /// Replaces a log's whole contents at once (the batch manifest after a completed run): the
  /// new contents go to a temporary beside it, moved over it, so a crash leaves the old log or
  /// the new one, never part of either. Call it last: later appends would reach the old file. A
  /// log that is not a regular file (`/dev/null`) is left as it is.
  /// `write` writes the new contents to the file it is given, in as many pieces as it likes
  /// (a compacted manifest is never held whole in memory).
  package func replaceLog(writing write: (OutputFile) throws -> Void) throws {
    guard let logDirectory else { return }
    let temporary = try Self.createTemporary(for: name, in: logDirectory, path: path)
    let temporaryPath = PathBytes.string(fromBytes: temporary.name)
    defer { TemporaryFiles.release(temporary.registration) }
    let replacement = OutputFile(inPlace: temporary.descriptor, path: path)
    Self.keepPermissions(of: Descriptor.status(of: descriptor), on: temporary.descriptor)
    // The temporary's lock outlasts the replacement's close until the rename (review53 W3).
    let lock = try? Descriptor.duplicate(temporary.descriptor)
    defer { if let lock { try? Descriptor.close(lock) } }
    do {
      try write(replacement)
      ProtectedFiles.protectOutput(descriptor: temporary.descriptor, finished: true)
      try replacement.commit()
      let at = logDirectory.descriptor
      let final = PathBytes.string(fromBytes: name)
      guard Descriptor.rename(temporaryPath, to: final, in: at) == 0
      else { throw Self.createFailure(path, errno) }
    } catch {
      replacement.discard()
      _ = Descriptor.unlink(temporaryPath, in: logDirectory.descriptor)
      throw error
    }
  }
}
