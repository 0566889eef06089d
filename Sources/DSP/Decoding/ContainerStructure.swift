import Glibc

/// Walks the top-level structure of the container an input starts with, from one element to the
/// next by the sizes they declare, and says where a stream begins: at byte 0, and where another
/// file is joined on. What lies inside an element (a FLAC metadata block, a Matroska
/// attachment, an Ogg page, an MP4 `mdat`) is stepped over, so a file held there is not a join.
///
/// Where the structure gives no next position (FLAC frames, a CAF `data` chunk or MP4 box that
/// runs to the end, a size that makes no sense), the container's signature is searched for
/// instead, and the walk resumes where it is found. Containers without such a structure (NUT,
/// TTA, FLV, ASF) are only searched.
struct ContainerStructure {
  enum Event {
    /// A stream begins at `offset` (its parameters read from its header, when it gives them).
    case stream(ContainerHeader.Kind, Int64, ContainerHeader.Parameters?)
    /// An MP4 index (`moov`) of the last stream, with the parameters its audio track declares.
    case index(ContainerHeader.Parameters?)
    /// The audio element ends at `offset` by the size it declares, and what follows is no
    /// element, nor padding or a tag: that size is too small (`audioEnd`).
    case audioEndsEarly(Int64)
  }

  /// The bytes fed in one go, from input offset `base`; `complete` at the end of the input;
  /// the signatures found in them (`SignatureSearch`), by start.
  struct Window {
    let bytes: UnsafeRawBufferPointer
    let base: Int64
    let complete: Bool
    let hits: [SignatureSearch.Hit]
    var end: Int64 { base + Int64(bytes.count) }

    /// `count` bytes at `offset`, nil when they are not all here.
    func bytes(at offset: Int64, count: Int) -> [UInt8]? {
      guard count >= 0, offset >= base, offset <= end - Int64(count) else { return nil }
      let start = Int(offset - base)
      return Array(UnsafeRawBufferPointer(rebasing: bytes[start..<start + count]))
    }

    /// A header's first `ContainerHeader.captureBytes` at `offset`, fewer at the end of the
    /// input; nil when more are still to come.
    func capture(at offset: Int64) -> [UInt8]? {
      let span = Int64(ContainerHeader.captureBytes)
      guard offset >= base, offset < end else { return nil }
      if offset + span <= end { return bytes(at: offset, count: Int(span)) }
      return complete ? bytes(at: offset, count: Int(end - offset)) : nil
    }

    /// Whether a header's capture at `offset` is here (`capture`), without copying it.
    func holdsCapture(at offset: Int64) -> Bool {
      offset >= base && offset < end && (offset + Int64(ContainerHeader.captureBytes) <= end || complete)
    }

    /// The file of a `distinctive` container other than `kind` whose header starts at
    /// `offset`, with the header's capture: where an element of `kind` ends, one joined on.
    func otherStart(at offset: Int64, besides kind: ContainerHeader.Kind) -> (ContainerHeader.Kind, [UInt8])? {
      for hit in hits[SignatureSearch.first(in: hits, startingFrom: Int(offset - base))...] {
        guard base + Int64(hit.start) == offset else { break }
        guard case .kind(let other) = hit.mark, other != kind, ContainerHeader.Kind.distinctive.contains(other),
          let header = capture(at: offset), other.isStreamStart(header)
        else { continue }
        return (other, header)
      }
      return nil
    }

    /// The nearest start at or after `from` of a stream header of `kind` or of a `distinctive`
    /// container, and every such kind whose signature is there (in `distinctive` order: RIFF
    /// is a WAV or an AVI, FORM an AIFF or an 8SVX).
    func nearestStart(from: Int64, walking kind: ContainerHeader.Kind) -> (start: Int64, kinds: [ContainerHeader.Kind])? {
      var nearest: (start: Int64, kinds: [ContainerHeader.Kind])?
      for hit in hits[SignatureSearch.first(in: hits, startingFrom: Int(from - base))...] {
        guard case .kind(let candidate) = hit.mark, candidate == kind || ContainerHeader.Kind.distinctive.contains(candidate) else { continue }
        let start = base + Int64(hit.start)
        guard let found = nearest else {
          nearest = (start, [candidate])
          continue
        }
        if start > found.start { break }
        nearest?.kinds.append(candidate)
      }
      return nearest
    }
  }

  private enum Position {
    /// The next element starts here; `inFLACMetadata` after a FLAC marker, until its last block.
    case at(Int64, inFLACMetadata: Bool)
    /// No structure to follow: the next signature at or after this offset.
    case searching(from: Int64)
    /// The input does not start with a stream of this kind.
    case done
  }

