extension AudioPipeline {
  /// Where speech begins and ends in `input`'s processed stream (`--trim-silence`'s first pass):
  /// from the first region's padded start to the last one's padded end, in frames of the output;
  /// nil when there is no speech. Decodes and processes the whole input once, holding nothing;
  /// a normalising configuration is run at ×1 (its gain is set afterwards, from this span).
  /// - Throws: as `run`, and `DSPError.invalidParameter` for a rate the detector does not take.
  public func speechExtent(
    _ input: Input, rules: SpeechRegionRules = SpeechRegionRules(), detectorMode: Int = 3
  ) throws -> Range<Int>? {
    input.protect()
    let source = try input.open()
    try Self.checkRatio(inputRate: source.format.sampleRate, outputRate: configuration.outputRate, origin: input.rateOrigin)
    let meter = try SpeechMeter(stream: configuration.outputFormat(for: source.format), rules: rules, detectorMode: detectorMode)
    var extent: Range<Int>?
    meter.onRegion = { region in extent = (extent?.lowerBound ?? region.lowerBound)..<region.upperBound }
    // A normalised run's gain is set from the span found here, so the speech is found at ×1.
    var detecting = configuration
    if detecting.normalization != nil {
      detecting.normalization = nil
      detecting.gain = 1
    }
    _ = try Pipeline.run(source: source, sink: meter, configuration: detecting)
    return extent
  }
}
