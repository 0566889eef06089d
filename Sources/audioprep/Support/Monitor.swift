import Glibc

/// A pthread mutex with one condition variable, for the batch's shared counters and queue.
///
/// The CLI's own copy of the idea behind `DSP`'s internal `MonitorLock`, with a timed wait so that
/// the progress line can be redrawn while workers run. Foundation's `NSCondition` would do the
/// same but loads Foundation.
final class Monitor: @unchecked Sendable {
  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

  init() {
    pthread_mutex_init(mutex, nil)
    var attributes = pthread_condattr_t()
    pthread_condattr_init(&attributes)
    pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
    pthread_cond_init(condition, &attributes)
    pthread_condattr_destroy(&attributes)
  }

  deinit {
    pthread_cond_destroy(condition)
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
    condition.deallocate()
  }

  func withLock<T>(_ body: () throws -> T) rethrows -> T {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body()
  }

  /// Waits for `broadcast` or until `seconds` pass; call inside `withLock`.
  func wait(seconds: Double) {
    var deadline = timespec()
    clock_gettime(CLOCK_MONOTONIC, &deadline)
    let nanoseconds = Int(deadline.tv_nsec) + Int(seconds * 1e9)
    deadline.tv_sec += nanoseconds / 1_000_000_000
    deadline.tv_nsec = nanoseconds % 1_000_000_000
    pthread_cond_timedwait(condition, mutex, &deadline)
  }

  /// Wakes every waiter; call inside `withLock`.
  func broadcast() { pthread_cond_broadcast(condition) }
}

/// Runs `count` threads on `body(index)` and returns a function that joins them all.
func startThreads(count: Int, _ body: @escaping @Sendable (Int) -> Void) -> () -> Void {
  final class Box {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
  }
  var threads: [pthread_t] = []
  for index in 0..<count {
    var thread = pthread_t()
    let box = Unmanaged.passRetained(Box { body(index) }).toOpaque()
    let status = pthread_create(&thread, nil, { argument in
      Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue().body()
      return nil
    }, box)
    precondition(status == 0, "pthread_create failed: \(status)")
    threads.append(thread)
  }
  return { for thread in threads { pthread_join(thread, nil) } }
}

/// Seconds on the monotonic clock.
func monotonicNow() -> Double {
  var now = timespec()
  clock_gettime(CLOCK_MONOTONIC, &now)
  return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
