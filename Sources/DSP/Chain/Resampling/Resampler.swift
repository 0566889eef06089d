/// Converts the stream to `outputRate`: the one resampling node, with its engine behind it.
///
/// Shaped as libsamplerate's `src_process`: the front validates once (the output rate, and the
/// ratio through `ResamplingRatio`), keeps the length rule (`OutputLength`) and the description,
/// then dispatches to an engine (`ResamplingEngine`: libsamplerate, libsamplerate on segments,
/// the polyphase filter measured from it, libsoxr), which only turns input frames into output
/// frames. A new engine is one file and one case of `Engine`.
///
/// When the input already runs at `outputRate` no engine runs and samples pass through
/// untouched (as SoX's `rate` effect drops out of the chain).
///
/// The output has exactly ceil(n · outputRate / inputRate) frames for n input frames: one per
/// output instant inside the input's duration. libsamplerate's own end-of-stream test compares
/// an accumulated floating-point position with the end, so its count can differ by one when
/// n · p / q is a whole number; the engines feed silence past the end (what libsamplerate pads
/// with internally) and the front trims, so the length never depends on rounding, on the engine
/// or on how the stream was split. Frames an engine gives for instants at or past the input seen
/// so far are held back until more input shows they belong to the stream; an instant an
/// engine's drain stops short of lies past the filter's support of the last input frame, so
/// silence is its value.
public struct Resampler: AudioNode {
  /// Which engine converts, with its settings.
  public enum Engine: Hashable, Sendable {
    /// libsamplerate's streaming `src_process`, one converter.
    case libsamplerate(ConverterType)
    /// libsamplerate on segments over `threads` threads, the same output as one converter
    /// (`segmentFrames` input frames a segment, rounded up to a multiple of q; 0 picks a default).
    case segmentedLibsamplerate(ConverterType, threads: Int, segmentFrames: Int = 0)
    /// libsamplerate's sinc converters as a polyphase filter measured from libsamplerate (the same
    /// output to ≤ 1e-6), on `threads` threads; only where `PolyphaseTable.supports` says so.
    case polyphase(ConverterType, threads: Int = 1, kernel: PolyphaseKernel = .fastest)
    /// libsoxr with one of its quality recipes.
    case soxr(SoxrQuality)
  }

  /// Target rate in Hz.
  public let outputRate: Int
  public let engine: Engine
  private var converter: any ResamplingEngine
  /// Whether `prepare` found different rates (else samples pass through).
  public private(set) var isActive = false
  private var length = OutputLength(.identity)
  /// Frames the engine gave for instants at or past the input seen so far (libsamplerate's zoh
  /// and linear do), held back until more input shows they belong to the stream.
  private var heldBack: [Float] = []

  public init(outputRate: Int, engine: Engine = .libsamplerate(.medium)) {
    self.outputRate = outputRate
    self.engine = engine
    converter =
      switch engine {
      case .libsamplerate(let type): LibsamplerateEngine(converter: type)
      case .segmentedLibsamplerate(let type, let threads, let segmentFrames):
        SegmentedLibsamplerateEngine(converter: type, threads: threads, segmentFrames: segmentFrames)
      case .polyphase(let type, let threads, let kernel): PolyphaseEngine(converter: type, threads: threads, kernel: kernel)
      case .soxr(let quality): SoxrEngine(quality: quality)
      }
  }

  public var stageName: String { "resample" }

  public func describe(input: StreamFormat, output: StreamFormat) -> String {
    "resample: \(converter.name), \(input.sampleRate) → \(output.sampleRate) Hz\(converter.detail)"
  }

  /// The engine's: what shapes the samples (never the thread count).
  public var fingerprint: String { converter.fingerprint }

  public func contribute(to report: inout PipelineReport) { converter.contribute(to: &report) }

  /// The one check of the rates, for every engine.
  public mutating func prepare(_ input: StreamFormat) throws -> StreamFormat {
    guard outputRate > 0 else { throw DSPError.invalidParameter("output rate must be positive") }
    let ratio = try ResamplingRatio(checking: input.sampleRate, to: outputRate)
    isActive = !ratio.isIdentity
    if isActive { try converter.prepare(ratio, channels: input.channels) }
    length = OutputLength(ratio)
    heldBack.removeAll()
    return StreamFormat(sampleRate: outputRate, channels: input.channels)
  }

  public mutating func process(_ chunk: inout AudioChunk) throws {
    guard isActive else { return }
    length.inputFrames += chunk.frameCount
    try converter.process(&chunk, length: length)
    if !heldBack.isEmpty {
      chunk.samples.insert(contentsOf: heldBack, at: 0)
      heldBack.removeAll(keepingCapacity: true)
    }
    let allowed = max(0, length.expectedOutputFrames - length.outputFrames)
    if chunk.frameCount > allowed {
      heldBack.append(contentsOf: chunk.samples[(allowed * chunk.channels)...])
      chunk.samples.removeLast((chunk.frameCount - allowed) * chunk.channels)
    }
    length.outputFrames += chunk.frameCount
  }

  /// Drains the engine, then gives exactly the frames the length rule still asks for.
  public mutating func flush(_ chunk: inout AudioChunk) throws {
    guard isActive else { return }
    var tail = AudioChunk(channels: chunk.channels)
    try converter.drain(into: &tail, length: length)
    tail.samples.insert(contentsOf: heldBack, at: 0)
    heldBack.removeAll()
    let wanted = max(0, length.expectedOutputFrames - length.outputFrames)
    let channels = chunk.channels
    if tail.frameCount > wanted { tail.samples.removeLast((tail.frameCount - wanted) * channels) }
    tail.samples.append(contentsOf: [Float](repeating: 0, count: (wanted - tail.frameCount) * channels))
    chunk.samples.append(contentsOf: tail.samples)
    length.outputFrames += wanted
  }

  public mutating func reset() {
    if isActive { converter.reset() }
    heldBack.removeAll()
    length.inputFrames = 0
    length.outputFrames = 0
  }
}

extension Resampler {
  /// The version string of the libsamplerate in use.
  public static var libraryVersion: String { SampleRateConverter.libraryVersion }
}
