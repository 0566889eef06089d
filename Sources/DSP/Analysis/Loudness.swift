import Glibc

/// A stream's loudness as EBU R128 measures it (`LoudnessMeter`), with its sample peak.
public struct Loudness: Equatable, Sendable {
  /// Integrated loudness (BS.1770 gated mean), LUFS; −inf for silence.
  public var integratedLUFS: Double
  /// Loudness range (EBU Tech 3342), LU.
  public var rangeLU: Double
  /// True peak (4× oversampled below 96 kHz), dBTP; −inf for silence.
  public var truePeakDBTP: Double
  /// Sample peak, dBFS; −inf for silence.
  public var samplePeakDBFS: Double

  public init(integratedLUFS: Double, rangeLU: Double, truePeakDBTP: Double, samplePeakDBFS: Double) {
    self.integratedLUFS = integratedLUFS
    self.rangeLU = rangeLU
    self.truePeakDBTP = truePeakDBTP
    self.samplePeakDBFS = samplePeakDBFS
  }

  /// The same stream after a gain of `decibels`: every level moves by it, the range does not.
  public func gained(by decibels: Double) -> Loudness {
    Loudness(
      integratedLUFS: integratedLUFS + decibels, rangeLU: rangeLU, truePeakDBTP: truePeakDBTP + decibels,
      samplePeakDBFS: samplePeakDBFS + decibels)
  }
}
