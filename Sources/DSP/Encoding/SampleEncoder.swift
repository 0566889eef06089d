/// How samples leave audioprep for an output encoding: the one switch over encodings that every
/// sink uses (a file through libsndfile, a raw or WAV stream, a golden-file comparison).
///
/// Integer encodings are quantized by `SampleQuantizer` (scaled by 2^(bits−1), rounded, clipped
/// and counted, optionally dithered); `f32` passes floats through unclipped; a lossy codec takes
/// floats clamped to [−1, 1] (and counted).
public struct SampleEncoder {
  /// One encoded block, as the writer takes it.
  public enum Block {
    case int16([Int16])
    /// Left-justified in 32 bits, as libsndfile's `sf_write_int` expects; `bits` is 24 or 32.
    case int32([Int32], bits: Int)
    case float([Float])
  }

  public let encoding: SampleEncoding
  /// Floats are clamped to [−1, 1] (lossy codecs), whatever `encoding` says.
  public let clampsFloats: Bool
  private var quantizer: SampleQuantizer
  // Reused block to block: a returned `Block` shares them until the caller lets it go.
  private var shorts: [Int16] = []
  private var ints: [Int32] = []
  private var floats: [Float] = []

  /// Samples clipped (or clamped) so far.
  public var clippedSamples: Int { quantizer.clippedSamples }

  /// The encoder for an output of `format`: its encoding, floats clamped for a lossy codec, and
  /// every other field of `format` that shapes samples (`dither`). An output option that changes
  /// how samples are encoded is a field of `OutputFileFormat` read here, and nowhere between.
  public init(format: OutputFileFormat) {
    encoding = format.encoding
    clampsFloats = format.container.isLossy
    quantizer = SampleQuantizer(dither: format.dither)
  }

  /// `samples` encoded.
  public mutating func encode(_ samples: [Float]) -> Block {
    if clampsFloats {
      quantizer.clamp(samples, into: &floats)
      return .float(floats)
    }
    switch encoding {
    case .s16:
      quantizer.quantize16(samples, into: &shorts)
      return .int16(shorts)
    case .s24, .s32:
      let bits = encoding == .s24 ? 24 : 32
      quantizer.quantize32(samples, bits: bits, into: &ints)
      return .int32(ints, bits: bits)
    case .f32:
      return .float(samples)
    }
  }

  /// `samples` as little-endian bytes of `encoding` (s24 packed in 3 bytes), for raw streams.
  public mutating func littleEndianBytes(_ samples: [Float], into bytes: inout [UInt8]) {
    bytes.removeAll(keepingCapacity: true)
    switch encode(samples) {
    case .int16(let shorts):
      shorts.withUnsafeBytes { bytes.append(contentsOf: $0) }
    case .int32(let ints, bits: 24):
      bytes.reserveCapacity(ints.count * 3)
      for value in ints {
        let sample = UInt32(bitPattern: value) >> 8
        bytes.append(UInt8(truncatingIfNeeded: sample))
        bytes.append(UInt8(truncatingIfNeeded: sample >> 8))
        bytes.append(UInt8(truncatingIfNeeded: sample >> 16))
      }
    case .int32(let ints, bits: _):
      ints.withUnsafeBytes { bytes.append(contentsOf: $0) }
    case .float(let floats):
      floats.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }
  }

  /// The values an output of `encoding` would hold, back as floats (for comparing with a golden
  /// file as it would be stored).
  public mutating func storedValues(_ samples: [Float]) -> [Float] {
    switch encode(samples) {
    case .int16(let shorts): shorts.map { Float($0) / 32768 }
    case .int32(let ints, bits: _): ints.map { Float(Double($0) / 2_147_483_648) }
    case .float(let floats): floats
    }
  }
}
