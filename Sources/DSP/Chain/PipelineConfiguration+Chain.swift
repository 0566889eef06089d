/// How an input arrives, which decides how far the chain may read ahead.
public enum InputTiming: Sendable {
  /// A file: the chain may hold input back (segments resampled on several threads).
  case file
  /// A pipe or a live source: output must follow input within a block, so nothing is held back
  /// beyond a filter's own reach.
  case stream
}

extension PipelineConfiguration {
  /// The one place a configuration becomes nodes: for an input of `format`, in order, float
  /// repair (`repairsFloats`: a source of float samples), downmix, resample, WebRTC's noise
  /// suppression and gain control (where the browser's microphone processing sits), high-pass, gain;
  /// nodes with nothing to do are left out.
  ///
  /// A new node is one file (an `AudioNode` that describes itself) and one line here.
  public func makeChain(for format: StreamFormat, timing: InputTiming = .file, repairsFloats: Bool = false) -> NodeChain {
    var nodes: [any AudioNode] = []
    if repairsFloats { nodes.append(FloatRepair()) }
    // A chosen channel is checked against the input even when it is mono: `--channel 5` on a
    // mono file is an error (Downmix.prepare), not silently the only channel.
    if let downmix, format.channels > 1 || downmix != .average { nodes.append(Downmix(downmix)) }
    if let resampler = makeResampler(inputRate: format.sampleRate, timing: timing) { nodes.append(resampler) }
    if noiseSuppression != nil || automaticGainControl {
      nodes.append(WebRtcAudioProcessing(noiseLevel: noiseSuppression, gainControl: automaticGainControl))
    }
    if let highPassHz, highPassHz > 0 { nodes.append(Biquad(highPassHz: highPassHz, q: q)) }
    if gain != 1 { nodes.append(Gain(linear: gain)) }
    return NodeChain(nodes)
  }

  /// The resampling node for `inputRate` → `outputRate`, or nil at equal rates; the one switch
  /// from `resampler` to an engine (libsamplerate's `psrc_set_converter`):
  /// - `soxr`: libsoxr.
  /// - `libsamplerate` (the default): the polyphase engine measured from libsamplerate where it
  ///   supports the converter and ratio (on one thread for a stream), else libsamplerate itself.
  /// - `libsamplerate-direct`, or the fallback: libsamplerate, on segments over `threads` threads
  ///   for a file with a sinc converter, on one thread for a stream, live mode, zoh and linear
  ///   (segments would hold a stream back for seconds and then burst past the live buffer; zoh
  ///   and linear carry a position that segmenting would change).
  /// Rates beyond the limit get libsamplerate's engine, whose node refuses them in `prepare`.
  public func makeResampler(inputRate: Int, timing: InputTiming) -> Resampler? {
    guard inputRate != outputRate else { return nil }
    let streaming = timing == .stream || bufferPolicy == .dropOldest
    let ratio = ResamplingRatio(inputRate: inputRate, outputRate: outputRate)
    let engine: Resampler.Engine
    switch resampler {
    case .soxr:
      engine = .soxr(soxrQuality)
    case .libsamplerate where ratio.map({ PolyphaseTable.supports(converter: converter, ratio: $0) }) ?? false:
      // A stream's blocks are small and come at the source's pace: one thread, no hand-offs.
      engine = .polyphase(converter, threads: streaming ? 1 : threads)
    case .libsamplerate, .libsamplerateDirect:
      let canSplit = ratio.flatMap { SegmentedLibsamplerateEngine.plan($0, segmentFrames: segmentFrames) } != nil
      engine =
        threads > 1 && canSplit && !streaming && converter.isSinc
        ? .segmentedLibsamplerate(converter, threads: threads, segmentFrames: segmentFrames) : .libsamplerate(converter)
    }
    return Resampler(outputRate: outputRate, engine: engine)
  }

  /// Every choice that shapes the output samples, as one canonical string (the batch manifest's
  /// `params`, with the output format): the fingerprints of the nodes this configuration builds
  /// for a nominal stereo input at twice the output rate (so every configured node is there),
  /// then what shapes the stream's end and its drops. A new node joins it by being in the chain.
  public var fingerprint: String {
    let nominal = StreamFormat(sampleRate: outputRate * 2, channels: 2)
    var single = self
    single.threads = 1  // the samples do not depend on it
    // A normalised run's gain is set file by file; the request is what the options chose.
    if normalization != nil { single.gain = 1 }
    let chunk =
      switch chunkLength {
      case .frames(let frames): "\(frames)frames"
      case .milliseconds(let ms): "\(ms)ms"
      }
    return ["rate=\(outputRate)", single.makeChain(for: nominal).fingerprint, normalization?.fingerprint ?? "",
      "chunk=\(chunk)", "pad=\(padLastChunk)", "buffer_chunks=\(bufferChunks)", "live=\(bufferPolicy == .dropOldest)",
    ].filter { !$0.isEmpty }.joined(separator: " ")
  }
}
