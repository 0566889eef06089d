/// A PCM container header whose data size was never filled in: what a recorder writes first
/// and fixes when it closes the file, so a recording that crashed or was killed keeps it
/// (WAV: RIFF size 36, data size 0). libsndfile believes it and decodes nothing, where FFmpeg
/// decodes to the end of the file. Here the size is rewritten, in what libsndfile is shown
/// (`InputView`), as the container's own "to the end" (WAV's 0xFFFFFFFF, AIFF's 0) or as what
/// the file holds after the header (CAF, RF64; a pipe: as much as it will ever hold), and the
/// input is decoded to its end with a warning.
///
/// A CAF data size of -1 is not a placeholder: Apple's specification says it means "to the end
/// of the file", which libsndfile refuses; it is rewritten the same way, without a warning.
/// W64's placeholder (a data size of 24, its chunk header alone) libsndfile already reads to
/// the end; it is only warned about.
struct PlaceholderSizes {
  /// What the header says, for the warning: "RIFF size 36, data size 0"; nil for a CAF's -1.
  let placeholder: String?
  /// The rewritten fields, at offsets of the input after any tag skipped.
  let patches: [(offset: Int64, bytes: [UInt8])]

  /// The warning a decoder gives at the end, with the frames it decoded.
  func warning(frames: Int64) -> String? {
    placeholder.map {
      "the header's sizes are placeholders (\($0): a recording that was not closed); decoded to the end of the input: \(frames) frames"
    }
  }

  /// Reads the header at `start` of `input` (`size` bytes long when known: a file). nil for an
  /// honest header, another container, or a placeholder followed by nothing.
  static func find(_ input: InputBytes, from start: Int64, size: Int64?) -> PlaceholderSizes? {
    let head = input.read(at: start, count: 12)
    guard head.count == 12 else { return nil }
    let id = String(decoding: head[0..<4], as: UTF8.self)
    let form = String(decoding: head[8..<12], as: UTF8.self)
    let reader = Reader(input: input, start: start, size: size)
    switch id {
    case "RIFF" where form == "WAVE": return reader.wav(riffSize: UInt32(littleEndian: head, at: 4))
    case "RF64" where form == "WAVE": return reader.rf64()
    case "FORM" where form == "AIFF" || form == "AIFC": return reader.aiff(formSize: UInt32(bigEndian: head, at: 4))
    case "caff": return reader.caf()
    case "riff": return reader.w64()
    default: return nil
    }
  }

  /// Where the audio of the data chunk of the header at `start` of a pipe's `input` ends, as an
  /// offset of the view, when the header declares its size (WAV, RF64, AIFF, 8SVX, CAF, W64): a live
  /// recording's header does (`arecord -d 5`, sox and ffmpeg writing to a pipe), and
  /// libsndfile's header walk seeks there to look for chunks after the audio, which such a
  /// stream sends only at its end (`PipeReader` does not wait for them).
  static func audioEnd(_ input: InputBytes, from start: Int64) -> Int64? {
    let head = input.read(at: start, count: 12)
    guard head.count == 12 else { return nil }
    let reader = Reader(input: input, start: start, size: nil)
    return reader.audioEnd(String(decoding: head[0..<4], as: UTF8.self), String(decoding: head[8..<12], as: UTF8.self))
  }

  /// Walks the chunks of one header, at offsets of the view (after any tag skipped).
  private struct Reader {
    let input: InputBytes
    let start: Int64
    let size: Int64?
    /// Chunks walked before the data chunk: a header's are few.
    private let chunkLimit = 256

    func bytes(_ offset: Int64, _ count: Int) -> [UInt8] { input.read(at: start + offset, count: count) }

    /// Whether audio follows `payload` (the data chunk's first byte) and no chunk header
    /// follows the size declared (an honest empty data chunk before a LIST chunk).
    func audioFollows(payload: Int64, declared: Int64) -> Bool {
      if let size, size - start <= payload { return false }
      guard !bytes(payload, 1).isEmpty else { return false }
      let next = bytes(payload + declared, 4)
      return !(next.count == 4 && next.allSatisfy { (0x20...0x7E).contains($0) })
    }

