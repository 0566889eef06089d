import Glibc
import SystemPackage

/// The one file-descriptor layer: every file-system call audioprep makes goes through here
/// (`scripts/file-system-calls.sh` lists the compiled files that make one: these, and
/// `DirectoryListing` for `readdir`). Reads and writes (here), reads at an offset, seeks and
/// truncation (Descriptor+Positions), closing, duplicating and locking (Descriptor+Lifetime),
/// every look at a file's kind and identity (`status`, `FileStatus` in Descriptor+Status), on
/// swift-system's `FileDescriptor` and `Stat`, retry EINTR where it means "again" and throw the
/// `Errno` of the call itself (never one read later, after other calls changed it). Opening,
/// linking, renaming, removing and making directories (Descriptor+Paths) keep the C calls' own
/// convention (-1 and `errno`), which their callers test; what reads a path without opening
/// it (`linkTarget`, `resolvedPath`, `checkReadable`) throws.
package enum Descriptor {
  /// Writes all of `bytes`; returns how many were written before an error, with the error.
  package static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> (written: Int, error: Errno?) {
    let file = FileDescriptor(rawValue: descriptor)
    var offset = 0
    while offset < bytes.count {
      do {
        let written = try file.write(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
        if written == 0 { return (offset, Errno.noSpace) }
        offset += written
      } catch {
        return (offset, error as? Errno ?? Errno.ioError)
      }
    }
    return (offset, nil)
  }

  /// Reads up to `buffer.count` bytes; 0 at the end.
  package static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
    do {
      return try FileDescriptor(rawValue: descriptor).read(into: buffer)
    } catch let error as Errno {
      throw error
    } catch {
      throw Errno.ioError
    }
  }

  /// The descriptors open when `recordInherited` ran (first thing in `main`): those the caller
  /// handed over. nil when it never ran (a library user), and then every descriptor counts.
  /// (An array, not a set: a handful of numbers, and a `Set<Int32>` costs the Swift runtime a
  /// scan of every conformance record at start, issue 22.)
  nonisolated(unsafe) private static var inherited: [Int32]?

  /// Notes which descriptors the process started with; call before opening anything.
  package static func recordInherited() {
    var found: [Int32] = []
    if let listing = opendir("/proc/self/fd") {
      let own = dirfd(listing)  // the listing's own, closed here
      while let entry = readdir(listing) {
        let name = DirectoryListing.name(of: entry)
        if let number = Int32(name), number != own { found.append(number) }
      }
      closedir(listing)
    }
    inherited = found
  }

  /// Whether the caller handed `descriptor` over (0, 1 and 2 always count).
  package static func wasInherited(_ descriptor: Int32) -> Bool {
    descriptor <= 2 || inherited.map { $0.contains(descriptor) } ?? true
  }

  /// Every byte from `descriptor` to its end; with a `limit`, `limit + 1` at most, so that a
  /// caller can tell a longer file without holding it.
  package static func readAll(_ descriptor: Int32, limit: Int = .max - 1) throws(Errno) -> [UInt8] {
    var bytes: [UInt8] = []
    let block = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 16)
    defer { block.deallocate() }
    while bytes.count <= limit {
      let count = try read(descriptor, into: UnsafeMutableRawBufferPointer(rebasing: block[0..<min(block.count, limit + 1 - bytes.count)]))
      if count == 0 { return bytes }
      bytes.append(contentsOf: block[0..<count])
    }
    return bytes
  }
}

/// audioprep's own standard error: one writer for every message and the progress line.
///
/// It writes to the original descriptor (`LibraryDiagnostics.standardError`), which stays open
/// while descriptor 2 points at /dev/null during libmpg123's decoding. A failed write is dropped:
/// there is nowhere left to report it.
package enum StandardError {
  package static func write(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { _ = Descriptor.writeAll(LibraryDiagnostics.standardError, $0) }
  }
}
