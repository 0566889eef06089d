import Glibc

/// A fixed set of threads taking jobs first-in first-out. Each job reports completion on its own
/// `Completion`, so a caller can wait for results in the order it submitted them.
final class WorkerPool: @unchecked Sendable {
  /// A job's end, waited for by whoever submitted it.
  final class Completion: @unchecked Sendable {
    private let lock = MonitorLock()
    private var done = false

    func signal() {
      lock.withLock {
        done = true
        lock.broadcast()
      }
    }

    func wait() {
      lock.lock()
      while !done { lock.wait() }
      lock.unlock()
    }
  }

  /// The queue the threads share. They hold it strongly, not the pool: the pool's `deinit`
  /// then runs when its last user lets go, and stops and joins them. (Threads that captured the
  /// pool itself kept it alive once started, so pools and their threads leaked, and a thread
  /// that started after the pool's release read a dead reference and aborted the process.)
  private final class Queue: @unchecked Sendable {
    let lock = MonitorLock()
    var jobs: [(_ worker: Int) -> Void] = []
    var stopping = false

    func loop(_ worker: Int) {
      while true {
        lock.lock()
        while jobs.isEmpty && !stopping { lock.wait() }
        if jobs.isEmpty {
          lock.unlock()
          return
        }
        let job = jobs.removeFirst()
        lock.unlock()
        job(worker)
      }
    }
  }

  private let queue = Queue()
  private var threads: [JoinableThread] = []

  /// Starts `count` threads; each job learns which worker (0..<count) runs it.
  init(count: Int) {
    for worker in 0..<count {
      threads.append(JoinableThread { [queue] in queue.loop(worker) })
    }
  }

  /// Queues `job`; returns a completion to wait on.
  func submit(_ job: @escaping (_ worker: Int) -> Void) -> Completion {
    let completion = Completion()
    queue.lock.withLock {
      queue.jobs.append { worker in
        job(worker)
        completion.signal()
      }
      queue.lock.broadcast()
    }
    return completion
  }

  /// Finishes queued jobs, then stops and joins every thread.
  func shutdown() {
    queue.lock.withLock {
      queue.stopping = true
      queue.lock.broadcast()
    }
    for thread in threads { thread.join() }
    threads = []
  }

  deinit { if !threads.isEmpty { shutdown() } }
}

/// Online processors, for a default thread count.
public func availableCores() -> Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
