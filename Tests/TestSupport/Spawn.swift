import Foundation
import Glibc
import XCTest

/// How a process started by `spawn` ended.
package struct SpawnResult {
  /// The exit status, or nil when a signal ended the process.
  package var status: Int32?
  /// The signal that ended the process, if one did.
  package var signal: Int32?
  /// Whether `spawn` had to kill the process because it outlived its time limit.
  package var timedOut: Bool
  package var stdout: Data
  package var stderr: String
  /// The child's peak resident set size in KiB (`wait4`'s `ru_maxrss`).
  package var maxResidentKiB: Int
  package var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }

  /// "exit 65", "signal 9 (timed out)": for failure messages.
  package var summary: String {
    if timedOut { return "killed after the time limit" }
    if let signal { return "signal \(signal)" }
    return "exit \(status ?? -1)"
  }
}

/// Seconds a spawned process may run before it is killed: 20, or `AUDIOPREP_TEST_TIMEOUT`
/// (the sanitizer runs raise it, since instrumented binaries run several times slower).
package let spawnTimeLimit: Double = {
  ProcessInfo.processInfo.environment["AUDIOPREP_TEST_TIMEOUT"].flatMap(Double.init) ?? 20
}()

/// The sanitizer the suite runs under (`thread`, `address`), as `make test-sanitize` sets
/// `AUDIOPREP_TEST_SANITIZER`; nil for the plain run. A few tests cannot run under one.
package let testSanitizer = ProcessInfo.processInfo.environment["AUDIOPREP_TEST_SANITIZER"]

/// The `audioprep` the tests run: `AUDIOPREP_TEST_BINARY` when it is set (`make test` sets it to
/// the release build, the binary that ships, which starts about 15 times faster than the debug
/// one: most of the binary tier's time was the debug build's start-up), else the one built
/// beside this test bundle (`swift test` alone; the sanitizer runs, whose instrumented binary
/// is the point).
package let audioprepPath: String = {
  if let binary = ProcessInfo.processInfo.environment["AUDIOPREP_TEST_BINARY"], !binary.isEmpty { return binary }
  return productsDirectory.appendingPathComponent("audioprep").path
}()

/// The folder holding `audioprepPath`, for scripts that put it on `PATH`.
package var audioprepDirectory: String { (audioprepPath as NSString).deletingLastPathComponent }

/// Runs `executable` with `arguments` through posix_spawn, with SIGPIPE, SIGINT, SIGTERM and
/// SIGXFSZ at their default dispositions whatever the test runner set, standard input from
/// `stdinPath`, standard output to `stdoutPath` (or a file read back), and standard error read
/// back. A process still running after `timeLimit` seconds is killed with SIGKILL and reported
/// as timed out: a hang fails the test instead of stalling the suite.
///
/// `whileRunning` is called once with the child's pid, right after it starts, for tests that
/// signal it.
package func spawn(
  _ executable: String, _ arguments: [String], stdinPath: String = "/dev/null",
  stdinData: Data? = nil, stdoutPath: String? = nil, timeLimit: Double = spawnTimeLimit,
  whileRunning: ((pid_t) -> Void)? = nil
) throws -> SpawnResult {
  let capture = NSTemporaryDirectory() + "audioprep-spawn-" + UUID().uuidString
  try FileManager.default.createDirectory(atPath: capture, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(atPath: capture) }
  let outPath = stdoutPath ?? capture + "/stdout"
  let errPath = capture + "/stderr"

  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  // `stdinData` goes through a pipe (as from a shell pipeline: not seekable), written by a
  // thread of its own so that neither side can stall the other.
  var stdinPipe: [Int32] = [-1, -1]
  if stdinData != nil {
    guard pipe(&stdinPipe) == 0,
      fcntl(stdinPipe[0], F_SETFD, FD_CLOEXEC) == 0, fcntl(stdinPipe[1], F_SETFD, FD_CLOEXEC) == 0
    else {
      throw NSError(domain: "spawn", code: Int(errno), userInfo: [NSLocalizedDescriptionKey: "pipe: \(String(cString: strerror(errno)))"])
    }
    posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
  } else {
    posix_spawn_file_actions_addopen(&actions, 0, stdinPath, O_RDONLY, 0)
  }
  posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
  posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

  var attributes = posix_spawnattr_t()
  posix_spawnattr_init(&attributes)
  defer { posix_spawnattr_destroy(&attributes) }
  var defaults = sigset_t()
  sigemptyset(&defaults)
  for signal in [SIGPIPE, SIGINT, SIGTERM, SIGXFSZ] { sigaddset(&defaults, signal) }
  posix_spawnattr_setsigdefault(&attributes, &defaults)
  var mask = sigset_t()
  sigemptyset(&mask)
  posix_spawnattr_setsigmask(&attributes, &mask)
  posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

  let argv = ([executable] + arguments).map { strdup($0) } + [nil]
  defer { argv.forEach { free($0) } }
  let environment = childEnvironment().map { strdup($0) } + [nil]
  defer { environment.forEach { free($0) } }
  var pid = pid_t()
  let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environment)
  // The writer runs until the child has read everything or closed its standard input (EPIPE:
  // SIGPIPE is ignored in this process, at its default in the child).
  let written = DispatchSemaphore(value: 0)
  if let stdinData {
    close(stdinPipe[0])
    let descriptor = stdinPipe[1]
    if spawned != 0 { close(descriptor); written.signal() } else {
      _ = ignoreSIGPIPE
      Thread {
        stdinData.withUnsafeBytes { bytes in
          var offset = 0
          while offset < bytes.count {
            let count = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            offset += count
          }
        }
        close(descriptor)
        written.signal()
      }.start()
    }
  } else {
    written.signal()
  }
  defer { written.wait() }
  guard spawned == 0 else {
    throw NSError(domain: "spawn", code: Int(spawned), userInfo: [NSLocalizedDescriptionKey: "\(executable): \(String(cString: strerror(spawned)))"])
  }
  whileRunning?(pid)

  var waitStatus: Int32 = 0
  var usage = rusage()
  var timedOut = false
  let deadline = Date().addingTimeInterval(timeLimit)
  while true {
    let done = wait4(pid, &waitStatus, WNOHANG, &usage)
    if done == pid { break }
    if done < 0 && errno != EINTR { break }
    if Date() > deadline {
      timedOut = true
      kill(pid, SIGKILL)
      wait4(pid, &waitStatus, 0, &usage)
      break
    }
    usleep(5_000)
  }
  let signal = waitStatus & 0x7f
  return SpawnResult(
    status: signal == 0 ? (waitStatus >> 8) & 0xff : nil,
    signal: signal == 0 ? nil : signal,
    timedOut: timedOut,
    stdout: stdoutPath == nil ? Data(readWholeFile(outPath)) : Data(),
    stderr: String(decoding: readWholeFile(errPath), as: UTF8.self),
    maxResidentKiB: usage.ru_maxrss)
}

