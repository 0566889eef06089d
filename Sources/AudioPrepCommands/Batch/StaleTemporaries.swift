import DSP
import Glibc

/// Temporaries that dead runs left in an output tree (a `kill -9`, a node lost mid-batch).
///
/// In each directory, what a dead run left around its settle goes first (`DeadRuns.clear`: its
/// journal taken back or finished, its waiting and aside files, tokens, the unheld settle lock).
/// Then a temporary nobody holds is removed (`UnheldTemporary`; a younger one is looked at again
/// a tenth of a second later), and an earlier output an older version kept aside (".kept") when
/// its process no longer runs here and it was kept more than ten minutes ago (the output under
/// its name is the new one), and a segment set's lock file nobody holds. The walk goes by
/// descriptor and never follows a symlink.
enum StaleTemporaries {
  /// A segment set's lock beside its sidecar (`OutputSetLock`): one nobody holds is a killed
  /// run's, and goes (review63 O2).
  static let sidecarLockSuffix = ".segments.jsonl.lock"

  /// Removes stale temporaries in `directory` and below.
  static func remove(below directory: OutputDirectory) {
    remove(in: directory.descriptor)
  }

  /// Removes stale temporaries in the open directory `descriptor` (left open) and below.
  private static func remove(in descriptor: Int32) {
    var subdirectories: [String] = []
    var candidates: [String] = []
    var kept: [String] = []
    var locks: [String] = []
    DeadRuns.clear(in: descriptor) { entry in
      let bytes = PathBytes.bytes(of: entry.name)
      if TemporaryFiles.isTemporaryName(bytes) {
        candidates.append(entry.name)
      } else if let process = TemporaryFiles.keptFileProcess(bytes), UnheldTemporary.isGone(process) {
        kept.append(entry.name)
      } else if entry.isDirectory {
        subdirectories.append(entry.name)
      } else if entry.name.hasSuffix(Self.sidecarLockSuffix) {
        locks.append(entry.name)
      }
    }
    for name in locks { OutputSetLock.removeIfUnheld(name, in: descriptor) }
    let young = candidates.filter { UnheldTemporary.remove($0, in: descriptor) == .young }
    if !young.isEmpty {
      usleep(UInt32(UnheldTemporary.settlingTime * 1e6))
      for name in young { _ = UnheldTemporary.remove(name, in: descriptor) }
    }
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    for name in kept {
      guard let status = Descriptor.status(name, in: descriptor, following: false), status.isRegular,
        seconds(now) - seconds(status.changed) >= 600
      else { continue }
      _ = Descriptor.unlink(name, in: descriptor)
    }
    for name in subdirectories {
      let child = Descriptor.open(name, in: descriptor, flags: O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
      guard child >= 0 else { continue }
      remove(in: child)
      try? Descriptor.close(child)
    }
  }

  private static func seconds(_ time: timespec) -> Double { Double(time.tv_sec) + Double(time.tv_nsec) / 1e9 }
}
