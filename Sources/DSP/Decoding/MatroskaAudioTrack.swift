/// The rate and channels of a Matroska (WebM) file's first audio track, read from its header by
/// walking its elements (EBML: an ID, a size, the data): EBML header, Segment, Tracks,
/// TrackEntry, Audio, then SamplingFrequency (`B5`, a float of 4 or 8 bytes; 8000 Hz when
/// absent) and Channels (`9F`; 1 when absent). A search for the bytes `B5 88` found them in a
/// SegmentUID's 16 random bytes (a rate of 0 Hz, and three parts joined were refused naming the
/// wrong one).
enum MatroskaAudioTrack {
  /// The EBML header's ID, which a Matroska file starts with.
  private static let ebml: [UInt8] = [0x1A, 0x45, 0xDF, 0xA3]
  /// Elements walked into; any other is stepped over by its size.
  private static let containers: Set<UInt64> = [0x1853_8067, 0x1654_AE6B, 0xAE, 0xE1]
  private static let audio: UInt64 = 0xE1
  private static let rate: UInt64 = 0xB5
  private static let channels: UInt64 = 0x9F
  /// Elements looked at before giving up: a header's are few.
  private static let elementLimit = 512

  static func parameters(_ header: [UInt8]) -> (rate: Int, channels: Int)? {
    guard let track = declared(header), track.rate.isFinite, track.rate >= 1, track.rate < 1e9, track.channels > 0 else { return nil }
    return (Int(track.rate), track.channels)
  }

  /// The refusal of a header whose audio track declares a rate that is none (not finite, under
  /// 1 Hz, or 1e9 and over): FFmpeg would decode it at 8000 Hz (review39 F06: audio at that rate
  /// was written before the timestamps refused it). nil for any other header.
  static func impossibleRate(_ header: [UInt8]) -> String? {
    guard let rate = declared(header)?.rate, !(rate.isFinite && rate >= 1 && rate < 1e9) else { return nil }
    return "its audio track declares a sample rate of \(rate) Hz"
  }

  /// The first audio track's rate and channels as declared, whatever their values.
  private static func declared(_ header: [UInt8]) -> (rate: Double, channels: Int)? {
    guard header.starts(with: ebml) else { return nil }
    var at = 0
    var audioEnd: Int?
    var rate = 8000.0
    var rateRead = false
    var channels = 1
    for _ in 0..<elementLimit {
      guard let id = vint(header, at, keepsMarker: true), let size = vint(header, at + id.length, keepsMarker: false) else { break }
      let data = at + id.length + size.length
      if let end = audioEnd, at >= end { break }
      if id.value == audio {
        audioEnd = size.isUnknown ? header.count : data + Int(clamping: size.value)
      } else if audioEnd != nil, !size.isUnknown, data + Int(clamping: size.value) <= header.count {
        let bytes = header[data..<data + Int(size.value)]
        let value = bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        if id.value == Self.rate, size.value == 8 { (rate, rateRead) = (Double(bitPattern: value), true) }
        if id.value == Self.rate, size.value == 4 { (rate, rateRead) = (Double(Float(bitPattern: UInt32(value))), true) }
        if id.value == Self.channels, (1...8).contains(size.value) { channels = Int(clamping: value) }
      }
      if containers.contains(id.value) {
        at = data
      } else if size.isUnknown {
        break
      } else {
        at = data + Int(clamping: min(size.value, UInt64(header.count)))
      }
    }
    // The Audio element whole, or its rate read before the header's bytes end.
    guard let audioEnd, audioEnd <= header.count || rateRead else { return nil }
    return (rate, channels)
  }

  /// An EBML variable-length integer at `at`: its value (with the length marker for an ID,
  /// without it for a size) and length; a size of all ones is unknown (a live stream's Segment).
  private static func vint(_ bytes: [UInt8], _ at: Int, keepsMarker: Bool) -> (value: UInt64, length: Int, isUnknown: Bool)? {
    guard at < bytes.count, bytes[at] != 0 else { return nil }
    let length = bytes[at].leadingZeroBitCount + 1
    guard at + length <= bytes.count else { return nil }
    let first = keepsMarker ? UInt64(bytes[at]) : UInt64(bytes[at] & (0xFF >> length))
    let value = bytes[at + 1..<at + length].reduce(first) { $0 << 8 | UInt64($1) }
    let isUnknown = !keepsMarker && value == (UInt64(1) << (7 * length)) - 1
    return (value, length, isUnknown)
  }
}
