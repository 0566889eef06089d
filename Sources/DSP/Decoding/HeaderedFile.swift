/// The containers whose header says where their audio ends — WAV (with RF64 and BW64), W64,
/// AIFF, 8SVX, AU, SPHERE, VOC, IRCAM, AVR, WVE (Psion), PAF and MAT (version 5) — as
/// `ContainerStructure` walks them: how each header starts, and where the file it begins ends,
/// so that another file joined on (`cat a.wav b.wav`) is found at any distance.
///
/// Their readers stop at the end the header declares (or read the next header as samples):
/// audioprep reads one such file at a time and refuses a join, whatever either part's format.
/// WAV, W64, AIFF, 8SVX and VOC are walked chunk by chunk (`ContainerStructure`); AU, SPHERE,
/// AVR and WVE end where their header's data size says; IRCAM and PAF declare no size (their
/// audio runs to the end), and libsndfile's MAT files declare 8 bytes more than they hold, so
/// there another header is searched for.
enum HeaderedFile {
  static let kinds: [ContainerHeader.Kind] = [.wav, .w64, .aiff, .svx, .au, .sphere, .voc, .ircam, .avr, .wve, .paf, .mat]

  /// The chunk markers a WAV's `WAVE` follows.
  static let riffMarkers = ["RIFF", "RIFX", "RF64", "BW64"].map { Array($0.utf8) }
  /// The GUIDs of a W64 file's header and `data` chunk (the chunk's name, then a fixed suffix).
  static let w64RIFF: [UInt8] = Array("riff".utf8) + [0x2E, 0x91, 0xCF, 0x11, 0xA5, 0xD6, 0x28, 0xDB, 0x04, 0xC1, 0x00, 0x00]
  private static let w64Suffix: [UInt8] = [0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A]
  static let w64WAVE: [UInt8] = Array("wave".utf8) + w64Suffix
  static let w64Data: [UInt8] = Array("data".utf8) + w64Suffix

  static func name(_ kind: ContainerHeader.Kind) -> String {
    switch kind {
    case .wav: "WAV"
    case .w64: "W64"
    case .aiff: "AIFF"
    case .svx: "8SVX"
    case .au: "AU"
    case .sphere: "SPHERE"
    case .voc: "VOC"
    case .ircam: "IRCAM"
    case .avr: "AVR"
    case .wve: "WVE"
    case .paf: "PAF"
    default: "MAT"
    }
  }

  /// The signatures a header may start with (at `signatureOffset`: a WAV's `WAVE` 8 bytes in).
  static func signatures(_ kind: ContainerHeader.Kind) -> [[UInt8]] {
    switch kind {
    case .wav: [Array("WAVE".utf8)]
    case .w64: [w64RIFF]
    case .aiff, .svx: [Array("FORM".utf8)]
    case .au: [Array(".snd".utf8)]
    case .sphere: [Array("NIST_1A\n".utf8)]
    case .voc: [Array("Creative Voice File".utf8) + [0x1A]]
    case .ircam: [[0x64, 0xA3]]
    case .avr: [Array("2BIT".utf8)]
    case .wve: [Array("ALawSoundFile**".utf8) + [0]]
    case .paf: [Array(" paf".utf8), Array("fap ".utf8)]
    default: [Array("MATLAB 5.0 MAT-file".utf8)]
    }
  }

  /// Whether `header` begins a file of `kind` (its signature checked with the fields beside it,
  /// so that the same bytes inside audio are not taken for one).
  static func isStreamStart(_ kind: ContainerHeader.Kind, _ header: [UInt8]) -> Bool {
    func text(_ range: Range<Int>) -> [UInt8] { header.count >= range.upperBound ? Array(header[range]) : [] }
    switch kind {
    case .wav: return riffMarkers.contains(text(0..<4)) && text(8..<12) == Array("WAVE".utf8)
    case .w64: return text(0..<16) == w64RIFF && text(24..<40) == w64WAVE
    case .aiff: return text(0..<4) == Array("FORM".utf8) && [Array("AIFF".utf8), Array("AIFC".utf8)].contains(text(8..<12))
    case .svx: return text(0..<4) == Array("FORM".utf8) && text(8..<12) == Array("8SVX".utf8)
    case .au:
      let offset = ContainerHeader.bigEndian(header, 4, 4)
      let channels = ContainerHeader.bigEndian(header, 20, 4)
      return text(0..<4) == Array(".snd".utf8) && (24...65536).contains(offset) && (1...1024).contains(channels)
        && ContainerHeader.bigEndian(header, 16, 4) > 0
    case .sphere: return text(0..<8) == Array("NIST_1A\n".utf8) && sphereHeaderBytes(header) != nil
    case .voc: return text(0..<20) == signatures(.voc)[0] && ContainerHeader.littleEndian(header, 20, 2) >= 26
    case .ircam:
      // sox and libsndfile write the marker 64 A3 0n 00; the rate is a float, the channel
      // count an integer, in either byte order.
      guard header.count >= 16, header[0] == 0x64, header[1] == 0xA3, (1...4).contains(header[2]), header[3] == 0 else { return false }
      let rates = [ContainerHeader.littleEndian(header, 4, 4), ContainerHeader.bigEndian(header, 4, 4)].map { Float(bitPattern: UInt32($0)) }
      let channels = [ContainerHeader.littleEndian(header, 8, 4), ContainerHeader.bigEndian(header, 8, 4)]
      return rates.contains { $0 >= 1 && $0 <= 1e6 } && channels.contains { (1...256).contains($0) }
    case .avr:
      return text(0..<4) == Array("2BIT".utf8) && [8, 16].contains(ContainerHeader.bigEndian(header, 14, 2))
    case .wve: return text(0..<16) == signatures(.wve)[0]
    case .paf:
      return signatures(.paf).contains(text(0..<4)) && ContainerHeader.bigEndian(header, 4, 4) == 0
        && [0, 1].contains(ContainerHeader.littleEndian(header, 8, 4) | ContainerHeader.bigEndian(header, 8, 4))
    default: return text(0..<19) == signatures(.mat)[0] && header.count >= 128
    }
  }

