import AudioPrepCommands
import DSP
import Foundation
import Testing

/// `info DIR`'s header-only reading of Ogg files against libsndfile's decoder opening them.
@Suite struct OggHeaderTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Fixtures").standardized

  @Test(arguments: ["speech.ogg", "speech.opus"])
  func agreesWithLibsndfile(name: String) throws {
    let path = Self.fixtures.appendingPathComponent(name).path
    let header = try #require(OggHeader(path: path))
    let source = try openAudioSource(path: path, decoder: .sndfile)
    #expect(header.sampleRate == source.format.sampleRate)
    #expect(header.channels == source.format.channels)
    #expect(header.frames == source.announcedFrames)
    #expect(header.formatName == source.formatName)
  }

  /// A file cut short has no end-of-stream page: the header alone cannot say its length.
  @Test func aCutFileIsLeftToTheDecoders() throws {
    let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("speech.ogg"))
    let cut = FileManager.default.temporaryDirectory.appendingPathComponent("cut-\(UUID().uuidString).ogg")
    defer { try? FileManager.default.removeItem(at: cut) }
    try data.prefix(data.count / 2).write(to: cut)
    #expect(OggHeader(path: cut.path) == nil)
    let wav = Self.fixtures.appendingPathComponent("speech.wav").path
    #expect(OggHeader(path: wav) == nil)
  }
}
