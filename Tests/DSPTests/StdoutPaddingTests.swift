import Foundation
import TestSupport
import XCTest

@testable import DSP

/// A WAV on standard output is padded with silence to the length its header announced only
/// when the header announced one: a length too large for a WAV's 32-bit sizes gives streaming
/// sizes, and then nothing is owed (#16 fourth review, H2: a FLAC whose STREAMINFO claimed
/// 2^36−1 frames wrote 13 GB of silence in 10 s behind a header saying "unknown length").
final class StdoutPaddingTests: XCTestCase {
  func written(expectedFrames: Int, frames: Int) throws -> [UInt8] {
    let directory = try scratchDirectory(self)
    let path = directory + "/out.wav"
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    XCTAssertGreaterThanOrEqual(descriptor, 0)
    let output = OutputFile(inPlace: descriptor, path: path)
    let format = StreamFormat(sampleRate: 16000, channels: 1)
    let sink = StdoutSink(stream: format, format: OutputFileFormat(container: .wav), expectedFrames: expectedFrames, output: output)
    var chunk = AudioChunk(channels: 1)
    chunk.samples = [Float](repeating: 0.25, count: frames)
    // Owed padding fails at 1 MiB (EFBIG) instead of filling the disk.
    signal(SIGXFSZ, SIG_IGN)
    var saved = rlimit()
    getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &saved)
    var limit = saved
    limit.rlim_cur = 1 << 20
    setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit)
    defer { setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &saved) }
    try sink.write(chunk)
    _ = try sink.finish()
    try output.commit()
    return readWholeFile(path)
  }

  func testAnExactHeaderIsKeptTrueAndAStreamingOneOwesNothing() throws {
    // Exact sizes: the 100 missing frames are silence, so the header stays true.
    XCTAssertEqual(try written(expectedFrames: 300, frames: 200).count, 44 + 600)
    // Too long for 32-bit sizes: a streaming header (0xFFFFFFFF), and only the frames that came.
    let streamed = try written(expectedFrames: 1 << 36, frames: 200)
    XCTAssertEqual(streamed.count, 44 + 400)
    XCTAssertEqual(Array(streamed[40..<44]), [0xFF, 0xFF, 0xFF, 0xFF])
    // A length whose byte count overflows Int64 is no exact length either, and does not trap.
    XCTAssertEqual(try written(expectedFrames: .max, frames: 200).count, 44 + 400)
  }
}
