import Glibc

/// Whether two files hold the same bytes.
enum SameBytes {
  /// Whether `a` and `b` in `directory` (neither followed if a symlink) are regular files of the
  /// same length and bytes; false when either cannot be read.
  static func files(_ a: String, _ b: String, in directory: Int32) -> Bool {
    let first = Descriptor.open(a, in: directory, flags: O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
    guard first >= 0 else { return false }
    defer { _ = close(first) }
    let second = Descriptor.open(b, in: directory, flags: O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
    guard second >= 0 else { return false }
    defer { _ = close(second) }
    guard let one = Descriptor.status(of: first), let other = Descriptor.status(of: second), one.isRegular, other.isRegular,
      one.size == other.size
    else { return false }
    let block = 1 << 16
    var offset: Int64 = 0
    while offset < one.size {
      guard let left = try? Descriptor.read(first, count: block, at: offset),
        let right = try? Descriptor.read(second, count: left.count, at: offset), !left.isEmpty, left == right
      else { return false }
      offset += Int64(left.count)
    }
    return true
  }
}
