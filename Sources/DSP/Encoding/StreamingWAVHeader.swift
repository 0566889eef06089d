/// The 44-byte WAV header audioprep writes to a pipe, where libsndfile cannot write WAV.
///
/// With the stream's length known in advance (`frames`), the RIFF and data sizes are exact, as
/// sox writes them; otherwise, or beyond 4 GiB, they are 0xFFFFFFFF ("until end of stream"), as
/// FFmpeg writes them on pipes.
public enum StreamingWAVHeader {
  /// The data size a header for `frames` states, or nil when it cannot (unknown, or more than
  /// a WAV's 32-bit sizes hold: then the header streams, sizes 0xFFFFFFFF).
  static func exactDataBytes(for format: StreamFormat, encoding: SampleEncoding, frames: Int?) -> UInt32? {
    guard let frames, frames >= 0 else { return nil }
    let (bytes, overflow) = frames.multipliedReportingOverflow(by: encoding.bytesPerSample * format.channels)
    return !overflow && bytes <= 0xFFFF_FFFF - 36 ? UInt32(bytes) : nil
  }

  /// The header bytes for `format` with `encoding` (PCM, or IEEE float for f32).
  public static func bytes(for format: StreamFormat, encoding: SampleEncoding, frames: Int? = nil) -> [UInt8] {
    let bytesPerSample = encoding.bytesPerSample
    let blockAlign = bytesPerSample * format.channels
    let dataBytes = exactDataBytes(for: format, encoding: encoding, frames: frames)
    var header: [UInt8] = []
    header.reserveCapacity(44)
    func ascii(_ text: String) { header.append(contentsOf: Array(text.utf8)) }
    func le32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { header.append(contentsOf: $0) } }
    func le16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { header.append(contentsOf: $0) } }
    ascii("RIFF")
    le32(dataBytes.map { $0 + 36 } ?? 0xFFFF_FFFF)
    ascii("WAVE")
    ascii("fmt ")
    le32(16)
    le16(encoding == .f32 ? 3 : 1)
    le16(UInt16(format.channels))
    le32(UInt32(format.sampleRate))
    le32(UInt32(format.sampleRate * blockAlign))
    le16(UInt16(blockAlign))
    le16(UInt16(bytesPerSample * 8))
    ascii("data")
    le32(dataBytes ?? 0xFFFF_FFFF)
    return header
  }
}
