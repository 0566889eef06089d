/// The boxes of an MP4 or QuickTime file as its bytes go by, fed in order: a pipe's as they
/// arrive, a file's read at `next` (what lies between, such as `mdat`, is never needed).
///
/// It opens the container boxes it is given (their children follow), hands over the first bytes
/// of the leaf boxes it is asked for (their fields), and the records of a table that follows a
/// leaf's fields, one by one. Nothing grows with the input: a header or a record at a time.
///
/// Sizes are read as FFmpeg's MP4 demuxer reads them (`mov_read_default`), so that the walk
/// sees the boxes FFmpeg parses: a box running past its container ends with it; a box too small
/// for its own header ends its container's walk (FFmpeg goes on with the container's next
/// sibling); at the top level that ends the walk, as it ends FFmpeg's. Whatever the first box
/// is called, it is walked (FFmpeg's probe takes a file whose first box it does not know).
struct MP4BoxStream {
  struct Box {
    let type: FourCC
    /// The container it is in; nil at the top level.
    let parent: FourCC?
    let start: Int64
    /// Where its body (after the header) begins.
    let body: Int64
    /// Where it ends; `Int64.max` for a last box running to the end of the input.
    let end: Int64
  }

  enum Event {
    /// A container begins: its children follow.
    case enter(Box)
    /// A container ends.
    case leave(Box)
    /// A leaf's first bytes, as many as asked (fewer when the box is shorter).
    case fields(Box, [UInt8])
    /// One record of a leaf's table.
    case record(Box, [UInt8])
  }

  /// A table after a leaf's fields: its record count (big-endian, 32 bits) at `countAt` of the
  /// fields, its records of `size` bytes each from the end of the fields.
  struct Table {
    let countAt: Int
    let size: Int
  }

  typealias FourCC = UInt32

  static func fourCC(_ text: String) -> FourCC {
    text.utf8.reduce(0) { $0 << 8 | FourCC($1) }
  }

  let containers: Set<FourCC>
  /// Containers whose children start at the first `hdlr` found 4 bytes at a time (FFmpeg's
  /// `mov_read_meta`: an ISO `meta` has 4 bytes of version and flags first, QuickTime's none).
  let scannedContainers: Set<FourCC>
  let fieldBytes: [FourCC: Int]
  let tables: [FourCC: Table]

  private enum State {
    case header
    case fields(Box)
    case records(Box, remaining: Int64, size: Int)
    /// Looking for the first child of a scanned container; the 4 bytes before the last read.
    case scanning(Box, previous: [UInt8])
    /// Reading a sample entry's own fields, which say where its child boxes begin.
    case sampleEntry(Box)
    case stopped
  }
  private var state = State.header
  private var open: [Box] = []
  private var collected: [UInt8] = []
  private var wanted = 8
  /// The media handler of the track being walked (`hdlr` in `mdia`): how FFmpeg reads its sample
  /// entries, and so where their child boxes begin.
  private var mediaHandler: FourCC = 0
  /// The offset of the next byte the walk needs: bytes before it may be skipped.
  private(set) var next: Int64 = 0

  init(containers: [String], scanned: [String] = [], fields: [String: Int], tables: [String: Table] = [:]) {
    self.containers = Set(containers.map(Self.fourCC))
    scannedContainers = Set(scanned.map(Self.fourCC))
    fieldBytes = Dictionary(uniqueKeysWithValues: fields.map { (Self.fourCC($0.key), $0.value) })
    self.tables = Dictionary(uniqueKeysWithValues: tables.map { (Self.fourCC($0.key), $0.value) })
  }

  /// Whether the walk has stopped: sizes that make no sense at the top level, or the end.
  var stopped: Bool {
    if case .stopped = state { return true }
    return false
  }

  /// Feeds `bytes`, which start at input offset `offset`. Bytes before `next` are passed over;
  /// a gap where bytes were needed stops the walk.
  mutating func feed(_ bytes: UnsafeRawBufferPointer, at offset: Int64, _ handle: (Event) -> Void) {
    let end = offset + Int64(bytes.count)
    if offset > next, !stopped {
      state = .stopped
      return
    }
    while next < end {
      switch state {
      case .stopped:
        return
      case .header:
        if collected.isEmpty {
          leaveEnded(handle)
          // Fewer bytes than a header left in a container: FFmpeg reads no more of it.
          if let container = open.last, container.end - next < 8 {
            next = container.end
            continue
          }
        }
        guard take(from: bytes, at: offset) else { return }
        header(handle)
      case .fields(let box):
        guard take(from: bytes, at: offset) else { return }
        fields(of: box, handle)
      case .sampleEntry(let box):
        guard take(from: bytes, at: offset) else { return }
        sampleEntry(box, handle)
      case .scanning(let box, let previous):
        guard box.end - next >= 8 else {
          skip(to: box.end)
          continue
        }
        guard take(from: bytes, at: offset) else { return }
        let word = collected
        collected.removeAll(keepingCapacity: true)
        if previous.count == 4, word.reduce(FourCC(0), { $0 << 8 | FourCC($1) }) == Self.handlerBox {
          // The handler box began 4 bytes back: its size, then this tag.
          collected = previous + word
          state = .header
          header(handle)
        } else {
          state = .scanning(box, previous: word)
        }
      case .records(let box, let remaining, let size):
        guard take(from: bytes, at: offset) else { return }
        handle(.record(box, collected))
        collected.removeAll(keepingCapacity: true)
        if remaining > 1 {
          state = .records(box, remaining: remaining - 1, size: size)
        } else {
          skip(to: box.end)
        }
      }
    }
  }

