import Glibc

/// A held output's settle (`CommittedOutputs.settle`), once its whole run has succeeded, in the
/// order the run's files take together: what would refuse a move is checked (`checkSettle`); an
/// earlier file a `--force` output replaces is linked aside (`setEarlierAside`); the step is
/// written in the settle's journal (`settleStep`, `SettleJournal`); a new name is linked
/// (`linkIntoPlace`); an earlier file is replaced (`replaceIntoPlace`); then the waiting and
/// aside names go (`settle`). Until the last replacement, every step can be taken back: by the
/// run that fails (`takeBack`), or by a later run for one killed (`SettleJournal.finish`).
extension OutputFile {
  /// What a `--force` output's name held when its settle began.
  enum EarlierAtSettle {
    /// Nothing: the name was free.
    case none
    /// A file, linked aside (`asideName`) until the settle ends.
    case aside
    /// A file no link could set aside (a file system without hard links): once replaced, it
    /// cannot be put back.
    case notAside
  }

  /// The name an earlier file is linked to while a `--force` settle replaces it,
  /// ".NAME.audioprep-PID-TAG.earlier": the waiting file's name with the other suffix (of one
  /// length, so NAME is shortened alike).
  static func asideName(ofWaiting waiting: [UInt8]) -> [UInt8] {
    Array(waiting.dropLast(TemporaryFiles.pendingSuffix.utf8.count)) + Array(TemporaryFiles.asideSuffix.utf8)
  }

  /// A held output still waiting may replace the earlier file under its name after all: a
  /// record of the same input another run made while this one ran vouches for it (review50
  /// H02: two batches of one corpus at once, cutting at two lengths, failed inputs as each
  /// other's strangers). Asked before the settle's checks.
  package func mayReplace() {
    guard movesAtSettle, waiting != nil else { return }
    overwrite = true
  }

  /// What would refuse the move `settle` makes, checked before any output of the run moves
  /// (review49 H06: a directory that took an earlier segment's name failed the run after the
  /// rest of the new set had replaced the earlier one): never over a directory or a protected
  /// file, and without `overwrite` never over another file (unless it holds these very bytes,
  /// `identicalStands`).
  func checkSettle() throws {
    guard movesAtSettle, let directory, let status = Descriptor.status(PathBytes.string(fromBytes: name), in: directory.descriptor, following: false)
    else { return }
    try Self.refuseProtected(status, path: path)
    if status.isDirectory { throw AudioIOError(.cannotCreateOutput, path: path, "is a directory") }
    guard let waiting, !overwrite else { return }
    guard identicalStands, status.isRegular else {
      throw AudioIOError(.cannotCreateOutput, path: path, "already exists (use --force to replace it)")
    }
    guard SameBytes.files(PathBytes.string(fromBytes: waiting.name), PathBytes.string(fromBytes: name), in: directory.descriptor) else {
      throw AudioIOError(.outputTaken, path: path, "already exists, with other bytes than this run's; --force replaces it")
    }
  }

  /// For a `--force` output of a settle that is journalled: the earlier file under its name is
  /// linked aside before the journal is written, so that the journal says whether it can be
  /// put back (review49 H01, H03: a run killed among its replacements was finished forward by
  /// the next, which put the unfinished run's set in place of the earlier one).
  func setEarlierAside() throws {
    guard movesAtSettle, overwrite, let waiting, let directory else { return }
    let at = directory.descriptor
    guard let status = Descriptor.status(PathBytes.string(fromBytes: name), in: at, following: false) else {
      earlierAtSettle = .none
      return
    }
    guard status.isRegular || status.kind == .symlink else { return }
    if Descriptor.link(PathBytes.string(fromBytes: name), to: PathBytes.string(fromBytes: Self.asideName(ofWaiting: waiting.name)), in: at) == 0 {
      earlierAtSettle = .aside
      return
    }
    let code = errno
    guard Descriptor.makesNoHardLinks(code) else { throw Self.createFailure(path, code) }
    earlierAtSettle = .notAside
  }

  /// The settle's first step for an output without `overwrite`: its waiting file is linked onto
  /// the name, which must be free, and keeps its waiting name until `settle`. A run killed
  /// before the last such link has every waiting file still there, which tells a later run to
  /// take its links back (`SettleJournal.finish`); one that fails (a full device) takes them
  /// back itself (`takeBack`): either way no name holds part of the set (review49 H02, H07). A
  /// file system without hard links leaves the move to `settle`.
  func linkIntoPlace() throws {
    guard movesAtSettle, !overwrite, !linked, let waiting, let directory else { return }
    let final = PathBytes.string(fromBytes: name)
    if Descriptor.link(PathBytes.string(fromBytes: waiting.name), to: final, in: directory.descriptor) == 0 {
      linked = true
      return
    }
    let code = errno
    if Descriptor.makesNoHardLinks(code) { return }
    // These very bytes already there (`checkSettle`): `settle` lets them stand.
    if code == EEXIST, identicalStands { return }
    throw code == EEXIST
      ? AudioIOError(.cannotCreateOutput, path: path, "already exists (use --force to replace it)")
      : Self.createFailure(path, code)
  }

