import CEbur128
import Glibc

/// EBU R128 / ITU-R BS.1770-4 loudness of one stream: integrated loudness (LUFS), loudness range
/// (LU) and true peak (dBTP), measured by libebur128.
///
/// The meter owns one `ebur128_state`, opened in histogram mode (`EBUR128_MODE_HISTOGRAM`), so it
/// holds the same memory whatever the length of the stream. libebur128's own integrated loudness
/// in that mode puts each 400 ms block at the centre of a 0.1 dB bin (a steady tone reads up to
/// 0.05 LU off), so the gating is done here (`GatingHistogram`): each block's loudness is read as
/// it completes (`ebur128_loudness_momentary` every 100 ms) into 0.01 dB bins that keep the
/// blocks' exact energy sums. Channels weigh as ffmpeg's `ebur128` filter weighs its default layouts
/// and as pyloudnorm does (`channelMap`): one channel of a mono stream counts once.
///
/// A recording shorter than one gating block (400 ms) has no block for BS.1770's gated mean;
/// its integrated loudness here is the loudness of the whole recording as one block
/// (`ebur128_loudness_window` over its length), still gated at −70 LUFS. pyloudnorm gives the
/// same with `block_size` set to the recording's length; ffmpeg reports −70 LUFS.
///
/// Used from one thread at a time (`LevelMeter` feeds it).
final class LoudnessMeter: @unchecked Sendable {
  let format: StreamFormat
  private let library: cebur128_api
  private var state: UnsafeMutablePointer<ebur128_state>?
  private(set) var frames: Int64 = 0
  /// Frames per 100 ms hop: a gating block completes at every multiple past the first 400 ms.
  private let hopFrames: Int64
  private var gating = GatingHistogram()
  private var truePeakMeter: TruePeakMeter

  /// - Throws: `DSPError.invalidParameter` for a rate libebur128 does not take (below 16 Hz);
  ///   `DSPError.libraryFailure` when libebur128 cannot be loaded.
  init(format: StreamFormat) throws {
    self.format = format
    library = try Ebur128Library.load()
    // The true peak is `TruePeakMeter`'s: the same interpolator, several times faster.
    let mode = EBUR128_MODE_I.rawValue | EBUR128_MODE_LRA.rawValue | EBUR128_MODE_HISTOGRAM.rawValue
    guard format.channels > 0, format.sampleRate >= 16,
      let state = library.ebur128_init!(UInt32(format.channels), UInt(format.sampleRate), Int32(mode))
    else {
      throw DSPError.invalidParameter("libebur128 cannot measure \(format.sampleRate) Hz, \(format.channels) ch")
    }
    self.state = state
    for (channel, weight) in Self.channelMap(channels: format.channels).enumerated() {
      _ = library.ebur128_set_channel!(state, UInt32(channel), Int32(weight.rawValue))
    }
    truePeakMeter = TruePeakMeter(channels: format.channels, sampleRate: format.sampleRate)
    hopFrames = Int64(format.sampleRate) / 10
  }

  deinit { library.ebur128_destroy!(&state) }

  /// Each channel's BS.1770 weight, as ffmpeg's default layouts and pyloudnorm place them: the
  /// first three in front (1.0: L, R, C; mono is one of them); the fourth the LFE (counted as
  /// nothing) from 5.1 up, a surround (1.41) in 4.0 and 5.0; every further channel a surround
  /// (5.1's backs, 6.1's and 7.1's sides and backs, larger arrays).
  static func channelMap(channels: Int) -> [channel] {
    (0..<channels).map { index in
      switch index {
      case 0: EBUR128_LEFT
      case 1: EBUR128_RIGHT
      case 2: EBUR128_CENTER
      case 3 where channels >= 6: EBUR128_UNUSED
      default: EBUR128_LEFT_SURROUND
      }
    }
  }

