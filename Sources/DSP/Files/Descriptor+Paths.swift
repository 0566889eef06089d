import Glibc

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

  /// `mkdirat`: a directory with `mode` (less the umask).
  package static func makeDirectory(_ path: String, in directory: Int32 = AT_FDCWD, mode: mode_t) -> Int32 {
    PathBytes.withPath(path) { mkdirat(directory, $0, mode) }
  }
}
