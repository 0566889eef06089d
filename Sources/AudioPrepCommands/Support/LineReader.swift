import DSP
import Glibc

/// The lines of an open descriptor (a file, a pipe), read in blocks: memory holds one block and
/// the line being read, whatever the size of the whole (a manifest of 300,000 records is 200 MB).
/// A byte order mark at the start is dropped (`TextFile`); a line longer than `longestLine` is
/// given back empty and `tooLong`, its bytes skipped, so that no single line's claim raises memory.
struct LineReader {
  /// One line: its bytes without the newline, its number (1-based), where it starts in the
  /// stream, and whether it was cut for its length.
  struct Line {
    var bytes: [UInt8]
    var number: Int
    var offset: Int64
    var tooLong: Bool
    /// Ended by a newline (false for a last line the stream stops in).
    var complete = false
  }

  static let longestLine = 1 << 24

  private let descriptor: Int32
  private let path: String
  /// Read by offset (`pread`) from the start, not from the descriptor's position (a log opened to append).
  private let fromStart: Bool
  private var block: [UInt8] = []
  private var position = 0
  /// The stream offset of `block[0]`.
  private var blockOffset: Int64 = 0
  private var number = 0
  private var atEnd = false
  private var started = false

  init(descriptor: Int32, path: String, fromStart: Bool = false) {
    self.descriptor = descriptor
    self.path = path
    self.fromStart = fromStart
  }

  /// The lines from `offset` on (read by offset, as `fromStart`), a byte order mark not looked for.
  init(descriptor: Int32, path: String, from offset: Int64) {
    self.init(descriptor: descriptor, path: path, fromStart: true)
    blockOffset = offset
    started = true
  }

  /// Where the stream is read to: past the newline of the last complete line given.
  var offset: Int64 { blockOffset + Int64(position) }

  /// The next line, or nil at the end; 66 with the reason when the descriptor cannot be read.
  mutating func next() throws -> Line? {
    var line = Line(bytes: [], number: number + 1, offset: blockOffset + Int64(position), tooLong: false)
    while true {
      if position == block.count {
        guard try fill() else {
          guard !line.bytes.isEmpty || line.tooLong else { return nil }
          number += 1
          return line
        }
        if !started {
          started = true
          if block.starts(with: TextFile.byteOrderMark) { position = TextFile.byteOrderMark.count }
          line.offset = blockOffset + Int64(position)
        }
      }
      let rest = block[position...]
      let newline = rest.firstIndex(of: UInt8(ascii: "\n"))
      let piece = rest[..<(newline ?? rest.endIndex)]
      if !line.tooLong {
        if line.bytes.count + piece.count > Self.longestLine {
          line.tooLong = true
          line.bytes = []
        } else {
          line.bytes += piece
        }
      }
      position = newline.map { $0 + 1 } ?? block.count
      if newline != nil {
        number += 1
        line.complete = true
        return line
      }
    }
  }

  /// Reads the next block; false at the end of the stream.
  private mutating func fill() throws -> Bool {
    guard !atEnd else { return false }
    blockOffset += Int64(block.count)
    do {
      block = fromStart ? try Descriptor.read(descriptor, count: 1 << 16, at: blockOffset) : try Descriptor.read(descriptor, count: 1 << 16)
    } catch {
      throw CommandFailure(path, "read failed: \(String(cString: strerror(error.rawValue)))", code: ExitStatus.noInput)
    }
    position = 0
    if block.isEmpty { atEnd = true }
    return !block.isEmpty
  }
}
