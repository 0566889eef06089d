extension LevelMeter {
  /// How much of the input `measure(_:through:input:)` measures besides the chain's output.
  public enum InputMeasure: Sendable {
    /// Nothing (a normalised run's first pass needs only the output).
    case none
    /// Peak and RMS.
    case levels
    /// Peak, RMS and EBU R128 loudness.
    case loudness
  }

  /// The levels of a source and of what a chain makes of it, from one read of the source.
  public struct ChainLevels: Sendable {
    /// The decoded input (with its loudness when asked), nil when not measured.
    public var input: LevelMeter?
    /// The chain's output, with its loudness: what a run would hand the encoder.
    public var output: LevelMeter
    /// Input frames read.
    public var inputFrames: Int64
  }

  /// Reads all of `source` through `chain` (unprepared: it is prepared here for the source's
  /// format) and measures its output, and the input too unless `input` is `.none`.
  ///
  /// What `info` predicts a run will do with its levels, and the first pass of a normalised run
  /// (`Normalization`): the chain is the one the run builds, so the output measured is the
  /// output the run writes, up to its gain.
  ///
  /// `tap`, when given, hears the output too, block by block, and is finished at the end (what
  /// else `info` measures of the output, such as its speech, in the same pass). `span`, when given
  /// (a run's range), limits both measures to that span of the input and of the output.
  public static func measure(
    _ source: AudioSource, through chain: NodeChain, input: InputMeasure, tap: AudioSink? = nil,
    over span: TimeRange? = nil
  ) throws -> ChainLevels {
    var chain = chain
    let outputFormat = try chain.prepare(source.format)
    var levels = ChainLevels(
      input: input == .none ? nil : try LevelMeter(format: source.format, measuresLoudness: input == .loudness),
      output: try LevelMeter(format: outputFormat, measuresLoudness: true), inputFrames: 0)
    let inputRange = span?.frames(at: source.format.sampleRate)
    let outputRange = span?.frames(at: outputFormat.sampleRate)
    var outputPosition = 0
    var block = AudioChunk(channels: source.format.channels)
    while try source.read(into: &block, maxFrames: 16384) > 0 {
      levels.input?.add(block, at: Int(levels.inputFrames), keeping: inputRange)
      levels.inputFrames += Int64(block.frameCount)
      try chain.process(&block)
      levels.output.add(block, at: outputPosition, keeping: outputRange)
      outputPosition += block.frameCount
      if let tap, block.frameCount > 0 { try tap.write(block) }
    }
    var tail = AudioChunk(channels: outputFormat.channels)
    try chain.flush(&tail)
    levels.output.add(tail, at: outputPosition, keeping: outputRange)
    if let tap {
      if tail.frameCount > 0 { try tap.write(tail) }
      _ = try tap.finish()
    }
    return levels
  }
}
