import DSP
import Foundation
import TestSupport
import XCTest

/// `SpeechTrimSink` (`--trim-silence` on a stream): the samples from the first region's start to
/// the last one's end as `SpeechMeter` finds them over the whole recording (the file's two-pass
/// answer), as long as the trailing non-speech fits the hold; past it, exactly the hold is dropped;
/// never more than the hold (or the look-ahead) and a chunk held.
final class SpeechTrimSinkTests: XCTestCase {
  let format = StreamFormat(sampleRate: 16000, channels: 1)

  /// 0.8 s of noise, the fixture's sentence, 1.5 s of noise, the sentence, 3 s of noise (white,
  /// 66 dB under full scale).
  func recording() throws -> [Float] {
    let sink = MemorySink()
    var configuration = PipelineConfiguration()
    configuration.turnFiltersOff()
    _ = try Pipeline.run(source: try openAudioSource(path: fixtures + "/speech.wav"), sink: sink, configuration: configuration)
    let sentence = sink.samples
    var random = LCG(seed: 4)
    let noise = { (seconds: Double) in (0..<Int(seconds * 16000)).map { _ in Float(random.nextSigned() * 0.0005) } }
    return noise(0.8) + sentence + noise(1.5) + sentence + noise(3)
  }

  /// The first region's start to the last one's end, as a whole-recording pass finds them.
  func extent(_ samples: [Float]) throws -> Range<Int> {
    let meter = try SpeechMeter(stream: format)
    var regions: [Range<Int>] = []
    meter.onRegion = { regions.append($0) }
    for start in stride(from: 0, to: samples.count, by: 1600) {
      try meter.write(AudioChunk(samples: Array(samples[start..<min(samples.count, start + 1600)]), channels: 1))
    }
    _ = try meter.finish()
    XCTAssertGreaterThanOrEqual(regions.count, 2)
    return regions.first!.lowerBound..<regions.last!.upperBound
  }

  func trimmed(_ samples: [Float], holdSeconds: Double) throws -> (samples: [Float], sink: SpeechTrimSink) {
    let memory = MemorySink()
    let sink = try SpeechTrimSink(SpeechTrimSink.Settings(holdSeconds: holdSeconds), stream: format, forwardingTo: memory)
    for start in stride(from: 0, to: samples.count, by: 1600) {
      try sink.write(AudioChunk(samples: Array(samples[start..<min(samples.count, start + 1600)]), channels: 1))
    }
    _ = try sink.finish()
    return (memory.samples, sink)
  }

  func testAStreamTrimsAsTheFileDoesWhenItsTrailingSilenceFitsTheHold() throws {
    let samples = try recording()
    let speech = try extent(samples)
    XCTAssertGreaterThan(speech.lowerBound, 8000)  // there is leading non-speech to drop
    XCTAssertLessThan(speech.upperBound, samples.count - 32000)  // and trailing
    let (output, sink) = try trimmed(samples, holdSeconds: 5)
    XCTAssertEqual(output.count, speech.count)
    XCTAssertTrue(output == Array(samples[speech]))
    XCTAssertLessThanOrEqual(sink.peakHeldFrames, 5 * 16000 + 1600)
  }

  func testPastTheHoldTheLastHoldOfTheTrailingSilenceIsDropped() throws {
    let samples = try recording()
    let speech = try extent(samples)
    // 1 s: shorter than the 1.5 s gap (kept whole all the same) and the 3 s tail.
    let (output, sink) = try trimmed(samples, holdSeconds: 1)
    let hold = max(16000, sink.lookAheadFrames)
    XCTAssertLessThan(speech.upperBound, samples.count - hold)  // the tail is longer than the hold
    XCTAssertEqual(output.count, samples.count - hold - speech.lowerBound)
    XCTAssertTrue(output == Array(samples[speech.lowerBound..<(samples.count - hold)]))
    XCTAssertLessThanOrEqual(sink.peakHeldFrames, hold + 1600)
  }
}
