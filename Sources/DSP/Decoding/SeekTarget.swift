import Glibc

/// Where a seek lands: `offset` from the start, from `position` or from `end` (nil when the end
/// is unknown, as a pipe's), or nil when that is before the start, past `Int64.max` or `whence`
/// is none of those. Offsets come from headers as they are written (an RF64 `ds64` size of
/// 2^63−1), so the sum is checked, never trapped on. The readers libsndfile and FFmpeg seek
/// through (`BufferedFileReader`, `PipeReader`) refuse such a seek (−1) and stay where they are.
func seekTarget(offset: Int64, whence: Int32, position: Int64, end: Int64?) -> Int64? {
  let base: Int64
  switch whence {
  case SEEK_SET: base = 0
  case SEEK_CUR: base = position
  case SEEK_END:
    guard let end else { return nil }
    base = end
  default: return nil
  }
  let (target, overflow) = base.addingReportingOverflow(offset)
  return overflow || target < 0 ? nil : target
}

extension InputView {
  /// A seek's offset in the file for libsndfile's `offset` in the view (`skip` added to an
  /// absolute one); nil when that overflows.
  func fileOffset(_ offset: Int64, whence: Int32) -> Int64? {
    guard whence == SEEK_SET else { return offset }
    let (shifted, overflow) = offset.addingReportingOverflow(skip)
    return overflow ? nil : shifted
  }
}
