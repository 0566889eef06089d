import DSP
import TestSupport
import XCTest

/// `--loudness` / `--peak`: the gain a first pass sets, and a run that applies it. (The outputs
/// measured by pyloudnorm are Tests/e2e/loudness_reference.py's.)
final class NormalizationTests: XCTestCase {
  private let measured = Loudness(integratedLUFS: -30, rangeLU: 4, truePeakDBTP: -12, samplePeakDBFS: -12.5)

  func testTheGainTakesTheOutputToItsTarget() {
    let outcome = Normalization(target: .loudness(lufs: -23)).outcome(measured: measured)
    XCTAssertEqual(outcome.gainDB, 7, accuracy: 1e-12)
    XCTAssertEqual(outcome.shortfallDB, 0)
    XCTAssertTrue(outcome.reached)
    XCTAssertEqual(outcome.expected.truePeakDBTP, -5, accuracy: 1e-12)
    XCTAssertEqual(Double(outcome.linearGain), 2.2387, accuracy: 1e-4)
  }

  /// −14 LUFS would need +16 dB and lift the true peak to +4 dBTP: the gain stops at the
  /// ceiling and the 5 dB left are the shortfall.
  func testTheCeilingLowersTheGainAndSaysByHowMuch() {
    let outcome = Normalization(target: .loudness(lufs: -14), truePeakCeilingDBTP: -1).outcome(measured: measured)
    XCTAssertEqual(outcome.gainDB, 11, accuracy: 1e-12)
    XCTAssertEqual(outcome.wantedGainDB ?? 0, 16, accuracy: 1e-12)
    XCTAssertEqual(outcome.shortfallDB ?? 0, 5, accuracy: 1e-12)
    XCTAssertFalse(outcome.reached)
  }

  func testPeakTargetAndSilence() {
    let peak = Normalization(target: .peak(dBFS: -3), truePeakCeilingDBTP: 0).outcome(measured: measured)
    XCTAssertEqual(peak.gainDB, 9.5, accuracy: 1e-12)
    let silent = Loudness(integratedLUFS: -.infinity, rangeLU: 0, truePeakDBTP: -.infinity, samplePeakDBFS: -.infinity)
    let outcome = Normalization(target: .loudness(lufs: -23)).outcome(measured: silent)
    XCTAssertEqual(outcome.gainDB, 0)
    XCTAssertNil(outcome.shortfallDB)
    XCTAssertFalse(outcome.reached)
  }

  /// The run measures what its own chain makes of the input: the output it writes reads the
  /// target (here by the same meter; by pyloudnorm in make test-loudness), and nothing clips.
  func testARunWritesTheTargetLoudness() throws {
    var configuration = PipelineConfiguration()
    configuration.normalization = Normalization(target: .loudness(lufs: -23))
    configuration.measuresLoudness = true
    let result = try AudioPipeline(configuration: configuration).run(.init(fixtures + "/speech.flac"), to: .init(.memory))
    let outcome = try XCTUnwrap(result.report.normalization)
    XCTAssertTrue(outcome.reached)
    XCTAssertEqual(try XCTUnwrap(result.report.outputLoudness).integratedLUFS, -23, accuracy: 0.01)
    XCTAssertLessThan(try XCTUnwrap(result.report.outputLoudness).samplePeakDBFS, -1)
    // The default chain (gain ×1.5) takes this file past full scale.
    var fixed = PipelineConfiguration()
    fixed.measuresLoudness = true
    let clipping = try AudioPipeline(configuration: fixed).run(.init(fixtures + "/speech.flac"), to: .init(.memory))
    XCTAssertEqual(try XCTUnwrap(clipping.report.outputLoudness).samplePeakDBFS, 0.85, accuracy: 0.01)
  }

  /// A quiet first half and a loud second half, 2 s each at 16 kHz (440 Hz): the two halves'
  /// loudness differ by 28 dB, so a measure of the whole is far from a measure of either half.
  private func quietThenLoud() -> [Float] {
    (0..<64000).map { i in Float((i < 32000 ? 0.02 : 0.5) * sin(2 * Double.pi * 440 * Double(i) / 16000)) }
  }

  private func loudness(_ samples: [Float], rate: Int = 16000) throws -> Double {
    var meter = try LevelMeter(format: StreamFormat(sampleRate: rate, channels: 1), measuresLoudness: true)
    meter.add(AudioChunk(samples: samples, channels: 1))
    return try XCTUnwrap(meter.loudness).integratedLUFS
  }

