import Glibc

/// The highest inter-sample peak of a stream: 4× oversampling (2× from 96 kHz, none from
/// 192 kHz) through a Hann-windowed sinc split into `factor` phases. From 44.1 kHz it is the
/// interpolator libebur128 uses (`interp_create(49, factor)`, of the kind BS.1770 Annex 2
/// describes); below, 193 taps (48 a phase): the 49-tap filter rolls off from about a third of
/// the rate, and at 8–32 kHz speech and noise have energy there, so it read up to 0.4 dB low
/// (ffmpeg, which resamples to 192 kHz, did not). At those rates the longer filter costs about
/// what the short one costs at 44.1 kHz per second of audio.
///
/// Run here over whole blocks with SIMD: libebur128's own loop is scalar, with a ring-buffer
/// index per tap, and was most of what measuring loudness cost (about 60% of
/// `batch --measure-loudness` on 44.1 kHz stereo). From 44.1 kHz the same coefficients give the
/// same peaks as libebur128 to float rounding (`LoudnessMeterTests`).
struct TruePeakMeter {
  /// The filter's length at `sampleRate`.
  static func taps(sampleRate: Int) -> Int { sampleRate < 44100 ? 193 : 49 }
  let channels: Int
  let factor: Int
  /// Per phase: the taps' coefficients and how many samples back each reads.
  private var phases: [(coefficients: [Float], delays: [Int])] = []
  /// History span: the furthest any tap reads back, plus the current sample.
  private let span: Int
  /// Per channel: the last `span - 1` samples, then the block being processed.
  private var lines: [[Float]]
  private(set) var peak: Float = 0

  init(channels: Int, sampleRate: Int) {
    self.channels = channels
    factor = sampleRate < 96000 ? 4 : sampleRate < 192_000 ? 2 : 1
    let taps = Self.taps(sampleRate: sampleRate)
    var phases = [(coefficients: [Float], delays: [Int])](repeating: ([], []), count: factor)
    for tap in 0..<taps {
      let m = Double(tap) - Double(taps - 1) / 2
      var c = abs(m) > 1e-6 ? sin(m * .pi / Double(factor)) / (m * .pi / Double(factor)) : 1
      c *= 0.5 * (1 - cos(2 * .pi * Double(tap) / Double(taps - 1)))
      guard abs(c) > 1e-6 else { continue }
      phases[tap % factor].coefficients.append(Float(c))
      phases[tap % factor].delays.append(tap / factor)
    }
    self.phases = phases
    span = (taps + factor - 1) / factor
    lines = Array(repeating: [Float](repeating: 0, count: span - 1), count: channels)
  }

  /// Adds interleaved frames.
  mutating func add(_ samples: UnsafeBufferPointer<Float>) {
    let frames = samples.count / channels
    guard frames > 0 else { return }
    let history = span - 1
    var highest = SIMD8<Float>(repeating: 0)
    var tailPeak: Float = 0
    for channel in 0..<channels {
      lines[channel].reserveCapacity(history + frames + 8)
      for frame in 0..<frames { lines[channel].append(samples[frame * channels + channel]) }
      lines[channel].withUnsafeBufferPointer { line in
        let base = line.baseAddress!
        for phase in phases {
          let count = phase.coefficients.count
          var n = 0
          // Output n reads line[history + n − delay] for each tap.
          while n + 8 <= frames {
            var sum = SIMD8<Float>(repeating: 0)
            for t in 0..<count {
              let start = UnsafeRawPointer(base + history + n - phase.delays[t])
              sum += phase.coefficients[t] * start.loadUnaligned(as: SIMD8<Float>.self)
            }
            // Masked selects: `pointwiseMax` was left as a call per vector (15% of the profile).
            let magnitude = sum.replacing(with: -sum, where: sum .< 0)
            highest.replace(with: magnitude, where: magnitude .> highest)
            n += 8
          }
          while n < frames {
            var sum: Float = 0
            for t in 0..<count { sum += phase.coefficients[t] * base[history + n - phase.delays[t]] }
            tailPeak = max(tailPeak, abs(sum))
            n += 1
          }
        }
      }
      lines[channel].removeFirst(frames)
    }
    peak = max(peak, max(highest.max(), tailPeak))
  }
}
