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

  /// `format` is `raw` or `wav` (a stream cannot seek back to a header). A WAV header goes
  /// before the first samples: exact sizes when `expectedFrames` is known, streaming sizes
  /// otherwise (`StreamingWAVHeader`).
  package init(
    stream: StreamFormat, format: OutputFileFormat = OutputFileFormat(container: .raw), expectedFrames: Int? = nil,
    output: OutputFile
  ) {
    let encoding = format.encoding
    let wavHeader = format.container == .wav
    self.encoding = encoding
    encoder = SampleEncoder(format: format)
    self.output = output
    pendingHeader = wavHeader ? StreamingWAVHeader.bytes(for: stream, encoding: encoding, frames: expectedFrames) : []
    if wavHeader, let exact = StreamingWAVHeader.exactDataBytes(for: stream, encoding: encoding, frames: expectedFrames) {
      promisedSampleBytes = Int64(exact)
    }
  }

  /// The data size an exact WAV header announced (a FLAC's STREAMINFO length, taken before
  /// decoding); nil for raw output and streaming sizes (a length too large for a WAV's sizes:
  /// nothing is owed then).
  private var promisedSampleBytes: Int64?
  private var sampleBytesWritten: Int64 = 0

  public func write(_ chunk: AudioChunk) throws {
    if !pendingHeader.isEmpty {
      try writeAll(pendingHeader)
      pendingHeader = []
    }
    encoder.littleEndianBytes(chunk.samples, into: &bytes)
    try writeAll(bytes)
    sampleBytesWritten += Int64(bytes.count)
  }

  /// An empty stream still gets its header. A header that announced more samples than came (a
  /// damaged FLAC decoding short of its STREAMINFO, which the truncation warning reports) is
  /// kept true: the rest is silence, so that no reader takes the stream for a cut one.
  public func finish() throws -> SinkSummary {
    if !pendingHeader.isEmpty {
      try writeAll(pendingHeader)
      pendingHeader = []
    }
    if let promisedSampleBytes, sampleBytesWritten < promisedSampleBytes {
      var missing = promisedSampleBytes - sampleBytesWritten
      let silence = [UInt8](repeating: 0, count: Int(min(missing, 1 << 16)))
      while missing > 0 {
        try writeAll(Array(silence.prefix(Int(min(missing, Int64(silence.count))))))
        missing -= min(missing, Int64(silence.count))
      }
      sampleBytesWritten = promisedSampleBytes
    }
    return SinkSummary(clippedSamples: clippedSamples, bytesWritten: bytesWritten)
  }

  public func abort() {}

  private func writeAll(_ data: [UInt8]) throws {
    try data.withUnsafeBytes { try output.write($0) }
    bytesWritten += Int64(data.count)
  }
}
