import CSndFile
import Foundation
import TestSupport
import XCTest

@testable import DSP

/// What a damaged input gives does not depend on how many frames its reader asks for at a
/// time: `info` (65536 at a time) and `process` (4096) keep the same frames and say the same.
/// (A FLAC cut mid-frame: process kept 12288 frames, "truncated or damaged: … (libsndfile:
/// decoding failed: … lost sync; …)"; info said "libsndfile stopped after 0 frames (nothing
/// decodes: … the input holds none), FFmpeg decoded on"; review16e I1.)
final class ReadSizeTests: XCTestCase {
  private func decode(_ path: String, blockFrames: Int) throws -> (samples: [Float], truncation: String?) {
    let source = try openAudioSource(path: path, decoder: .auto, audioStream: nil)
    var chunk = AudioChunk(channels: source.format.channels)
    var samples: [Float] = []
    while try source.read(into: &chunk, maxFrames: blockFrames) > 0 { samples += chunk.samples }
    return (samples, source.truncation)
  }

  func testAFLACCutShortGivesTheSameWhateverTheReadSize() throws {
    let directory = try scratchDirectory(self)
    let whole = directory + "/whole.flac"
    try writeSoundFile(whole, samples: Signals.sine(hz: 440, seconds: 2, sampleRate: 8000, amplitude: 0.4), rate: 8000,
      format: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16))
    let bytes = readWholeFile(whole)
    let cut = directory + "/cut.flac"
    try Data(bytes.prefix(bytes.count * 6 / 10)).write(to: URL(fileURLWithPath: cut))
    let reference = try decode(cut, blockFrames: 4096)
    XCTAssertGreaterThan(reference.samples.count, 0)
    XCTAssertNotNil(reference.truncation)
    for blockFrames in [16384, 65536] {
      let other = try decode(cut, blockFrames: blockFrames)
      XCTAssertEqual(other.samples, reference.samples, "\(blockFrames) frames at a time")
      XCTAssertEqual(other.truncation, reference.truncation, "\(blockFrames) frames at a time")
    }
  }
}
