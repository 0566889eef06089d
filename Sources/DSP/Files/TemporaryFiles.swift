import Glibc
import Synchronization

/// The temporary files in flight, removed if SIGINT, SIGTERM or SIGHUP arrives.
///
/// `OutputFile` registers a temporary (its directory's descriptor and its name) *before* it
/// creates it and releases it once it has been moved into place or removed, so no signal can
/// leave one behind. There is no fixed capacity: slots come in blocks of `slotsPerBlock`, a new
/// block is allocated (by the registering thread, never by the handler) when all are in use, and
/// blocks are never freed, so the handler only ever reads live memory. A slot is marked in use
/// with an atomic store after its bytes are written; the handler reads those slots and calls
/// async-signal-safe functions only (`unlinkat`, `renameat`, `_exit`).
///
/// Two modes:
/// - `exitAtOnce` (`process`): the first signal removes every registered file and exits 128 + N.
/// - `stopGracefully` (`batch`): the first signal only records itself (`stopSignal`); the batch
///   stops taking files, discards the ones in flight and exits on its own. A second signal
///   behaves as in `exitAtOnce`.
package enum TemporaryFiles {
  package enum Mode: Int, Sendable {
    case exitAtOnce = 1
    case stopGracefully = 2
  }

  /// A registered temporary: which block and which slot.
  package struct Registration: @unchecked Sendable {
    fileprivate let block: UnsafeMutableRawPointer
    fileprivate let slot: Int
  }

  static let slotsPerBlock = 64
  /// Bytes per name: NAME_MAX plus the terminating NUL.
  static let nameBytes = Int(NAME_MAX) + 1

  // Block layout: next block (Atomic<Int>, a pointer's bits), then per slot its state
  // (Atomic<Int>: free or remove), its directory descriptor (Int32) and its name (nameBytes).
  private static let statesOffset = MemoryLayout<Atomic<Int>>.stride
  private static let descriptorsOffset = statesOffset + slotsPerBlock * MemoryLayout<Atomic<Int>>.stride
  private static let namesOffset = descriptorsOffset + slotsPerBlock * MemoryLayout<Int32>.stride
  private static let blockBytes = namesOffset + slotsPerBlock * nameBytes

  /// A slot's state.
  private static let free = 0, remove = 1

  nonisolated(unsafe) private static let firstBlock: UnsafeMutableRawPointer = makeBlock()
  private static let mode = Atomic<Int>(0)
  private static let receivedSignal = Atomic<Int32>(0)
  /// Serialises settling with the handler's taking back: `idle`, `settling` (a thread is
  /// releasing a run's held outputs, `settling(_:)`), `exiting` (the handler is taking outputs
  /// back). A signal that comes while a run settles waits for it (`deferredSignal`), so a run's
  /// outputs are either all settled or all taken back, never some of each.
  private static let gate = Atomic<Int>(0)
  private static let idle = 0, settling = 1, exiting = 2
  private static let deferredSignal = Atomic<Int32>(0)
  /// Serialises `register` and block allocation (threads only; the handler never takes it).
  private static let registration = MonitorLock(processWide: true)

  /// Installs the SIGINT, SIGTERM and SIGHUP handlers.
  package static func install(_ newMode: Mode) {
    _ = firstBlock  // initialised here, never for the first time in the handler
    receivedSignal.store(0, ordering: .relaxed)
    mode.store(newMode.rawValue, ordering: .releasing)
    var action = sigaction()
    action.__sigaction_handler.sa_handler = handle
    action.sa_flags = SA_RESTART
    sigemptyset(&action.sa_mask)
    sigaction(SIGINT, &action, nil)
    sigaction(SIGTERM, &action, nil)
    // A closed terminal or a dropped ssh session (SIGHUP) stops a run as SIGTERM does, unless
    // the run was started to outlive it (`nohup`: SIGHUP ignored on entry stays ignored).
    var inherited = sigaction()
    sigaction(SIGHUP, nil, &inherited)
    if unsafeBitCast(inherited.__sigaction_handler.sa_handler, to: Int.self) != unsafeBitCast(SIG_IGN, to: Int.self) {
      sigaction(SIGHUP, &action, nil)
    }
    // SIGPIPE (the reader of standard output, or of a list or statistics on a pipe, went away)
    // ends a run that exits at once as SIGTERM does, taking back what it had written, with
    // SIGPIPE's status (141): it killed the process outright, part-way through a commit too
    // (review34b B9: old and new segments mixed, `.kept` files left). A batch keeps the default
    // (its writes are settled input by input); ignored on entry, it stays ignored.
    var inheritedPipe = sigaction()
    sigaction(SIGPIPE, nil, &inheritedPipe)
    if unsafeBitCast(inheritedPipe.__sigaction_handler.sa_handler, to: Int.self) != unsafeBitCast(SIG_IGN, to: Int.self) {
      if newMode == .exitAtOnce {
        sigaction(SIGPIPE, &action, nil)
      } else {
        var standard = sigaction()
        standard.__sigaction_handler.sa_handler = SIG_DFL
        sigemptyset(&standard.sa_mask)
        sigaction(SIGPIPE, &standard, nil)
      }
    }
  }

  /// The signal that asked a graceful stop (SIGINT, SIGTERM or SIGHUP), or 0.
  package static var stopSignal: Int32 { receivedSignal.load(ordering: .acquiring) }

  /// Registers `name` in the directory open as `directory` for removal; call before creating it.
  static func register(directory: Int32, name: [UInt8]) -> Registration {
    precondition(name.count < nameBytes, "a name is at most NAME_MAX bytes")
    return registration.withLock {
      var block = firstBlock
      while true {
        for slot in 0..<slotsPerBlock where state(block, slot).pointee.load(ordering: .acquiring) == free {
          (block + descriptorsOffset).assumingMemoryBound(to: Int32.self)[slot] = directory
          copy(name, to: block + namesOffset + slot * nameBytes)
          state(block, slot).pointee.store(remove, ordering: .releasing)
          return Registration(block: block, slot: slot)
        }
        if let next = nextBlock(of: block) {
          block = next
        } else {
          let fresh = makeBlock()
          next(of: block).pointee.store(Int(bitPattern: fresh), ordering: .releasing)
          block = fresh
        }
      }
    }
  }

  /// The file has been moved into place or removed: nothing left to clean.
  static func release(_ registration: Registration) {
    state(registration.block, registration.slot).pointee.store(free, ordering: .releasing)
  }

  private static func copy(_ name: [UInt8], to memory: UnsafeMutableRawPointer) {
    let target = memory.assumingMemoryBound(to: UInt8.self)
    name.withUnsafeBufferPointer { target.update(from: $0.baseAddress!, count: $0.count) }
    target[name.count] = 0
  }

  /// Registered temporaries now (for tests of the registry).
  static var registeredCount: Int {
    var count = 0
    var block: UnsafeMutableRawPointer? = firstBlock
    while let current = block {
      for slot in 0..<slotsPerBlock where state(current, slot).pointee.load(ordering: .acquiring) != free { count += 1 }
      block = nextBlock(of: current)
    }
    return count
  }

  private static func makeBlock() -> UnsafeMutableRawPointer {
    let block = UnsafeMutableRawPointer.allocate(byteCount: blockBytes, alignment: 16)
    block.initializeMemory(as: UInt8.self, repeating: 0, count: blockBytes)
    block.bindMemory(to: Atomic<Int>.self, capacity: 1).initialize(to: Atomic(0))
    let states = (block + statesOffset).bindMemory(to: Atomic<Int>.self, capacity: slotsPerBlock)
    for slot in 0..<slotsPerBlock { (states + slot).initialize(to: Atomic(0)) }
    return block
  }

  private static func next(of block: UnsafeMutableRawPointer) -> UnsafeMutablePointer<Atomic<Int>> {
    block.assumingMemoryBound(to: Atomic<Int>.self)
  }

  private static func nextBlock(of block: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
    UnsafeMutableRawPointer(bitPattern: next(of: block).pointee.load(ordering: .acquiring))
  }

  private static func state(_ block: UnsafeMutableRawPointer, _ slot: Int) -> UnsafeMutablePointer<Atomic<Int>> {
    (block + statesOffset).assumingMemoryBound(to: Atomic<Int>.self) + slot
  }

  private static func removeAll() {
    var block: UnsafeMutableRawPointer? = firstBlock
    while let current = block {
      var slot = 0
      while slot < slotsPerBlock {
        let slotState = state(current, slot).pointee.load(ordering: .acquiring)
        let directory = (current + descriptorsOffset).assumingMemoryBound(to: Int32.self)[slot]
        let name = (current + namesOffset + slot * nameBytes).assumingMemoryBound(to: CChar.self)
        if slotState == remove { _ = Descriptor.unlink(name, in: directory) }
        slot += 1
      }
      block = nextBlock(of: current)
    }
  }

  /// Runs `body`, which settles held outputs (releases their registrations, removes the files
  /// they kept aside), as one step for the signal handler: a SIGINT or SIGTERM that arrives
  /// meanwhile takes effect once `body` is done, so it finds every output of the run settled.
  package static func settling(_ body: () -> Void) {
    while !gate.compareExchange(expected: idle, desired: settling, ordering: .acquiringAndReleasing).exchanged {
      sched_yield()  // another thread settles, or the handler is ending the process
    }
    body()
    gate.store(idle, ordering: .releasing)
    let deferred = deferredSignal.exchange(0, ordering: .acquiringAndReleasing)
    if deferred != 0 {
      // The exit status still says a signal stopped the run; this says what it left (review34a
      // A13: 143 came with every output new, where 143 otherwise means the earlier ones are back).
      let note = "audioprep: stopped by a signal as its outputs were committed: the new outputs stay\n"
      _ = note.withCString { write(STDERR_FILENO, $0, strlen($0)) }
      raise(deferred)
    }
  }

  private static let handle: @convention(c) (Int32) -> Void = { signalNumber in
    if TemporaryFiles.mode.load(ordering: .acquiring) == Mode.stopGracefully.rawValue,
      TemporaryFiles.receivedSignal.compareExchange(
        expected: 0, desired: signalNumber, ordering: .acquiringAndReleasing
      ).exchanged
    {
      return
    }
    let (taken, current) = TemporaryFiles.gate.compareExchange(
      expected: TemporaryFiles.idle, desired: TemporaryFiles.exiting, ordering: .acquiringAndReleasing)
    guard taken else {
      // A run is settling: it raises the signal again when done. (Or another thread's handler
      // is already ending the process.)
      if current == TemporaryFiles.settling { TemporaryFiles.deferredSignal.store(signalNumber, ordering: .releasing) }
      return
    }
    TemporaryFiles.removeAll()
    _exit(128 + signalNumber)
  }
}

