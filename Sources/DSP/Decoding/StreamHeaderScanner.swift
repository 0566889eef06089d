import Glibc

/// Finds where streams of the container an input starts with begin — the first at byte 0, and
/// any later one, which is another file joined on (`cat a.flac b.flac c.flac`) — and what rate
/// and channel count each declares, so that every part can be compared with the first.
///
/// Only real stream positions count: the container's own structure is walked
/// (`ContainerStructure`: FLAC metadata blocks, Ogg pages, Matroska elements, RIFF, CAF and MP4
/// chunks, WavPack blocks), so a file held inside a metadata block, an attachment or a page is
/// not taken for a join. Where the structure says nothing (FLAC frames, a chunk running to the
/// end, damage) the container's signature is searched for, and the walk resumes at the next one.
///
/// Bytes are fed in order (a pipe's as it is read, a file's read through); a header that
/// straddles two blocks is found once. Memory is bounded whatever the number of parts: the
/// first, the first joined on and the first whose format differs are kept, and a count.
final class StreamHeaderScanner {
  struct Found {
    let kind: ContainerHeader.Kind
    let offset: Int64
    /// The rate and channels it declares; nil when it does not say (or not yet: an MP4's are
    /// in its index, read when the walk reaches it).
    var parameters: ContainerHeader.Parameters?
  }
  /// The stream at byte 0, when the input starts with one `ContainerHeader` knows.
  private(set) var first: Found?
  /// Whether the input starts with a container `ContainerHeader` knows: its stream at byte 0
  /// was found, or its walk began (a header shorter than a capture is read at the end).
  var startsWithContainer: Bool { first != nil || walk != nil }
  /// The first stream joined on after the first.
  private(set) var firstJoin: Found?
  /// The first stream joined on whose rate or channel count differs from the first's.
  private(set) var firstChange: Found?
  /// Streams joined on after the first.
  private(set) var joins = 0
  /// Markers found by their signature alone (a NUT index, an APE tag), at most 4 of each.
  private(set) var markers: [Found] = []
  /// Where the first NUT index ends: a NUT file's last bytes.
  private(set) var nutIndexEnd: Int64?
  /// In an input that starts with no container (an MP3 or MP2), a second file's header: an
  /// ID3v2 tag, or a frame holding a LAME `Info`/`Xing` header, after the first frame
  /// (`MPEGFiles`).
  private(set) var mpegFiles = MPEGFiles()

  private var carry: [UInt8] = []
  private var carryOffset: Int64 = 0
  private var nextOffset: Int64 = 0
  private var walk: ContainerStructure?
  /// The stream whose parameters are still to be read (an MP4's, from its index).
  private var pending: Found?
  private var lastMarker: [ContainerHeader.Kind: Int64] = [:]
  private let span = ContainerHeader.captureBytes

  /// Feeds `bytes`, which start at input offset `offset` (a gap restarts the search).
  func feed(_ bytes: UnsafeRawBufferPointer, at offset: Int64) {
    guard bytes.count > 0 else { return }
    if offset != nextOffset { carry = [] }
    if carry.isEmpty { carryOffset = offset }
    // Copied whole (memcpy): appending a raw buffer byte by byte costs more than the search.
    let combined = [UInt8](unsafeUninitializedCapacity: carry.count + bytes.count) { buffer, count in
      carry.withUnsafeBytes { if $0.count > 0 { memcpy(buffer.baseAddress!, $0.baseAddress!, $0.count) } }
      memcpy(buffer.baseAddress! + carry.count, bytes.baseAddress!, bytes.count)
      count = carry.count + bytes.count
    }
    nextOffset = offset + Int64(bytes.count)
    search(combined, complete: false)
    let keep = min(combined.count, span - 1)
    carry = Array(combined.suffix(keep))
    carryOffset = nextOffset - Int64(keep)
  }

  /// The end of the input: headers too near it to capture whole are read with what there is.
  func finish() {
    search(carry, complete: true)
    carry = []
    if let pending { settle(pending) }
    pending = nil
  }

  private func search(_ buffer: [UInt8], complete: Bool) {
    buffer.withUnsafeBytes { raw in
      let window = ContainerStructure.Window(bytes: raw, base: carryOffset, complete: complete)
      if walk == nil, first == nil, carryOffset == 0 {
        walk = ContainerStructure.starting(window)
      }
      if var walk {
        walk.advance(through: window) { event in
          switch event {
          case .stream(let kind, let offset, let parameters):
            if let pending { settle(pending) }
            pending = Found(kind: kind, offset: offset, parameters: parameters)
            if kind != .mp4 { settle(pending!); pending = nil }
          case .index(let parameters):
            if var found = pending {
              found.parameters = parameters
              settle(found)
              pending = nil
            }
          }
        }
        self.walk = walk
      }
      searchMarkers(raw, complete: complete)
      if walk == nil, first == nil { mpegFiles.search(raw, base: carryOffset) }
    }
  }

  /// A stream whose parameters are known: the first, or a part joined on.
  private func settle(_ found: Found) {
    guard let first else {
      if found.offset == 0 { first = found }
      return
    }
    joins += 1
    if firstJoin == nil { firstJoin = found }
    if firstChange == nil, let before = first.parameters, let after = found.parameters, before != after {
      firstChange = found
    }
  }

