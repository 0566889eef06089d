/// libsndfile's header cache (`psf->header`, `header_read` and `header_seek` in its common.c,
/// 1.2.0), followed as a reader reads and steps over a header: it starts at 256 bytes and
/// doubles to what is asked, up to 100 KiB. A step past what it can grow to is made without
/// caching, and leaves the cache's index behind the input's offset: a reader that takes an
/// offset from the index (CAF's audio: `dataoffset = header.indx`) takes a wrong one
/// (review37c X21: one `free` chunk over 50 KiB; stop 38: two of 30000 and 29990 bytes, the
/// second past a cache grown to 60000, decoded 29990 bytes early without a word).
struct LibsndfileHeaderCache {
  /// The cache's size (`header.len`), where its index stands (`header.indx`) and how far it
  /// holds the input (`header.end`).
  private var length: Int64 = 256
  private var index: Int64 = 0
  private var end: Int64 = 0
  /// A step was made without caching: the index is no longer the input's offset.
  private(set) var isLeftBehind = false
  /// A read the cache could not grow to take (libsndfile reads nothing more of the header).
  private(set) var readFailed = false

  /// libsndfile's largest header cache (`psf_bump_header_allocation`).
  static let limit: Int64 = 100 << 10

  /// Reads `count` bytes (`header_read`).
  mutating func read(_ count: Int64) {
    if index + count >= length, !grow(count) {
      readFailed = true
      return
    }
    index += count
    end = max(end, index)
  }

  /// Steps over `count` bytes (`header_seek`, SEEK_CUR).
  mutating func step(_ count: Int64) {
    if index + count >= length { _ = grow(count) }
    if index + count <= end {
      index += count
    } else if index + count > length {
      index = end
      isLeftBehind = true
    } else {
      index += count
      end = index
    }
  }

  /// `psf_bump_header_allocation`: twice what is needed, or twice the size, within `limit`.
  private mutating func grow(_ needed: Int64) -> Bool {
    let grown = needed > length ? 2 * max(needed, 256) : 2 * length
    guard grown <= Self.limit else { return false }
    length = grown
    return true
  }
}
