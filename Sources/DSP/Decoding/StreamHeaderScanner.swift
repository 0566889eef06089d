import Glibc

/// Finds where a container's stream header appears in an input's bytes — the first at byte 0,
/// and any later one, which is another file joined on (`cat a.flac b.flac`) — keeping the
/// header's first `ContainerHeader.captureBytes` to read its format from.
///
/// Bytes are fed in order (a pipe's as it is read, a file's read through at the end); a header
/// that straddles two blocks is found once. At most `limit` headers of each kind are kept.
final class StreamHeaderScanner {
  struct Found {
    let kind: ContainerHeader.Kind
    let offset: Int64
    let bytes: [UInt8]
  }
  private(set) var found: [Found] = []
  private var carry: [UInt8] = []
  private var carryOffset: Int64 = 0
  private var nextOffset: Int64 = 0
  private var lastAccepted: [ContainerHeader.Kind: Int64] = [:]
  private let limit = 4
  private let span = ContainerHeader.captureBytes

  /// Feeds `bytes`, which start at input offset `offset` (a gap restarts the search).
  func feed(_ bytes: UnsafeRawBufferPointer, at offset: Int64) {
    guard bytes.count > 0 else { return }
    if offset != nextOffset { carry = [] }
    if carry.isEmpty { carryOffset = offset }
    var combined = carry
    combined.append(contentsOf: bytes)
    nextOffset = offset + Int64(bytes.count)
    search(combined, complete: false)
    let keep = min(combined.count, span - 1)
    carry = Array(combined.suffix(keep))
    carryOffset = nextOffset - Int64(keep)
  }

  /// The end of the input: headers too near it to capture whole are kept with what there is.
  func finish() {
    search(carry, complete: true)
    carry = []
  }

  private func search(_ buffer: [UInt8], complete: Bool) {
    buffer.withUnsafeBytes { raw in
      for kind in ContainerHeader.Kind.allCases {
        let signature = kind.signature
        var from = 0
        while from + signature.count <= raw.count {
          guard let hit = memchr(raw.baseAddress! + from, Int32(signature[0]), raw.count - from - signature.count + 1) else { break }
          let at = raw.baseAddress!.distance(to: UnsafeRawPointer(hit))
          from = at + 1
          guard signature.withUnsafeBytes({ memcmp(raw.baseAddress! + at, $0.baseAddress!, signature.count) }) == 0 else { continue }
          let offset = carryOffset + Int64(at)
          guard complete || at + span <= raw.count else { continue }
          guard offset > (lastAccepted[kind] ?? -1), found.filter({ $0.kind == kind }).count < limit else { continue }
          let header = Array(UnsafeRawBufferPointer(rebasing: raw[at..<min(raw.count, at + span)]))
          guard kind.isStreamStart(header) else { continue }
          lastAccepted[kind] = offset
          found.append(Found(kind: kind, offset: offset, bytes: header))
        }
      }
    }
  }

  /// Reads the file at `path` through a new scanner, in 1 MiB blocks.
  static func scan(file path: String) -> StreamHeaderScanner {
    let scanner = StreamHeaderScanner()
    let descriptor = PathBytes.withPath(path) { open($0, O_RDONLY | O_CLOEXEC) }
    guard descriptor >= 0 else { return scanner }
    defer { close(descriptor) }
    var block = [UInt8](repeating: 0, count: 1 << 20)
    var offset: Int64 = 0
    while true {
      let got = block.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(offset)) }
      guard got > 0 else { break }
      block.withUnsafeBytes { scanner.feed(UnsafeRawBufferPointer(rebasing: $0[0..<got]), at: offset) }
      offset += Int64(got)
    }
    scanner.finish()
    return scanner
  }

  /// A stream header of the same kind as the one at byte 0, further on: another file joined on.
  /// nil when the input does not start with a header `ContainerHeader` knows, or has no other.
  var join: (first: Found, next: Found)? {
    guard let first = found.first(where: { $0.offset == 0 }) else { return nil }
    let later = found.filter { $0.kind == first.kind && $0.offset > 0 && first.kind.isAnotherStream($0.bytes, after: first.bytes) }
    return later.min { $0.offset < $1.offset }.map { (first, $0) }
  }
}