  private func searchMarkers(_ raw: UnsafeRawBufferPointer, complete: Bool) {
    for kind in [ContainerHeader.Kind.nutIndex, .apeTag] {
      let signature = kind.signature
      var from = 0
      while from + signature.count <= raw.count {
        guard let hit = memchr(raw.baseAddress! + from, Int32(signature[0]), raw.count - from - signature.count + 1) else { break }
        let at = raw.baseAddress!.distance(to: UnsafeRawPointer(hit))
        from = at + 1
        guard signature.withUnsafeBytes({ memcmp(raw.baseAddress! + at, $0.baseAddress!, signature.count) }) == 0 else { continue }
        let offset = carryOffset + Int64(at)
        guard offset > (lastMarker[kind] ?? -1), markers.filter({ $0.kind == kind }).count < 4 else { continue }
        if kind == .nutIndex {
          // The index's size follows its startcode (a variable-length number, up to 9 bytes).
          guard complete || at + 17 <= raw.count else { continue }
          if nutIndexEnd == nil, let size = Self.nutNumber(raw, at: at + 8) {
            nutIndexEnd = offset + 8 + Int64(size.length) + (size.value > 4096 ? 4 : 0) + size.value  // (a header checksum)
          }
        }
        lastMarker[kind] = offset
        markers.append(Found(kind: kind, offset: offset, parameters: nil))
      }
    }
  }

  /// A NUT variable-length number at `at` (7 bits a byte, the high bit set on all but the last).
  private static func nutNumber(_ raw: UnsafeRawBufferPointer, at: Int) -> (value: Int64, length: Int)? {
    var value: Int64 = 0
    for index in at..<min(raw.count, at + 9) {
      value = value << 7 | Int64(raw[index] & 0x7F)
      if raw[index] & 0x80 == 0 { return (value, index - at + 1) }
    }
    return nil
  }

  /// Where a NUT input's own bytes end: at its index, which a NUT file ends with. What follows
  /// is not this stream's (junk, or another NUT file joined on, which FFmpeg's demuxer would
  /// read as frames of this one: noise).
  var nutEnd: Int64? { first?.kind == .nut ? nutIndexEnd : nil }

  /// Where the walk of the structure reads next, when what lies before it can be skipped: the
  /// next element of a container walked by its sizes, not NUT or WavPack (whose index and tag
  /// are searched for anywhere).
  private var skipTarget: Int64? {
    guard let walk, walk.kind != .nut, walk.kind != .wavpack else { return nil }
    return walk.nextElement
  }

  /// Reads the file at `path` through a new scanner, in 1 MiB blocks; what the walk of its
  /// structure steps over (a WAV's data chunk, an MP4's `mdat`) is not read.
  static func scan(file path: String) -> StreamHeaderScanner {
    let scanner = StreamHeaderScanner()
    let descriptor = Descriptor.open(path, flags: O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return scanner }
    defer { try? Descriptor.close(descriptor) }
    // Never zero-filled (only the bytes read are looked at), and no larger than the file: `info`
    // over a directory scans every FLAC and Ogg, and zeroing 1 MiB a file was a quarter of its
    // instructions.
    let size = Descriptor.status(of: descriptor)?.size ?? Int64(1 << 20)
    let capacity = Int(min(Int64(1 << 20), max(size, 4096)))
    var block = [UInt8](unsafeUninitializedCapacity: capacity) { _, count in count = capacity }
    var offset: Int64 = 0
    while true {
      let got = block.withUnsafeMutableBytes { (try? Descriptor.read(descriptor, into: $0, at: offset)) ?? -1 }
      guard got > 0 else { break }
      block.withUnsafeBytes { scanner.feed(UnsafeRawBufferPointer(rebasing: $0[0..<got]), at: offset) }
      offset += Int64(got)
      if let target = scanner.skipTarget, target > offset { offset = target }
    }
    scanner.finish()
    return scanner
  }

  /// Another stream of the container the input starts with, further on: the first part whose
  /// format differs from the first's when one does, else the first joined on. nil when the
  /// input does not start with a header `ContainerHeader` knows, or has no other stream.
  var join: (first: Found, next: Found)? {
    guard let first, let next = firstChange ?? firstJoin else { return nil }
    return (first, next)
  }

  /// The refusal of an input with another file joined on (`cat a b`), whatever either's
  /// container: the second file's byte is named (or, after a container whose header does not
  /// say where its audio ends, what changes at the first part of another rate or channel
  /// count). nil when the input does not start with a container `ContainerHeader` knows, or
  /// nothing is joined on.
  ///
  /// Every container audioprep knows holds one recording behind one header (WAV, FLAC, MKV, MP4,
  /// MAT, …), and its decoders disagree past it: libsndfile stops where the first header says
  /// its audio ends, FFmpeg reads on (MKV, Ogg) or takes the second header for samples, and a
  /// pipe cannot be read again. Chained Ogg streams, valid as they are, are refused alike: see
  /// docs/formats-and-failures.md.
  var joinRefusal: String? {
    guard let first, let next = firstJoin else { return nil }
    // A part of another rate or channel count says what changes, except after a container
    // whose header says where its audio ends (WAV, AIFF, …): there the second file's byte.
    if !HeaderedFile.kinds.contains(first.kind), let change = firstChange, let said = ContainerHeader.change(from: first, to: change) {
      return said
    }
    let name = first.kind.name
    guard next.kind.name == name else {
      return "a second file (\(next.kind.name)) starts at byte \(next.offset) after the \(name) file (files joined end to end); "
        + "audioprep reads one file at a time"
    }
    return "a second \(name) file starts at byte \(next.offset) (files joined end to end); audioprep reads one \(name) file at a time"
  }
}

/// Files joined end to end, as the command line asks about them without decoding.
package enum JoinedStreams {
  /// Where the file at `path` has another file joined on, as audioprep's refusal says it
  /// (`StreamHeaderScanner.joinRefusal`); nil when none is.
  package static func refusal(file path: String) -> String? { StreamHeaderScanner.scan(file: path).joinRefusal }

  /// The same for an MP3 or MP2 file, from its frame headers.
  package static func mpegFormatChange(file path: String) -> String? { MPEGStreamExtent.formatChange(file: path) }
}
