import Glibc
import SystemPackage

/// Opening, linking, renaming, removing and making directories: the C calls that take a path,
/// each made here and nowhere else in audioprep. Every one is the `…at` form, relative to an open
/// `directory` (`AT_FDCWD`: the working directory, what `open`, `unlink` and `mkdir` mean), so a
/// caller holding a directory's descriptor never has the path re-resolved. Each returns what the
/// C call returns (a descriptor, or 0) and -1 with `errno` set, as callers test `EEXIST`,
/// `ENOENT` or `EPERM`; paths go through `PathBytes.withPath`, so a name that is not UTF-8 keeps
/// its bytes. The `UnsafePointer<CChar>` forms allocate nothing (for a signal handler).
extension Descriptor {
  /// `openat`: a new descriptor for `path`, or -1. `mode` only matters with `O_CREAT`.
  package static func open(_ path: String, in directory: Int32 = AT_FDCWD, flags: Int32, mode: mode_t = 0) -> Int32 {
    PathBytes.withPath(path) { openat(directory, $0, flags, mode) }
  }

  /// `unlinkat` of a file (never a directory).
  package static func unlink(_ path: String, in directory: Int32 = AT_FDCWD) -> Int32 {
    PathBytes.withPath(path) { unlink($0, in: directory) }
  }

  @inline(__always)
  package static func unlink(_ path: UnsafePointer<CChar>, in directory: Int32) -> Int32 {
    unlinkat(directory, path, 0)
  }

  /// `renameat` within one directory: `target` is replaced atomically if it exists.
  package static func rename(_ source: String, to target: String, in directory: Int32 = AT_FDCWD) -> Int32 {
    PathBytes.withPath(source) { from in PathBytes.withPath(target) { rename(from, to: $0, in: directory) } }
  }

  @inline(__always)
  package static func rename(_ source: UnsafePointer<CChar>, to target: UnsafePointer<CChar>, in directory: Int32) -> Int32 {
    renameat(directory, source, directory, target)
  }

  /// `linkat` within one directory: a second name for `source`; fails with `EEXIST` when
  /// `target` exists (never replaces it), and follows no symlink.
  package static func link(_ source: String, to target: String, in directory: Int32 = AT_FDCWD) -> Int32 {
    PathBytes.withPath(source) { from in PathBytes.withPath(target) { linkat(directory, from, directory, $0, 0) } }
  }

  /// Whether `link` failed with `code` because the file system makes no hard links (FAT, some
  /// FUSE file systems; across devices): a caller moves by rename instead.
  package static func makesNoHardLinks(_ code: Int32) -> Bool {
    code == EPERM || code == EOPNOTSUPP || code == EXDEV
  }

  /// `mkdirat`: a directory with `mode` (less the umask).
  package static func makeDirectory(_ path: String, in directory: Int32 = AT_FDCWD, mode: mode_t) -> Int32 {
    PathBytes.withPath(path) { mkdirat(directory, $0, mode) }
  }
}

/// What a path names, read without opening it: a symlink's target, the path resolved, the
/// working directory, whether a file may be read; and removing an empty directory. These throw
/// the `Errno` of the call itself.
extension Descriptor {
  /// `readlink`: what the symlink at `path` points to (`EINVAL` when it is not one).
  package static func linkTarget(_ path: String) throws(Errno) -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = PathBytes.withPath(path) { readlink($0, &buffer, buffer.count - 1) }
    guard count >= 0 else { throw Errno(rawValue: errno) }
    return PathBytes.string(fromBytes: buffer[0..<count].map { UInt8(bitPattern: $0) })
  }

  /// `realpath`: `path` absolute, with every symlink, `.` and `..` resolved; every component
  /// must exist.
  package static func resolvedPath(_ path: String) throws(Errno) -> String {
    guard let resolved = PathBytes.withPath(path, { realpath($0, nil) }) else { throw Errno(rawValue: errno) }
    defer { free(resolved) }
    return PathBytes.string(fromCString: resolved)
  }

  /// `getcwd`: the working directory.
  package static func workingDirectory() throws(Errno) -> String {
    guard let path = getcwd(nil, 0) else { throw Errno(rawValue: errno) }
    defer { free(path) }
    return PathBytes.string(fromCString: path)
  }

  /// `access(R_OK)`: whether this process may read `path`, throwing why not.
  package static func checkReadable(_ path: String) throws(Errno) {
    guard PathBytes.withPath(path, { access($0, R_OK) }) == 0 else { throw Errno(rawValue: errno) }
  }

  /// `unlinkat(AT_REMOVEDIR)` (`rmdir`): removes `path` if it is an empty directory.
  package static func removeDirectory(_ path: String, in directory: Int32 = AT_FDCWD) throws(Errno) {
    guard PathBytes.withPath(path, { unlinkat(directory, $0, AT_REMOVEDIR) }) == 0 else { throw Errno(rawValue: errno) }
  }
}
