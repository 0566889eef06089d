import Glibc

/// The length a container's header announces where libavformat does not pass it on, read from
/// the header's bytes before FFmpeg starts, so that a file cut short can be told from one that
/// simply ended.
///
/// FFmpeg's ASF reader uses the File Properties object's play duration only when the file is as
/// long as the header says (so a cut WMA has no announced length), and its AVI reader reports a
/// length estimated from the bit rate instead of the audio stream header's `dwLength`. Its WAV
/// reader takes the data chunk's size only when the input is that long (without a `fact`
/// chunk a WAV cut short has no announced length), and its W64 and CAF readers never pass theirs
/// on: libsndfile warned `truncated` for the same files. All these headers come first in the
/// file, so a cut leaves them whole. A chunk container's chunks are walked to its audio chunk
/// however far a large chunk before it puts it (`HeaderBytes`); the other headers are read in
/// the first bytes.
enum HeaderAnnouncedLength {
  /// What a header announces.
  enum Length {
    /// A PCM container's data size over its block, at the header's rate: the length libsndfile
    /// takes, taken over FFmpeg's own (which an RF64's sample count or an AIFF's frame count
    /// gives where the data size says otherwise: review34b B4, B13).
    case frames(Int64, rate: Double)
    /// A stream's count of its samples, at the header's rate: exact, but not the end of the
    /// audio (an AVI's PCM stream: an OpenDML file may hold more than its first header counts).
    case samples(Int64, rate: Double)
    /// A duration, for where FFmpeg passes none (ASF, AVI of coded audio).
    case seconds(Double)

    /// The length in frames at `rate`, the decoded stream's.
    func frames(at rate: Int) -> Int64 {
      switch self {
      case .frames(let frames, let headerRate), .samples(let frames, let headerRate):
        guard headerRate != Double(rate) else { return frames }
        return Int64(clamping: UInt64(exactly: (Double(frames) / headerRate * Double(rate)).rounded()) ?? UInt64(Int64.max))
      case .seconds(let seconds): return Int64(exactly: (seconds * Double(rate)).rounded()) ?? Int64.max
      }
    }

    /// The header's figure is a PCM data size, to be taken over FFmpeg's.
    var isDataSize: Bool {
      if case .frames = self { return true }
      return false
    }

    /// The header's figure counts the frames at `rate` exactly (a data size, or a count of
    /// samples), to be taken over FFmpeg's: a stream that decodes to fewer lost audio.
    func isExact(at rate: Int) -> Bool {
      switch self {
      case .frames(_, let headerRate), .samples(_, let headerRate): return headerRate == Double(rate)
      case .seconds: return false
      }
    }
  }

  /// What the header announces for audio stream `audioStream` (counting audio streams from
  /// 0), or nil when the container is not one of these or announces nothing usable.
  static func length(in head: [UInt8]?, audioStream: Int) -> Length? {
    length(in: head.map { HeaderBytes($0) }, audioStream: audioStream)
  }

  /// The same, walking a chunk container's chunks past the first bytes when they do not reach
  /// its audio chunk.
  static func length(in header: HeaderBytes?, audioStream: Int) -> Length? {
    guard let header else { return nil }
    let head = header.head
    if head.starts(with: asfHeaderObject) { return asfSeconds(head).map { .seconds($0) } }
    guard head.count >= 12 else { return nil }
    let form = Array(head[8..<12])
    if head.starts(with: Array("RIFF".utf8)), form == Array("AVI ".utf8) { return aviLength(head, audioStream: audioStream) }
    if ["RIFF", "RIFX", "RF64", "BW64"].contains(where: { head.starts(with: Array($0.utf8)) }), form == Array("WAVE".utf8) { return wavFrames(header) }
    if HeaderedFile.isStreamStart(.w64, head) { return w64Frames(header) }
    if head.starts(with: Array("caff".utf8)) { return cafFrames(header) }
    if head.starts(with: Array("FORM".utf8)), form == Array("AIFF".utf8) || form == Array("AIFC".utf8) { return aiffFrames(header) }
    if head.starts(with: Array("FORM".utf8)), form == Array("8SVX".utf8) || form == Array("16SV".utf8) { return svxFrames(header) }
    if head.starts(with: Array(".snd".utf8)) { return auFrames(head) }
    return nil
  }

