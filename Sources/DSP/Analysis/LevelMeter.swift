import Glibc

/// Peak and RMS level of a stream, accumulated block by block, and when asked its EBU R128
/// loudness (`loudness`: integrated, range, true peak).
///
/// Copies share the loudness measurement (one libebur128 state); use a meter from one thread at
/// a time.
public struct LevelMeter: Sendable {
  public private(set) var peak: Float = 0
  public private(set) var samples = 0
  /// Samples a 16-bit output clips (`SampleQuantizer.clipsAt16Bits`: +1.0 is, −1.0 is not).
  public private(set) var samplesAtFullScale = 0
  private var energy: Double = 0
  private var loudnessMeter: LoudnessMeter?

  /// Peak and RMS only, of any stream.
  public init() {}

  /// The lowest rate whose loudness is measured: BS.1770's K-weighting has a shelf at 1.68 kHz,
  /// which needs a Nyquist frequency above it (below, libebur128's filter diverges).
  public static let lowestLoudnessRate = 4000

  /// Peak and RMS of a stream of `format`, and its loudness when `measuresLoudness` and the rate
  /// is at least `lowestLoudnessRate` (else `loudness` is nil: not measured).
  public init(format: StreamFormat, measuresLoudness: Bool) throws {
    if measuresLoudness && format.sampleRate >= Self.lowestLoudnessRate { loudnessMeter = try LoudnessMeter(format: format) }
  }

  /// Reads all of `source` and measures it; returns the meter and the frames read.
  public static func measure(_ source: AudioSource, loudness: Bool = false) throws -> (meter: LevelMeter, frames: Int64) {
    var meter = try LevelMeter(format: source.format, measuresLoudness: loudness)
    var block = AudioChunk(channels: source.format.channels)
    var frames: Int64 = 0
    while try source.read(into: &block, maxFrames: 16384) > 0 {
      frames += Int64(block.frameCount)
      meter.add(block)
    }
    return (meter, frames)
  }

  /// Adds a block of interleaved frames (of the format the meter was made for, when it measures
  /// loudness).
  ///
  /// Float samples are read as the chain repairs them (`FloatRepair`: NaN and ±Inf as 0, beyond
  /// ±1024 at ±1024), so one damaged sample does not make the whole measure −inf or 600 dBFS.
  public mutating func add(_ chunk: AudioChunk) {
    if chunk.samples.contains(where: { !$0.isFinite || abs($0) > FloatSampleRepair.limit }) {
      var repaired = chunk
      var repair = FloatSampleRepair()
      repaired.samples.withUnsafeMutableBufferPointer { repair.repair($0) }
      return add(repaired)
    }
    add(chunk.samples[...])
    if let loudnessMeter { chunk.samples.withUnsafeBufferPointer { loudnessMeter.add($0) } }
  }

  /// Adds the frames of `chunk` that lie in `frames` (all of them when nil), `chunk` being the
  /// stream's frames from `position` on: what a run with a range (`--start`/`--end`, a trim)
  /// measures is the span it writes.
  public mutating func add(_ chunk: AudioChunk, at position: Int, keeping frames: Range<Int>?) {
    guard let frames else { return add(chunk) }
    let count = chunk.frameCount
    let from = max(frames.lowerBound, position) - position
    let to = min(frames.upperBound, position + count) - position
    guard from < to else { return }
    if from == 0 && to == count { return add(chunk) }
    let channels = chunk.channels
    add(AudioChunk(samples: Array(chunk.samples[(from * channels)..<(to * channels)]), channels: channels))
  }

  /// Adds samples to the peak and RMS (not to the loudness, which needs whole frames: `add(_:)`
  /// with a chunk).
  public mutating func add(_ block: ArraySlice<Float>) {
    var peak = self.peak
    var energy = 0.0
    var atFullScale = 0
    for sample in block {
      let magnitude = abs(sample)
      peak = max(peak, magnitude)
      energy += Double(sample) * Double(sample)
      if SampleQuantizer.clipsAt16Bits(sample) { atFullScale += 1 }
    }
    self.peak = peak
    self.energy += energy
    samplesAtFullScale += atFullScale
    samples += block.count
  }

  /// Peak level in dB relative to full scale (1.0); -inf for silence.
  public var peakDBFS: Double { 20 * log10(Double(peak)) }
  /// RMS level in dB relative to full scale; -inf for silence.
  public var rmsDBFS: Double { samples > 0 ? 10 * log10(energy / Double(samples)) : -.infinity }

  /// The EBU R128 loudness so far, when the meter measures it; its sample peak is `peakDBFS`.
  public var loudness: Loudness? {
    guard let loudnessMeter else { return nil }
    return Loudness(
      integratedLUFS: loudnessMeter.integratedLUFS, rangeLU: loudnessMeter.rangeLU,
      truePeakDBTP: 20 * log10(max(loudnessMeter.truePeak, Double(peak))), samplePeakDBFS: peakDBFS)
  }
}
