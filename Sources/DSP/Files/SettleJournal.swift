import Glibc

/// What a run's settle is about to move into place, written down before its first move and
/// removed after its last (`CommittedOutputs.settle`), so that a run killed between the two
/// (SIGKILL, which nothing catches) is taken back, or finished, by the next run rather than left
/// half done.
///
/// A run that writes several files (a segment set and its sidecar, with `--force` over earlier
/// ones) leaves each new file waiting beside its name until it has completed
/// (`OutputFile.movesAtSettle`), then moves them into place one by one: a kill in the middle
/// left some segments of the new run and the rest of the old one, under the old sidecar, whose
/// hashes then no longer matched (review42 H01). Now each directory holding waiting files, or
/// an earlier segment the run removes once settled (`CommittedOutputs.removeAtSettling`), gets a
/// journal first, ".settle.audioprep-PID-TAG.settling", written to a temporary and renamed, so it
/// is whole or absent: NUL-separated fields, a kind and its fields a step (`Step`):
/// - "n" WAITING FINAL: a move onto a name no file may hold (a run without `--force`), by a link;
/// - "M" WAITING FINAL NEW: a move over an earlier file, which was linked aside first
///   (`OutputFile.asideName`); NEW is the new file's state;
/// - "F" WAITING FINAL NEW: a `--force` move onto a name that was free;
/// - "m" WAITING FINAL: a move over an earlier file that could not be linked aside;
/// - "r" NAME STATE: a removal, if the file is still as the run saw it.
/// (STATE: device, inode, size and modification time.) A journal whose run no longer holds its
/// token (`RunToken`) is that of a run killed as it settled. Whoever next writes in that
/// directory (`DeadRuns.clear`, or a batch sweeping its tree: a run taking a segment set's lock, a
/// run removing what dead runs left under its names) takes it back while it can (`takesBack`:
/// the run had not made its last replacement, and every move it made can be undone): each name
/// holds what it held before the run, or what a user put there since. Past that point, it
/// makes the moves left and the removals of files still as they were, so the names hold the
/// killed run's whole set and nothing of the earlier one.
/// A waiting file of a run killed before its settle has no journal, and goes
/// (`UnheldTemporary.removeIfItsRunIsGone`): the earlier set stays whole.
package struct SettleJournal {
  /// One step of a settle.
  enum Step {
    /// The waiting file `waiting` moves onto `final`.
    case move(waiting: [UInt8], final: [UInt8], onto: Move)
    /// `name` goes, if still the file `state` describes.
    case remove(name: [UInt8], state: [UInt8])

    /// What a move's name holds, and so how a later run takes the move back.
    enum Move {
      /// "n": a name no file may hold (a run without `--force`), linked; the link goes.
      case freeName
      /// "M": an earlier file, linked aside first (`OutputFile.asideName`); it is put back if
      /// the name still holds the new file (`newFile`: its state).
      case earlierAside(newFile: [UInt8])
      /// "F": with `--force`, a name that was free; it is freed if it still holds the new file.
      case forcedFreeName(newFile: [UInt8])
      /// "m": an earlier file no link could set aside (or a journal before stop 48): the move
      /// cannot be taken back once made, and is finished.
      case replacing
    }
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
      let fields: [[UInt8]] =
        switch step {
        case .move(let waiting, let final, .freeName): [Array("n".utf8), waiting, final]
        case .move(let waiting, let final, .earlierAside(let newFile)): [Array("M".utf8), waiting, final, newFile]
        case .move(let waiting, let final, .forcedFreeName(let newFile)): [Array("F".utf8), waiting, final, newFile]
        case .move(let waiting, let final, .replacing): [Array("m".utf8), waiting, final]
        case .remove(let name, let state): [Array("r".utf8), name, state]
        }
      byDirectory[identity, default: (directory, [])].contents += fields.flatMap { $0 + [0] }
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

  /// Removes `name` from `directory` if it is still the regular file `state` describes (what a
  /// removal's step says of it), and no input or output of this run: a file edited or replaced
  /// since it was checked stays (review51 H1: an extra segment the user edited while a
  /// `--force` run settled went). Checked, then renamed aside (".NAME.audioprep-PID-TAG.removed")
  /// and removed only if the file renamed is the one checked: a file moved to the name in the
  /// instant between goes back to it (review53 H2: the unlink by name removed it). A run killed
  /// in between leaves the renamed file, a dead run's, for the next run there (`DeadRuns`).
  static func removeIfUnchanged(_ name: String, state recorded: [UInt8], in directory: Int32) {
    guard let status = Descriptor.status(name, in: directory, following: false), status.isRegular,
      removalState(status) == recorded, ProtectedFiles.role(of: status) == nil
    else { return }
    let removed = PathBytes.string(
      fromBytes: TemporaryFiles.temporaryName(for: PathBytes.bytes(of: name), suffix: TemporaryFiles.removedSuffix, tag: TemporaryFiles.runTag))
    guard Descriptor.rename(name, to: removed, in: directory) == 0 else { return }
    // (Its state without the change time, which the rename moves.)
    if let moved = Descriptor.status(removed, in: directory, following: false), state(moved) == state(status) {
      _ = Descriptor.unlink(removed, in: directory)
      return
    }
    // Put back, never over a file that came to the name since (a file system without hard
    // links: checked, then renamed); when one did, under NAME.audioprep-kept beside it, in sight
    // (review55 W2: left under the hidden name, the next run there removed it as a dead run's).
    for target in [name, name + ".audioprep-kept"] {
      if Descriptor.link(removed, to: target, in: directory) == 0 {
        _ = Descriptor.unlink(removed, in: directory)
        return
      }
      if Descriptor.makesNoHardLinks(errno), Descriptor.status(target, in: directory, following: false) == nil {
        _ = Descriptor.rename(removed, to: target, in: directory)
        return
      }
    }
  }

  /// What a move's journal entry says of the new file: device, inode, size, modification time
  /// (not the change time: the rename into place changes it).
  static func state(_ status: FileStatus) -> [UInt8] {
    Array("\(status.identity.device):\(status.identity.inode):\(status.size):\(status.modified.tv_sec).\(status.modified.tv_nsec)".utf8)
  }

  /// What a removal's journal entry says of the file it removes: `state` and the inode's change
  /// time, which a write, a chmod or a link moves and nobody sets back (review52 H3: an extra
  /// edited in place, its size and times put back as `rsync -t --inplace` does, was removed).
  static func removalState(_ status: FileStatus) -> [UInt8] {
    state(status) + Array(":\(status.changed.tv_sec).\(status.changed.tv_nsec)".utf8)
  }

  /// The process and tag whose journal `name` is (".settle.audioprep-PID-TAG.settling"), or nil.
  package static func owner(ofJournal name: [UInt8]) -> (process: pid_t, tag: [UInt8])? {
    TemporaryFiles.owner(of: name, suffix: suffix)
  }

  /// The process and tag whose journal's temporary `name` is (".settle.audioprep-PID-TAG.tmp",
  /// made while its journal is written), or nil.
  package static func owner(ofJournalTemporary name: [UInt8]) -> (process: pid_t, tag: [UInt8])? {
    guard TemporaryFiles.finalName(ofTemporary: name)?.name == Array("settle".utf8) else { return nil }
    return TemporaryFiles.owner(of: name, suffix: ".tmp")
  }

  /// Takes back or finishes the settle `journal` names, in `directory`, if its run no longer
  /// holds its token there (`RunToken`: its run is gone). Taken back (`takesBack`): each name
  /// that still holds the run's new file gets its earlier file back (or is freed), and the
  /// run's waiting and aside files go. Finished: each waiting file it names that is still
  /// there, a regular file of that run's and named for its final name, moves into place (never
  /// over a directory or a protected file); each file it removes goes if still as the run saw
  /// it. Then the journal goes.
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
    var moves: [(onto: Step.Move, waiting: String, final: String)] = []
    var removals: [(name: String, state: [UInt8])] = []
    var step = 0
    while step + 2 < fields.count {
      let (kind, first, second) = (fields[step], fields[step + 1], fields[step + 2])
      // "M" and "F" carry the new file's state as a fourth field.
      let fourth = kind == Array("M".utf8) || kind == Array("F".utf8) ? (step + 3 < fields.count ? fields[step + 3] : nil) : nil
      step += fourth == nil ? 3 : 4
      let onto: Step.Move
      switch kind {
      case Array("r".utf8):
        if isPlainName(first) { removals.append((PathBytes.string(fromBytes: first), second)) }
        continue
      case Array("n".utf8): onto = .freeName
      case Array("m".utf8): onto = .replacing
      case Array("M".utf8): onto = fourth.map { .earlierAside(newFile: $0) } ?? .replacing
      case Array("F".utf8): onto = fourth.map { .forcedFreeName(newFile: $0) } ?? .replacing
      default: continue
      }
      guard let named = TemporaryFiles.waitingFile(first), named.process == process, named.tag == owner.tag, isPlainName(second),
        second == named.final || named.shortened && second.starts(with: named.final)
      else { continue }
      moves.append((onto, PathBytes.string(fromBytes: first), PathBytes.string(fromBytes: second)))
    }
    func status(_ name: String) -> FileStatus? { Descriptor.status(name, in: directory, following: false) }
    func isWaiting(_ name: String) -> Bool { status(name)?.isRegular == true }
    func aside(_ waiting: String) -> String { PathBytes.string(fromBytes: OutputFile.asideName(ofWaiting: PathBytes.bytes(of: waiting))) }
    if !moves.isEmpty, takesBack(moves, isWaiting: isWaiting) {
      for move in moves {
        // A name that no longer holds the new file (the user put one there) keeps what it holds.
        let holdsTheNewFile = isWaiting(move.waiting) ? nil : status(move.final).map(state)
        switch move.onto {
        case .freeName:
          if let placed = status(move.final), placed.identity == status(move.waiting)?.identity { _ = Descriptor.unlink(move.final, in: directory) }
        case .earlierAside(let newFile) where holdsTheNewFile == newFile:
          _ = Descriptor.rename(aside(move.waiting), to: move.final, in: directory)
        case .forcedFreeName(let newFile) where holdsTheNewFile == newFile:
          _ = Descriptor.unlink(move.final, in: directory)
        default:
          break
        }
        _ = Descriptor.unlink(aside(move.waiting), in: directory)
        _ = Descriptor.unlink(move.waiting, in: directory)
      }
      _ = Descriptor.unlink(journal, in: directory)
      return
    }
    for move in moves {
      defer { _ = Descriptor.unlink(aside(move.waiting), in: directory) }
      guard let waiting = status(move.waiting), waiting.isRegular else { continue }
      if let earlier = status(move.final), earlier.isDirectory || ProtectedFiles.role(of: earlier) != nil { continue }
      if case .freeName = move.onto {
        // A name another file took meanwhile keeps it; the waiting file goes all the same. A
        // file system without hard links: checked, then renamed (as `OutputFile` commits).
        if Descriptor.link(move.waiting, to: move.final, in: directory) != 0, errno != EEXIST, status(move.final) == nil {
          _ = Descriptor.rename(move.waiting, to: move.final, in: directory)
        }
        _ = Descriptor.unlink(move.waiting, in: directory)
      } else {
        _ = Descriptor.rename(move.waiting, to: move.final, in: directory)
      }
    }
    for removal in removals { removeIfUnchanged(removal.name, state: removal.state, in: directory) }
    _ = Descriptor.unlink(journal, in: directory)
  }

  /// Whether a dead run's settle of `moves` is taken back rather than finished: it had not
  /// made its last replacement (a replacing move's waiting file is still there; with none, no
  /// new name had lost its waiting name yet), and every move it made can be undone (a link onto
  /// a free name, whose waiting file is still there; a replacement whose earlier file is aside,
  /// or whose name was free). The run never completed: the names hold what they held before it
  /// (review49 H01-H04).
  private static func takesBack(_ moves: [(onto: Step.Move, waiting: String, final: String)], isWaiting: (String) -> Bool) -> Bool {
    var replacing = 0
    var replacementsLeft = 0
    for move in moves {
      switch move.onto {
      case .freeName:
        if !isWaiting(move.waiting) { return false }
      case .replacing:
        replacing += 1
        if !isWaiting(move.waiting) { return false }
        replacementsLeft += 1
      case .earlierAside, .forcedFreeName:
        replacing += 1
        if isWaiting(move.waiting) { replacementsLeft += 1 }
      }
    }
    return replacing == 0 || replacementsLeft > 0
  }

  /// A name within a directory: not empty, no slash, not "." or "..".
  private static func isPlainName(_ name: [UInt8]) -> Bool {
    !name.isEmpty && !name.contains(UInt8(ascii: "/")) && name != [46] && name != [46, 46]
  }

  /// More than any journal of a real run holds (a step is 60 bytes for a segment, at most
  /// 540): a planted file is not read whole.
  static let maximumBytes = 64 << 20
}
