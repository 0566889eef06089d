import Glibc

/// The files no output of this process may replace: its inputs, and the outputs it has already
/// written.
///
/// Files are compared by device and inode, so every spelling of a path (`./in.wav`,
/// `dir/../in.wav`, a hard link, a symlink to it, `x.WAV` on a case-folding file system) is the
/// same file. `OutputFile` consults this set before it creates anything and again before it
/// moves a temporary into place; output names are also claimed, so two outputs of one run can
/// never name the same file.
public enum ProtectedFiles {
  /// A file's identity on this machine.
  public struct Identity: Hashable, Sendable {
    public let device: UInt64
    public let inode: UInt64

    public init(_ status: stat) {
      device = UInt64(status.st_dev)
      inode = UInt64(status.st_ino)
    }
  }

  /// Why a file may not be written.
  public enum Role: Sendable {
    case input, output
  }

  private static let lock = MonitorLock()
  nonisolated(unsafe) private static var files: [Identity: Role] = [:]
  /// Outputs named so far: the directory's identity and the name in it.
  nonisolated(unsafe) private static var claimedNames: Set<ClaimedName> = []

  private struct ClaimedName: Hashable {
    let directory: Identity
    let name: [UInt8]
  }

  /// Marks the file at `path` (following symlinks; "-" is standard input's file) as an input;
  /// a path that does not exist adds nothing, and only regular files are ever protected.
  public static func protectInput(_ path: String) {
    var status = stat()
    let found = path == "-" ? fstat(STDIN_FILENO, &status) : PathBytes.withPath(path, { stat($0, &status) })
    guard found == 0 else { return }
    add(Identity(status), as: .input)
  }

  /// Marks an open file as written by this run.
  static func protectOutput(descriptor: Int32) {
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { return }
    add(Identity(status), as: .output)
  }

  /// The role of `status`'s file, if it is protected.
  static func role(of status: stat) -> Role? {
    guard (status.st_mode & S_IFMT) == S_IFREG else { return nil }
    return lock.withLock { files[Identity(status)] }
  }

  /// Claims `name` in the directory open as `directory` for one output; false when another
  /// output of this run has claimed it.
  static func claim(directory: Int32, name: [UInt8]) -> Bool {
    var status = stat()
    guard fstat(directory, &status) == 0 else { return true }
    return lock.withLock { claimedNames.insert(ClaimedName(directory: Identity(status), name: name)).inserted }
  }

  private static func add(_ identity: Identity, as role: Role) {
    lock.withLock {
      // An input stays an input.
      if files[identity] != .input { files[identity] = role }
    }
  }
}
