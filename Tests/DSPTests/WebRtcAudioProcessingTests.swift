import DSP
import TestSupport
import XCTest

/// WebRTC's noise suppression and gain control as a chain node (`--denoise`, `--agc`): streaming
/// (the output does not depend on how the stream is cut into chunks), the stream's length kept,
/// deterministic (same input, same samples; `reset` starts over), at the library's rates only,
/// and absent from the default chain.
final class WebRtcAudioProcessingTests: XCTestCase {
  let format = StreamFormat(sampleRate: 16000, channels: 1)

  /// The fixture's speech (3.6 s) resampled to 16 kHz, quietened by `scale`, plus white noise of
  /// `noise` peak.
  func noisySpeech(scale: Float = 0.5, noise: Double = 0.02) throws -> [Float] {
    let file = try readSoundFile(fixtures + "/speech.wav")
    let speech = try runPipeline(file.samples, format: StreamFormat(sampleRate: file.rate, channels: 1)) { $0.turnFiltersOff() }.samples
    var random = LCG(seed: 7)
    return speech.map { $0 * scale + Float(noise * random.nextSigned()) }
  }

  /// Runs `samples` through a prepared node in chunks of `chunkFrames` (then flushes).
  func run(_ node: WebRtcAudioProcessing, _ samples: [Float], chunkFrames: Int, format: StreamFormat? = nil) throws -> [Float] {
    let format = format ?? self.format
    _ = try node.prepare(format)
    var output: [Float] = []
    var start = 0
    let step = chunkFrames * format.channels
    while start < samples.count {
      var chunk = AudioChunk(samples: Array(samples[start..<min(start + step, samples.count)]), channels: format.channels)
      try node.process(&chunk)
      output += chunk.samples
      start += step
    }
    var tail = AudioChunk(channels: format.channels)
    try node.flush(&tail)
    return output + tail.samples
  }

  /// The library holds its output to ±1 (it works in 16-bit range): a loud input (a 44.1 kHz
  /// file near full scale overshoots when resampled) came out flat-topped with nothing said, and
  /// a run reported 0 clipped samples (#20, found by a hostile review). The node counts the
  /// samples it held at full scale and the run's report carries them.
  func testSamplesHeldAtFullScaleAreCountedInTheReport() throws {
    let loud = try noisySpeech(scale: 2.5, noise: 0.01)
    let node = WebRtcAudioProcessing(noiseLevel: .low, gainControl: false)
    let output = try run(node, loud, chunkFrames: 1000)
    let atFullScale = output.filter { abs($0) >= 1 }.count
    XCTAssertGreaterThan(atFullScale, 0, "the test needs an input the library clamps")
    XCTAssertEqual(node.samplesHeldAtFullScale, atFullScale)
    let piped = try runPipeline(loud, format: format) {
      $0.turnFiltersOff()
      $0.noiseSuppression = .low
    }
    XCTAssertEqual(piped.report.webrtcClippedSamples, piped.samples.filter { abs($0) >= 1 }.count)
    XCTAssertEqual(piped.report.webrtcClippedSamples, atFullScale)
    // A quiet input: nothing held.
    let quiet = WebRtcAudioProcessing(noiseLevel: .low, gainControl: false)
    _ = try run(quiet, try noisySpeech(), chunkFrames: 1000)
    XCTAssertEqual(quiet.samplesHeldAtFullScale, 0)
  }

  func testTheOutputDoesNotDependOnChunkingAndKeepsTheLength() throws {
    let input = try noisySpeech()
    for (level, agc) in [(WebRtcAudioProcessing.NoiseLevel.high, false), (nil, true), (.veryHigh, true)] {
      let whole = try run(WebRtcAudioProcessing(noiseLevel: level, gainControl: agc), input, chunkFrames: input.count)
      XCTAssertEqual(whole.count, input.count, "\(String(describing: level)) agc \(agc)")
      XCTAssertNotEqual(whole, input, "the node must change the samples")
      for chunkFrames in [1, 160, 161, 1000, 4096] {
        let chunked = try run(WebRtcAudioProcessing(noiseLevel: level, gainControl: agc), input, chunkFrames: chunkFrames)
        XCTAssertEqual(chunked, whole, "chunks of \(chunkFrames) frames, \(String(describing: level)) agc \(agc)")
      }
    }
  }

  /// Same input, same samples, from a new node and from one reset after a first run.
  func testDeterministicAcrossNodesAndAfterReset() throws {
    let input = try noisySpeech()
    let node = WebRtcAudioProcessing(noiseLevel: .moderate, gainControl: true)
    let first = try run(node, input, chunkFrames: 1600)
    node.reset()
    var again: [Float] = []
    var chunk = AudioChunk(samples: input, channels: 1)
    try node.process(&chunk)
    again += chunk.samples
    var tail = AudioChunk(channels: 1)
    try node.flush(&tail)
    again += tail.samples
    XCTAssertEqual(again, first, "after reset")
    XCTAssertEqual(try run(WebRtcAudioProcessing(noiseLevel: .moderate, gainControl: true), input, chunkFrames: 1600), first)
  }

