import Glibc

/// What the fragments of an MP4 claim, read from their box headers before FFmpeg parses them.
///
/// FFmpeg's MP4 demuxer sizes its index from each `trun` box's sample count; a `trun` without a
/// per-sample table (every sample taking the `tfhd` defaults) claims millions of samples in 16
/// bytes, and the index costs 34 bytes a sample for every track, however small the file (an
/// allocation cap does not bound a total across tracks). Every sample is at least one byte of
/// the input, so fragments claiming more samples than the input has bytes cannot be honest:
/// they are refused before FFmpeg reads them, and what the index can cost is bounded by the
/// input's size (34 bytes a byte at most; an honest file's index is far smaller).
///
/// The walk reads box headers only (`mdat` is skipped by seeking): a file to its end, a pipe as
/// far as its window, so that FFmpeg still starts from the first byte.
enum MP4FragmentClaims {
  /// Box types an MP4 or QuickTime file may start with.
  private static let leadingBoxes: Set<String> = ["ftyp", "styp", "wide", "free", "skip", "mdat", "moov", "moof", "pnot", "sidx"]
  /// The walk stops after this many boxes (a file of tiny boxes costs a read each).
  private static let boxLimit = 1 << 20

  struct Claim {
    var samples: Int64
    var bytes: Int64
  }

  /// The samples the `trun` boxes claim and the bytes of the boxes walked, when they claim more
  /// samples than bytes; nil for an honest MP4 or anything else. Leaves `source` where it was.
  static func excessiveClaim(in source: FFmpegByteSource) -> Claim? {
    let start = source.seek(0, SEEK_CUR)
    defer { _ = source.seek(start, SEEK_SET) }
    var walk = Walk(source: source, limit: source.lookAheadLimit)
    guard walk.limit - max(0, start) >= 8, walk.isMP4(at: max(0, start)) else { return nil }
    walk.boxes(from: max(0, start), to: walk.limit, inside: nil)
    return walk.samples > walk.covered - start ? Claim(samples: walk.samples, bytes: walk.covered - start) : nil
  }

  private struct Walk {
    let source: FFmpegByteSource
    let limit: Int64
    var samples: Int64 = 0
    /// The end of the last top-level box read.
    var covered: Int64 = 0
    var visited = 0

    init(source: FFmpegByteSource, limit: Int64) {
      self.source = source
      self.limit = limit
    }

    func isMP4(at offset: Int64) -> Bool {
      let header = source.bytes(at: offset, count: 8)
      return header.count == 8 && leadingBoxes.contains(String(decoding: header[4..<8], as: UTF8.self))
    }

    /// Walks the boxes in [offset, end), descending into `moof` and `traf`, adding up `trun`
    /// sample counts.
    mutating func boxes(from offset: Int64, to end: Int64, inside parent: String?) {
      var offset = offset
      while offset + 8 <= min(end, limit), visited < boxLimit {
        visited += 1
        let header = source.bytes(at: offset, count: Int(min(16, limit - offset)))
        guard header.count >= 8 else { return }
        let type = String(decoding: header[4..<8], as: UTF8.self)
        var size = Self.bigEndian(header[0..<4])
        var headerSize: Int64 = 8
        if size == 1 {
          guard header.count == 16 else { return }
          size = Self.bigEndian(header[8..<16])
          headerSize = 16
        } else if size == 0 {
          size = limit - offset  // to the end of the input
        }
        guard size >= headerSize, size <= Int64.max - offset else { return }
        let boxEnd = offset + size
        switch type {
        case "moof", "traf":
          boxes(from: offset + headerSize, to: boxEnd, inside: type)
        case "trun" where parent == "traf" && offset + headerSize + 8 <= limit:
          // version(1) flags(3) sample_count(4)
          let fields = source.bytes(at: offset + headerSize, count: 8)
          if fields.count == 8 { samples += Self.bigEndian(fields[4..<8]) }
        default:
          break
        }
        if parent == nil { covered = min(boxEnd, limit) }
        offset = boxEnd
      }
    }

    static func bigEndian(_ bytes: ArraySlice<UInt8>) -> Int64 {
      bytes.reduce(Int64(0)) { $0 << 8 | Int64($1) }
    }
  }
}
