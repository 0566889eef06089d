import DSP
import Glibc
import Synchronization

/// The temporary output files in flight, removed if SIGINT or SIGTERM arrives.
///
/// A registry of up to `capacity` paths, so that `batch -j N` can have N temporaries at once.
/// Each path is copied into a slot of memory allocated once, and a slot is marked in use with an
/// atomic store after its bytes are written; the signal handler only reads those slots and calls
/// async-signal-safe functions (`unlink`, `_exit`). Nothing is allocated or freed in the handler,
/// and a released slot's memory is never freed, so the handler never reads freed memory.
///
/// Two modes:
/// - `exitAtOnce` (`process`): the first signal removes every registered file and exits 128 + N.
/// - `stopGracefully` (`batch`): the first signal only records itself (`stopSignal`); the batch
///   stops taking files, discards the ones in flight and exits on its own. A second signal
///   behaves as in `exitAtOnce`.
enum TemporaryFileGuard {
  enum Mode: Int {
    case exitAtOnce = 1
    case stopGracefully = 2
  }

  /// The most temporary files registered at once (`batch -j` is limited to it).
  static let capacity = 256
  /// Bytes per slot: a path longer than this cannot be opened anyway.
  private static let slotBytes = Int(PATH_MAX)

  nonisolated(unsafe) private static let paths = UnsafeMutablePointer<CChar>.allocate(capacity: capacity * slotBytes)
  nonisolated(unsafe) private static let inUse: UnsafeMutablePointer<Atomic<Int>> = {
    let slots = UnsafeMutablePointer<Atomic<Int>>.allocate(capacity: capacity)
    for index in 0..<capacity { (slots + index).initialize(to: Atomic(0)) }
    return slots
  }()
  private static let mode = Atomic<Int>(0)
  private static let receivedSignal = Atomic<Int32>(0)
  /// Serialises `register` (threads only; the handler never takes it). A pthread mutex rather
  /// than Synchronization's `Mutex`, whose futexes ThreadSanitizer cannot see (it reported the
  /// slot search as a race).
  private static let registration = MonitorLock()
  /// Where the next slot search starts; guarded by `registration`.
  nonisolated(unsafe) private static var cursor = 0

  /// Installs the SIGINT and SIGTERM handlers.
  static func install(_ newMode: Mode) {
    // Touch every lazily initialised global here, never for the first time in the handler.
    _ = paths
    _ = inUse
    receivedSignal.store(0, ordering: .relaxed)
    mode.store(newMode.rawValue, ordering: .releasing)
    var action = sigaction()
    action.__sigaction_handler.sa_handler = handle
    action.sa_flags = SA_RESTART
    sigemptyset(&action.sa_mask)
    sigaction(SIGINT, &action, nil)
    sigaction(SIGTERM, &action, nil)
  }

  /// The signal that asked a graceful stop (SIGINT or SIGTERM), or 0.
  static var stopSignal: Int32 { receivedSignal.load(ordering: .acquiring) }

  /// An observer that registers each temporary file a sink creates and releases it when gone
  /// (for sinks that write several files, like `SegmentingSink`).
  static func observer() -> TemporaryFileObserver {
    final class Slots { var byPath: [String: Int] = [:] }
    let slots = Slots()
    return TemporaryFileObserver(
      created: { path in if let slot = register(path) { slots.byPath[path] = slot } },
      removed: { path in if let slot = slots.byPath.removeValue(forKey: path) { release(slot) } })
  }

  /// Registers `path` for removal; returns its slot for `release`, or nil if the registry is full.
  static func register(_ path: String) -> Int? {
    let bytes = Array(path.utf8)
    guard bytes.count < slotBytes else { return nil }
    return registration.withLock { () -> Int? in
      for step in 0..<capacity {
        let slot = (cursor + step) % capacity
        guard inUse[slot].load(ordering: .acquiring) == 0 else { continue }
        let start = paths + slot * slotBytes
        bytes.withUnsafeBufferPointer { source in
          start.withMemoryRebound(to: UInt8.self, capacity: slotBytes) { target in
            target.update(from: source.baseAddress!, count: source.count)
            target[source.count] = 0
          }
        }
        inUse[slot].store(1, ordering: .releasing)
        cursor = slot + 1
        return slot
      }
      return nil
    }
  }

  /// The file has been moved into place or removed: nothing left to clean in `slot`.
  static func release(_ slot: Int) {
    inUse[slot].store(0, ordering: .releasing)
  }

  private static func removeAll() {
    var slot = 0
    while slot < capacity {
      if inUse[slot].load(ordering: .acquiring) == 1 { unlink(paths + slot * slotBytes) }
      slot += 1
    }
  }

  private static let handle: @convention(c) (Int32) -> Void = { signalNumber in
    if TemporaryFileGuard.mode.load(ordering: .acquiring) == Mode.stopGracefully.rawValue,
      TemporaryFileGuard.receivedSignal.compareExchange(
        expected: 0, desired: signalNumber, ordering: .acquiringAndReleasing
      ).exchanged
    {
      return
    }
    TemporaryFileGuard.removeAll()
    _exit(128 + signalNumber)
  }
}
