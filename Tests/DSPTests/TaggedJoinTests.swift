import DSP
import Foundation
import TestSupport
import XCTest

/// Review37a U1: an ID3v2 tag before a FLAC, WAV or Ogg hid a second file joined after it
/// (exit 0, no word: libsndfile wrote the first file, FFmpeg decoded both as one stream),
/// where the same join without the tag is refused: the scanner looked for the container's
/// structure at byte 0 only. It now starts where the tags end: every decoder, from a file and
/// through a pipe, refuses alike, naming the second file's byte in the input.
final class TaggedJoinTests: XCTestCase {
  /// An ID3v2.3 tag of `size` bytes in all (one PRIV frame).
  static func tag(bytes size: Int) -> [UInt8] {
    let body = size - 10
    return Array("ID3".utf8) + [3, 0, 0] + (0..<4).map { UInt8((body >> (21 - 7 * $0)) & 0x7F) } + Array("PRIV".utf8)
      + (0..<4).map { UInt8(truncatingIfNeeded: (body - 10) >> (24 - 8 * $0)) } + [0, 0] + Array("x".utf8) + [0]
      + [UInt8](repeating: 0, count: body - 12)
  }

  func testATagBeforeTheFirstFileHidesNoJoin() throws {
    let directory = try scratchDirectory(self)
    var failures: [String] = []
    for (ext, arguments, name) in [
      ("flac", ["-c:a", "flac"], "FLAC"), ("wav", ["-c:a", "pcm_s16le"], "WAV"), ("ogg", ["-c:a", "libvorbis"], "Ogg"),
    ] {
      let first = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try MadeInputs.fromSpeech("a.\(ext)", in: directory, ["-t", "1"] + arguments))))
      let second = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try MadeInputs.fromSpeech("b.\(ext)", in: directory, ["-ss", "1", "-t", "1"] + arguments))))
      for tagBytes in [2000, 40_000] {
        let path = directory + "/tagged-\(tagBytes).\(ext)"
        try Data(Self.tag(bytes: tagBytes) + first + second).write(to: URL(fileURLWithPath: path))
        let said = "a second \(name) file starts at byte \(tagBytes + first.count)"
        for way in decodeEveryWay(path) {
          switch way.outcome {
          case .success(let (samples, _)): failures.append("\(ext) behind \(tagBytes) bytes of tag, \(way.label): decoded \(samples.count) frames")
          case .failure(let error):
            let message = (error as? AudioIOError)?.message ?? "\(error)"
            if !message.contains(said) { failures.append("\(ext) behind \(tagBytes) bytes of tag, \(way.label): \(message)") }
          }
        }
      }
    }
    XCTAssertTrue(failures.isEmpty, "\(failures.count) failures:\n" + failures.joined(separator: "\n"))
  }
}
