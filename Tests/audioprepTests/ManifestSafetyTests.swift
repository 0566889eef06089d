import Foundation
import Glibc
import TestSupport
import XCTest

/// What `--manifest` may name, and what a resumed batch takes from it (#16).
extension WriteSafetyTests {
  /// `--manifest` naming a file that is not a manifest (the --from-list file, any text) is
  /// refused (73) and the file is left as it was; an absent, empty or real manifest is taken.
  func testAManifestThatIsNotAManifestIsRefused() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir corp; sox -n -r 16000 -b 16 -c 1 corp/a.wav synth 0.2 sine 440
      printf 'corp/a.wav\\n' > list.txt; printf 'my notes\\nline two' > notes.txt; : > empty.jsonl
      """, in: directory)
    for (name, arguments) in [
      ("the --from-list file", ["--from-list", "list.txt", "--manifest", "list.txt"]),
      ("a text file", ["corp", "--manifest", "notes.txt"]),
      ("a text file, --force", ["corp", "--manifest", "notes.txt", "--force"]),
    ] {
      let before = tree(directory)
      let result = try spawnAudioprep(["batch"] + arguments + ["--out-dir", "out", "--no-progress"], in: directory)
      XCTAssertEqual(result.status, 73, "\(name): \(result.summary) \(result.stderr)")
      assertOneErrorLine(result, naming: arguments[arguments.firstIndex(of: "--manifest")! + 1], name)
      for path in ["/list.txt", "/notes.txt"] {
        XCTAssertEqual(state(directory + path), before[directory + path], "\(name): \(path)")
      }
    }
    for manifest in ["empty.jsonl", "new.jsonl", "empty.jsonl"] {
      let result = try spawnAudioprep(
        ["batch", "corp", "--out-dir", "out", "--manifest", manifest, "--no-progress"], in: directory)
      XCTAssertEqual(result.status, 0, "\(manifest): \(result.summary) \(result.stderr)")
    }
  }

  /// The golden file of `--golden` is an input: no output of the run may replace it.
  func testTheGoldenFileIsProtectedLikeAnInput() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 0.3, in: directory)
    try setUpFiles("\"$AP\" in.wav -o golden.wav", in: directory)
    let before = state(directory + "/golden.wav")
    for arguments in [
      ["in.wav", "-o", "golden.wav", "--force", "--golden", "golden.wav"],
      ["in.wav", "-o", "x.wav", "--stats-json", "golden.wav", "--force", "--golden", "golden.wav"],
    ] {
      let result = try spawnAudioprep(arguments, in: directory)
      XCTAssertEqual(result.status, 73, "\(arguments): \(result.summary) \(result.stderr)")
      XCTAssertEqual(state(directory + "/golden.wav"), before, "\(arguments)")
    }
  }

  /// A resumed batch writes the output path it computes, never the `output` of an old record.
  func testAResumeNeverCopiesAForgedOutputField() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir corp; sox -n -r 16000 -b 16 -c 1 corp/a.wav synth 0.2 sine 440
      "$AP" batch corp --out-dir out --no-progress 2>/dev/null
      sed -i 's|"output":"[^"]*"|"output":"/etc/passwd"|' out/manifest.jsonl
      "$AP" batch corp --out-dir out --no-progress 2>/dev/null
      """, in: directory)
    let records = try manifestRecords(directory + "/out/manifest.jsonl")
    XCTAssertEqual(records.count, 1)
    XCTAssertEqual(records.first?["status"] as? String, "skipped")
    XCTAssertEqual(records.first?["output"] as? String, "out/a.wav")
  }
}

extension WriteSafetyTests {
  /// An output that is the input FIFO, however spelled, is refused (73) before anything is
  /// opened: audioprep would otherwise wait on itself, or read back what it writes.
  func testAnOutputThatIsTheInputFIFOIsRefused() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles("mkfifo in.fifo; ln -s in.fifo link.fifo", in: directory)
    for arguments in [
      ["in.fifo", "-o", "in.fifo", "--format", "wav"], ["in.fifo", "-o", "link.fifo", "--format", "raw"],
      ["in.fifo", "-o", "x.wav", "--stats-json", "in.fifo"],
    ] {
      let result = try spawnAudioprep(arguments, in: directory, timeLimit: 5)
      XCTAssertEqual(result.status, 73, "\(arguments): \(result.summary) \(result.stderr)")
      assertOneErrorLine(result, naming: arguments[2] == "x.wav" ? "in.fifo" : arguments[2], "\(arguments)")
    }
  }
}
