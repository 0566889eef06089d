/// The stream headers of the containers whose files can be joined end to end into one that
/// decoders read only in part (`cat a.flac b.flac`): how each starts, and the rate and channel
/// count it declares, so that a second one can be found and compared with the first
/// (`StreamHeaderScanner`). MP3 and MP2 are `MPEGStreamExtent`'s; ADTS AAC and AC-3 repeat
/// their format in every frame, which FFmpeg checks itself.
enum ContainerHeader {
  /// Bytes kept from each header: enough for Matroska's tracks and AVI's stream format.
  static let captureBytes = 4096

  /// The header of `input` from `offset`: its first `captureBytes`, or of an MPEG stream (a frame
  /// header first) the frame header alone, which is no container's and which nothing reads past:
  /// a live MP3 at 16 kb/s takes 2 s to give 4 KiB (review41 H03).
  static func capture(_ input: InputBytes, from offset: Int64) -> [UInt8] {
    let start = input.read(at: offset, count: 4)
    if start.count == 4, MPEGStreamExtent.FrameHeader(start) != nil { return start }
    return input.read(at: offset, count: captureBytes)
  }

  struct Parameters: Equatable {
    let rate: Int
    let channels: Int
  }

  enum Kind: CaseIterable {
    case flac, ogg, matroska, avi, nut, flv, tta, wavpack, asf, caf, mp4
    /// Files whose header says where their audio ends, which audioprep reads one at a time
    /// (`HeaderedFile`): another joined on is refused.
    case wav, w64, aiff, svx, au, sphere, voc, ircam, avr, wve, paf, mat, mat4, sds, mpc2k, pvf, htk
    /// Not stream headers, but found the same way: the index a NUT file ends with, and the APE
    /// tag a WavPack file may end with.
    case nutIndex, apeTag
    /// An MP3 or MP2 file behind its ID3v2 tag, as a file joined on after another container's
    /// (review36 T2: dropped without a word after a WAV, FLAC, Ogg, CAF, AIFF or WebM). An
    /// input that starts with one is `MPEGFiles`' to look through, never walked.
    case mpeg

    var name: String {
      switch self {
      case .flac: "FLAC"
      case .ogg: "Ogg"
      case .matroska: "Matroska/WebM"
      case .avi: "AVI"
      case .nut: "NUT"
      case .flv: "FLV"
      case .tta: "TTA"
      case .wavpack: "WavPack"
      case .asf: "ASF/WMA"
      case .caf: "CAF"
      case .mp4: "MP4"
      case .wav, .w64, .aiff, .svx, .au, .sphere, .voc, .ircam, .avr, .wve, .paf, .mat, .mat4, .sds, .mpc2k, .pvf, .htk: HeaderedFile.name(self)
      case .nutIndex: "NUT index"
      case .apeTag: "APE tag"
      case .mpeg: "MP3"
      }
    }

    var signature: [UInt8] {
      switch self {
      case .flac: Array("fLaC".utf8)
      case .ogg: Array("OggS".utf8)
      case .matroska: [0x1A, 0x45, 0xDF, 0xA3]
      case .avi: Array("RIFF".utf8)
      case .nut: Array("nut/multimedia container".utf8) + [0]
      case .flv: Array("FLV".utf8) + [1]
      case .tta: Array("TTA1".utf8)
      case .wavpack: Array("wvpk".utf8)
      case .asf: [0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C]
      case .nutIndex: [0x4E, 0x58, 0xDD, 0x67, 0x2F, 0x23, 0xE6, 0x4E]
      case .apeTag: Array("APETAGEX".utf8)
      case .caf: Array("caff".utf8) + [0, 1, 0, 0]
      case .mp4: Array("ftyp".utf8)
      case .mpeg: Array("ID3".utf8) + [4]
      case .wav, .w64, .aiff, .svx, .au, .sphere, .voc, .ircam, .avr, .wve, .paf, .mat, .mat4, .sds, .mpc2k, .pvf, .htk:
        HeaderedFile.signatures(self).first ?? []
      }
    }

