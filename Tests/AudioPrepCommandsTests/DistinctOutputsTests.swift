import AudioPrepCommands
import Foundation
import Testing

/// A run whose outputs name one file twice is refused before anything is written (exit 73).
@Suite final class DistinctOutputsTests: Sendable {
  let directory: String

  init() throws {
    directory = NSTemporaryDirectory() + "audioprep-distinct-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory + "/sub", withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: directory) }

  func refusal(_ outputs: [DistinctOutputs.Name]) -> String? {
    do {
      try DistinctOutputs.check(outputs)
      return nil
    } catch let failure as CommandFailure {
      return "\(failure.path): \(failure.message) [\(failure.code)]"
    } catch {
      return "unexpected \(error)"
    }
  }

  @Test func oneFileNamedTwice() {
    let path = directory + "/a.wav"
    #expect(refusal([.file(path), .file(path)]) == "\(path): names the same file as \(path); refusing to write either [73]")
    // However the directory is spelled.
    let other = directory + "/sub/../a.wav"
    #expect(refusal([.file(path), .file(other)]) == "\(other): names the same file as \(path); refusing to write either [73]")
    #expect(refusal([.file(path), .file(directory + "/./a.wav")]) != nil)
  }

  /// A directory not made yet (a batch's out-dir before its first run) is one however spelled.
  @Test func aDirectoryNotMadeYetIsOneHoweverSpelled() {
    #expect(refusal([.file(directory + "/new/a.wav"), .file(directory + "/./new//a.wav")]) != nil)
    #expect(refusal([.file(directory + "/new/a.wav"), .file(directory + "/sub/../new/a.wav")]) != nil)
    #expect(refusal([.file(directory + "/new/a.wav"), .file(directory + "/other/a.wav")]) == nil)
  }

  @Test func differentFilesPass() {
    #expect(refusal([.file(directory + "/a.wav"), .file(directory + "/b.wav"), .file(directory + "/sub/a.wav")]) == nil)
    #expect(refusal([.file(directory + "/a.wav"), .file(directory + "/A.wav")]) == nil)
  }

  @Test func standardOutputTwice() {
    #expect(refusal([.file("-"), .file("-")]) == "-: names the same file as -; refusing to write either [73]")
    #expect(refusal([.file("-"), .file(directory + "/-")]) == nil)
  }

  @Test func aSidecarThatTheSegmentPatternCouldProduce() throws {
    let pattern = try #require(SegmentPattern(directory + "/s_%04d.wav"))
    let sidecar = directory + "/s_0001.wav"
    #expect(
      refusal([.segments(pattern), .file(sidecar)])
        == "\(sidecar): names the same file as the segments; refusing to write either [73]")
    #expect(
      refusal([.file(sidecar), .segments(pattern)])
        == "\(sidecar): names the same file as the segments; refusing to write either [73]")
    // Any number of digits matches; no digits, other text, or another directory does not.
    #expect(refusal([.segments(pattern), .file(directory + "/s_123456.wav")]) != nil)
    for name in ["s_.wav", "s_12a4.wav", "segments.jsonl", "s_0001.flac", "t_0001.wav", "sub/s_0001.wav"] {
      #expect(refusal([.segments(pattern), .file(directory + "/" + name)]) == nil, "\(name)")
    }
  }
}
