import Foundation
import TestSupport
import XCTest

/// The rest of the fourth hostile review of #21 (review21f) that needs the binary and files on
/// disk: each a usage error (64) on one line naming the file or option and the problem, where
/// before a WAV was written under another format's extension (exit 0), an empty path exited 73
/// naming no file, a directory that does not exist was called one, and an existing file whose
/// name starts with a dash was taken for options.
final class Review21fCommandLineTests: XCTestCase {
  private func usageError(_ arguments: [String], in directory: String? = nil) throws -> String {
    let result = try audioprep(arguments, in: directory)
    XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
    XCTAssertEqual(result.stderrLines.count, 1, "\(arguments): \(result.stderr)")
    return result.stderr.trimmingCharacters(in: .newlines)
  }

  /// `-o x.m4a --format wav` wrote a WAV named .m4a (exit 0): the extension says one format,
  /// --format another. A name with no audio format's extension still takes any --format.
  func testAnotherAudioFormatsExtensionContradictsFormat() throws {
    let directory = try scratchDirectory(self)
    let line = try usageError([fixtures + "/speech.wav", "-o", "x.m4a", "--format", "wav"], in: directory)
    XCTAssertTrue(line.contains("-o x.m4a says .m4a") && line.contains("--format is wav"), line)
    XCTAssertEqual(directoryListing(directory), [])
    let other = try audioprep([fixtures + "/speech.wav", "-o", "x.out", "--format", "wav"], in: directory)
    XCTAssertEqual(other.status, 0, other.stderr)
  }

  /// `response --svg ''` and `batch --manifest ''` exited 73 (": is a directory", ": No such
  /// file or directory"): the option needs a path.
  func testAnEmptyPathNamesTheOption() throws {
    let directory = try scratchDirectory(self)
    XCTAssertTrue(try usageError(["response", "--svg", ""], in: directory).hasPrefix("audioprep: --svg needs a path"))
    let batch = try usageError(["batch", fixtures + "/speech.wav", "--out-dir", "bo", "--manifest", ""], in: directory)
    XCTAssertTrue(batch.hasPrefix("audioprep: --manifest needs a path"), batch)
    XCTAssertEqual(directoryListing(directory), [])
  }

  /// `-o nodir/` said "is a directory" of a directory that does not exist. It is an output
  /// that cannot be created (73, review29c W9).
  func testAnOutputEndingInASlashThatDoesNotExistIsNotCalledADirectory() throws {
    let directory = try scratchDirectory(self)
    let result = try audioprep([fixtures + "/speech.wav", "-o", "nodir/"], in: directory)
    XCTAssertEqual(result.status, 73, result.stderr)
    XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
    XCTAssertTrue(result.stderr.hasPrefix("audioprep: nodir/: no such directory") && !result.stderr.contains("is a directory"), result.stderr)
  }

  /// An existing file whose name starts with a dash is named as a file (./NAME), whatever
  /// argument-parser would read in it: `-9.flac` (a negative number), `-o.flac` (-o's value),
  /// `--take.flac` (an unknown option) said "Missing expected argument" or "Unknown option".
  func testAnExistingFileNamedLikeAnOptionIsNamedAsAFile() throws {
    let directory = try scratchDirectory(self)
    for name in ["-zzz.flac", "-9.flac", "-o.flac", "--take.flac"] {
      try FileManager.default.copyItem(atPath: fixtures + "/speech.wav", toPath: directory + "/" + name)
      for arguments in [[name, "-o", "out.wav"], ["info", name], ["batch", name, "--out-dir", "bo"]] {
        let line = try usageError(arguments, in: directory)
        XCTAssertTrue(line.contains("'\(name)' looks like an option; a file of that name is ./\(name)"), "\(arguments): \(line)")
      }
    }
  }
}
