import CSndFile

/// The audio a header declares, read from its own bytes, for the libsndfile containers whose
/// length `AnnouncedLength` does not find in libsndfile's log (W64, AU, SPHERE, AVR, WVE,
/// 8SVX): libsndfile shortens its frame count to what a file holds and says nothing, so a file
/// cut short is told from one that ended only by this. VOC, MAT, 16SV and MPC2K declare theirs
/// in headers libsndfile walks and logs itself (`AnnouncedLength`); IRCAM and PAF declare no
/// length at all.
enum DeclaredAudioLength {
  /// Frames `header` (the input's first bytes, after any tag) declares, in libsndfile's
  /// `format` with `channels`; nil when it declares none, or the encoding has no fixed size.
  static func frames(_ header: [UInt8], format: Int32, channels: Int) -> Int64? {
    guard channels > 0, let bytesPerSample = AnnouncedLength.bytesPerSample(format: format) else { return nil }
    let frameBytes = Int64(bytesPerSample * channels)
    let bytes: Int64?
    switch format & Int32(SF_FORMAT_TYPEMASK) {
    case Int32(SF_FORMAT_AU):
      // Any data offset: one past the end of the input still declares the audio it lacks.
      guard header.starts(with: Array(".snd".utf8)), header.count >= 12 else { return nil }
      let size = ContainerHeader.bigEndian(header, 8, 4)
      bytes = size == 0xFFFF_FFFF ? nil : Int64(size)
    case Int32(SF_FORMAT_NIST):
      guard HeaderedFile.isStreamStart(.sphere, header), let length = HeaderedFile.length(.sphere, header),
        let headerBytes = HeaderedFile.sphereHeaderBytes(header)
      else { return nil }
      bytes = length - Int64(headerBytes)
    case Int32(SF_FORMAT_AVR):
      guard HeaderedFile.isStreamStart(.avr, header), let length = HeaderedFile.length(.avr, header) else { return nil }
      bytes = length - 128
    case Int32(SF_FORMAT_WVE):
      guard HeaderedFile.isStreamStart(.wve, header), let length = HeaderedFile.length(.wve, header) else { return nil }
      bytes = length - 32
    case Int32(SF_FORMAT_W64):
      guard let data = ContainerHeader.find(HeaderedFile.w64Data, in: header) else { return nil }
      // Any size past its 24-byte header, however large (2^62 warned nothing: review34b B3).
      let size = ContainerHeader.littleEndian(header, data + 16, 8)
      guard size > 24 else { return nil }
      return Int64(clamping: (size - 24) / UInt64(frameBytes))
    case Int32(SF_FORMAT_SVX):
      guard HeaderedFile.isStreamStart(.svx, header), let body = ContainerHeader.find(Array("BODY".utf8), in: header) else { return nil }
      bytes = Int64(ContainerHeader.bigEndian(header, body + 4, 4))
    default: return nil
    }
    guard let bytes, bytes > 0 else { return nil }
    return bytes / frameBytes
  }

  /// Sizes libsndfile's arithmetic overflows on, shown to it as ones it reads to the end of the
  /// input; the declared size still makes the `truncated` warning. An AU data size from
  /// 0x7FFFFFF0 up (with the header's offset it overflows 32 bits: 0 frames) is shown as
  /// "unknown" (0xFFFFFFFF); a W64 or RF64 data size from 2^63 up (negative as a signed count:
  /// a W64's alignment padding after the audio was decoded as frames, an RF64 was refused as
  /// "an impossible sample rate or channel count") as 2^62. Empty for any other header.
  static func sizePatches(_ header: [UInt8]) -> [(offset: Int64, bytes: [UInt8])] {
    if header.starts(with: Array(".snd".utf8)), header.count >= 24 {
      let size = ContainerHeader.bigEndian(header, 8, 4)
      var patches = auOffsetPatches(header)
      if size != 0xFFFF_FFFF, ContainerHeader.bigEndian(header, 4, 4) + size > UInt64(Int32.max) { patches.append((8, [0xFF, 0xFF, 0xFF, 0xFF])) }
      return patches
    }
    if HeaderedFile.isStreamStart(.w64, header), let data = ContainerHeader.find(HeaderedFile.w64Data, in: header), data + 24 <= header.count,
      ContainerHeader.littleEndian(header, data + 16, 8) >= 1 << 63
    {
      return [(Int64(data + 16), twoToThe62)]
    }
    if rf64DataSize(header).map({ $0 >= 1 << 63 }) == true { return [(rf64DataSizeOffset, twoToThe62)] }
    return aiffOffsetPatches(header)
  }

  /// An AIFF's `SSND` offset that puts the samples at or past the chunk's end (from 2^31 a
  /// negative number to libsndfile, whose file reader then decoded nothing without a word, and
  /// to FFmpeg, which read on from a pipe: review35b S11), shown as the chunk's end: nothing
  /// decodes, and the chunk's size is the length announced (`HeaderAnnouncedLength`). Empty for
  /// any other header.
  static func aiffOffsetPatches(_ header: [UInt8]) -> [(offset: Int64, bytes: [UInt8])] {
    guard header.count >= 12, header.starts(with: Array("FORM".utf8)), ["AIFF", "AIFC"].contains(String(decoding: header[8..<12], as: UTF8.self)),
      let ssnd = ContainerHeader.aiffChunk("SSND", in: header), ssnd + 12 <= header.count
    else { return [] }
    let size = ContainerHeader.bigEndian(header, ssnd + 4, 4)
    let offset = ContainerHeader.bigEndian(header, ssnd + 8, 4)
    guard size > 8, size != 0xFFFF_FFFF, 8 + offset > size else { return [] }
    let end = UInt32(size - 8)
    return [(Int64(ssnd + 8), (0..<4).map { UInt8(truncatingIfNeeded: end >> UInt32((3 - $0) * 8)) })]
  }

  /// An AU data offset from 2^31 up, which libsndfile and FFmpeg read as negative (libsndfile:
  /// "Unspecified internal error"; FFmpeg decoded the header's last bytes as frames: review35
  /// R8), shown as 2^31 - 8: past the end of any input, as the offset is, so that nothing
  /// decodes. Empty for any other header.
  static func auOffsetPatches(_ header: [UInt8]) -> [(offset: Int64, bytes: [UInt8])] {
    guard let offset = auDataOffset(header), offset >= 1 << 31 else { return [] }
    return [(4, [0x7F, 0xFF, 0xFF, 0xF8])]
  }

  /// Where an AU's audio starts, as its header says; nil for another header.
  static func auDataOffset(_ header: [UInt8]) -> UInt64? {
    header.starts(with: Array(".snd".utf8)) && header.count >= 24 ? ContainerHeader.bigEndian(header, 4, 4) : nil
  }

  /// Where an RF64's (or BW64's) `ds64` data size is: its `ds64` chunk comes first.
  static let rf64DataSizeOffset: Int64 = 28
  /// Where its sample count is.
  static let rf64SampleCountOffset: Int64 = 36

  /// An RF64's `ds64` data size; nil for another header.
  static func rf64DataSize(_ header: [UInt8]) -> UInt64? {
    guard header.count >= 44, header.starts(with: Array("RF64".utf8)) || header.starts(with: Array("BW64".utf8)),
      Array(header[12..<16]) == Array("ds64".utf8)
    else { return nil }
    return ContainerHeader.littleEndian(header, Int(rf64DataSizeOffset), 8)
  }

  /// 2^62, little-endian.
  static let twoToThe62: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0x40]
}
