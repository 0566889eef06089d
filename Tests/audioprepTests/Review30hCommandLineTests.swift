import Foundation
import TestSupport
import XCTest

/// The W items of review30h that need the binary: the arguments as the shell passes them
/// (bytes), exit codes, and what a refused run leaves (nothing on disk, nothing on stdout).
final class Review30hCommandLineTests: XCTestCase {
  /// W1, W5: a pasted dash was a file (66: batch "–force: No such file", info described in.wav
  /// on stdout first), as were options after `--`. Both are 64, one line, nothing written.
  func testAPastedDashOrAnOptionAfterTheDoubleDashExits64BeforeAnythingRuns() throws {
    let directory = try scratchDirectory(self)
    let input = fixtures + "/speech.wav"
    for arguments in [
      ["batch", input, "--out-dir", "o", "\u{2013}force"], ["batch", input, "--out-dir", "o", "\u{2013}j", "2"],
      ["info", input, "\u{2014}json"], ["info", input, "\u{2013}levels"], ["info", "--", input, "--json"],
      ["batch", "--out-dir", "o", "--", input, "--force"], [input, "\u{2013}rate", "8k", "-o", "x.wav"],
    ] {
      let result = try audioprep(arguments, in: directory)
      XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
      XCTAssertEqual(result.stderrLines.count, 1, "\(arguments): \(result.stderr)")
      XCTAssertEqual(result.stdout.count, 0, "\(arguments)")
      XCTAssertEqual(directoryListing(directory), [], "\(arguments)")
    }
  }

  /// W2: `--gain −3dB` (U+2212) is -3 dB: the same samples as `--gain -3dB`.
  func testAPastedMinusIsAMinus() throws {
    let input = fixtures + "/speech.wav"
    let ascii = try audioprep([input, "-o", "-", "--gain", "-3dB"])
    let pasted = try audioprep([input, "-o", "-", "--gain", "\u{2212}3dB"])
    XCTAssertEqual(ascii.status, 0, ascii.stderr)
    XCTAssertEqual(pasted.status, 0, pasted.stderr)
    XCTAssertEqual(ascii.stdout, pasted.stdout)
  }

  /// C: `batch corpus --out-dir corpus` said "(choose a directory outside it, or inside it)",
  /// which reads as a contradiction: a subdirectory is what it meant (left out of the inputs).
  func testAnOutputDirectoryThatIsTheInputSaysASubdirectoryWorks() throws {
    let directory = try scratchDirectory(self)
    try FileManager.default.createDirectory(atPath: directory + "/corpus", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: fixtures + "/speech.wav", toPath: directory + "/corpus/a.wav")
    let result = try audioprep(["batch", "corpus", "--out-dir", "corpus"], in: directory)
    XCTAssertEqual(result.status, 64, result.stderr)
    XCTAssertTrue(result.stderr.contains("(choose a directory outside it, or a subdirectory of it, which batch leaves out of its inputs)"), result.stderr)
    let inside = try audioprep(["batch", "corpus", "--out-dir", "corpus/out"], in: directory)
    XCTAssertEqual(inside.status, 0, inside.stderr)
  }
}
