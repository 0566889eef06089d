import Glibc

/// A pthread mutex with one condition variable (monotonic clock): the chunk queue's and the
/// batch runner's only synchronisation.
///
/// Written on pthreads rather than Foundation's `NSCondition` so that neither `DSP` nor the
/// command line loads Foundation (and its ICU data), which alone costs more memory than the
/// whole stream; and rather than Synchronization's `Mutex`, whose futexes ThreadSanitizer cannot
/// see.
package final class MonitorLock: @unchecked Sendable {
  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

  /// `processWide`: a lock any thread of the process may take (a static one), made new and
  /// unlocked in a forked child (`ProcessWideLocks`), where the thread that held it is gone.
  package init(processWide: Bool = false) {
    initialise()
    if processWide { ProcessWideLocks.register(self) }
  }

  private func initialise() {
    pthread_mutex_init(mutex, nil)
    var attributes = pthread_condattr_t()
    pthread_condattr_init(&attributes)
    pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
    pthread_cond_init(condition, &attributes)
    pthread_condattr_destroy(&attributes)
  }

  /// Unlocked again, with no waiter, in a forked child (its only thread is the forking one,
  /// which held none of the process-wide locks: they are held only inside audioprep's calls).
  func initialiseAfterFork() { initialise() }

  deinit {
    pthread_cond_destroy(condition)
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
    condition.deallocate()
  }

  package func lock() { pthread_mutex_lock(mutex) }
  package func unlock() { pthread_mutex_unlock(mutex) }
  /// Waits for `broadcast`; call with the lock held.
  package func wait() { pthread_cond_wait(condition, mutex) }
  /// Waits for `broadcast` or until `seconds` pass; call with the lock held.
  package func wait(seconds: Double) {
    var deadline = timespec()
    clock_gettime(CLOCK_MONOTONIC, &deadline)
    let nanoseconds = Int(deadline.tv_nsec) + Int(seconds * 1e9)
    deadline.tv_sec += nanoseconds / 1_000_000_000
    deadline.tv_nsec = nanoseconds % 1_000_000_000
    pthread_cond_timedwait(condition, mutex, &deadline)
  }
  /// Wakes every waiter; call with the lock held, or right after releasing it when the waiter's
  /// condition was decided under it (the waiter then does not wake only to wait for the lock).
  package func broadcast() { pthread_cond_broadcast(condition) }

  package func withLock<T>(_ body: () throws -> T) rethrows -> T {
    lock()
    defer { unlock() }
    return try body()
  }
}

/// A joinable thread running one closure.
package final class JoinableThread {
  private var thread = pthread_t()
  private final class Box { let body: () -> Void; init(_ body: @escaping () -> Void) { self.body = body } }

  package init(_ body: @escaping @Sendable () -> Void) {
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    let status = pthread_create(&thread, nil, { argument in
      let box = Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue()
      box.body()
      return nil
    }, box)
    precondition(status == 0, "pthread_create failed: \(status)")
  }

  /// Waits for the closure to return.
  package func join() { pthread_join(thread, nil) }

  /// Lets the thread end on its own, without anyone waiting for it (call instead of `join`).
  package func detach() { pthread_detach(thread) }
}

/// Seconds on the monotonic clock.
package func monotonicSeconds() -> Double {
  var now = timespec()
  clock_gettime(CLOCK_MONOTONIC, &now)
  return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
