@testable import DSP
import Glibc
import XCTest

/// The bounded queue between the processing and the writing thread, with a producer and a
/// consumer on threads of their own: order, losslessness, the bound, drop-oldest, and that a
/// side is woken only when its condition turns (#22).
final class ChunkQueueTests: XCTestCase {
  /// Pushes 0..<count on a thread of its own (sleeping `producerPause` µs every 7 chunks),
  /// pops on this one (sleeping `consumerPause` µs every 5); returns what was popped.
  func exchange(
    _ queue: ChunkQueue, count: Int, producerPause: UInt32 = 0, consumerPause: UInt32 = 0
  ) -> [Float] {
    let producer = JoinableThread {
      for value in 0..<count {
        queue.push(AudioChunk(samples: [Float(value)], channels: 1))
        if producerPause > 0 && value % 7 == 0 { usleep(producerPause) }
      }
      queue.close()
    }
    var seen: [Float] = []
    while let chunk = queue.pop() {
      seen += chunk.samples
      if consumerPause > 0 && seen.count % 5 == 0 { usleep(consumerPause) }
    }
    producer.join()
    return seen
  }

  func testBatchedHandOverKeepsEveryChunkInOrderWithinTheBound() {
    for (producerPause, consumerPause) in [(0, 0), (300, 0), (0, 300)] as [(UInt32, UInt32)] {
      for wakeBatch in [1, 5, 10] {
        let queue = ChunkQueue(capacity: 10, policy: .block, wakeBatch: wakeBatch)
        let seen = exchange(queue, count: 2000, producerPause: producerPause, consumerPause: consumerPause)
        XCTAssertEqual(seen, (0..<2000).map(Float.init), "batch \(wakeBatch), pauses \(producerPause)/\(consumerPause)")
        XCTAssertLessThanOrEqual(queue.highWaterMark, 10)
        XCTAssertEqual(queue.droppedChunks, 0)
      }
    }
  }

  /// A waiting consumer is woken by the push that makes a batch, not before; a waiting
  /// producer by the pop that frees a batch of places. Step by step, so that the count does
  /// not depend on how the threads are scheduled.
  func testWakesTheOtherSideOncePerBatch() {
    for wakeBatch in [1, 5] {
      let queue = ChunkQueue(capacity: 10, policy: .block, wakeBatch: wakeBatch)
      let consumer = JoinableThread { _ = queue.pop() }
      waitUntil { queue.consumerIsWaiting }
      for value in 0..<(wakeBatch - 1) {
        queue.push(AudioChunk(samples: [Float(value)], channels: 1))
        XCTAssertEqual(queue.wakeups, 0, "batch \(wakeBatch): woken at \(value + 1) chunks")
        XCTAssertTrue(queue.consumerIsWaiting)
      }
      queue.push(AudioChunk(samples: [0], channels: 1))
      XCTAssertEqual(queue.wakeups, 1, "batch \(wakeBatch): not woken at a whole batch")
      consumer.join()
      XCTAssertEqual(queue.wakeups, 1)

      // The consumer took one of the batch; fill the queue, and one more push waits for room.
      for _ in 0..<(10 - (wakeBatch - 1)) { queue.push(AudioChunk(samples: [1], channels: 1)) }
      XCTAssertEqual(queue.highWaterMark, 10)
      let producer = JoinableThread { queue.push(AudioChunk(samples: [2], channels: 1)) }
      waitUntil { queue.producerIsWaiting }
      for taken in 0..<(wakeBatch - 1) {
        _ = queue.pop()
        XCTAssertEqual(queue.wakeups, 1, "batch \(wakeBatch): producer woken at \(taken + 1) places")
        XCTAssertTrue(queue.producerIsWaiting)
      }
      _ = queue.pop()
      XCTAssertEqual(queue.wakeups, 2, "batch \(wakeBatch): producer not woken at a batch of places")
      producer.join()
    }
  }

  /// Spins until `condition` holds (the other thread has reached its wait); fails after 60 s.
  private func waitUntil(_ condition: () -> Bool, line: UInt = #line) {
    for _ in 0..<600_000 {
      if condition() { return }
      usleep(100)
    }
    XCTFail("the other thread never waited", line: line)
  }

  /// Live capture: the oldest chunk goes when the queue is full, every chunk is either written
  /// or counted, and what is written stays in order.
  func testDropOldestUnderASlowConsumer() {
    let queue = ChunkQueue(capacity: 10, policy: .dropOldest)
    let seen = exchange(queue, count: 2000, consumerPause: 500)
    XCTAssertEqual(seen.count + queue.droppedChunks, 2000)
    XCTAssertGreaterThan(queue.droppedChunks, 0)
    XCTAssertEqual(seen, seen.sorted())
    XCTAssertEqual(seen.last, 1999)
  }

  /// A live queue drops only when its consumer has taken nothing for `dropPatience` while there
  /// was something to take: a consumer that waited for chunks (a live input's bytes arriving a
  /// block at a time) and is then handed a burst is not behind (review40 G06: 1 to 16-sample
  /// chunks of raw input paced at real time lost 599 to 5868 chunks written to a file).
  func testALiveQueueDoesNotDropABurstAfterTheConsumerWaited() {
    let queue = ChunkQueue(capacity: 2, policy: .dropOldest, dropPatience: 0.25)
    let producer = JoinableThread {
      for burst in 0..<4 {
        usleep(300_000)  // the consumer waits in pop longer than the patience
        for value in 0..<50 { queue.push(AudioChunk(samples: [Float(burst * 50 + value)], channels: 1)) }
      }
      queue.close()
    }
    var seen: [Float] = []
    while let chunk = queue.pop() { seen += chunk.samples }
    producer.join()
    XCTAssertEqual(queue.droppedChunks, 0)
    XCTAssertEqual(seen, (0..<200).map(Float.init))
  }

  /// A consumer that cancels releases a producer blocked on a full queue.
  func testCancelReleasesABlockedProducer() {
    let queue = ChunkQueue(capacity: 10, policy: .block, wakeBatch: 5)
    let producer = JoinableThread {
      var value: Float = 0
      while queue.push(AudioChunk(samples: [value], channels: 1)) { value += 1 }
    }
    for _ in 0..<3 { _ = queue.pop() }
    queue.cancel()
    producer.join()
    XCTAssertNil(queue.pop())
  }
}