  /// Adds interleaved frames of `format`, reading each gating block's loudness as it completes.
  func add(_ samples: UnsafeBufferPointer<Float>) {
    let channels = format.channels
    var remaining = samples.count / channels
    guard remaining > 0, var base = samples.baseAddress else { return }
    truePeakMeter.add(UnsafeBufferPointer(start: base, count: remaining * channels))
    while remaining > 0 {
      let toBoundary = Int(hopFrames - frames % hopFrames)
      let count = min(remaining, toBoundary)
      // Only EBUR128_ERROR_NOMEM, which cannot happen after init in histogram mode.
      _ = library.ebur128_add_frames_float!(state, base, count)
      frames += Int64(count)
      base += count * channels
      remaining -= count
      if count == toBoundary && frames >= 4 * hopFrames {
        var block = -Double.infinity
        _ = library.ebur128_loudness_momentary!(state, &block)
        gating.add(blockLUFS: block)
      }
    }
  }

  /// Integrated loudness in LUFS; −inf when nothing is above the −70 LUFS gate (silence).
  var integratedLUFS: Double {
    var value = -Double.infinity
    let blockFrames = 4 * hopFrames
    if frames >= blockFrames {
      value = gating.integratedLUFS
    } else if frames > 0 {
      // Whole milliseconds: at most 1 ms of the start is left out (< 0.02 LU above 50 ms).
      let milliseconds = max(1, frames * 1000 / Int64(format.sampleRate))
      _ = library.ebur128_loudness_window!(state, UInt(milliseconds), &value)
      if !(value >= -70) { value = -.infinity }
    }
    return value.isNaN || value <= -Double.greatestFiniteMagnitude ? -.infinity : value
  }

  /// Loudness range in LU (EBU Tech 3342); 0 for recordings shorter than a 3 s short-term block.
  var rangeLU: Double {
    var value = 0.0
    _ = library.ebur128_loudness_range!(state, &value)
    return value
  }

  /// The highest true peak over all channels, linear (1.0 is 0 dBTP): 4× oversampled below
  /// 96 kHz, 2× below 192 kHz (`TruePeakMeter`).
  var truePeak: Double { Double(truePeakMeter.peak) }
}

/// BS.1770's two gates over 400 ms block loudnesses, in constant memory: blocks under −70 LUFS
/// are left out; the rest go into 0.01 dB bins that count them and sum their energies exactly;
/// the integrated loudness is the mean energy of the blocks at or above the relative threshold
/// (10 LU under the mean of all counted blocks). Only blocks in the threshold's own 0.01 dB bin
/// can be on the wrong side of it.
struct GatingHistogram {
  static let lowestLUFS = -70.0
  static let binLU = 0.01
  /// −70 … +30 LUFS; louder blocks share the last bin (their energies still add exactly).
  static let binCount = 10_000
  private var counts = [Int](repeating: 0, count: binCount)
  private var energies = [Double](repeating: 0, count: binCount)
  private var totalCount = 0
  private var totalEnergy = 0.0

  mutating func add(blockLUFS: Double) {
    guard blockLUFS.isFinite, blockLUFS >= Self.lowestLUFS else { return }
    let bin = Self.bin(of: blockLUFS)
    let energy = Self.energy(ofLUFS: blockLUFS)
    counts[bin] += 1
    energies[bin] += energy
    totalCount += 1
    totalEnergy += energy
  }

  var integratedLUFS: Double {
    guard totalCount > 0 else { return -.infinity }
    let relativeThreshold = Self.lufs(ofEnergy: totalEnergy / Double(totalCount)) - 10
    var count = 0
    var energy = 0.0
    for bin in Self.bin(of: max(relativeThreshold, Self.lowestLUFS))..<Self.binCount {
      count += counts[bin]
      energy += energies[bin]
    }
    return count > 0 ? Self.lufs(ofEnergy: energy / Double(count)) : -.infinity
  }

  private static func bin(of lufs: Double) -> Int {
    min(binCount - 1, max(0, Int(((lufs - lowestLUFS) / binLU).rounded(.down))))
  }
  private static func energy(ofLUFS lufs: Double) -> Double { pow(10, (lufs + 0.691) / 10) }
  private static func lufs(ofEnergy energy: Double) -> Double { 10 * log10(energy) - 0.691 }
}