    /// The bytes after `payload`, as a 64-bit size: the file's rest, or for a pipe 2^56 (below
    /// the length libsndfile is told a pipe has, `PipeReader.virtualIO`).
    func rest(after payload: Int64) -> Int64 { size.map { max(0, $0 - start - payload) } ?? 1 << 56 }

    /// The data chunk of a WAV or RF64 (its header's offset and size field), walking the chunks
    /// from `first`.
    func wavData(from first: Int64) -> (at: Int64, size: Int64)? {
      var at = first
      for _ in 0..<chunkLimit {
        let header = bytes(at, 8)
        guard header.count == 8 else { return nil }
        let chunkSize = Int64(UInt32(littleEndian: header, at: 4))
        if header.starts(with: Array("data".utf8)) { return (at, chunkSize) }
        at += 8 + chunkSize + chunkSize & 1
      }
      return nil
    }

    /// An RF64's `ds64` chunk, when it is where it must be.
    var ds64: [UInt8]? {
      let ds64 = bytes(12, 36)
      return ds64.count == 36 && ds64.starts(with: Array("ds64".utf8)) ? ds64 : nil
    }

    func rf64Data() -> (at: Int64, size: Int64)? {
      guard let ds64 else { return nil }
      return wavData(from: 20 + Int64(UInt32(littleEndian: ds64, at: 4)))
    }

    /// An IFF form's audio chunk (an AIFF's `SSND`, an 8SVX's `BODY`): its header's offset and size field.
    func aiffData(audio id: String = "SSND") -> (at: Int64, size: Int64)? {
      var at: Int64 = 12
      for _ in 0..<chunkLimit {
        let header = bytes(at, 8)
        guard header.count == 8 else { return nil }
        let chunkSize = Int64(UInt32(bigEndian: header, at: 4))
        if header.starts(with: Array(id.utf8)) { return (at, chunkSize) }
        at += 8 + chunkSize + chunkSize & 1
      }
      return nil
    }

    /// A CAF's `data` chunk: its header's offset and size field (-1: to the end).
    func cafData() -> (at: Int64, size: Int64)? {
      var at: Int64 = 8
      for _ in 0..<chunkLimit {
        let header = bytes(at, 12)
        guard header.count == 12 else { return nil }
        let chunkSize = Int64(bitPattern: UInt64(bigEndian: header, at: 4))
        if header.starts(with: Array("data".utf8)) { return (at, chunkSize) }
        guard chunkSize >= 0, chunkSize <= Int64.max - 12 - at else { return nil }
        at += 12 + chunkSize
      }
      return nil
    }

    /// A W64's `data` chunk: its header's offset and size field (which counts its 24 bytes).
    func w64Data() -> (at: Int64, size: Int64)? {
      var at: Int64 = 40
      for _ in 0..<chunkLimit {
        let header = bytes(at, 24)
        guard header.count == 24 else { return nil }
        let chunkSize = Int64(bitPattern: UInt64(littleEndian: header, at: 16))
        if header.starts(with: Array("data".utf8)) { return (at, chunkSize) }
        guard chunkSize >= 24, chunkSize <= Int64.max - 8 - at else { return nil }
        at += (chunkSize + 7) & ~7
      }
      return nil
    }

    func wav(riffSize: UInt32) -> PlaceholderSizes? {
      guard let (at, chunkSize) = wavData(from: 12), chunkSize == 0, audioFollows(payload: at + 8, declared: 0) else { return nil }
      return PlaceholderSizes(placeholder: "RIFF size \(riffSize), data size 0", patches: [(at + 4, [0xFF, 0xFF, 0xFF, 0xFF])])
    }

