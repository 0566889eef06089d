/// An ID3v2 tag before a container that does not expect one (WAV, RF64, W64, AIFF, CAF, Ogg):
/// taggers put it there as they would before an MP3. libsndfile takes the container for one
/// "embedded" at the tag's end and then loses its last frames (WAV, AIFF: a false `truncated`),
/// or refuses it (Ogg, CAF: "embedding not supported"). The tag is hidden from libsndfile
/// (`InputView.skip`); so is one before anything else (`hiddenLength`).
enum ID3v2Tag {
  /// Containers whose header may follow a tag here (FLAC's reader skips one tag of its own,
  /// not two).
  private static let containers = ["RIFF", "RF64", "riff", "FORM", "caff", "OggS", "fLaC"].map { Array($0.utf8) }
  /// Tags stacked one after another that are skipped before a container (a tagger that puts its
  /// own before another's; review16f N21); more is not a file a tagger made. (Before an MP3 the
  /// decoders skip any number: `leniently`.)
  static let stackLimit = 8

  /// The bytes the tags at the start of `input` take (each one's header, body and footer) when
  /// one of those containers follows them; 0 otherwise.
  static func length(_ input: InputBytes) -> Int64 {
    let length = anyLength(input)
    return length > 0 && containers.contains(input.read(at: length, count: 4)) ? length : 0
  }

  /// The bytes at the start of `input` the decoders are not shown: the tags, whatever follows
  /// them (`anyLength`); 0 when there is none. Before a container they would mislead
  /// libsndfile (above). Before an MP3 or an ADTS AAC each decoder reads a tag whole into
  /// memory, libmpg123 to keep it (review37c X22: 100 MB of tag, 112 MB of memory), FFmpeg
  /// into one allocation, which crashed it past audioprep's cap (X15: SIGSEGV behind a 100 MB
  /// tag); and FFmpeg reading a pipe lost the gapless trim behind a tag of 64 KiB (X3: 1055
  /// frames of padding kept). Shown the stream from its first frame, both decode it as the
  /// untagged file, from a path or a pipe. (No decoder's reading of a tag is used.)
  static func hiddenLength(_ input: InputBytes) -> Int64 { anyLength(input) }

  /// The bytes the tags at the start of `input` take, whatever follows; 0 when there is none.
  static func anyLength(_ input: InputBytes) -> Int64 {
    stackLength { input.read(at: $0, count: 10) }
  }

  /// The bytes the tags stacked at the start take, each tag's header read by `headerAt` (its 10
  /// bytes at an offset, fewer where the input has none); 0 when there is none. `leniently`:
  /// as the MP3 decoders read tags before the first frame, any number of them, and a header
  /// with damaged version, flags or size bytes still counts, its size read from the low 7 bits
  /// of each byte.
  static func stackLength(leniently: Bool = false, headerAt: (Int64) -> [UInt8]) -> Int64 {
    var length: Int64 = 0
    for _ in 0..<(leniently ? Int.max : stackLimit) {
      let header = headerAt(length)
      guard let tag = leniently ? Self.lenientLength(header: header) : Self.length(header: header) else { break }
      length += tag
    }
    return length
  }

  /// A tag's length from a header that starts with "ID3", whatever its other fields hold.
  private static func lenientLength(header: [UInt8]) -> Int64? {
    guard header.count == 10, header.starts(with: Array("ID3".utf8)) else { return nil }
    return 10 + header[6..<10].reduce(Int64(0)) { $0 << 7 | Int64($1 & 0x7F) } + footer(header)
  }

  /// The footer's 10 bytes, when the header's flags announce one: ID3v2.4 only (the same bit
  /// means nothing in v2.3, whose tags have no footer; review38 R9: a v2.3 tag with it set
  /// hid a FLAC's first 10 bytes from the decoders).
  private static func footer(_ header: [UInt8]) -> Int64 { header[3] == 4 && header[5] & 0x10 != 0 ? 10 : 0 }

  /// The bytes a tag takes (its header, body and footer) when `header` (its first 10 bytes) is
  /// an ID3v2 tag's header; nil otherwise.
  static func length(header: [UInt8]) -> Int64? {
    guard header.count == 10, header.starts(with: Array("ID3".utf8)), header[3] != 0xFF, header[4] != 0xFF,
      header[6..<10].allSatisfy({ $0 < 0x80 })
    else { return nil }
    let size = header[6..<10].reduce(Int64(0)) { $0 << 7 | Int64($1) }
    return 10 + size + footer(header)
  }
}