extension TemporaryFiles {
  /// ".NAME.audioprep-PID-RANDOM.tmp" (or another `suffix`), with NAME shortened so the whole
  /// stays within NAME_MAX.
  static func temporaryName(for name: [UInt8], suffix kind: String = ".tmp", tag: [UInt8]? = nil) -> [UInt8] {
    let tag = tag ?? Array(String(UInt64.random(in: 0...UInt64.max), radix: 16).utf8)
    let suffix = Array(".audioprep-\(getpid())-".utf8) + tag + Array(kind.utf8)
    let room = Int(NAME_MAX) - 1 - suffix.count
    return [UInt8(ascii: ".")] + name.prefix(room) + suffix
  }

  /// Whether `name` looks like a temporary of `OutputFile`'s: ".….audioprep-PID-HEX.tmp".
  package static func isTemporaryName(_ name: [UInt8]) -> Bool { process(of: name, suffix: ".tmp") != nil }

  /// This process's own tag, which the files it leaves waiting and its run token carry
  /// (`RunToken`), beside its PID.
  static let runTag: [UInt8] = Array(String(UInt64.random(in: 0...UInt64.max), radix: 16).utf8)

  /// Whether `process` and `tag` (of a waiting file, a journal, a token) are this process's.
  package static func isThisProcess(_ process: pid_t, tag: [UInt8]) -> Bool { process == getpid() && tag == runTag }

