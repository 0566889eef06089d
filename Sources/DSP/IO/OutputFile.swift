import CSndFile
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
///   `TemporaryFiles` before it exists, locked (`flock`) while alive, and moved into place by
///   `commit` only when everything was written and closed without error. Without `overwrite` an
///   existing name is never replaced, even one that appears meanwhile (the move is a `link`,
///   which refuses an existing name).
/// - A symlink at the name is refused without `overwrite` and replaced (never followed) with it.
/// - A character device, FIFO or socket, and a descriptor path (`/dev/stdout`, `/dev/fd/N`),
///   is written in place: no temporary, no rename, no `overwrite` needed (`-o /dev/null`).
/// - Every write is checked whole; the first failure is kept (`failure`) and reported as an I/O
///   error (74) naming the file.
/// - A temporary is written in blocks of `writeBlockBytes` (a 100 ms chunk is 3.2 KB, one
///   system call each otherwise); the block goes out before any seek, size or read of the file
///   and at `commit`, so a write error still fails the run before anything is moved into place.
///   Devices, pipes, standard output and logs are written as they come, unbuffered.
public final class OutputFile {
  /// The path as given, for messages.
  public let path: String
  /// The descriptor to write to.
  public let descriptor: Int32
  /// Written in place (device, FIFO, descriptor path) rather than through a temporary.
  public let isDirect: Bool
  /// Whether the descriptor can seek (false for FIFOs, pipes and terminals).
  public let isSeekable: Bool
  /// The first write error, kept even when a library ignored it.
  public private(set) var failure: AudioIOError?

  private let directory: OutputDirectory?
  private let name: [UInt8]
  private let temporaryName: [UInt8]
  private let registration: TemporaryFiles.Registration?
  /// The directory of a log (`init(appendingTo:)`) that is a regular file, for `replaceLog`.
  private let logDirectory: OutputDirectory?
  private let overwrite: Bool
  /// False for standard output, which stays open.
  private let ownsDescriptor: Bool
  private var finished = false
  /// Keep the final name registered with `TemporaryFiles` after `commit`, until `settle`: a
  /// signal then removes it too (segments of a run that does not complete).
  public var holdsUntilSettled = false
  private var heldRegistration: TemporaryFiles.Registration?
  /// What `commit` moved into place, for `removeCommitted`.
  private var committedIdentity: ProtectedFiles.Identity?
  /// Whether writes are gathered into blocks (temporaries only).
  private var buffersWrites = false
  /// Bytes written but not yet passed to the kernel: allocated by the first write, freed once
  /// the file is committed or discarded (a run's committed segments hold none).
  private var pending: UnsafeMutableRawBufferPointer?
  private var pendingCount = 0
  /// The block a temporary is written in.
  static let writeBlockBytes = 256 << 10

  /// Opens the output `name` in `directory` (batch outputs), or `path` (every other output).
  ///
  /// - Throws: `AudioIOError(.cannotCreateOutput)` (73) when a rule above refuses the name or
  ///   the file cannot be created.
  public convenience init(path: String, overwrite: Bool) throws {
    let slash = path.lastIndex(of: "/")
    let directoryPath = slash.map { String(path[...$0]) } ?? ""
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    guard !name.isEmpty, name != ".", name != ".." else {
      throw AudioIOError(.cannotCreateOutput, path: path, "is a directory")
    }
    if let number = Self.descriptorNumber(named: path) {
      try self.init(duplicating: number, path: path)
      return
    }
    let directory: OutputDirectory
    do {
      directory = try OutputDirectory.open(directoryPath)
    } catch let error as AudioIOError {
      throw AudioIOError(error.kind, path: path, error.message)  // named by the output
    }
    try self.init(name: name, in: directory, path: path, overwrite: overwrite)
  }