  let kind: ContainerHeader.Kind
  private var position = Position.at(0, inFLACMetadata: false)
  /// Where the Ogg pages that begin streams side by side (a file's first pages) end: a page
  /// beginning a stream there is multiplexed with the others, anywhere else it is a new link.
  private var oggHeadsEnd: Int64 = 0
  /// The chunk sizes of the file being walked are big-endian (AIFF, 8SVX, a RIFX WAV, a MAT
  /// file marked `MI`).
  private var bigEndianSizes = false
  /// Where the W64 file being walked starts (its chunks are aligned to 8 bytes from there).
  private var streamStartOffset: Int64 = 0
  /// An RF64 file's data size, from its `ds64` chunk (its `data` chunk says 0xFFFFFFFF).
  private var wideDataSize: Int64?
  /// Where the audio element of the file being walked ends by the size it declares (a WAV,
  /// RF64, AIFF or 8SVX chunk, a W64 or CAF `data` chunk, an AU file's data): the bytes there
  /// are looked at once (`endsEarly`). A header that updated its size once and went on writing,
  /// or a flipped size bit, declares less than follows: every decoder stops there (review41 H15).
  private var audioEnd: Int64?

  private init(kind: ContainerHeader.Kind) { self.kind = kind }

  /// The walk of the container whose header `window` (the input's first bytes) starts with;
  /// nil when none does. A RIFF or IFF file is an AVI, a WAV or an AIFF by what follows its
  /// signature: until a header's first `ContainerHeader.captureBytes` are here, nil too.
  static func starting(_ window: Window) -> ContainerStructure? {
    let header = window.capture(at: 0)
    for kind in ContainerHeader.Kind.streams where kind != .mpeg {
      if kind.signatures.isEmpty {
        if let header, kind.isStreamStart(header) { return ContainerStructure(kind: kind) }
        continue
      }
      let start = Int64(kind.signatureOffset)
      guard kind.signatures.contains(where: { window.bytes(at: start, count: $0.count) == $0 }) else { continue }
      guard let header else {
        if kind == .avi || HeaderedFile.kinds.contains(kind) { return nil }
        return ContainerStructure(kind: kind)
      }
      if kind.isStreamStart(header) { return ContainerStructure(kind: kind) }
    }
    return nil
  }

  /// Where the walk reads next when it follows the structure (the next element's offset), so
  /// that a file's scan can skip what lies between; nil while it searches.
  var nextElement: Int64? {
    if case .at(let offset, _) = position { return offset }
    return nil
  }

  /// Walks (or searches) as far as `window` allows, reporting each stream start and MP4 index.
  mutating func advance(through window: Window, _ report: (Event) -> Void) {
    while true {
      switch position {
      case .done: return
      case .at(let offset, let inMetadata):
        guard offset >= window.base else {
          position = .searching(from: window.base)
          continue
        }
        // Where an element ends, a file of another container may begin: one joined on.
        if offset > 0, !inMetadata {
          guard window.holdsCapture(at: offset) else { return }
          if let (other, header) = window.otherStart(at: offset, besides: kind) {
            report(.stream(other, offset, other.parameters(header)))
            position = .done
            return
          }
        }
        if offset == audioEnd {
          guard let after = window.bytes(at: offset, count: Self.bytesLookedAtAfterTheAudio) ?? (window.complete ? [] : nil) else { return }
          audioEnd = nil
          if endsEarly(after, previousByte: window.bytes(at: offset - 1, count: 1)?.first) { report(.audioEndsEarly(offset)) }
        }
        guard let next = step(at: offset, inFLACMetadata: inMetadata, window, report) else { return }
        position = next
      case .searching(let from):
        // The container's own signature, where its walk resumes (or another of its streams
        // begins), and those of the others, whose files may be joined on.
        let nearest = window.nearestStart(from: max(from, window.base), walking: kind)
        guard let (start, kinds) = nearest else {
          let rest = window.end - Int64(ContainerHeader.captureBytes) + 1
          position = .searching(from: max(from, rest))
          return
        }
        guard let header = window.capture(at: start) else {
          position = .searching(from: start)
          return
        }
        if kinds.contains(kind), kind.resumesWalk(header) {
          position = .at(start, inFLACMetadata: false)
        } else if let other = kinds.first(where: { $0 != kind && $0.isStreamStart(header) }) {
          report(.stream(other, start, other.parameters(header)))
          position = .done
          return
        } else {
          position = .searching(from: start + 1)
        }
      }
    }
  }

