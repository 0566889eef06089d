import Glibc
import XCTest

@testable import DSP

/// Short-lived pools under load: a pool released before its threads have started must never
/// leave them a dangling reference (#9: `info` over three files aborted with "Attempted to read
/// an unowned reference"). The suite also runs under ThreadSanitizer (`make test-sanitize`).
final class WorkerPoolStressTests: XCTestCase {
  /// Pools created and dropped at once, with and without jobs, from four threads at a time.
  func testManyShortLivedPoolsFromSeveralThreads() {
    DispatchQueue.concurrentPerform(iterations: 4) { _ in
      for round in 0..<300 {
        let pool = WorkerPool(count: 2)
        if round % 2 == 0 {
          var sum = 0
          let lock = MonitorLock()
          let completions = (0..<3).map { value in pool.submit { _ in lock.withLock { sum += value } } }
          for completion in completions { completion.wait() }
          XCTAssertEqual(sum, 3)
        }
        // Dropped here: its deinit joins threads that may not have run yet.
      }
    }
  }

  /// Short runs through the parallel resampler (a pool per run), many at once.
  func testManyShortParallelRunsAtOnce() throws {
    let format = StreamFormat(sampleRate: 44100, channels: 1)
    var configuration = PipelineConfiguration()
    configuration.threads = 2
    let failures = MonitorLock()
    var errors: [String] = []
    DispatchQueue.concurrentPerform(iterations: 4) { worker in
      for length in [1, 7, 441, 4096] {
        for _ in 0..<20 {
          let sink = MemorySink()
          do {
            _ = try Pipeline.run(
              source: MemorySource(samples: [Float](repeating: 0.1, count: length), format: format), sink: sink,
              configuration: configuration)
            if sink.samples.count != configuration.outputFrames(forInputFrames: length, inputRate: 44100) {
              failures.withLock { errors.append("worker \(worker), length \(length): \(sink.samples.count) frames") }
            }
          } catch {
            failures.withLock { errors.append("worker \(worker), length \(length): \(error)") }
          }
        }
      }
    }
    XCTAssertEqual(errors, [])
  }
}

/// The temporary-file registry has no fixed capacity (#9: 256 slots let hundreds of open
/// segments escape SIGTERM's cleanup).
final class TemporaryFilesRegistryTests: XCTestCase {
  func testRegistersFarMoreThanOneBlock() {
    let before = TemporaryFiles.registeredCount
    let count = TemporaryFiles.slotsPerBlock * 20 + 3
    let registrations = (0..<count).map { TemporaryFiles.register(directory: AT_FDCWD, name: Array(".t\($0).tmp".utf8)) }
    XCTAssertEqual(TemporaryFiles.registeredCount, before + count)
    for registration in registrations { TemporaryFiles.release(registration) }
    XCTAssertEqual(TemporaryFiles.registeredCount, before)
  }
}
