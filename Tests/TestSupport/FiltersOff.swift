import DSP

extension PipelineConfiguration {
  /// No high-pass and unity gain: what is left of the chain is the downmix and the resampler,
  /// the stages a test then compares against a reference.
  package mutating func turnFiltersOff() {
    highPassHz = nil
    gain = 1
  }
}
