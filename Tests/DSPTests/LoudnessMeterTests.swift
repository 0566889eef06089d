import CEbur128
import DSP
import XCTest

/// `LevelMeter`'s EBU R128 loudness against signals with a known answer (ITU-R BS.1770-4: a
/// 1 kHz sine at 0 dBFS in one channel reads −3.01 LKFS; each further channel of it adds
/// 3.01 LU). The comparison with pyloudnorm and ffmpeg on real recordings is
/// Tests/e2e/loudness_reference.py (`make test-loudness`).
final class LoudnessMeterTests: XCTestCase {
  private func loudness(_ samples: [Float], rate: Int, channels: Int = 1) throws -> Loudness {
    var meter = try LevelMeter(format: StreamFormat(sampleRate: rate, channels: channels), measuresLoudness: true)
    // In blocks of 1000 frames, as a stream arrives.
    var start = 0
    while start < samples.count {
      let end = min(samples.count, start + 1000 * channels)
      meter.add(AudioChunk(samples: Array(samples[start..<end]), channels: channels))
      start = end
    }
    return try XCTUnwrap(meter.loudness)
  }

  func testFullScaleSineReadsMinus3LUFSAtEveryRate() throws {
    for rate in [8000, 16000, 44100, 48000] {
      let sine = Signals.sine(hz: 997, seconds: 2, sampleRate: rate, amplitude: 1)
      let measured = try loudness(sine, rate: rate)
      XCTAssertEqual(measured.integratedLUFS, -3.01, accuracy: 0.05, "\(rate) Hz")
      XCTAssertEqual(measured.rangeLU, 0, accuracy: 0.1, "\(rate) Hz")
      XCTAssertEqual(measured.samplePeakDBFS, 0, accuracy: 0.01, "\(rate) Hz")
    }
  }

  func testEveryChannelCountsOnce() throws {
    let sine = Signals.sine(hz: 997, seconds: 2, sampleRate: 48000, amplitude: 0.5)
    let stereo = try loudness(Signals.interleave([sine, sine]), rate: 48000, channels: 2)
    XCTAssertEqual(stereo.integratedLUFS, -9.03 + 3.01, accuracy: 0.05)
    let left = try loudness(Signals.interleave([sine, [Float](repeating: 0, count: sine.count)]), rate: 48000, channels: 2)
    XCTAssertEqual(left.integratedLUFS, -9.03, accuracy: 0.05)
  }

  /// Channel weights for any channel count, as ffmpeg's default layouts and pyloudnorm weigh
  /// them (BS.1770: 1.0 in front, 1.41, +1.50 dB, around; an LFE counts nothing): the fourth
  /// channel is the LFE of 5.1 and more (6+ channels), a surround of 4.0 and 5.0; every channel
  /// past the sixth (6.1, 7.1's sides, larger arrays) is a surround. Channels 7 and up counted
  /// nothing: speech on channel 8 alone read −inf.
  func testEveryChannelCountHasItsWeights() throws {
    let sine = Signals.sine(hz: 997, seconds: 1, sampleRate: 8000, amplitude: 0.5)
    let silence = [Float](repeating: 0, count: sine.count)
    func alone(in channel: Int, of channels: Int) throws -> Double {
      try loudness(Signals.interleave((0..<channels).map { $0 == channel ? sine : silence }), rate: 8000, channels: channels)
        .integratedLUFS
    }
    let front = -9.03, surround = -9.03 + 10 * log10(1.41)
    for channels in [1, 3, 4, 5, 6, 8, 10] {
      for channel in Set([0, min(2, channels - 1), min(3, channels - 1), channels - 1]).sorted() {
        let measured = try alone(in: channel, of: channels)
        if channel == 3 && channels >= 6 {
          XCTAssertEqual(measured, -.infinity, "LFE, channel \(channel + 1) of \(channels)")
        } else {
          XCTAssertEqual(measured, channel < 3 ? front : surround, accuracy: 0.05, "channel \(channel + 1) of \(channels)")
        }
      }
    }
  }

