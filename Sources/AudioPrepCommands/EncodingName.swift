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

  /// Why a name that is none of audioprep's was refused, when the name says: a big-endian one
  /// (`s16be`, `pcm_s24be`: audioprep's samples are little-endian), or sox's `-e` word
  /// (`signed`), which takes its size from `-b`. nil otherwise.
  static func note(_ argument: String, input: Bool) -> String? {
    var name = argument.lowercased()
    if name.hasPrefix("pcm_") { name.removeFirst(4) }
    name = name.replacing("_", with: "")
    if name.hasSuffix("be"), canonical(String(name.dropLast(2)) + "le").map(["s16", "s24", "s32", "f32", "u8"].contains) == true {
      let little = name.dropLast(2) + "le"
      return "audioprep's samples are little-endian only ("
        + (input ? "to swap a raw input's bytes: ffmpeg -f \(name) -ar RATE -ac N -i IN -f \(little) -" : "to swap the output's: … -o - | ffmpeg -f \(little) -ar 16000 -ac 1 -i - -f \(name) OUT") + ")"
    }
    switch name {
    case "signed", "signed-integer", "unsigned", "unsigned-integer", "floating-point":
      return "'\(argument)' is sox's -e, which takes its size from -b: signed 16 bits is s16 (24: s24, 32: s32), unsigned 8 bits u8, floating-point 32 bits f32"
    default: return nil
    }
  }
}
