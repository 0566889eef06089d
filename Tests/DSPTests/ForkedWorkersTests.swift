import Glibc
import XCTest

@testable import DSP

/// A process forked after it used the shared worker pools (a training script that loaded a file
/// before its DataLoader forked its workers) has the pools but not their threads: a job given to
/// them never ran, so the child's resampling lost its helpers and every block's job stayed queued
/// for the life of the child. The child gets pools of its own.
final class ForkedWorkersTests: XCTestCase {
  func testAForkedChildGetsPoolsWhoseJobsRun() {
    let workers = 3
    SharedWorkers.pool(workers: workers).submit { _ in }.wait()  // the parent's pool, with threads
    let child = fork()
    if child == 0 {
      alarm(10)  // a job that never runs ends the child by SIGALRM
      SharedWorkers.pool(workers: workers).submit { _ in }.wait()
      _exit(0)
    }
    XCTAssertGreaterThan(child, 0)
    var status: Int32 = 0
    XCTAssertEqual(waitpid(child, &status, 0), child)
    // Exited with 0, not killed by SIGALRM.
    XCTAssertEqual(status, 0, "the child's job did not run (status \(status))")
  }
}
