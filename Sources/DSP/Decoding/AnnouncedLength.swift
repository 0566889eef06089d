import CSndFile

/// How much audio a header announced, recovered from libsndfile's header log, so that a file
/// cut short can be told apart from one that simply ended.
///
/// libsndfile quietly shortens `SF_INFO.frames` to what a seekable file holds and only notes
/// the header's own figure in its log (`SFC_GET_LOG_INFO`): `data : 159034 (should be 79956)`
/// for WAV, `SSND : …` for AIFF (whose size includes 8 bytes of offset and block size), and
/// `Data size : …` from an RF64 `ds64` chunk, `data : …` for CAF (whose size includes a 4-byte
/// edit count; an AIFF's also its `Offset` to the first sample). The streaming conventions 0,
/// -1 and 0xFFFFFFFF ("until the end") announce nothing.
///
/// The containers libsndfile walks itself announce theirs there too: MAT4 and MAT5 the columns
/// of their audio matrix (`Cols : 16000`), 16SV/8SVX its `BODY` size, MPC2K its `Frames`, VOC
/// the size of its sound block (`Extended II : 32012`, 12 bytes of which are the block's own
/// header; `Sound Data : 1002`, 2 of which are).
enum AnnouncedLength {
  /// Frames the header announces, or nil when it announces none, the encoding has no fixed
  /// frame size, or the container is not one of those above.
  static func frames(log: String, format: Int32, channels: Int) -> Int64? {
    let container = format & Int32(SF_FORMAT_TYPEMASK)
    guard let bytesPerSample = bytesPerSample(format: format), channels > 0 else { return nil }
    let frameBytes = Int64(bytesPerSample * channels)
    let lines = log.split(separator: "\n").map { $0.drop { $0 == " " } }
    switch container {
    case Int32(SF_FORMAT_WAV), Int32(SF_FORMAT_WAVEX), Int32(SF_FORMAT_RF64), Int32(SF_FORMAT_AIFF), Int32(SF_FORMAT_CAF):
      return dataChunkFrames(lines, container: container, frameBytes: frameBytes)
    case Int32(SF_FORMAT_MAT4), Int32(SF_FORMAT_MAT5):
      // The audio matrix is the last one: channels rows, frames columns.
      return lines.compactMap { number(after: "Cols :", in: $0, anywhere: true) }.last
    case Int32(SF_FORMAT_SVX):
      return lines.compactMap { number(after: "BODY :", in: $0) }.first.map { $0 / frameBytes }
    case Int32(SF_FORMAT_MPC2K):
      return lines.compactMap { number(after: "Frames :", in: $0) }.first
    case Int32(SF_FORMAT_VOC):
      for line in lines {
        if let size = number(after: "Extended II :", in: line) { return max(0, size - 12) / frameBytes }
        if let size = number(after: "Sound Data :", in: line) { return max(0, size - 2) / frameBytes }
      }
      return nil
    default:
      return nil
    }
  }

  /// A WAV, RF64, AIFF or CAF data chunk's frames.
  private static func dataChunkFrames(_ lines: [Substring], container: Int32, frameBytes: Int64) -> Int64? {
    var announced: Int64?
    var ssnd = false
    for text in lines {
      let dataOverhead: Int64 = container == Int32(SF_FORMAT_CAF) ? 4 : 0
      for (label, overhead) in [("data :", dataOverhead), ("SSND :", Int64(8)), ("Data size :", Int64(0))] {
        guard let bytes = number(after: label, in: text), bytes > 0, bytes != 0xFFFF_FFFF else { continue }
        // An RF64 ds64 size is the real one; the 32-bit data size beside it is a placeholder.
        if label == "Data size :" || announced == nil {
          announced = max(0, bytes - overhead) / frameBytes
          ssnd = label == "SSND :"
        }
      }
      // An AIFF's samples start `Offset` bytes into SSND's data (after its 8 bytes of offset
      // and block size): those bytes hold no frames.
      if ssnd, let offset = number(after: "Offset :", in: text), let frames = announced {
        announced = max(0, frames * frameBytes - offset) / frameBytes
        ssnd = false
      }
    }
    return announced
  }

  /// The number after `label` on a log line ("Cols  : 16000" matches "Cols :"), nil when the
  /// line does not start with that label (or, `anywhere`, hold it) or holds no number there.
  private static func number(after label: String, in line: Substring, anywhere: Bool = false) -> Int64? {
    let name = String(label.dropLast(2))
    var rest = line[...]
    while !rest.hasPrefix(name) {
      guard anywhere, !rest.isEmpty else { return nil }
      rest = rest.dropFirst()
    }
    rest = rest.dropFirst(name.count).drop { $0 == " " }
    guard rest.first == ":" else { return nil }
    return Int64(rest.dropFirst().drop { $0 == " " }.prefix { $0 != " " })
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
