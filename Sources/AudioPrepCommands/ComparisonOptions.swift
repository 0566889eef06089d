import ArgumentParser

/// How close a candidate must come to a golden file (`verify`, `process --golden`).
package struct ComparisonOptions: ParsableArguments {
  @Option(
    parsing: .unconditional,
    help: "Largest |candidate - golden| allowed per sample (full scale is 1.0; with --golden, after quantizing to --encoding).")
  var tolerance = 1e-6

  @Option(
    name: .customLong("snr-min"), parsing: .unconditional,
    help: ArgumentHelp("Pass on signal-to-error ratio (dB) instead of per-sample tolerance.", valueName: "db"))
  package var snrMinimum: Double?

  package init() {}

  package mutating func validate() throws {
    guard tolerance.isFinite, tolerance >= 0 else { throw ValidationError("--tolerance must be 0 or more") }
    if let snrMinimum, !(-1000...1000).contains(snrMinimum) {
      throw ValidationError("--snr-min must lie between -1000 and 1000 dB, got \(snrMinimum)")
    }
  }
}
