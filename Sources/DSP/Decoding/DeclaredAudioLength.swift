import CSndFile

/// The audio a header declares, read from its own bytes, for the libsndfile containers whose
/// length `AnnouncedLength` does not find in libsndfile's log (W64, AU, SPHERE, AVR, WVE,
/// 8SVX): libsndfile shortens its frame count to what a file holds and says nothing, so a file
/// cut short is told from one that ended only by this. VOC and MAT declare their audio in
/// blocks and arrays libsndfile walks itself; IRCAM and PAF declare no length at all.
enum DeclaredAudioLength {
  /// Frames `header` (the input's first bytes, after any tag) declares, in libsndfile's
  /// `format` with `channels`; nil when it declares none, or the encoding has no fixed size.
  static func frames(_ header: [UInt8], format: Int32, channels: Int) -> Int64? {
    guard channels > 0, let bytesPerSample = AnnouncedLength.bytesPerSample(format: format) else { return nil }
    let frameBytes = Int64(bytesPerSample * channels)
    let bytes: Int64?
    switch format & Int32(SF_FORMAT_TYPEMASK) {
    case Int32(SF_FORMAT_AU):
      guard HeaderedFile.isStreamStart(.au, header) else { return nil }
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
      let size = Int64(bitPattern: ContainerHeader.littleEndian(header, data + 16, 8))
      bytes = size > 24 && size < Int64.max / 2 ? size - 24 : nil
    case Int32(SF_FORMAT_SVX):
      guard HeaderedFile.isStreamStart(.svx, header), let body = ContainerHeader.find(Array("BODY".utf8), in: header) else { return nil }
      bytes = Int64(ContainerHeader.bigEndian(header, body + 4, 4))
    default: return nil
    }
    guard let bytes, bytes > 0 else { return nil }
    return bytes / frameBytes
  }

  /// An AU data size libsndfile's 32-bit arithmetic turns into 0 frames (from 0x7FFFFFF0 up,
  /// with the header's offset it overflows): shown to libsndfile as "unknown" (0xFFFFFFFF, to
  /// the end of the input), so that what the input holds is decoded; the declared size still
  /// makes the `truncated` warning. nil for any other header.
  static func auSizePatch(_ header: [UInt8]) -> (offset: Int64, bytes: [UInt8])? {
    guard HeaderedFile.isStreamStart(.au, header) else { return nil }
    let size = ContainerHeader.bigEndian(header, 8, 4)
    guard size != 0xFFFF_FFFF, ContainerHeader.bigEndian(header, 4, 4) + size > UInt64(Int32.max) else { return nil }
    return (8, [0xFF, 0xFF, 0xFF, 0xFF])
  }
}