  /// Opens the output `name` in an open `directory`; `path` is how messages name it.
  /// `devicesInPlace` false (a batch output, named by the batch, not by the user) refuses a
  /// device, FIFO or socket at the name instead of writing into it.
  public convenience init(
    name: String, in directory: OutputDirectory, path: String, overwrite: Bool, devicesInPlace: Bool = true
  ) throws {
    let nameBytes = PathBytes.bytes(of: name)
    var status = stat()
    if PathBytes.withPath(name, { fstatat(directory.descriptor, $0, &status, AT_SYMLINK_NOFOLLOW) }) == 0 {
      switch status.st_mode & S_IFMT {
      case S_IFCHR, S_IFIFO, S_IFSOCK:
        guard devicesInPlace else {
          throw AudioIOError(.cannotCreateOutput, path: path, "is a device, FIFO or socket; refusing to write to it")
        }
        // Written in place, like sox and ffmpeg do: opening follows nothing (the name is no link).
        try self.init(inPlace: Self.open(name, in: directory, flags: O_WRONLY | O_NOFOLLOW, path: path), path: path)
        return
      case S_IFDIR:
        throw AudioIOError(.cannotCreateOutput, path: path, "is a directory")
      case S_IFBLK:
        throw AudioIOError(.cannotCreateOutput, path: path, "is a block device; refusing to write to it")
      case S_IFLNK:
        // A link to an input names the input: refused like any spelling of it.
        var target = stat()
        if PathBytes.withPath(name, { fstatat(directory.descriptor, $0, &target, 0) }) == 0 {
          try Self.refuseProtected(target, path: path)
          // A link to a device, FIFO or socket (a respelled /dev/stdout) is written through,
          // never replaced: like the node itself, it has no temporary to stand in for it.
          if devicesInPlace, [S_IFCHR, S_IFIFO, S_IFSOCK].contains(target.st_mode & S_IFMT) {
            try self.init(inPlace: Self.open(name, in: directory, flags: O_WRONLY, path: path), path: path)
            return
          }
        }
        if !overwrite {
          throw AudioIOError(.cannotCreateOutput, path: path, "is a symlink (use --force to replace the link itself)")
        }
      default:
        try Self.refuseProtected(status, path: path)
        if !overwrite {
          throw AudioIOError(.cannotCreateOutput, path: path, "already exists (use --force to replace it)")
        }
      }
    }
    guard ProtectedFiles.claim(directory: directory.descriptor, name: nameBytes) else {
      throw AudioIOError(.cannotCreateOutput, path: path, "is named by another output of this run")
    }
    let temporary = try Self.createTemporary(for: nameBytes, in: directory, path: path)
    self.init(
      descriptor: temporary.descriptor, path: path, isDirect: false, isSeekable: true, overwrite: overwrite,
      name: nameBytes, temporary: (temporary.name, temporary.registration, directory))
  }

  /// A log appended to in place (the batch manifest), with the same rules but no temporary:
  /// each append lands as it is written. A regular file there is appended to (`overwrite` is
  /// not needed for that); a symlink is refused without `overwrite`, and removed (never
  /// followed) with it; a FIFO or socket, which could not be read back, is refused.
  public convenience init(appendingTo name: String, in directory: OutputDirectory, path: String, overwrite: Bool) throws {
    let nameBytes = PathBytes.bytes(of: name)
    var status = stat()
    if PathBytes.withPath(name, { fstatat(directory.descriptor, $0, &status, AT_SYMLINK_NOFOLLOW) }) == 0 {
      switch status.st_mode & S_IFMT {
      case S_IFDIR: throw AudioIOError(.cannotCreateOutput, path: path, "is a directory")
      case S_IFBLK: throw AudioIOError(.cannotCreateOutput, path: path, "is a block device; refusing to write to it")
      case S_IFIFO, S_IFSOCK:
        // Opening it would wait for a reader, and it could never be read back.
        throw AudioIOError(.cannotCreateOutput, path: path, "is a FIFO or socket; a log must be a file (or a device)")
      case S_IFLNK:
        guard overwrite else {
          throw AudioIOError(.cannotCreateOutput, path: path, "is a symlink (use --force to replace the link itself)")
        }
        _ = PathBytes.withPath(name) { unlinkat(directory.descriptor, $0, 0) }
      default: try Self.refuseProtected(status, path: path)
      }
    }
    guard ProtectedFiles.claim(directory: directory.descriptor, name: nameBytes) else {
      throw AudioIOError(.cannotCreateOutput, path: path, "is named by another output of this run")
    }
    let opened = try Self.open(name, in: directory, flags: O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW, path: path)
    ProtectedFiles.protectOutput(descriptor: opened)
    var openedStatus = stat()
    fstat(opened, &openedStatus)
    self.init(
      descriptor: opened, path: path, isDirect: true, isSeekable: false, overwrite: overwrite, name: nameBytes,
      logDirectory: (openedStatus.st_mode & S_IFMT) == S_IFREG ? directory : nil)
  }

