import Glibc

/// Bytes of an input at any offset, read beside its decoder: a regular file by `pread`, a
/// pipe inside the window it keeps (its read position is put back), or what else it holds
/// (`PipeReader.held`: once a parser has stepped over a long chunk before the audio, the
/// bytes there and the audio chunk's header). Fewer bytes at the end, or
/// where a pipe cannot seek back. A file is opened at the first read and held until this goes
/// (a header walk reads a few bytes at a time: one `open` for all of them, issue 22).
final class InputBytes {
  private let path: String?
  private let pipe: PipeReader?
  /// The file's descriptor once opened; -1 before, or when it cannot be opened.
  private var descriptor: Int32 = -1
  private var opened = false

  init(file path: String?, pipe: PipeReader?) {
    self.path = pipe == nil ? path : nil
    self.pipe = pipe
  }

  deinit { if descriptor >= 0 { try? Descriptor.close(descriptor) } }

  /// The input's last bytes, as many as a pipe's tail keeps (`PipeReader.tailBytes`): a file's
  /// end; a pipe read to its end, from its window while that holds it, else the tail it kept.
  var tail: [UInt8] {
    guard let pipe else {
      guard let path, let size = Descriptor.status(path)?.size else { return [] }
      return read(at: max(0, size - Int64(PipeReader.tailBytes)), count: PipeReader.tailBytes)
    }
    _ = pipe.readToTheEnd()
    let consumed = pipe.bytesConsumed
    guard consumed <= Int64(pipe.windowBytes) else { return pipe.tail }
    return read(at: max(0, consumed - Int64(PipeReader.tailBytes)), count: PipeReader.tailBytes)
  }

  /// How far a pipe's bytes can be read (the window its reader keeps); nil for a file.
  var pipeReach: Int64? { pipe.map { Int64($0.windowBytes) } }

  func read(at offset: Int64, count: Int) -> [UInt8] {
    guard offset >= 0, count > 0 else { return [] }
    var buffer = [UInt8](repeating: 0, count: count)
    if let pipe {
      if let held = pipe.held(at: offset, count: count) { return held }
      let position = pipe.tell
      defer { _ = pipe.seek(offset: position, whence: SEEK_SET) }
      guard offset <= Int64(pipe.windowBytes) - Int64(count), pipe.seek(offset: offset, whence: SEEK_SET) == offset else { return [] }
      let got = buffer.withUnsafeMutableBytes { pipe.read(into: $0.baseAddress!, count: count) }
      return Array(buffer.prefix(got))
    }
    guard let path else { return [] }
    if !opened {
      opened = true
      descriptor = Descriptor.open(path, flags: O_RDONLY | O_CLOEXEC)
    }
    guard descriptor >= 0 else { return [] }
    return (try? Descriptor.read(descriptor, count: count, at: offset)) ?? []
  }
}
