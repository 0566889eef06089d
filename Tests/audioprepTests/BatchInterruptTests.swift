import Foundation
import TestSupport
import XCTest

/// SIGINT and SIGTERM sent to a running batch: finished inputs stay, in-flight ones are
/// discarded, the manifest stays parseable, and a rerun completes the rest.
final class BatchInterruptTests: XCTestCase {
  var directory = ""
  var corpus: TestCorpus!

  override func setUpWithError() throws {
    directory = try scratchDirectory(self)
    // Three stereo files sort last: they are in flight when the small ones are done: 60 s each,
    // a few seconds' work for the release binary and for the sanitizers' unoptimised ones (10 s
    // under a sanitizer took 0.8 s once appending zeros stopped going element by element there,
    // stop 52, and a long input finished before the signal came).
    corpus = try TestCorpus(at: directory + "/corpus", longSeconds: 60)
  }

  /// Runs the batch with `--progress` and sends `signal` once a progress line reports at least
  /// `done` finished inputs. The signal follows what the batch reports, not a clock.
  func runInterrupted(signal: Int32, whenDone done: Int) throws -> (status: Int32, stderr: String, signalled: Bool) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: audioprepPath)
    process.arguments = ["batch", "corpus", "--out-dir", "out", "-j", "2", "--progress"] + Self.slowChain
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    var text = ""
    var signalled = false
    var buffer = Data()
    while true {
      let data = errors.fileHandleForReading.availableData
      if data.isEmpty { break }
      buffer += data
      while let newline = buffer.firstIndex(of: 0x0A) {
        let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
        buffer = Data(buffer[buffer.index(after: newline)...])
        text += line + "\n"
        if !signalled, let count = Self.doneCount(line), count >= done {
          kill(process.processIdentifier, signal)
          signalled = true
        }
      }
    }
    process.waitUntilExit()
    return (process.terminationStatus, text, signalled)
  }

  /// The long inputs resampled the slow way (libsamplerate's best sinc, frame by frame, one
  /// thread): with the release binary a 60 s file then takes about a second, far longer than a
  /// progress line (at most every half second into a pipe) and a signal take to arrive.
  static let slowChain = ["--converter", "best", "--resampler", "libsamplerate-direct", "--threads", "1"]

  /// 12 in "audioprep: batch: 12/47 files, …".
  static func doneCount(_ line: String) -> Int? {
    guard line.hasPrefix("audioprep: batch: "), line.contains(" files, ") else { return nil }
    return Int(line.dropFirst("audioprep: batch: ".count).prefix { $0 != "/" })
  }

  /// Every output under its final name is complete, and no temporary file is left.
  func assertOutputsComplete(file: StaticString = #filePath, line: UInt = #line) throws -> Int {
    var complete = 0
    for relative in corpus.good {
      let output = TestCorpus.outputPath(relative, in: directory + "/out")
      guard FileManager.default.fileExists(atPath: output) else { continue }
      let input = try XCTUnwrap(TestCorpus.info(directory + "/corpus/" + relative))
      let written = try XCTUnwrap(TestCorpus.info(output), relative, file: file, line: line)
      XCTAssertEqual(
        Double(written.frames), Double(input.frames) * 16000 / Double(input.rate), accuracy: 2, relative,
        file: file, line: line)
      complete += 1
    }
    let leftovers = filesBelow(directory + "/out").filter { $0.hasSuffix(".tmp") }
    XCTAssertEqual(leftovers, [], "temporary files left behind", file: file, line: line)
    return complete
  }

  func testSIGINTMidBatchLeavesOnlyCompleteOutputsAndTheRerunCompletes() throws {
    let smallInputs = corpus.all.count - 3
    let run = try runInterrupted(signal: SIGINT, whenDone: smallInputs)
    XCTAssertTrue(run.signalled, run.stderr)
    XCTAssertEqual(run.status, 130, run.stderr)
    XCTAssertTrue(run.stderr.contains("interrupted (SIGINT)"), run.stderr)

    let records = try manifestRecords(directory + "/out/manifest.jsonl")  // every line parses
    // The signal came when the small inputs were done and two long ones were in flight (each
    // takes far longer than a signal does to arrive): those were discarded, the third never began.
    XCTAssertEqual(records.count, smallInputs, "the long inputs in flight are discarded, not finished")
    XCTAssertEqual(filesBelow(directory + "/out/zz-long"), [])
    let outputs = try assertOutputsComplete()
    XCTAssertEqual(outputs, records.filter { $0["status"] as? String == "ok" }.count)

    // The rerun converts the long inputs with the slow chain (a minute each with the release
    // binary, longer under a sanitizer or a loaded machine): the limit is a hang guard only.
    let rerun = try audioprep(["batch", "corpus", "--out-dir", "out"] + Self.slowChain, in: directory, timeLimit: 300)
    XCTAssertEqual(rerun.status, 65, rerun.stderr)
    XCTAssertEqual(try assertOutputsComplete(), corpus.good.count)
    let latest = statuses(try manifestRecords(directory + "/out/manifest.jsonl"))
    for relative in corpus.good { XCTAssertTrue(["ok", "skipped"].contains(latest[relative]), relative) }
    XCTAssertTrue(rerun.stderrLines.last!.contains("\(corpus.all.count - records.count) ok"), rerun.stderr)
  }

  /// A closed terminal or a dropped ssh session ends a batch as SIGTERM does: outputs complete,
  /// the manifest whole, 129 (review16f N13: temporaries were left).
  func testSIGHUPExits129() throws {
    let run = try runInterrupted(signal: SIGHUP, whenDone: 1)
    XCTAssertTrue(run.signalled, run.stderr)
    XCTAssertEqual(run.status, 129, run.stderr)
    XCTAssertTrue(run.stderr.contains("hung up (SIGHUP)"), run.stderr)
    XCTAssertNoThrow(try manifestRecords(directory + "/out/manifest.jsonl"))
    _ = try assertOutputsComplete()
  }

  func testSIGTERMExits143() throws {
    let run = try runInterrupted(signal: SIGTERM, whenDone: 1)
    XCTAssertTrue(run.signalled, run.stderr)
    XCTAssertEqual(run.status, 143, run.stderr)
    XCTAssertTrue(run.stderr.contains("terminated (SIGTERM)"), run.stderr)
    XCTAssertNoThrow(try manifestRecords(directory + "/out/manifest.jsonl"))
    _ = try assertOutputsComplete()
  }
}
