import Foundation
import Glibc
import TestSupport
import XCTest

/// Pipes that close, disks that fill, signals, paths that must not be written: the binary
/// fails loudly and precisely, never hangs, and never leaves a damaged file looking finished.
final class FailureBehaviourTests: XCTestCase {
  static let rawStdinOptions = ["--in-rate", "16000", "--in-channels", "1", "--in-encoding", "s16"]

  /// A long 48 kHz mono WAV (`seconds` of a quiet tone) written at test time.
  func writeLongWAV(_ path: String, seconds: Int) throws {
    let frames = 48000 * seconds
    var data = Data(capacity: frames * 2)
    var sample: Int16 = 0
    for index in 0..<frames {
      sample = Int16(truncatingIfNeeded: (index % 96) * 200 - 9600)
      data.append(le16: UInt16(bitPattern: sample))
    }
    try HostileInputs.wav(rate: 48000, data: data).write(to: URL(fileURLWithPath: path))
  }

  // MARK: Pipes

  /// An endless input (/dev/zero as raw s16) into `head -c 1000`: only ending on the broken
  /// pipe stops audioprep, so a hang is a timeout. Default SIGPIPE: killed by it, silently.
  func testClosedStdoutEndsBySIGPIPEQuietlyAndPromptly() throws {
    let directory = try scratchDirectory(self)
    let script = """
      "$AP" - -o - \(Self.rawStdinOptions.joined(separator: " ")) < /dev/zero 2> err | head -c 1000 > head.out
      echo "${PIPESTATUS[0]}" > status
      """
    let result = try bash(script, in: directory)
    XCTAssertFalse(result.timedOut, "audioprep kept running after its reader went away")
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(try String(contentsOfFile: directory + "/status", encoding: .utf8), "\(128 + SIGPIPE)\n")
    XCTAssertEqual(try String(contentsOfFile: directory + "/err", encoding: .utf8), "")
    XCTAssertEqual(FileManager.default.contents(atPath: directory + "/head.out")?.count, 1000)
  }

  /// The same with SIGPIPE ignored by the parent: the write fails with EPIPE, exit 0, silently.
  func testClosedStdoutWithSIGPIPEIgnoredExitsZeroQuietly() throws {
    let directory = try scratchDirectory(self)
    let script = """
      trap '' PIPE
      "$AP" - -o - \(Self.rawStdinOptions.joined(separator: " ")) < /dev/zero 2> err | head -c 1000 > head.out
      echo "${PIPESTATUS[0]}" > status
      """
    let result = try bash(script, in: directory)
    XCTAssertFalse(result.timedOut, "audioprep kept running after its reader went away")
    XCTAssertEqual(try String(contentsOfFile: directory + "/status", encoding: .utf8), "0\n")
    XCTAssertEqual(try String(contentsOfFile: directory + "/err", encoding: .utf8), "")
  }

  // MARK: Full disks and file-size limits

  /// review57 W7: with /proc unmounted, the Swift runtime hands a static binary no arguments
  /// (it reads them from /proc/self/cmdline), and every command, `--version` too, stopped with
  /// SIGILL (a range from 1 to 0). It says why, exit 70. (Needs a mount namespace of its own:
  /// skipped where `unshare -m` is not allowed.)
  func testWithoutProcItSaysItCannotReadItsArguments() throws {
    let directory = try scratchDirectory(self)
    let result = try bash("unshare -m sh -c \"umount -l /proc || exit 99; '$AP' --version\"; echo \"rc $?\"", in: directory)
    let out = String(decoding: result.stdout, as: UTF8.self)
    if !out.hasPrefix("rc 70") && !out.hasPrefix("rc 13") {
      throw XCTSkip("no mount namespace of its own here: \(out) \(result.stderr)")
    }
    XCTAssertEqual(out, "rc 70\n", result.stderr)
    XCTAssertTrue(result.stderr.contains("/proc"), result.stderr)
  }

  func testStdoutIntoDevFullExits74() throws {
    let directory = try scratchDirectory(self)
    let result = try spawnAudioprep(
      [fixtures + "/speech.wav", "-o", "-"], in: directory, stdoutPath: "/dev/full")
    XCTAssertEqual(result.status, 74, result.summary)
    XCTAssertEqual(result.stderrLines, ["audioprep: -: write failed: No space left on device"])
  }

