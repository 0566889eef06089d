/// MP3 or MP2 files joined end to end (`cat a.mp3 b.mp3`), told by a second file's own header:
/// an ID3v2 tag, or a frame holding a LAME `Info`/`Xing` header (the frame count and gapless
/// trim of one file), after the input's first frame. Frames that just go on are one stream,
/// decoded whole (as FFmpeg and sox do: nothing else tells the files apart); a second header
/// is a second file, which is refused like a container's (`StreamHeaderScanner.joinRefusal`).
///
/// Bytes are searched as they are fed (a pipe's as it is read); memory is constant.
struct MPEGFiles {
  /// Where the first file's first frame starts (after its ID3v2 tags and the zeros after them:
  /// `MPEGLead`); nil until the input's first bytes are seen.
  private var lead: Int64?
  /// The first frame's rate and channel mode.
  private var firstFormat: (rate: Int, mono: Bool)?
  /// Where the second file starts, and the rate and channel mode of its `Info` frame.
  private(set) var second: Int64?
  /// The container of the second file, when it is not an MP3 (a WAV joined on).
  private var secondKind: ContainerHeader.Kind?
  private var secondFormat: (rate: Int, mono: Bool)?
  private var searchedTo: Int64 = 0
  /// An ID3v2 tag after the first frame whose end was not yet in the bytes searched: a second
  /// file's start if a frame follows it, a tag appended at the end (ID3v2.4) if nothing does.
  private var pendingTag: (start: Int64, end: Int64)?
  /// Where the last tag after the first frame ends (an ID3v2 tag, an APEv2 tag with a header):
  /// its items are metadata, and a file inside one (a cover item, a GEOB frame) is not a file
  /// joined on (review38 R3: a FLAC in an APEv2 item was "a second file (FLAC) ... joined").
  private var tagEnd: Int64 = 0