  /// The end of the input: every box still open ends.
  mutating func finish(_ handle: (Event) -> Void) {
    while let box = open.popLast() { handle(.leave(box)) }
    state = .stopped
  }

  /// Copies bytes at `next` into `collected` until it holds `wanted`; whether it does.
  private mutating func take(from bytes: UnsafeRawBufferPointer, at offset: Int64) -> Bool {
    let start = Int(next - offset)
    let count = min(wanted - collected.count, bytes.count - start)
    collected.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<start + count]))
    next += Int64(count)
    return collected.count == wanted
  }

  private mutating func leaveEnded(_ handle: (Event) -> Void) {
    while let box = open.last, next >= box.end {
      open.removeLast()
      handle(.leave(box))
    }
  }

  private mutating func header(_ handle: (Event) -> Void) {
    let start = next - Int64(collected.count)
    var size = Int64(collected[0..<4].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    let type = collected[4..<8].reduce(FourCC(0)) { $0 << 8 | FourCC($1) }
    if size == 1 {
      guard collected.count == 16 else {
        // A 64-bit size needs 16 bytes of the container: without them FFmpeg leaves it.
        if let container = open.last, container.end - start < 16 {
          collected.removeAll(keepingCapacity: true)
          skip(to: container.end)
          return
        }
        wanted = 16
        return
      }
      size = Int64(bitPattern: collected[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }
    let headerSize = Int64(collected.count)
    collected.removeAll(keepingCapacity: true)
    wanted = 8
    let parentEnd = open.last?.end ?? Int64.max
    guard size == 0 || size >= headerSize else {
      // Too small for its own header: FFmpeg leaves the container (the top level: the file).
      if open.isEmpty { state = .stopped } else { skip(to: parentEnd) }
      return
    }
    // A box running past its container ends with it.
    let (sum, overflow) = start.addingReportingOverflow(size)
    let end = size == 0 ? parentEnd : min(parentEnd, overflow ? .max : sum)
    let box = Box(type: type, parent: open.last?.type, start: start, body: start + headerSize, end: end)
    if box.parent == Self.sampleDescriptions, box.body < end {
      wanted = Int(min(28, end - box.body))
      state = .sampleEntry(box)
    } else if type == Self.sampleDescriptions {
      // Its version, flags and entry count, then the entries.
      open.append(box)
      handle(.enter(box))
      skip(to: box.body + 8)
    } else if containers.contains(type) {
      open.append(box)
      handle(.enter(box))
      state = .header
    } else if scannedContainers.contains(type) {
      open.append(box)
      handle(.enter(box))
      wanted = 4
      state = .scanning(box, previous: [])
    } else if let count = fieldBytes[type], count > 0, box.body < end {
      wanted = Int(min(Int64(count), end - box.body))
      state = .fields(box)
    } else {
      skip(to: end)
    }
  }

  private static let sampleDescriptions = fourCC("stsd")
  private static let handlerBox = fourCC("hdlr")
  private static let mediaBox = fourCC("mdia")
  private static let sound = fourCC("soun")
  private static let video = fourCC("vide")

  /// A sample entry's fields read: FFmpeg reads child boxes after them (`ff_mov_read_stsd_entries`:
  /// 8 bytes of reserved and data reference, then a sound entry's 20, 16 more in version 1, 36
  /// in version 2; a video entry's 70; other entries have none it reads).
  private mutating func sampleEntry(_ box: Box, _ handle: (Event) -> Void) {
    let fields = collected
    collected.removeAll(keepingCapacity: true)
    wanted = 8
    var prefix: Int64?
    if mediaHandler == Self.sound {
      let version = fields.count >= 10 ? Int(fields[8]) << 8 | Int(fields[9]) : 0
      prefix = 28 + (version == 1 ? 16 : version == 2 ? 36 : 0)
    } else if mediaHandler == Self.video {
      prefix = 78
    }
    guard let prefix, box.end - box.body > prefix else {
      skip(to: box.end)
      return
    }
    open.append(box)
    handle(.enter(box))
    skip(to: box.body + prefix)
  }

  private mutating func fields(of box: Box, _ handle: (Event) -> Void) {
    let fields = collected
    collected.removeAll(keepingCapacity: true)
    if box.type == Self.handlerBox, box.parent == Self.mediaBox, fields.count >= 12 {
      mediaHandler = fields[8..<12].reduce(FourCC(0)) { $0 << 8 | FourCC($1) }
    }
    handle(.fields(box, fields))
    if let table = tables[box.type], fields.count >= table.countAt + 4 {
      let count = fields[table.countAt..<table.countAt + 4].reduce(Int64(0)) { $0 << 8 | Int64($1) }
      let room = (box.end - next) / Int64(table.size)
      if min(count, room) > 0 {
        wanted = table.size
        state = .records(box, remaining: min(count, room), size: table.size)
        return
      }
    }
    skip(to: box.end)
  }

  private mutating func skip(to offset: Int64) {
    next = max(next, offset)
    wanted = 8
    state = .header
  }
}