    /// Every signature a header of this kind may start with (a PAF's depends on its byte order).
    var signatures: [[UInt8]] {
      if self == .mpeg { return (2...4).map { Array("ID3".utf8) + [UInt8($0)] } }
      return HeaderedFile.kinds.contains(self) ? HeaderedFile.signatures(self) : [signature]
    }

    /// Where the signature sits in the header: an MP4's `ftyp` after the box's size, a WAV's
    /// `WAVE` after its `RIFF`, `RIFX`, `RF64` or `BW64` and size, a MAT4 file's first matrix
    /// name after the matrix header.
    var signatureOffset: Int { self == .mp4 ? 4 : self == .wav ? 8 : self == .mat4 ? 20 : 0 }

    /// Whether `header` starts with one of this kind's signatures (at `signatureOffset`); a
    /// kind without one (HTK) is told by `isStreamStart` alone.
    func hasSignature(_ header: [UInt8]) -> Bool {
      let start = signatureOffset
      return signatures.isEmpty || signatures.contains { header.count >= start + $0.count && Array(header[start..<start + $0.count]) == $0 }
    }

    /// The kinds whose header can be told from other bytes by itself (a signature of 4 bytes
    /// or more, checked with the fields beside it): another file of one of these, found where
    /// a container's structure ends or searched for where it says nothing, is a file joined on.
    static let distinctive: [Kind] = streams.filter { kind in
      ![.ircam, .sds, .mpc2k, .htk].contains(kind) && kind.signatures.allSatisfy { $0.count >= 4 }
    }

    /// The containers whose streams begin with a header, not the markers.
    static let streams: [Kind] = allCases.filter { $0 != .nutIndex && $0 != .apeTag }

    /// Whether a signature found while searching (`ContainerStructure`) is where the walk of
    /// the structure can resume: any Ogg page or WavPack block, else a stream header.
    func resumesWalk(_ header: [UInt8]) -> Bool {
      switch self {
      case .ogg: header.count >= 27 && header[4] == 0
      case .wavpack: header.count >= 32
      default: isStreamStart(header)
      }
    }

    /// Whether `header` (starting with the signature) begins a stream, not just a page or
    /// block of one: an Ogg page that begins a logical stream, a WavPack block at sample 0.
    func isStreamStart(_ header: [UInt8]) -> Bool {
      switch self {
      case .flac: return header.count >= 8 && header[4] & 0x7F == 0 && header[5] == 0 && header[6] == 0 && header[7] == 0x22
      case .ogg: return header.count >= 28 && header[4] == 0 && header[5] & 0x02 != 0
      case .avi: return header.count >= 12 && Array(header[8..<12]) == Array("AVI ".utf8)
      case .flv: return header.count >= 9 && header[5...8] == [0, 0, 0, 9]
      case .wavpack:
        // Sample 0, and the first block of its frame (a multichannel file's first frame has one
        // block per channel pair, all at sample 0; only the first is marked initial).
        return header.count >= 32 && header[11] == 0 && header[16..<20].allSatisfy { $0 == 0 }
          && ContainerHeader.littleEndian(header, 24, 4) & 0x800 != 0
      case .matroska:
        // Four bytes could occur inside audio by chance: the EBML header must name its DocType.
        let start = Array(header.prefix(64))
        return [Array("matroska".utf8), Array("webm".utf8)].contains { ContainerHeader.find($0, in: start) != nil }
      case .tta:
        let format = ContainerHeader.littleEndian(header, 4, 2)
        let channels = ContainerHeader.littleEndian(header, 6, 2)
        let bits = ContainerHeader.littleEndian(header, 8, 2)
        let rate = ContainerHeader.littleEndian(header, 10, 4)
        return (1...2).contains(format) && (1...64).contains(channels) && [8, 16, 24].contains(bits) && (1...768_000).contains(rate)
      case .caf:
        // The description chunk comes first: 'desc', its size, then the format.
        return header.count >= 52 && Array(header[8..<12]) == Array("desc".utf8)
      case .mp4:
        // An ftyp box of a sensible size whose brand is printable.
        let size = ContainerHeader.bigEndian(header, 0, 4)
        return header.count >= 12 && (8...4096).contains(size) && header[8..<12].allSatisfy { (0x20...0x7E).contains($0) }
      case .nut, .asf, .nutIndex, .apeTag: return true
      case .mpeg:
        // An ID3v2 tag with an MPEG frame after it, within the capture: a tag appended after
        // the audio with nothing after it (ID3v2.4 allows one at the end) is no file.
        guard let end = ID3v2Tag.length(header: Array(header.prefix(10))).map(Int.init), end + 4 <= header.count else { return false }
        return MPEGStreamExtent.FrameHeader(Array(header[end..<end + 4])) != nil
      case .wav, .w64, .aiff, .svx, .au, .sphere, .voc, .ircam, .avr, .wve, .paf, .mat, .mat4, .sds, .mpc2k, .pvf, .htk: return HeaderedFile.isStreamStart(self, header)
      }
    }

