import Foundation
import TestSupport
import XCTest

/// Review37c X22: an MP3 or MP2 given by path behind a large ID3v2 tag (a cover image) made
/// peak RSS grow with the tag: 100 MB of tag, 112 MB of memory (libmpg123 keeps a tag it
/// parses), where the same bytes on standard input stayed near 18 MB. A stream runs in
/// constant memory whatever sits before its audio: every decoder, from a file and from a pipe,
/// stays within the untagged file's peak plus 16 MB and gives its samples. Run as a child
/// (`spawnAudioprep`) for its own peak RSS.
final class LargeTagMemoryTests: XCTestCase {
  /// An ID3v2.3 tag of `size` bytes in all (one TXXX frame of zeros; sparse on disk) before
  /// `audio`.
  static func tagged(_ audio: String, tagBytes size: Int, as path: String) throws {
    let body = size - 10
    let synchsafe = (0..<4).map { UInt8((body >> (21 - 7 * $0)) & 0x7F) }
    let frame = Array("TXXX".utf8) + (0..<4).map { UInt8(truncatingIfNeeded: (body - 10) >> (24 - 8 * $0)) } + [0, 0, 0]
    FileManager.default.createFile(atPath: path, contents: Data(Array("ID3".utf8) + [3, 0, 0] + synchsafe + frame))
    let writer = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try writer.truncate(atOffset: UInt64(size))
    try writer.seek(toOffset: UInt64(size))
    try writer.write(contentsOf: Data(contentsOf: URL(fileURLWithPath: audio)))
    try writer.close()
  }

  func testAnMPEGStreamBehindALargeTagCostsNoMoreMemoryThanWithout() throws {
    let directory = try scratchDirectory(self)
    for (name, encoding) in [("mp3", ["-c:a", "libmp3lame", "-id3v2_version", "0"]), ("mp2", ["-c:a", "mp2"])] {
      let plain = try FFmpegFixtures.make("tagless.\(name)", encoding)
      let tagged = directory + "/tagged.\(name)"
      try Self.tagged(plain, tagBytes: 96 << 20, as: tagged)
      for decoder in ["auto", "sndfile", "ffmpeg"] {
        let reference = try spawnAudioprep([plain, "-o", "plain.wav", "--force", "--decoder", decoder], in: directory)
        XCTAssertEqual(reference.status, 0, reference.stderr)
        let expected = readWholeFile(directory + "/plain.wav")
        for viaStdin in [false, true] {
          let label = "\(name) behind a 96 MiB tag, --decoder \(decoder)\(viaStdin ? ", stdin" : "")"
          let run = try spawnAudioprep(
            [viaStdin ? "-" : tagged, "-o", "out.wav", "--force", "--decoder", decoder] + (viaStdin ? ["--format", "wav"] : []),
            in: directory, stdinPath: viaStdin ? tagged : "/dev/null", timeLimit: 60)
          XCTAssertEqual(run.status, 0, "\(label): \(run.summary) \(run.stderr)")
          XCTAssertLessThan(run.maxResidentKiB, reference.maxResidentKiB + 16 * 1024, "peak RSS followed the tag: \(label)")
          XCTAssertEqual(readWholeFile(directory + "/out.wav"), expected, "samples differ from the untagged file's: \(label)")
        }
      }
    }
  }
}
