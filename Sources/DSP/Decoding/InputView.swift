/// How libsndfile is shown an input through its virtual I/O: from `skip` on (a tag before
/// the container's own header is hidden), with header fields rewritten (`patches`, at offsets
/// of the view). FFmpeg, which reads the same `PipeReader` directly, sees the bytes as they are
/// but for its own patches (`FFmpegHeaderPatches`).
struct InputView {
  /// Leading bytes hidden: an ID3v2 tag before a WAV, AIFF, CAF or Ogg stream (`ID3v2Tag`).
  var skip: Int64 = 0
  /// Bytes shown in place of the input's, at offsets of the view: a placeholder data size read
  /// as "to the end of the input" (`PlaceholderSizes`).
  var patches: [(offset: Int64, bytes: [UInt8])] = []
  /// Where the audio of the data chunk ends (an offset of the view), when the header of a
  /// pipe's stream declares it (`PlaceholderSizes.audioEnd`): a forward seek there or beyond is
  /// libsndfile looking for chunks after the audio, and a pipe does not wait for them.
  var audioEnd: Int64?
  /// The length libsndfile is told a pipe's input has, when libsndfile recognises its format by
  /// that length alone: an HTK waveform, whose sample count × 2 + 12 must be it (review41 H14:
  /// an intact one was "Format not recognised" from a pipe). nil: `PipeReader.announcedLength`.
  var declaredLength: Int64?

  var isIdentity: Bool { skip == 0 && patches.isEmpty }

  /// Overwrites what `count` bytes read at view offset `position` into `destination` hold of
  /// the patches.
  func apply(_ destination: UnsafeMutableRawPointer, count: Int, at position: Int64) {
    for patch in patches {
      let start = max(position, patch.offset)
      let end = min(position + Int64(count), patch.offset + Int64(patch.bytes.count))
      guard start < end else { continue }
      for offset in start..<end {
        destination.storeBytes(of: patch.bytes[Int(offset - patch.offset)], toByteOffset: Int(offset - position), as: UInt8.self)
      }
    }
  }
}
