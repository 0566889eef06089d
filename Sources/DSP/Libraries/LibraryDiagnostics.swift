import Glibc

/// Keeps the C libraries' own diagnostics off standard error while they decode.
///
/// libmpg123, libsndfile's MP3 decoder, prints lines such as `Note: Illegal Audio-MPEG-Header …`
/// straight to standard error when it resynchronises over damaged frames, and libsndfile gives
/// no way to set its `MPG123_QUIET` flag. Inside `silenced`, file descriptor 2 points at
/// /dev/null. audioprep's own messages go to `standardError`, a duplicate of the original
/// descriptor taken before anything is silenced, so they are never lost. Nested or concurrent
/// silenced regions are counted: the first silences, the last restores.
package enum LibraryDiagnostics {
  /// The original standard error (close-on-exec); write audioprep's own messages here.
  package static let standardError: Int32 = {
    (try? Descriptor.duplicate(STDERR_FILENO)) ?? STDERR_FILENO
  }()

  private static let lock = MonitorLock(processWide: true)
  nonisolated(unsafe) private static var depth = 0

  /// Runs `body` with descriptor 2 pointing at /dev/null.
  static func silenced<T>(_ body: () throws -> T) rethrows -> T {
    let original = standardError
    lock.withLock {
      if depth == 0, original != STDERR_FILENO {
        let null = Descriptor.open("/dev/null", flags: O_WRONLY | O_CLOEXEC)
        if null >= 0 {
          try? Descriptor.duplicate(null, onto: STDERR_FILENO)
          try? Descriptor.close(null)
        }
      }
      depth += 1
    }
    defer {
      lock.withLock {
        depth -= 1
        if depth == 0, original != STDERR_FILENO { try? Descriptor.duplicate(original, onto: STDERR_FILENO) }
      }
    }
    return try body()
  }
}
