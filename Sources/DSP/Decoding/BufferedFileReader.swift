import CSndFile
import Glibc

/// A regular input file read in blocks of `blockBytes`, for libsndfile's virtual I/O.
///
/// libsndfile reads a file it opened itself 8 KB at a time (6,506 `read`s for 5 minutes of
/// 44.1 kHz stereo); through this reader the kernel sees one `read` per 64 KiB. Seeks inside
/// the block in memory cost nothing; any other seek drops the block. The bytes libsndfile sees
/// are the file's, in the same order, so it decodes exactly what it would from the path.
///
/// The first reads are smaller (`firstFillBytes`, doubling to a block): opening a file reads
/// its header and a frame or two, and `info` over a directory read 256 KiB of every file.
///
/// 64 KiB, not the 256 KiB of issue 22's first pass: a process touches every page of its block
/// once, and a 3 s file's run paid 64 page faults for it, 48 more than now (about 6 % of its
/// page faults); 5 minutes of 48 kHz mono cost the same CPU either way, in 451 `pread`s instead
/// of 123.
final class BufferedFileReader {
  static let blockBytes = 64 << 10
  static let firstFillBytes = 16 << 10
  /// How much the next read of a block asks for.
  private var fillBytes = firstFillBytes

  let descriptor: Int32
  private let block = ReadBlocks.take(blockBytes)
  /// File offset of `block[0]`, and how many bytes of it are valid.
  private var blockStart: Int64 = 0
  private var blockCount = 0
  /// The position libsndfile reads from next.
  private var position: Int64 = 0

  /// Takes ownership of `descriptor`, an open regular file.
  init(descriptor: Int32) { self.descriptor = descriptor }

  deinit {
    try? Descriptor.close(descriptor)
    ReadBlocks.give(block)
  }

  var length: Int64 {
    Descriptor.status(of: descriptor)?.size ?? -1
  }

  func seek(offset: Int64, whence: Int32) -> Int64 {
    let end = whence == SEEK_END ? length : nil
    guard let target = seekTarget(offset: offset, whence: whence, position: position, end: end.flatMap { $0 >= 0 ? $0 : nil })
    else { return -1 }
    position = target
    return position
  }

  var tell: Int64 { position }

  /// Copies up to `count` bytes from the current position; fewer only at the end or on error.
  func read(into pointer: UnsafeMutableRawPointer, count: Int) -> Int {
    var copied = 0
    while copied < count {
      if position < blockStart || position >= blockStart + Int64(blockCount) {
        // Reads at least as large as a block skip the copy.
        if count - copied >= Self.blockBytes {
          let direct =
            (try? Descriptor.read(descriptor, into: UnsafeMutableRawBufferPointer(start: pointer + copied, count: count - copied), at: position)) ?? -1
          guard direct > 0 else { break }
          copied += direct
          position += Int64(direct)
          continue
        }
        let filled = (try? Descriptor.read(descriptor, into: UnsafeMutableRawBufferPointer(rebasing: block[0..<fillBytes]), at: position)) ?? -1
        fillBytes = min(2 * fillBytes, Self.blockBytes)
        guard filled > 0 else {
          blockCount = 0
          break
        }
        blockStart = position
        blockCount = filled
      }
      let offset = Int(position - blockStart)
      let available = min(blockCount - offset, count - copied)
      (pointer + copied).copyMemory(from: block.baseAddress! + offset, byteCount: available)
      copied += available
      position += Int64(available)
    }
    return copied
  }

  /// What libsndfile is shown of the file (`InputView`).
  var view = InputView()

  /// The callbacks libsndfile calls, through `view`; `user_data` is an unretained reader.
  static var virtualIO: SF_VIRTUAL_IO {
    SF_VIRTUAL_IO(
      get_filelen: { user in
        let reader = Unmanaged<BufferedFileReader>.fromOpaque(user!).takeUnretainedValue()
        let length = reader.length
        return length < 0 ? length : max(0, length - reader.view.skip)
      },
      seek: { offset, whence, user in
        let reader = Unmanaged<BufferedFileReader>.fromOpaque(user!).takeUnretainedValue()
        guard let fileOffset = reader.view.fileOffset(offset, whence: whence) else { return -1 }
        let position = reader.seek(offset: fileOffset, whence: whence)
        return position < 0 ? position : position - reader.view.skip
      },
      read: { pointer, count, user in
        let reader = Unmanaged<BufferedFileReader>.fromOpaque(user!).takeUnretainedValue()
        let position = reader.tell - reader.view.skip
        let got = reader.read(into: pointer!, count: Int(count))
        reader.view.apply(pointer!, count: got, at: position)
        return sf_count_t(got)
      },
      write: { _, _, _ in 0 },
      tell: { user in
        let reader = Unmanaged<BufferedFileReader>.fromOpaque(user!).takeUnretainedValue()
        return reader.tell - reader.view.skip
      })
  }
}