  /// A meter reads float samples as the chain repairs them (NaN and ±Inf as 0, beyond ±1024 at
  /// ±1024): `info` read a file with three NaN samples as −inf LUFS and peak, and one 1e30 sample
  /// as a 600 dBFS peak; batch's `input_*` loudness was null.
  func testAMeterReadsFloatsAsTheChainRepairsThem() throws {
    let sine = Signals.sine(hz: 997, seconds: 1, sampleRate: 16000, amplitude: 0.5)
    var damaged = sine, repaired = sine
    for (index, value) in [(100, Float.nan), (200, Float.infinity), (300, -Float.infinity), (400, 1e30)] {
      damaged[index] = value
      repaired[index] = value.isFinite ? 1024 : 0
    }
    let measured = try loudness(damaged, rate: 16000), expected = try loudness(repaired, rate: 16000)
    XCTAssertEqual(measured.integratedLUFS, expected.integratedLUFS, accuracy: 1e-9)
    XCTAssertEqual(measured.samplePeakDBFS, 20 * log10(1024), accuracy: 1e-6)
    XCTAssertTrue(measured.integratedLUFS.isFinite)
  }

  /// 10 s at −20 dBFS then 10 s at −35 dBFS: the quiet half falls under the relative gate
  /// (10 LU below the ungated mean, −25.9 LUFS), so the integrated loudness is the loud half's;
  /// the range spans both (EBU Tech 3342's relative gate is 20 LU).
  func testRelativeGateLeavesTheQuietHalfOut() throws {
    let loud = Signals.sine(hz: 997, seconds: 10, sampleRate: 16000, amplitude: 0.1)
    let quiet = Signals.sine(hz: 997, seconds: 10, sampleRate: 16000, amplitude: 0.1 * pow(10, -15.0 / 20))
    let measured = try loudness(loud + quiet, rate: 16000)
    XCTAssertEqual(measured.integratedLUFS, -23.01, accuracy: 0.1)
    XCTAssertEqual(measured.rangeLU, 15, accuracy: 0.2)
  }

  /// A sine at a quarter of the rate, sampled 45° off its crests: every sample is 0.707 of the
  /// crest, which lies between samples. The true peak finds the crest, 3.01 dB above.
  func testTruePeakFindsTheCrestBetweenSamples() throws {
    let rate = 48000
    let samples = (0..<rate * 2).map { Float(0.5 * sin(Double.pi / 2 * Double($0) + Double.pi / 4)) }
    let measured = try loudness(samples, rate: rate)
    XCTAssertEqual(measured.samplePeakDBFS, -9.03, accuracy: 0.01)
    XCTAssertEqual(measured.truePeakDBTP, -6.02, accuracy: 0.2)
  }

  /// Below 44.1 kHz the true peak is within 0.2 dB of the continuous signal's peak for content
  /// up to 0.47 of the rate: sines near Nyquist, whose peak between samples the formula gives
  /// exactly (evaluated in Double on a 64× grid). libebur128's 49-tap interpolator rolls off
  /// from about a third of the rate and read this 1.3 dB low (on broadband noise 0.4 dB below
  /// ffmpeg, which resamples to 192 kHz: #20's 0.2 dB bound against it failed).
  func testTruePeakReadsContentNearNyquistBelow44kHz() throws {
    for rate in [8000, 16000, 32000] {
      let partials: [(frequency: Double, amplitude: Double, phase: Double)] = [
        (0.11, 0.15, 0.3), (0.29, 0.2, 1.9), (0.41, 0.25, 4.1), (0.45, 0.2, 2.2), (0.47, 0.2, 5.3),
      ]
      let frames = rate / 2
      // A slow fade in and out (0.1 s): the ends carry no step the interpolator would ring on.
      let fade = Double(rate) / 10
      func value(_ t: Double) -> Double {
        let envelope = min(1, t / fade, (Double(frames - 1) - t) / fade)
        return max(0, envelope) * partials.reduce(0) { $0 + $1.amplitude * sin(2 * .pi * $1.frequency * t + $1.phase) }
      }
      let samples = (0..<frames).map { Float(value(Double($0))) }
      var exact = 0.0
      for k in 0..<(frames * 64) { exact = max(exact, abs(value(Double(k) / 64))) }
      let measured = try loudness(samples, rate: rate)
      XCTAssertEqual(measured.truePeakDBTP, 20 * log10(exact), accuracy: 0.2, "\(rate) Hz")
    }
  }

