import Glibc

/// An open directory that outputs are created in, by descriptor, so that nothing below it is
/// reached through a symlink.
///
/// The directory the user names is opened as named (a symlink there was the user's choice);
/// `subdirectory` then creates and opens each component below it with `O_NOFOLLOW`, so a
/// symlink planted inside an output tree (`out/spk -> ../victim`) is refused rather than
/// followed.
public final class OutputDirectory: @unchecked Sendable {
  /// The path it was opened by, for messages.
  public let path: String
  /// The open directory (`O_DIRECTORY`).
  public let descriptor: Int32

  private init(path: String, descriptor: Int32) {
    self.path = path
    self.descriptor = descriptor
  }

  deinit { try? Descriptor.close(descriptor) }

  /// Opens `path` ("" is the current directory), following symlinks in it: the user named it.
  public static func open(_ path: String) throws -> OutputDirectory {
    let shown = path.isEmpty ? "." : path
    let descriptor = Descriptor.open(shown, flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else {
      let code = errno
      let reason =
        switch code {
        case ENOENT: "directory \(shown) does not exist"
        case ENOTDIR: "\(shown) is not a directory"
        default: "directory \(shown): \(String(cString: strerror(code)))"
        }
      throw AudioIOError(.cannotCreateOutput, path: shown, reason)
    }
    return shared(path: shown, descriptor: descriptor)
  }

  /// The directories opened by `open` that are still in use, by path and identity.
  private struct Key: Hashable {
    let path: String
    let identity: ProtectedFiles.Identity
  }
  private struct WeakDirectory {
    weak var directory: OutputDirectory?
  }
  nonisolated(unsafe) private static var opened: [Key: WeakDirectory] = [:]
  private static let lock = MonitorLock(processWide: true)

  /// The directory just opened as `descriptor`, or, when one opened by the same path is still
  /// in use and is the same directory, that one (`descriptor` is closed): an output waiting for
  /// its run to settle keeps its directory, so without this each of a long input's segments
  /// held a descriptor until the end, and a run past the open-file limit (1024 segments by
  /// default) ended 74 "Too many open files" (review62 H2). A path that names another
  /// directory now (a symlink changed meanwhile) gets its own.
  private static func shared(path: String, descriptor: Int32) -> OutputDirectory {
    guard let identity = Descriptor.status(of: descriptor)?.identity else {
      return OutputDirectory(path: path, descriptor: descriptor)
    }
    let key = Key(path: path, identity: identity)
    return lock.withLock {
      if let existing = opened[key]?.directory {
        try? Descriptor.close(descriptor)
        return existing
      }
      if opened.count >= 64 { opened = opened.filter { $0.value.directory != nil } }
      let directory = OutputDirectory(path: path, descriptor: descriptor)
      opened[key] = WeakDirectory(directory: directory)
      return directory
    }
  }

  /// Creates `path` and its missing parents (`mkdir -p`), following symlinks: the user named it.
  public static func makeDirectories(_ path: String) throws {
    var prefix = path.hasPrefix("/") ? "/" : ""
    for component in path.split(separator: "/") {
      prefix += component
      if Descriptor.makeDirectory(prefix, mode: 0o777) != 0 && errno != EEXIST {
        throw AudioIOError(.cannotCreateOutput, path: prefix, "cannot create directory: \(String(cString: strerror(errno)))")
      }
      prefix += "/"
    }
    _ = try open(path)  // exists and is a directory (or a link to one)
  }

  /// The directory `relative` ("a/b") below this one, created when missing; a component that
  /// is a symlink or not a directory is refused (73).
  public func subdirectory(_ relative: String) throws -> OutputDirectory {
    var current = descriptor
    var shown = path
    for component in relative.split(separator: "/") where component != "." {
      let name = String(component)
      shown = shown.hasSuffix("/") ? shown + name : shown + "/" + name
      guard name != ".." else {
        throw AudioIOError(.cannotCreateOutput, path: shown, "'..' would leave the output directory")
      }
      if Descriptor.makeDirectory(name, in: current, mode: 0o777) != 0 && errno != EEXIST {
        let reason = String(cString: strerror(errno))
        if current != descriptor { try? Descriptor.close(current) }
        throw AudioIOError(.cannotCreateOutput, path: shown, "cannot create directory: \(reason)")
      }
      let next = Descriptor.open(name, in: current, flags: O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
      let code = errno
      if current != descriptor { try? Descriptor.close(current) }
      guard next >= 0 else {
        let reason = code == ELOOP || code == ENOTDIR
          ? "is a symlink or not a directory; refusing to write through it"
          : String(cString: strerror(code))
        throw AudioIOError(.cannotCreateOutput, path: shown, reason)
      }
      current = next
    }
    if current == descriptor { current = (try? Descriptor.duplicate(descriptor, lowest: 0)) ?? -1 }
    return OutputDirectory(path: shown, descriptor: current)
  }

  /// Identity of this directory.
  var identity: ProtectedFiles.Identity? {
    Descriptor.status(of: descriptor)?.identity
  }
}