  /// The sample rates recorders and encoders use.
  private static let usualRates: Set<UInt64> = [
    8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000, 176400, 192000, 352800, 384000, 705600, 768000,
  ]

  /// What a WAV's `fmt ` chunk says that cannot be: PCM or float samples of B bits in C
  /// channels whose block (a frame's bytes) is not C × ⌈B / 8⌉. FFmpeg decodes the bits and
  /// libsndfile the block (review34a A18: 64 bits in a block of 2 gave a quarter of the frames,
  /// from a file without a word); or a sample rate no recorder uses beside a byte rate that
  /// gives one (a flipped bit); nil for any other input. WAV, RF64 and BW64.
  static func contradiction(in head: [UInt8]?) -> String? {
    guard let head, head.count >= 12, ["RIFF", "RIFX", "RF64", "BW64"].contains(where: { head.starts(with: Array($0.utf8)) }),
      Array(head[8..<12]) == Array("WAVE".utf8)
    else { return nil }
    let bigEndian = head.starts(with: Array("RIFX".utf8))
    let read: ([UInt8], Int, Int) -> UInt64 = { bigEndian ? ContainerHeader.bigEndian($0, $1, $2) : ContainerHeader.littleEndian($0, $1, $2) }
    var offset = 12
    while offset + 8 <= head.count {
      let size = Int(read(head, offset + 4, 4))
      if Array(head[offset..<offset + 4]) == Array("fmt ".utf8) {
        guard let format = WaveFormat(head, at: offset + 8, read), format.isSampled, format.bits > 0 else { return nil }
        let block = format.channels * ((format.bits + 7) / 8)
        if block != format.blockAlign {
          return "the header contradicts itself: \(format.bits)-bit samples in \(format.channels) channel\(format.channels == 1 ? "" : "s") take \(block) bytes a frame, its block align says \(format.blockAlign)"
        }
        // A rate no recorder uses where the byte rate gives one that they do: a bit flipped in
        // the rate (review41 H07: 44100 Hz read as 306244, 7 times too fast, without a word). A
        // byte rate a writer got wrong beside a usual rate is decoded at the rate, as before.
        let byteRate = read(head, offset + 16, 4)
        let (byteRateHz, remainder) = byteRate.quotientAndRemainder(dividingBy: format.blockAlign)
        guard remainder == 0, Self.usualRates.contains(byteRateHz), !Self.usualRates.contains(format.rate) else { return nil }
        return "the header contradicts itself: its sample rate says \(format.rate) Hz, its byte rate (\(byteRate) bytes a second, \(format.blockAlign) a frame) \(byteRateHz) Hz"
      }
      offset += 8 + size + size % 2
    }
    return nil
  }

  /// The first 64 KiB from where `source` stands (as far as it may look ahead and still start
  /// again there), or nil when fewer than 16 bytes may be looked at.
  static func head(of source: FFmpegByteSource) -> [UInt8]? {
    let start = source.seek(0, SEEK_CUR)
    defer { _ = source.seek(start, SEEK_SET) }
    let available = source.lookAheadLimit - max(0, start)
    guard available >= 16 else { return nil }
    return source.bytes(at: max(0, start), count: Int(min(1 << 16, available)))
  }

