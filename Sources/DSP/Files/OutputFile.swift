import Glibc
import SystemPackage

/// One file audioprep writes: the only way any output is created (audio, segments, sidecars,
/// statistics, manifests, plots).
///
/// The rules, applied to every kind of output alike:
/// - A file protected by `ProtectedFiles` (an input, or an earlier output of this run) is never
///   replaced, `overwrite` or not; a name another output of this run claimed is refused.
/// - A regular file is written to a temporary beside it, `.NAME.audioprep-PID-RANDOM.tmp`,
///   created with `O_EXCL | O_NOFOLLOW` under an unpredictable name, registered with
///   `TemporaryFiles` before it exists, locked (`flock`) while alive, and moved into place only
///   when everything was written and closed without error (by `commit`, or for a held output by
///   `settle`, once the whole run has succeeded). Without `overwrite` an existing name is never
///   replaced, even one that appears meanwhile (the move is a `link`, which refuses an existing
///   name).
/// - A symlink at the name is refused without `overwrite` and replaced (never followed) with it.
/// - A character device, FIFO or socket, and a descriptor path (`/dev/stdout`, `/dev/fd/N`),
///   is written in place: no temporary, no rename, no `overwrite` needed (`-o /dev/null`).
/// - Every write is checked whole; the first failure is kept (`failure`) and reported as an I/O
///   error (74) naming the file.
/// - A temporary is written in blocks of `writeBlockBytes` (a 100 ms chunk is 3.2 KB, one
///   system call each otherwise); the block goes out before any seek, size or read of the file
///   and at `commit`, so a write error still fails the run before anything is moved into place.
///   Devices, pipes, standard output and logs are written as they come, unbuffered.
/// Calling sequence:
/// 1. open: `init(path:overwrite:)` or `init(name:in:path:overwrite:)` (OutputFile+Names: the
///    policy for a name), `standardOutput()` or a descriptor path (OutputFile+DescriptorPaths),
///    or `init(appendingTo:…)` for a log (OutputFile+AppendLog);
/// 2. `write` (every write checked whole);
/// 3. `commit` (close; move into place, or for a held output wait beside the name) or `discard`
///    (close, remove the temporary);
/// 4. for a held output (`holdsUntilSettled`): `settle` once the run has succeeded (through
///    `CommittedOutputs.settle`: `checkSettle`, `linkIntoPlace`, then `settle` for each), or
///    `removeCommitted` to take it back.
package final class OutputFile {
  /// The path as given, for messages.
  package let path: String
  /// The descriptor to write to.
  package let descriptor: Int32
  /// Written in place (device, FIFO, descriptor path) rather than through a temporary.
  package let isDirect: Bool
  /// Whether the descriptor can seek (false for FIFOs, pipes and terminals).
  package let isSeekable: Bool
  /// The first write error, kept even when a library ignored it.
  package private(set) var failure: AudioIOError?

  let directory: OutputDirectory?
  let name: [UInt8]
  /// The name this output claimed (`ProtectedFiles.claim`), let go when it goes.
  var claim: ProtectedFiles.Claim?
  let temporaryName: [UInt8]
  let registration: TemporaryFiles.Registration?
  /// The directory of a log (`init(appendingTo:)`) that is a regular file, for `replaceLog`.
  let logDirectory: OutputDirectory?
  /// Whether an earlier file under the name may be replaced; for a held output, also once a
  /// record made meanwhile says so (`mayReplace`).
  package internal(set) var overwrite: Bool
  /// Without `overwrite`, a regular file already under the name that holds exactly the bytes
  /// written stays, and the output is taken as written (replacing it would lose nothing); one
  /// with other bytes is refused. A batch's names no record of the input vouches for (another
  /// run of the same corpus wrote them, under another manifest or at the same time).
  var identicalStands = false
  /// False for standard output, which stays open.
  let ownsDescriptor: Bool
  var finished = false
  /// Keep the final name registered with `TemporaryFiles` after `commit`, until `settle`: a
  /// signal then removes it too (segments of a run that does not complete).
  package var holdsUntilSettled = false
  var heldRegistration: TemporaryFiles.Registration?
  /// The name goes instead of the temporary moving there: a held output with `overwrite` that
  /// removes an earlier file (a file an export no longer writes), once the run settles, like
  /// any earlier file a held output replaces.
  package var removesEarlier = false
  /// What `commit` moved into place, for `removeCommitted`.
  var committedIdentity: ProtectedFiles.Identity?
  /// A held output: `commit` leaves the new file waiting beside its name (`waiting`), and the
  /// earlier file, if any, under it; `settle` moves the new one into place (for
  /// `removesEarlier`, the name goes then). A run that never settles, even one killed with
  /// SIGKILL, which nothing catches, thus leaves every name as it was before it (review41 H04:
  /// the segments a killed `--segment --force` run had written had replaced the earlier ones;
  /// review48 H08: those of a killed run without `--force` stayed under their names); a later
  /// run removes what it left waiting (`UnheldTemporary.removeIfItsRunIsGone`). An output
  /// whose name another file took meanwhile is refused as at `commit` when it moves.
  var movesAtSettle = false
  /// Where such an output waits (".NAME.audioprep-PID-TAG.pending", TAG the process's, registered
  /// for removal), and the hold on the process's token in its directory that says it is alive
  /// (`RunToken`).
  var waiting: (name: [UInt8], registration: TemporaryFiles.Registration, token: ProtectedFiles.Identity?)?
  /// Whether the settle's first step linked the waiting file onto the name (`linkIntoPlace`).
  var linked = false
  /// What a `--force` output's name held as its settle began (`setEarlierAside`).
  var earlierAtSettle = EarlierAtSettle.notAside
  /// Whether the settle renamed the waiting file over the name (`replaceIntoPlace`).
  var replaced = false
  /// Whether writes are gathered into blocks (temporaries only).
  var buffersWrites = false
  /// Bytes written but not yet passed to the kernel: allocated by the first write, freed once
  /// the file is committed or discarded (a run's committed segments hold none).
  var pending: UnsafeMutableRawBufferPointer?
  var pendingCount = 0
  /// The block a temporary is written in.
  static let writeBlockBytes = 256 << 10


  /// An open descriptor written in place (a device, a duplicated descriptor, a log's
  /// replacement), closed by `commit` or `discard`.
  ///
  /// A regular file behind it (standard output redirected to a file) is written as a stream,
  /// from the descriptor's offset: it does not count as seekable, so libsndfile never seeks it
  /// back over what the file held before.
  convenience init(inPlace descriptor: Int32, path: String) {
    let isFile = Descriptor.status(of: descriptor)?.isRegular ?? false
    self.init(descriptor: descriptor, path: path, isDirect: true, isSeekable: !isFile && (try? Descriptor.seek(descriptor, to: 0, from: SEEK_CUR)) != nil)
  }

  /// Every stored property; the other initialisers decide what they hold.
  init(
    descriptor: Int32, path: String, isDirect: Bool, isSeekable: Bool? = nil, overwrite: Bool = false,
    ownsDescriptor: Bool = true, name: [UInt8] = [],
    temporary: (name: [UInt8], registration: TemporaryFiles.Registration, directory: OutputDirectory)? = nil,
    logDirectory: OutputDirectory? = nil
  ) {
    self.descriptor = descriptor
    self.path = path
    self.isDirect = isDirect
    self.isSeekable = isSeekable ?? ((try? Descriptor.seek(descriptor, to: 0, from: SEEK_CUR)) != nil)
    self.overwrite = overwrite
    self.ownsDescriptor = ownsDescriptor
    self.name = name
    temporaryName = temporary?.name ?? []
    registration = temporary?.registration
    directory = temporary?.directory
    self.logDirectory = logDirectory
    buffersWrites = temporary != nil
  }

  /// `openat` in `directory`, close-on-exec and never a controlling terminal.
  static func open(_ name: String, in directory: OutputDirectory, flags: Int32, path: String) throws -> Int32 {
    let opened = Descriptor.open(name, in: directory.descriptor, flags: flags | O_NOCTTY | O_CLOEXEC, mode: 0o644)
    guard opened >= 0 else { throw createFailure(path, errno) }
    return opened
  }

  /// A new temporary for `name` in `directory`: registered before it exists (a signal at any
  /// instant removes it), created `O_EXCL | O_NOFOLLOW` and `flock`ed from before it appears
  /// (`OutputDirectory.createLocked`) while it lives, so that a later run removes only
  /// temporaries nobody holds.
  static func createTemporary(
    for name: [UInt8], in directory: OutputDirectory, path: String
  ) throws -> (descriptor: Int32, name: [UInt8], registration: TemporaryFiles.Registration) {
    let temporaryName = TemporaryFiles.temporaryName(for: name)
    let registration = TemporaryFiles.register(directory: directory.descriptor, name: temporaryName)
    let opened = directory.createLocked(PathBytes.string(fromBytes: temporaryName), access: O_WRONLY, lock: .exclusive)
    guard opened >= 0 else {
      let code = errno
      TemporaryFiles.release(registration)
      throw Self.createFailure(path, code)
    }
    return (opened, temporaryName, registration)
  }

  deinit {
    discard()
    releaseBlock()
    if let claim { ProtectedFiles.release(claim) }
  }

  func releaseBlock() {
    pending?.deallocate()
    pending = nil
    pendingCount = 0
  }

  /// Writes all of `bytes` at the current offset; throws (74) and keeps the error on failure.
  package func write(_ bytes: UnsafeRawBufferPointer) throws {
    if let failure { throw failure }
    let written = writeAll(bytes)
    if written < bytes.count { throw failure! }
  }

  /// Writes as much of `bytes` as the file takes and returns how much; a failure is kept in
  /// `failure` (for libraries' write callbacks, which report counts, not errors).
  func writeAll(_ bytes: UnsafeRawBufferPointer) -> Int {
    guard failure == nil else { return 0 }
    if buffersWrites && pending == nil && !finished {
      pending = .allocate(byteCount: Self.writeBlockBytes, alignment: 16)
    }
    if let pending {
      if pendingCount + bytes.count <= pending.count {
        UnsafeMutableRawBufferPointer(rebasing: pending[pendingCount...]).copyMemory(from: bytes)
        pendingCount += bytes.count
        return bytes.count
      }
      guard flush() else { return 0 }
      if bytes.count < pending.count {
        pending.copyMemory(from: bytes)
        pendingCount = bytes.count
        return bytes.count
      }
    }
    return writeThrough(bytes)
  }

  /// Passes the pending block to the kernel; false (and `failure` set) when that fails.
  @discardableResult
  func flush() -> Bool {
    guard let pending, pendingCount > 0, failure == nil else { return failure == nil }
    let count = pendingCount
    pendingCount = 0
    return writeThrough(UnsafeRawBufferPointer(rebasing: pending[..<count])) == count
  }

  func writeThrough(_ bytes: UnsafeRawBufferPointer) -> Int {
    let (written, error) = Descriptor.writeAll(descriptor, bytes)
    if let error {
      failure =
        error == Errno.brokenPipe
        ? AudioIOError(.brokenPipe, path: path, "broken pipe")
        : AudioIOError(.ioFailure, path: path, "write failed: \(error.text)")
    }
    return written
  }

  /// Records a failure that a library reported in its own way.
  func recordFailure(_ message: String) {
    if failure == nil { failure = AudioIOError(.ioFailure, path: path, "write failed: \(message)") }
  }

  /// Closes the file and, for a temporary, moves it into place; on any error nothing is left
  /// under the final name and the temporary is gone.
  package func commit() throws {
    guard !finished else { return }
    flush()
    releaseBlock()
    if let failure {
      discard()
      throw failure
    }
    ProtectedFiles.protectOutput(descriptor: descriptor, finished: true)
    committedIdentity = Descriptor.status(of: descriptor)?.identity
    finished = true
    var closeError: Errno?
    var lock: Int32?
    if ownsDescriptor { (lock, closeError) = Descriptor.closeKeepingTheLock(descriptor) }
    defer { if let lock { try? Descriptor.close(lock) } }
    guard let directory, let registration else {
      if let closeError { throw AudioIOError(.ioFailure, path: path, "write failed: \(closeError.text)") }
      return
    }
    let temporary = PathBytes.string(fromBytes: temporaryName)
    let final = PathBytes.string(fromBytes: name)
    defer { TemporaryFiles.release(registration) }
    do {
      if let closeError { throw AudioIOError(.ioFailure, path: path, "write failed: \(closeError.text)") }
      let earlier = Descriptor.status(final, in: directory.descriptor, following: false)
      if let lock { Self.keepPermissions(of: earlier, on: lock) }
      if holdsUntilSettled, overwrite, let earlier, earlier.kind == .regular || earlier.kind == .symlink {
        try Self.refuseProtected(earlier, path: path)
        try setAside(temporary, in: directory)
        return
      }
      // Nothing under the name: the new file waits beside it all the same, so that a run killed
      // before it settles (SIGKILL) leaves nothing under a final name (review48 H08, H09: a
      // killed segmentation's finished segments stayed, and refused every rerun).
      if holdsUntilSettled, !removesEarlier, earlier == nil {
        try setAside(temporary, in: directory)
        return
      }
      // A regular file under a batch's output's name (`identicalStands`): the output waits
      // beside it too, and its settle decides: these very bytes stand, a record of the input
      // made meanwhile lets it replace them (`mayReplace`; review50 H02), other bytes are refused.
      if holdsUntilSettled, !removesEarlier, identicalStands, let earlier, earlier.isRegular {
        try Self.refuseProtected(earlier, path: path)
        try setAside(temporary, in: directory)
        return
      }
      // Registered before the move, so that no instant is left where a signal would miss it.
      if holdsUntilSettled { heldRegistration = TemporaryFiles.register(directory: directory.descriptor, name: name) }
      if removesEarlier {
        try removeEarlier(final, temporary, in: directory)
      } else {
        try moveIntoPlace(temporary, final, in: directory)
      }
    } catch {
      removeCommitted()
      _ = Descriptor.unlink(temporary, in: directory.descriptor)
      throw error
    }
  }

  /// Gives the new file `descriptor` the owner, group and permissions of the regular file it
  /// replaces, `earlier`, as writing over it would (review57 W8: a private 0600 output came back
  /// 0644; review58 P2: so did the batch manifest, compacted or unshared). Another user's file
  /// stays that user's where this user may give it to them (root: review58 P1, review59 H4, a
  /// file of nobody's 0600 came back root's, 0600 and then 0644); where it may not, the new file
  /// is this user's with those permissions, never looser. Every file a run replaces by a
  /// temporary goes through here.
  static func keepPermissions(of earlier: FileStatus?, on descriptor: Int32) {
    guard let earlier, earlier.isRegular else { return }
    if earlier.owner != geteuid() || earlier.group != getegid() { _ = fchown(descriptor, earlier.owner, earlier.group) }
    _ = fchmod(descriptor, earlier.permissions)
  }

  /// Commit of a held output: the new file waits under a name of its own until `settle`
  /// (`movesAtSettle`), whether or not it replaces an earlier file.
  private func setAside(_ temporary: String, in directory: OutputDirectory) throws {
    let at = directory.descriptor
    movesAtSettle = true
    if removesEarlier {
      _ = Descriptor.unlink(temporary, in: at)
      return
    }
    let name = TemporaryFiles.temporaryName(for: self.name, suffix: TemporaryFiles.pendingSuffix, tag: TemporaryFiles.runTag)
    let registration = TemporaryFiles.register(directory: at, name: name)
    let token = RunToken.hold(in: directory)
    guard Descriptor.rename(temporary, to: PathBytes.string(fromBytes: name), in: at) == 0 else {
      let code = errno
      TemporaryFiles.release(registration)
      RunToken.release(token)
      movesAtSettle = false
      throw Self.createFailure(path, code)
    }
    waiting = (name, registration, token)
  }

  /// `removesEarlier`'s commit where no earlier file is held back: the temporary goes, and so
  /// does the name (a file this run may replace: never a protected one).
  func removeEarlier(_ final: String, _ temporary: String, in directory: OutputDirectory) throws {
    let at = directory.descriptor
    _ = Descriptor.unlink(temporary, in: at)
    guard holdsUntilSettled, overwrite, let status = Descriptor.status(final, in: at, following: false) else { return }
    try Self.refuseProtected(status, path: path)
    if status.isDirectory { throw AudioIOError(.cannotCreateOutput, path: path, "is a directory") }
    guard Descriptor.unlink(final, in: at) == 0 || errno == ENOENT else {
      throw AudioIOError(.cannotCreateOutput, path: path, "cannot remove it: \(String(cString: strerror(errno)))")
    }
  }

  /// Where the bytes `commit` wrote can be read until the run settles: the file waiting to
  /// replace an earlier one, or the final path.
  package var committedBytesPath: String {
    guard let waiting else { return path }
    let directoryPrefix = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
    return directoryPrefix + PathBytes.string(fromBytes: waiting.name)
  }

  func releaseHold() {
    if let heldRegistration { TemporaryFiles.release(heldRegistration) }
    heldRegistration = nil
  }

  /// Takes back what `commit` did, if the name still holds it: the name is removed where there
  /// was no earlier file; an output that was to replace one loses its temporary and the earlier
  /// file stays. A run that fails after some of its outputs landed (segments, then a statistics
  /// file that cannot be written) thus leaves what was there before it. A direct output (a
  /// device) is left alone.
  package func removeCommitted() {
    defer { releaseHold() }
    guard finished, let directory else { return }
    if movesAtSettle {
      takeBack()
      movesAtSettle = false
      if let waiting {
        _ = Descriptor.unlink(PathBytes.string(fromBytes: waiting.name), in: directory.descriptor)
        TemporaryFiles.release(waiting.registration)
        RunToken.release(waiting.token)
        self.waiting = nil
      }
      return
    }
    let final = PathBytes.string(fromBytes: name)
    let status = Descriptor.status(final, in: directory.descriptor, following: false)
    if status != nil, committedIdentity == status?.identity {
      _ = Descriptor.unlink(final, in: directory.descriptor)
    }
  }

  /// Closes and removes the temporary (a direct output is only closed).
  package func discard() {
    guard !finished else { return }
    finished = true
    releaseBlock()
    if ownsDescriptor { try? Descriptor.close(descriptor) }
    guard let directory, let registration else { return }
    _ = Descriptor.unlink(PathBytes.string(fromBytes: temporaryName), in: directory.descriptor)
    TemporaryFiles.release(registration)
  }

  func moveIntoPlace(_ temporary: String, _ final: String, in directory: OutputDirectory) throws {
    let at = directory.descriptor
    if overwrite {
      // The name may have changed since it was checked: never replace a protected file.
      if let status = Descriptor.status(final, in: at, following: false) {
        try Self.refuseProtected(status, path: path)
        if status.isDirectory { throw AudioIOError(.cannotCreateOutput, path: path, "is a directory") }
      }
      guard Descriptor.rename(temporary, to: final, in: at) == 0 else {
        throw Self.createFailure(path, errno)
      }
      return
    }
    // link refuses an existing name atomically; the temporary's name then goes.
    let linked = Descriptor.link(temporary, to: final, in: at)
    var code = errno
    if linked == 0 {
      _ = Descriptor.unlink(temporary, in: at)
      return
    }
    if Descriptor.makesNoHardLinks(code) {
      // A file system without hard links: check, then rename (not atomic, the best it allows).
      if Descriptor.status(final, in: at, following: false) != nil {
        code = EEXIST
      } else if Descriptor.rename(temporary, to: final, in: at) == 0 {
        return
      } else {
        code = errno
      }
    }
    if code == EEXIST, identicalStands {
      guard SameBytes.files(temporary, final, in: at) else {
        throw AudioIOError(.outputTaken, path: path, "already exists, with other bytes than this run's; --force replaces it")
      }
      _ = Descriptor.unlink(temporary, in: at)
      // That file was there before the run: a retract leaves it (no identity of this run's).
      committedIdentity = nil
      return
    }
    throw code == EEXIST
      ? AudioIOError(.cannotCreateOutput, path: path, "already exists (use --force to replace it)")
      : Self.createFailure(path, code)
  }

  static func refuseProtected(_ status: FileStatus, path: String) throws {
    if let role = ProtectedFiles.role(of: status) { throw protectedFailure(role, path: path) }
  }

  static func protectedFailure(_ role: ProtectedFiles.Role, path: String) -> AudioIOError {
    switch role {
    case .input: AudioIOError(.cannotCreateOutput, path: path, "is an input; refusing to write over it")
    case .output: AudioIOError(.cannotCreateOutput, path: path, "was already written by this run; refusing to write over it")
    }
  }

  /// Why a file could not be created or moved: a full device or an I/O error is an I/O error
  /// (74) as when writing (review49 W06), anything else the output refused (73).
  static func createFailure(_ path: String, _ code: Int32) -> AudioIOError {
    let full = code == ENOSPC || code == EDQUOT || code == EIO
    return AudioIOError(full ? .ioFailure : .cannotCreateOutput, path: path, String(cString: strerror(code)))
  }
}
