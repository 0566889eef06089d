import Foundation
import Glibc
import TestSupport
import XCTest

/// Issue #9, "Nothing lost, nothing clobbered": regression tests written before the fix. Each
/// test reproduces one defect against the built binary and asserts the safe behaviour.
final class WriteSafetyTests: XCTestCase {
  // MARK: Helpers

  /// What a path is on disk, without following a final symlink.
  struct FileState: Equatable, CustomStringConvertible {
    var type: mode_t
    var inode: UInt64
    var bytes: [UInt8]
    var linkTarget: String?
    var description: String {
      "type \(String(type, radix: 8)) inode \(inode) \(bytes.count) bytes" + (linkTarget.map { " -> \($0)" } ?? "")
    }
  }

  func state(_ path: String) -> FileState? {
    var status = stat()
    guard lstat(path, &status) == 0 else { return nil }
    let type = status.st_mode & S_IFMT
    var target: String?
    var bytes: [UInt8] = []
    if type == S_IFLNK {
      var buffer = [CChar](repeating: 0, count: 4096)
      let count = readlink(path, &buffer, buffer.count - 1)
      target = count >= 0 ? String(cString: Array(buffer[0..<count]) + [0]) : "?"
    } else if type == S_IFREG {
      bytes = readWholeFile(path)
    }
    return FileState(type: type, inode: UInt64(status.st_ino), bytes: bytes, linkTarget: target)
  }

  /// Set-up that must succeed.
  func setUpFiles(_ script: String, in directory: String) throws {
    let result = try bash("set -e\n" + script, in: directory)
    XCTAssertEqual(result.status, 0, "set-up failed: " + result.stderr)
    if result.status != 0 { throw XCTSkip("set-up failed") }
  }

  /// Every `*.tmp` below `directory` (found with find(1), so any byte in a name is fine).
  func temporaries(_ directory: String) -> [String] {
    let result = try? spawn("/usr/bin/find", [directory, "-name", "*.tmp"])
    return String(decoding: result?.stdout ?? Data(), as: UTF8.self).split(separator: "\n").map(String.init)
  }

  /// Whether a run is writing `name` in `directory`: a temporary of it, or a new file waiting for
  /// its run to settle (".NAME.audioprep-…").
  func isBeingWritten(_ name: String, in directory: String) -> Bool {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).contains { $0.hasPrefix("." + name + ".audioprep-") }
  }

  /// Every path below `directory` with its state, for before/after comparisons.
  func tree(_ directory: String) -> [String: FileState] {
    let result = try? spawn("/usr/bin/find", [directory, "-mindepth", "1"])
    var states: [String: FileState] = [:]
    for path in String(decoding: result?.stdout ?? Data(), as: UTF8.self).split(separator: "\n") {
      states[String(path)] = state(String(path))
    }
    return states
  }

  /// The raw bytes of each name in `directory` (readdir), for names that are not UTF-8.
  func rawNames(_ directory: String) -> [[UInt8]] {
    guard let handle = opendir(directory) else { return [] }
    defer { closedir(handle) }
    var names: [[UInt8]] = []
    while let entry = readdir(handle) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix(while: { $0 != 0 })) }
      if name != [46] && name != [46, 46] { names.append(name) }
    }
    return names
  }

  /// An error is one `audioprep: …` line naming `path`.
  func assertOneErrorLine(_ result: SpawnResult, naming path: String, _ context: String, line: UInt = #line) {
    let lines = result.stderrLines.filter { !$0.hasPrefix("audioprep: batch:") && !$0.hasPrefix("audioprep: manifest merge:") }
    XCTAssertEqual(lines.count, 1, "\(context): \(result.stderr)", line: line)
    XCTAssertTrue(lines.first?.contains(path) ?? false, "\(context): error does not name \(path): \(result.stderr)", line: line)
  }

  /// A 22.05 kHz mono s16 tone of `seconds`.
  func tone(_ path: String, seconds: Double = 3, rate: Int = 22050, in directory: String) throws {
    try setUpFiles("sox -n -r \(rate) -b 16 -c 1 '\(path)' synth \(seconds) sine 440 vol 0.3", in: directory)
  }

  /// A manifest with the records of a one-file batch, at `path` (relative to `directory`).
  func manifest(_ path: String, in directory: String) throws {
    try setUpFiles(
      """
      mkdir -p mrec; sox -n -r 16000 -b 16 -c 1 mrec/m.wav synth 0.2 sine 300 vol 0.3
      "$AP" batch mrec --out-dir mout --manifest '\(path)' --no-progress 2>/dev/null
      """, in: directory)
  }
}
