/// Chunks before the audio that libsndfile's readers do not step over as every other reader
/// does, shown to libsndfile so that it does (`InputView.patches`): their sizes with the padding
/// it would miss counted in, or a name it steps over. FFmpeg reads the bytes as they are.
///
/// - RF64 and 8SVX (16SV): an odd-sized chunk's pad byte is never stepped over (review38: a
///   `JUNK` chunk of 4097 bytes was "No 'data' chunk marker", an `ANNO` chunk "no sound data").
/// - AIFF and AIFC: an odd `APPL` chunk of 8191 bytes or more has its pad byte stepped over
///   twice ("Unspecified internal error"; from a pipe past its window nothing else read it:
///   review37c X7).
/// - AIFF and AIFC: a `NAME`, `AUTH`, `ANNO` or `(c) ` chunk of 8190 bytes or more, a text
///   libsndfile reads whole into its 8 KiB buffer, and refuses the file when it does not fit
///   ("Unspecified internal error"): shown as `FLLR`, a chunk it steps over (its text is not
///   audioprep's concern).
/// - W64: a chunk whose size is not a multiple of 8 is aligned by the position in libsndfile's
///   header cache, which a chunk larger than the cache (about 50 KiB) leaves behind ("No 'data'
///   chunk marker").
///
/// The format chunks (`ds64`, `fmt `, `VHDR`), which libsndfile reads field by field, and the
/// audio chunk are left as they are.
enum LibsndfileChunkSteps {
  /// The patches for the chunk container at `start` of `input`, at offsets from `start`; none
  /// for another container, or where libsndfile steps over every chunk as it should. nil when
  /// a pipe's chunks needing one go on past its window (`fits`): libsndfile cannot be shown them.
  static func patches(_ input: InputBytes, from start: Int64) -> [(offset: Int64, bytes: [UInt8])]? {
    let head = input.read(at: start, count: 16)
    guard head.count == 16 else { return [] }
    let marker = String(decoding: head[0..<4], as: UTF8.self)
    let form = String(decoding: head[8..<12], as: UTF8.self)
    if marker == "RF64", form == "WAVE" {
      return fourCC(input, start, bigEndian: false) { id, size in size & 1 == 1 && !["ds64", "fmt "].contains(id) ? (id, size + 1) : nil }
    }
    if marker == "FORM", ["8SVX", "16SV"].contains(form) {
      return fourCC(input, start, bigEndian: true) { id, size in size & 1 == 1 && id != "VHDR" ? (id, size + 1) : nil }
    }
    if marker == "FORM", ["AIFF", "AIFC"].contains(form) {
      return fourCC(input, start, bigEndian: true) { id, size in
        if id == "APPL", size & 1 == 1, size >= appl { return (id, size + 1) }
        if texts.contains(id), size >= textLimit { return ("FLLR", size) }
        return nil
      }
    }
    if head == HeaderedFile.w64RIFF { return w64(input, start) }
    return []
  }

  /// The size from which libsndfile's AIFF reader skips an `APPL` chunk whole (its buffer's,
  /// 8192 bytes, less one).
  private static let appl: UInt32 = 8191
  /// The AIFF text chunks libsndfile reads whole, and the size from which one does not fit
  /// its buffer (8192 bytes, less two for `NAME` and `ANNO`).
  private static let texts = ["NAME", "AUTH", "ANNO", "(c) "]
  private static let textLimit: UInt32 = 8190
  /// The audio chunks, where a walk ends.
  private static let audioChunks = ["data", "SSND", "BODY"]
  /// Chunks walked before the audio: a header's are few.
  private static let chunkLimit = 256

  /// RIFF and IFF chunks (a 4-byte id and size, padded to an even length), from byte 12: the
  /// id and size `shown` gives for a chunk, in place of its own.
  private static func fourCC(
    _ input: InputBytes, _ start: Int64, bigEndian: Bool, shown: (String, UInt32) -> (id: String, size: UInt32)?
  ) -> [(offset: Int64, bytes: [UInt8])]? {
    var patches: [(offset: Int64, bytes: [UInt8])] = []
    var at: Int64 = 12
    for _ in 0..<chunkLimit {
      guard fits(input, start + at + 8) else { return patches.isEmpty ? [] : nil }
      let header = input.read(at: start + at, count: 8)
      guard header.count == 8 else { break }
      let id = String(decoding: header[0..<4], as: UTF8.self)
      let size = bigEndian ? UInt32(bigEndian: header, at: 4) : UInt32(littleEndian: header, at: 4)
      if audioChunks.contains(id) || size == .max { break }
      if let shown = shown(id, size) {
        patches.append((at, Array(shown.id.utf8) + (bigEndian ? shown.size.bigEndianBytes : shown.size.littleEndianBytes)))
      }
      at += 8 + Int64(size) + Int64(size & 1)
    }
    return patches
  }

  /// Whether a chunk header ending at `end` is read without reading a pipe past its window.
  /// A walk that would go past it after a chunk that needs a patch cannot tell what the next
  /// ones need: libsndfile is not given the stream (review38 R6, R7: a second chunk past 4 MiB
  /// drained the window, or was left unpatched after a first one libsndfile then stepped over;
  /// either way libsndfile failed where FFmpeg could no longer start again, and an AIFF or
  /// 8SVX read from standard input before was refused). Without a patch, libsndfile reads the
  /// stream as before.
  private static func fits(_ input: InputBytes, _ end: Int64) -> Bool { input.pipeReach.map { end <= $0 } ?? true }

  /// W64 chunks (a 16-byte id and an 8-byte size that counts the chunk's header), from byte
  /// 40: a size that is not a multiple of 8 rounded up to one.
  private static func w64(_ input: InputBytes, _ start: Int64) -> [(offset: Int64, bytes: [UInt8])]? {
    var patches: [(offset: Int64, bytes: [UInt8])] = []
    var at: Int64 = 40
    for _ in 0..<chunkLimit {
      guard fits(input, start + at + 24) else { return patches.isEmpty ? [] : nil }
      let header = input.read(at: start + at, count: 24)
      guard header.count == 24 else { break }
      let size = UInt64(littleEndian: header, at: 16)
      if Array(header[0..<16]) == HeaderedFile.w64Data || size < 24 || size >= 1 << 62 { break }
      let aligned = (size + 7) & ~7
      if aligned != size, Array(header[0..<4]) != Array("fmt ".utf8) { patches.append((at + 16, aligned.littleEndianBytes)) }
      at += Int64(aligned)
    }
    return patches
  }
}
