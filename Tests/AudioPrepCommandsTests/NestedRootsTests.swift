@testable import AudioPrepCommands
import Foundation
import Testing

/// A directory argument inside another (`batch c c/spk1`), or one given again under another
/// name (`c ./c`, a symlink to it), is walked once, from the outer one: batch processed such
/// files twice (two records of one input, which the export then refused) and `info` counted
/// them twice (review33m H2, W5).
@Suite struct NestedRootsTests {
  /// `c/spk1/a.wav`, `c/spk2/b.wav` and a symlink `link` → `c`, in a new directory; returns its path.
  func corpus() throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nested-\(UUID().uuidString)").path
    for speaker in ["spk1", "spk2"] {
      try FileManager.default.createDirectory(atPath: "\(directory)/c/\(speaker)", withIntermediateDirectories: true)
    }
    try ManifestExportTests.wav(frames: 1600, rate: 16000).write(to: URL(fileURLWithPath: "\(directory)/c/spk1/a.wav"))
    try ManifestExportTests.wav(frames: 1600, rate: 16000).write(to: URL(fileURLWithPath: "\(directory)/c/spk2/b.wav"))
    try FileManager.default.createSymbolicLink(atPath: "\(directory)/link", withDestinationPath: "\(directory)/c")
    return directory
  }

  @Test func aDirectoryInsideAnotherIsWalkedOnceFromTheOuterOne() throws {
    let root = try corpus()
    for arguments in [
      ["\(root)/c", "\(root)/c/spk1"], ["\(root)/c/spk1", "\(root)/c"], ["\(root)/c", "\(root)/c/."], ["\(root)/c", "\(root)/link"],
      ["\(root)/c", "\(root)/link/spk2"], ["\(root)/c", "\(root)/c"],
    ] {
      var collector = InputCollector(excluding: nil, rawInput: false, decoding: nil)
      collector.add(arguments)
      #expect(collector.inputs.map(\.relativePath).sorted() == ["spk1/a.wav", "spk2/b.wav"], "\(arguments): \(collector.inputs.map(\.relativePath))")
    }
    // Two directories side by side are both walked.
    var collector = InputCollector(excluding: nil, rawInput: false, decoding: nil)
    collector.add(["\(root)/c/spk1", "\(root)/c/spk2"])
    #expect(collector.inputs.map(\.relativePath).sorted() == ["a.wav", "b.wav"])
  }

  /// Without decoder options (the audiofolder's walk), a file with no audio extension is not
  /// audio and is never opened (a README crashed the Hugging Face export: review33m H1).
  @Test func withoutDecoderOptionsOnlyAnAudioExtensionCounts() throws {
    let root = try corpus()
    try Data("see README\n".utf8).write(to: URL(fileURLWithPath: "\(root)/c/README"))
    try ManifestExportTests.wav(frames: 1600, rate: 16000).write(to: URL(fileURLWithPath: "\(root)/c/noextension"))
    var collector = InputCollector(excluding: nil, rawInput: false, decoding: nil)
    collector.add(["\(root)/c"])
    #expect(collector.inputs.map(\.relativePath).sorted() == ["spk1/a.wav", "spk2/b.wav"])
  }
}