  /// What a new held output (audio, a segment, a sidecar) is named until its run settles
  /// (`OutputFile.movesAtSettle`).
  static let pendingSuffix = ".pending"

  /// What an earlier file a `--force` settle replaces is linked to meanwhile
  /// (`OutputFile.asideName`).
  static let asideSuffix = ".earlier"

  /// The process that set an earlier file aside under `name` (".NAME.audioprep-PID-HEX.earlier")
  /// as it settled, as `waitingFile` says; nil for another name.
  package static func asideFile(_ name: [UInt8]) -> (process: pid_t, tag: [UInt8], final: [UInt8], shortened: Bool)? {
    guard let owner = owner(of: name, suffix: asideSuffix), let start = markerStart(in: name, suffix: asideSuffix) else { return nil }
    return (owner.process, owner.tag, Array(name[1..<start]), name.count == Int(NAME_MAX))
  }

  /// What a file a settle removes is renamed to in the instant before it goes
  /// (`SettleJournal.removeIfUnchanged`).
  static let removedSuffix = ".removed"

  /// The process that was removing a file under `name` (".NAME.audioprep-PID-HEX.removed"), or
  /// nil for another name.
  package static func removedFile(_ name: [UInt8]) -> (process: pid_t, tag: [UInt8])? { owner(of: name, suffix: removedSuffix) }

