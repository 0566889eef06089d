/// A sample encoding's name as users of other tools type it, reduced to audioprep's (`s16`,
/// `s24`, `s32`, `f32`, `u8`): arecord's (`S16_LE`, `S24_3LE`, `FLOAT_LE`), ffmpeg's (`s16le`,
/// `pcm_s16le`, `f32le`), sox's bit counts (`-b 16`: `16`, `24`, `32`, `8`) and `float`;
/// case-insensitive. Both `--encoding` and `--in-encoding` read names through it.
enum EncodingName {
  /// audioprep's name for `argument`, or nil for ALSA's `S24_LE` (24 bits in 4 bytes, not
  /// audioprep's 3-byte s24), which stays refused. Other names come back as typed, lowercased.
  static func canonical(_ argument: String) -> String? {
    var name = argument.lowercased()
    guard name != "s24_le" else { return nil }
    if name.hasPrefix("pcm_") { name.removeFirst(4) }
    name = name.replacing("_", with: "")
    if name == "s243le" { name = "s24" }
    if name.hasSuffix("le") { name.removeLast(2) }
    switch name {
    case "float": return "f32"
    case "8": return "u8"
    case "16", "24", "32": return "s" + name
    default: return name
    }
  }
}
