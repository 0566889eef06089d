import CSndFile

/// The data chunk of a WAV or W64 file whose codec works in fixed blocks (IMA ADPCM, MS ADPCM,
/// GSM 6.10): how many frames the input's whole blocks hold, so that a file cut short gives
/// those and says it is truncated, from a file and a pipe alike.
///
/// libsndfile decodes a last, partial block whole: from a file it makes up samples from the
/// bytes past the end (IMA) or drops the block (MS ADPCM); from a pipe, which it cannot measure,
/// it decodes the header's full length from stale buffers (1.8 s of made-up audio in 3.8 s).
/// Only whole blocks are kept; a partial last block is not decoded.
struct BlockCodedData {
  /// Where the data chunk's bytes start, and how many it declares.
  let offset: Int64
  let declaredBytes: Int64
  let blockBytes: Int64
  let framesPerBlock: Int64
  /// Frames the header declares: its `fact` chunk's count, else the declared blocks'.
  var declaredFrames: Int64 { fact ?? declaredBytes / blockBytes * framesPerBlock }
  let fact: Int64?

  /// Reads `header` (the input's first bytes, after any tag) when libsndfile's `format` is a
  /// block codec in WAV or W64; nil otherwise, or when the header does not say its layout.
  static func find(_ header: [UInt8], format: Int32) -> BlockCodedData? {
    let codecs = [SF_FORMAT_IMA_ADPCM, SF_FORMAT_MS_ADPCM, SF_FORMAT_GSM610].map { Int32($0) }
    guard codecs.contains(format & Int32(SF_FORMAT_SUBMASK)) else { return nil }
    let isW64 = HeaderedFile.isStreamStart(.w64, header)
    guard isW64 || (header.count >= 12 && Array(header[0..<4]) == Array("RIFF".utf8)) else { return nil }
    // Chunk headers: a WAV's name and 32-bit size; a W64's GUID and 64-bit size, which counts
    // the header's 24 bytes, its chunks aligned to 8.
    let headerBytes = isW64 ? 24 : 8
    var at = isW64 ? 40 : 12
    var fmt: Int?
    var fact: Int64?
    while at + headerBytes <= header.count {
      let name = String(decoding: header[at..<at + 4], as: UTF8.self)
      // A W64 size below its header's 24 bytes (or past 2^63) is none: -1, refused below.
      let wide = Int64(bitPattern: ContainerHeader.littleEndian(header, at + 16, 8))
      let size = isW64 ? (wide >= 24 ? wide - 24 : -1) : Int64(ContainerHeader.littleEndian(header, at + 4, 4))
      let body = at + headerBytes
      switch name {
      case "fmt ": fmt = body
      case "fact": fact = Int64(ContainerHeader.littleEndian(header, body, 4))
      case "data":
        guard let fmt, fmt + 20 <= header.count, size > 0 else { return nil }
        let blockBytes = Int64(ContainerHeader.littleEndian(header, fmt + 12, 2))
        let tag = ContainerHeader.littleEndian(header, fmt, 2)
        // GSM 6.10 in WAV: 65-byte blocks of 320 samples (two 160-sample frames).
        let perBlock = tag == 0x31 ? 320 : Int64(ContainerHeader.littleEndian(header, fmt + 18, 2))
        guard blockBytes > 0, perBlock > 0 else { return nil }
        return BlockCodedData(offset: Int64(body), declaredBytes: size, blockBytes: blockBytes, framesPerBlock: perBlock, fact: fact)
      default: break
      }
      guard size >= 0, size < Int64(Int32.max) else { return nil }
      at = body + Int(size)
      at += isW64 ? (8 - at % 8) % 8 : Int(size & 1)
    }
    return nil
  }

  /// Frames the whole blocks among `inputBytes` (the input's length, after any tag) hold.
  func frames(inputBytes: Int64) -> Int64 {
    max(0, min(inputBytes - offset, declaredBytes)) / blockBytes * framesPerBlock
  }
}