  /// Searches `raw` (the input's bytes from `base`, in which `hits` were found; a header cut
  /// at its end is found in the next call, whose bytes start up to a capture earlier).
  /// `complete`: the input ends with `raw`, and a header cut there is read with what there is.
  mutating func search(_ raw: UnsafeRawBufferPointer, base: Int64, hits: [SignatureSearch.Hit], complete: Bool) {
    guard secondFormat == nil, raw.count >= 10 else { return }
    if lead == nil, base == 0 {
      lead = MPEGLead.length { at, count in
        at < raw.count ? Array(UnsafeRawBufferPointer(rebasing: raw[Int(at)..<min(raw.count, Int(at) + count)])) : []
      }
      // Zeros from the start past these bytes: a lead that goes on below (`MPEGLead`, review42 W09).
      if lead == 0, raw.allSatisfy({ $0 == 0 }) { lead = Int64(raw.count) }
    }
    guard var lead else { return }
    // Zeros after the tags, or from the start (`MPEGLead`), that reach past the bytes the lead was found in.
    if lead > 0, firstFormat == nil, lead >= base, lead < base + Int64(raw.count) {
      var at = Int(lead - base)
      while at < raw.count, raw[at] == 0 { at += 1 }
      lead = base + Int64(at)
      self.lead = lead
    }
    let from = max(0, Int(searchedTo - base))
    searchedTo = base + Int64(max(0, raw.count - 9))
    /// Another container's header the bytes end inside: looked at again with the next bytes
    /// (review37a U2: a pipe's read that ended inside a WAV header joined after an MP3 hid it,
    /// where a file's larger blocks found it).
    var cutHeader: Int64?
    defer { if let cutHeader { searchedTo = min(searchedTo, cutHeader) } }
    func byte(_ index: Int) -> UInt8 { raw[index] }
    /// Whether an MPEG frame header starts at `offset` of the input, when its bytes are here.
    func frameFollows(_ offset: Int64) -> Bool? {
      guard offset >= base, offset + 4 <= base + Int64(raw.count) else { return nil }
      let at = Int(offset - base)
      return MPEGStreamExtent.FrameHeader([UInt8](UnsafeRawBufferPointer(rebasing: raw[at..<at + 4]))) != nil
    }
    var tag: Int64?
    if let pending = pendingTag, let follows = frameFollows(pending.end) {
      if follows { tag = pending.start }
      pendingTag = nil
    }
    var info: (start: Int64, rate: Int, mono: Bool)?
    var lameHeaders: [SignatureSearch.Mark] = []
    // Another container's header (a WAV after the MP3).
    var other: (start: Int64, kind: ContainerHeader.Kind)?
    for hit in hits[SignatureSearch.first(in: hits, startingFrom: from)...] {
      switch hit.mark {
      case .kind(.mpeg) where tag == nil:
        // An ID3v2 tag: "ID3", version 2-4, revision 0, flags, a size of 7-bit bytes. One where
        // the first frame was to start is another tag of the first file's (a tagger that added
        // its own before the encoder's); one after the first frame is a second file's when a
        // frame follows it, and a tag appended at the end (ID3v2.4 allows it) when nothing does.
        let offset = base + Int64(hit.start)
        guard offset > 0, offset >= lead, hit.start + 10 <= raw.count, byte(hit.start + 4) == 0,
          byte(hit.start + 5) & 0x0F == 0, (hit.start + 6..<hit.start + 10).allSatisfy({ byte($0) < 0x80 })
        else { continue }
        let end = offset + Int64(MPEGStreamExtent.firstFrame((hit.start..<hit.start + 10).map(byte)) ?? 10)
        tagEnd = max(tagEnd, end)
        if offset == lead, firstFormat == nil {
          lead = end
          self.lead = end
          continue
        }
        switch frameFollows(end) {
        case true?: tag = offset
        case false?: continue
        case nil: if pendingTag == nil { pendingTag = (offset, end) }
        }
      case .info, .xing:
        // An Info/Xing header (flags below 16), after a frame header and its side information
        // (9, 17 or 32 bytes): the first of each.
        let at = hit.start
        guard !lameHeaders.contains(hit.mark), at + 8 <= raw.count, (at + 4..<at + 7).allSatisfy({ byte($0) == 0 }), byte(at + 7) < 16 else { continue }
        let frame = [13, 21, 36].lazy.filter { at >= $0 }.compactMap { distance -> (Int, MPEGStreamExtent.FrameHeader)? in
          let start = at - distance
          return MPEGStreamExtent.FrameHeader((start..<start + 4).map(byte)).map { (start, $0) }
        }.first
        guard let (start, header) = frame, base + Int64(start) > lead else { continue }
        if base + Int64(start) < info?.start ?? .max { info = (base + Int64(start), header.rate, header.mono) }
        lameHeaders.append(hit.mark)
      case .kind(.apeTag):
        // An APEv2 header (flags: a header, and this is it) gives the tag's length: its items
        // and footer follow.
        let at = hit.start
        guard at >= 0, at + 32 <= raw.count, byte(at + 23) & 0xA0 == 0xA0 else { continue }
        let size = (12..<16).reversed().reduce(Int64(0)) { $0 << 8 | Int64(byte(at + $1)) }
        tagEnd = max(tagEnd, base + Int64(at) + 32 + size)
      case .kind(let kind) where other == nil && hit.start >= 0 && kind != .mpeg && ContainerHeader.Kind.distinctive.contains(kind):
        let start = hit.start
        guard base + Int64(start) >= lead, base + Int64(start) >= tagEnd else { continue }
        if !complete, start + ContainerHeader.captureBytes > raw.count {
          cutHeader = min(cutHeader ?? .max, base + Int64(start))
          continue
        }
        let header = [UInt8](UnsafeRawBufferPointer(rebasing: raw[start..<min(raw.count, start + ContainerHeader.captureBytes)]))
        guard kind.isStreamStart(header) else { continue }
        other = (base + Int64(start), kind)
      default: continue
      }
    }
    // The first frame, after tags of any size, when its bytes are here.
    if firstFormat == nil, lead >= base, lead + 4 <= base + Int64(raw.count) {
      let at = Int(lead - base)
      if let frame = MPEGStreamExtent.FrameHeader([UInt8](UnsafeRawBufferPointer(rebasing: raw[at..<at + 4]))) { firstFormat = (frame.rate, frame.mono) }
    }
    // What lies after a cut header is judged with it, in the next call.
    if let cutHeader, cutHeader < [other?.start, tag, info?.start].compactMap({ $0 }).min() ?? .max { return }
    if let other, other.start < [second, tag, info?.start].compactMap({ $0 }).min() ?? .max {
      second = other.start
      secondKind = other.kind
      secondFormat = (0, false)  // found: nothing more to search for
      return
    }
    if let found = [second, tag, info?.start].compactMap({ $0 }).min() { second = found }
    if let info { secondFormat = (info.rate, info.mono) }
  }

  /// The refusal of an MPEG input with a second file joined on: what changes, when its `Info`
  /// frame's rate or channel mode is not the first frame's, else the second file's byte.
  var refusal: String? {
    guard let second else { return nil }
    if let secondKind {
      return "a second file (\(secondKind.name)) starts at byte \(second) after the MP3 file (files joined end to end); audioprep reads one file at a time"
    }
    // No frame where the first was to start: the bytes up to this one are neither a tag nor
    // zeros (`MPEGLead`), and there is no first file (review43 W03: 64 bytes of 0xFF were "a
    // second MP3 file starts at byte 64").
    if firstFormat == nil, let lead, second > lead {
      return "damaged: the \(second - lead) bytes from byte \(lead) on, before the first MPEG frame at byte \(second), are neither an ID3v2 tag nor zeros; "
        + "audioprep does not decode past them"
    }
    let joined = "at byte \(second), where another MPEG stream is joined on; audioprep does not follow such changes"
    if let first = firstFormat, let next = secondFormat {
      if first.rate != next.rate { return "the sample rate changes from \(first.rate) to \(next.rate) Hz \(joined)" }
      if first.mono != next.mono { return "the channel count changes from \(first.mono ? 1 : 2) to \(next.mono ? 1 : 2) \(joined)" }
    }
    return "a second MP3 file starts at byte \(second) (files joined end to end); audioprep reads one MP3 file at a time"
  }
}
