import Foundation

/// Byte-level builders for malformed and hostile inputs, written at test time.
///
/// Every header field is written by hand (little-endian), so a test can lie in exactly one
/// place: a data size, a rate, a channel count, a format tag.
enum HostileInputs {
  /// A canonical 44-byte-header WAV around `data`, with each field overridable.
  static func wav(
    rate: UInt32 = 16000, channels: UInt16 = 1, bits: UInt16 = 16, formatTag: UInt16 = 1,
    data: Data, declaredDataBytes: UInt32? = nil
  ) -> Data {
    let blockAlign = UInt16(truncatingIfNeeded: Int(channels) * Int(bits) / 8)
    var fmt = Data()
    fmt.append(ascii: "fmt ")
    fmt.append(le32: 16)
    fmt.append(le16: formatTag)
    fmt.append(le16: channels)
    fmt.append(le32: rate)
    fmt.append(le32: rate &* UInt32(blockAlign))
    fmt.append(le16: blockAlign)
    fmt.append(le16: bits)
    var body = Data()
    body.append(ascii: "WAVE")
    body.append(fmt)
    body.append(ascii: "data")
    body.append(le32: declaredDataBytes ?? UInt32(data.count))
    body.append(data)
    var file = Data()
    file.append(ascii: "RIFF")
    file.append(le32: UInt32(body.count))
    file.append(body)
    return file
  }

  /// An RF64 file whose ds64 chunk announces `frames` 16-bit mono frames at 16 kHz, followed by
  /// the little `data` there really is.
  static func rf64(announcingFrames frames: UInt64, data: Data) -> Data {
    var body = Data()
    body.append(ascii: "WAVE")
    body.append(ascii: "ds64")
    body.append(le32: 28)
    body.append(le64: 36 + frames * 2)
    body.append(le64: frames * 2)
    body.append(le64: frames)
    body.append(le32: 0)
    body.append(ascii: "fmt ")
    body.append(le32: 16)
    body.append(le16: 1)
    body.append(le16: 1)
    body.append(le32: 16000)
    body.append(le32: 32000)
    body.append(le16: 2)
    body.append(le16: 16)
    body.append(ascii: "data")
    body.append(le32: 0xFFFF_FFFF)
    body.append(data)
    var file = Data()
    file.append(ascii: "RF64")
    file.append(le32: 0xFFFF_FFFF)
    file.append(body)
    return file
  }

  /// `frames` frames of 16-bit PCM: a quiet 250 Hz tone at 16 kHz.
  static func pcm16(frames: Int, channels: Int = 1) -> Data {
    var data = Data(capacity: frames * channels * 2)
    for index in 0..<frames {
      let value = Int16(8000 * sin(Double(index) * 2 * .pi * 250 / 16000))
      for _ in 0..<channels { data.append(le16: UInt16(bitPattern: value)) }
    }
    return data
  }

  /// 32-bit float samples, as given.
  static func float32(_ samples: [Float]) -> Data {
    var data = Data(capacity: samples.count * 4)
    for sample in samples { data.append(le32: sample.bitPattern) }
    return data
  }

  /// `bytes` with `count` bytes inverted from the middle on: damage a decoder must survive.
  static func flippingMiddle(of bytes: Data, count: Int = 512) -> Data {
    var copy = [UInt8](bytes)
    let start = copy.count / 2
    for index in start..<min(copy.count, start + count) { copy[index] ^= 0xFF }
    return Data(copy)
  }
}

extension Data {
  mutating func append(ascii text: String) { append(contentsOf: Array(text.utf8)) }
  mutating func append(le16 value: UInt16) { Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) } }
  mutating func append(le32 value: UInt32) { Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) } }
  mutating func append(le64 value: UInt64) { Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) } }
}
