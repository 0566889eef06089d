/// An MPEG-TS input's packet grid (188-byte packets, or M2TS's 192 with a 4-byte time code
/// first), walked as its bytes pass: where a packet's sync byte (0x47) is not where the grid
/// puts it, bytes were lost or overwritten, and FFmpeg's demuxer finds the sync again further
/// on without a word, the audio of the packets between gone (review45 H03, H05: a 512-byte hole
/// lost up to 2600 frames, silent, from a file and from a pipe).
struct TransportStreamGrid {
  /// The packet's bytes, and where in it the sync byte lies.
  let packetBytes: Int
  let syncOffset: Int
  /// Where the next packet starts (in sync), or where the search for the sync goes on (lost).
  private var next: Int64
  private var lost = false
  /// Packets in sync in a row since the grid was last found again.
  private var inSync = 0
  /// Places where the grid broke and was found again further on (one counted for damage that
  /// breaks it again and again). A grid lost to the end is padding or a cut, not counted
  /// (review47 H02: a TS padded with zeros to a sector was called damaged).
  private(set) var breaks = 0
  /// Where the grid was last lost, and the last such place counted.
  private var lostAt: Int64?
  private var counted: Int64?
  /// The input's byte where the first packet out of the grid starts.
  private(set) var firstBreak: Int64?

  /// The grid of an input whose first bytes (`head`, from byte 0) are three packets in a row;
  /// nil for any other input.
  init?(_ head: UnsafeRawBufferPointer) {
    for (size, sync) in [(188, 0), (192, 4)] where head.count > sync + 2 * size {
      if (0..<3).allSatisfy({ head[sync + $0 * size] == 0x47 }) {
        (packetBytes, syncOffset, next) = (size, sync, 0)
        return
      }
    }
    return nil
  }

  /// Walks `raw`, the input's bytes from `base` (bytes before `next` may come again).
  mutating func advance(_ raw: UnsafeRawBufferPointer, base: Int64, complete: Bool) {
    let end = base + Int64(raw.count)
    func byte(_ offset: Int64) -> UInt8 { raw[Int(offset - base)] }
    while true {
      if !lost {
        let sync = next + Int64(syncOffset)
        guard sync < end, sync >= base else { return }
        if byte(sync) == 0x47 {
          next += Int64(packetBytes)
          inSync += 1
          continue
        }
        // A packet cut at the input's end is `transportPacketCut`'s.
        if complete, next + Int64(packetBytes) > end { return }
        if inSync >= 3 || lostAt == nil { lostAt = next }
        lost = true
        inSync = 0
        next += 1
        continue
      }
      // Found again where a sync byte has another one a packet on.
      guard next + Int64(syncOffset) >= base else { next = base; continue }
      var found = false
      while next + Int64(syncOffset) < end {
        let sync = next + Int64(syncOffset)
        if byte(sync) == 0x47 {
          if sync + Int64(packetBytes) >= end {
            if complete { return }
            return  // decided with the next bytes
          }
          if byte(sync + Int64(packetBytes)) == 0x47 {
            found = true
            break
          }
        }
        next += 1
      }
      guard found else { return }
      lost = false
      if let at = lostAt, at != counted {
        breaks += 1
        counted = at
        firstBreak = firstBreak ?? at
      }
    }
  }
}
