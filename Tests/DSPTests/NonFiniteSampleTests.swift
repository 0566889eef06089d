import CSndFile
import DSP
import TestSupport
import XCTest

/// NaN never reaches an integer conversion (which would trap), and float input beyond ±1024
/// is clamped before any node sees it.
final class NonFiniteSampleTests: XCTestCase {
  func testQuantizersTurnNaNIntoZeroAndCountIt() {
    var quantizer = SampleQuantizer()
    var shorts: [Int16] = []
    quantizer.quantize16([.nan, 0.5, .infinity, -.infinity], into: &shorts)
    XCTAssertEqual(shorts, [0, 16384, .max, .min])
    XCTAssertEqual(quantizer.clippedSamples, 3)

    var ints: [Int32] = []
    for bits in [24, 32] {
      quantizer = SampleQuantizer()
      quantizer.quantize32([.nan, -.nan, 0], bits: bits, into: &ints)
      XCTAssertEqual(ints, [0, 0, 0], "\(bits)")
      XCTAssertEqual(quantizer.clippedSamples, 2, "\(bits)")
    }

    var floats: [Float] = []
    quantizer = SampleQuantizer()
    quantizer.clamp([.nan, 2, -0.25], into: &floats)
    XCTAssertEqual(floats, [0, 1, -0.25])
    XCTAssertEqual(quantizer.clippedSamples, 2)
  }

  func testFloatInputBeyondTheLimitIsClampedAndCounted() throws {
    let directory = try scratchDirectory(self)
    let path = directory + "/loud.wav"
    let samples: [Float] = [3.4e38, -3.4e38, 1e30, 1024, -1024, 1025, 0.5, .nan, .infinity]
    var info = SF_INFO()
    info.samplerate = 44100
    info.channels = 1
    info.format = Int32(SF_FORMAT_WAV) | Int32(SF_FORMAT_FLOAT)
    let file = try XCTUnwrap(sf_open(path, Int32(SFM_WRITE), &info))
    XCTAssertEqual(sf_write_float(file, samples, sf_count_t(samples.count)), sf_count_t(samples.count))
    sf_close(file)

    // The chain's first node repairs a float source (#11: a node, not the decoder's job).
    let source = try SndFileSource(path: path)
    XCTAssertTrue(source.deliversFloats)
    var configuration = PipelineConfiguration()
    configuration.outputRate = 44100
    configuration.highPassHz = nil
    configuration.gain = 1
    let sink = MemorySink()
    let report = try Pipeline.run(source: source, sink: sink, configuration: configuration)
    XCTAssertEqual(sink.samples, [1024, -1024, 1024, 1024, -1024, 1024, 0.5, 0, 0])
    XCTAssertEqual(report.outOfRangeSamples, 4)
    XCTAssertEqual(report.nonFiniteSamples, 2)
    XCTAssertNil(source.truncation)
  }
}
