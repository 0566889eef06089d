/// Size fields FFmpeg's readers misread, shown to FFmpeg as what they mean, so that
/// `--decoder ffmpeg` decodes what the default decoder decodes from the same bytes (review34b
/// B3, B5, B13), with the `truncated` warning announced from the header as it is
/// (`HeaderAnnouncedLength`):
///
/// - an AU's data size from 2^31 up (not 0xFFFFFFFF, "unknown"): FFmpeg reads it as a negative
///   number and refuses the file ("Invalid negative data size"); shown as "unknown", which it
///   reads to the end;
/// - an AU's data offset from 2^31 up (`DeclaredAudioLength.auOffsetPatches`);
/// - an AIFF's `SSND` offset past its chunk (`DeclaredAudioLength.aiffOffsetPatches`);
/// - an AIFF's or AIFC's `COMM` frame count from 2^31 up: its reader returns it as a negative
///   error code ("Device or resource busy" for 0xFFFFFFF0); shown as 0, a count it does not
///   use (the `SSND` size is the length, as libsndfile takes it);
/// - an RF64's `ds64` data size or sample count from 2^63 up: its reader refuses a negative one
///   ("negative data_size and/or sample_count in ds64"); the data size is shown as 2^62, which
///   it reads to the end, the sample count as 0, which it does not use (review35 R4, R5);
/// - a W64's data size past the end of a file: its reader seeks past the audio for the chunks
///   after it and refuses the file; shown as the rest of the file. From a pipe it reads on
///   without seeking; a size of 2^63 and more, which it reads as negative, is shown as 2^62.
///
/// - a WAV's, RF64's or BW64's `LIST` chunk claiming more than it holds, its sub-chunks running
///   into the `data` chunk: libsndfile reads the `data` tag as the list's end ("data inside a
///   LIST block??? Backing out"); FFmpeg skipped the claim and found no audio (review35 R6).
///   Shown with the size its sub-chunks take (`RIFFListEnd`).
///
/// Like `InputView`'s for libsndfile, the patches live in what FFmpeg reads (`FFmpegByteSource`),
/// never in the input.
enum FFmpegHeaderPatches {
  /// The patches for the header `head` read at offset `start` of an input of `inputSize`
  /// bytes (nil for a pipe), at offsets of the input; empty for an honest header.
  static func patches(for head: [UInt8]?, at start: Int64, inputSize: Int64?) -> [(offset: Int64, bytes: [UInt8])] {
    guard let head, head.count >= 12, start >= 0 else { return [] }
    if head.starts(with: Array(".snd".utf8)) {
      let size = ContainerHeader.bigEndian(head, 8, 4)
      let offsetPatches = DeclaredAudioLength.auOffsetPatches(head).map { (start + $0.offset, $0.bytes) }
      guard size >= 1 << 31, size != 0xFFFF_FFFF else { return offsetPatches }
      return offsetPatches + [(start + 8, [0xFF, 0xFF, 0xFF, 0xFF])]
    }
    if head.starts(with: Array("FORM".utf8)), ["AIFF", "AIFC"].contains(String(decoding: head[8..<12], as: UTF8.self)) {
      let offsetPatches = DeclaredAudioLength.aiffOffsetPatches(head).map { (start + $0.offset, $0.bytes) }
      guard let comm = ContainerHeader.aiffChunk("COMM", in: head), comm + 14 <= head.count, ContainerHeader.bigEndian(head, comm + 10, 4) >= 1 << 31
      else { return offsetPatches }
      return offsetPatches + [(start + Int64(comm + 10), [0, 0, 0, 0])]
    }
    let listPatches = RIFFListEnd(head).map { [(start + Int64($0.sizeOffset), $0.sizeBytes)] } ?? []
    return listPatches + rf64Patches(head, at: start) + w64Patches(head, at: start, inputSize: inputSize)
  }

  private static func rf64Patches(_ head: [UInt8], at start: Int64) -> [(offset: Int64, bytes: [UInt8])] {
    if let dataSize = DeclaredAudioLength.rf64DataSize(head) {
      var patches: [(offset: Int64, bytes: [UInt8])] = []
      if dataSize >= 1 << 63 { patches.append((start + DeclaredAudioLength.rf64DataSizeOffset, DeclaredAudioLength.twoToThe62)) }
      if ContainerHeader.littleEndian(head, Int(DeclaredAudioLength.rf64SampleCountOffset), 8) >= 1 << 63 {
        patches.append((start + DeclaredAudioLength.rf64SampleCountOffset, [UInt8](repeating: 0, count: 8)))
      }
      return patches
    }
    return []
  }

  private static func w64Patches(_ head: [UInt8], at start: Int64, inputSize: Int64?) -> [(offset: Int64, bytes: [UInt8])] {
    if HeaderedFile.isStreamStart(.w64, head), let data = ContainerHeader.find(HeaderedFile.w64Data, in: head), data + 24 <= head.count {
      let size = ContainerHeader.littleEndian(head, data + 16, 8)
      let shown: UInt64
      if let inputSize {
        let rest = UInt64(max(0, inputSize - start - Int64(data)))
        guard size > rest, rest > 24 else { return [] }
        shown = rest
      } else {
        guard size >= 1 << 63 else { return [] }
        shown = 1 << 62
      }
      return [(start + Int64(data + 16), (0..<8).map { UInt8(truncatingIfNeeded: shown >> UInt64($0 * 8)) })]
    }
    return []
  }

}
