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

  /// A signal between keeping an earlier file aside (a hard link to it) and moving the new one
  /// into place: the kept name and the name are links to one file, and rename(2) between two
  /// links to one file does nothing, so the kept link stayed (`.NAME.audioprep-….kept`, found
  /// by a hostile review interrupting exports). The handler leaves the name, and no kept link.
  func testASignalWhileTheEarlierFileIsKeptAsideLeavesNoKeptLink() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kept-\(UUID())").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try Data("earlier".utf8).write(to: URL(fileURLWithPath: directory + "/a.txt"))
    let descriptor = open(directory, O_RDONLY | O_DIRECTORY)
    XCTAssertGreaterThanOrEqual(descriptor, 0)
    defer { close(descriptor) }
    let kept = TemporaryFiles.temporaryName(for: Array("a.txt".utf8), suffix: ".kept")
    let child = fork()
    if child == 0 {
      TemporaryFiles.install(.exitAtOnce)
      _ = TemporaryFiles.registerRestore(directory: descriptor, kept: kept, name: Array("a.txt".utf8))
      let linked = kept.withUnsafeBufferPointer { keptBytes in
        linkat(descriptor, "a.txt", descriptor, String(decoding: keptBytes, as: UTF8.self), 0)
      }
      if linked != 0 { _exit(3) }
      raise(SIGTERM)
      _exit(4)  // not reached: the handler exits 128 + 15
    }
    var status: Int32 = 0
    XCTAssertEqual(waitpid(child, &status, 0), child)
    XCTAssertEqual((status >> 8) & 0xff, 128 + SIGTERM)
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["a.txt"])
    XCTAssertEqual(try String(contentsOfFile: directory + "/a.txt", encoding: .utf8), "earlier")
  }
}
