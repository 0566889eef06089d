import Foundation
import XCTest

/// What a run of the built `audioprep` binary did.
struct CommandResult {
  var status: Int32
  var stdout: Data
  var stderr: String
  var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
}

/// Runs the `audioprep` built beside this test bundle, in `directory`, feeding `stdin`.
func audioprep(_ arguments: [String], in directory: String? = nil, stdin: Data? = nil) throws -> CommandResult {
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

/// The folder holding the built products (`.build/debug`).
let productsDirectory: URL = {
  for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
    return bundle.bundleURL.deletingLastPathComponent()
  }
  return Bundle.main.bundleURL
}()

let fixtures = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("Fixtures").path

/// A fresh directory removed after the test.
func scratchDirectory(_ test: XCTestCase) throws -> String {
  let path = NSTemporaryDirectory() + "audioprep-cli-" + UUID().uuidString
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
  return path
}

func directoryListing(_ path: String) -> [String] {
  ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
}
