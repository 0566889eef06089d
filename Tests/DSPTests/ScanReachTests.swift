import CSndFile
import Foundation
import TestSupport
import XCTest

@testable import DSP

/// `ScanReach.structure` (`info DIR`, from headers: issue 19, W6) reads what the walk of a
/// container's structure needs, not the audio: a long FLAC or Ogg file's first block only, a
/// WAV's header and where its data chunk ends. A file joined on after a WAV's data chunk is
/// still found; one after FLAC or Ogg audio is found by the whole file's scan, which a source
/// opened for its header makes before it says its stream has ended. (Every FLAC, Ogg and MP3 of
/// a corpus was read whole: `info DIR` took 4 times soxi's CPU, and read the whole corpus.)
/// The parts are libsndfile's, written in-process (the reference for where each ends).
final class ScanReachTests: XCTestCase {
  /// A long file (8 minutes of tone at 8 kHz) with a short one joined on, of the same format;
  /// the path and the second part's byte.
  private func joined(_ ext: String, format: Int32, in directory: String) throws -> (path: String, secondAt: Int) {
    let long = try written("long.\(ext)", format: format, in: directory, frames: 4_000_000)
    let short = try written("short.\(ext)", format: format, in: directory, frames: 2000)
    let path = directory + "/joined.\(ext)"
    try Data(long + short).write(to: URL(fileURLWithPath: path))
    return (path, long.count)
  }

  /// `name` in `directory`, written by libsndfile 4096 frames at a time (libvorbis overflows
  /// its stack on millions at once): a 440 Hz tone at 8 kHz, mono.
  private func written(_ name: String, format: Int32, in directory: String, frames: Int) throws -> [UInt8] {
    let path = directory + "/" + name
    var info = SF_INFO()
    info.samplerate = 8000
    info.channels = 1
    info.format = format
    let file = try XCTUnwrap(sf_open(path, Int32(SFM_WRITE), &info), "libsndfile writes \(name)")
    for start in stride(from: 0, to: frames, by: 4096) {
      let block = (start..<min(frames, start + 4096)).map { Float(0.4 * sin(2 * Double.pi * 440 * Double($0) / 8000)) }
      XCTAssertEqual(sf_write_float(file, block, sf_count_t(block.count)), sf_count_t(block.count))
    }
    sf_close(file)
    return readWholeFile(path)
  }

  /// The most a `.structure` scan of a FLAC or Ogg reads: one block (the first is smaller).
  private let oneBlock: Int64 = 1 << 17

  func testTheStructureReachReadsTheFirstBlockOfALongFLACOrOgg() throws {
    let directory = try scratchDirectory(self)
    for (ext, format) in [("flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16), ("ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS)] {
      let (path, secondAt) = try joined(ext, format: Int32(format), in: directory)
      let size = try XCTUnwrap(Descriptor.status(path)?.size)
      XCTAssertGreaterThan(size, 2 * oneBlock, "\(ext): a file longer than the bound")

      let everything = StreamHeaderScanner.scan(file: path, reach: .everything)
      XCTAssertEqual(everything.join?.next.offset, Int64(secondAt), ext)
      XCTAssertEqual(everything.bytesRead, size, "\(ext): audio has no structure to skip")
      XCTAssertFalse(everything.stoppedShort, ext)

      let structure = StreamHeaderScanner.scan(file: path, reach: .structure)
      XCTAssertEqual(structure.first?.offset, 0, ext)
      XCTAssertLessThanOrEqual(structure.bytesRead, oneBlock, "\(ext): \(structure.bytesRead) of \(size) bytes read")
      XCTAssertTrue(structure.stoppedShort, ext)
      XCTAssertNil(structure.join.map(\.next.offset), "\(ext): the second part is past what was read")
      // The whole file's scan, when asked for, is the full one.
      XCTAssertEqual(structure.throughout(file: path).join?.next.offset, Int64(secondAt), ext)
      XCTAssertEqual(structure.throughout(file: path).bytesRead, size, ext)
    }
  }

  /// A WAV's data chunk is skipped by its size: the file joined on after it is found reading
  /// the header and where the chunk ends, at the reach `info DIR` reads, as at the full one.
  func testTheStructureReachFindsAFileJoinedAfterAWAVsDataChunk() throws {
    let directory = try scratchDirectory(self)
    let (path, secondAt) = try joined("wav", format: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16), in: directory)
    for reach in [ScanReach.structure, .everything] {
      let scan = StreamHeaderScanner.scan(file: path, reach: reach)
      XCTAssertEqual(scan.join?.next.offset, Int64(secondAt), "\(reach)")
      XCTAssertLessThanOrEqual(scan.bytesRead, 2 * oneBlock, "\(reach): the data chunk is not read")
      XCTAssertFalse(scan.stoppedShort, "\(reach)")
    }
    XCTAssertThrowsError(try openAudioSource(path: path, raw: nil, decoder: .auto, audioStream: nil, reach: .structure)) { error in
      XCTAssertEqual((error as? AudioIOError)?.kind, .invalidInput, "\(error)")
      XCTAssertTrue("\(error)".contains("a second WAV file starts at byte \(secondAt)"), "\(error)")
    }
  }

  /// A source opened for its header, decoded all the same, refuses a FLAC or Ogg joined on at
  /// the end of its stream, as one opened to decode does when it is opened: what the short scan
  /// did not read is looked through before the stream is said to have ended.
  func testASourceOpenedForItsHeaderStillRefusesTheJoinAtTheEndOfItsStream() throws {
    let directory = try scratchDirectory(self)
    for (ext, format) in [("flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16), ("ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS)] {
      let (path, secondAt) = try joined(ext, format: Int32(format), in: directory)
      for decoder in [AudioDecoder.auto, .sndfile, .ffmpeg] {
        XCTAssertThrowsError(
          try {
            let source = try openAudioSource(path: path, raw: nil, decoder: decoder, audioStream: nil, reach: .structure)
            var chunk = AudioChunk(channels: source.format.channels)
            while try source.read(into: &chunk, maxFrames: 65536) > 0 {}
          }(), "\(ext) through \(decoder)"
        ) { error in
          XCTAssertEqual((error as? AudioIOError)?.kind, .invalidInput, "\(ext) through \(decoder): \(error)")
          XCTAssertTrue("\(error)".contains("starts at byte \(secondAt)"), "\(ext) through \(decoder): \(error)")
        }
      }
    }
  }
}
