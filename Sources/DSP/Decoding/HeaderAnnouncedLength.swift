import Glibc

/// The length a container's header announces where libavformat does not pass it on, read from
/// the header's bytes before FFmpeg starts, so that a file cut short can be told from one that
/// simply ended.
///
/// FFmpeg's ASF reader uses the File Properties object's play duration only when the file is as
/// long as the header says (so a cut WMA has no announced length), and its AVI reader reports a
/// length estimated from the bit rate instead of the audio stream header's `dwLength`. Both
/// headers come first in the file, so a cut leaves them whole.
enum HeaderAnnouncedLength {
  /// Seconds the header announces for audio stream `audioStream` (counting audio streams from
  /// 0), or nil when the container is not ASF or AVI or announces nothing usable.
  static func seconds(in source: FFmpegByteSource, audioStream: Int) -> Double? {
    let start = source.seek(0, SEEK_CUR)
    defer { _ = source.seek(start, SEEK_SET) }
    let available = source.lookAheadLimit - max(0, start)
    guard available >= 16 else { return nil }
    let head = source.bytes(at: max(0, start), count: Int(min(1 << 16, available)))
    if head.starts(with: asfHeaderObject) { return asfSeconds(head) }
    if head.count >= 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("AVI ".utf8) {
      return aviSeconds(head, audioStream: audioStream)
    }
    return nil
  }

  /// The ASF Header Object's GUID, 3026B275-8E66-11CF-A6D9-00AA0062CE6C, as stored.
  private static let asfHeaderObject: [UInt8] = [
    0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C,
  ]
  /// The File Properties Object's GUID, 8CABDCA1-A947-11CF-8EE4-00C00C205365, as stored.
  private static let asfFileProperties: [UInt8] = [
    0xA1, 0xDC, 0xAB, 0x8C, 0x47, 0xA9, 0xCF, 0x11, 0x8E, 0xE4, 0x00, 0xC0, 0x0C, 0x20, 0x53, 0x65,
  ]

  /// Play duration (100 ns units) less preroll (ms), from the File Properties object; nothing
  /// for a broadcast (live) file, whose durations are not valid.
  private static func asfSeconds(_ head: [UInt8]) -> Double? {
    var offset = 30  // Header Object: GUID, size (8), object count (4), two reserved bytes
    while offset + 24 <= head.count {
      let size = Int(clamping: littleEndian(head, at: offset + 16, count: 8))
      guard size >= 24 else { return nil }
      if Array(head[offset..<offset + 16]) == asfFileProperties {
        guard offset + 92 <= head.count else { return nil }
        let playDuration = littleEndian(head, at: offset + 64, count: 8)
        let preroll = littleEndian(head, at: offset + 80, count: 8)
        let broadcast = littleEndian(head, at: offset + 88, count: 4) & 1 != 0
        let seconds = Double(playDuration) / 1e7 - Double(preroll) / 1000
        return broadcast || !(seconds > 0) ? nil : seconds
      }
      offset += size
    }
    return nil
  }

  /// dwLength × dwScale / dwRate of the stream header (`strh`) of the `audioStream`-th audio
  /// stream (`auds`).
  private static func aviSeconds(_ head: [UInt8], audioStream: Int) -> Double? {
    var seen = 0
    var offset = 12
    let strh = Array("strh".utf8)
    while offset + 56 <= head.count {
      if Array(head[offset..<offset + 4]) == strh {
        if Array(head[offset + 8..<offset + 12]) == Array("auds".utf8) {
          if seen == audioStream {
            let scale = littleEndian(head, at: offset + 28, count: 4)
            let rate = littleEndian(head, at: offset + 32, count: 4)
            let length = littleEndian(head, at: offset + 40, count: 4)
            guard scale > 0, rate > 0, length > 0, length != 0xFFFF_FFFF else { return nil }
            return Double(length) * Double(scale) / Double(rate)
          }
          seen += 1
        }
        offset += 8
      } else {
        offset += 1
      }
    }
    return nil
  }

  private static func littleEndian(_ bytes: [UInt8], at offset: Int, count: Int) -> UInt64 {
    bytes[offset..<offset + count].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
  }
}