  /// A WAV's data chunk over the block of its format, for the encodings of a fixed block
  /// (PCM, float, A-law, µ-law; a compressed one has its length in a `fact` chunk, which FFmpeg
  /// reads); an RF64's (or BW64's) from its `ds64` chunk; nil for a placeholder size (0, or
  /// 0xFFFFFFFF without a `ds64`: "to the end").
  private static func wavFrames(_ header: HeaderBytes) -> Length? {
    let bigEndian = header.head.starts(with: Array("RIFX".utf8))
    let read: ([UInt8], Int, Int) -> UInt64 = { bigEndian ? ContainerHeader.bigEndian($0, $1, $2) : ContainerHeader.littleEndian($0, $1, $2) }
    var format: WaveFormat?
    var ds64DataSize: UInt64?
    var offset = 12
    for _ in 0..<chunkLimit {
      let chunk = header.read(offset, 8)
      guard chunk.count == 8 else { break }
      let id = Array(chunk[0..<4])
      let size = Int(read(chunk, 4, 4))
      if id == Array("ds64".utf8) {
        let field = header.read(offset + 16, 8)
        if field.count == 8 { ds64DataSize = read(field, 0, 8) }
      }
      if id == Array("fmt ".utf8) { format = WaveFormat(header.read(offset + 8, min(size, WaveFormat.bytes)), at: 0, read) }
      if id == Array("data".utf8) {
        let bytes = size == 0xFFFF_FFFF ? ds64DataSize : UInt64(size)
        guard let format, let bytes, bytes > 0, bytes != 0xFFFF_FFFF else { return nil }
        return format.length(bytes: bytes)
      }
      offset += 8 + size + size % 2
    }
    return nil
  }

  /// The same for W64: GUID-named chunks whose sizes count their 24-byte header, 8-byte aligned.
  private static func w64Frames(_ header: HeaderBytes) -> Length? {
    var format: WaveFormat?
    var offset = 40
    for _ in 0..<chunkLimit {
      let chunk = header.read(offset, 24)
      guard chunk.count == 24 else { break }
      let id = Array(chunk[0..<4])
      let size = ContainerHeader.littleEndian(chunk, 16, 8)
      guard size >= 24 else { return nil }
      if id == Array("fmt ".utf8) {
        format = WaveFormat(header.read(offset + 24, Int(min(size - 24, UInt64(WaveFormat.bytes)))), at: 0) { ContainerHeader.littleEndian($0, $1, $2) }
      }
      if Array(chunk[0..<16]) == HeaderedFile.w64Data {
        // Any size, however large (2^62 was taken for none: review34b B3).
        guard let format, size > 24 else { return nil }
        return format.length(bytes: size - 24)
      }
      guard size < UInt64(Int.max / 2) else { return nil }
      offset += (Int(size) + 7) / 8 * 8
    }
    return nil
  }

  /// A CAF's data chunk (less its 4-byte edit count) over the packet of its `desc`, for
  /// constant-size packets of one frame (linear PCM, A-law, µ-law); nil for a data size of -1
  /// ("to the end of the file"). Any other size from 2^63 up is read unsigned (`CAFChunkClaims`).
  private static func cafFrames(_ header: HeaderBytes) -> Length? {
    var rate: Double?
    var packetBytes: UInt64 = 0
    var offset = 8
    for _ in 0..<chunkLimit {
      let chunk = header.read(offset, 12)
      guard chunk.count == 12 else { break }
      let id = String(decoding: chunk[0..<4], as: UTF8.self)
      let size = Int64(bitPattern: ContainerHeader.bigEndian(chunk, 4, 8))
      let desc = id == "desc" ? header.read(offset + 12, 32) : []
      if desc.count == 32 {
        let format = String(decoding: desc[8..<12], as: UTF8.self)
        let framesPerPacket = ContainerHeader.bigEndian(desc, 20, 4)
        guard ["lpcm", "alaw", "ulaw"].contains(format), framesPerPacket == 1 else { return nil }
        rate = Double(bitPattern: ContainerHeader.bigEndian(desc, 0, 8))
        packetBytes = ContainerHeader.bigEndian(desc, 16, 4)
      }
      if id == "data" {
        let bytes = UInt64(bitPattern: size)
        guard let rate, rate >= 1, packetBytes > 0, size != -1, bytes > 4 else { return nil }
        return .frames(Int64(clamping: (bytes - 4) / packetBytes), rate: rate)
      }
      guard size >= 0, size < Int64(Int.max / 2) else { return nil }
      offset += 12 + Int(size)
    }
    return nil
  }