  /// How many bytes after the audio's declared end `endsEarly` looks at: fewer to the input's
  /// end are a few stray bytes, not audio left out.
  static let bytesLookedAtAfterTheAudio = 64

  /// Whether `after`, the bytes after the audio's declared end, are audio its size left out:
  /// no element's header (four ASCII characters: a chunk's ID, a W64 GUID's), not an odd-sized
  /// chunk's missing pad byte before one, nor zero padding, nor a tag (ID3v2, ID3v1, APE).
  private func endsEarly(_ after: [UInt8], previousByte: UInt8?) -> Bool {
    guard after.count == Self.bytesLookedAtAfterTheAudio, after.contains(where: { $0 != 0 }) else { return false }
    func isID(_ bytes: ArraySlice<UInt8>) -> Bool { bytes.count == 4 && bytes.allSatisfy { (0x20...0x7E).contains($0) } }
    if kind != .au, isID(after.prefix(4)) { return false }
    if let previousByte, isID([previousByte] + after.prefix(3)) { return false }
    let tags = ["ID3", "TAG", "APETAGEX"].map { Array($0.utf8) }
    return !tags.contains { after.starts(with: $0) }
  }

  /// The position after the element at `offset`; nil when `window` does not yet hold enough.
  private mutating func step(
    at offset: Int64, inFLACMetadata: Bool, _ window: Window, _ report: (Event) -> Void
  ) -> Position? {
    let lost: Position = offset == 0 ? .done : .searching(from: offset + 1)
    /// A stream header at `offset`: reported when it is one.
    func streamStart() -> Bool? {
      guard let header = window.capture(at: offset) else { return nil }
      guard kind.isStreamStart(header) else { return false }
      report(.stream(kind, offset, kind.parameters(header)))
      return true
    }
    switch kind {
    case .flac:
      if inFLACMetadata {
        guard let block = window.bytes(at: offset, count: 4) else { return nil }
        guard block[0] & 0x7F != 127 else { return .searching(from: offset) }
        let next = offset + 4 + Int64(Int(block[1]) << 16 | Int(block[2]) << 8 | Int(block[3]))
        return block[0] & 0x80 != 0 ? .searching(from: next) : .at(next, inFLACMetadata: true)
      }
      guard let isStart = streamStart() else { return nil }
      return isStart ? .at(offset + 4, inFLACMetadata: true) : lost
    case .ogg:
      guard let page = window.bytes(at: offset, count: 27) else { return nil }
      guard page.starts(with: kind.signature), page[4] == 0 else { return lost }
      guard let lacing = window.bytes(at: offset + 27, count: Int(page[26])) else { return nil }
      let next = offset + 27 + Int64(page[26]) + Int64(lacing.reduce(0) { $0 + Int($1) })
      if page[5] & 0x02 != 0 {
        if offset == 0 || offset != oggHeadsEnd {
          guard let isStart = streamStart() else { return nil }
          if !isStart { return lost }
        }
        oggHeadsEnd = next
      }
      return .at(next, inFLACMetadata: false)
    case .matroska:
      guard let element = window.bytes(at: offset, count: 12) ?? (window.complete ? window.bytes(at: offset, count: Int(window.end - offset)) : nil),
        let id = Self.ebmlNumber(element, at: 0, keepingMarker: true), id.length <= 4,
        let size = Self.ebmlNumber(element, at: id.length, keepingMarker: false)
      else { return window.complete || window.end - offset >= 12 ? lost : nil }
      let data = offset + Int64(id.length + size.length)
      let unknown = size.value == (UInt64(1) << (7 * UInt64(size.length))) - 1
      switch id.value {
      case 0x1A45_DFA3:
        guard let isStart = streamStart() else { return nil }
        guard isStart, !unknown else { return lost }
      case 0x1853_8067: return .at(data, inFLACMetadata: false)  // Segment: its children follow
      case 0x1F43_B675 where unknown: return .at(data, inFLACMetadata: false)  // a live Cluster
      default: if offset == 0 { return .done }
      }
      return unknown ? .searching(from: data) : .at(data + Int64(size.value), inFLACMetadata: false)
    case .avi:
      guard let chunk = window.bytes(at: offset, count: 12) else { return nil }
      guard chunk[0..<4].allSatisfy({ (0x20...0x7E).contains($0) }) else { return lost }
      let size = Int64(ContainerHeader.littleEndian(chunk, 4, 4))
      if chunk.starts(with: kind.signature) {
        guard let isStart = streamStart() else { return nil }
        if !isStart && offset == 0 { return .done }
      } else if offset == 0 {
        return .done
      }
      guard size >= 4 else { return .searching(from: offset + 12) }  // a size never written
      return .at(offset + 8 + size + (size & 1), inFLACMetadata: false)
    case .caf:
      guard let head = window.bytes(at: offset, count: 12) else { return nil }
      if head.starts(with: kind.signature) {
        guard let isStart = streamStart() else { return nil }
        return isStart ? .at(offset + 8, inFLACMetadata: false) : lost
      }
      guard offset > 0, head[0..<4].allSatisfy({ (0x20...0x7E).contains($0) }) else { return lost }
      let size = Int64(bitPattern: head[4..<12].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
      // A data chunk of size -1 runs to the end: a CAF joined on can only be searched for.
      guard size >= 0 else { return .searching(from: offset + 12) }
      guard size <= Int64.max - 12 - offset else { return lost }
      if head.starts(with: Array("data".utf8)), size > 4 { audioEnd = offset + 12 + size }
      return .at(offset + 12 + size, inFLACMetadata: false)
    case .mp4:
      guard let head = window.bytes(at: offset, count: 16) ?? (window.complete ? window.bytes(at: offset, count: 8) : nil) else { return nil }
      guard head[4..<8].allSatisfy({ (0x20...0x7E).contains($0) }) else { return lost }
      var size = Int64(head[0..<4].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
      if size == 1 {
        guard head.count == 16 else { return lost }
        size = Int64(bitPattern: head[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
      }
      let type = Array(head[4..<8])
      if type == Array("ftyp".utf8) {
        guard let isStart = streamStart() else { return nil }
        if !isStart { return lost }
      } else if offset == 0 {
        return .done
      } else if type == Array("moov".utf8) {
        guard let index = window.capture(at: offset) else { return nil }
        report(.index(ContainerHeader.mp4Parameters(index)))
      }
      if size == 0 { return .searching(from: offset + 8) }  // the last box, to the end
      guard size >= 8, size <= Int64.max - offset else { return lost }
      return .at(offset + size, inFLACMetadata: false)
    case .wav, .aiff, .svx: return chunk(at: offset, window, lost: lost, report)
    case .w64:
      guard let head = window.bytes(at: offset, count: 24) else { return window.complete ? lost : nil }
      if head.starts(with: HeaderedFile.w64RIFF) {
        guard let isStart = streamStart() else { return nil }
        streamStartOffset = offset
        return isStart ? .at(offset + 40, inFLACMetadata: false) : lost
      }
      guard offset > 0 else { return .done }
      // Chunks start at multiples of 8 from the file's start, but a file's last chunk is not
      // padded: another file joined on starts right after it, else the next chunk is aligned.
      let misalignment = (offset - streamStartOffset) & 7
      if misalignment != 0 { return .at(offset + 8 - misalignment, inFLACMetadata: false) }
      let size = Int64(bitPattern: ContainerHeader.littleEndian(head, 16, 8))
      // A data size never filled in (the header's 24 bytes alone): the audio runs to the end.
      if head.starts(with: HeaderedFile.w64Data), size <= 24 { return .searching(from: offset + 24) }
      guard size >= 24, size < Int64.max / 2 else { return lost }
      if head.starts(with: HeaderedFile.w64Data) { audioEnd = offset + size + (8 - (offset + size - streamStartOffset) & 7) & 7 }
      return .at(offset + size, inFLACMetadata: false)
    case .voc:
      let signature = kind.signature
      if let head = window.bytes(at: offset, count: signature.count), head == signature {
        guard let isStart = streamStart(), let header = window.capture(at: offset) else { return nil }
        return isStart ? .at(offset + Int64(ContainerHeader.littleEndian(header, 20, 2)), inFLACMetadata: false) : lost
      }
      guard offset > 0 else { return .done }
      guard let block = window.bytes(at: offset, count: 4) ?? (window.complete ? window.bytes(at: offset, count: 1) : nil) else { return nil }
      // The terminator block (type 0) ends the file: what follows is another, or junk.
      if block[0] == 0 { return .searching(from: offset + 1) }
      // sox writes a sound block's size 8 bytes short: its last 8 samples, then the terminator,
      // follow the declared end. A terminator there with another VOC file after it ends this one,
      // whatever those samples would read as (a block type and a size past the second header).
      if window.bytes(at: offset + 8, count: 1 + signature.count) == [0] + signature { return .searching(from: offset + 9) }
      guard block[0] <= 9, block.count == 4 else { return lost }
      return .at(offset + 4 + Int64(ContainerHeader.littleEndian(block, 1, 3)), inFLACMetadata: false)
    case .mat4:
      // Matrices one after another: a "samplerate" matrix begins a file.
      guard let head = window.bytes(at: offset, count: 20) else { return window.complete ? lost : nil }
      guard let matrix = HeaderedFile.mat4Matrix(head) else { return lost }
      guard let isStart = streamStart() else { return nil }
      if offset == 0 && !isStart { return .done }
      return .at(offset + matrix.bytes, inFLACMetadata: false)
    case .au, .sphere, .ircam, .avr, .wve, .paf, .mat, .sds, .mpc2k, .pvf, .htk:
      // One header, then audio to the end its data size declares, or to the input's.
      guard let isStart = streamStart() else { return nil }
      guard isStart else { return lost }
      guard let header = window.capture(at: offset), let length = HeaderedFile.length(kind, header), length > 0 else {
        return .searching(from: offset + 1)
      }
      if kind == .au { audioEnd = offset + length }
      return .at(offset + length, inFLACMetadata: false)
    case .wavpack:
      guard let block = window.bytes(at: offset, count: 32) else { return window.complete ? lost : nil }
      guard block.starts(with: kind.signature) else { return lost }
      if kind.isStreamStart(block) { report(.stream(kind, offset, kind.parameters(block))) }
      return .at(offset + 8 + Int64(ContainerHeader.littleEndian(block, 4, 4)), inFLACMetadata: false)
    default:
      guard let isStart = streamStart() else { return nil }
      return isStart || offset > 0 ? .searching(from: offset + 1) : .done
    }
  }

  /// The position after the RIFF or IFF chunk at `offset` (WAV, RF64, AIFF, 8SVX): a header of
  /// the file's container begins a stream; any other chunk is stepped over by its size.
  private mutating func chunk(
    at offset: Int64, _ window: Window, lost: Position, _ report: (Event) -> Void
  ) -> Position? {
    guard let head = window.bytes(at: offset, count: 12) ?? (window.complete ? window.bytes(at: offset, count: 8) : nil) else {
      return window.complete ? lost : nil
    }
    let marker = Array(head[0..<4])
    if kind == .wav ? HeaderedFile.riffMarkers.contains(marker) : marker == Array("FORM".utf8) {
      guard let header = window.capture(at: offset) else { return nil }
      guard kind.isStreamStart(header) else { return lost }
      report(.stream(kind, offset, kind.parameters(header)))
      bigEndianSizes = kind != .wav || marker == Array("RIFX".utf8)
      wideDataSize = nil
      return .at(offset + 12, inFLACMetadata: false)
    }
    guard offset > 0, marker.allSatisfy({ (0x20...0x7E).contains($0) }) else { return lost }
    var size = Int64(bigEndianSizes ? ContainerHeader.bigEndian(head, 4, 4) : ContainerHeader.littleEndian(head, 4, 4))
    if kind == .wav, marker == Array("ds64".utf8) {
      guard let ds64 = window.bytes(at: offset, count: 24) else { return window.complete ? lost : nil }
      wideDataSize = Int64(bitPattern: ContainerHeader.littleEndian(ds64, 16, 8))
    }
    let isData = [Array("data".utf8), Array("SSND".utf8), Array("BODY".utf8)].contains(marker)
    if isData, size == 0xFFFF_FFFF {
      // RF64's size is in its ds64 chunk; otherwise the audio runs to the end of the input.
      guard kind == .wav, let wide = wideDataSize, wide >= 0, wide < Int64.max / 2 else { return .searching(from: offset + 8) }
      size = wide
    }
    if isData, size > 0 { audioEnd = offset + 8 + size + (size & 1) }
    return .at(offset + 8 + size + (size & 1), inFLACMetadata: false)
  }

  /// An EBML variable-length number at `at`: an element ID keeps its length marker, a size
  /// does not. nil when it is not one or not all here.
  private static func ebmlNumber(_ bytes: [UInt8], at: Int, keepingMarker: Bool) -> (value: UInt64, length: Int)? {
    guard at < bytes.count, bytes[at] != 0 else { return nil }
    let length = bytes[at].leadingZeroBitCount + 1
    guard at + length <= bytes.count else { return nil }
    var value = UInt64(keepingMarker ? bytes[at] : bytes[at] & (0xFF >> length))
    for index in at + 1..<at + length { value = value << 8 | UInt64(bytes[index]) }
    return (value, length)
  }
}