    /// The rate and channels `header` declares; nil when it does not say or is cut.
    func parameters(_ header: [UInt8]) -> Parameters? {
      switch self {
      case .flac:
        guard header.count >= 22 else { return nil }
        let rate = Int(header[18]) << 12 | Int(header[19]) << 4 | Int(header[20] >> 4)
        return Parameters(rate: rate, channels: Int((header[20] >> 1) & 7) + 1)
      case .ogg:
        guard let (codec, payload) = ContainerHeader.oggPayload(header) else { return nil }
        if codec == "vorbis", payload + 16 <= header.count {
          return Parameters(rate: Int(ContainerHeader.littleEndian(header, payload + 12, 4)), channels: Int(header[payload + 11]))
        }
        // Opus decodes at 48 kHz whatever input rate its head records.
        if codec == "opus", payload + 10 <= header.count { return Parameters(rate: 48000, channels: Int(header[payload + 9])) }
        return nil
      case .matroska: return MatroskaAudioTrack.parameters(header).map { Parameters(rate: $0.rate, channels: $0.channels) }
      case .avi:
        guard let auds = ContainerHeader.find(Array("auds".utf8), in: header),
          let strf = ContainerHeader.find(Array("strf".utf8), in: header, from: auds), strf + 16 <= header.count
        else { return nil }
        return Parameters(rate: Int(ContainerHeader.littleEndian(header, strf + 12, 4)), channels: Int(ContainerHeader.littleEndian(header, strf + 10, 2)))
      case .nut: return ContainerHeader.nutParameters(header)
      case .flv:
        var at = 13
        while at + 12 <= header.count {
          let size = Int(header[at + 1]) << 16 | Int(header[at + 2]) << 8 | Int(header[at + 3])
          if header[at] == 8 {
            let flags = header[at + 11]
            return Parameters(rate: [5512, 11025, 22050, 44100][Int(flags >> 2) & 3], channels: Int(flags & 1) + 1)
          }
          at += 11 + size + 4
        }
        return nil
      case .tta:
        guard header.count >= 14 else { return nil }
        return Parameters(rate: Int(ContainerHeader.littleEndian(header, 10, 4)), channels: Int(ContainerHeader.littleEndian(header, 6, 2)))
      case .wavpack:
        let flags = ContainerHeader.littleEndian(header, 24, 4)
        let rates = [6000, 8000, 9600, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000, 192000]
        let index = Int((flags >> 23) & 0xF)
        guard index < rates.count else { return nil }
        return Parameters(rate: rates[index], channels: flags & 0x4 != 0 ? 1 : 2)
      case .nutIndex, .apeTag: return nil
      case .mpeg:
        guard let end = ID3v2Tag.length(header: Array(header.prefix(10))).map(Int.init), end + 4 <= header.count,
          let frame = MPEGStreamExtent.FrameHeader(Array(header[end..<end + 4]))
        else { return nil }
        return Parameters(rate: frame.rate, channels: frame.mono ? 1 : 2)
      case .caf:
        guard header.count >= 48 else { return nil }
        let rate = Double(bitPattern: ContainerHeader.bigEndian(header, 20, 8))
        guard rate.isFinite, rate > 0, rate < 1e9 else { return nil }
        return Parameters(rate: Int(rate), channels: Int(ContainerHeader.bigEndian(header, 44, 4)))
      case .mp4: return nil  // in its index: `mp4Parameters`
      case .wav, .w64, .aiff, .svx, .au, .sphere, .voc, .ircam, .avr, .wve, .paf, .mat, .mat4, .sds, .mpc2k, .pvf, .htk: return HeaderedFile.parameters(self, header)
      case .asf:
        // The Stream Properties object of the audio stream: its type GUID (ASF_Audio_Media) is
        // 24 bytes in, its WAVEFORMATEX 78 bytes in.
        let audioMedia: [UInt8] = [0x40, 0x9E, 0x69, 0xF8, 0x4D, 0x5B, 0xCF, 0x11, 0xA8, 0xFD, 0x00, 0x80, 0x5F, 0x5C, 0x44, 0x2B]
        guard let type = ContainerHeader.find(audioMedia, in: header), type + 62 <= header.count else { return nil }
        return Parameters(rate: Int(ContainerHeader.littleEndian(header, type + 58, 4)), channels: Int(ContainerHeader.littleEndian(header, type + 56, 2)))
      }
    }
  }

