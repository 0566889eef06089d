import DSP

/// How loudness measurements and a normalisation's outcome read on the command line: `info`'s
/// lines and JSON fields, the shortfall warning, `--stats-json` and manifest fields.
enum LoudnessText {
  /// "-23.04 LUFS, range 5.2 LU, true peak -1.00 dBTP, sample peak -1.31 dBFS".
  static func line(_ loudness: Loudness) -> String {
    "\(level(loudness.integratedLUFS, "LUFS")), range \(Text.fixed(loudness.rangeLU, 1)) LU, "
      + "true peak \(level(loudness.truePeakDBTP, "dBTP")), sample peak \(level(loudness.samplePeakDBFS, "dBFS"))"
  }

  /// The four measures as JSON fields (no braces), `prefix` before each key; −inf is null.
  static func jsonFields(_ loudness: Loudness, prefix: String = "") -> String {
    "\"\(prefix)integrated_lufs\":\(JSONText.number(loudness.integratedLUFS)),"
      + "\"\(prefix)range_lu\":\(JSONText.number(loudness.rangeLU)),"
      + "\"\(prefix)true_peak_dbtp\":\(JSONText.number(loudness.truePeakDBTP)),"
      + "\"\(prefix)sample_peak_dbfs\":\(JSONText.number(loudness.samplePeakDBFS))"
  }

  /// "loudness -23 LUFS, true peak ≤ -1 dBTP".
  static func target(_ normalization: Normalization) -> String {
    let ceiling = "true peak ≤ \(number(normalization.truePeakCeilingDBTP)) dBTP"
    switch normalization.target {
    case .loudness(let lufs): return "loudness \(number(lufs)) LUFS, \(ceiling)"
    case .peak(let dBFS): return "peak \(number(dBFS)) dBFS, \(ceiling)"
    }
  }

  /// "gain +4.21 dB (loudness -23 LUFS, true peak ≤ -1 dBTP: reached)" or "… 2.35 dB short".
  static func outcome(_ outcome: Normalization.Outcome) -> String {
    let normalization = outcome.normalization
    let result =
      if outcome.reached { "reached" } else if let shortfall = outcome.shortfallDB {
        "\(Text.fixed(shortfall, 2)) dB short: the true peak would pass the ceiling"
      } else { "not reached: the input is silent" }
    return "gain \(signed(outcome.gainDB)) dB (\(target(normalization)): \(result))"
  }

  /// The warning for a target not reached, nil when it was.
  static func shortfallWarning(_ outcome: Normalization.Outcome, name: String) -> String? {
    let normalization = outcome.normalization
    guard !outcome.reached else { return nil }
    guard let shortfall = outcome.shortfallDB else {
      return "audioprep: \(name): silent (nothing above the -70 LUFS gate): gain left at ×1, \(target(normalization)) not reached"
    }
    return "audioprep: \(name): \(target(normalization)) not reached: \(Text.fixed(shortfall, 2)) dB short "
      + "(gain \(signed(outcome.gainDB)) dB instead of \(signed(outcome.gainDB + shortfall)) dB, lowered so the true peak stays under the ceiling)"
  }

  /// `--stats-json`'s "normalization" object.
  static func json(_ outcome: Normalization.Outcome) -> String {
    let normalization = outcome.normalization
    let (kind, value) =
      switch normalization.target {
      case .loudness(let lufs): ("loudness_lufs", lufs)
      case .peak(let dBFS): ("peak_dbfs", dBFS)
      }
    return "{\"\(kind)\":\(value),\"true_peak_ceiling_dbtp\":\(normalization.truePeakCeilingDBTP),"
      + "\"gain_db\":\(JSONText.number(outcome.gainDB)),\"shortfall_db\":\(outcome.shortfallDB.map(JSONText.number) ?? "null"),"
      + "\"reached\":\(outcome.reached),\"measured\":{\(jsonFields(outcome.measured))},"
      + "\"expected\":{\(jsonFields(outcome.expected))}}"
  }

  static func level(_ value: Double, _ unit: String) -> String { value.isFinite ? "\(Text.fixed(value, 2)) \(unit)" : "-inf \(unit)" }
  static func signed(_ value: Double) -> String { (value >= 0 ? "+" : "") + Text.fixed(value, 2) }
  private static func number(_ value: Double) -> String { value == value.rounded() ? "\(Int(value))" : "\(value)" }
}