  /// A `--force` output's move over its name, after every link of the run has been made: the
  /// waiting file replaces what is there (its earlier file aside, `setEarlierAside`).
  func replaceIntoPlace() throws {
    guard movesAtSettle, overwrite, !replaced, let waiting, let directory else { return }
    try moveIntoPlace(PathBytes.string(fromBytes: waiting.name), PathBytes.string(fromBytes: name), in: directory)
    replaced = true
  }

  /// Whether `takeBack` can undo what the settle did so far.
  var canBeTakenBack: Bool { !replaced || earlierAtSettle != .notAside }

  /// Takes back what the settle's steps did so far: a link made onto a new name goes, an
  /// earlier file replaced is put back from aside (a name that was free is freed), and the
  /// aside name goes. False when a replaced file cannot be put back (`EarlierAtSettle.notAside`).
  @discardableResult
  func takeBack() -> Bool {
    guard let waiting, let directory else { return true }
    let at = directory.descriptor
    let final = PathBytes.string(fromBytes: name)
    let aside = PathBytes.string(fromBytes: Self.asideName(ofWaiting: waiting.name))
    if linked {
      linked = false
      if let placed = Descriptor.status(final, in: at, following: false),
        placed.identity == Descriptor.status(PathBytes.string(fromBytes: waiting.name), in: at, following: false)?.identity
      {
        _ = Descriptor.unlink(final, in: at)
      }
    }
    if replaced {
      switch earlierAtSettle {
      case .aside: guard Descriptor.rename(aside, to: final, in: at) == 0 else { return false }
      case .none: _ = Descriptor.unlink(final, in: at)
      case .notAside: return false
      }
      replaced = false
    } else if earlierAtSettle == .aside {
      _ = Descriptor.unlink(aside, in: at)
    }
    earlierAtSettle = .none
    return true
  }

  /// The settle's last step: the run's files are all in place, and a signal no longer takes
  /// them back. A waiting file not yet moved moves now (or, for `removesEarlier`, the name
  /// goes); one linked or renamed there loses its waiting name, and an earlier file its aside
  /// name.
  package func settle() throws {
    defer { releaseHold() }
    guard movesAtSettle, let directory else { return }
    movesAtSettle = false
    let final = PathBytes.string(fromBytes: name)
    guard let waiting else {
      try removeEarlier(final, PathBytes.string(fromBytes: temporaryName), in: directory)
      return
    }
    self.waiting = nil
    defer {
      TemporaryFiles.release(waiting.registration)
      RunToken.release(waiting.token)
    }
    let waitingName = PathBytes.string(fromBytes: waiting.name)
    if earlierAtSettle == .aside {
      _ = Descriptor.unlink(PathBytes.string(fromBytes: Self.asideName(ofWaiting: waiting.name)), in: directory.descriptor)
    }
    if replaced || linked {
      if linked { _ = Descriptor.unlink(waitingName, in: directory.descriptor) }
      (replaced, linked) = (false, false)
      return
    }
    do {
      try moveIntoPlace(waitingName, final, in: directory)
    } catch {
      _ = Descriptor.unlink(waitingName, in: directory.descriptor)
      throw error
    }
  }

  /// Whether a new file waits beside the name for `settle` (a step of the settle's journal).
  var isWaiting: Bool { waiting != nil && directory != nil }

  /// The directory `settle` moves a file into or removes one from, if any (`SettleLock`).
  var directoryMovedInto: OutputDirectory? { movesAtSettle ? directory : nil }

  /// The step `settle` takes, for its journal: the move of the waiting file, if any, and how a
  /// later run can take it back (`SettleJournal.Step.Move`), by the new file's state.
  var settleStep: (directory: OutputDirectory, step: SettleJournal.Step)? {
    guard let waiting, let directory else { return nil }
    guard overwrite else { return (directory, .move(waiting: waiting.name, final: name, onto: .freeName)) }
    let newFile = Descriptor.status(PathBytes.string(fromBytes: waiting.name), in: directory.descriptor, following: false).map(SettleJournal.state)
    let onto: SettleJournal.Step.Move =
      switch (earlierAtSettle, newFile) {
      case (.aside, let newFile?): .earlierAside(newFile: newFile)
      case (.none, let newFile?): .forcedFreeName(newFile: newFile)
      default: .replacing
      }
    return (directory, .move(waiting: waiting.name, final: name, onto: onto))
  }
}
