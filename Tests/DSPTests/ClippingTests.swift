import DSP
import TestSupport
import XCTest

/// Integer outputs clip to full scale and count exactly the samples that had to be clipped.
final class ClippingTests: XCTestCase {
  /// 0.6 × 2 = 1.2 clips; 0.4 × 2 = 0.8 does not; −0.55 × 2 = −1.1 clips.
  func signal() -> (samples: [Float], clipped: Int) {
    var samples: [Float] = []
    var clipped = 0
    var random = LCG(seed: 9)
    for _ in 0..<20000 {
      let draw = random.nextSigned()
      if draw > 0.9 { samples.append(0.6); clipped += 1 }
      else if draw < -0.95 { samples.append(-0.55); clipped += 1 }
      else { samples.append(Float(draw * 0.45)) }
    }
    return (samples, clipped)
  }

  func testFileSinkCountsEveryClippedSampleForEachIntegerEncoding() throws {
    let directory = try scratchDirectory(self)
    let (samples, clipped) = signal()
    XCTAssertGreaterThan(clipped, 100)
    let format = StreamFormat(sampleRate: 16000, channels: 1)
    for encoding in [SampleEncoding.s16, .s24, .s32] {
      let path = "\(directory)/clip-\(encoding).wav"
      let sink = try FileSink(
        path: path, format: OutputFileFormat(container: .wav, encoding: encoding), stream: format, overwrite: false)
      var configuration = PipelineConfiguration()
      configuration.highPassHz = nil
      configuration.gain = 2
      let report = try Pipeline.run(source: MemorySource(samples: samples, format: format), sink: sink, configuration: configuration)
      XCTAssertEqual(report.clippedSamples, clipped, "\(encoding)")
      let written = try readSoundFile(path).samples
      XCTAssertEqual(written.count, samples.count)
      XCTAssertEqual(written.max() ?? 0, 1, accuracy: 1e-4)
      XCTAssertEqual(written.min() ?? 0, -1, accuracy: 1e-4)
    }
  }

  func testFloatOutputIsNotClipped() throws {
    let directory = try scratchDirectory(self)
    let (samples, _) = signal()
    let format = StreamFormat(sampleRate: 16000, channels: 1)
    let path = "\(directory)/float.wav"
    let sink = try FileSink(
      path: path, format: OutputFileFormat(container: .wav, encoding: .f32), stream: format, overwrite: false)
    var configuration = PipelineConfiguration()
    configuration.highPassHz = nil
    configuration.gain = 2
    let report = try Pipeline.run(source: MemorySource(samples: samples, format: format), sink: sink, configuration: configuration)
    XCTAssertEqual(report.clippedSamples, 0)
    XCTAssertEqual(try readSoundFile(path).samples.max() ?? 0, 1.2, accuracy: 1e-6)
  }

  /// Full scale is 2^15: 32767/32768 fits, 1.0 needs clipping by one step.
  func testQuantizerBoundaries() {
    var quantizer = SampleQuantizer()
    var output: [Int16] = []
    quantizer.quantize16([32767 / 32768, -1, 1, 0.5, -0.5 / 32768], into: &output)
    XCTAssertEqual(output, [32767, -32768, 32767, 16384, -1])
    XCTAssertEqual(quantizer.clippedSamples, 1)
  }
}

/// TPDF dither: reproducible, within one step of plain rounding, unbiased, of the known power.
final class DitherTests: XCTestCase {
  func testDitherIsReproducibleAndWithinOneStep() {
    let input = Signals.chirpPlusNoise(seconds: 1, sampleRate: 16000)
    var plain = SampleQuantizer(), first = SampleQuantizer(dither: true), second = SampleQuantizer(dither: true)
    var a: [Int16] = [], b: [Int16] = [], c: [Int16] = []
    plain.quantize16(input, into: &a)
    first.quantize16(input, into: &b)
    second.quantize16(input, into: &c)
    XCTAssertEqual(b, c)
    XCTAssertNotEqual(a, b)
    XCTAssertTrue(zip(a, b).allSatisfy { abs(Int($0) - Int($1)) <= 1 })
  }

  /// A constant 0.3 LSB rounds to 0 without dither; with TPDF dither its mean survives, and the
  /// error power is 1/6 (dither) + 1/12 (rounding) = 1/4 LSB².
  func testDitherPreservesSubLSBLevelsWithTheExpectedNoisePower() {
    let input = [Float](repeating: Float(0.3 / 32768), count: 200_000)
    var plain = SampleQuantizer(), dithered = SampleQuantizer(dither: true)
    var a: [Int16] = [], b: [Int16] = []
    plain.quantize16(input, into: &a)
    dithered.quantize16(input, into: &b)
    XCTAssertTrue(a.allSatisfy { $0 == 0 })
    let mean = b.reduce(0.0) { $0 + Double($1) } / Double(b.count)
    XCTAssertEqual(mean, 0.3, accuracy: 0.01)
    let power = b.reduce(0.0) { $0 + pow(Double($1) - 0.3, 2) } / Double(b.count)
    XCTAssertEqual(power, 0.25, accuracy: 0.25 * 0.05)
  }
}