  /// `ulimit -f` smaller than the output: EFBIG (audioprep ignores SIGXFSZ, which the runner
  /// resets to its default), exit 74, the temporary removed, nothing under the final name.
  /// The limit is 1 MiB (dash counts 512-byte blocks) against a 1.9 MB output: the sanitizer
  /// runtimes themselves die of SIGBUS under limits of a few KiB.
  func testFileSizeLimitExits74AndLeavesNothing() throws {
    let directory = try scratchDirectory(self)
    try writeLongWAV(directory + "/long.wav", seconds: 60)
    let result = try spawnAudioprep(["long.wav", "-o", "out.wav"], in: directory, shellSetup: "ulimit -f 2048")
    XCTAssertEqual(result.status, 74, result.summary + result.stderr)
    XCTAssertEqual(result.stderrLines, ["audioprep: out.wav: write failed: File too large"])
    XCTAssertEqual(allFiles(directory), ["long.wav"])
  }

  // MARK: Signals

  /// SIGTERM, SIGINT or SIGHUP (a closed terminal, a dropped ssh session) while a long file is
  /// being written: the temporary file is removed and the status is 128 + the signal. The
  /// signal is sent once the temporary file exists. (SIGHUP left the temporary: review16f N13.)
  func testSIGTERMAndSIGINTRemoveTheTemporaryFile() throws {
    let directory = try scratchDirectory(self)
    try writeLongWAV(directory + "/long.wav", seconds: 120)
    for (signal, status) in [(SIGTERM, Int32(143)), (SIGINT, Int32(130)), (SIGHUP, Int32(129))] {
      var sawTemporary = false
      let result = try spawnAudioprep(
        ["long.wav", "-o", "out.wav", "--converter", "best"], in: directory
      ) { pid in
        let deadline = Date().addingTimeInterval(spawnTimeLimit)
        while Date() < deadline && !sawTemporary {
          sawTemporary = !temporaryFiles(directory).isEmpty
          if !sawTemporary { usleep(2_000) }
        }
        kill(pid, signal)
      }
      XCTAssertTrue(sawTemporary, "signal \(signal): no temporary file appeared")
      XCTAssertEqual(result.status, status, "signal \(signal): \(result.summary) \(result.stderr)")
      XCTAssertEqual(allFiles(directory), ["long.wav"], "signal \(signal)")
    }
  }

