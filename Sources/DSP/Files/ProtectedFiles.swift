import Glibc

/// The files no output of this process may replace: its inputs, and the outputs it has already
/// written.
///
/// Files are compared by device and inode, so every spelling of a path (`./in.wav`,
/// `dir/../in.wav`, a hard link, a symlink to it, `x.WAV` on a case-folding file system) is the
/// same file. `OutputFile` consults this set before it creates anything and again before it
/// moves a temporary into place; output names are also claimed, so two outputs of one run can
/// never name the same file.
///
/// An inode is reused once its file is gone: when another process replaces an output of this
/// run (two batches on one out-dir), the number may come back as a different file. A finished
/// output is therefore protected only while it is the file this run wrote: same inode and same
/// modification time; an input only while it is the file it was: same inode and same change
/// time (a file made since in a reused inode was refused as "an input"). A log this run holds
/// open (the manifest) keeps its inode, so its inode alone protects it. A claimed name is
/// released when the output that claimed it goes (`release`): a directory removed and its inode
/// reused made a later output there "named by another output of this run" (in-process tests,
/// whose scratch directories come and go in one process); once written, the output is
/// protected by its identity instead.
package enum ProtectedFiles {
  /// A file's identity on this machine.
  package struct Identity: Hashable, Sendable {
    package let device: UInt64
    package let inode: UInt64

    package init(_ status: stat) {
      device = UInt64(status.st_dev)
      inode = UInt64(status.st_ino)
    }
  }

  /// Why a file may not be written.
  package enum Role: Sendable {
    case input, output
  }

  /// What is known of a protected file.
  private enum Entry {
    /// An input; `changed` is its change time when it was protected.
    case input(changed: timespec)
    /// An output; `modified` is its modification time when this run finished it, or nil for a
    /// file held open by this run.
    case output(modified: timespec?)

    var role: Role {
      if case .input = self { .input } else { .output }
    }
  }

  private static let lock = MonitorLock(processWide: true)
  nonisolated(unsafe) private static var files: [Identity: Entry] = [:]
  /// Outputs named so far: the directory's identity and the name in it.
  nonisolated(unsafe) private static var claimedNames: Set<ClaimedName> = []

  fileprivate struct ClaimedName: Hashable {
    let directory: Identity
    let name: [UInt8]
  }

  /// Marks the file at `path` (following symlinks; "-" is standard input's file) as an input;
  /// a path that does not exist adds nothing, and only regular files are ever protected.
  package static func protectInput(_ path: String) {
    guard let status = path == "-" ? Descriptor.status(of: STDIN_FILENO) : Descriptor.status(path) else { return }
    add(status.identity, as: .input(changed: status.changed))
  }

  /// Marks an open file as written by this run: `finished` once nothing more will be written to
  /// it (it is then recognised by its modification time too), or held open for appending.
  static func protectOutput(descriptor: Int32, finished: Bool) {
    guard let status = Descriptor.status(of: descriptor) else { return }
    add(status.identity, as: .output(modified: finished ? status.modified : nil))
  }

  /// The role of `status`'s file, if it is protected: a regular file, or a FIFO that is an
  /// input (written as an output, audioprep would wait on itself or read back what it writes).
  static func role(of status: FileStatus) -> Role? {
    guard status.kind == .regular || status.kind == .fifo else { return nil }
    let entry = lock.withLock { files[status.identity] }
    if status.kind == .fifo, entry?.role != .input { return nil }
    if case .output(let modified?) = entry, !Self.same(modified, status.modified) {
      return nil  // the output this run wrote is gone; its inode now holds another file
    }
    // (A FIFO's change time moves with every write to it: it stays an input.)
    if case .input(let changed) = entry, status.kind == .regular, !Self.same(changed, status.changed) {
      return nil  // the input is gone; its inode now holds another file
    }
    return entry?.role
  }

  /// The role of the file at `path` (following symlinks), if it is protected.
  package static func role(at path: String) -> Role? {
    Descriptor.status(path).flatMap(role(of:))
  }

  /// Refuses (73) an output `path` that names a protected file, however spelled: checked
  /// before anything is opened, since opening an input FIFO to write would wait for a reader.
  package static func refuseProtected(outputPath path: String) throws {
    guard path != "-", let status = Descriptor.status(path), let role = role(of: status) else { return }
    throw AudioIOError(
      .cannotCreateOutput, path: path,
      role == .input ? "is an input; refusing to write over it" : "was already written by this run; refusing to write over it")
  }

  /// A name claimed for one output (`claim`), held until that output lets it go (`release`).
  package struct Claim {
    fileprivate let name: ClaimedName?
  }

  /// Claims `name` in the directory open as `directory` for one output; nil when another
  /// output of this run holds it.
  static func claim(directory: Int32, name: [UInt8]) -> Claim? {
    guard let status = Descriptor.status(of: directory) else { return Claim(name: nil) }
    let claimed = ClaimedName(directory: status.identity, name: name)
    return lock.withLock { claimedNames.insert(claimed).inserted } ? Claim(name: claimed) : nil
  }

  /// Lets `claim` go: its output has gone (discarded, or settled and protected by its identity).
  static func release(_ claim: Claim) {
    guard let name = claim.name else { return }
    _ = lock.withLock { claimedNames.remove(name) }
  }

  private static func same(_ a: timespec, _ b: timespec) -> Bool { a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec }

  private static func add(_ identity: Identity, as entry: Entry) {
    lock.withLock {
      // An input stays an input (the same file, protected again: its change time as now).
      if files[identity]?.role != .input || entry.role == .input { files[identity] = entry }
    }
  }
}
