import Glibc

/// Peak and RMS level of a stream, accumulated block by block.
public struct LevelMeter: Sendable {
  public private(set) var peak: Float = 0
  public private(set) var samples = 0
  private var energy: Double = 0

  public init() {}

  public mutating func add(_ block: ArraySlice<Float>) {
    for sample in block {
      peak = max(peak, abs(sample))
      energy += Double(sample) * Double(sample)
    }
    samples += block.count
  }

  /// Peak level in dB relative to full scale (1.0); -inf for silence.
  public var peakDBFS: Double { 20 * log10(Double(peak)) }
  /// RMS level in dB relative to full scale; -inf for silence.
  public var rmsDBFS: Double { samples > 0 ? 10 * log10(energy / Double(samples)) : -.infinity }
}

extension NodeChain {
  /// One line per node saying what it does, e.g. "resample: libsamplerate medium, 44100 → 16000 Hz".
  public func describe(input: StreamFormat) -> [String] {
    var format = input
    var lines: [String] = []
    for (node, output) in zip(nodes, formats) {
      switch node {
      case let downmix as Downmix:
        switch downmix.mode {
        case .average: lines.append("downmix: average of \(format.channels) channels")
        case .channel(let index):
          lines.append("downmix: channel \(index) of \(format.channels)" + (format.channels == 1 ? " (mono: passed through)" : ""))
        }
      case let resampler as Resampler:
        lines.append("resample: libsamplerate \(resampler.converter.rawValue), \(format.sampleRate) → \(output.sampleRate) Hz")
      case let resampler as ParallelResampler:
        lines.append(
          "resample: libsamplerate \(resampler.converter.rawValue), \(format.sampleRate) → \(output.sampleRate) Hz, "
            + "segments on \(resampler.threads) threads")
      case let resampler as PolyphaseResampler:
        let table = resampler.table.map {
          ", polyphase \($0.p) phases × \($0.stride) taps measured in \(Int(($0.buildSeconds * 1000).rounded())) ms"
        }
        lines.append(
          "resample: libsamplerate \(resampler.converter.rawValue), \(format.sampleRate) → \(output.sampleRate) Hz"
            + "\(table ?? ""), \(resampler.threads == 1 ? "one thread" : "\(resampler.threads) threads")")
      case let resampler as SoxrResampler:
        lines.append("resample: libsoxr \(resampler.quality.rawValue), \(format.sampleRate) → \(output.sampleRate) Hz")
      case let biquad as Biquad:
        let q: String
        switch biquad.q {
        case .decibels(let dB): q = "Q \(dB) dB (Web Audio)"
        case .linear(let value): q = "Q \(value) (cookbook)"
        }
        lines.append("highpass: \(biquad.cutoffHz) Hz, \(q)")
      case let gain as Gain:
        lines.append("gain: ×\(gain.linear)")
      default:
        lines.append(node.stageName)
      }
      format = output
    }
    return lines
  }
}
