/// A container header's bytes at any offset from its first: the bytes captured when the input
/// was opened, and past them the input's own (a file's anywhere, a pipe's where its window
/// holds them), so that a walk of its chunks reaches the audio chunk however far a chunk before
/// it puts it (review37c X19: a W64 whose data chunk began past the 4096 bytes captured
/// announced nothing, and a cut went without `truncated`).
struct HeaderBytes {
  /// The first bytes, captured when the input was opened.
  let head: [UInt8]
  /// The input, and the offset in it of `head`'s first byte; nil: `head` is all there is.
  let input: InputBytes?
  let start: Int64

  init(_ head: [UInt8], input: InputBytes? = nil, start: Int64 = 0) {
    self.head = head
    self.input = input
    self.start = start
  }

  /// `count` bytes at `offset` from the header's first, fewer (or none) past what can be read
  /// (none from 2^62 on: a walk's offsets, each step less than that, never overflow).
  func read(_ offset: Int, _ count: Int) -> [UInt8] {
    guard offset >= 0, offset < 1 << 62, count > 0, count < 1 << 20 else { return [] }
    if offset + count <= head.count { return Array(head[offset..<offset + count]) }
    guard let input else { return offset < head.count ? Array(head[offset...]) : [] }
    return input.read(at: start + Int64(offset), count: count)
  }
}