  /// From 44.1 kHz (4×, 2× and 1×) the true peak is audioprep's SIMD run of libebur128's
  /// interpolator: the same peak as libebur128's own (`EBUR128_MODE_TRUE_PEAK`), on noise and
  /// on a sine near Nyquist, fed in uneven blocks.
  func testTruePeakEqualsLibebur128sFrom44kHz() throws {
    for (rate, channels) in [(44100, 2), (48000, 1), (96000, 1), (192_000, 2)] {
      var random = LCG(seed: UInt64(rate))
      let frames = rate / 2
      var samples = (0..<frames * channels).map { _ in Float(0.5 * random.nextSigned()) }
      for frame in 0..<frames { samples[frame * channels] += Float(0.4 * sin(0.45 * 2 * Double.pi * Double(frame))) }
      let state = try XCTUnwrap(ebur128_init(UInt32(channels), UInt(rate), Int32(EBUR128_MODE_TRUE_PEAK.rawValue)))
      var handle: UnsafeMutablePointer<ebur128_state>? = state
      defer { ebur128_destroy(&handle) }
      samples.withUnsafeBufferPointer { _ = ebur128_add_frames_float(state, $0.baseAddress, frames) }
      var reference = 0.0
      for channel in 0..<channels {
        var value = 0.0
        ebur128_true_peak(state, UInt32(channel), &value)
        reference = max(reference, value)
      }
      var meter = try LevelMeter(format: StreamFormat(sampleRate: rate, channels: channels), measuresLoudness: true)
      var start = 0
      for size in [1, 7, 1000, 4096, 100_000] where start < samples.count {
        let end = min(samples.count, start + size * channels)
        meter.add(AudioChunk(samples: Array(samples[start..<end]), channels: channels))
        start = end
      }
      if start < samples.count { meter.add(AudioChunk(samples: Array(samples[start...]), channels: channels)) }
      let ours = try XCTUnwrap(meter.loudness).truePeakDBTP
      XCTAssertEqual(ours, 20 * log10(reference), accuracy: 0.001, "\(rate) Hz, \(channels) ch")
    }
  }

  func testSilenceHasNoLoudness() throws {
    let measured = try loudness([Float](repeating: 0, count: 48000), rate: 48000)
    XCTAssertEqual(measured.integratedLUFS, -.infinity)
    XCTAssertEqual(measured.truePeakDBTP, -.infinity)
    XCTAssertEqual(measured.samplePeakDBFS, -.infinity)
  }

  /// Shorter than one 400 ms gating block: the whole recording is the block.
  func testARecordingShorterThanABlockIsOneBlock() throws {
    let sine = Signals.sine(hz: 997, seconds: 0.3, sampleRate: 16000, amplitude: 1)
    XCTAssertEqual(try loudness(sine, rate: 16000).integratedLUFS, -3.01, accuracy: 0.1)
    let faint = Signals.sine(hz: 997, seconds: 0.3, sampleRate: 16000, amplitude: 0.0001)
    XCTAssertEqual(try loudness(faint, rate: 16000).integratedLUFS, -.infinity, "under the −70 LUFS gate")
  }

  func testPeakAndRMSAloneMeasureNoLoudness() {
    var meter = LevelMeter()
    meter.add(AudioChunk(samples: [0.5, -1, 0.25], channels: 1))
    XCTAssertNil(meter.loudness)
    XCTAssertEqual(meter.peak, 1)
    XCTAssertEqual(meter.samplesAtFullScale, 0, "-1 is -32768 in 16 bits: not clipped")
  }

  /// What `info` predicts a 16-bit output clips is what the quantizer clips: −1.0 is −32768
  /// and is not clipped, +1.0 is (32768 > 32767), and values that round past either end are. It
  /// counted |x| ≥ 1, so −1.0 (which a WebRTC stage or a hard limiter leaves) was predicted
  /// clipped: 458 predicted against 235 clipped (hostile review of #20).
  func testFullScaleCountIsWhatA16BitOutputClips() {
    var random = LCG(seed: 11)
    var samples = (0..<20_000).map { _ in Float(1.2 * random.nextSigned()) }
    samples += [-1, -1, 1, 32767.4 / 32768, 32767.5 / 32768, -32768.4 / 32768, -32768.6 / 32768, 0.99999]
    var meter = LevelMeter()
    meter.add(AudioChunk(samples: samples, channels: 1))
    var quantizer = SampleQuantizer()
    var output: [Int16] = []
    quantizer.quantize16(samples, into: &output)
    XCTAssertGreaterThan(quantizer.clippedSamples, 1000)
    XCTAssertEqual(meter.samplesAtFullScale, quantizer.clippedSamples)
  }
}
