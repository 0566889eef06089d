import Foundation
import TestSupport
import XCTest

@testable import DSP

/// A recording arriving live with its length in its header (`arecord -d 5 -f S16_LE | audioprep
/// -`, sox, ffmpeg writing to a pipe) is decoded as it arrives, not once it has all come.
///
/// libsndfile's header walk seeks past the data chunk to look for chunks after it, and the pipe
/// reader served a forward seek inside its 4 MiB window by reading up to it: the whole recording
/// of any such stream under 4 MiB (found by review23c, H5: the first samples 5.10 s into a 5 s
/// feed). Here the writer sends the header and half of the audio, then waits until the decoder
/// has given samples (a hang guard of 10 s: without them it sends the rest, and the test fails).
final class LiveHeaderedStreamTests: XCTestCase {
  func testAFixedLengthHeaderDoesNotHoldTheAudioBack() throws {
    let directory = try scratchDirectory(self)
    let containers: [(name: String, arguments: [String])] = [
      ("live.wav", ["-c:a", "pcm_s16le"]), ("live-rf64.wav", ["-c:a", "pcm_s16le", "-rf64", "always"]),
      ("live.aiff", ["-c:a", "pcm_s16be"]), ("live.w64", ["-c:a", "pcm_s16le"]), ("live.caf", ["-c:a", "pcm_s16le"]),
      ("live-float.wav", ["-c:a", "pcm_f32le"]),
    ]
    for (name, arguments) in containers {
      let path = directory + "/" + name
      _ = try MadeInputs.ffmpeg(["-i", fixtures + "/speech.flac", "-ar", "16000"] + arguments + [path])
      try assertDecodedAsItArrives(path)
    }
    // 8SVX, which ffmpeg does not write (review40 G05: nothing came until standard input ended).
    let eightSVX = directory + "/live.8svx"
    let sox = try spawn(try MadeInputs.tool("sox"), [fixtures + "/speech.flac", "-r", "16000", "-b", "8", eightSVX], timeLimit: 60)
    XCTAssertEqual(sox.status, 0, sox.stderr)
    try assertDecodedAsItArrives(eightSVX)
  }

  /// A low-rate MP3 (16 kb/s: a 36 ms frame is 72 bytes) from a live source: the looks ahead
  /// beside libsndfile (the zeros after an ID3v2 tag, the stream's format after its first frame)
  /// waited for 4 KiB and 16 KiB of it, 8 s of a real-time stream (review41 H03). Held back
  /// after 3000 bytes (its tag and 40 frames).
  func testALowRateMP3DoesNotWaitForKilobytesOfLookAhead() throws {
    let directory = try scratchDirectory(self)
    let path = try MadeInputs.fromSpeech("live-16k.mp3", in: directory, ["-ar", "16000", "-ac", "1", "-c:a", "libmp3lame", "-b:a", "16k"])
    let bytes = readWholeFile(path)
    XCTAssertEqual(Array(bytes.prefix(3)), Array("ID3".utf8), "ffmpeg writes an ID3v2 tag first")
    XCTAssertGreaterThan(bytes.count, 6000)
    let outcome = try Self.decodeLive(bytes, holdingBackAfter: 3000)
    XCTAssertTrue(outcome.samplesBeforeTheRest, "no samples until the whole stream had come")
    XCTAssertEqual(outcome.samples, try decodeAll(path).samples.count, "the stream decodes whole")
  }

  private func assertDecodedAsItArrives(_ path: String) throws {
    let name = (path as NSString).lastPathComponent
    let bytes = readWholeFile(path)
    let expected = try decodeAll(path).samples.count
    let outcome = try Self.decodeLive(bytes, holdingBackAfter: bytes.count / 2)
    XCTAssertTrue(outcome.samplesBeforeTheRest, "\(name): no samples until the whole stream had come")
    XCTAssertEqual(outcome.samples, expected, "\(name): the stream decodes whole")
  }

  /// Sends `bytes` through a pipe, the part after `holdingBackAfter` only once the decoder has
  /// given samples (or after 10 s); whether it had, and the samples decoded.
  static func decodeLive(_ bytes: [UInt8], holdingBackAfter split: Int) throws -> (samplesBeforeTheRest: Bool, samples: Int) {
    signal(SIGPIPE, SIG_IGN)
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { throw XCTSkip("pipe: \(String(cString: strerror(errno)))") }
    let (reading, writing) = (ends[0], ends[1])
    defer { close(reading) }
    final class Flag: @unchecked Sendable {
      let samplesCame = DispatchSemaphore(value: 0)
      var inTime = false
    }
    let flag = Flag()
    let writer = Thread {
      func send(_ part: ArraySlice<UInt8>) {
        var offset = part.startIndex
        while offset < part.endIndex {
          let written = part[offset...].withUnsafeBytes { write(writing, $0.baseAddress, $0.count) }
          if written <= 0 { return }
          offset += written
        }
      }
      send(bytes[..<split])
      flag.inTime = flag.samplesCame.wait(timeout: .now() + 10) == .success
      send(bytes[split...])
      close(writing)
    }
    writer.start()
    let source = try openAudioSource(path: "/dev/fd/\(reading)")
    var chunk = AudioChunk(channels: source.format.channels)
    var samples = 0
    var signalled = false
    while try source.read(into: &chunk, maxFrames: 1024) > 0 {
      samples += chunk.samples.count
      if !signalled {
        signalled = true
        flag.samplesCame.signal()
      }
    }
    if !signalled { flag.samplesCame.signal() }
    while !writer.isFinished { usleep(1000) }
    return (flag.inTime, samples)
  }
}
