import Glibc

/// The parts of one block, taken by whichever thread comes first: the calling thread computes
/// every part no worker has started, so a worker that the scheduler keeps waiting (two cores
/// shared with other processes) never holds the stream back. A worker that starts after all
/// parts are taken does nothing, and touches none of the block's buffers.
final class PartClaims: @unchecked Sendable {
  private let lock = MonitorLock()
  private let parts: Int
  private var next = 0
  private var done = 0

  init(parts: Int) { self.parts = parts }

  /// Parts the pool's workers computed (the rest the calling thread did).
  private var doneByHelpers = 0
  /// The calling thread waits for a helper's part in progress.
  private var callerWaits = false

  /// What the helpers did for one block: parts they computed, and seconds the calling thread
  /// then waited for parts they had in progress.
  struct Help {
    var parts = 0
    var waitedSeconds = 0.0
  }

  /// Runs `render` for parts 0..<parts on the calling thread and up to `helpers` of `pool`'s
  /// workers; returns when every part is done, with what the workers did.
  @discardableResult
  static func run(parts: Int, pool: WorkerPool?, helpers: Int, _ render: @escaping (Int) -> Void) -> Help {
    guard parts > 1, helpers > 0, let pool else {
      for part in 0..<parts { render(part) }
      return Help()
    }
    let claims = PartClaims(parts: parts)
    for _ in 0..<min(helpers, parts - 1) { _ = pool.submit { _ in claims.work(render, helper: true) } }
    claims.work(render, helper: false)
    return claims.waitUntilAllDone()
  }

  /// Computes parts until none is left.
  func work(_ render: (Int) -> Void, helper: Bool) {
    while let part = claim() {
      render(part)
      lock.withLock {
        done += 1
        if helper { doneByHelpers += 1 }
        // Only the caller ever waits, and only for the last part.
        if done == parts && callerWaits { lock.broadcast() }
      }
    }
  }

  /// Waits for the parts in progress; returns what the helpers did.
  func waitUntilAllDone() -> Help {
    lock.lock()
    var help = Help()
    if done < parts {
      let started = monotonicSeconds()
      while done < parts {
        callerWaits = true
        lock.wait()
      }
      help.waitedSeconds = monotonicSeconds() - started
    }
    help.parts = doneByHelpers
    lock.unlock()
    return help
  }

  private func claim() -> Int? {
    lock.withLock {
      guard next < parts else { return nil }
      next += 1
      return next - 1
    }
  }
}

/// Worker pools shared by every polyphase node of the process, one per size, never torn down:
/// a batch builds a node per file, and a pool per file would start and stop threads each time.
/// A node's calling thread computes whatever parts no worker has taken and only waits for parts
/// in progress, so nodes of files processed at once share one pool without waiting on each other.
///
/// A forked child (a Python dataloader's worker) inherits the pools but none of their threads:
/// it starts pools of its own, and keeps the parent's unused (their threads cannot be joined).
enum SharedWorkers {
  nonisolated(unsafe) private static var pools: [Int: WorkerPool] = [:]
  /// The process the pools' threads run in.
  nonisolated(unsafe) private static var owner: pid_t = getpid()
  /// A forked child's inherited pools, threadless, held so that they are never shut down.
  nonisolated(unsafe) private static var inherited: [WorkerPool] = []
  private static let lock = MonitorLock(processWide: true)

  static func pool(workers: Int) -> WorkerPool {
    lock.withLock {
      if owner != getpid() {
        inherited += pools.values
        pools = [:]
        owner = getpid()
      }
      if let pool = pools[workers] { return pool }
      let pool = WorkerPool(count: workers)
      pools[workers] = pool
      return pool
    }
  }
}
