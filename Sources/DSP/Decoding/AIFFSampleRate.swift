/// The sample rate an AIFF's `COMM` chunk declares, an 80-bit extended float, read as it is:
/// libsndfile turns NaN, infinity and anything above 2^26 into 67108864 Hz, so that a refusal
/// would name a rate the file does not hold.
enum AIFFSampleRate {
  /// The declared rate (NaN, ±infinity or any value), or nil when the input at `start` is not
  /// an AIFF with a `COMM` chunk.
  static func declared(_ input: InputBytes, from start: Int64) -> Double? {
    let head = input.read(at: start, count: 12)
    guard head.count == 12, head.starts(with: Array("FORM".utf8)),
      ["AIFF", "AIFC"].contains(String(decoding: head[8..<12], as: UTF8.self))
    else { return nil }
    var at = start + 12
    for _ in 0..<256 {
      let header = input.read(at: at, count: 8)
      guard header.count == 8 else { return nil }
      let size = Int64(UInt32(bigEndian: header, at: 4))
      if header.starts(with: Array("COMM".utf8)) {
        let fields = input.read(at: at + 8, count: 18)
        guard fields.count == 18 else { return nil }
        return extended(Array(fields[8..<18]))
      }
      at += 8 + size + size & 1
    }
    return nil
  }

  /// An IEEE 754 80-bit extended float: sign, 15-bit exponent, 64-bit mantissa (explicit
  /// integer bit).
  static func extended(_ bytes: [UInt8]) -> Double {
    let sign: Double = bytes[0] & 0x80 != 0 ? -1 : 1
    let exponent = Int(bytes[0] & 0x7F) << 8 | Int(bytes[1])
    let mantissa = UInt64(bigEndian: bytes, at: 2)
    if exponent == 0x7FFF { return mantissa << 1 == 0 ? sign * .infinity : .nan }
    return sign * Double(mantissa) * Double(sign: .plus, exponent: exponent - 16383 - 63, significand: 1)
  }
}
