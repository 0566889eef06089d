import CSndFile

/// How much audio a header announced, recovered from libsndfile's header log, so that a file
/// cut short can be told apart from one that simply ended.
///
/// libsndfile quietly shortens `SF_INFO.frames` to what a seekable file holds and only notes
/// the header's own figure in its log (`SFC_GET_LOG_INFO`): `data : 159034 (should be 79956)`
/// for WAV, `SSND : …` for AIFF (whose size includes 8 bytes of offset and block size), and
/// `Data size : …` from an RF64 `ds64` chunk, `data : …` for CAF (whose size includes a 4-byte
/// edit count). The streaming conventions 0, -1 and 0xFFFFFFFF ("until the end") announce
/// nothing.
enum AnnouncedLength {
  /// Frames the header's data size announces, or nil when it announces none, the encoding has
  /// no fixed frame size, or the container is not WAV, RF64, AIFF or CAF.
  static func frames(log: String, format: Int32, channels: Int) -> Int64? {
    let containers = [SF_FORMAT_WAV, SF_FORMAT_WAVEX, SF_FORMAT_RF64, SF_FORMAT_AIFF, SF_FORMAT_CAF].map { Int32($0) }
    let container = format & Int32(SF_FORMAT_TYPEMASK)
    guard containers.contains(container),
      let bytesPerSample = bytesPerSample(format: format), channels > 0
    else { return nil }
    var announced: Int64?
    for line in log.split(separator: "\n") {
      let text = line.drop { $0 == " " }
      let dataOverhead: Int64 = container == Int32(SF_FORMAT_CAF) ? 4 : 0
      for (label, overhead) in [("data :", dataOverhead), ("SSND :", Int64(8)), ("Data size :", Int64(0))]
      where text.hasPrefix(label) {
        let token = text.dropFirst(label.count).drop { $0 == " " }.prefix { $0 != " " }
        guard let bytes = Int64(token), bytes > 0, bytes != 0xFFFF_FFFF else { continue }
        // An RF64 ds64 size is the real one; the 32-bit data size beside it is a placeholder.
        if label == "Data size :" || announced == nil {
          announced = max(0, bytes - overhead) / Int64(bytesPerSample * channels)
        }
      }
    }
    return announced
  }

  /// Bytes one sample takes in the data chunk, for the fixed-size encodings.
  static func bytesPerSample(format: Int32) -> Int? {
    switch format & Int32(SF_FORMAT_SUBMASK) {
    case Int32(SF_FORMAT_PCM_S8), Int32(SF_FORMAT_PCM_U8), Int32(SF_FORMAT_ULAW), Int32(SF_FORMAT_ALAW): 1
    case Int32(SF_FORMAT_PCM_16): 2
    case Int32(SF_FORMAT_PCM_24): 3
    case Int32(SF_FORMAT_PCM_32), Int32(SF_FORMAT_FLOAT): 4
    case Int32(SF_FORMAT_DOUBLE): 8
    default: nil
    }
  }
}
