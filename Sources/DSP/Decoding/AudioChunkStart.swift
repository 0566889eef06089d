/// Where the audio chunk of a chunk container read from a pipe begins (WAV, RF64, AIFF, 8SVX and 16SV,
/// W64), found by walking its chunk headers as the bytes arrive — after any ID3v2 tags the
/// pipe still holds — so that the pipe knows what a forward seek skips (`PipeReader`).
///
/// A forward seek that ends at or before the next chunk header while the audio chunk has not
/// been reached steps over a chunk of the header (a 5 MiB `junk`, `LIST` or `PAD ` chunk):
/// libsndfile reads no byte of it again, so the pipe serves it by reading and discarding,
/// however far (memory stays constant; a claim past the end of the stream ends with the
/// stream, as a file's does). Past the audio chunk's start a forward seek is libsndfile looking
/// for chunks after the audio, which it then seeks back to: that one is not served past the
/// window, which would lose the audio, even when the window is already behind it (review35 R14: a 5 MiB `junk` chunk before a WAV's `data`
/// was "No 'data' chunk marker" from a pipe under `--decoder sndfile`).
///
/// A CAF's chunk claims are checked when it is opened (`CAFChunkClaims`), within the window.
struct AudioChunkStart {
  private enum Step: Equatable {
    /// The input's first bytes: an ID3v2 tag, or the container's header.
    case start
    /// The header of the chunk at `at`.
    case chunk
    /// The audio chunk was found, or the input is not a chunk container the walk knows.
    case done
  }

  private enum Layout {
    /// RIFF and IFF chunks: a 4-byte id and a 4-byte size (big-endian for IFF and RIFX), the
    /// chunk padded to an even length.
    case fourCC(bigEndian: Bool)
    /// W64 chunks: a 16-byte id and an 8-byte size that counts the chunk's header, aligned to 8.
    case w64
  }

  private var step = Step.start
  private var layout = Layout.fourCC(bigEndian: false)
  /// Where the bytes wanted next begin (an offset of the stream), and how many.
  private var at: Int64 = 0
  private var wanted = 16
  private var gathered: [UInt8] = []
  /// Tags and chunks walked: a header's are few.
  private var elements = 0
  private static let elementLimit = 256

  /// The offset of the audio chunk's first byte after its header, once walked to, and where
  /// its declared size ends it (nil for RF64's 0xFFFFFFFF, whose size is elsewhere).
  private(set) var audioStart: Int64?
  private(set) var audioEnd: Int64?
  /// The audio chunk's header (its id and size), and its offset: kept for a walk of the header
  /// after the stream has gone past it (`HeaderBytes`).
  private(set) var audioHeader: (at: Int64, bytes: [UInt8])?

  /// Whether a forward seek to `target` steps over header chunks alone: the audio chunk is not
  /// reached yet and `target` is at or before the next chunk's header.
  func skipsHeaderChunksOnly(to target: Int64) -> Bool {
    step == .chunk && target <= at
  }

  /// Whether a forward seek to `target` passes the audio chunk: from its start when its end is
  /// not declared, from its declared end otherwise (a seek inside it, to an AIFF's samples
  /// after its `SSND` offset, does not).
  func passesTheAudio(to target: Int64) -> Bool {
    guard let audioStart else { return false }
    return target > audioStart && target >= audioEnd ?? audioStart
  }

  /// Takes the stream's bytes in order, `bytes` beginning at stream offset `offset`.
  mutating func feed(_ bytes: UnsafeRawBufferPointer, at offset: Int64) {
    while step != .done {
      if gathered.count < wanted {
        let next = at + Int64(gathered.count)
        guard next >= offset else {
          step = .done  // bytes the walk wanted went by unseen
          return
        }
        guard next < offset + Int64(bytes.count) else { return }
        let from = Int(next - offset)
        let count = min(wanted - gathered.count, bytes.count - from)
        gathered += UnsafeRawBufferPointer(rebasing: bytes[from..<from + count])
        guard gathered.count == wanted else { return }
      }
      let header = gathered
      let headerAt = at
      gathered = []
      elements += 1
      if elements > Self.elementLimit { step = .done }
      if step == .start { begin(header) } else { stepOver(header) }
      // The next element may begin inside the bytes just taken (a RIFF's first chunk at byte
      // 12 of the 16 read for its header): those are taken again, whatever piece they came
      // in (review39 F21: read 13 bytes first, they were bytes gone by unseen).
      if step != .done, at >= headerAt, at < headerAt + Int64(header.count) {
        gathered = Array(header[Int(at - headerAt)...].prefix(wanted))
      }
    }
  }

  /// The first bytes, or those after a tag: another tag, or the container's header.
  private mutating func begin(_ header: [UInt8]) {
    let marker = Array(header[0..<4])
    let form = Array(header[8..<12])
    if let tag = ID3v2Tag.length(header: Array(header[0..<10])) {
      at += tag
    } else if HeaderedFile.riffMarkers.contains(marker), form == Array("WAVE".utf8) {
      layout = .fourCC(bigEndian: marker == Array("RIFX".utf8))
      chunk(at: at + 12)
    } else if marker == Array("FORM".utf8), ["AIFF", "AIFC", "8SVX", "16SV"].map({ Array($0.utf8) }).contains(form) {
      layout = .fourCC(bigEndian: true)
      chunk(at: at + 12)
    } else if header == HeaderedFile.w64RIFF {
      layout = .w64
      chunk(at: at + 40)
    } else {
      step = .done
    }
  }

  private mutating func chunk(at offset: Int64) {
    step = .chunk
    at = offset
    if case .w64 = layout { wanted = 24 } else { wanted = 8 }
  }

  /// A chunk's header: the audio's, or one to step over by its size.
  private mutating func stepOver(_ header: [UInt8]) {
    let next: (Int64, Bool)
    switch layout {
    case .fourCC(let bigEndian):
      let size = Int64(bigEndian ? UInt32(bigEndian: header, at: 4) : UInt32(littleEndian: header, at: 4))
      if [Array("data".utf8), Array("SSND".utf8), Array("BODY".utf8)].contains(Array(header[0..<4])) {
        return found(header, at + 8, end: size == 0xFFFF_FFFF ? nil : at + 8 + size)
      }
      next = at.addingReportingOverflow(8 + size + size & 1)
    case .w64:
      let size = Int64(bitPattern: UInt64(littleEndian: header, at: 16))
      if Array(header[0..<16]) == HeaderedFile.w64Data {
        return found(header, at + 24, end: size >= 24 && size < Int64.max / 2 ? at + size : nil)
      }
      guard size >= 24, size < Int64.max / 2 else {
        step = .done
        return
      }
      next = at.addingReportingOverflow((size + 7) & ~7)
    }
    if next.1 { step = .done } else { at = next.0 }
  }

  private mutating func found(_ header: [UInt8], _ offset: Int64, end: Int64?) {
    audioHeader = (at, header)
    audioStart = offset
    audioEnd = end
    step = .done
  }
}
