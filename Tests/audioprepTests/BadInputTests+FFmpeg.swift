import Foundation

/// The bad-input matrix's rows for formats FFmpeg reads, made with the ffmpeg command line
/// (none without it): truncated, lying and hostile MP4 and WebM files.
extension BadInputTests {
  static var ffmpegCases: [BadInputCase] {
    guard FFmpegFixtures.executable != nil else { return [] }
    func file(_ name: String, _ arguments: [String], inputs: [String] = []) throws -> Data {
      try Data(contentsOf: URL(fileURLWithPath: try FFmpegFixtures.make(name, arguments, inputs: inputs)))
    }
    let faststart = { try file("bad-faststart.m4a", ["-c:a", "aac", "-movflags", "+faststart"]) }
    let atEnd = { try file("bad-moov-at-end.m4a", ["-c:a", "aac"]) }
    let webm = { try file("bad-opus.webm", ["-c:a", "libopus"]) }
    let tone = {
      try file("bad-tone.webm", ["-map", "0:a", "-c:a", "libopus"], inputs: ["-f", "lavfi", "-i", "sine=f=440:duration=5:sample_rate=48000"])
    }
    /// `bytes` with the 4-byte big-endian field after `marker`'s offset + `skip` set to `value`.
    func patch(_ bytes: Data, after marker: [UInt8], skip: Int, with value: [UInt8]) -> Data {
      var copy = [UInt8](bytes)
      guard let at = bytes.range(of: Data(marker))?.lowerBound else { return bytes }
      copy.replaceSubrange(at + skip..<at + skip + value.count, with: value)
      return Data(copy)
    }
    return [
      BadInputCase(
        label: "WebM cut in half (a recorder that crashed)", bytes: { try webm().prefix(try webm().count / 2) },
        inputName: "input.webm", status: 0, expect: "truncated: the header announces"),
      BadInputCase(
        label: "MP4 with its index first, cut in half", bytes: { try faststart().prefix(try faststart().count / 2) },
        inputName: "input.m4a", status: 0, expect: "truncated: the header announces"),
      BadInputCase(
        label: "MP4 cut before its index (moov at the end)", bytes: { try atEnd().prefix(try atEnd().count / 2) },
        inputName: "input.m4a", status: 65, expect: "moov atom not found"),
      BadInputCase(
        label: "ftyp header followed by garbage",
        bytes: { Data([0, 0, 0, 24] + Array("ftypM4A ".utf8) + [0, 0, 2, 0] + Array("M4A isom".utf8) + (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 9) }) },
        inputName: "input.m4a", status: 65, expect: "moov atom not found"),
      BadInputCase(
        label: "MP4 whose moov atom claims 4 GiB", bytes: { patch(try faststart(), after: Array("moov".utf8), skip: -4, with: [0xFF, 0xFF, 0xFF, 0xF0]) },
        inputName: "input.m4a", status: 0, expect: ""),
      BadInputCase(
        label: "MP4 whose sample table claims 2^31 samples", bytes: { patch(try faststart(), after: Array("stsz".utf8), skip: 12, with: [0x7F, 0xFF, 0xFF, 0xFF]) },
        inputName: "input.m4a", status: 65, expect: "an MP4 whose index claims 2147483647 entries"),
      BadInputCase(
        label: "WebM whose EBML header has an invalid size", bytes: { patch(try webm(), after: [0x1A, 0x45, 0xDF, 0xA3], skip: 4, with: [0x08]) },
        inputName: "input.webm", status: 65, expect: "not a readable audio file"),
      BadInputCase(
        label: "WebM whose first cluster claims 2^56 bytes",
        bytes: { patch(try webm(), after: [0x1F, 0x43, 0xB6, 0x75], skip: 4, with: [0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xF0]) },
        inputName: "input.webm", status: 65, expect: "nothing decodes: the header announces"),
      BadInputCase(
        label: "MP4 with video only",
        bytes: { try file("bad-video-only.mp4", ["-map", "0:v", "-c:v", "mpeg4", "-t", "1"], inputs: ["-f", "lavfi", "-i", "testsrc=size=64x48:rate=5"]) },
        inputName: "input.mp4", status: 65, expect: "without an audio stream"),
      BadInputCase(label: "zero bytes named .m4a", bytes: { Data() }, inputName: "input.m4a", status: 65, expect: "the input is empty (0 bytes)"),
      BadInputCase(
        label: "MP4 with its index at the end on standard input", bytes: atEnd, viaStdin: true, status: 65,
        expect: "cannot be read from a pipe"),
      BadInputCase(
        label: "WebM cut in half on standard input", bytes: { try webm().prefix(try webm().count / 2) }, viaStdin: true,
        status: 0, expect: "truncated"),
      // A tone's last 1 KB (87 ms): less than the 0.1 s a rounded duration may be off by, but
      // its segment's declared size runs past the end, which the demuxer says ("File ended
      // prematurely"; review16f N12: kept 78,616 of 80,000 frames without a word).
      BadInputCase(
        label: "WebM cut by its last 1 KB", bytes: { try tone().dropLast(1024) },
        inputName: "input.webm", status: 0, expect: "(FFmpeg: File ended prematurely)"),
      BadInputCase(
        label: "WebM cut by its last 1 KB on standard input", bytes: { try tone().dropLast(1024) }, viaStdin: true,
        status: 0, expect: "(FFmpeg: File ended prematurely)"),
    ]
  }
}
