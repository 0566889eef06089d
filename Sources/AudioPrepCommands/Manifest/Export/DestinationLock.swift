import DSP
import Glibc

/// An exclusive `flock` on a directory format's DEST, held from before the export looks at
/// what is there (its stale files) until its files have landed: two exports into one
/// directory land one after the other, each whole, so the last one wins whole (never wav.scp
/// of one run beside spk2utt of the other). Released when the process ends, however.
final class DestinationLock {
  private let descriptor: Int32

  /// Waits for the lock on the directory `path`; 73 when it cannot be opened or locked.
  init(directory path: String) throws {
    descriptor = Descriptor.open(path, flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw CommandFailure(path, "cannot open it to lock it: \(String(cString: strerror(errno)))", code: ExitStatus.cannotCreate)
    }
    do {
      try Descriptor.lock(descriptor, .exclusive)
    } catch {
      try? Descriptor.close(descriptor)
      throw CommandFailure(path, "cannot lock it against another export: \(String(cString: strerror(error.rawValue)))", code: ExitStatus.cannotCreate)
    }
  }

  deinit { try? Descriptor.close(descriptor) }  // which releases the lock
}
