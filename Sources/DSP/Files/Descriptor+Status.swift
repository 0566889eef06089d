import Glibc
import SystemPackage

/// What `stat` says of a file, as audioprep needs it: the one place a file's kind is read.
package struct FileStatus {
  package enum Kind: Sendable {
    case regular, directory, symlink, fifo, socket, characterDevice, blockDevice, other
  }

  package let kind: Kind
  /// Device and inode: the same file however its path is spelled.
  package let identity: ProtectedFiles.Identity
  package let size: Int64
  package let linkCount: Int
  package let modified: timespec
  /// The last change of the inode itself (a link made, a rename).
  package let changed: timespec
  /// Its permission bits (owner, group, others: `0o777` at most).
  package let permissions: mode_t
  /// Its owner's user id and group id.
  package let owner: uid_t
  package let group: gid_t

  package init(_ status: stat) {
    kind =
      switch status.st_mode & S_IFMT {
      case S_IFREG: .regular
      case S_IFDIR: .directory
      case S_IFLNK: .symlink
      case S_IFIFO: .fifo
      case S_IFSOCK: .socket
      case S_IFCHR: .characterDevice
      case S_IFBLK: .blockDevice
      default: .other
      }
    identity = ProtectedFiles.Identity(status)
    size = Int64(status.st_size)
    linkCount = Int(status.st_nlink)
    modified = status.st_mtim
    changed = status.st_ctim
    permissions = status.st_mode & 0o777
    owner = status.st_uid
    group = status.st_gid
  }

  package var isRegular: Bool { kind == .regular }
  package var isDirectory: Bool { kind == .directory }

  /// The one stream rule: a FIFO, a character device or a socket is read and written as it
  /// comes, without seeking (standard input, `/dev/stdin`, a named pipe, `/dev/null`). A block
  /// device is neither a stream nor a file audioprep writes.
  package var isStream: Bool { kind == .fifo || kind == .characterDevice || kind == .socket }
}

extension Descriptor {
  /// The status of `path` (relative to the open `directory`, or to the working directory);
  /// `following` false describes a final symlink itself. nil when it cannot be read (`errno`
  /// says why). The corresponding C function is `fstatat`.
  package static func status(_ path: String, in directory: Int32 = AT_FDCWD, following: Bool = true) -> FileStatus? {
    let result: Result<Stat, Errno> = PathBytes.withPath(path) { name in
      Result { () throws(Errno) -> Stat in
        try Stat(name, relativeTo: FileDescriptor(rawValue: directory), flags: following ? [] : .symlinkNoFollow)
      }
    }
    switch result {
    case .success(let status): return FileStatus(status.rawValue)
    case .failure(let error):
      errno = error.rawValue
      return nil
    }
  }

  /// The status of an open descriptor (`fstat`); nil when it cannot be read.
  package static func status(of descriptor: Int32) -> FileStatus? {
    (try? Stat(FileDescriptor(rawValue: descriptor))).map { FileStatus($0.rawValue) }
  }
}

/// What a descriptor that is not a file says of itself: a terminal's width, a pipe's waiting bytes.
extension Descriptor {
  /// `isatty`: whether `descriptor` is a terminal.
  package static func isTerminal(_ descriptor: Int32) -> Bool {
    isatty(descriptor) == 1
  }

  /// `ioctl(TIOCGWINSZ)`: the width in columns of the terminal on `descriptor`; nil when it is
  /// not a terminal or does not say.
  package static func terminalColumns(_ descriptor: Int32) -> Int? {
    var size = winsize()
    guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
    return Int(size.ws_col)
  }

  /// `ioctl(FIONREAD)`: the bytes waiting to be read without blocking (in a pipe's buffer, the
  /// rest of a regular file).
  package static func bytesWaiting(_ descriptor: Int32) throws(Errno) -> Int {
    var waiting: Int32 = 0
    guard ioctl(descriptor, UInt(FIONREAD), &waiting) == 0 else { throw Errno(rawValue: errno) }
    return Int(max(0, waiting))
  }
}
