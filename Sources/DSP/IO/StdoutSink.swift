import Glibc

/// Writes little-endian PCM (s16 by default, s24, s32 or f32) as a stream, to standard output
/// by default or to any `OutputFile` that cannot seek (a FIFO), optionally behind a streaming
/// WAV header.
public final class StdoutSink: AudioSink {
  public let encoding: SampleEncoding
  private let output: OutputFile
  private var pendingHeader: [UInt8]
  private var quantizer: SampleQuantizer
  private var shorts: [Int16] = []
  private var ints: [Int32] = []
  private var bytes: [UInt8] = []

  public var clippedSamples: Int { quantizer.clippedSamples }
  /// Bytes written so far, header included.
  public private(set) var bytesWritten: Int64 = 0

  /// `wavHeader` puts a WAV header before the first samples: exact sizes when `expectedFrames`
  /// is known, streaming sizes otherwise (`StreamingWAVHeader`).
  public init(
    stream: StreamFormat, encoding: SampleEncoding = .s16, wavHeader: Bool = false, dither: Bool = false,
    expectedFrames: Int? = nil, output: OutputFile
  ) {
    self.encoding = encoding
    quantizer = SampleQuantizer(dither: dither)
    self.output = output
    pendingHeader = wavHeader ? StreamingWAVHeader.bytes(for: stream, encoding: encoding, frames: expectedFrames) : []
  }

  public func write(_ chunk: AudioChunk) throws {
    if !pendingHeader.isEmpty {
      try writeAll(pendingHeader)
      pendingHeader = []
    }
    bytes.removeAll(keepingCapacity: true)
    switch encoding {
    case .s16:
      quantizer.quantize16(chunk.samples, into: &shorts)
      shorts.withUnsafeBytes { bytes.append(contentsOf: $0) }
    case .s24:
      quantizer.quantize32(chunk.samples, bits: 24, into: &ints)
      for value in ints {
        let sample = UInt32(bitPattern: value) >> 8
        bytes.append(UInt8(truncatingIfNeeded: sample))
        bytes.append(UInt8(truncatingIfNeeded: sample >> 8))
        bytes.append(UInt8(truncatingIfNeeded: sample >> 16))
      }
    case .s32:
      quantizer.quantize32(chunk.samples, bits: 32, into: &ints)
      ints.withUnsafeBytes { bytes.append(contentsOf: $0) }
    case .f32:
      chunk.samples.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }
    try writeAll(bytes)
  }

  /// An empty stream still gets its header.
  public func finish() throws {
    if !pendingHeader.isEmpty {
      try writeAll(pendingHeader)
      pendingHeader = []
    }
  }

  public func abort() {}

  private func writeAll(_ data: [UInt8]) throws {
    try data.withUnsafeBytes { try output.write($0) }
    bytesWritten += Int64(data.count)
  }
}
