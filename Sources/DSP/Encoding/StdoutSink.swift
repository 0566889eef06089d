import Glibc

/// Writes little-endian PCM (s16 by default, s24, s32 or f32) as a stream, to standard output
/// by default or to any `OutputFile` that cannot seek (a FIFO), optionally behind a streaming
/// WAV header.
public final class StdoutSink: AudioSink {
  public let encoding: SampleEncoding
  private let output: OutputFile
  private var pendingHeader: [UInt8]
  private var encoder: SampleEncoder
  private var bytes: [UInt8] = []

  public var clippedSamples: Int { encoder.clippedSamples }
  /// Bytes written so far, header included.
  public private(set) var bytesWritten: Int64 = 0

  /// `wavHeader` puts a WAV header before the first samples: exact sizes when `expectedFrames`
  /// is known, streaming sizes otherwise (`StreamingWAVHeader`).
  public init(
    stream: StreamFormat, encoding: SampleEncoding = .s16, wavHeader: Bool = false, dither: Bool = false,
    expectedFrames: Int? = nil, output: OutputFile
  ) {
    self.encoding = encoding
    encoder = SampleEncoder(encoding: encoding, dither: dither)
    self.output = output
    pendingHeader = wavHeader ? StreamingWAVHeader.bytes(for: stream, encoding: encoding, frames: expectedFrames) : []
  }

  public func write(_ chunk: AudioChunk) throws {
    if !pendingHeader.isEmpty {
      try writeAll(pendingHeader)
      pendingHeader = []
    }
    encoder.littleEndianBytes(chunk.samples, into: &bytes)
    try writeAll(bytes)
  }

  /// An empty stream still gets its header.
  public func finish() throws -> SinkSummary {
    if !pendingHeader.isEmpty {
      try writeAll(pendingHeader)
      pendingHeader = []
    }
    return SinkSummary(clippedSamples: clippedSamples, bytesWritten: bytesWritten)
  }

  public func abort() {}

  private func writeAll(_ data: [UInt8]) throws {
    try data.withUnsafeBytes { try output.write($0) }
    bytesWritten += Int64(data.count)
  }
}
