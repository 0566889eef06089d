/// The containers whose header says where their audio ends — WAV (with RF64 and BW64), W64,
/// AIFF, 8SVX and 16SV, AU, SPHERE, VOC, IRCAM, AVR, WVE (Psion), PAF, MAT (versions 4 and 5),
/// HTK, SDS (MIDI sample dump), MPC2K and PVF — as `ContainerStructure` walks them: how each
/// header starts, and where the file it begins ends, so that another file joined on
/// (`cat a.wav b.wav`) is found at any distance.
///
/// Their readers stop at the end the header declares (or read the next header as samples):
/// audioprep reads one such file at a time and refuses a join, whatever either part's format.
/// WAV, W64, AIFF, 8SVX and VOC are walked chunk by chunk (`ContainerStructure`); AU, SPHERE,
/// AVR, WVE, HTK, SDS and MPC2K end where their header's data size says, a MAT4 file after its
/// last matrix; IRCAM, PAF and PVF declare no size (their audio runs to the end), and
/// libsndfile's MAT5 files declare 8 bytes more than they hold, so there another header is
/// searched for.
enum HeaderedFile {
  static let kinds: [ContainerHeader.Kind] = [
    .wav, .w64, .aiff, .svx, .au, .sphere, .voc, .ircam, .avr, .wve, .paf, .mat, .mat4, .sds, .mpc2k, .pvf, .htk,
  ]

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
    case .sds: "SDS"
    case .mpc2k: "MPC2K"
    case .pvf: "PVF"
    case .htk: "HTK"
    default: "MAT"
    }
  }

  /// The signatures a header may start with (at `signatureOffset`: a WAV's `WAVE` 8 bytes in, a
  /// MAT4 file's first matrix's name 20 bytes in). An HTK header has none: its fields alone
  /// say whether it is one.
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
    case .mat4: [Array("samplerate".utf8) + [0]]
    case .sds: [[0xF0, 0x7E]]
    case .mpc2k: [[0x01, 0x04]]
    case .pvf: [Array("PVF1\n".utf8)]
    case .htk: []
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
    case .svx: return text(0..<4) == Array("FORM".utf8) && [Array("8SVX".utf8), Array("16SV".utf8)].contains(text(8..<12))
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
    case .mat4:
      // libsndfile's: a 1 × 1 double matrix named "samplerate" comes first.
      guard let matrix = mat4Matrix(header), header.count >= 39 else { return false }
      return matrix.rows == 1 && matrix.columns == 1 && matrix.elementBytes == 8 && matrix.nameBytes == 11
        && text(20..<31) == signatures(.mat4)[0]
    case .sds:
      // A MIDI sample dump header: F0 7E channel 01, sample number, bits, period, length, loop
      // points and type, F7; 7 bits a byte.
      return header.count >= 21 && header[0] == 0xF0 && header[1] == 0x7E && header[3] == 0x01 && header[20] == 0xF7
        && (8...28).contains(header[6]) && header[4..<20].allSatisfy { $0 < 0x80 }
    case .mpc2k:
      // An Akai MPC 2000 sample: 01 04, a 17-character name, level, tune, stereo flag, then
      // start, loop end, frames and loop length, loop mode, beats, rate.
      return header.count >= 42 && header[0] == 1 && header[1] == 4 && header[2..<19].allSatisfy { (0x20...0x7E).contains($0) }
        && header[21] <= 1 && ContainerHeader.littleEndian(header, 40, 2) > 0
    case .pvf:
      // "PVF1\n", then channels, rate and bits as text on one line.
      let line = text(5..<min(header.count, 40)).prefix { $0 != 0x0A }
      let fields = String(decoding: line, as: UTF8.self).split(separator: " ")
      return text(0..<5) == signatures(.pvf)[0] && line.count < 35 && fields.count == 3 && fields.allSatisfy { Int($0) != nil && Int($0)! > 0 }
    case .htk:
      // Samples, period (in 100 ns), bytes a sample (2: libsndfile reads 16-bit waveforms)
      // and the parameter kind (0: a waveform), big-endian.
      let period = ContainerHeader.bigEndian(header, 4, 4)
      return header.count >= 12 && ContainerHeader.bigEndian(header, 0, 4) > 0 && (10...1_000_000).contains(period)
        && ContainerHeader.bigEndian(header, 8, 2) == 2 && ContainerHeader.bigEndian(header, 10, 2) == 0
    default: return text(0..<19) == signatures(.mat)[0] && header.count >= 128
    }
  }

  /// A MAT4 matrix header: its type (byte order and element type), rows, columns, whether it
  /// has an imaginary part, and its name's length; nil when it is not one.
  struct MAT4Matrix {
    let rows: Int64
    let columns: Int64
    let elementBytes: Int64
    let imaginary: Bool
    let nameBytes: Int64
    /// The bytes of the matrix, header included.
    var bytes: Int64 { 20 + nameBytes + rows * columns * elementBytes * (imaginary ? 2 : 1) }
  }

  static func mat4Matrix(_ header: [UInt8]) -> MAT4Matrix? {
    guard header.count >= 20 else { return nil }
    // The type is M·1000 + O·100 + P·10 + T: M the byte order (0 little-endian, 1 big-endian),
    // O 0, P the element type (double, float, int32, int16, uint16, uint8), T 0 (numeric).
    let little = ContainerHeader.littleEndian(header, 0, 4)
    let isLittleEndian = little < 1000
    func read(_ bytes: [UInt8], _ offset: Int, _ count: Int) -> UInt64 {
      isLittleEndian ? ContainerHeader.littleEndian(bytes, offset, count) : ContainerHeader.bigEndian(bytes, offset, count)
    }
    let type = read(header, 0, 4)
    guard type % 1000 < 60, type % 10 == 0, type / 1000 == (isLittleEndian ? 0 : 1), (type / 100) % 10 == 0 else { return nil }
    let rows = read(header, 4, 4)
    let columns = read(header, 8, 4)
    let imaginary = read(header, 12, 4)
    let name = read(header, 16, 4)
    guard rows < 1 << 31, columns < 1 << 31, imaginary <= 1, (1...64).contains(name) else { return nil }
    let elementBytes: Int64 = [8, 4, 4, 2, 2, 1][Int((type / 10) % 10)]
    let (cells, overflow) = Int64(rows).multipliedReportingOverflow(by: Int64(columns))
    guard !overflow, cells < Int64.max / 32 else { return nil }
    return MAT4Matrix(rows: Int64(rows), columns: Int64(columns), elementBytes: elementBytes, imaginary: imaginary == 1, nameBytes: Int64(name))
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
  /// PAF, PVF, MAT5, an AU whose size is "unknown"): its audio runs to the end of the input.
  /// (A MAT4 file is walked matrix by matrix: `mat4Matrix`.)
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
      // A count of frames (libsndfile's reading, sox's writing), of 1 or 2 channels (the mono
      // field's low bit): read as samples, a stereo AVR from a pipe gave half (review41 H05).
      let channels = Int64(ContainerHeader.bigEndian(header, 12, 2) & 1) + 1
      return 128 + Int64(ContainerHeader.bigEndian(header, 26, 4)) * Int64(ContainerHeader.bigEndian(header, 14, 2) / 8) * channels
    case .wve:
      return 32 + Int64(ContainerHeader.bigEndian(header, 18, 4))
    case .htk:
      return 12 + Int64(ContainerHeader.bigEndian(header, 0, 4)) * 2
    case .mpc2k:
      return 42 + Int64(ContainerHeader.littleEndian(header, 30, 4)) * 2 * (Int64(header[21]) + 1)
    case .sds:
      // Packets of 127 bytes, each with 120 bytes of samples (7 bits a byte).
      let bits = Int64(header[6])
      let frames = Int64(header[10]) | Int64(header[11]) << 7 | Int64(header[12]) << 14
      let perPacket = 120 / ((bits + 6) / 7)
      return 21 + (frames + perPacket - 1) / perPacket * 127
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
