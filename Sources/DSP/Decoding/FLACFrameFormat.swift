/// The rate and channel count a FLAC stream's first frame header codes, to check STREAMINFO
/// against: libsndfile takes STREAMINFO's word for both, FFmpeg and libFLAC's own tools the
/// frame's, so a STREAMINFO that lies (655350 Hz over 22050 Hz frames) made the audio 30 times
/// too short, exit 0.
enum FLACFrameFormat {
  /// The first frame's rate (nil when its header defers to STREAMINFO) and channels; nil when
  /// the metadata cannot be walked or no frame header follows it.
  static func first(_ input: InputBytes) -> (rate: Int?, channels: Int)? {
    guard input.read(at: 0, count: 4) == Array("fLaC".utf8) else { return nil }
    var at: Int64 = 4
    for _ in 0..<4096 {
      let block = input.read(at: at, count: 4)
      guard block.count == 4 else { return nil }
      at += 4 + Int64(block[1...3].reduce(0) { $0 << 8 | Int($1) })
      if block[0] & 0x80 != 0 { return frame(input.read(at: at, count: 16)) }
    }
    return nil
  }

  /// Rates of the codes 1 to 11 (0: STREAMINFO's; 12 to 14: in the header's end; 15: invalid).
  private static let rates = [0, 88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000]

  static func frame(_ header: [UInt8]) -> (rate: Int?, channels: Int)? {
    guard header.count >= 16, header[0] == 0xFF, header[1] & 0xFE == 0xF8 else { return nil }
    let blockCode = Int(header[2] >> 4)
    let rateCode = Int(header[2] & 0xF)
    let assignment = Int(header[3] >> 4)
    guard rateCode != 15, assignment <= 10 else { return nil }
    let channels = assignment < 8 ? assignment + 1 : 2
    if rateCode == 0 { return (nil, channels) }
    if rateCode < 12 { return (rates[rateCode], channels) }
    // After the coded frame or sample number (UTF-8-like: its first byte's leading ones give
    // its length) and the block size's extra bytes.
    let leading = header[4].leadingZeroBitCount == 0 ? (~header[4]).leadingZeroBitCount : 1
    let at = 4 + leading + (blockCode == 6 ? 1 : blockCode == 7 ? 2 : 0)
    guard at + 2 <= header.count else { return nil }
    let value = rateCode == 12 ? Int(header[at]) * 1000 : (Int(header[at]) << 8 | Int(header[at + 1])) * (rateCode == 14 ? 10 : 1)
    return (value, channels)
  }
}
