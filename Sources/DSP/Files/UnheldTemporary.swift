import Glibc

/// A temporary of `OutputFile`'s that a dead run left behind (a `kill -9`, a lost node): a live
/// writer holds a `flock` on its temporary from its creation, so one nobody
/// holds, unchanged for `settlingTime`, belongs to a run that is gone (on this machine or another
/// sharing the file system) and may be removed. Used by a batch's clean-up of its output tree
/// and by the polyphase table store's saves.
package enum UnheldTemporary {
  /// How long a temporary may go unlocked after its creation: where the file system makes no
  /// unnamed files, the instant between its `open` and its `flock`
  /// (`OutputDirectory.createLocked`; elsewhere it is locked before it has a name).
  package static let settlingTime = 0.1

  package enum Outcome { case removed, young, kept }

  /// Removes the temporary `name` in the open directory `directory` when nobody holds it and it
  /// is older than `settlingTime`; `.young` when nobody holds it yet but it is younger (look
  /// again after `settlingTime`: a dead run's last write may be an instant old); `.kept` when a
  /// writer holds it, or it is not a regular file. Never follows a symlink.
  package static func remove(_ name: String, in directory: Int32) -> Outcome {
    let file = Descriptor.open(name, in: directory, flags: O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
    guard file >= 0 else { return .kept }
    defer { try? Descriptor.close(file) }
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    guard let status = Descriptor.status(of: file), status.isRegular, (try? Descriptor.lock(file, .exclusive, wait: false)) != nil
    else { return .kept }
    guard seconds(now) - seconds(status.modified) >= settlingTime else { return .young }
    return Descriptor.unlink(name, in: directory) == 0 ? .removed : .kept
  }

  /// Removes `name`, a new output a run left waiting in `directory` (`TemporaryFiles.waitingFile`),
  /// when that run (`process`, `tag`) no longer holds its token there (`RunToken`): a run that
  /// never settled (a `kill -9`), whose earlier outputs are all still under their names, so
  /// nothing a user had is lost (review42 W02: they stayed however many runs followed). True
  /// when it is gone.
  @discardableResult
  /// This process's own are never a dead run's, even where its token could not be made (review50
  /// H03: a device out of inodes; the run removed its own waiting statistics, then failed after
  /// replacing its segments elsewhere).
  /// Only a regular file goes: a link, a FIFO or a directory at such a name is not a run's
  /// (review52 W4: a symlink or FIFO there was removed).
  package static func removeIfItsRunIsGone(_ name: String, process: pid_t, tag: [UInt8], in directory: Int32) -> Bool {
    !TemporaryFiles.isThisProcess(process, tag: tag) && Descriptor.status(name, in: directory, following: false)?.isRegular == true
      && !RunToken.isHeld(process: process, tag: tag, in: directory) && Descriptor.unlink(name, in: directory) == 0
  }

  /// Whether `process` no longer runs on this machine.
  package static func isGone(_ process: pid_t) -> Bool { kill(process, 0) != 0 && errno == ESRCH }

  private static func seconds(_ time: timespec) -> Double { Double(time.tv_sec) + Double(time.tv_nsec) / 1e9 }
}
