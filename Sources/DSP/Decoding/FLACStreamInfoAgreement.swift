/// A FLAC's STREAMINFO against its first frame header: a rate of 0, or a rate, channel count or
/// sample size the frames contradict, is an input fault (65), said the same whichever decoder
/// reads the input and before anything is decoded. (libsndfile takes STREAMINFO's word,
/// FFmpeg the frame's: a STREAMINFO of 1048575 Hz or 2 channels over 22050 Hz mono frames passed
/// FFmpeg's reading without a word, and one of 0 Hz was blamed on the timestamps after audio
/// had gone to standard output: review36 T5, T6.)
enum FLACStreamInfoAgreement {
  /// The refusal of the FLAC stream in `input` (after any ID3v2 tag), e.g. "STREAMINFO declares
  /// 1048575 Hz, the frames 22050 Hz"; nil when it is not a FLAC, they agree, or the bytes
  /// needed cannot be read (a pipe's metadata past its window).
  static func refusal(_ input: InputBytes) -> String? {
    let start = ID3v2Tag.anyLength(input)
    let streamInfo = input.read(at: start, count: 8 + 18)
    guard streamInfo.count == 26, streamInfo.starts(with: Array("fLaC".utf8)), streamInfo[4] & 0x7F == 0 else { return nil }
    let rate = Int(streamInfo[18]) << 12 | Int(streamInfo[19]) << 4 | Int(streamInfo[20] >> 4)
    let channels = Int((streamInfo[20] >> 1) & 7) + 1
    let bits = (Int(streamInfo[20] & 1) << 4 | Int(streamInfo[21] >> 4)) + 1
    if rate == 0 { return "header declares a sample rate of 0 Hz" }
    guard let frame = FLACFrameFormat.first(input, from: start) else { return nil }
    if let frameRate = frame.rate, frameRate != rate { return "STREAMINFO declares \(rate) Hz, the frames \(frameRate) Hz" }
    if frame.channels != channels { return "STREAMINFO declares \(channels) channels, the frames \(frame.channels)" }
    if let frameBits = frame.bits, frameBits != bits { return "STREAMINFO declares \(bits) bits per sample, the frames \(frameBits)" }
    // A fixed block size (minimum = maximum) the first frame does not have, unless it is the
    // whole stream's only frame: libsndfile reads the frames by STREAMINFO's size and decoded
    // wrong samples from the second frame on (review37a U25: 4096 declared over frames of 2304).
    let minimum = Int(streamInfo[8]) << 8 | Int(streamInfo[9])
    let maximum = Int(streamInfo[10]) << 8 | Int(streamInfo[11])
    let total = Int64(streamInfo[21] & 0xF) << 32 | streamInfo[22..<26].reduce(Int64(0)) { $0 << 8 | Int64($1) }
    if let frameBlock = frame.blockSize, minimum == maximum, frameBlock != maximum, total == 0 || total > Int64(frameBlock) {
      return "STREAMINFO declares blocks of \(maximum) samples, the frames \(frameBlock)"
    }
    if let frameBlock = frame.blockSize, maximum >= 16, frameBlock > maximum {
      return "STREAMINFO declares blocks of at most \(maximum) samples, the frames \(frameBlock)"
    }
    return nil
  }
}
