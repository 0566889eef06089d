import Glibc

/// What a run did: the chain's report, what was read, what was written.
public struct RunResult {
  public var report: PipelineReport
  public var input: InputSummary
  public var output: SinkSummary
  /// The comparison with the golden file, when one was given.
  public var verification: AudioVerifier.Result?
  /// The samples, for `.memory` output.
  public var samples: [Float]?
}

/// What the decoder saw of the input.
public struct InputSummary: Sendable {
  /// "libsndfile" or "FFmpeg".
  public var decoderName: String
  /// The container and encoding, e.g. "WAV, Signed 16 bit PCM".
  public var formatName: String
  /// Set when the input held less audio than its header announced.
  public var truncation: String?
  /// A raw input's first bytes (up to 4): where a container's signature would be.
  public var leadingBytes: [UInt8] = []
}

/// What a sink wrote, returned by `AudioSink.finish`.
public struct SinkSummary {
  /// Samples clipped to full scale.
  public var clippedSamples = 0
  /// Bytes written to a stream output (standard output, a FIFO), header included; nil for a file.
  public var bytesWritten: Int64?
  /// The files moved into place, provisional until settled.
  public var outputs = CommittedOutputs()
  /// The samples, from a sink that keeps them (`MemorySink`).
  public var samples: [Float]?

  public init(
    clippedSamples: Int = 0, bytesWritten: Int64? = nil, outputs: CommittedOutputs = CommittedOutputs(),
    samples: [Float]? = nil
  ) {
    self.clippedSamples = clippedSamples
    self.bytesWritten = bytesWritten
    self.outputs = outputs
    self.samples = samples
  }
}

/// The files a run finished, waiting beside their names until the run's last step has
/// succeeded.
///
/// Calling sequence: the run commits each file (`OutputFile.commit`, holding it); then either
/// `settle()` once everything the caller still had to do succeeded (a statistics file, a
/// sidecar): each moves into place; or `retract()` if it failed: each waiting file goes, and
/// every name keeps what it held (an earlier file `--force` would have replaced). A signal
/// before either does what `retract` does.
public final class CommittedOutputs {
  private var files: [OutputFile] = []
  /// What goes once the run has settled, each asked for its paths then (a previous run's extra
  /// segments, those still as that run left them).
  private var removedWhenSettled: [() -> [String]] = []
  /// What the run does once it has settled or been taken back (`onEnding`).
  private var whenEnded: [() -> Void] = []

  public init() {}

  /// Adds a file moved into place (held until settled).
  package func append(_ file: OutputFile) { files.append(file) }

  /// Where each file's bytes can be read until the run settles (`OutputFile.committedBytesPath`).
  package var committedBytesPaths: [String] { files.map(\.committedBytesPath) }

  /// Lets each file still waiting whose name (its last component) is among `names` replace
  /// the earlier file there (`OutputFile.mayReplace`), before `settle`.
  package func mayReplace(_ names: Set<String>) {
    for file in files where names.contains(PathBytes.string(fromBytes: file.name)) { file.mayReplace() }
  }

  /// Adds every file of `other`.
  public func append(contentsOf other: CommittedOutputs) {
    files += other.files
    removedWhenSettled += other.removedWhenSettled
    whenEnded += other.whenEnded
  }

  /// Removes the files `paths` gives once the run has settled (asked then, in the instant
  /// before the moves into place, and named in the settle's journal); never if it is taken back.
  package func removeAtSettling(_ paths: @escaping () -> [String]) { removedWhenSettled.append(paths) }

  /// Runs `action` once the run has settled or been taken back, after either (a lock on what
  /// it writes is let go then).
  package func onEnding(_ action: @escaping () -> Void) { whenEnded.append(action) }

  /// Clears away what dead runs (a `kill -9`) left in these files' directories (`DeadRuns`:
  /// their settles taken back or finished, their waiting and aside files, tokens and locks),
  /// then their temporaries under these files' names nobody holds (`UnheldTemporary`), one
  /// listing a directory (review40 G09: a rerun of `process` kept its killed run's 7.7 MB
  /// temporary; a batch sweeps its whole tree as it starts, `StaleTemporaries`).
  package func removeTemporariesDeadRunsLeft() {
    // By the directory itself: each output may have opened its own descriptor of it.
    var names: [ProtectedFiles.Identity: (directory: OutputDirectory, names: Set<[UInt8]>)] = [:]
    for file in files {
      guard let directory = file.directory, let identity = directory.identity else { continue }
      names[identity, default: (directory, [])].names.insert(file.name)
    }
    for (directory, finals) in names.values {
      var dead: [String] = []
      func isOurs(_ final: [UInt8], shortened: Bool) -> Bool { finals.contains(final) || shortened && finals.contains(where: { $0.starts(with: final) }) }
      DeadRuns.clear(in: directory.descriptor) { entry in
        if let (final, shortened) = TemporaryFiles.finalName(ofTemporary: PathBytes.bytes(of: entry.name)), isOurs(final, shortened: shortened) {
          dead.append(entry.name)
        }
      }
      // One unheld but younger than a live writer's instant before its lock is looked at again
      // once that has passed, as a batch's sweep does (review50 W01: a run started right after
      // a `kill -9` left the killed run's temporaries).
      let young = dead.filter { UnheldTemporary.remove($0, in: directory.descriptor) == .young }
      if !young.isEmpty {
        usleep(UInt32(UnheldTemporary.settlingTime * 1e6))
        for name in young { _ = UnheldTemporary.remove(name, in: directory.descriptor) }
      }
    }
  }

