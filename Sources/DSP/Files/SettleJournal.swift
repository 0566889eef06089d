import Glibc

/// What a run's settle is about to move into place, written down before its first move and
/// removed after its last (`CommittedOutputs.settle`), so that a run killed between the two
/// (SIGKILL, which nothing catches) is finished by the next run rather than left half done.
///
/// A run that writes several files (a segment set and its sidecar, with `--force` over earlier
/// ones) leaves each new file waiting beside its name until it has completed
/// (`OutputFile.movesAtSettle`), then moves them into place one by one: a kill in the middle
/// left some segments of the new run and the rest of the old one, under the old sidecar, whose
/// hashes then no longer matched (review42 H01). Now each directory holding waiting files, or
/// an earlier segment the run removes once settled (`CommittedOutputs.removeAtSettling`), gets a
/// journal first, ".settle.audioprep-PID-TAG.settling", written to a temporary and renamed, so it
/// is whole or absent: NUL-separated fields, three a step, "m" WAITING FINAL for a move over an
/// earlier file, "n" WAITING FINAL for one onto a name no file may hold (a run without
/// `--force`: every held output waits until settled, review48 H08), and "r" NAME STATE for a
/// removal (STATE: the file's device, inode, size and modification time when the run checked
/// it was the earlier segment unchanged). A journal whose run no longer
/// holds its token (`RunToken`) means that run had completed and was moving its files into place: whoever
/// next writes in that directory (`finishDeadRuns`: a batch sweeping its tree, a run taking a
/// segment set's lock, a run removing what dead runs left under its names) makes the moves it
/// names and the removals of files still as they were, so the names hold the killed run's
/// whole set and nothing of the earlier one.
/// A waiting file of a run killed before its settle has no journal, and goes
/// (`UnheldTemporary.removeIfItsRunIsGone`): the earlier set stays whole.
package struct SettleJournal {
  /// One step of a settle.
  enum Step {
    /// The waiting file `waiting` moves onto `final`: over an earlier file there if
    /// `replacing` (`--force`), never over one otherwise.
    case move(waiting: [UInt8], final: [UInt8], replacing: Bool)
    /// `name` goes, if still the file `state` describes.
    case remove(name: [UInt8], state: [UInt8])
  }

  /// The journals written, one per directory, each with the hold on the process's token there
  /// that says the settle is still going on (`RunToken`).
  private var written: [(directory: OutputDirectory, name: String, token: ProtectedFiles.Identity?)] = []

  static let suffix = ".settling"

  /// Writes the journals for `steps` (each with its directory), when there are two or more
  /// (one step alone is atomic). A journal that cannot be written leaves the settle as it was
  /// before journals (a kill then may leave a mix).
  init(writing steps: [(directory: OutputDirectory, step: Step)]) {
    guard steps.count > 1 else { return }
    // By the directory itself: each output may have opened its own descriptor of it.
    var byDirectory: [ProtectedFiles.Identity: (directory: OutputDirectory, contents: [UInt8])] = [:]
    for (directory, step) in steps {
      guard let identity = directory.identity else { continue }
      let fields: [UInt8] =
        switch step {
        case .move(let waiting, let final, let replacing): Array((replacing ? "m" : "n").utf8) + [0] + waiting + [0] + final + [0]
        case .remove(let name, let state): Array("r".utf8) + [0] + name + [0] + state + [0]
        }
      byDirectory[identity, default: (directory, [])].contents += fields
    }
    // One name per process: settles run one at a time (`TemporaryFiles.settling`), a batch's
    // workers' too, so no two journals of this process are ever written at once.
    let base = TemporaryFiles.temporaryName(for: Array("settle".utf8), suffix: "", tag: TemporaryFiles.runTag)
    let temporary = PathBytes.string(fromBytes: base + Array(".tmp".utf8))
    let journal = PathBytes.string(fromBytes: base + Array(Self.suffix.utf8))
    for (directory, contents) in byDirectory.values {
      let at = directory.descriptor
      let token = RunToken.hold(in: directory)
      let opened = Descriptor.open(temporary, in: at, flags: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode: 0o644)
      guard opened >= 0 else {
        RunToken.release(token)
        continue
      }
      let (count, error) = contents.withUnsafeBytes { Descriptor.writeAll(opened, $0) }
      let closed = (try? Descriptor.close(opened)) != nil
      if error == nil, count == contents.count, closed, Descriptor.rename(temporary, to: journal, in: at) == 0 {
        written.append((directory, journal, token))
      } else {
        _ = Descriptor.unlink(temporary, in: at)
        RunToken.release(token)
      }
    }
  }

  /// Removes the journals: every step they name was taken (or failed with a word).
  func remove() {
    for journal in written {
      _ = Descriptor.unlink(journal.name, in: journal.directory.descriptor)
      RunToken.release(journal.token)
    }
  }

  /// What a removal's journal entry says of `status`: device, inode, size, modification time.
  static func state(_ status: FileStatus) -> [UInt8] {
    Array("\(status.identity.device):\(status.identity.inode):\(status.size):\(status.modified.tv_sec).\(status.modified.tv_nsec)".utf8)
  }

  /// The process and tag whose journal `name` is (".settle.audioprep-PID-TAG.settling"), or nil.
  package static func owner(ofJournal name: [UInt8]) -> (process: pid_t, tag: [UInt8])? {
    TemporaryFiles.owner(of: name, suffix: suffix)
  }

  /// Finishes, in the open directory `directory`, the settles of runs that are gone from this
  /// machine (their journals), for a caller that has not listed the directory itself.
  package static func finishDeadRuns(in directory: Int32) {
    var journals: [String] = []
    try? DirectoryListing.forEach(in: directory) { entry in
      if owner(ofJournal: PathBytes.bytes(of: entry.name)) != nil { journals.append(entry.name) }
    }
    for journal in journals { finish(journal, in: directory) }
  }

  /// Finishes the settle `journal` names, in `directory`, if its run no longer holds its
  /// token there (`RunToken`: its run is gone): each waiting file it names that is still there,
  /// a regular file of that run's and named for its final name, moves into place (never over a
  /// directory or a protected file); each file it removes goes if still as the run saw it; then
  /// the journal goes.
  package static func finish(_ journal: String, in directory: Int32) {
    guard let owner = owner(ofJournal: PathBytes.bytes(of: journal)), !TemporaryFiles.isThisProcess(owner.process, tag: owner.tag),
      !RunToken.isHeld(process: owner.process, tag: owner.tag, in: directory)
    else { return }
    let process = owner.process
    let file = Descriptor.open(journal, in: directory, flags: O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
    guard file >= 0 else { return }
    let bytes = Descriptor.status(of: file)?.isRegular == true ? try? Descriptor.readAll(file, limit: maximumBytes) : nil
    try? Descriptor.close(file)
    guard let bytes else { return }
    let fields = bytes.split(separator: 0, omittingEmptySubsequences: false).map(Array.init)
    var moves: [(replacing: Bool, waiting: String, final: String)] = []
    var removals: [(name: String, state: [UInt8])] = []
    for step in stride(from: 0, to: fields.count - 2, by: 3) {
      let (kind, first, second) = (fields[step], fields[step + 1], fields[step + 2])
      switch kind {
      case Array("m".utf8), Array("n".utf8):
        guard let named = TemporaryFiles.waitingFile(first), named.process == process, named.tag == owner.tag, isPlainName(second),
          second == named.final || named.shortened && second.starts(with: named.final)
        else { continue }
        moves.append((kind == Array("m".utf8), PathBytes.string(fromBytes: first), PathBytes.string(fromBytes: second)))
      case Array("r".utf8) where isPlainName(first):
        removals.append((PathBytes.string(fromBytes: first), second))
      default:
        continue
      }
    }
    func status(_ name: String) -> FileStatus? { Descriptor.status(name, in: directory, following: false) }
    // Onto free names only, and every waiting file still there: the run was killed among its
    // links, before it had replaced or removed anything, so they are taken back and nothing of
    // it is left (review49 H02, H04).
    if !moves.isEmpty, moves.allSatisfy({ !$0.replacing && status($0.waiting)?.isRegular == true }) {
      for move in moves {
        if let placed = status(move.final), placed.identity == status(move.waiting)?.identity { _ = Descriptor.unlink(move.final, in: directory) }
        _ = Descriptor.unlink(move.waiting, in: directory)
      }
      _ = Descriptor.unlink(journal, in: directory)
      return
    }
    for move in moves {
      guard let waiting = status(move.waiting), waiting.isRegular else { continue }
      if let earlier = status(move.final), earlier.isDirectory || ProtectedFiles.role(of: earlier) != nil { continue }
      if move.replacing {
        _ = Descriptor.rename(move.waiting, to: move.final, in: directory)
      } else {
        // A name another file took meanwhile keeps it; the waiting file goes all the same. A
        // file system without hard links: checked, then renamed (as `OutputFile` commits).
        if Descriptor.link(move.waiting, to: move.final, in: directory) != 0, errno != EEXIST, status(move.final) == nil {
          _ = Descriptor.rename(move.waiting, to: move.final, in: directory)
        }
        _ = Descriptor.unlink(move.waiting, in: directory)
      }
    }
    for removal in removals {
      guard let status = status(removal.name), status.isRegular,
        state(status) == removal.state, ProtectedFiles.role(of: status) == nil
      else { continue }
      _ = Descriptor.unlink(removal.name, in: directory)
    }
    _ = Descriptor.unlink(journal, in: directory)
  }

  /// A name within a directory: not empty, no slash, not "." or "..".
  private static func isPlainName(_ name: [UInt8]) -> Bool {
    !name.isEmpty && !name.contains(UInt8(ascii: "/")) && name != [46] && name != [46, 46]
  }

  /// More than any journal of a real run holds (a step is 60 bytes for a segment, at most
  /// 540): a planted file is not read whole.
  static let maximumBytes = 64 << 20
}
