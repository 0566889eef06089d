import Glibc

/// The sign, in a directory, that the run which left files waiting there is still running:
/// ".run.audioprep-PID-TAG.live", `flock`ed by that process for as long as it has a file waiting
/// to move into place there (`OutputFile.movesAtSettle`) or a settle journal there
/// (`SettleJournal`). TAG is the process's own (`TemporaryFiles.runTag`), and its waiting files
/// and journals carry it too, so another process, on this machine or another sharing the file
/// system, in this PID namespace or another, tells a live run's files from a dead one's by the
/// lock alone (review43 H01: a run that was PID 1 in a container never counted as gone, as
/// `kill(1, 0)` always succeeds; H04: a batch on another machine sharing the out-dir removed the
/// waiting files of a live run, whose PID was not on that machine).
///
/// A token nobody holds is a dead run's: it goes with what that run left (`StaleTemporaries`,
/// `CommittedOutputs.removeTemporariesDeadRunsLeft`). A process signalled to stop removes its
/// own (registered with `TemporaryFiles`).
package enum RunToken {
  private struct Held {
    let directory: OutputDirectory
    let descriptor: Int32
    let registration: TemporaryFiles.Registration
    var count: Int
  }

  nonisolated(unsafe) private static var held: [ProtectedFiles.Identity: Held] = [:]
  private static let lock = MonitorLock(processWide: true)

  static let suffix = ".live"

  /// This process's token name.
  static var name: [UInt8] { TemporaryFiles.temporaryName(for: Array("run".utf8), suffix: suffix, tag: TemporaryFiles.runTag) }

  /// Holds this process's token in `directory` (created and locked at the first hold there);
  /// each hold is let go by one `release`. The directory's identity, or nil when the token
  /// could not be made (the files then count as a dead run's to a later run, as before tokens).
  static func hold(in directory: OutputDirectory) -> ProtectedFiles.Identity? {
    guard let identity = directory.identity else { return nil }
    return lock.withLock {
      if held[identity] != nil {
        held[identity]!.count += 1
        return identity
      }
      let name = Self.name
      let registration = TemporaryFiles.register(directory: directory.descriptor, name: name)
      let shown = PathBytes.string(fromBytes: name)
      // Made locked; one found under the name is checked to be the file there once locked:
      // another process's `isHeld` may have found it unlocked in between and removed it.
      let opened = try? directory.openLockedAsNamed(shown, lock: .exclusive) {
        let opened = directory.openOrCreateLocked(shown, flags: O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, lock: .exclusive)
        guard opened >= 0 else { throw AudioIOError(.cannotCreateOutput, path: shown, String(cString: strerror(errno))) }
        return opened
      }
      guard let opened else {
        TemporaryFiles.release(registration)
        return nil
      }
      held[identity] = Held(directory: directory, descriptor: opened, registration: registration, count: 1)
      return identity
    }
  }

  /// Lets go of one hold; the last one removes the token.
  static func release(_ identity: ProtectedFiles.Identity?) {
    guard let identity else { return }
    lock.withLock {
      guard var token = held[identity] else { return }
      token.count -= 1
      guard token.count == 0 else {
        held[identity] = token
        return
      }
      held[identity] = nil
      _ = Descriptor.unlink(PathBytes.string(fromBytes: name), in: token.directory.descriptor)
      TemporaryFiles.release(token.registration)
      try? Descriptor.close(token.descriptor)
    }
  }

  /// Whether the run `process` (its `tag`) still holds its token in the open `directory`.
  /// A token nobody holds is removed on the way.
  package static func isHeld(process: pid_t, tag: [UInt8], in directory: Int32) -> Bool {
    let name = PathBytes.string(fromBytes: Array(".run.audioprep-\(process)-".utf8) + tag + Array(suffix.utf8))
    let opened = Descriptor.open(name, in: directory, flags: O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
    guard opened >= 0 else { return false }
    defer { try? Descriptor.close(opened) }
    // Something else than a token file at its name (a FIFO) is no run's, and stays.
    guard Descriptor.status(of: opened)?.isRegular == true else { return false }
    guard (try? Descriptor.lock(opened, .exclusive, wait: false)) != nil else { return true }
    _ = Descriptor.unlink(name, in: directory)
    return false
  }

  /// The process and tag of a token `name`, or nil for another name.
  package static func owner(ofToken name: [UInt8]) -> (process: pid_t, tag: [UInt8])? {
    TemporaryFiles.owner(of: name, suffix: suffix)
  }
}
