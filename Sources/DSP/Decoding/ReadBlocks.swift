/// The blocks input files are read into (`BufferedFileReader`'s, `StreamHeaderScanner`'s), kept
/// when a file is done with them for the next file, up to `kept` of them.
///
/// A block of 128 KiB or more is above glibc's `mmap` threshold, and one freed at the top of the
/// heap is given back to the kernel: a new block for every file was a new mapping whose every
/// page faulted in when it was read into, a fifth of the CPU of `info` over a directory.
enum ReadBlocks {
  /// At most this many blocks are kept, each no larger than `largestKept`: memory stays bounded
  /// whatever the number of files read.
  static let kept = 4
  static let largestKept = 1 << 20

  private static let lock = MonitorLock()
  nonisolated(unsafe) private static var free: [UnsafeMutableRawBufferPointer] = []

  /// A block of `byteCount` bytes, not zero-filled: a kept one, or a new one.
  static func take(_ byteCount: Int) -> UnsafeMutableRawBufferPointer {
    let kept = lock.withLock { () -> UnsafeMutableRawBufferPointer? in
      guard let index = free.firstIndex(where: { $0.count == byteCount }) else { return nil }
      return free.remove(at: index)
    }
    return kept ?? UnsafeMutableRawBufferPointer.allocate(byteCount: byteCount, alignment: 16)
  }

  /// Gives `block` (from `take`) back: kept for another file (in place of the one kept
  /// longest, when `kept` are), or freed.
  static func give(_ block: UnsafeMutableRawBufferPointer) {
    guard block.count <= largestKept else { return block.deallocate() }
    let dropped = lock.withLock { () -> UnsafeMutableRawBufferPointer? in
      free.append(block)
      return free.count > kept ? free.removeFirst() : nil
    }
    dropped?.deallocate()
  }
}
