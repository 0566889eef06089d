import ArgumentParser

/// How close a candidate must come to a golden file (`verify`, `process --golden`).
package struct ComparisonOptions: ParsableArguments {
  @Option(
    name: .customLong("tolerance"), parsing: .unconditional,
    help: ArgumentHelp("Largest |candidate - golden| allowed per sample: 0.0001, 1e-4 (full scale is 1.0; with --golden, after quantizing to --encoding) (default: 1e-06).", valueName: "tolerance"),
    transform: UnitArgument.plain)
  var toleranceArgument: Double?

  /// `--tolerance`, or its default 1e-6.
  var tolerance: Double { toleranceArgument ?? 1e-6 }

  /// Whether a comparison option was given (`process` refuses them without `--golden`).
  var anyGiven: Bool { toleranceArgument != nil || snrMinimum != nil }

  @Option(
    name: .customLong("snr-min"), parsing: .unconditional,
    help: ArgumentHelp("Pass on signal-to-error ratio (dB: 30, 30dB) instead of per-sample tolerance.", valueName: "db"),
    transform: UnitArgument.decibels)
  package var snrMinimum: Double?

  package init() {}

  package mutating func validate() throws {
    guard tolerance.isFinite, tolerance >= 0 else { throw ValidationError("--tolerance must be 0 or more") }
    // One rule decides: the other would be dropped without a word.
    if snrMinimum != nil, toleranceArgument != nil {
      throw ValidationError(
        "--tolerance and --snr-min are two ways to pass (the largest error a sample, or the signal-to-error ratio); give one")
    }
    // Under 0 dB the error may be louder than the signal: nearly anything passes, which a
    // golden test never means (a sign typed for decibels: review31h W16).
    if let snrMinimum, snrMinimum < 0 {
      throw ValidationError(
        "--snr-min \(Text.decimal(snrMinimum)) dB would pass an error louder than the signal; give the ratio as a positive number of dB (e.g. \(Text.decimal(min(-snrMinimum, 1000))), 30dB)")
    }
    if let snrMinimum, snrMinimum > 1000 {
      throw ValidationError("--snr-min must lie between 0 and 1000 dB, got \(Text.decimal(snrMinimum))")
    }
  }
}
