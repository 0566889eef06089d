import Foundation
import Glibc
import TestSupport
import XCTest

/// What `manifest export` may write and what it writes into the consumers' files (#19, found
/// by a hostile review): a name can never become a second line of a Kaldi file (whose pipes
/// Kaldi runs), and no export replaces a file the batch read or wrote, `--force` or not.
extension WriteSafetyTests {
  /// An input whose name holds a line break: its `wav.scp` line would be two lines, and the
  /// second one, a pipe of the name's choosing, Kaldi would run. The export is refused (65, one
  /// line naming the file) and writes nothing; the formats that quote names take it.
  func testANameWithALineBreakNeverSplitsAKaldiLine() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir corp; sox -n -r 16000 -b 16 -c 1 "corp/a"$'\\n'"x touch PWNED |.wav" synth 0.5 sine 440
      "$AP" batch corp --out-dir out --segment 0.2s --no-progress 2>/dev/null
      "$AP" batch corp --out-dir whole --no-progress 2>/dev/null
      """, in: directory)
    for (manifest, segments) in [("out/manifest.jsonl", "offsets"), ("out/manifest.jsonl", "files"), ("whole/manifest.jsonl", "files")] {
      let result = try spawnAudioprep(
        ["manifest", "export", "--to", "kaldi", "--segments", segments, manifest, "-o", "data"], in: directory)
      XCTAssertEqual(result.status, 65, "\(manifest) \(segments): \(result.summary) \(result.stderr)")
      XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
      XCTAssertTrue(result.stderr.contains("line break"), result.stderr)
      XCTAssertNil(state(directory + "/data/wav.scp"), "\(manifest) \(segments): wav.scp written")
      XCTAssertNil(state(directory + "/PWNED"))
    }
    for format in ["nemo", "csv"] {
      let result = try spawnAudioprep(["manifest", "export", "--to", format, "whole/manifest.jsonl", "-o", "m.\(format)"], in: directory)
      XCTAssertEqual(result.status, 0, "\(format): \(result.summary) \(result.stderr)")
    }
  }

  /// `-o` naming a batch input, its transcript, an output or a segments list is refused (73)
  /// with `--force` too, and the file is left as it was.
  func testAnExportNeverReplacesWhatTheBatchReadOrWrote() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir corp; sox -n -r 16000 -b 16 -c 1 corp/a.wav synth 0.5 sine 440; printf 'HELLO\\n' > corp/a.txt
      sox -n -r 16000 -b 16 -c 1 corp/b.wav synth 0.5 sine 440
      "$AP" batch corp --out-dir out --no-progress 2>/dev/null
      "$AP" batch corp --out-dir seg --segment 0.2s --no-progress 2>/dev/null
      """, in: directory)
    for (format, manifest, destination) in [
      ("csv", "out/manifest.jsonl", "corp/a.wav"), ("nemo", "out/manifest.jsonl", "corp/a.txt"),
      ("csv", "out/manifest.jsonl", "out/b.wav"), ("nemo", "seg/manifest.jsonl", "seg/a.segments.jsonl"),
      ("csv", "seg/manifest.jsonl", "seg/a_0001.wav"), ("nemo", "seg/manifest.jsonl", "corp/b.wav"),
    ] {
      let before = state(directory + "/" + destination)
      XCTAssertNotNil(before, destination)
      let result = try spawnAudioprep(
        ["manifest", "export", "--to", format, manifest, "-o", destination, "--force"], in: directory)
      XCTAssertEqual(result.status, 73, "\(format) -o \(destination): \(result.summary) \(result.stderr)")
      assertOneErrorLine(result, naming: destination, "\(format) -o \(destination)")
      XCTAssertEqual(state(directory + "/" + destination), before, "\(format) -o \(destination) was replaced")
    }
  }
}

/// A name longer than the file system takes (NAME_MAX, 255 bytes) is refused when its output is
/// opened, 73 naming it, with nothing left behind: a segment's name (a 251-byte input + `_0000`)
/// crashed batch (SIGILL) on the way into place and left its temporaries (#19 review).
extension WriteSafetyTests {
  func testANameLongerThanTheFileSystemTakesIsRefusedWithoutACrash() throws {
    let directory = try scratchDirectory(self)
    let long = String(repeating: "a", count: 251)
    try setUpFiles("mkdir c; sox -n -r 16000 -b 16 -c 1 c/\(long).wav synth 0.3 sine 440", in: directory)
    for (arguments, name) in [
      (["batch", "c", "--out-dir", "o", "--segment", "0.1s", "--no-progress"], long + "_0000.wav"),
      (["c/\(long).wav", "-o", "o2/\(long)_x.wav"], long + "_x.wav"),
      (["c/\(long).wav", "-o", "o3/\(long)_%04d.wav", "--segment", "0.1s"], long + "_0000.wav"),
    ] {
      try setUpFiles("mkdir -p o2 o3", in: directory)
      let result = try spawnAudioprep(arguments, in: directory)
      XCTAssertTrue([65, 73].contains(result.status), "\(arguments[0]): \(result.summary) \(result.stderr.prefix(300))")
      XCTAssertTrue(result.stderr.contains(name) || result.stderr.contains(long), "\(arguments[0]): \(result.stderr.prefix(300))")
      let leftovers = tree(directory).keys.filter { $0.contains(".audioprep-") || $0.hasSuffix(".tmp") }
      XCTAssertEqual(leftovers, [], "\(arguments[0])")
    }
  }
}
