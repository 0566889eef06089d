/// Hands `bytes` to `feed` `piece` bytes at a time, each with its offset, as a pipe's reads
/// hand what arrived to what walks the stream (`PipeReader.record`).
func inPieces(_ bytes: [UInt8], of piece: Int, _ feed: (UnsafeRawBufferPointer, Int64) -> Void) {
  var at = 0
  while at < bytes.count {
    let count = min(piece, bytes.count - at)
    bytes[at..<at + count].withUnsafeBytes { feed($0, Int64(at)) }
    at += count
  }
}
