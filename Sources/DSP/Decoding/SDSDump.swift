/// A MIDI Sample Dump (SDS): a 21-byte dump header that declares the sample's length, then
/// data packets of 127 bytes, each holding 120 bytes of samples packed 7 bits to a byte.
///
/// libsndfile takes the length from the dump header and, from a file cut short, goes on past
/// its last data packet with samples it makes up (a periodic waveform, the full declared
/// length, no warning). Only whole packets are decoded, as FFmpeg does, and the header's
/// length makes the `truncated` warning.
struct SDSDump {
  /// The frames the dump header declares.
  let declaredFrames: Int64
  /// Frames one data packet holds: 120 bytes of 7-bit groups, `(bits + 6) / 7` to a sample.
  let framesPerPacket: Int64

  static let headerBytes: Int64 = 21
  static let packetBytes: Int64 = 127

  /// The dump header at the start of `header`; nil when it is not one.
  init?(_ header: [UInt8]) {
    guard header.count >= Int(Self.headerBytes), header[0] == 0xF0, header[1] == 0x7E, header[3] == 0x01 else { return nil }
    let bits = Int64(header[6])
    guard (8...28).contains(bits) else { return nil }
    declaredFrames = Int64(header[10]) | Int64(header[11]) << 7 | Int64(header[12]) << 14
    framesPerPacket = 120 / ((bits + 6) / 7)
  }

  /// Frames the whole data packets among `inputBytes` bytes hold.
  func frames(inputBytes: Int64) -> Int64 {
    max(0, inputBytes - Self.headerBytes) / Self.packetBytes * framesPerPacket
  }
}
