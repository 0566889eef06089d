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
  /// was found, or its walk began (a header shorter than a capture is read at the end), or
  /// tags before it are not yet read past.
  var startsWithContainer: Bool { first != nil || walk != nil || (!walkTried && (origin ?? 0) > 0) }
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
  /// Where the first stream's audio ends by the size its header declares, when what follows
  /// is audio that size left out (`ContainerStructure.Event.audioEndsEarly`).
  private(set) var audioEndsEarly: Int64?
  /// What a decoder that stopped at that end says of it, with the frames it holds.
  func audioEndsEarlyWarning(frames: Int64) -> String? {
    audioEndsEarly.map {
      "damaged: the header's audio size ends the audio at byte \($0), but what follows is no chunk, padding or tag (audio the size leaves out, not decoded); decoded the \(frames) frames it declares"
    }
  }
  /// In an input that starts with no container (an MP3 or MP2), a second file's header: an
  /// ID3v2 tag, or a frame holding a LAME `Info`/`Xing` header, after the first frame
  /// (`MPEGFiles`).
  private(set) var mpegFiles = MPEGFiles()
  /// An MP3's or MP2's frames walked as they pass, for a change of rate or channel mode
  /// (`MPEGFormatWalk`); nil before the first bytes and for a container.
  private var mpegFormat: MPEGFormatWalk?
  /// Where the frames walked so far change their rate or channel mode, as the refusal says it
  /// (after bytes that are not frames, too).
  var mpegFormatChange: String? { mpegFormat?.change ?? mpegFormat?.changeAfterALoss }
  /// An MP3's or MP2's frames as walked (`MPEGFormatWalk`: their samples, a last frame cut
  /// short), once `finish` has read the end.
  var mpegFrames: MPEGFormatWalk? { mpegFormat }
  /// An MPEG-TS input's packet grid, walked as it passes (`TransportStreamGrid`); nil for others.
  private(set) var transportGrid: TransportStreamGrid?
  private var transportGridTried = false
  /// The bytes of the file `scan(file:reach:)` read.
  private(set) var bytesRead: Int64 = 0
  /// `scan(file:reach:)` stopped before the end of the file, where the walk would have read on
  /// through the audio (`ScanReach.structure`): a file joined on after it is not known.
  private(set) var stoppedShort = false

  /// The bytes searched next: the last `span - 1` of those searched before (`carryCount`, from
  /// input offset `carryOffset`: a header cut at a block's end), then the block fed. Kept from
  /// block to block (and from file to file, `ReadBlocks`), never zero-filled (only the bytes
  /// read are looked at): `info` over a directory scans every FLAC, Ogg and MP3, and a new
  /// 1 MiB array a block, zeroed, was a quarter of its instructions.
  private var buffer = UnsafeMutableRawBufferPointer(start: nil, count: 0)
  private var carryCount = 0
  private var carryOffset: Int64 = 0
  private var nextOffset: Int64 = 0
  private var walk: ContainerStructure?
  /// Where the container starts: after the ID3v2 tags a tagger put before it (as before an
  /// MP3), else 0; nil until the first bytes come. Its structure is walked from there, the
  /// offsets found told of the input (review37a U1: a FLAC or WAV joined on behind such a tag
  /// went unseen, exit 0).
  private var origin: Int64?
  /// The walk was tried where the container starts with its header's capture there (or the
  /// input's end), or it began.
  private var walkTried = false
  /// The stream whose parameters are still to be read (an MP4's, from its index).
  private var pending: Found?
  private var lastMarker: [ContainerHeader.Kind: Int64] = [:]
  private let span = ContainerHeader.captureBytes

  deinit { if buffer.baseAddress != nil { ReadBlocks.give(buffer) } }

  /// Feeds `bytes`, which start at input offset `offset` (a gap restarts the search).
  func feed(_ bytes: UnsafeRawBufferPointer, at offset: Int64) {
    feed(count: bytes.count, at: offset) { space in
      memcpy(space.baseAddress!, bytes.baseAddress!, bytes.count)
      return bytes.count
    }
  }

  /// Feeds the bytes `fill` writes at the start of the space it is given (at most `count`),
  /// which start at input offset `offset`; `fill` returns how many it wrote.
  private func feed(count: Int, at offset: Int64, _ fill: (UnsafeMutableRawBufferPointer) -> Int) {
    guard count > 0 else { return }
    // A gap restarts the search (the carry is dropped once bytes come).
    let start = offset == nextOffset ? carryCount : 0
    if buffer.count < start + count {
      let larger = ReadBlocks.take(max(span - 1 + Self.blockBytes, start + count))
      if carryCount > 0 { larger.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: carryCount) }
      if buffer.baseAddress != nil { ReadBlocks.give(buffer) }
      buffer = larger
    }
    let got = fill(UnsafeMutableRawBufferPointer(rebasing: buffer[start..<start + count]))
    guard got > 0 else { return }
    carryCount = start
    if start == 0 { carryOffset = offset }
    nextOffset = offset + Int64(got)
    let searched = carryCount + got
    search(count: searched, complete: false)
    let keep = min(searched, span - 1)
    memmove(buffer.baseAddress!, buffer.baseAddress! + searched - keep, keep)
    carryCount = keep
    carryOffset = nextOffset - Int64(keep)
  }

  /// The end of the input: headers too near it to capture whole are read with what there is.
  func finish() {
    guard !finished else { return }
    finished = true
    search(count: carryCount, complete: true)
    end()
  }
  private var finished = false

  /// A file's scan that stops before the end (`ScanReach.structure`): what was found stands; a
  /// header cut at the last block's end is not read as one the input ends in.
  private func stop() {
    stoppedShort = true
    end()
  }

  private func end() {
    carryCount = 0
    // Not kept while the input is decoded: the next file's.
    if buffer.baseAddress != nil { ReadBlocks.give(buffer) }
    buffer = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    if let pending { settle(pending) }
    pending = nil
  }

  /// Searches the buffer's first `count` bytes (from input offset `carryOffset`).
  private func search(count: Int, complete: Bool) {
    let raw = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
    if origin == nil, carryOffset == 0 {
      origin = ID3v2Tag.stackLength { at in at + 10 <= raw.count ? Array(UnsafeRawBufferPointer(rebasing: raw[Int(at)..<Int(at) + 10])) : [] }
    }
    let origin = origin ?? 0
    // Tried while the bytes from where it starts are all still here (behind tags, once the
    // header's capture is); settled once the capture is here, or the input ends.
    let captured = origin + Int64(ContainerHeader.captureBytes) <= carryOffset + Int64(count) || complete
    if walk == nil, first == nil, !walkTried, origin >= carryOffset, origin == 0 || captured {
      walk = ContainerStructure.starting(structureWindow(raw, hits: [], complete: complete))
      walkTried = walk != nil || captured
    }
    // Every signature, in one pass: where the walk resumes or another file starts, markers,
    // an MP3's second file.
    let hits = SignatureSearch.searched(in: walk?.kind).hits(in: raw)
    if var walk, origin < carryOffset + Int64(count) {
      walk.advance(through: structureWindow(raw, hits: hits, complete: complete)) { event in
        switch event {
        case .stream(let kind, let offset, let parameters):
          if let pending { settle(pending) }
          pending = Found(kind: kind, offset: origin + offset, parameters: parameters)
          if kind != .mp4 { settle(pending!); pending = nil }
        case .index(let parameters):
          if var found = pending {
            found.parameters = parameters
            settle(found)
            pending = nil
          }
        case .audioEndsEarly(let offset):
          if audioEndsEarly == nil { audioEndsEarly = origin + offset }
        }
      }
      self.walk = walk
    }
    if !transportGridTried, carryOffset == 0, raw.count > 3 * 192 || complete {
      transportGridTried = true
      transportGrid = TransportStreamGrid(raw)
    }
    transportGrid?.advance(raw, base: carryOffset, complete: complete)
    searchMarkers(raw, hits: hits, complete: complete)
    if walk == nil, first == nil {
      mpegFiles.search(raw, base: carryOffset, hits: hits, complete: complete)
      if mpegFormat == nil, carryOffset == 0 {
        mpegFormat = MPEGFormatWalk(from: max(origin, Int64(MPEGStreamExtent.firstFrame(Array(raw.prefix(16))) ?? 0)))
      }
      mpegFormat?.advance(raw, base: carryOffset, complete: complete)
    }
  }

  /// `raw` (the input's bytes from `carryOffset`, in which `hits` were found) as the walk of
  /// the structure sees it: from where the container starts (`origin`), offsets counted from
  /// there.
  private func structureWindow(_ raw: UnsafeRawBufferPointer, hits: [SignatureSearch.Hit], complete: Bool) -> ContainerStructure.Window {
    let origin = origin ?? 0
    let skip = Int(max(0, min(Int64(raw.count), origin - carryOffset)))
    let seen = skip == 0 ? hits : hits.compactMap { $0.start >= skip ? SignatureSearch.Hit(start: $0.start - skip, signature: $0.signature, mark: $0.mark) : nil }
    return ContainerStructure.Window(bytes: UnsafeRawBufferPointer(rebasing: raw[skip...]), base: carryOffset + Int64(skip) - origin, complete: complete, hits: seen)
  }

  /// A stream whose parameters are known: the first, or a part joined on.
  private func settle(_ found: Found) {
    guard let first else {
      if found.offset == origin ?? 0 { first = found }
      return
    }
    joins += 1
    if firstJoin == nil { firstJoin = found }
    if firstChange == nil, let before = first.parameters, let after = found.parameters, before != after {
      firstChange = found
    }
  }

  private func searchMarkers(_ raw: UnsafeRawBufferPointer, hits: [SignatureSearch.Hit], complete: Bool) {
    for hit in hits {
      guard case .kind(let kind) = hit.mark, kind == .nutIndex || kind == .apeTag else { continue }
      let at = hit.start
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
    let origin = origin ?? 0
    // The tags before the container (a cover image of megabytes).
    if !walkTried, origin > 0 { return origin }
    guard let walk, walk.kind != .nut, walk.kind != .wavpack else { return nil }
    return walk.nextElement.map { origin + $0 }
  }

  /// Whether a scan of the structure alone (`ScanReach.structure`) reads on: while the walk
  /// follows the container's structure to its next element (a WAV's chunks, an MP4's boxes, a
  /// Matroska file's elements), not where it would read the audio itself through — FLAC frames
  /// and a chunk running to the end (searched), an Ogg stream's pages (its audio, a few KiB
  /// each: followed, they are read whole), an input of no container (MP3), NUT and WavPack.
  private var followsStructure: Bool { walk?.kind != .ogg && skipTarget != nil }

  /// Reads the file at `path` through a new scanner, in 128 KiB blocks; what the walk of its
  /// structure steps over (a WAV's data chunk, an MP4's `mdat`) is not read. With `reach`
  /// `.structure`, it stops after a block where the walk does not follow the structure on
  /// (`followsStructure`): past the first block, no audio is read through.
  static func scan(file path: String, reach: ScanReach) -> StreamHeaderScanner {
    let scanner = StreamHeaderScanner()
    let descriptor = Descriptor.open(path, flags: O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return scanner }
    defer { try? Descriptor.close(descriptor) }
    // Read straight into the scanner's buffer; no larger than the file.
    let size = Descriptor.status(of: descriptor)?.size ?? Int64(blockBytes)
    var offset: Int64 = 0
    while true {
      let block = Int(min(Int64(offset == 0 ? firstBlockBytes : blockBytes), max(size, 4096)))
      var got = 0
      scanner.feed(count: block, at: offset) { space in
        got = (try? Descriptor.read(descriptor, into: space, at: offset)) ?? -1
        return got
      }
      guard got > 0 else { break }
      scanner.bytesRead += Int64(got)
      offset += Int64(got)
      if reach == .structure, offset < size, !scanner.followsStructure {
        scanner.stop()
        return scanner
      }
      if let target = scanner.skipTarget, target > offset { offset = target }
    }
    scanner.finish()
    return scanner
  }

  /// This scan of the file at `path` when it read to the end, else a new one that does
  /// (`ScanReach.everything`): for what only the whole file shows (a file joined on after the
  /// audio a scan that stopped short did not read, a NUT index).
  func throughout(file path: String) -> StreamHeaderScanner {
    stoppedShort ? Self.scan(file: path, reach: .everything) : self
  }

  /// A file's bytes read at a time: in the CPU's second-level cache while they are searched.
  /// The first read is smaller: of a WAV, no more than its header's chunks is read (what
  /// follows its data chunk is read where the chunk ends).
  private static let blockBytes = 1 << 17
  private static let firstBlockBytes = 1 << 14

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

extension StreamHeaderScanner {
  /// `joinRefusal`, or for an MP3 or MP2 stream (`mpeg`) a second file's own header among its
  /// frames (`MPEGFiles`), else a change of their rate or channel mode (`MPEGFormatWalk`): the
  /// refusal of the input as far as it was read.
  func joinRefusal(mpeg: Bool) -> String? { joinRefusal ?? (mpeg ? mpegFiles.refusal ?? mpegFormatChange : nil) }
}

/// Files joined end to end, as the command line asks about them without decoding.
package enum JoinedStreams {
  /// Where the file at `path` has another file joined on, as audioprep's refusal says it
  /// (`StreamHeaderScanner.joinRefusal`), as far as `reach` reads; nil when none is.
  package static func refusal(file path: String, reach: ScanReach) -> String? { StreamHeaderScanner.scan(file: path, reach: reach).joinRefusal }
}
