import Glibc

/// An MP4 audio track whose sample table (`stts`) gives its samples durations its own header
/// (`mdhd`) contradicts, read from the box headers before FFmpeg parses them.
///
/// FFmpeg clips an impossible `stts` delta (4294967295 ticks: "Too large sample offset") and its
/// edit list then keeps one packet of 79: 1024 frames of 80541 decode, with no error, from the
/// `ffmpeg` command line too. The samples' timestamps are not usable, so the input is refused
/// (65) naming both durations rather than decoded to a fragment silently.
struct MP4SampleTimes {
  /// What contradicts what, when an audio track's sample durations cannot be its own.
  let contradiction: String?
  /// What contradicts what, when an audio track's sample durations add up to less than half
  /// its header's length (durations of 0: FFmpeg's timestamps collapse and it decodes 744
  /// frames of 80541, as the `ffmpeg` command line does). Decoded as FFmpeg does, and said.
  let shortfall: String?
  /// The movie header's (`mvhd`) time scale, in which an edit list counts: 1000 from ffmpeg,
  /// so an edit list's length is rounded to a millisecond.
  let movieTimescale: Int64?

  /// The walk stops after this many boxes, and reads at most this many `stts` entries.
  private static let boxLimit = 4096
  private static let entryLimit = 1 << 16

  /// Reads the `moov` box of `source` when it is an MP4: a contradiction ("an MP4 audio
  /// track's sample durations (stts) add up to …", nil for an honest MP4, within a factor of 2)
  /// and the movie time scale. Leaves `source` where it was.
  static func read(in source: FFmpegByteSource) -> MP4SampleTimes {
    let start = source.seek(0, SEEK_CUR)
    defer { _ = source.seek(start, SEEK_SET) }
    var walk = Walk(source: source, limit: source.lookAheadLimit)
    walk.boxes(from: max(0, start), to: walk.limit)
    return MP4SampleTimes(contradiction: walk.found, shortfall: walk.short, movieTimescale: walk.movieTimescale)
  }

  private struct Walk {
    let source: FFmpegByteSource
    let limit: Int64
    var visited = 0
    var found: String?
    var short: String?
    var movieTimescale: Int64?
    /// The track being walked: its handler, mdhd duration, stts entries and stsz sample count.
    var handler = ""
    var duration: Int64 = 0
    var timescale: Int64?
    var entries: [(count: Int64, delta: Int64)] = []
    var samples: Int64?

    /// The stts durations of the samples stsz has (FFmpeg reads no more than those: a count
    /// beyond them is not a lie it follows).
    var sampleTime: Int64 {
      var remaining = samples ?? Int64.max
      var total: Int64 = 0
      for entry in entries where remaining > 0 {
        let count = min(entry.count, remaining)
        remaining -= count
        let (product, overflow) = count.multipliedReportingOverflow(by: entry.delta)
        let (sum, overflowed) = total.addingReportingOverflow(product)
        if overflow || overflowed { return Int64.max }
        total = sum
      }
      return total
    }

    /// The fewest ticks a second an audio track's time scale may have.
    static let coarsestTimescale: Int64 = 100

    init(source: FFmpegByteSource, limit: Int64) {
      self.source = source
      self.limit = limit
    }

    mutating func boxes(from offset: Int64, to end: Int64) {
      var offset = offset
      while offset <= min(end, limit) - 8, visited < boxLimit, found == nil {
        visited += 1
        let header = source.bytes(at: offset, count: Int(min(16, limit - offset)))
        guard header.count >= 8 else { return }
        let type = String(decoding: header[4..<8], as: UTF8.self)
        var size = Int64(UInt32(bigEndian: header, at: 0))
        var headerSize: Int64 = 8
        if size == 1 {
          guard header.count == 16 else { return }
          size = Int64(bitPattern: UInt64(bigEndian: header, at: 8))
          headerSize = 16
        } else if size == 0 {
          size = limit - offset
        }
        guard size >= headerSize, size <= Int64.max - offset else { return }
        let body = offset + headerSize
        switch type {
        case "moov", "mdia", "minf", "stbl":
          boxes(from: body, to: offset + size)
        case "trak":
          (handler, duration, timescale, entries, samples) = ("", 0, nil, [], nil)
          boxes(from: body, to: offset + size)
          let sampleTime = sampleTime
          let contradiction = "an MP4 audio track's sample durations (stts) add up to \(sampleTime) ticks where its header (mdhd) says it lasts \(duration)"
          if handler == "soun", duration > 0, sampleTime / 2 > duration {
            found = "\(contradiction); its timestamps are not usable"
          }
          // FFmpeg takes a time scale of 0 for 1 and keeps one packet of 79 (the `ffmpeg`
          // command line too): fewer than 100 ticks a second cannot time audio packets.
          if handler == "soun", found == nil, let timescale, timescale < Self.coarsestTimescale {
            found = "an MP4 audio track's header (mdhd) declares a time scale of \(timescale) ticks a second, too coarse to time audio; its timestamps are not usable"
          }
          // A fragmented MP4's index lists no samples: its fragments time them.
          if handler == "soun", short == nil, (samples ?? 0) > 0, sampleTime < duration / 2 {
            short = contradiction
          }
        case "mvhd":
          let fields = source.bytes(at: body, count: 24)
          let at = fields.first == 1 ? 20 : 12
          if fields.count >= at + 4 { movieTimescale = Int64(UInt32(bigEndian: fields, at: at)) }
        case "mdhd":
          let fields = source.bytes(at: body, count: 32)
          if fields.count >= 24, fields[0] == 0 {
            timescale = Int64(UInt32(bigEndian: fields, at: 12))
            duration = Int64(UInt32(bigEndian: fields, at: 16))
          } else if fields.count == 32, fields[0] == 1 {
            timescale = Int64(UInt32(bigEndian: fields, at: 20))
            duration = Int64(bitPattern: UInt64(bigEndian: fields, at: 24))
          }
        case "hdlr" where handler.isEmpty:
          // The media's (in `mdia`), first: QuickTime's `minf` has a data handler's after it.
          let fields = source.bytes(at: body, count: 12)
          if fields.count == 12 { handler = String(decoding: fields[8..<12], as: UTF8.self) }
        case "stts":
          let fields = source.bytes(at: body, count: 8)
          guard fields.count == 8 else { break }
          let count = min(Int(UInt32(bigEndian: fields, at: 4)), entryLimit)
          let table = source.bytes(at: body + 8, count: count * 8)
          entries = (0..<table.count / 8).map {
            (Int64(UInt32(bigEndian: table, at: $0 * 8)), Int64(UInt32(bigEndian: table, at: $0 * 8 + 4)))
          }
        case "stsz":
          let fields = source.bytes(at: body, count: 12)
          if fields.count == 12 { samples = Int64(UInt32(bigEndian: fields, at: 8)) }
        default:
          break
        }
        offset += size
      }
    }
  }
}
