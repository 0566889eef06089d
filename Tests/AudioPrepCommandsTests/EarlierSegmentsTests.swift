import DSP
import Foundation
import Testing

@testable import AudioPrepCommands

/// Which of an earlier list's segments a re-segmentation may remove: only names its pattern
/// makes, in the pattern's directory, that are no input (review35 R11).
@Suite final class EarlierSegmentsTests: Sendable {
  let directory: String

  init() throws {
    directory = NSTemporaryDirectory() + "audioprep-earlier-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory + "/d", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: directory + "/l", withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: directory) }

  func segment(_ path: String) -> SegmentSidecar.Segment {
    SegmentSidecar.Segment(index: 0, path: path, startSeconds: 0, endSeconds: 1, frames: 1, hash: "fnv1a64:0000000000000000")
  }

  @Test func aPatternMakesOnlyItsOwnNames() throws {
    let pattern = try #require(SegmentPattern("d/S_%04d.wav"))
    #expect(pattern.index(ofName: "S_0007.wav") == 7)
    #expect(pattern.index(ofName: "S_12345.wav") == 12345)
    for name in ["S_7.wav", "S_00007.wav", "S_.wav", "S_0007.WAV", "S_-007.wav", "s_0007.wav", "in.wav", "notes.txt", "S_0007.wav.kept"] {
      #expect(pattern.index(ofName: name) == nil, "\(name)")
    }
    #expect(SegmentPattern("p%d.flac")?.index(ofName: "p0.flac") == 0)
    #expect(SegmentPattern("p%d.flac")?.index(ofName: "p00.flac") == nil)
    #expect(SegmentPattern("100%%_%d")?.index(ofName: "100%_3") == 3)
    // The field in a directory's name: no one directory holds the segments.
    #expect(SegmentPattern("d%d/x.wav")?.index(ofName: "x.wav") == nil)
  }

  @Test func onlyThePatternsNamesInItsDirectoryAreRemovable() throws {
    let pattern = try #require(SegmentPattern(directory + "/d/S_%04d.wav"))
    let listed = [
      directory + "/d/S_0000.wav", directory + "/d/S_0003.wav", directory + "/d/in.wav", directory + "/d/notes.txt",
      directory + "/d/S_3.wav", directory + "/l/S_0004.wav", directory + "/d/../d/S_0005.wav",
    ].map(segment)
    let earlier = EarlierSegments(listed: listed, writtenAgain: [PathKey(directory + "/d/S_0000.wav")], pattern: pattern)
    #expect(earlier.removable.map(\.path) == [directory + "/d/S_0003.wav", directory + "/d/../d/S_0005.wav"])
    #expect(earlier.leftInPlace == ["in.wav", "notes.txt", "S_3.wav", "S_0004.wav"])
    #expect(
      earlier.warning(list: "d/in.segments.jsonl")
        == "audioprep: d/in.segments.jsonl: the earlier list named 4 files not among this run's segments (in.wav, notes.txt, S_3.wav and 1 more); left in place")
  }

  @Test func anInputNamedLikeASegmentIsNotRemovable() throws {
    let input = directory + "/d/S_0009.wav"
    #expect(FileManager.default.createFile(atPath: input, contents: Data([1, 2, 3])))
    ProtectedFiles.protectInput(input)
    let pattern = try #require(SegmentPattern(directory + "/d/S_%04d.wav"))
    let earlier = EarlierSegments(listed: [segment(input)], writtenAgain: [], pattern: pattern)
    #expect(earlier.removable.isEmpty)
    #expect(earlier.leftInPlace == ["S_0009.wav: an input"])
  }
}