  /// Makes `name` in `directory` a file of its own when it is hard-linked elsewhere (a `cp -al`
  /// snapshot): its contents are copied to a temporary moved over the name, so that appending
  /// to it never edits the other names' file.
  public static func unshareLog(name: String, in directory: OutputDirectory, path: String) throws {
    var status = stat()
    guard PathBytes.withPath(name, { fstatat(directory.descriptor, $0, &status, AT_SYMLINK_NOFOLLOW) }) == 0,
      (status.st_mode & S_IFMT) == S_IFREG, status.st_nlink > 1
    else { return }
    let source = try open(name, in: directory, flags: O_RDONLY | O_NOFOLLOW, path: path)
    defer { close(source) }
    let contents: [UInt8]
    do {
      contents = try Descriptor.readAll(source)
    } catch {
      throw AudioIOError(.ioFailure, path: path, "read failed: \(error.text)")
    }
    let temporary = try createTemporary(for: PathBytes.bytes(of: name), in: directory, path: path)
    defer { TemporaryFiles.release(temporary.registration) }
    let temporaryPath = PathBytes.string(fromBytes: temporary.name)
    // Written and closed by hand, not committed: the copy is the log itself, not a new output.
    let (_, writeError) = contents.withUnsafeBytes { Descriptor.writeAll(temporary.descriptor, $0) }
    let closed = close(temporary.descriptor)
    let at = directory.descriptor
    guard writeError == nil, closed == 0,
      PathBytes.withPath(temporaryPath, { from in PathBytes.withPath(name) { renameat(at, from, at, $0) } }) == 0
    else {
      let reason = writeError?.text ?? String(cString: strerror(errno))
      _ = PathBytes.withPath(temporaryPath) { unlinkat(at, $0, 0) }
      throw AudioIOError(.ioFailure, path: path, "cannot copy the hard-linked log: \(reason)")
    }
  }

  /// Replaces a log's whole contents at once (the batch manifest after a completed run): the
  /// new contents go to a temporary beside it, moved over it, so a crash leaves the old log or
  /// the new one, never part of either. Call it last: later appends would reach the old file. A
  /// log that is not a regular file (`/dev/null`) is left as it is.
  public func replaceLog(with bytes: UnsafeRawBufferPointer) throws {
    guard let logDirectory else { return }
    let temporary = try Self.createTemporary(for: name, in: logDirectory, path: path)
    let temporaryPath = PathBytes.string(fromBytes: temporary.name)
    defer { TemporaryFiles.release(temporary.registration) }
    let replacement = OutputFile(inPlace: temporary.descriptor, path: path)
    do {
      try replacement.write(bytes)
      ProtectedFiles.protectOutput(descriptor: temporary.descriptor)
      try replacement.commit()
      let at = logDirectory.descriptor
      let final = PathBytes.string(fromBytes: name)
      guard PathBytes.withPath(temporaryPath, { from in PathBytes.withPath(final) { renameat(at, from, at, $0) } }) == 0
      else { throw Self.createFailure(path, errno) }
    } catch {
      replacement.discard()
      _ = PathBytes.withPath(temporaryPath) { unlinkat(logDirectory.descriptor, $0, 0) }
      throw error
    }
  }

  /// A descriptor this process holds (`/dev/stdout`, `/dev/fd/3`): duplicated, so the output
  /// lands where the descriptor points (at its offset, appending if it appends), never reopened
  /// at offset 0. One that is an input is refused.
  private convenience init(duplicating number: Int32, path: String) throws {
    // One audioprep opened itself (its copy of standard error, an input) is not the caller's.
    guard Descriptor.wasInherited(number) else {
      throw AudioIOError(.cannotCreateOutput, path: path, "descriptor \(number) was not open when audioprep started")
    }
    let held = number == STDERR_FILENO ? LibraryDiagnostics.standardError : number
    let opened = fcntl(held, F_DUPFD_CLOEXEC, 3)
    guard opened >= 0 else { throw Self.createFailure(path, errno) }
    var status = stat()
    if fstat(opened, &status) == 0, let role = ProtectedFiles.role(of: status) {
      close(opened)
      throw Self.protectedFailure(role, path: path)
    }
    self.init(inPlace: opened, path: path)
  }

