/// The rate and channel count a FLAC stream's first frame header codes, to check STREAMINFO
/// against: libsndfile takes STREAMINFO's word for both, FFmpeg and libFLAC's own tools the
/// frame's, so a STREAMINFO that lies (655350 Hz over 22050 Hz frames) made the audio 30 times
/// too short, exit 0.
enum FLACFrameFormat {
  /// The first frame's rate and sample size (each nil when its header defers to STREAMINFO)
  /// and channels, for the stream starting at `start`; nil when the metadata cannot be walked
  /// or no frame header follows it.
  static func first(_ input: InputBytes, from start: Int64 = 0) -> (rate: Int?, channels: Int, bits: Int?, blockSize: Int?)? {
    guard input.read(at: start, count: 4) == Array("fLaC".utf8) else { return nil }
    var at: Int64 = start + 4
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

  /// Sample sizes of the codes 0 to 7 (0: STREAMINFO's; 3: reserved).
  private static let sampleSizes = [0, 8, 12, 0, 16, 20, 24, 32]

  /// A frame header's rate, channels, sample size and block size (nil: one it does not code,
  /// or a reserved block-size code).
  static func frame(_ header: [UInt8]) -> (rate: Int?, channels: Int, bits: Int?, blockSize: Int?)? {
    guard header.count >= 6, header[0] == 0xFF, header[1] & 0xFE == 0xF8 else { return nil }
    let blockCode = Int(header[2] >> 4)
    let rateCode = Int(header[2] & 0xF)
    let assignment = Int(header[3] >> 4)
    let sizeCode = Int(header[3] >> 1) & 7
    guard rateCode != 15, assignment <= 10, sizeCode != 3 else { return nil }
    let channels = assignment < 8 ? assignment + 1 : 2
    let bits = sizeCode == 0 ? nil : sampleSizes[sizeCode]
    // After the coded frame or sample number (UTF-8-like: its first byte's leading ones give
    // its length): the block size's extra bytes, then the rate's.
    let leading = header[4].leadingZeroBitCount == 0 ? (~header[4]).leadingZeroBitCount : 1
    let sizeAt = 4 + leading
    let blockSize: Int? =
      switch blockCode {
      case 1: 192
      case 2...5: 576 << (blockCode - 2)
      case 6 where sizeAt < header.count: Int(header[sizeAt]) + 1
      case 7 where sizeAt + 1 < header.count: (Int(header[sizeAt]) << 8 | Int(header[sizeAt + 1])) + 1
      case 8...15: 256 << (blockCode - 8)
      default: nil
      }
    if rateCode == 0 { return (nil, channels, bits, blockSize) }
    if rateCode < 12 { return (rates[rateCode], channels, bits, blockSize) }
    let at = sizeAt + (blockCode == 6 ? 1 : blockCode == 7 ? 2 : 0)
    guard at + 2 <= header.count else { return nil }
    let value = rateCode == 12 ? Int(header[at]) * 1000 : (Int(header[at]) << 8 | Int(header[at + 1])) * (rateCode == 14 ? 10 : 1)
    return (value, channels, bits, blockSize)
  }
}

extension FLACFrameFormat {
  /// Where the last frame whose header lies in `tail` (an input's last bytes) ends, in samples:
  /// its coded sample number (a variable block size), or frame number × `blockSize` (a fixed
  /// one: STREAMINFO's), plus its own block size. nil when no frame header is found.
  ///
  /// STREAMINFO's total can be smaller than the stream: libsndfile stops at it, FFmpeg and
  /// libFLAC's own tools decode every frame. A header is taken only when its CRC-8 holds.
  static func lastFrameEnd(tail: [UInt8], blockSize: Int) -> Int64? {
    lastHeader(in: tail, blockSize: blockSize) { _ in true }.map { $0.frame.start + Int64($0.frame.samples) }
  }

  /// What changes between STREAMINFO (its 34 bytes) and the last frame whose header lies in
  /// `tail`: frames of another FLAC joined on without its `fLaC` header (review39 F16: a 44.1 kHz
  /// stereo FLAC's frames after a 22.05 kHz mono one's were dropped without a word), as
  /// audioprep's refusal says it; nil when the rate and channels agree.
  static func formatChange(tail: [UInt8], streamInfo: [UInt8], blockSize: Int) -> String? {
    guard streamInfo.count == 34, let last = lastHeader(in: tail, blockSize: blockSize, where: { _ in true }),
      let format = frame(Array(tail[last.offset..<min(tail.count, last.offset + 16)]))
    else { return nil }
    // STREAMINFO read as a FLAC header's is (`ContainerHeader`).
    guard let declared = ContainerHeader.Kind.flac.parameters(Array("fLaC".utf8) + [0x80, 0, 0, 34] + streamInfo) else { return nil }
    let (rate, channels) = (declared.rate, declared.channels)
    let after = "in the FLAC frames near its end, which are not STREAMINFO's stream; audioprep does not follow such changes"
    if let frameRate = format.rate, frameRate != rate { return "the sample rate changes from \(rate) to \(frameRate) Hz \(after)" }
    if format.channels != channels { return "the channel count changes from \(channels) to \(format.channels) \(after)" }
    return nil
  }

