/// The length of a VOC file's first sound block, where the file's own structure confirms it.
///
/// libsndfile's VOC file reader takes the audio's end from the file's size: the blocks after
/// the sound block (an end-repeat block, the terminator) come out as samples, full-scale
/// clicks. The block's size is believed when the blocks after it lead exactly to the end of
/// the file (or to a terminator that is its last byte); sox writes a size 8 bytes short (its samples then run on past
/// it), and that size is not believed, so its files decode as before.
enum VOCSoundBlock {
  /// Frames of the first sound block (type 1, 8-bit; type 9, any encoding) of the VOC file in
  /// `input` (`size` bytes, after `skip` bytes of tag), frames `frameBytes` bytes each; nil
  /// when the blocks after it do not end the file where they should.
  static func frames(_ input: InputBytes, skip: Int64, size: Int64, frameBytes: Int) -> Int64? {
    let header = input.read(at: skip, count: 22)
    guard header.count == 22, frameBytes > 0 else { return nil }
    var at = skip + Int64(header[20]) | Int64(header[21]) << 8
    var soundEnd: Int64?
    var frames: Int64 = 0
    for _ in 0..<blockLimit {
      let block = input.read(at: at, count: 4)
      // The terminator as the file's last byte, or the end itself.
      if at == size || (block.first == 0 && at == size - 1) { return soundEnd == nil ? nil : frames }
      guard block.count == 4, block[0] != 0 else { return nil }
      let length = Int64(block[1]) | Int64(block[2]) << 8 | Int64(block[3]) << 16
      let end = at + 4 + length
      guard end <= size else { return nil }
      if soundEnd == nil, block[0] == 1 || block[0] == 9 {
        let overhead: Int64 = block[0] == 1 ? 2 : 12
        frames = max(0, length - overhead) / Int64(frameBytes)
        soundEnd = end
      } else if soundEnd != nil, block[0] == 1 || block[0] == 2 || block[0] == 9 {
        return nil  // more sound: libsndfile reads one block only, this is not its case
      }
      at = end
    }
    return nil
  }

  /// Blocks walked: a file's are few.
  private static let blockLimit = 64
}