  /// An AIFF's or AIFC's `SSND` chunk (less its offset and block fields and the offset) over
  /// the frame of its `COMM`, for uncompressed samples, A-law and µ-law; the frame count
  /// `COMM` declares is not taken (libsndfile does not take it either).
  private static func aiffFrames(_ header: HeaderBytes) -> Length? {
    let aifc = Array(header.head[8..<12]) == Array("AIFC".utf8)
    var frameBytes: UInt64?
    var rate: Double?
    for (id, size, offset) in iffChunks(header) {
      let comm = id == "COMM" ? header.read(offset, 30) : []
      if comm.count >= 26 {
        let channels = ContainerHeader.bigEndian(comm, 8, 2)
        let bits = ContainerHeader.bigEndian(comm, 14, 2)
        rate = AIFFSampleRate.extended(Array(comm[16..<26]))
        var sampleBytes = (bits + 7) / 8
        if aifc {
          guard comm.count == 30 else { return nil }
          switch String(decoding: comm[26..<30], as: UTF8.self) {
          case "NONE", "twos", "sowt", "raw ", "in24", "42ni", "in32", "23ni": break
          case "fl32", "FL32": sampleBytes = 4
          case "fl64", "FL64": sampleBytes = 8
          case "alaw", "ALAW", "ulaw", "ULAW": sampleBytes = 1
          default: return nil
          }
        }
        frameBytes = channels * sampleBytes
      }
      if id == "SSND" {
        let fields = header.read(offset + 8, 8)
        guard let frameBytes, frameBytes > 0, let rate, rate >= 1, rate.isFinite, fields.count == 8 else { return nil }
        // 0xFFFFFFFF is "to the end", as in a WAV (review35 R7: FFmpeg alone announced it).
        // An offset at or past the chunk's end holds no samples: the chunk's size is the
        // length (review35b S11; `DeclaredAudioLength.aiffOffsetPatches`).
        var skipped = 8 + ContainerHeader.bigEndian(fields, 0, 4)
        if skipped >= size { skipped = 8 }
        guard size > skipped, size != 0xFFFF_FFFF else { return nil }
        return .frames(Int64((size - skipped) / frameBytes), rate: rate)
      }
    }
    return nil
  }

  /// An 8SVX's or 16SV's `BODY` chunk over its frame: 1 or 2 bytes a sample, in one channel or
  /// two (a `CHAN` chunk of 6, as libsndfile reads it), at the rate of its `VHDR`; nil for a
  /// compressed one (its `VHDR` says so).
  private static func svxFrames(_ header: HeaderBytes) -> Length? {
    let sampleBytes: UInt64 = Array(header.head[8..<12]) == Array("16SV".utf8) ? 2 : 1
    var channels: UInt64 = 1
    var rate: Double?
    for (id, size, offset) in iffChunks(header) {
      if id == "VHDR" {
        let vhdr = header.read(offset + 8, 16)
        guard vhdr.count == 16, vhdr[15] == 0 else { return nil }
        rate = Double(ContainerHeader.bigEndian(vhdr, 12, 2))
      }
      if id == "CHAN", ContainerHeader.bigEndian(header.read(offset + 8, 4), 0, 4) == 6 { channels = 2 }
      if id == "BODY" {
        guard let rate, rate >= 1, size > 0, size != 0xFFFF_FFFF else { return nil }
        return .frames(Int64(size / (sampleBytes * channels)), rate: rate)
      }
    }
    return nil
  }

  /// The chunks of an IFF header (AIFF, AIFC, 8SVX, 16SV) from byte 12 up to its audio chunk
  /// (`SSND`, `BODY`): id, size and offset, chunks padded to an even length.
  private static func iffChunks(_ header: HeaderBytes) -> [(id: String, size: UInt64, offset: Int)] {
    var chunks: [(id: String, size: UInt64, offset: Int)] = []
    var offset = 12
    for _ in 0..<chunkLimit {
      let chunk = header.read(offset, 8)
      guard chunk.count == 8 else { break }
      let id = String(decoding: chunk[0..<4], as: UTF8.self)
      let size = ContainerHeader.bigEndian(chunk, 4, 4)
      chunks.append((id, size, offset))
      if id == "SSND" || id == "BODY" { break }
      offset += 8 + Int(size) + Int(size & 1)
    }
    return chunks
  }