  /// Where a stream read up to the end of `tail` (its last bytes) can be decoded again from a
  /// frame's start: the last frame header in `tail` whose first sample lies in `range`, as its
  /// offset in `tail` and that sample. A header is taken only when its CRC-8 holds.
  static func lastFrame(in tail: [UInt8], startingIn range: ClosedRange<Int64>, blockSize: Int) -> (offset: Int, sample: Int64)? {
    lastHeader(in: tail, blockSize: blockSize) { range.contains($0.start) }.map { ($0.offset, $0.frame.start) }
  }

  /// The last frame header in `tail` that `accepts`, searched from the end.
  private static func lastHeader(
    in tail: [UInt8], blockSize: Int, where accepts: ((start: Int64, samples: Int)) -> Bool
  ) -> (offset: Int, frame: (start: Int64, samples: Int))? {
    var at = tail.count - 6
    while at >= 0 {
      if let frame = frame(tail, at: at, blockSize: blockSize), accepts(frame) { return (at, frame) }
      at -= 1
    }
    return nil
  }

  /// The frame whose header starts at `start` in `bytes`: its first sample and its block size;
  /// nil when no header is there (sync code, reserved values and CRC-8 checked).
  private static func frame(_ bytes: [UInt8], at start: Int, blockSize: Int) -> (start: Int64, samples: Int)? {
    guard start + 6 <= bytes.count, bytes[start] == 0xFF, bytes[start + 1] & 0xFE == 0xF8 else { return nil }
    let variable = bytes[start + 1] & 1 != 0
    let blockCode = Int(bytes[start + 2] >> 4)
    let rateCode = Int(bytes[start + 2] & 0xF)
    guard blockCode != 0, rateCode != 15, bytes[start + 3] >> 4 <= 10, bytes[start + 3] & 1 == 0,
      (bytes[start + 3] >> 1) & 7 != 3, (bytes[start + 3] >> 1) & 7 != 7
    else { return nil }
    // The coded number: UTF-8-like, up to 7 bytes (36 bits).
    var at = start + 4
    let first = bytes[at]
    let extra = first < 0x80 ? 0 : first.leadingZeroBitCount == 0 ? (~first).leadingZeroBitCount - 1 : -1
    guard (0...6).contains(extra), first & 0xC0 != 0x80, at + 1 + extra <= bytes.count else { return nil }
    var number = Int64(first) & (extra == 0 ? 0x7F : Int64(0x3F) >> Int64(extra))
    for index in 1...max(1, extra) where extra > 0 {
      let byte = bytes[at + index]
      guard byte & 0xC0 == 0x80 else { return nil }
      number = number << 6 | Int64(byte & 0x3F)
    }
    at += 1 + extra
    var frameBlock: Int
    switch blockCode {
    case 1: frameBlock = 192
    case 2...5: frameBlock = 576 << (blockCode - 2)
    case 6, 7:
      let width = blockCode == 6 ? 1 : 2
      guard at + width <= bytes.count else { return nil }
      frameBlock = (width == 1 ? Int(bytes[at]) : Int(bytes[at]) << 8 | Int(bytes[at + 1])) + 1
      at += width
    default: frameBlock = 256 << (blockCode - 8)
    }
    at += rateCode == 12 ? 1 : (rateCode == 13 || rateCode == 14) ? 2 : 0
    guard at < bytes.count, crc8(bytes[start..<at]) == bytes[at] else { return nil }
    return (variable ? number : number * Int64(blockSize), frameBlock)
  }

  /// FLAC's header CRC-8 (polynomial x^8 + x^2 + x + 1, initial 0).
  private static func crc8(_ bytes: ArraySlice<UInt8>) -> UInt8 {
    var crc: UInt8 = 0
    for byte in bytes {
      crc ^= byte
      for _ in 0..<8 { crc = crc & 0x80 != 0 ? (crc << 1) ^ 0x07 : crc << 1 }
    }
    return crc
  }
}
