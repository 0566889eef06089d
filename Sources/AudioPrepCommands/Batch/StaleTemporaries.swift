import DSP
import Glibc

/// Temporaries that dead runs left in an output tree (a `kill -9`, a node lost mid-batch).
///
/// A temporary nobody holds is removed (`UnheldTemporary`; a younger one is looked at again a
/// tenth of a second later). A new output a run left waiting for its settle
/// (".….audioprep-PID-TAG.pending"), or an earlier file it linked aside as it settled
/// (".….earlier"), is removed when its run no longer holds its token there (`RunToken`,
/// `UnheldTemporary.removeIfItsRunIsGone`), once the run's journal, if any, has been taken back
/// or finished (`SettleJournal.finish`). An earlier output an older version kept aside
/// (".kept") is removed when its process no longer runs here and it was kept more than ten
/// minutes ago (the output under its name is the new one). The walk goes by descriptor
/// and never follows a symlink.
enum StaleTemporaries {
  /// Removes stale temporaries in `directory` and below; returns how many.
  @discardableResult
  static func remove(below directory: OutputDirectory) -> Int {
    remove(in: directory.descriptor)
  }

  /// Removes stale temporaries in the open directory `descriptor` (left open) and below.
  private static func remove(in descriptor: Int32) -> Int {
    var removed = 0
    var subdirectories: [String] = []
    var candidates: [String] = []
    var kept: [String] = []
    var waiting: [(name: String, process: pid_t, tag: [UInt8])] = []
    var journals: [String] = []
    var tokens: [(process: pid_t, tag: [UInt8])] = []
    try? DirectoryListing.forEach(in: descriptor) { entry in
      let bytes = PathBytes.bytes(of: entry.name)
      if TemporaryFiles.isTemporaryName(bytes) {
        candidates.append(entry.name)
      } else if let file = TemporaryFiles.waitingFile(bytes) ?? TemporaryFiles.asideFile(bytes) {
        waiting.append((entry.name, file.process, file.tag))
      } else if SettleJournal.owner(ofJournal: bytes) != nil {
        journals.append(entry.name)
      } else if let owner = RunToken.owner(ofToken: bytes) {
        tokens.append(owner)
      } else if let process = TemporaryFiles.keptFileProcess(bytes), UnheldTemporary.isGone(process) {
        kept.append(entry.name)
      } else if entry.isDirectory {
        subdirectories.append(entry.name)
      }
    }
    // A dead run's settle is finished first: what it left waiting then goes only where it had
    // not begun to move its files into place.
    for journal in journals { SettleJournal.finish(journal, in: descriptor) }
    for file in waiting where UnheldTemporary.removeIfItsRunIsGone(file.name, process: file.process, tag: file.tag, in: descriptor) { removed += 1 }
    // Tokens nobody holds (`RunToken.isHeld` removes them).
    for token in tokens { _ = RunToken.isHeld(process: token.process, tag: token.tag, in: descriptor) }
    DeadRuns.removeSettleLockIfUnheld(in: descriptor)
    var young: [String] = []
    for name in candidates {
      switch UnheldTemporary.remove(name, in: descriptor) {
      case .removed: removed += 1
      case .young: young.append(name)
      case .kept: break
      }
    }
    if !young.isEmpty {
      usleep(UInt32(UnheldTemporary.settlingTime * 1e6))
      removed += young.filter { UnheldTemporary.remove($0, in: descriptor) == .removed }.count
    }
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    for name in kept {
      guard let status = Descriptor.status(name, in: descriptor, following: false), status.isRegular,
        seconds(now) - seconds(status.changed) >= 600
      else { continue }
      if Descriptor.unlink(name, in: descriptor) == 0 { removed += 1 }
    }
    for name in subdirectories {
      let child = Descriptor.open(name, in: descriptor, flags: O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
      guard child >= 0 else { continue }
      removed += remove(in: child)
      try? Descriptor.close(child)
    }
    return removed
  }

  private static func seconds(_ time: timespec) -> Double { Double(time.tv_sec) + Double(time.tv_nsec) / 1e9 }
}
