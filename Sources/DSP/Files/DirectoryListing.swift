import Glibc
import SystemPackage

/// The entries of an open directory, read one at a time (`readdir`): the one place a directory
/// is listed, in constant memory however many names it holds.
///
/// Calling sequence: open the directory (`Descriptor.open` with `O_DIRECTORY`), then
/// `DirectoryListing.forEach(in:)`; the descriptor stays the caller's, open for the `…at` calls
/// on the names it lists, and is closed by the caller.
package enum DirectoryListing {
  package struct Entry {
    /// The name, as `PathBytes` spells it (a name that is not UTF-8 keeps its bytes).
    package let name: String
    /// Whether `readdir` says it is a directory (`DT_DIR`), without a `stat`; false where the
    /// file system does not say (`DT_UNKNOWN`).
    package let isDirectory: Bool
  }

  private static let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
  private static let typeOffset = MemoryLayout<dirent>.offset(of: \dirent.d_type)!

  /// The name in the record `readdir` gave, read where it lies: a record is only as long as its
  /// name (`d_reclen`), and a copy of the whole 256-byte `d_name` field read past the end of the
  /// last record of a block, into an unmapped page (a crash listing a 3000-file directory).
  package static func name(of entry: UnsafeMutablePointer<dirent>) -> String {
    PathBytes.string(fromCString: (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self))
  }

  /// Calls `body` with every entry of the open directory `directory` but `.` and `..`, from its
  /// start, in the order the file system keeps them. The listing reads through a duplicate of
  /// `directory` (`fdopendir` takes the descriptor it is given), closed before this returns.
  package static func forEach(in directory: Int32, _ body: (Entry) -> Void) throws(Errno) {
    let copy = try Descriptor.duplicate(directory)
    guard let stream = fdopendir(copy) else {
      let code = errno
      try? Descriptor.close(copy)
      throw Errno(rawValue: code)
    }
    defer { closedir(stream) }
    rewinddir(stream)  // the copy shares the original's position
    while let entry = readdir(stream) {
      let name = Self.name(of: entry)
      if name == "." || name == ".." { continue }
      body(Entry(name: name, isDirectory: UnsafeRawPointer(entry).load(fromByteOffset: typeOffset, as: UInt8.self) == UInt8(DT_DIR)))
    }
  }
}