  /// The rate and channels a WAV, W64, AIFF or AU header declares (from the first chunks its
  /// capture holds); nil for the others, or when it does not say.
  static func parameters(_ kind: ContainerHeader.Kind, _ header: [UInt8]) -> ContainerHeader.Parameters? {
    switch kind {
    case .wav:
      guard let fmt = ContainerHeader.find(Array("fmt ".utf8), in: header), fmt + 16 <= header.count else { return nil }
      let bigEndian = header.starts(with: Array("RIFX".utf8))
      let read = bigEndian ? ContainerHeader.bigEndian : ContainerHeader.littleEndian
      return ContainerHeader.Parameters(rate: Int(read(header, fmt + 12, 4)), channels: Int(read(header, fmt + 10, 2)))
    case .w64:
      guard let fmt = ContainerHeader.find(Array("fmt ".utf8) + w64Suffix, in: header), fmt + 32 <= header.count else { return nil }
      return ContainerHeader.Parameters(
        rate: Int(ContainerHeader.littleEndian(header, fmt + 28, 4)), channels: Int(ContainerHeader.littleEndian(header, fmt + 26, 2)))
    case .aiff:
      guard let comm = ContainerHeader.find(Array("COMM".utf8), in: header), comm + 26 <= header.count else { return nil }
      let rate = AIFFSampleRate.extended(Array(header[comm + 16..<comm + 26]))
      guard rate.isFinite, rate >= 1, rate < 1e9 else { return nil }
      return ContainerHeader.Parameters(rate: Int(rate), channels: Int(ContainerHeader.bigEndian(header, comm + 8, 2)))
    case .au:
      return ContainerHeader.Parameters(rate: Int(ContainerHeader.bigEndian(header, 16, 4)), channels: Int(ContainerHeader.bigEndian(header, 20, 4)))
    default: return nil
    }
  }

  /// Bytes from the start of a file of `kind` (an AU, SPHERE, AVR or WVE: one header, then
  /// its audio) to its end, as its header declares them; nil when it declares none (IRCAM,
  /// PAF, MAT, an AU whose size is "unknown"): its audio runs to the end of the input.
  static func length(_ kind: ContainerHeader.Kind, _ header: [UInt8]) -> Int64? {
    switch kind {
    case .au:
      let size = ContainerHeader.bigEndian(header, 8, 4)
      return size == 0xFFFF_FFFF ? nil : Int64(ContainerHeader.bigEndian(header, 4, 4) + size)
    case .sphere:
      guard let headerBytes = sphereHeaderBytes(header), let samples = sphereField(header, "sample_count") else { return nil }
      let channels = sphereField(header, "channel_count") ?? 1
      let width = sphereField(header, "sample_n_bytes") ?? 2
      let (data, overflow) = samples.multipliedReportingOverflow(by: channels * width)
      return overflow ? nil : Int64(headerBytes) + data
    case .avr:
      return 128 + Int64(ContainerHeader.bigEndian(header, 26, 4)) * Int64(ContainerHeader.bigEndian(header, 14, 2) / 8)
    case .wve:
      return 32 + Int64(ContainerHeader.bigEndian(header, 18, 4))
    default: return nil
    }
  }

  /// A SPHERE header's size, the number on its second line.
  static func sphereHeaderBytes(_ header: [UInt8]) -> Int? {
    guard header.count >= 16, let size = Int(String(decoding: header[8..<15], as: UTF8.self).trimmingSpaces), size >= 16 else { return nil }
    return size
  }

  /// An integer field (`name -i value`) of a SPHERE header.
  private static func sphereField(_ header: [UInt8], _ name: String) -> Int64? {
    guard let at = ContainerHeader.find(Array("\n\(name) -i ".utf8), in: header) else { return nil }
    let digits = header[(at + name.utf8.count + 5)...].prefix { (0x30...0x39).contains($0) }
    return Int64(String(decoding: digits, as: UTF8.self))
  }
}

extension String {
  fileprivate var trimmingSpaces: String {
    String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
  }
}
