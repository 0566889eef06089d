/// A path as the file system tells paths apart: compared, hashed and ordered by its bytes.
///
/// Swift's `String` compares and hashes by Unicode canonical equivalence, so `é` composed (NFC,
/// C3 A9) and `é` decomposed (NFD, 65 CC 81) were one key of a `Set<String>` or a
/// `[String: …]`, while they are two files: batch dropped one of two inputs, failed a valid one
/// as having another's output, and merged their manifest records (review37b V1, V2). Every set,
/// dictionary or comparison of paths — inputs, outputs, relative paths of manifest records,
/// directories — keys them by `PathKey` instead.
///
/// A path's `String` spells its bytes one-to-one (`PathBytes`: a byte that is not UTF-8 is one
/// escape scalar), so its UTF-8 code units tell two paths apart exactly when their bytes do.
package struct PathKey: Hashable, Comparable, CustomStringConvertible {
  /// The path, as given.
  package let path: String

  package init(_ path: String) {
    self.path = path
  }

  /// The same bytes.
  package static func == (a: PathKey, b: PathKey) -> Bool {
    a.path.utf8.elementsEqual(b.path.utf8)
  }

  /// Hashes the bytes (not the canonical form `String` hashes).
  package func hash(into hasher: inout Hasher) {
    var path = path
    path.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    hasher.combine(path.utf8.count)
  }

  /// Byte order, as `ls` in the C locale sorts names.
  package static func < (a: PathKey, b: PathKey) -> Bool {
    a.path.utf8.lexicographicallyPrecedes(b.path.utf8)
  }

  package var description: String { path }

  /// Whether `a` and `b` are the same bytes: the one way two paths are compared.
  package static func same(_ a: String, _ b: String) -> Bool {
    PathKey(a) == PathKey(b)
  }

  /// Whether `path`'s bytes begin with `prefix`'s.
  package static func path(_ path: String, startsWith prefix: String) -> Bool {
    path.utf8.starts(with: prefix.utf8)
  }

  /// Whether `path`'s bytes end with `suffix`'s.
  package static func path(_ path: String, endsWith suffix: String) -> Bool {
    path.utf8.reversed().starts(with: suffix.utf8.reversed())
  }

  /// Whether `a` and `b` are both nil or the same bytes.
  package static func same(_ a: String?, _ b: String?) -> Bool {
    a.map(PathKey.init) == b.map(PathKey.init)
  }
}