  /// What changes between the first stream and one joined on, as audioprep's refusal says it:
  /// nil when both declare the same rate and channels, or either does not say.
  static func change(from first: StreamHeaderScanner.Found, to next: StreamHeaderScanner.Found) -> String? {
    guard let before = first.parameters, let after = next.parameters else { return nil }
    let joined = "at byte \(next.offset), where another \(next.kind.name) stream is joined on"
    if before.rate != after.rate {
      return "the sample rate changes from \(before.rate) to \(after.rate) Hz \(joined); audioprep does not follow such changes"
    }
    if before.channels != after.channels {
      return "the channel count changes from \(before.channels) to \(after.channels) \(joined); audioprep does not follow such changes"
    }
    return nil
  }

  /// The rate and channels of an MP4 index's (`moov`'s) first audio sample description
  /// (`mp4a`, `alac`, `Opus`, `fLaC`, `ac-3`), read from its first bytes.
  static func mp4Parameters(_ index: [UInt8]) -> Parameters? {
    for entry in ["mp4a", "alac", "Opus", "fLaC", "ac-3", "ec-3", "samr"] {
      // A sample entry: its type, 6 reserved bytes, the reference index, version, revision and
      // vendor, then channels (2 bytes), sample size, compression, packet size, rate (16.16).
      guard let at = find(Array(entry.utf8), in: index), at + 30 <= index.count else { continue }
      let rate = Int(bigEndian(index, at + 28, 2))
      // An AAC entry says 2 channels whatever the stream holds: its decoder configuration says.
      let channels = entry == "mp4a" ? aacChannels(index, from: at) ?? Int(bigEndian(index, at + 20, 2)) : Int(bigEndian(index, at + 20, 2))
      guard rate > 0, channels > 0 else { continue }
      return Parameters(rate: rate, channels: channels)
    }
    return nil
  }

  /// The channel configuration of the AAC AudioSpecificConfig in the `esds` after `start`.
  private static func aacChannels(_ index: [UInt8], from start: Int) -> Int? {
    guard var at = find(Array("esds".utf8), in: index, from: start).map({ $0 + 8 }) else { return nil }
    /// A descriptor's tag and the start of its body (its size takes 1-4 bytes).
    func descriptor(_ tag: UInt8) -> Bool {
      guard at < index.count, index[at] == tag else { return false }
      at += 1
      for _ in 0..<4 {
        guard at < index.count else { return false }
        at += 1
        if index[at - 1] & 0x80 == 0 { return true }
      }
      return true
    }
    guard descriptor(3), at + 3 <= index.count else { return nil }
    let flags = index[at + 2]
    at += 3
    if flags & 0x80 != 0 { at += 2 }
    if flags & 0x40 != 0, at < index.count { at += 1 + Int(index[at]) }
    if flags & 0x20 != 0 { at += 2 }
    guard descriptor(4) else { return nil }
    at += 13
    guard descriptor(5), at + 2 <= index.count else { return nil }
    let configuration = Int(index[at + 1] >> 3) & 0xF
    return (1...6).contains(configuration) ? configuration : configuration == 7 ? 8 : nil
  }

