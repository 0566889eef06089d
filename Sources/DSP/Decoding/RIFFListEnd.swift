/// Where a WAV's (RIFX's, RF64's, BW64's) `LIST` chunk ends when it claims more than it holds
/// and its sub-chunks run into the `data` chunk: libsndfile walks a list's sub-chunks and takes
/// a `data` tag among them as the list's end ("data inside a LIST block??? Backing out"), and
/// decodes the audio after it; FFmpeg skips a list by its claim and finds no audio (review35
/// R6). `FFmpegHeaderPatches` shows FFmpeg the size the sub-chunks take, so that every decoder
/// reads the same audio from the same bytes.
///
/// The walk is libsndfile's: `INFO` and `adtl` are list types without a size; any other
/// sub-chunk is a tag, a size and its bytes, padded to an even length. nil for an honest list,
/// a list whose sub-chunks end before a `data` tag, or a header that holds no list.
struct RIFFListEnd {
  /// Where the list's size field is, in the header.
  let sizeOffset: Int
  /// The size its sub-chunks take, as the header's byte order writes it.
  let sizeBytes: [UInt8]

  init?(_ head: [UInt8]) {
    guard head.count >= 12, ["RIFF", "RIFX", "RF64", "BW64"].contains(String(decoding: head[0..<4], as: UTF8.self)) else { return nil }
    let bigEndian = head.starts(with: Array("RIFX".utf8))
    let read: (Int) -> UInt64 = { bigEndian ? ContainerHeader.bigEndian(head, $0, 4) : ContainerHeader.littleEndian(head, $0, 4) }
    var chunk = 12
    while chunk + 8 <= head.count {
      let id = String(decoding: head[chunk..<chunk + 4], as: UTF8.self)
      let size = read(chunk + 4)
      if id == "data" { return nil }
      if id == "LIST", let end = Self.dataTag(in: head, from: chunk + 8, claim: size, read: read) {
        let length = UInt32(end - (chunk + 8))
        sizeOffset = chunk + 4
        sizeBytes = (0..<4).map { UInt8(truncatingIfNeeded: length >> UInt32((bigEndian ? 3 - $0 : $0) * 8)) }
        return
      }
      chunk += 8 + Int(size) + Int(size % 2)
    }
    return nil
  }

  /// Where a `data` tag starts among the sub-chunks of a list whose bytes start at `start` and
  /// claim `claim` bytes; nil when the sub-chunks end first, or run past `head`.
  private static func dataTag(in head: [UInt8], from start: Int, claim: UInt64, read: (Int) -> UInt64) -> Int? {
    let end = UInt64(start) + claim
    var tag = start
    while tag + 4 <= head.count, UInt64(tag) < end {
      switch String(decoding: head[tag..<tag + 4], as: UTF8.self) {
      case "data": return tag
      case "INFO", "adtl": tag += 4
      default:
        guard tag + 8 <= head.count else { return nil }
        let size = Int(read(tag + 4))
        tag += 8 + size + size % 2
      }
    }
    return nil
  }
}
