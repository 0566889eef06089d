/// The tags an MP3 or MP2 file may end in, after its last frame, found from the input's end by
/// the lengths they give, each before the one after it: an ID3v1 tag (the last 128 bytes,
/// "TAG"), an APEv2 tag (by its footer, "APETAGEX", with or without its header), a Lyrics3v2
/// block (its size in six digits, then "LYRICS200"), an ID3v2 tag appended with its footer
/// ("3DI"). A last frame cut short and followed by them takes their first bytes for its own
/// (review52 H2: an ID3v1 tag; review53 H7: the others, silent until then).
enum MPEGEndTags {
  /// Where the tags ending an input of `size` bytes begin, and the first one's name; nil when
  /// it ends in none. `bytes(at, count)` reads the input: none where it cannot (a pipe keeps its
  /// last few KB): a tag's start read as none is taken on its end's word, and a tag whose end
  /// cannot be read ends the search.
  static func start(size: Int64, bytes: (Int64, Int) -> [UInt8]) -> (at: Int64, name: String)? {
    var end = size
    var first: (at: Int64, name: String)?
    for _ in 0..<mostTags {
      guard let tag = tag(endingAt: end, bytes: bytes) else { break }
      first = tag
      end = tag.at
    }
    return first
  }

  /// Tags read from the end at most: files end in one to three; a file of a million small
  /// footers stacked is not read a million times.
  private static let mostTags = 8

  /// The tag that ends at `end`, where it starts and its name.
  private static func tag(endingAt end: Int64, bytes: (Int64, Int) -> [UInt8]) -> (at: Int64, name: String)? {
    if end >= 128, bytes(end - 128, 3) == Array("TAG".utf8) { return (end - 128, "ID3v1 tag") }
    if end >= 32 {
      let footer = bytes(end - 32, 32)
      if footer.count == 32, footer.starts(with: Array("APETAGEX".utf8)) {
        // Its header where the footer's size says (its items and footer, and the header's 32
        // bytes when flagged), or 32 bytes either way: writers that count the header in the
        // size, leave the footer out, or do not flag the header (review55 H2: a whole stream
        // then a tag so written was called cut). Without a header found where one can be read,
        // a footer that flags one says nothing sure; one that does not is taken at its word.
        let size = Int64(littleEndian(footer, 12))
        let flagged = littleEndian(footer, 20) & 0x8000_0000 != 0
        let header = [end - size - 32, end - size, end - size - 64].first { start in
          start >= 0 && start < end - 32 && bytes(start, 8) == Array("APETAGEX".utf8)
        }
        if let header { return (header, "APEv2 tag") }
        // (A pipe keeps its last few KB: a flagged header it cannot read is taken on the
        // footer's word too.)
        let claimed = end - size - (flagged ? 32 : 0)
        if size >= 32, claimed >= 0, !flagged || bytes(claimed, 8).isEmpty { return (claimed, "APEv2 tag") }
      }
    }
    if end >= 15 {
      let trailer = bytes(end - 15, 15)
      if trailer.count == 15, trailer.suffix(9).elementsEqual("LYRICS200".utf8), let length = Int64(String(decoding: trailer.prefix(6), as: UTF8.self)),
        length >= 11, length + 15 <= end, [[], Array("LYRICSBEGIN".utf8)].contains(bytes(end - 15 - length, 11))
      {
        return (end - 15 - length, "Lyrics3 tag")
      }
    }
    if end >= 20 {
      let footer = bytes(end - 10, 10)
      if footer.count == 10, footer.starts(with: Array("3DI".utf8)), footer[6..<10].allSatisfy({ $0 < 0x80 }) {
        let length = footer[6..<10].reduce(Int64(0)) { $0 << 7 | Int64($1) } + 20
        if length <= end, [[], Array("ID3".utf8)].contains(bytes(end - length, 3)) { return (end - length, "ID3v2 tag") }
      }
    }
    return nil
  }

  /// The bytes `beginsATag` looks at.
  static let signatureBytes = 11

  /// Whether `bytes` (`signatureBytes` of them, or fewer at the end) begin a tag: ID3v1 or v2,
  /// APEv2's header, Lyrics3; with `orItsCutStart`, bytes that end the input may be the first
  /// bytes of a tag's signature, the rest cut off.
  static func beginsATag(_ bytes: [UInt8], orItsCutStart: Bool = false) -> Bool {
    signatures.contains { bytes.starts(with: $0) || orItsCutStart && bytes.count < $0.count && $0.starts(with: bytes) }
  }
  private static let signatures = ["TAG", "ID3", "APETAGEX", "LYRICSBEGIN"].map { Array($0.utf8) }

  private static func littleEndian(_ bytes: [UInt8], _ at: Int) -> UInt32 {
    (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * $1) }
  }
}