  /// `--start`/`--end` with `--loudness`: the gain is set from the range written, so the
  /// excerpt reads the target (it read −42.8 LUFS for a −23 target: the first pass measured the
  /// whole input, whose loud half set the gain).
  func testANormalisedRangeReadsTheTarget() throws {
    var configuration = PipelineConfiguration()
    configuration.normalization = Normalization(target: .loudness(lufs: -23))
    let input = AudioPipeline.Input.samples(quietThenLoud(), format: StreamFormat(sampleRate: 16000, channels: 1))
    for range in [TimeRange(startSeconds: 0, endSeconds: 2), TimeRange(startSeconds: 2.5)] {
      var output = AudioPipeline.Output(.memory)
      output.range = range
      let result = try AudioPipeline(configuration: configuration).run(input, to: output)
      XCTAssertEqual(try loudness(result.samples ?? []), -23, accuracy: 0.1, "\(range)")
    }
  }

  /// What a run measures with a range is what it writes: the output's loudness is the excerpt's,
  /// the input's is the same span of the input (both measured the whole stream before).
  func testAMeasuredRangeIsTheRangeWritten() throws {
    var configuration = PipelineConfiguration()
    configuration.measuresLoudness = true
    let samples = quietThenLoud()
    let input = AudioPipeline.Input.samples(samples, format: StreamFormat(sampleRate: 16000, channels: 1))
    var output = AudioPipeline.Output(.memory)
    output.range = TimeRange(startSeconds: 0, endSeconds: 2)
    let result = try AudioPipeline(configuration: configuration).run(input, to: output)
    XCTAssertEqual(
      try XCTUnwrap(result.report.outputLoudness).integratedLUFS, try loudness(result.samples ?? []), accuracy: 0.01)
    XCTAssertEqual(
      try XCTUnwrap(result.report.inputLoudness).integratedLUFS, try loudness(Array(samples[0..<32000])), accuracy: 0.01)
  }

  /// `--trim-silence` with `--loudness`: the speech is found at ×1 (the gain is set afterwards,
  /// from the trimmed span), then the span reads the target. Finding the speech ran the
  /// normalising configuration through `Pipeline.run`, which refuses it (64 for every file, with
  /// a message naming the library).
  func testTheSpeechOfANormalisedRunIsFoundAtUnity() throws {
    let speech = try XCTUnwrap(try AudioPipeline().run(.init(fixtures + "/speech.wav"), to: .init(.memory)).samples)
    let padded = [Float](repeating: 0, count: 16000) + speech + [Float](repeating: 0, count: 16000)
    let input = AudioPipeline.Input.samples(padded, format: StreamFormat(sampleRate: 16000, channels: 1))
    var unity = PipelineConfiguration()
    unity.gain = 1
    var normalising = PipelineConfiguration()
    normalising.normalization = Normalization(target: .loudness(lufs: -23))
    let extent = try XCTUnwrap(try AudioPipeline(configuration: normalising).speechExtent(input))
    XCTAssertEqual(extent, try AudioPipeline(configuration: unity).speechExtent(input))
    XCTAssertGreaterThan(extent.lowerBound, 8000)
    var output = AudioPipeline.Output(.memory)
    output.range = TimeRange(speechExtent: extent, sampleRate: 16000)
    let result = try AudioPipeline(configuration: normalising).run(input, to: output)
    XCTAssertEqual(try loudness(result.samples ?? []), -23, accuracy: 0.1)
  }

  /// Measuring changes no sample; a normalised run needs a source it can read twice.
  func testMeasuringChangesNothingAndPipelineRunRefusesNormalising() throws {
    var measuring = PipelineConfiguration()
    measuring.measuresLoudness = true
    let plain = try AudioPipeline().run(.init(fixtures + "/speech.flac"), to: .init(.memory))
    let measured = try AudioPipeline(configuration: measuring).run(.init(fixtures + "/speech.flac"), to: .init(.memory))
    XCTAssertEqual(plain.samples, measured.samples)
    XCTAssertNil(plain.report.outputLoudness)
    XCTAssertEqual(PipelineConfiguration().fingerprint, measuring.fingerprint)
    var normalising = PipelineConfiguration()
    normalising.normalization = Normalization(target: .peak(dBFS: -1))
    XCTAssertThrowsError(
      try Pipeline.run(
        source: MemorySource(samples: [0.1, 0.2], format: StreamFormat(sampleRate: 16000, channels: 1)),
        sink: MemorySink(), configuration: normalising))
  }
}