    func rf64() -> PlaceholderSizes? {
      guard let ds64, UInt64(littleEndian: ds64, at: 16) == 0, let (at, _) = rf64Data(), audioFollows(payload: at + 8, declared: 0)
      else { return nil }
      let riff = UInt64(littleEndian: ds64, at: 8)
      return PlaceholderSizes(
        placeholder: "ds64 RIFF size \(riff), data size 0",
        patches: [(28, UInt64(rest(after: at + 8)).littleEndianBytes), (at + 4, [0xFF, 0xFF, 0xFF, 0xFF])])
    }

    func aiff(formSize: UInt32) -> PlaceholderSizes? {
      // The size counts 8 bytes of offset and block size before the samples.
      guard let (at, chunkSize) = aiffData(), chunkSize <= 8, audioFollows(payload: at + 16, declared: max(0, chunkSize - 8))
      else { return nil }
      return PlaceholderSizes(placeholder: "FORM size \(formSize), SSND size \(chunkSize)", patches: [(at + 4, [0, 0, 0, 0])])
    }

    func caf() -> PlaceholderSizes? {
      // The size counts a 4-byte edit count before the samples.
      guard let (at, chunkSize) = cafData(), chunkSize == -1 || (0...4).contains(chunkSize) else { return nil }
      guard chunkSize == -1 || audioFollows(payload: at + 16, declared: 0) else { return nil }
      let size = UInt64(rest(after: at + 12))
      return PlaceholderSizes(placeholder: chunkSize == -1 ? nil : "data size \(chunkSize)", patches: [(at + 4, size.bigEndianBytes)])
    }

    func w64() -> PlaceholderSizes? {
      guard let (at, chunkSize) = w64Data(), chunkSize == 24, audioFollows(payload: at + 24, declared: 0) else { return nil }
      return PlaceholderSizes(placeholder: "data size 24", patches: [])
    }

    /// Where the data chunk's declared audio ends; nil for a size that is a placeholder or "to
    /// the end".
    func audioEnd(_ id: String, _ form: String) -> Int64? {
      switch id {
      case "RIFF" where form == "WAVE":
        guard let (at, size) = wavData(from: 12), size > 0, size < 0xFFFF_FFFF else { return nil }
        return end(at + 8, size)
      case "RF64" where form == "WAVE":
        guard let ds64, let (at, _) = rf64Data() else { return nil }
        let size = Int64(clamping: UInt64(littleEndian: ds64, at: 16))
        return size > 0 ? end(at + 8, size) : nil
      case "FORM" where form == "AIFF" || form == "AIFC":
        guard let (at, size) = aiffData(), size > 8 else { return nil }
        return end(at + 8, size)
      case "FORM" where form == "8SVX" || form == "16SV":
        guard let (at, size) = aiffData(audio: "BODY"), size > 0 else { return nil }
        return end(at + 8, size)
      case "caff":
        guard let (at, size) = cafData(), size > 4 else { return nil }
        return end(at + 12, size)
      case "riff":
        guard let (at, size) = w64Data(), size > 24 else { return nil }
        return end(at, size)
      default: return nil
      }
      /// `start + size`; nil beyond any offset (a size no stream reaches).
      func end(_ start: Int64, _ size: Int64) -> Int64? {
        let (sum, overflow) = start.addingReportingOverflow(size)
        return overflow ? nil : sum
      }
    }
  }
}

extension FixedWidthInteger {
  init(littleEndian bytes: [UInt8], at offset: Int) {
    self = bytes[offset..<offset + MemoryLayout<Self>.size].reversed().reduce(Self.zero) { $0 << 8 | Self($1) }
  }

  init(bigEndian bytes: [UInt8], at offset: Int) {
    self = bytes[offset..<offset + MemoryLayout<Self>.size].reduce(Self.zero) { $0 << 8 | Self($1) }
  }

  var littleEndianBytes: [UInt8] { (0..<MemoryLayout<Self>.size).map { UInt8(truncatingIfNeeded: self >> ($0 * 8)) } }
  var bigEndianBytes: [UInt8] { littleEndianBytes.reversed() }
}