  /// Chunks walked to the audio chunk: a header's are few.
  private static let chunkLimit = 1024

  /// An AU's data size over the frame of its encoding (µ-law, A-law, 8- to 32-bit PCM, float,
  /// double); nil for 0xFFFFFFFF ("unknown").
  private static func auFrames(_ head: [UInt8]) -> Length? {
    guard head.count >= 24 else { return nil }
    let size = ContainerHeader.bigEndian(head, 8, 4)
    let sampleBytes: UInt64
    switch ContainerHeader.bigEndian(head, 12, 4) {
    case 1, 2, 27: sampleBytes = 1
    case 3: sampleBytes = 2
    case 4: sampleBytes = 3
    case 5, 6: sampleBytes = 4
    case 7: sampleBytes = 8
    default: return nil
    }
    let rate = ContainerHeader.bigEndian(head, 16, 4)
    let channels = ContainerHeader.bigEndian(head, 20, 4)
    guard size != 0xFFFF_FFFF, size > 0, rate > 0, channels > 0 else { return nil }
    return .frames(Int64(size / (sampleBytes * channels)), rate: Double(rate))
  }

  /// A WAVEFORMATEX's rate and block, when its encoding has a fixed block: PCM (1), IEEE float
  /// (3), A-law (6), µ-law (7), or WAVE_FORMAT_EXTENSIBLE whose sub-format is one of them.
  private struct WaveFormat {
    let rate: UInt64
    let blockAlign: UInt64
    let channels: UInt64
    let bits: UInt64
    /// PCM or float samples (not A-law or µ-law).
    let isSampled: Bool

    /// The bytes read of a format chunk: a WAVE_FORMAT_EXTENSIBLE's up to its sub-format.
    static let bytes = 40

    init?(_ head: [UInt8], at field: Int, _ read: ([UInt8], Int, Int) -> UInt64) {
      guard field + 16 <= head.count else { return nil }
      var tag = read(head, field, 2)
      if tag == 0xFFFE {
        guard field + 26 <= head.count else { return nil }
        tag = read(head, field + 24, 2)
      }
      guard [1, 3, 6, 7].contains(tag) else { return nil }
      isSampled = tag == 1 || tag == 3
      channels = read(head, field + 2, 2)
      rate = read(head, field + 4, 4)
      blockAlign = read(head, field + 12, 2)
      bits = read(head, field + 14, 2)
      guard rate > 0, blockAlign > 0 else { return nil }
    }

    func length(bytes: UInt64) -> Length { .frames(Int64(clamping: bytes / blockAlign), rate: Double(rate)) }
  }

  /// The ASF Header Object's GUID, 3026B275-8E66-11CF-A6D9-00AA0062CE6C, as stored.
  private static let asfHeaderObject: [UInt8] = [
    0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C,
  ]
  /// The File Properties Object's GUID, 8CABDCA1-A947-11CF-8EE4-00C00C205365, as stored.
  private static let asfFileProperties: [UInt8] = [
    0xA1, 0xDC, 0xAB, 0x8C, 0x47, 0xA9, 0xCF, 0x11, 0x8E, 0xE4, 0x00, 0xC0, 0x0C, 0x20, 0x53, 0x65,
  ]

  /// Play duration (100 ns units) less preroll (ms), from the File Properties object; nothing
  /// for a broadcast (live) file, whose durations are not valid.
  private static func asfSeconds(_ head: [UInt8]) -> Double? {
    var offset = 30  // Header Object: GUID, size (8), object count (4), two reserved bytes
    while offset + 24 <= head.count {
      let size = Int(clamping: littleEndian(head, at: offset + 16, count: 8))
      guard size >= 24 else { return nil }
      if Array(head[offset..<offset + 16]) == asfFileProperties {
        guard offset + 92 <= head.count else { return nil }
        let playDuration = littleEndian(head, at: offset + 64, count: 8)
        let preroll = littleEndian(head, at: offset + 80, count: 8)
        let broadcast = littleEndian(head, at: offset + 88, count: 4) & 1 != 0
        let seconds = Double(playDuration) / 1e7 - Double(preroll) / 1000
        return broadcast || !(seconds > 0) ? nil : seconds
      }
      offset += size
    }
    return nil
  }

