import Glibc

/// The locks every thread of the process shares (libsndfile's open, FFmpeg's log, the polyphase
/// tables, the worker pools, the protected and temporary files), made unlocked again in a
/// forked child.
///
/// A fork copies the locks but only the forking thread: a lock another thread held at that
/// moment (a `torch.utils.data` worker forked while a prefetching thread of the parent opens a
/// file, libsndfile's open lock held for the header's read) stays locked in the child for ever,
/// and the child's first open waited on it (hostile review of #23, H3: 2 of 50 to 80 forks). The
/// forking thread itself never holds one (each is taken and released within one call into
/// audioprep), so in the child each is made new (`pthread_atfork`'s child handler). What the
/// lock guarded is as the other thread left it: a libsndfile open under way (its handle lost
/// with the thread), or a table or dictionary entry, each changed in a few instructions under
/// its lock. A handler that would take every lock before the fork instead (glibc's own way) could
/// wait for ever in the parent: a pipe's open holds libsndfile's lock until the writer writes,
/// and from Python the writer is a thread that needs the interpreter lock the forking thread
/// holds.
enum ProcessWideLocks {
  nonisolated(unsafe) private static var locks: [MonitorLock] = []

  /// Guards `locks`; made once, with the fork handler.
  nonisolated(unsafe) private static let registration: UnsafeMutablePointer<pthread_mutex_t> = {
    let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    pthread_mutex_init(mutex, nil)
    pthread_atfork(nil, nil) { ProcessWideLocks.initialiseInChild() }
    return mutex
  }()

  /// Adds `lock` to those made new in a forked child (for the life of the process).
  static func register(_ lock: MonitorLock) {
    pthread_mutex_lock(registration)
    locks.append(lock)
    pthread_mutex_unlock(registration)
  }

  private static func initialiseInChild() {
    pthread_mutex_init(registration, nil)
    for lock in locks { lock.initialiseAfterFork() }
  }
}
