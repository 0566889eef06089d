@testable import AudioPrepCommands
import Testing

/// 24: `--in-encoding s16be` and sox's `-e` words (`signed`) were "not one of s16, …" with no
/// word on why or what to give.
@Suite struct EncodingNameNoteTests {
  @Test func aBigEndianOrSoxEncodingNameIsExplained() {
    let raw = ["-", "--in-rate", "16k", "--in-channels", "1", "--in-encoding"]
    let bigEndian = AudioPrep.usageError(raw + ["s16be"]) ?? "parsed"
    #expect(bigEndian.hasPrefix("audioprep: --in-encoding: 's16be' is not one of s16, s24, s32, f32, u8; audioprep's samples are little-endian only"), "\(bigEndian)")
    let sox = AudioPrep.usageError(raw + ["signed"]) ?? "parsed"
    #expect(sox.contains("'signed' is sox's -e, which takes its size from -b: signed 16 bits is s16"), "\(sox)")
    let output = AudioPrep.usageError(["in.wav", "--encoding", "pcm_s24be"]) ?? "parsed"
    #expect(output.contains("little-endian only"), "\(output)")
  }
}
