/// A WAV header for a stream whose length is not known when it starts (a pipe).
///
/// libsndfile cannot write WAV to a pipe, so audioprep writes its own 44-byte header with the
/// RIFF and data sizes set to 0xFFFFFFFF ("until end of stream"), as FFmpeg does on pipes.
public enum StreamingWAVHeader {
  /// The header bytes for `format` with `encoding` (PCM, or IEEE float for f32).
  public static func bytes(for format: StreamFormat, encoding: SampleEncoding) -> [UInt8] {
    let bytesPerSample = encoding.bytesPerSample
    let blockAlign = bytesPerSample * format.channels
    var header: [UInt8] = []
    header.reserveCapacity(44)
    func ascii(_ text: String) { header.append(contentsOf: Array(text.utf8)) }
    func le32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { header.append(contentsOf: $0) } }
    func le16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { header.append(contentsOf: $0) } }
    ascii("RIFF")
    le32(0xFFFF_FFFF)
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
    le32(0xFFFF_FFFF)
    return header
  }
}
