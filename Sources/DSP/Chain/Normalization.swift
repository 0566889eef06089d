import Glibc

/// A level the output is brought to by its gain, set from a first pass over the input
/// (`--loudness -23`, `--peak -1`), under a true-peak ceiling (`--true-peak -1`).
///
/// The first pass measures what the chain makes of the input with the gain at ×1 (after
/// downmix, resampling and high-pass: `LevelMeter.measure(_:through:inputLoudness:)`); the gain
/// then takes the output to the target, lowered where the output's true peak would pass the
/// ceiling (and never lifting a sample to full scale), and the difference is reported as the
/// shortfall (`Outcome`). The gain is linear, so the output's levels are the measured ones moved
/// by it.
public struct Normalization: Equatable, Sendable {
  public enum Target: Equatable, Sendable {
    /// Integrated loudness (EBU R128), LUFS.
    case loudness(lufs: Double)
    /// Sample peak, dBFS.
    case peak(dBFS: Double)
  }

  public var target: Target
  /// The output's true peak stays at or under this, dBTP.
  public var truePeakCeilingDBTP: Double

  public init(target: Target, truePeakCeilingDBTP: Double = -1) {
    self.target = target
    self.truePeakCeilingDBTP = truePeakCeilingDBTP
  }

  /// What the normalisation adds to the pipeline fingerprint (the gain it sets differs file by
  /// file; the request does not).
  public var fingerprint: String {
    switch target {
    case .loudness(let lufs): "loudness=\(lufs)LUFS true_peak=\(truePeakCeilingDBTP)dBTP"
    case .peak(let dBFS): "peak=\(dBFS)dBFS true_peak=\(truePeakCeilingDBTP)dBTP"
    }
  }

  /// The gain for an output measured as `measured` at ×1.
  public func outcome(measured: Loudness) -> Outcome {
    let level =
      switch target {
      case .loudness(let lufs): (measured: measured.integratedLUFS, target: lufs)
      case .peak(let dBFS): (measured: measured.samplePeakDBFS, target: dBFS)
      }
    guard level.measured.isFinite else {
      return Outcome(normalization: self, measured: measured, gainDB: 0, wantedGainDB: nil)
    }
    let wanted = level.target - level.measured
    // The largest s16 value, 32767/32768: a sample lifted to 1.0 would clip there.
    let fullScaleDBFS = 20 * log10(32767.0 / 32768)
    let limit = min(truePeakCeilingDBTP - measured.truePeakDBTP, fullScaleDBFS - measured.samplePeakDBFS)
    return Outcome(normalization: self, measured: measured, gainDB: min(wanted, limit), wantedGainDB: wanted)
  }

  /// What a normalised run did: what it measured, the gain it set, and how far short of the
  /// target the ceiling kept it.
  public struct Outcome: Equatable, Sendable {
    /// What was asked.
    public var normalization: Normalization
    /// The chain's output at ×1 (the first pass).
    public var measured: Loudness
    /// The gain applied, dB.
    public var gainDB: Double
    /// The gain the target asked for, dB; nil for a silent input (nothing to measure: ×1).
    public var wantedGainDB: Double?

    /// The gain applied, as the chain's linear factor.
    public var linearGain: Float { Float(pow(10, gainDB / 20)) }
    /// The output's levels: the measured ones moved by the gain.
    public var expected: Loudness { measured.gained(by: gainDB) }
    /// dB the output falls short of the target (0 when reached); nil for a silent input.
    public var shortfallDB: Double? { wantedGainDB.map { max(0, $0 - gainDB) } }
    /// Whether the target was reached (a shortfall under 0.005 dB counts as reached).
    public var reached: Bool { (shortfallDB ?? .infinity) < 0.005 }
  }
}