  private static func oggPayload(_ header: [UInt8]) -> (codec: String, payload: Int)? {
    guard header.count >= 27 else { return nil }
    let payload = 27 + Int(header[26])
    guard payload + 8 <= header.count else { return nil }
    let start = Array(header[payload..<payload + 8])
    if start.starts(with: [1] + Array("vorbis".utf8)) { return ("vorbis", payload) }
    if start == Array("OpusHead".utf8) { return ("opus", payload) }
    if start.starts(with: [0x7F] + Array("FLAC".utf8)) { return ("flac", payload) }
    return nil
  }

  /// A NUT stream header's audio rate and channels (its fields are variable-length numbers).
  private static func nutParameters(_ header: [UInt8]) -> Parameters? {
    guard var at = find([0x4E, 0x53, 0x11, 0x40, 0x5B, 0xF2, 0xF9, 0xDB], in: header).map({ $0 + 8 }) else { return nil }
    func number() -> Int? {
      var value = 0
      for _ in 0..<9 {
        guard at < header.count else { return nil }
        let byte = header[at]
        at += 1
        value = value << 7 | Int(byte & 0x7F)
        if byte & 0x80 == 0 { return value }
      }
      return nil
    }
    guard let forward = number() else { return nil }
    if forward > 4096 { at += 4 }
    guard number() != nil, let streamClass = number(), let fourccLength = number() else { return nil }
    at += fourccLength
    for _ in 0..<5 { guard number() != nil else { return nil } }  // time base, pts shift, distance, delay, flags
    guard let extraLength = number() else { return nil }
    at += extraLength
    guard streamClass == 1, let numerator = number(), let denominator = number(), denominator > 0, let channels = number() else { return nil }
    return Parameters(rate: numerator / denominator, channels: channels)
  }

  /// Where the chunk `id` of an AIFF's `FORM` starts, when `head` holds its header.
  static func aiffChunk(_ id: String, in head: [UInt8]) -> Int? {
    var offset = 12
    while offset + 8 <= head.count {
      if Array(head[offset..<offset + 4]) == Array(id.utf8) { return offset }
      let size = Int(bigEndian(head, offset + 4, 4))
      offset += 8 + size + size % 2
    }
    return nil
  }

  /// A CAF's encoding, the format ID of its description chunk (which comes first):
  /// "lpcm", "alac", "aac " …; nil for another header.
  static func cafEncoding(_ header: [UInt8]) -> String? {
    guard header.count >= 32, header.starts(with: Array("caff".utf8)), Array(header[8..<12]) == Array("desc".utf8) else { return nil }
    return String(decoding: header[28..<32], as: UTF8.self)
  }

  static func find(_ marker: [UInt8], in bytes: [UInt8], from start: Int = 0) -> Int? {
    guard bytes.count >= marker.count, start <= bytes.count - marker.count else { return nil }
    return (start...(bytes.count - marker.count)).first { bytes[$0] == marker[0] && Array(bytes[$0..<$0 + marker.count]) == marker }
  }

  static func bigEndian(_ bytes: [UInt8], _ offset: Int, _ count: Int) -> UInt64 {
    guard offset + count <= bytes.count else { return 0 }
    return bytes[offset..<offset + count].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
  }

  static func littleEndian(_ bytes: [UInt8], _ offset: Int, _ count: Int) -> UInt64 {
    guard offset + count <= bytes.count else { return 0 }
    return bytes[offset..<offset + count].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
  }
}