  /// Stationary white noise alone: after the suppressor's first second (its noise estimate
  /// settling), each level leaves less of it, and every level takes off more than 6 dB.
  func testNoiseAloneIsSuppressedMoreAtEachLevel() throws {
    var random = LCG(seed: 3)
    let noise = (0..<48000).map { _ in Float(0.05 * random.nextSigned()) }
    let settled = 16000..<48000
    var previous = Reference.decibels(Reference.rms(noise[settled]))
    for level in WebRtcAudioProcessing.NoiseLevel.allCases {
      let output = try run(WebRtcAudioProcessing(noiseLevel: level, gainControl: false), noise, chunkFrames: 1600)
      let dB = Reference.decibels(Reference.rms(output[settled]))
      XCTAssertLessThan(dB, Reference.decibels(Reference.rms(noise[settled])) - 6, "\(level)")
      XCTAssertLessThan(dB, previous, "\(level) must suppress more than the level before")
      previous = dB
    }
  }

  /// Quiet speech (the fixture at ×0.03, about -33 dBFS peak, said five times) comes out
  /// louder under gain control as it adapts (by the last repetition more than 20 dB; it rises
  /// by a few dB a second), and under full scale.
  func testGainControlRaisesQuietSpeech() throws {
    let once = try noisySpeech(scale: 0.03, noise: 0)
    let quiet = Array([[Float]](repeating: once, count: 5).joined())
    let output = try run(WebRtcAudioProcessing(noiseLevel: nil, gainControl: true), quiet, chunkFrames: 1600)
    let first = 0..<once.count
    let last = (4 * once.count)..<quiet.count
    let firstGain = Reference.decibels(Reference.rms(output[first]) / Reference.rms(quiet[first]))
    let lastGain = Reference.decibels(Reference.rms(output[last]) / Reference.rms(quiet[last]))
    XCTAssertGreaterThan(lastGain, 20)
    XCTAssertGreaterThan(lastGain, firstGain + 10)
    XCTAssertLessThan(output.map { abs($0) }.max()!, 1)
  }

  /// Each channel is processed: a stereo stream whose channels are equal comes out with equal
  /// channels, and its length kept.
  func testStereoKeepsItsChannels() throws {
    let mono = try noisySpeech()
    let stereo = Signals.interleave([mono, mono])
    let format = StreamFormat(sampleRate: 16000, channels: 2)
    let output = try run(WebRtcAudioProcessing(noiseLevel: .high, gainControl: false), stereo, chunkFrames: 999, format: format)
    XCTAssertEqual(output.count, stereo.count)
    let left = stride(from: 0, to: output.count, by: 2).map { output[$0] }
    let right = stride(from: 1, to: output.count, by: 2).map { output[$0] }
    XCTAssertEqual(left, right)
  }

  func testRatesTheLibraryDoesNotTakeAreRefused() throws {
    for rate in [8000, 16000, 32000, 48000] {
      XCTAssertNoThrow(try WebRtcAudioProcessing(noiseLevel: .low, gainControl: false).prepare(StreamFormat(sampleRate: rate, channels: 1)))
    }
    for rate in [11025, 22050, 44100, 96000] {
      XCTAssertThrowsError(try WebRtcAudioProcessing(noiseLevel: .low, gainControl: false).prepare(StreamFormat(sampleRate: rate, channels: 1))) {
        guard case DSPError.invalidParameter = $0 else { return XCTFail("\(rate): \($0)") }
      }
    }
  }

  /// Off by default: the default chain has no WebRTC stage and its fingerprint no WebRTC part;
  /// on, the node sits after the resampler and before the high-pass, and its settings enter
  /// the fingerprint (so a resumed batch does not reuse outputs made without them).
  func testOffByDefaultAndPlacedBeforeTheHighPass() {
    var configuration = PipelineConfiguration()
    let input = StreamFormat(sampleRate: 44100, channels: 2)
    XCTAssertEqual(configuration.makeChain(for: input).nodes.map(\.stageName), ["downmix", "resample", "highpass", "gain"])
    XCTAssertFalse(configuration.fingerprint.contains("webrtc"))
    configuration.noiseSuppression = .veryHigh
    configuration.automaticGainControl = true
    XCTAssertEqual(configuration.makeChain(for: input).nodes.map(\.stageName), ["downmix", "resample", "webrtc", "highpass", "gain"])
    XCTAssertTrue(configuration.fingerprint.contains("webrtc_ns=very-high/unless-clean22-34dB/aligned webrtc_agc="), configuration.fingerprint)
  }
}