  /// A run that is still reading standard input holds a temporary file; SIGTERM removes it.
  func testSIGTERMWhileReadingAnOpenPipeRemovesTheTemporaryFile() throws {
    let directory = try scratchDirectory(self)
    let fifo = directory + "/feed"
    XCTAssertEqual(mkfifo(fifo, 0o644), 0)
    let header = HostileInputs.wav(data: HostileInputs.pcm16(frames: 16000), declaredDataBytes: 0xFFFF_FFFF)
    // The writer sends a header and a second of audio, then holds the pipe open.
    let writerDone = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
      let descriptor = open(fifo, O_WRONLY)
      _ = header.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
      _ = release.wait(timeout: .now() + spawnTimeLimit)
      close(descriptor)
      writerDone.signal()
    }
    var sawTemporary = false
    let result = try spawnAudioprep(["-", "-o", "out.wav"], in: directory, stdinPath: fifo) { pid in
      let deadline = Date().addingTimeInterval(spawnTimeLimit)
      while Date() < deadline && !sawTemporary {
        sawTemporary = !temporaryFiles(directory).isEmpty
        if !sawTemporary { usleep(2_000) }
      }
      kill(pid, SIGTERM)
    }
    release.signal()
    writerDone.wait()
    XCTAssertTrue(sawTemporary)
    XCTAssertEqual(result.status, 143, result.summary + result.stderr)
    XCTAssertEqual(allFiles(directory), ["feed"])
  }

  // MARK: Paths

  /// However the input is spelled, it is never the output, even with --force.
  func testOutputThatIsTheInputIsRefusedInEverySpelling() throws {
    let directory = try scratchDirectory(self)
    try FileManager.default.createDirectory(atPath: directory + "/sub", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: fixtures + "/mono16k.wav", toPath: directory + "/a.wav")
    try FileManager.default.createSymbolicLink(atPath: directory + "/link.wav", withDestinationPath: "a.wav")
    try FileManager.default.createSymbolicLink(atPath: directory + "/dirlink", withDestinationPath: ".")
    XCTAssertEqual(link(directory + "/a.wav", directory + "/hard.wav"), 0)
    let original = try Data(contentsOf: URL(fileURLWithPath: directory + "/a.wav"))
    for spelling in [
      "a.wav", "./a.wav", "sub/../a.wav", ".//a.wav", directory + "/a.wav", directory + "//./a.wav",
      "link.wav", "dirlink/a.wav", "hard.wav",
    ] {
      for force in [[], ["--force"]] {
        let result = try spawnAudioprep(["a.wav", "-o", spelling] + force, in: directory)
        XCTAssertEqual(result.status, 73, "\(spelling) \(force): \(result.summary) \(result.stderr)")
        XCTAssertEqual(result.stderrLines, ["audioprep: \(spelling): is an input; refusing to write over it"])
      }
    }
    XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: directory + "/a.wav")), original)
    XCTAssertEqual(allFiles(directory), ["a.wav", "dirlink", "hard.wav", "link.wav", "sub"])
  }

  func testOutputIntoAMissingDirectoryNamesThePath() throws {
    let directory = try scratchDirectory(self)
    let result = try spawnAudioprep([fixtures + "/speech.wav", "-o", "nope/deeper/out.wav"], in: directory)
    XCTAssertEqual(result.status, 73)
    XCTAssertEqual(result.stderrLines, ["audioprep: nope/deeper/out.wav: directory nope/deeper/ does not exist"])
    XCTAssertEqual(allFiles(directory), [])
  }

  /// An existing symlink at the output path is never followed. Without --force it is refused
  /// (dangling or not); with --force the link itself is replaced by the new file, and the file
  /// it pointed to is untouched.
  func testAnOutputSymlinkIsNeverFollowed() throws {
    let directory = try scratchDirectory(self)
    try "precious".write(toFile: directory + "/target.txt", atomically: true, encoding: .utf8)
    try FileManager.default.createSymbolicLink(atPath: directory + "/out.wav", withDestinationPath: "target.txt")
    try FileManager.default.createSymbolicLink(atPath: directory + "/dangling.wav", withDestinationPath: "nowhere.wav")

    for name in ["out.wav", "dangling.wav"] {
      let refused = try spawnAudioprep([fixtures + "/speech.wav", "-o", name], in: directory)
      XCTAssertEqual(refused.status, 73, name)
      XCTAssertEqual(refused.stderrLines, ["audioprep: \(name): is a symlink (use --force to replace the link itself)"])
    }
    XCTAssertEqual(allFiles(directory), ["dangling.wav", "out.wav", "target.txt"])

    let forced = try spawnAudioprep([fixtures + "/speech.wav", "-o", "out.wav", "--force"], in: directory)
    XCTAssertEqual(forced.status, 0, forced.stderr)
    let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/out.wav")
    XCTAssertEqual(attributes[.type] as? FileAttributeType, .typeRegular)
    XCTAssertEqual(try String(contentsOfFile: directory + "/target.txt", encoding: .utf8), "precious")
    XCTAssertEqual(allFiles(directory), ["dangling.wav", "out.wav", "target.txt"])
  }

  // MARK: Memory

  /// A header announcing 2^40 frames (2 TiB of audio) costs no more memory than an honest one
  /// with the same samples, from a file and from standard input.
  func testMemoryDoesNotFollowHeaderClaims() throws {
    let directory = try scratchDirectory(self)
    let pcm = HostileInputs.pcm16(frames: 16000 * 5)
    try HostileInputs.rf64(announcingFrames: 1 << 40, data: pcm).write(to: URL(fileURLWithPath: directory + "/liar.wav"))
    try HostileInputs.wav(data: pcm).write(to: URL(fileURLWithPath: directory + "/honest.wav"))
    for viaStdin in [false, true] {
      func run(_ name: String) throws -> SpawnResult {
        viaStdin
          ? try spawnAudioprep(["-", "-o", "-"], in: directory, stdinPath: directory + "/" + name)
          : try spawnAudioprep([name, "-o", "-"], in: directory)
      }
      let honest = try run("honest.wav")
      let liar = try run("liar.wav")
      XCTAssertEqual(honest.status, 0, honest.stderr)
      XCTAssertEqual(liar.status, 0, liar.stderr)
      XCTAssertEqual(liar.stdout, honest.stdout)
      XCTAssertTrue(liar.stderr.contains("truncated: the header announces 1099511627776 frames"), liar.stderr)
      XCTAssertLessThan(
        liar.maxResidentKiB, honest.maxResidentKiB + 8 * 1024,
        "stdin: \(viaStdin): \(liar.maxResidentKiB) KiB against \(honest.maxResidentKiB) KiB")
    }
  }
}
