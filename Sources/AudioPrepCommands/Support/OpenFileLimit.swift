import DSP
import Glibc

/// The limit of open files (`RLIMIT_NOFILE`, `ulimit -n`) and the batch workers it allows.
///
/// The usual soft limit is 1024 while `-j` goes to 1024: `batch -j 512` under it failed hundreds
/// of valid files with "Too many open files", some blamed on the input, and libgcrypt's lazy
/// set-up, finding no descriptor, aborted the run (review37b V7, V8). So the soft limit is raised
/// to the hard one at start-up, as servers and build tools do, and a batch runs no more workers
/// than the limit then in force has room for.
enum OpenFileLimit {
  /// Descriptors one worker holds at its peak, with room to spare. Measured with `ulimit -n` on
  /// 140 files in 7 formats (WAV, WebM, M4A, MP3, FLAC, Ogg, Opus): `-j 1` needs 10 descriptors
  /// in all, `-j 16` 64, `-j 64` 224 (about 3.5 a worker: the input, the output's temporary, its
  /// directory, a decoder's own); `--segment` 16 and 80 at `-j 1` and `-j 16` (about 4.3).
  static let perWorker = 8
  /// Descriptors kept, beside those open when the workers are counted (standard streams,
  /// inherited ones, the manifest, the output directory), for libraries' files opened on first
  /// use and the end-of-run compaction.
  static let reserve = 16

  /// Raises the soft limit to the hard one (when it is lower); returns the soft limit in force,
  /// nil when there is none.
  @discardableResult
  static func raiseSoftLimit() -> rlim_t? {
    var limit = rlimit()
    guard getrlimit(resource, &limit) == 0 else { return nil }
    if limit.rlim_cur < limit.rlim_max {
      var raised = limit
      raised.rlim_cur = limit.rlim_max
      if setrlimit(resource, &raised) == 0 { limit = raised }
    }
    return limit.rlim_cur == rlim_t.max ? nil : limit.rlim_cur
  }

  /// The workers of `requested` the soft limit has room for (at least one), and the line that
  /// says so when that is fewer.
  static func workers(_ requested: Int) -> (count: Int, note: String?) {
    guard let limit = raiseSoftLimit() else { return (requested, nil) }
    let room = max(1, (Int(clamping: limit) - openNow() - reserve) / perWorker)
    guard room < requested else { return (requested, nil) }
    return (
      room,
      "-j \(requested) lowered to \(room): the limit of open files (ulimit -n \(limit), its hard limit too) "
        + "has room for \(room) worker\(room == 1 ? "" : "s") at \(perWorker) descriptors each, beside the \(openNow()) open"
    )
  }

  /// How many descriptors the process has open (the entries of `/proc/self/fd`, less the
  /// listing's own); 3 when they cannot be listed.
  static func openNow() -> Int {
    guard let listing = opendir("/proc/self/fd") else { return 3 }
    defer { closedir(listing) }
    var count = 0
    while let entry = readdir(listing) {
      if !DirectoryListing.name(of: entry).hasPrefix(".") { count += 1 }  // not "." nor ".."
    }
    return max(0, count - 1)
  }

  /// Whether `message` is the system's for a process or a system out of descriptors (`EMFILE`,
  /// `ENFILE`): an environment limit, never the input's fault.
  static func isExhaustion(_ message: String) -> Bool {
    message.contains(String(cString: strerror(EMFILE))) || message.contains(String(cString: strerror(ENFILE)))
  }

  private static var resource: __rlimit_resource_t { __rlimit_resource_t(RLIMIT_NOFILE.rawValue) }
}
