import Foundation
import TestSupport
import XCTest

@testable import DSP

/// What a pipe's decoder learns from the start of the stream does not depend on the stream
/// being shorter than the window the pipe keeps (4 MiB; here 256 KiB, so that a small input
/// stands for a large one). (An MP3 over 4 MiB cut short said `truncated` from a file and
/// nothing from a pipe: its Info header was looked for at the end, past the window; review16e
/// T5.)
final class PipeWindowTests: XCTestCase {
  /// Decodes `path` through a pipe whose reader keeps `windowBytes`, with libsndfile.
  private func decodeThroughAPipe(_ path: String, windowBytes: Int) throws -> (frames: Int, truncation: String?) {
    let bytes = readWholeFile(path)
    signal(SIGPIPE, SIG_IGN)
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { throw XCTSkip("pipe failed") }
    let (reading, writing) = (ends[0], ends[1])
    let writer = Thread {
      var offset = 0
      while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { write(writing, $0.baseAddress, $0.count) }
        if written <= 0 { break }
        offset += written
      }
      close(writing)
    }
    writer.start()
    let reader = PipeReader(descriptor: reading, windowBytes: windowBytes, ownsDescriptor: true)
    let source = try SndFileSource(path: "-", raw: nil, pipe: reader, reach: .everything)
    var chunk = AudioChunk(channels: source.format.channels)
    var frames = 0
    while true {
      let got = try source.read(into: &chunk, maxFrames: 4096)
      if got == 0 { break }
      frames += got
    }
    return (frames, source.truncation)
  }

  func testAnMP3CutShortPastThePipesWindowSaysSo() throws {
    let directory = try scratchDirectory(self)
    // The speech fixture five times over at 320 kb/s: about 0.7 MB, against a window of 256 KiB
    // (MPEGStreamExtent reads the first 64 KiB, which a real window of 4 MiB always holds).
    let whole = directory + "/whole.mp3"
    _ = try MadeInputs.ffmpeg(["-stream_loop", "4", "-i", fixtures + "/speech.flac", "-ar", "44100", "-b:a", "320k", "-c:a", "libmp3lame", whole])
    let bytes = readWholeFile(whole)
    let window = 1 << 18
    XCTAssertGreaterThan(bytes.count * 7 / 10, window)
    let cut = directory + "/cut.mp3"
    try Data(bytes.prefix(bytes.count * 7 / 10)).write(to: URL(fileURLWithPath: cut))
    let fromFile = try decodeAll(cut)
    let announced = try XCTUnwrap(fromFile.source.truncation, "the file says it is cut")
    XCTAssertTrue(announced.hasPrefix("truncated: the header announces "), announced)
    let fromPipe = try decodeThroughAPipe(cut, windowBytes: window)
    XCTAssertEqual(fromPipe.truncation?.prefix(40), announced.prefix(40), "the pipe says what the file says")
  }

  /// The same for an Ogg Vorbis stream (review16f N6: a 9 MB Vorbis file cut to 70 % said
  /// `truncated` from its path and nothing from a pipe): its last page, which lacks the
  /// end-of-stream flag, is past the window, and the pipe kept no tail for Ogg.
  func testAnOggCutShortPastThePipesWindowSaysSo() throws {
    let directory = try scratchDirectory(self)
    let whole = directory + "/whole.ogg"
    _ = try MadeInputs.ffmpeg(["-stream_loop", "15", "-i", fixtures + "/speech.flac", "-c:a", "libvorbis", "-q:a", "10", whole])
    let bytes = readWholeFile(whole)
    let window = 1 << 18
    XCTAssertGreaterThan(bytes.count * 7 / 10, window)
    let cut = directory + "/cut.ogg"
    try Data(bytes.prefix(bytes.count * 7 / 10)).write(to: URL(fileURLWithPath: cut))
    let fromFile = try decodeAll(cut)
    let announced = try XCTUnwrap(fromFile.source.truncation, "the file says it is cut")
    XCTAssertTrue(announced.hasPrefix("truncated: "), announced)
    let fromPipe = try decodeThroughAPipe(cut, windowBytes: window)
    XCTAssertEqual(fromPipe.truncation?.prefix(40), announced.prefix(40), "the pipe says what the file says")
    XCTAssertNil(try decodeThroughAPipe(whole, windowBytes: window).truncation, "the whole stream is whole")
  }
}
