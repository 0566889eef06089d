import Foundation
import XCTest

/// What a run of the built `audioprep` binary did.
package struct CommandResult {
  /// The exit status; 128 + the signal's number when a signal ended the process (as a shell
  /// reports it).
  package var status: Int32
  package var stdout: Data
  package var stderr: String
  package var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
}

/// Runs the built `audioprep` (`audioprepPath`) in `directory`, feeding `stdin` through a pipe,
/// by `spawn`: under its time limit, so that a hang fails the calling test instead of stalling
/// the suite. For signals or a peak RSS, call `spawn`.
package func audioprep(
  _ arguments: [String], in directory: String? = nil, stdin: Data? = nil, timeLimit: Double = spawnTimeLimit,
  file: StaticString = #filePath, line: UInt = #line
) throws -> CommandResult {
  let result =
    if let directory {
      try spawnAudioprep(arguments, in: directory, stdinData: stdin, timeLimit: timeLimit)
    } else {
      try spawn(audioprepPath, arguments, stdinData: stdin, timeLimit: timeLimit)
    }
  if result.timedOut {
    XCTFail("audioprep \(arguments) was killed after the time limit (\(timeLimit) s)", file: file, line: line)
  }
  return CommandResult(
    status: result.status ?? 128 + (result.signal ?? 0), stdout: result.stdout, stderr: result.stderr)
}
