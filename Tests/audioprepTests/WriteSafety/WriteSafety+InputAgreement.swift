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

  /// A FIFO named as the input is opened once: an Ogg Vorbis through a FIFO hung (the check of
  /// its last page's granule opened the path a second time, which waits for a writer that never
  /// comes). Every fixture format, file = FIFO, within a time limit.
  func testEveryFixtureFormatThroughAFIFOGivesTheFilesOutput() throws {
    let directory = try scratchDirectory(self)
    // Small files too: a writer that has finished before the second open is the case that
    // always hung (with a large file the writer was often still there to answer it).
    let fixtureNames = ["speech.wav", "speech.flac", "speech.ogg", "speech.opus", "speech.mp3", "speech.aiff", "speech.caf", "stereo44k.wav"]
    let small = ["small.ogg", "small.flac", "small.wav", "small.aiff"]
    let made = try bash("mkfifo p\n" + small.map { "sox -n -r 16000 -c 1 \($0) synth 0.3 sine 440\n" }.joined(), in: directory)
    XCTAssertEqual(made.status, 0, made.stderr)
    for name in fixtureNames.map({ "\(fixtures)/\($0)" }) + small {
      let base = String(name.split(separator: "/").last!)
      let result = try bash(
        """
        "$AP" '\(name)' -o '\(base).file.wav' -q || exit 1
        timeout 10 cat '\(name)' > p & timeout 10 "$AP" p -o '\(base).fifo.wav' -q; status=$?; wait; exit $status
        """, in: directory)
      XCTAssertEqual(result.status, 0, "\(base) through a FIFO (124: it hung): \(result.stderr)")
      let fromFile = state("\(directory)/\(base).file.wav")?.bytes
      XCTAssertNotNil(fromFile, base)
      XCTAssertTrue(state("\(directory)/\(base).fifo.wav")?.bytes == fromFile, "\(base): the FIFO's output differs from the file's")
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