  /// The process that kept an earlier output aside under `name` (".….audioprep-PID-HEX.kept",
  /// what a `--force` run before stop 42 left when killed), or nil when `name` is no such name.
  package static func keptFileProcess(_ name: [UInt8]) -> pid_t? { process(of: name, suffix: ".kept") }

  /// The process that left a new output waiting under `name` for its run to settle
  /// (".NAME.audioprep-PID-HEX.pending"), with NAME and whether it may be shortened to fit; nil
  /// for another name.
  package static func waitingFile(_ name: [UInt8]) -> (process: pid_t, tag: [UInt8], final: [UInt8], shortened: Bool)? {
    guard let owner = owner(of: name, suffix: pendingSuffix), let start = markerStart(in: name, suffix: pendingSuffix) else { return nil }
    return (owner.process, owner.tag, Array(name[1..<start]), name.count == Int(NAME_MAX))
  }

  /// The final name the temporary `temporary` (".NAME.audioprep-PID-HEX.tmp") was made for:
  /// NAME, and whether it may be that name shortened to fit (`temporaryName`); nil for a name
  /// that is not such a temporary.
  package static func finalName(ofTemporary temporary: [UInt8]) -> (name: [UInt8], shortened: Bool)? {
    guard isTemporaryName(temporary), let start = markerStart(in: temporary, suffix: ".tmp") else { return nil }
    return (Array(temporary[1..<start]), temporary.count == Int(NAME_MAX))
  }

  static func process(of name: [UInt8], suffix: String) -> pid_t? { owner(of: name, suffix: suffix)?.process }

  /// The process and tag of ".….audioprep-PID-TAG" + `suffix`, or nil for another name.
  static func owner(of name: [UInt8], suffix: String) -> (process: pid_t, tag: [UInt8])? {
    guard let start = markerStart(in: name, suffix: suffix) else { return nil }
    let marker = Array(".audioprep-".utf8)
    let fields = name.dropLast(suffix.utf8.count)[(start + marker.count)...].split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
    // A name and a process number as audioprep writes them (no leading zero, above 0), a tag
    // of 1 to 16 hex digits: a name of the user's that merely looks like one is nobody's run's
    // (review55 W3: PID 0, -1, 007, a longer tag, an empty NAME were taken for dead runs').
    guard start > 1, fields.count == 2, (1...16).contains(fields[1].count), fields[0].first != UInt8(ascii: "0"),
      fields[0].allSatisfy({ (0x30...0x39).contains($0) }),
      fields[1].allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }),
      let process = pid_t(String(decoding: fields[0], as: UTF8.self)), process > 0
    else { return nil }
    return (process, Array(fields[1]))
  }

  /// Where ".audioprep-" begins in ".NAME.audioprep-PID-HEX" + `suffix`; nil for another name.
  private static func markerStart(in name: [UInt8], suffix: String) -> Int? {
    let marker = Array(".audioprep-".utf8)
    let suffix = Array(suffix.utf8)
    guard name.first == UInt8(ascii: "."), name.count > marker.count + suffix.count, name.suffix(suffix.count).elementsEqual(suffix)
    else { return nil }
    let body = name.dropLast(suffix.count)
    return (1...(body.count - marker.count)).reversed().first { body[$0..<$0 + marker.count].elementsEqual(marker) }
  }

}
