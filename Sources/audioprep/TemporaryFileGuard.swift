import Glibc

/// Removes the temporary output file if SIGINT or SIGTERM arrives, then exits 130 or 143.
///
/// The handler only calls async-signal-safe functions (`unlink`, `_exit`) on a C string
/// prepared in advance.
enum TemporaryFileGuard {
  nonisolated(unsafe) private static var path: UnsafeMutablePointer<CChar>?

  /// Installs the handlers and registers `temporaryPath` for removal.
  static func protect(_ temporaryPath: String) {
    path = strdup(temporaryPath)
    signal(SIGINT, handle)
    signal(SIGTERM, handle)
  }

  /// The file has been moved into place or removed: nothing left to clean.
  static func release() {
    signal(SIGINT, SIG_DFL)
    signal(SIGTERM, SIG_DFL)
    let old = path
    path = nil
    free(old)
  }

  private static let handle: @convention(c) (Int32) -> Void = { signalNumber in
    if let path = TemporaryFileGuard.path { unlink(path) }
    _exit(128 + signalNumber)
  }
}
