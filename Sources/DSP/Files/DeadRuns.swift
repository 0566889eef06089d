import Glibc

/// What runs gone from this machine (a `kill -9`, a lost node) left in a directory audioprep
/// writes in, cleared away by the next run there: their settles first (`SettleJournal.finish`:
/// taken back or finished), then their waiting files (`.pending`) and the earlier files they
/// had linked aside (`.earlier`), whatever names they were for, the files their settles were
/// removing (`.removed`: checked to be those a journal named), their journals' temporaries,
/// their tokens (`RunToken`), and the settle lock when nobody holds it (`SettleLock`). A file
/// goes only when its run no longer holds its token there (`UnheldTemporary.removeIfItsRunIsGone`),
/// never this process's own (review51 W1-W3: a run killed at a few instants left these, and
/// only a batch's sweep of its tree removed them). Temporaries (`.tmp`) go by their own rule,
/// with the names a run writes (`CommittedOutputs.removeTemporariesDeadRunsLeft`), and in a batch's
/// sweep of its tree (`StaleTemporaries`): both read the entries of this listing.
package enum DeadRuns {
  /// Clears away, in the open directory `directory`, what dead runs left. Every other entry of
  /// the one listing this takes goes to `otherEntry`, as it is read (a caller's own sweep of
  /// the same directory: its temporaries, its subdirectories), before anything is cleared.
  package static func clear(in directory: Int32, otherEntry: (DirectoryListing.Entry) -> Void = { _ in }) {
    var journals: [String] = []
    var files: [(name: String, process: pid_t, tag: [UInt8])] = []
    var tokens: [(process: pid_t, tag: [UInt8])] = []
    try? DirectoryListing.forEach(in: directory) { entry in
      let bytes = PathBytes.bytes(of: entry.name)
      if SettleJournal.owner(ofJournal: bytes) != nil {
        journals.append(entry.name)
      } else if let file = TemporaryFiles.waitingFile(bytes) ?? TemporaryFiles.asideFile(bytes) {
        files.append((entry.name, file.process, file.tag))
      } else if let owner = SettleJournal.owner(ofJournalTemporary: bytes) ?? TemporaryFiles.removedFile(bytes) {
        files.append((entry.name, owner.process, owner.tag))
      } else if let owner = RunToken.owner(ofToken: bytes) {
        tokens.append(owner)
      } else {
        otherEntry(entry)
      }
    }
    for journal in journals { SettleJournal.finish(journal, in: directory) }
    for file in files { UnheldTemporary.removeIfItsRunIsGone(file.name, process: file.process, tag: file.tag, in: directory) }
    // Tokens nobody holds (`RunToken.isHeld` removes them).
    for token in tokens where !TemporaryFiles.isThisProcess(token.process, tag: token.tag) {
      _ = RunToken.isHeld(process: token.process, tag: token.tag, in: directory)
    }
    SettleLock.removeIfUnheld(in: directory)
  }
}
