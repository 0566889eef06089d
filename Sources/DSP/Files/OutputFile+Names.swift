import Glibc
import SystemPackage

/// The policy for a name: what an output may be opened over (devices in place, symlinks and
/// existing files only with `overwrite`, never a protected file or a name another output claimed).
extension OutputFile {
  /// Opens the output `name` in `directory` (batch outputs), or `path` (every other output).
  ///
  /// - Throws: `AudioIOError(.cannotCreateOutput)` (73) when a rule above refuses the name or
  ///   the file cannot be created.
  package convenience init(path: String, overwrite: Bool) throws {
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
  /// device, FIFO or socket at the name instead of writing into it. `identicalStands`: a
  /// regular file at the name (without `overwrite`) is not refused now but at `commit`, unless
  /// it holds the same bytes (`identicalStands`).
  package convenience init(
    name: String, in directory: OutputDirectory, path: String, overwrite: Bool, devicesInPlace: Bool = true,
    identicalStands: Bool = false
  ) throws {
    let nameBytes = PathBytes.bytes(of: name)
    // Refused before anything is created: the temporary's and the kept file's names are made to
    // fit, the final one cannot be.
    guard nameBytes.count <= Int(NAME_MAX) else {
      throw AudioIOError(
        .cannotCreateOutput, path: path, "its name is \(nameBytes.count) bytes, more than a file name may have (\(NAME_MAX))")
    }
    var existing = Descriptor.status(name, in: directory.descriptor, following: false)
    if let found = existing, found.isRegular, !overwrite, !identicalStands {
      // A name held by a killed run's half-done settle is nobody's file yet: that settle is
      // taken back or finished first, then the name looked at again (review49 H02: the rerun
      // of a segmentation killed while moving its set into place was refused, 73).
      DeadRuns.clear(in: directory.descriptor)
      existing = Descriptor.status(name, in: directory.descriptor, following: false)
    }
    if let status = existing {
      switch status.kind {
      case .characterDevice, .fifo, .socket:
        try Self.refuseProtected(status, path: path)  // an input FIFO
        guard devicesInPlace else {
          throw AudioIOError(.cannotCreateOutput, path: path, "is a device, FIFO or socket; refusing to write to it")
        }
        // Written in place, like sox and ffmpeg do: opening follows nothing (the name is no link).
        try self.init(inPlace: Self.open(name, in: directory, flags: O_WRONLY | O_NOFOLLOW, path: path), path: path)
        return
      case .directory:
        throw AudioIOError(.cannotCreateOutput, path: path, "is a directory")
      case .blockDevice:
        throw AudioIOError(.cannotCreateOutput, path: path, "is a block device; refusing to write to it")
      case .symlink:
        // A link to an input names the input: refused like any spelling of it.
        if let target = Descriptor.status(name, in: directory.descriptor) {
          try Self.refuseProtected(target, path: path)
          // A link to a device, FIFO or socket (a respelled /dev/stdout) is written through,
          // never replaced: like the node itself, it has no temporary to stand in for it.
          if devicesInPlace, target.isStream {
            try self.init(inPlace: Self.open(name, in: directory, flags: O_WRONLY, path: path), path: path)
            return
          }
        }
        if !overwrite {
          throw AudioIOError(.cannotCreateOutput, path: path, "is a symlink (use --force to replace the link itself)")
        }
      default:
        try Self.refuseProtected(status, path: path)
        if !overwrite && !(identicalStands && status.isRegular) {
          throw AudioIOError(.cannotCreateOutput, path: path, "already exists (use --force to replace it)")
        }
      }
    }
    guard let claim = ProtectedFiles.claim(directory: directory.descriptor, name: nameBytes) else {
      throw AudioIOError(.cannotCreateOutput, path: path, "is named by another output of this run")
    }
    let temporary: (descriptor: Int32, name: [UInt8], registration: TemporaryFiles.Registration)
    do {
      temporary = try Self.createTemporary(for: nameBytes, in: directory, path: path)
    } catch {
      ProtectedFiles.release(claim)
      throw error
    }
    self.init(
      descriptor: temporary.descriptor, path: path, isDirect: false, isSeekable: true, overwrite: overwrite,
      name: nameBytes, temporary: (temporary.name, temporary.registration, directory))
    self.claim = claim
    self.identicalStands = identicalStands
  }
}
