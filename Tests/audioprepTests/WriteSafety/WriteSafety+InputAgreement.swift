import Foundation
import Glibc
import TestSupport
import XCTest

/// Truncated and non-regular inputs: a file and the same bytes on a pipe give the same output.
/// Each test failed on the commit before its fix (issue 9 and its reviews, issue 16).
extension WriteSafetyTests {
  /// #9 rule 6: a CAF read through /dev/stdin or a FIFO gives the same output as the file.
  func testCAFThroughAPipeGivesTheSameOutputAsTheFile() throws {
    let directory = try scratchDirectory(self)
    try tone("s.caf", in: directory)
    let result = try bash(
      """
      "$AP" s.caf -o file.wav || exit 1
      cat s.caf | "$AP" /dev/stdin -o stdin-path.wav; echo $? > stdin-path.status
      "$AP" - -o stdin.wav < s.caf; echo $? > stdin.status
      mkfifo p; timeout 3 cat s.caf > p & "$AP" p -o fifo.wav; echo $? > fifo.status; wait
      """, in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    let reference = state(directory + "/file.wav")?.bytes
    XCTAssertNotNil(reference)
    for name in ["stdin-path", "stdin", "fifo"] {
      let status = (try? String(contentsOfFile: "\(directory)/\(name).status", encoding: .utf8)) ?? "?"
      XCTAssertEqual(status, "0\n", name)
      XCTAssertEqual(state("\(directory)/\(name).wav")?.bytes, reference, "\(name): differs from the file's output")
    }
  }

  /// #9 rule 6: a truncated MP3 or CAF gives the same status from standard input as from the
  /// file, and a truncated CAF warns "truncated" both ways.
  func testTruncatedInputsAgreeBetweenFileAndStdin() throws {
    let directory = try scratchDirectory(self)
    try tone("s.caf", in: directory)
    try setUpFiles(
      """
      "$AP" s.caf -o s.mp3 2>/dev/null
      head -c $(( $(stat -c %s s.mp3) / 2 )) s.mp3 > t.mp3
      head -c $(( $(stat -c %s s.caf) / 2 )) s.caf > t.caf
      """, in: directory)
    for name in ["t.mp3", "t.caf"] {
      let file = try spawnAudioprep([name, "-o", "file.wav", "--force"], in: directory)
      let stdin = try spawnAudioprep(["-", "-o", "stdin.wav", "--force"], in: directory, stdinPath: directory + "/" + name)
      XCTAssertEqual(file.status, stdin.status, "\(name): file \(file.summary) \(file.stderr) / stdin \(stdin.summary) \(stdin.stderr)")
      if name == "t.caf" {
        XCTAssertTrue(file.stderr.contains("truncated"), "file: " + file.stderr)
        XCTAssertTrue(stdin.stderr.contains("truncated"), "stdin: " + stdin.stderr)
      }
    }
  }
}