  /// dwLength × dwScale / dwRate of the stream header (`strh`) of the `audioStream`-th audio
  /// stream (`auds`): in samples when the length counts whole blocks (`exactCount`), else in
  /// seconds.
  private static func aviLength(_ head: [UInt8], audioStream: Int) -> Length? {
    var seen = 0
    var offset = 12
    let strh = Array("strh".utf8)
    while offset + 56 <= head.count {
      if Array(head[offset..<offset + 4]) == strh {
        if Array(head[offset + 8..<offset + 12]) == Array("auds".utf8) {
          if seen == audioStream {
            let scale = littleEndian(head, at: offset + 28, count: 4)
            let rate = littleEndian(head, at: offset + 32, count: 4)
            let length = littleEndian(head, at: offset + 40, count: 4)
            guard scale > 0, rate > 0, length > 0, length != 0xFFFF_FFFF else { return nil }
            let sampleSize = littleEndian(head, at: offset + 52, count: 4)
            let strf = offset + 8 + Int(littleEndian(head, at: offset + 4, count: 4))
            if strf + 24 <= head.count, Array(head[strf..<strf + 4]) == Array("strf".utf8),
              let samples = exactCount(
                length: length, scale: scale, rate: rate, sampleSize: sampleSize, formatTag: littleEndian(head, at: strf + 8, count: 2),
                samplesPerSecond: littleEndian(head, at: strf + 12, count: 4), blockAlign: littleEndian(head, at: strf + 20, count: 2))
            {
              return samples
            }
            return .seconds(Double(length) * Double(scale) / Double(rate))
          }
          seen += 1
        }
        offset += 8
      } else {
        offset += 1
      }
    }
    return nil
  }

  /// An AVI audio stream's length in samples, when its header counts them exactly: its unit
  /// (dwScale / dwRate seconds) is a whole number of samples, each unit is one block of the
  /// stream — one coded frame a chunk (no fixed sample size) or a block of the fixed sample
  /// size — and the codec's blocks decode whole, every sample of each: PCM, A-law and µ-law
  /// frames, MP1/MP2/MP3 and AC3 frames, MS and IMA ADPCM blocks. review39 F08 and review40
  /// G03: a chunk lost from such a stream was within the tolerance of a length in seconds.
  /// Not exact: a length in bytes of coded audio (a sample size and block align of 1: CBR MP3
  /// from some writers), a codec with a decoder delay (WMA: a frame fewer) or chunks of any
  /// length (G.726: the last one short). PCM written in other units is counted from its
  /// seconds, which its fixed frame makes exact too.
  private static func exactCount(
    length: UInt64, scale: UInt64, rate: UInt64, sampleSize: UInt64, formatTag: UInt64, samplesPerSecond: UInt64, blockAlign: UInt64
  ) -> Length? {
    guard samplesPerSecond > 0, length < 1 << 32, scale < 1 << 32, samplesPerSecond < 1 << 31 else { return nil }
    let isPCM = [1, 3, 6, 7, 0xFFFE].contains(formatTag)
    let decodesWhole = isPCM || [0x50, 0x55, 0x2000, 0x02, 0x11].contains(formatTag)
    let (unitSamples, remainder) = (scale * samplesPerSecond).quotientAndRemainder(dividingBy: rate)
    let unitIsABlock = sampleSize == 0 || sampleSize == blockAlign && (isPCM || blockAlign > 1)
    if remainder == 0, unitSamples > 0, unitSamples < 1 << 20, unitIsABlock, decodesWhole {
      return .samples(Int64(length * unitSamples), rate: Double(samplesPerSecond))
    }
    let samples = (Double(length) * Double(scale) / Double(rate) * Double(samplesPerSecond)).rounded()
    guard isPCM, sampleSize > 0, samples < 0x1p62 else { return nil }
    return .samples(Int64(samples), rate: Double(samplesPerSecond))
  }

  private static func littleEndian(_ bytes: [UInt8], at offset: Int, count: Int) -> UInt64 {
    bytes[offset..<offset + count].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
  }
}
