@testable import AudioPrepCommands
import Foundation
import Testing

/// Issue 19's C3 (review): a UTF-8 byte order mark (EF BB BF, which Windows editors write) at
/// the start of a transcript, a --from-list list or a manifest was kept in the text: the
/// transcript began with U+FEFF, the list's first path did not exist, the manifest's first
/// line was "not a manifest record". Every text file audioprep reads drops it.
@Suite struct ByteOrderMarkTests {
  static let mark = "\u{FEFF}"

  static func scratch(_ name: String, _ text: String) throws -> String {
    let directory = NSTemporaryDirectory() + "audioprep-bom-\(getpid())-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let path = directory + "/" + name
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  @Test func aTranscriptDropsIt() throws {
    let transcript = try Self.scratch("a.txt", Self.mark + "HELLO WORLD\n")
    let input = PathName.directoryPrefix(transcript) + "a.wav"
    #expect(try SidecarTranscript.text(forInput: input) == "HELLO WORLD")
  }

  @Test func aListDropsIt() throws {
    let list = try Self.scratch("list.txt", Self.mark + "corpus/a.wav\ncorpus/b.wav\n")
    #expect(try InputCollector.readList(list) == ["corpus/a.wav", "corpus/b.wav"])
  }

  @Test func aManifestDropsIt() throws {
    let record = ManifestMergeTests.record("a.wav", shard: nil, corpus: 1, inShard: 1)
    let manifest = try Self.scratch("manifest.jsonl", Self.mark + record.json.encoded + "\n")
    let contents = try ManifestFile.read(manifest, streams: true)
    #expect(contents.badLines.isEmpty)
    #expect(contents.records.map(\.relativePath) == ["a.wav"])
  }

  /// Only at the start: U+FEFF elsewhere is text (a zero-width no-break space) and is kept.
  @Test func onlyAtTheStart() {
    #expect(TextFile.droppingByteOrderMark(Array((Self.mark + "a" + Self.mark).utf8)) == Array(("a" + Self.mark).utf8))
    #expect(TextFile.droppingByteOrderMark(Array("ab".utf8)) == Array("ab".utf8))
  }
}
