import Foundation
import TestSupport
import XCTest

/// The W items of review29c that need the binary: exit codes, and what a refused run leaves on
/// disk (nothing).
final class Review29cCommandLineTests: XCTestCase {
  /// W5: `batch nosuch --out-dir o3` printed two lines, exited 65 and created o3/ with a
  /// manifest holding a failed record: an input named on the command line that does not exist
  /// is 66, one line, nothing created; a pattern the shell left as typed says so.
  func testAMissingBatchInputIsRefusedBeforeAnythingIsCreated() throws {
    let directory = try scratchDirectory(self)
    for (input, said) in [("nosuch", "audioprep: nosuch: No such file or directory"), ("corpus/*.wav", "audioprep: corpus/*.wav: No such file or directory (a pattern the shell left as typed: no file matches it)")] {
      let result = try audioprep(["batch", input, "--out-dir", "o3"], in: directory)
      XCTAssertEqual(result.status, 66, "\(input): \(result.stderr)")
      XCTAssertEqual(result.stderrLines, [said])
      XCTAssertEqual(directoryListing(directory), [], input)
    }
    // With an input that exists beside it: still refused, nothing processed.
    let mixed = try audioprep(["batch", fixtures + "/speech.wav", "nosuch", "--out-dir", "o3"], in: directory)
    XCTAssertEqual(mixed.status, 66, mixed.stderr)
    XCTAssertEqual(directoryListing(directory), [])
  }

  /// W5: `audioprep version` exited 66 where `audioprep Process in.wav` exits 64: both are a
  /// word that is neither a file nor a command.
  func testAWordThatIsNeitherAFileNorACommandExits64() throws {
    let result = try audioprep(["version"])
    XCTAssertEqual(result.status, 64, result.stderr)
    XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
    XCTAssertTrue(result.stderr.contains("did you mean 'audioprep --version'?"), result.stderr)
  }

  /// W6: `batch help` said "Missing expected argument '--out-dir <dir>'" (64), `info help`
  /// "help: No such file or directory" (66): each prints its command's help, as `help batch`.
  func testHelpAfterACommandPrintsItsHelp() throws {
    for command in [["batch"], ["info"], ["manifest", "export"]] {
      let result = try audioprep(command + ["help"])
      XCTAssertEqual(result.status, 0, "\(command): \(result.stderr)")
      let help = String(decoding: result.stdout, as: UTF8.self)
      XCTAssertTrue(help.contains("USAGE: audioprep \(command.joined(separator: " "))"), "\(command): \(help.prefix(200))")
    }
  }

  /// W9: `-o DIR` exited 64, though the exit table says 73 for an output that cannot be created.
  func testAnOutputThatIsADirectoryExits73() throws {
    let directory = try scratchDirectory(self)
    try FileManager.default.createDirectory(atPath: directory + "/dir", withIntermediateDirectories: true)
    let result = try audioprep([fixtures + "/speech.wav", "-o", "dir"], in: directory)
    XCTAssertEqual(result.status, 73, result.stderr)
    XCTAssertEqual(
      result.stderrLines,
      ["audioprep: dir: is a directory; -o names a file (e.g. -o dir/speech.16k.wav); for many inputs use 'audioprep batch INPUT... --out-dir dir'"])
  }

  /// W10: `response --svg chain.png` wrote SVG into chain.png, exit 0.
  func testAResponsePlotNamedForAnotherFormatIsRefused() throws {
    let directory = try scratchDirectory(self)
    for arguments in [["response", "--svg", "chain.png"], ["response", "--svg=chain.png"], ["response", "--csv", "t.svg", "--svg", "ok.svg"]] {
      let result = try audioprep(arguments, in: directory)
      XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
      XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
      XCTAssertTrue(result.stderr.contains(" writes SVG, not .png; name it chain.svg") || result.stderr.contains("--csv writes CSV, not .svg"), result.stderr)
      XCTAssertEqual(directoryListing(directory), [], "\(arguments)")
    }
    // `--svg - --csv -` said "-: names the same file as -": it names the options (73, as any
    // two outputs naming one file).
    let both = try audioprep(["response", "--svg", "-", "--csv", "-"], in: directory)
    XCTAssertEqual(both.status, 73, both.stderr)
    XCTAssertEqual(both.stderrLines, ["audioprep: -: --svg and --csv both write to standard output; give one of them a file"])
  }
}
