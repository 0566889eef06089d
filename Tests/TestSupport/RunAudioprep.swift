import Foundation
import XCTest

/// What a run of the built `audioprep` binary did.
package struct CommandResult {
  package var status: Int32
  package var stdout: Data
  package var stderr: String
  package var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
}

/// Runs the `audioprep` built beside this test bundle, in `directory`, feeding `stdin`, through
/// Foundation's `Process` (for a time limit, signals or a peak RSS, see `spawn`).
package func audioprep(_ arguments: [String], in directory: String? = nil, stdin: Data? = nil) throws -> CommandResult {
  let process = Process()
  process.executableURL = productsDirectory.appendingPathComponent("audioprep")
  process.arguments = arguments
  if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
  let output = Pipe(), errors = Pipe(), input = Pipe()
  process.standardOutput = output
  process.standardError = errors
  process.standardInput = stdin == nil ? FileHandle.nullDevice : input
  try process.run()
  let writer = Thread {
    if let stdin { try? input.fileHandleForWriting.write(contentsOf: stdin) }
    try? input.fileHandleForWriting.close()
  }
  writer.start()
  // stdout is read on another thread so that neither pipe can fill up and stall the child.
  let collected = Collected()
  let readerDone = DispatchSemaphore(value: 0)
  DispatchQueue.global().async {
    collected.data = output.fileHandleForReading.readDataToEndOfFile()
    readerDone.signal()
  }
  let stderrData = errors.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  readerDone.wait()
  return CommandResult(
    status: process.terminationStatus, stdout: collected.data,
    stderr: String(decoding: stderrData, as: UTF8.self))
}

private final class Collected: @unchecked Sendable { var data = Data() }