  /// Standard output ("-"), written in place and left open; refused (73) when it is an input
  /// (`-o - >> in.wav`).
  public static func standardOutput() throws -> OutputFile {
    var status = stat()
    if fstat(STDOUT_FILENO, &status) == 0, let role = ProtectedFiles.role(of: status) {
      throw protectedFailure(role, path: "-")
    }
    return OutputFile(descriptor: STDOUT_FILENO, path: "-", isDirect: true, ownsDescriptor: false)
  }

  /// An open descriptor written in place (a device, a duplicated descriptor, a log's
  /// replacement), closed by `commit` or `discard`.
  ///
  /// A regular file behind it (standard output redirected to a file) is written as a stream,
  /// from the descriptor's offset: it does not count as seekable, so libsndfile never seeks it
  /// back over what the file held before.
  private convenience init(inPlace descriptor: Int32, path: String) {
    var status = stat()
    let isFile = fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    self.init(descriptor: descriptor, path: path, isDirect: true, isSeekable: !isFile && lseek(descriptor, 0, SEEK_CUR) >= 0)
  }

  /// Every stored property; the other initialisers decide what they hold.
  private init(
    descriptor: Int32, path: String, isDirect: Bool, isSeekable: Bool? = nil, overwrite: Bool = false,
    ownsDescriptor: Bool = true, name: [UInt8] = [],
    temporary: (name: [UInt8], registration: TemporaryFiles.Registration, directory: OutputDirectory)? = nil,
    logDirectory: OutputDirectory? = nil
  ) {
    self.descriptor = descriptor
    self.path = path
    self.isDirect = isDirect
    self.isSeekable = isSeekable ?? (lseek(descriptor, 0, SEEK_CUR) >= 0)
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
  private static func open(_ name: String, in directory: OutputDirectory, flags: Int32, path: String) throws -> Int32 {
    let opened = PathBytes.withPath(name) { openat(directory.descriptor, $0, flags | O_NOCTTY | O_CLOEXEC, 0o644) }
    guard opened >= 0 else { throw createFailure(path, errno) }
    return opened
  }

  /// A new temporary for `name` in `directory`: registered before it exists (a signal at any
  /// instant removes it), created `O_EXCL | O_NOFOLLOW`, and `flock`ed while it lives, so that
  /// a later run removes only temporaries nobody holds.
  private static func createTemporary(
    for name: [UInt8], in directory: OutputDirectory, path: String
  ) throws -> (descriptor: Int32, name: [UInt8], registration: TemporaryFiles.Registration) {
    let temporaryName = Self.temporaryName(for: name)
    let registration = TemporaryFiles.register(directory: directory.descriptor, name: temporaryName)
    let opened = PathBytes.withPath(PathBytes.string(fromBytes: temporaryName)) {
      openat(directory.descriptor, $0, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
    }
    guard opened >= 0 else {
      let code = errno
      TemporaryFiles.release(registration)
      throw Self.createFailure(path, code)
    }
    flock(opened, LOCK_EX)
    return (opened, temporaryName, registration)
  }

  deinit {
    discard()
    releaseBlock()
  }

  private func releaseBlock() {
    pending?.deallocate()
    pending = nil
    pendingCount = 0
  }

  /// Writes all of `bytes` at the current offset; throws (74) and keeps the error on failure.
  public func write(_ bytes: UnsafeRawBufferPointer) throws {
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

  private func writeThrough(_ bytes: UnsafeRawBufferPointer) -> Int {
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
  public func commit() throws {
    guard !finished else { return }
    flush()
    releaseBlock()
    if let failure {
      discard()
      throw failure
    }
    ProtectedFiles.protectOutput(descriptor: descriptor)
    var written = stat()
    if fstat(descriptor, &written) == 0 { committedIdentity = ProtectedFiles.Identity(written) }
    finished = true
    let closed = ownsDescriptor ? close(descriptor) : 0
    let closeError = errno
    guard let directory, let registration else {
      if closed != 0 { throw AudioIOError(.ioFailure, path: path, "write failed: \(String(cString: strerror(closeError)))") }
      return
    }
    defer { TemporaryFiles.release(registration) }
    let temporary = PathBytes.string(fromBytes: temporaryName)
    let final = PathBytes.string(fromBytes: name)
    do {
      if closed != 0 { throw AudioIOError(.ioFailure, path: path, "write failed: \(String(cString: strerror(closeError)))") }
      // Registered before the move, so that no instant is left where a signal would miss it.
      if holdsUntilSettled { heldRegistration = TemporaryFiles.register(directory: directory.descriptor, name: name) }
      try moveIntoPlace(temporary, final, in: directory)
    } catch {
      settle()
      _ = PathBytes.withPath(temporary) { unlinkat(directory.descriptor, $0, 0) }
      throw error
    }
  }

  /// The run that wrote it completed: a signal no longer removes it.
  public func settle() {
    if let heldRegistration { TemporaryFiles.release(heldRegistration) }
    heldRegistration = nil
  }

  /// Removes the file `commit` moved into place, if the name still holds it: a run that fails
  /// after some of its outputs landed (segments) takes them back, so none of a failed run's
  /// files looks finished. A direct output (a device) is left alone.
  public func removeCommitted() {
    defer { settle() }
    guard finished, let directory, let committedIdentity else { return }
    var status = stat()
    let final = PathBytes.string(fromBytes: name)
    guard PathBytes.withPath(final, { fstatat(directory.descriptor, $0, &status, AT_SYMLINK_NOFOLLOW) }) == 0,
      ProtectedFiles.Identity(status) == committedIdentity
    else { return }
    _ = PathBytes.withPath(final) { unlinkat(directory.descriptor, $0, 0) }
  }

  /// Closes and removes the temporary (a direct output is only closed).
  public func discard() {
    guard !finished else { return }
    finished = true
    releaseBlock()
    if ownsDescriptor { close(descriptor) }
    guard let directory, let registration else { return }
    _ = PathBytes.withPath(PathBytes.string(fromBytes: temporaryName)) { unlinkat(directory.descriptor, $0, 0) }
    TemporaryFiles.release(registration)
  }

  private func moveIntoPlace(_ temporary: String, _ final: String, in directory: OutputDirectory) throws {
    let at = directory.descriptor
    if overwrite {
      // The name may have changed since it was checked: never replace a protected file.
      var status = stat()
      if PathBytes.withPath(final, { fstatat(at, $0, &status, AT_SYMLINK_NOFOLLOW) }) == 0 {
        try Self.refuseProtected(status, path: path)
        if (status.st_mode & S_IFMT) == S_IFDIR { throw AudioIOError(.cannotCreateOutput, path: path, "is a directory") }
      }
      guard PathBytes.withPath(temporary, { from in PathBytes.withPath(final) { renameat(at, from, at, $0) } }) == 0 else {
        throw Self.createFailure(path, errno)
      }
      return
    }
    // link refuses an existing name atomically; the temporary's name then goes.
    let linked = PathBytes.withPath(temporary) { from in PathBytes.withPath(final) { linkat(at, from, at, $0, 0) } }
    var code = errno
    if linked == 0 {
      _ = PathBytes.withPath(temporary) { unlinkat(at, $0, 0) }
      return
    }
    if code == EPERM || code == EOPNOTSUPP || code == EXDEV {
      // A file system without hard links: check, then rename (not atomic, the best it allows).
      var status = stat()
      if PathBytes.withPath(final, { fstatat(at, $0, &status, AT_SYMLINK_NOFOLLOW) }) == 0 {
        code = EEXIST
      } else if PathBytes.withPath(temporary, { from in PathBytes.withPath(final) { renameat(at, from, at, $0) } }) == 0 {
        return
      } else {
        code = errno
      }
    }
    throw code == EEXIST
      ? AudioIOError(.cannotCreateOutput, path: path, "already exists (use --force to replace it)")
      : Self.createFailure(path, code)
  }

  /// ".NAME.audioprep-PID-RANDOM.tmp", with NAME shortened so the whole stays within NAME_MAX.
  static func temporaryName(for name: [UInt8]) -> [UInt8] {
    let tag = String(UInt64.random(in: 0...UInt64.max), radix: 16)
    let suffix = Array(".audioprep-\(getpid())-\(tag).tmp".utf8)
    let room = Int(NAME_MAX) - 1 - suffix.count
    return [UInt8(ascii: ".")] + name.prefix(room) + suffix
  }

  /// Whether `name` looks like a temporary of `OutputFile`'s: ".….audioprep-PID-HEX.tmp".
  public static func isTemporaryName(_ name: [UInt8]) -> Bool {
    let marker = Array(".audioprep-".utf8)
    guard name.first == UInt8(ascii: "."), name.count > marker.count + 4, name.suffix(4).elementsEqual(".tmp".utf8)
    else { return false }
    let body = name.dropLast(4)
    guard let start = (1...(body.count - marker.count)).reversed().first(where: {
      body[$0..<$0 + marker.count].elementsEqual(marker)
    }) else { return false }
    let fields = body[(start + marker.count)...].split(separator: UInt8(ascii: "-"))
    return fields.count == 2 && fields[0].allSatisfy { (0x30...0x39).contains($0) }
      && fields[1].allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
  }

  /// What the symlink at `path` points to, if it is one.
  static func linkTarget(_ path: String) -> String? {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = PathBytes.withPath(path) { readlink($0, &buffer, buffer.count - 1) }
    guard count > 0 else { return nil }
    return PathBytes.string(fromBytes: buffer[0..<count].map { UInt8(bitPattern: $0) })
  }

  /// The descriptor `path` names, however spelled (`/dev/stdout`, `/dev/./stderr`, `/dev/fd/3`,
  /// `/proc/self/fd/3`, or a symlink to one of those): its directory is resolved, then its last
  /// component read. nil for any other path.
  public static func descriptorNumber(named path: String) -> Int32? {
    if let number = descriptorNumber(spelled: path) { return number }
    return linkTarget(path).flatMap(descriptorNumber(spelled:))
  }

  private static func descriptorNumber(spelled path: String) -> Int32? {
    let slash = path.lastIndex(of: "/")
    guard let slash, path.hasPrefix("/") else { return nil }
    let directory = String(path[...slash])
    let name = String(path[path.index(after: slash)...])
    guard let resolved = PathBytes.withPath(directory, { realpath($0, nil) }) else { return nil }
    let real = PathBytes.string(fromCString: resolved)
    free(resolved)
    let number: Int32?
    switch real {
    case "/dev": number = name == "stdout" ? 1 : name == "stderr" ? 2 : name == "stdin" ? 0 : nil
    case "/proc/self/fd", "/proc/\(getpid())/fd", "/dev/fd": number = Int32(name)
    default: number = nil
    }
    guard let number, number >= 0 else { return nil }
    return number
  }

  private static func refuseProtected(_ status: stat, path: String) throws {
    if let role = ProtectedFiles.role(of: status) { throw protectedFailure(role, path: path) }
  }

  private static func protectedFailure(_ role: ProtectedFiles.Role, path: String) -> AudioIOError {
    switch role {
    case .input: AudioIOError(.cannotCreateOutput, path: path, "is an input; refusing to write over it")
    case .output: AudioIOError(.cannotCreateOutput, path: path, "was already written by this run; refusing to write over it")
    }
  }

  private static func createFailure(_ path: String, _ code: Int32) -> AudioIOError {
    AudioIOError(.cannotCreateOutput, path: path, String(cString: strerror(code)))
  }
}

extension OutputFile {
  /// libsndfile's virtual I/O onto this output's descriptor.
  static var virtualIO: SF_VIRTUAL_IO {
    SF_VIRTUAL_IO(
      get_filelen: { user in
        var status = stat()
        let output = Unmanaged<OutputFile>.fromOpaque(user!).takeUnretainedValue()
        output.flush()
        return fstat(output.descriptor, &status) == 0 ? sf_count_t(status.st_size) : -1
      },
      seek: { offset, whence, user in
        let output = Unmanaged<OutputFile>.fromOpaque(user!).takeUnretainedValue()
        output.flush()
        return sf_count_t(lseek(output.descriptor, off_t(offset), whence))
      },
      read: { pointer, count, user in
        let output = Unmanaged<OutputFile>.fromOpaque(user!).takeUnretainedValue()
        output.flush()
        return sf_count_t((try? Descriptor.read(output.descriptor, into: UnsafeMutableRawBufferPointer(start: pointer, count: Int(count)))) ?? 0)
      },
      write: { pointer, count, user in
        let output = Unmanaged<OutputFile>.fromOpaque(user!).takeUnretainedValue()
        return sf_count_t(output.writeAll(UnsafeRawBufferPointer(start: pointer, count: Int(count))))
      },
      tell: { user in
        let output = Unmanaged<OutputFile>.fromOpaque(user!).takeUnretainedValue()
        output.flush()
        return sf_count_t(lseek(output.descriptor, 0, SEEK_CUR))
      })
  }
}