/// SIGPIPE ignored in the test process, once: a child that exits before reading all its
/// standard input must not end the test runner.
private let ignoreSIGPIPE: Void = { signal(SIGPIPE, SIG_IGN); return () }()

/// This process's environment, except that `AUDIOPREP_CHILD_ASAN_OPTIONS`, when set, becomes
/// the child's `ASAN_OPTIONS`: `make test-sanitize` turns leak detection off in the XCTest host
/// (XCTest and Foundation leak there) and on in the audioprep processes it starts.
package func childEnvironment() -> [String] {
  let variables = ProcessInfo.processInfo.environment
  guard let childOptions = variables["AUDIOPREP_CHILD_ASAN_OPTIONS"] else {
    return variables.map { "\($0.key)=\($0.value)" }
  }
  return variables.filter { $0.key != "ASAN_OPTIONS" }.map { "\($0.key)=\($0.value)" }
    + ["ASAN_OPTIONS=\(childOptions)"]
}

/// The bytes of a file, read with read(2). (FileManager.contents(atPath:) shows up as a leak
/// under LeakSanitizer in swift-foundation 6.3, which would fail `make test-sanitize`.)
package func readWholeFile(_ path: String) -> [UInt8] {
  let descriptor = open(path, O_RDONLY | O_CLOEXEC)
  guard descriptor >= 0 else { return [] }
  defer { close(descriptor) }
  var bytes: [UInt8] = []
  var buffer = [UInt8](repeating: 0, count: 65536)
  while true {
    let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
    if count < 0 && errno == EINTR { continue }
    if count <= 0 { break }
    bytes.append(contentsOf: buffer[0..<count])
  }
  return bytes
}

/// Runs the built `audioprep` in `directory` (through `sh -c 'cd … && exec …'`, so that paths
/// in messages stay as given), optionally after other shell set-up such as `ulimit -f 8`.
package func spawnAudioprep(
  _ arguments: [String], in directory: String, stdinPath: String = "/dev/null",
  stdinData: Data? = nil, stdoutPath: String? = nil, shellSetup: String = "",
  timeLimit: Double = spawnTimeLimit, whileRunning: ((pid_t) -> Void)? = nil
) throws -> SpawnResult {
  let script = "cd \"$0\" || exit 120; \(shellSetup)\nexec \"$@\""
  return try spawn(
    "/bin/sh", ["-c", script, directory, audioprepPath] + arguments, stdinPath: stdinPath,
    stdinData: stdinData, stdoutPath: stdoutPath, timeLimit: timeLimit, whileRunning: whileRunning)
}

/// Runs `script` with bash in `directory`; `$AP` is the built audioprep. `exec "$AP" …` keeps
/// the pid, so `whileRunning` signals audioprep itself.
@discardableResult
package func bash(
  _ script: String, in directory: String, timeLimit: Double = spawnTimeLimit,
  whileRunning: ((pid_t) -> Void)? = nil
) throws -> SpawnResult {
  try spawn(
    "/bin/bash", ["-c", "cd \"$1\" || exit 120\nAP=\"$0\"\n" + script, audioprepPath, directory],
    timeLimit: timeLimit, whileRunning: whileRunning)
}