  /// Takes every file back: an earlier file each was to replace stays, a new name is removed.
  public func retract() {
    for file in files.reversed() { file.removeCommitted() }
    files = []
    removedWhenSettled = []
    end()
  }

  /// The run completed: its waiting files move into place (`OutputFile.settle`) and stay,
  /// whatever signal comes later, and what goes at settling goes, all named first in a journal
  /// (`SettleJournal`), one run at a time in a directory (`SettleLock`). In steps: every move
  /// is checked (a refusal moves nothing and takes the run back); earlier files to be replaced
  /// are linked aside and the journal written; new names are linked, then earlier files
  /// replaced (a failure takes all of it back); then the waiting and aside names go. All at
  /// once: a signal that arrives meanwhile takes effect after (`TemporaryFiles.settling`).
  /// Throws the first file that could not move into place.
  public func settle() throws {
    let removing = removedWhenSettled
    removedWhenSettled = []
    var failure: (any Error)?
    // Whether the run failed having moved nothing: then it is taken back whole.
    var movedNothing = false
    TemporaryFiles.settling {
      // One settle at a time in a directory, across processes (review49 H05).
      let locks: [(directory: OutputDirectory, descriptor: Int32)]
      do {
        locks = try SettleLock.hold(files.compactMap(\.directoryMovedInto))
      } catch {
        (failure, movedNothing) = (error, true)
        return
      }
      defer { SettleLock.release(locks) }
      // What would refuse a move is found before any file moves: the run then fails having
      // moved nothing (review49 H06).
      do {
        for file in files { try file.checkSettle() }
      } catch {
        (failure, movedNothing) = (error, true)
        return
      }
      let removals = removing.flatMap { $0() }.compactMap(Self.removal)
      // Earlier files the run replaces are linked aside first, when there is a journal to say
      // so: a run killed among its replacements is then taken back by the next (review49 H01).
      let journalled = files.filter(\.isWaiting).count + removals.count > 1
      do {
        if journalled { for file in files { try file.setEarlierAside() } }
      } catch {
        for file in files { file.takeBack() }
        (failure, movedNothing) = (error, true)
        return
      }
      // Written down first: a run killed among the moves is taken back by the next, or, past its
      // last replacement, finished (review42 H01, review49 H01, H02).
      let journal = SettleJournal(
        writing: files.compactMap(\.settleStep) + removals.map { ($0.directory, .remove(name: $0.name, state: $0.state)) })
      defer { journal.remove() }
      // The new names first, each linked, then the earlier files replaced: one that fails (a
      // full device, a name taken meanwhile) takes back what the others did (review49 H07),
      // unless a replaced file cannot be put back (a file system without hard links).
      do {
        for file in files { try file.linkIntoPlace() }
        for file in files { try file.replaceIntoPlace() }
      } catch {
        if files.allSatisfy(\.canBeTakenBack) {
          for file in files { file.takeBack() }
          (failure, movedNothing) = (error, true)
          return
        }
        failure = error
      }
      for file in files {
        do { try file.settle() } catch { failure = failure ?? error }
      }
      // What settling finishes (an earlier set's extra segments removed) is done before a
      // signal that came meanwhile takes effect: all new, never part of the old left behind
      // (review34a A6: a SIGTERM then left 2983 of 3000 old segments beside the new set).
      if failure == nil {
        for removal in removals {
          SettleJournal.removeIfUnchanged(PathBytes.string(fromBytes: removal.name), state: removal.state, in: removal.directory.descriptor)
        }
      }
    }
    if movedNothing {
      for file in files.reversed() { file.removeCommitted() }
    }
    files = []
    end()
    if let failure { throw failure }
  }

  /// A file to remove at settling: its directory, name and state now; nil when it is no
  /// regular file, or an input or an output of this run.
  private static func removal(_ path: String) -> (directory: OutputDirectory, name: [UInt8], state: [UInt8])? {
    let slash = path.lastIndex(of: "/")
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    guard let directory = try? OutputDirectory.open(slash.map { String(path[...$0]) } ?? ""),
      let status = Descriptor.status(name, in: directory.descriptor, following: false), status.isRegular,
      ProtectedFiles.role(of: status) == nil
    else { return nil }
    return (directory, PathBytes.bytes(of: name), SettleJournal.removalState(status))
  }

  private func end() {
    let actions = whenEnded
    whenEnded = []
    for action in actions { action() }
  }
}
