import DSP
import TestSupport
import XCTest

/// Segments are exact slices of the unsegmented output, with or without overlap and padding.
final class SegmentingSinkTests: XCTestCase {
  let format = StreamFormat(sampleRate: 16000, channels: 1)

  func segment(_ input: [Float], length: Int, overlap: Int, pad: Bool, chunk: Int) throws -> (paths: [String], segments: [SegmentingSink.Segment]) {
    let directory = try scratchDirectory(self)
    var finished: [SegmentingSink.Segment] = []
    let format = self.format
    let sink = try SegmentingSink(
      lengthFrames: length, overlapFrames: overlap, pad: pad, stream: format,
      openSegment: {
        try FileSink(
          path: "\(directory)/s\($0).wav", format: OutputFileFormat(container: .wav, encoding: .f32), stream: format,
          overwrite: false)
      },
      onFinished: { finished.append($0) })
    var configuration = PipelineConfiguration()
    configuration.turnFiltersOff()
    configuration.chunkLength = .frames(chunk)
    _ = try Pipeline.run(source: MemorySource(samples: input, format: format), sink: sink, configuration: configuration)
    let paths = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".wav") }
    return (paths, finished)
  }

  func testSegmentsAreSlicesOfTheStream() throws {
    let input = Signals.chirpPlusNoise(seconds: 1, sampleRate: 16000)  // 16000 frames
    for (length, overlap, pad, chunk) in [(5000, 0, false, 1600), (5000, 1000, false, 7), (5000, 1000, true, 4096), (16000, 0, false, 1600), (3000, 2500, false, 1000)] {
      let (paths, segments) = try segment(input, length: length, overlap: overlap, pad: pad, chunk: chunk)
      let hop = length - overlap
      // Every start before the end, except those wholly inside the segment before them.
      let expectedCount = (0..<16000).filter { $0 % hop == 0 && ($0 == 0 || $0 - hop + length < 16000) }.count
      XCTAssertEqual(segments.count, expectedCount, "length \(length) overlap \(overlap)")
      XCTAssertEqual(paths.count, expectedCount)
      for segment in segments {
        XCTAssertEqual(segment.startFrame, segment.index * hop)
        let written = try readSoundFile(segment.path).samples
        let end = min(16000, segment.startFrame + length)
        var expected = Array(input[segment.startFrame..<end])
        if pad { expected += [Float](repeating: 0, count: length - expected.count) }
        XCTAssertEqual(written, expected, "segment \(segment.index), length \(length) overlap \(overlap) pad \(pad)")
        XCTAssertEqual(segment.frames, expected.count)
      }
    }
  }

  func testOverlapMustBeShorterThanTheSegment() {
    XCTAssertThrowsError(
      try SegmentingSink(
        lengthFrames: 10, overlapFrames: 10, stream: format,
        openSegment: { try FileSink(path: "/tmp/x\($0).wav", format: OutputFileFormat(container: .wav), stream: self.format, overwrite: false) }))
  }
}
