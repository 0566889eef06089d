import CSndFile

/// What the sizes of a CAF's chunks claim, walked up to its audio beside the decoders, with the
/// same answer for every decoder, from a file and from a pipe (review35 R2, R3, R9, R10).
///
/// - A chunk before the audio whose size is negative or reaches past the end of the input is
///   refused, as sox (libsndfile's file reader) and FFmpeg's file reader refuse it: libsndfile
///   read the claim from a pipe (an `info` chunk of 2^31 bytes was allocated and read, 2 GB and
///   a hang; 2^32 − 16: SIGSEGV), FFmpeg read past it from a pipe, and from a file when its seek
///   to 2^62 failed. From a pipe the end is looked for within the bytes its reader keeps (4 MiB):
///   a claim reaching further is refused too, since neither decoder can step over it there.
/// - An `info` chunk over `infoLimit` (its strings, which libsndfile allocates and reads whole
///   with 32-bit arithmetic) is shown to libsndfile as `free`, which it steps over.
/// - A `data` size from 2^63 up other than -1 ("to the end"; negative as Apple's signed field,
///   which libsndfile refused and FFmpeg read as -1) is a claim read unsigned, as W64's: what is
///   there decodes with `truncated`. libsndfile is shown 2^62.
struct CAFChunkClaims {
  /// Why nothing decodes; nil when every chunk before the audio fits the input.
  let refusal: String?
  /// Fields shown to libsndfile in place of the input's (`InputView`), at offsets of the view.
  let patches: [(offset: Int64, bytes: [UInt8])]
  /// The data chunk's bytes (less its edit count) when its size is from 2^63 up, not -1.
  let oversizedAudioBytes: UInt64?
  /// The chunk before the audio that libsndfile steps over past its header cache, its id and
  /// size: libsndfile then misplaces the audio (`LibsndfileHeaderCache`), taking its offset from
  /// the cache's index, and decodes the bytes before it as audio (review37c X21: a `free` chunk
  /// of 100000 zeros, silence decoded, the audio late and its end lost, no word). nil when
  /// every chunk fits the cache.
  let pastLibsndfilesCache: (id: String, size: Int64)?
  var libsndfileMisplacesTheAudio: Bool { pastLibsndfilesCache != nil }

  /// Largest `info` chunk libsndfile is shown as one (its strings: a few hundred bytes).
  static let infoLimit: Int64 = 1 << 20
  /// Chunks walked before the data chunk: a header's are few.
  private static let chunkLimit = 256

  /// Walks the CAF at `start` of `input`, `size` bytes long when known (a file); nil for
  /// another container.
  init?(_ input: InputBytes, from start: Int64, size: Int64?) {
    guard input.read(at: start, count: 4) == Array("caff".utf8) else { return nil }
    var refusal: String?
    var patches: [(offset: Int64, bytes: [UInt8])] = []
    var oversizedAudioBytes: UInt64?
    var pastLibsndfilesCache: (id: String, size: Int64)?
    // libsndfile reads the file header and the `desc` chunk's header and fields first.
    var cache = LibsndfileHeaderCache()
    for count: Int64 in [8, 20, 24] { cache.read(count) }
    var at: Int64 = 8
    for _ in 0..<Self.chunkLimit {
      let header = input.read(at: start + at, count: 12)
      guard header.count == 12 else { break }
      let id = String(decoding: header[0..<4], as: UTF8.self)
      let claim = Int64(bitPattern: UInt64(bigEndian: header, at: 4))
      if id == "data" {
        if claim < -1 {
          oversizedAudioBytes = UInt64(bitPattern: claim) - 4
          patches.append((at + 4, UInt64(1 << 62).bigEndianBytes))
        }
        break
      }
      let (end, overflow) = (start + at + 12).addingReportingOverflow(claim)
      if claim < 0 || overflow || !Self.holds(input, until: end, size: size) {
        refusal = "the header's '\(id)' chunk claims \(claim) bytes, " + (claim < 0 ? "a negative size" : "more than the input holds")
        break
      }
      if size == nil, let reach = input.pipeReach, end > reach {
        refusal = "the header's '\(id)' chunk claims \(claim) bytes, past the first \(reach >> 20) MiB of a pipe, where its header must end; give the file's path"
        break
      }
      if id == "info", claim > Self.infoLimit { patches.append((at, Array("free".utf8))) }
      if id == "desc" {
        if claim > 32 { cache.step(claim - 32) }
      } else {
        cache.read(12)
        cache.step(claim)
        if cache.isLeftBehind, !cache.readFailed, pastLibsndfilesCache == nil { pastLibsndfilesCache = (id, claim) }
      }
      at = end - start
    }
    self.refusal = refusal
    self.patches = patches
    self.oversizedAudioBytes = oversizedAudioBytes
    self.pastLibsndfilesCache = pastLibsndfilesCache
  }

  /// Whether `input` reaches offset `end` (its last byte is at `end - 1`): a file's size says;
  /// a pipe, within the bytes its reader keeps, says by the byte; past them, whether the stream
  /// goes as far as they do (a stream that ends sooner does not hold the claim).
  private static func holds(_ input: InputBytes, until end: Int64, size: Int64?) -> Bool {
    if let size { return end <= size }
    let probe = min(end, input.pipeReach ?? end) - 1
    return probe < 0 || !input.read(at: probe, count: 1).isEmpty
  }

  /// The frames `oversizedAudioBytes` declares, in libsndfile's `format` with `channels`.
  func declaredFrames(format: Int32, channels: Int) -> Int64? {
    guard let oversizedAudioBytes, channels > 0, let bytesPerSample = AnnouncedLength.bytesPerSample(format: format) else { return nil }
    return Int64(clamping: oversizedAudioBytes / UInt64(bytesPerSample * channels))
  }
}
