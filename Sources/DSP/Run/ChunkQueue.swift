/// A bounded queue of chunks between two threads, like the browser's per-session buffer.
///
/// `.block` makes the producer wait while the queue is full (lossless, for offline work);
/// `.dropOldest` discards the oldest queued chunk instead and counts it (live capture, as the
/// browser code did), once the consumer has taken none for `dropPatience` seconds, counted from
/// when it last took one (a stalled consumer costs the producer one wait, not one a chunk): a decoder
/// answering in bursts (libmpg123 waits for 16 KiB of an MP3) hands many chunks over at once,
/// faster than a consumer keeping up with real time is scheduled to take them (review39 F19:
/// `--live` fed at real time lost a quarter of them); one slower than real time loses the
/// oldest.
///
/// A side is woken only when it waits and its condition has turned: a waiting consumer when
/// `wakeBatch` chunks are queued (or the stream closed), a waiting producer when `wakeBatch`
/// places are free. `wakeBatch` 1 hands over every chunk at once (streams, live capture); a
/// file's run takes a larger one, so that each side sleeps and wakes once per several chunks
/// instead of once per chunk. What is held, when the producer blocks and what is dropped do
/// not depend on it.
public final class ChunkQueue: @unchecked Sendable {
  /// What `push` does when the queue is full.
  public enum Policy: Sendable {
    case block
    case dropOldest
  }

  /// Most chunks held at once.
  public let capacity: Int
  public let policy: Policy
  /// Chunks (or free places) that wake a waiting consumer (or producer).
  public let wakeBatch: Int
  /// How long a full `.dropOldest` queue waits for the consumer before it drops.
  public let dropPatience: Double
  private let condition = MonitorLock()
  private var consumerWaits = false
  private var producerWaits = false
  private var ring: [AudioChunk?]
  private var head = 0
  private var count = 0
  private var closed = false
  private var cancelled = false
  private var _dropped = 0
  private var _highWater = 0
  private var _pushWaitSeconds: Double = 0
  private var _popWaitSeconds: Double = 0
  private var _wakeups = 0
  /// When the consumer last took a chunk, or was last given one to take after the queue was
  /// empty (waiting for chunks is not falling behind).
  private var lastTaken = monotonicSeconds()

  public init(capacity: Int, policy: Policy = .block, wakeBatch: Int = 1, dropPatience: Double = 0) {
    precondition(capacity > 0, "a queue holds at least one chunk")
    self.capacity = capacity
    self.policy = policy
    self.dropPatience = dropPatience
    self.wakeBatch = max(1, min(wakeBatch, capacity))
    ring = Array(repeating: nil, count: capacity)
  }

  /// Chunks discarded by `.dropOldest`.
  public var droppedChunks: Int { condition.withLock { _dropped } }
  /// The most chunks ever held at once.
  public var highWaterMark: Int { condition.withLock { _highWater } }
  /// Seconds producers spent waiting for room (`.block` only).
  public var pushWaitSeconds: Double { condition.withLock { _pushWaitSeconds } }
  /// Seconds consumers spent waiting for a chunk.
  public var popWaitSeconds: Double { condition.withLock { _popWaitSeconds } }
  /// Times `push` or `pop` woke the other side (for tests of the hand-over).
  var wakeups: Int { condition.withLock { _wakeups } }
  /// Whether a consumer is waiting in `pop` (for tests of the hand-over).
  var consumerIsWaiting: Bool { condition.withLock { consumerWaits } }
  /// Whether a producer is waiting in `push` (for tests of the hand-over).
  var producerIsWaiting: Bool { condition.withLock { producerWaits } }

  /// Queues `chunk`; blocks while full under `.block`. Returns false once the consumer has
  /// cancelled, so the producer can stop.
  @discardableResult
  public func push(_ chunk: AudioChunk) -> Bool {
    condition.lock()
    // The other side is woken after the lock is released, so that it does not wake only to
    // wait for the lock.
    var wakes = false
    defer {
      condition.unlock()
      if wakes { condition.broadcast() }
    }
    precondition(!closed, "push after close")
    if count == capacity && policy == .block && !cancelled {
      let started = monotonicSeconds()
      while count == capacity && !cancelled {
        producerWaits = true  // cleared by whoever wakes it
        condition.wait()
      }
      producerWaits = false
      _pushWaitSeconds += monotonicSeconds() - started
    }
    if count == capacity && policy == .dropOldest && dropPatience > 0 && !cancelled {
      var now = monotonicSeconds()
      while count == capacity && !cancelled && now < lastTaken + dropPatience {
        producerWaits = true  // cleared by whoever wakes it
        condition.wait(seconds: lastTaken + dropPatience - now)
        now = monotonicSeconds()
      }
      producerWaits = false
    }
    if cancelled { return false }
    if count == capacity {
      ring[head] = nil
      head = (head + 1) % capacity
      count -= 1
      _dropped += 1
    }
    if count == 0 && policy == .dropOldest { lastTaken = monotonicSeconds() }
    ring[(head + count) % capacity] = chunk
    count += 1
    _highWater = max(_highWater, count)
    if consumerWaits && count >= wakeBatch {
      consumerWaits = false
      _wakeups += 1
      wakes = true
    }
    return true
  }

  /// The next chunk, waiting for one; nil once the producer has closed and all are taken.
  public func pop() -> AudioChunk? {
    condition.lock()
    var wakes = false
    defer {
      condition.unlock()
      if wakes { condition.broadcast() }
    }
    if count == 0 && !closed && !cancelled {
      let started = monotonicSeconds()
      while count < wakeBatch && !closed && !cancelled {
        consumerWaits = true  // cleared by whoever wakes it
        condition.wait()
      }
      consumerWaits = false
      _popWaitSeconds += monotonicSeconds() - started
    }
    guard count > 0, !cancelled else { return nil }
    let chunk = ring[head]
    ring[head] = nil
    head = (head + 1) % capacity
    count -= 1
    if policy == .dropOldest { lastTaken = monotonicSeconds() }
    if producerWaits && count <= capacity - wakeBatch {
      producerWaits = false
      _wakeups += 1
      wakes = true
    }
    return chunk
  }

  /// The producer's end of stream.
  public func close() {
    condition.withLock {
      closed = true
      condition.broadcast()
    }
  }

  /// The consumer gives up: pending and future pushes return false, pops return nil.
  public func cancel() {
    condition.withLock {
      cancelled = true
      condition.broadcast()
    }
  }
}
