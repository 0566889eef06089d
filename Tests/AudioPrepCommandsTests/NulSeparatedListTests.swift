@testable import AudioPrepCommands
import DSP
import Foundation
import Testing

/// `--from-list` as `find -print0` and `xargs -0` write it: a list that holds a NUL is one path
/// a NUL (a newline is then part of a name). Read one path a line, `a.wav\0b.wav\0` was one
/// path, cut at its first NUL by the C calls: a.wav was processed, b.wav lost without a word,
/// and the manifest recorded the NUL (stop 31, the rule of review31m H1b next door).
@Suite struct NulSeparatedListTests {
  static func list(_ bytes: [UInt8]) throws -> String {
    let directory = NSTemporaryDirectory() + "audioprep-list-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let path = directory + "/list"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  @Test func aListWithANulIsOnePathANul() throws {
    let bytes = Array("corpus/a.wav\u{0}corpus/b c.wav\u{0}corpus/line\nbreak.wav\u{0}".utf8)
    #expect(try InputCollector.readList(Self.list(bytes)) == ["corpus/a.wav", "corpus/b c.wav", "corpus/line\nbreak.wav"])
    // Without a NUL at the end, and with empty entries (two NULs in a row), as find and xargs allow.
    #expect(try InputCollector.readList(Self.list(Array("a.wav\u{0}\u{0}b.wav".utf8))) == ["a.wav", "b.wav"])
  }

  @Test func aListWithoutANulIsOnePathALine() throws {
    #expect(try InputCollector.readList(Self.list(Array("a.wav\r\nb.wav\n\n".utf8))) == ["a.wav", "b.wav"])
  }
}
