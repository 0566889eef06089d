/// Converts the stream to `outputRate` with libsamplerate's streaming API.
///
/// When the input already runs at `outputRate` no converter is built and samples pass through
/// untouched (as SoX's `rate` effect drops out of the chain).
///
/// The output has exactly ceil(n · outputRate / inputRate) frames for n input frames: one per
/// output instant inside the input's duration. libsamplerate's own end-of-stream test compares
/// an accumulated floating-point position with the end, so its count can differ by one when
/// n · p / q is a whole number; audioprep feeds silence past the end (what libsamplerate pads
/// with internally) and trims, so the length never depends on rounding or on how the stream was
/// split.
public struct Resampler: AudioNode {
  /// Target rate in Hz.
  public let outputRate: Int
  /// libsamplerate converter.
  public let converter: ConverterType
  /// nil until `prepare`, and nil for a pass-through.
  private var src: SampleRateConverter?
  private var scratch: [Float] = []
  private var length = OutputLength(.identity)
  /// Frames the converter gave for instants at or past the input seen so far (zoh and linear
  /// do), held back until more input shows they belong to the stream.
  private var heldBack: [Float] = []
  /// A lone input frame not yet fed (see `process`).
  private var heldInput: [Float] = []

  public init(outputRate: Int, converter: ConverterType = .medium) {
    self.outputRate = outputRate
    self.converter = converter
  }

  public var stageName: String { "resample" }

  public func describe(input: StreamFormat, output: StreamFormat) -> String {
    "resample: libsamplerate \(converter.rawValue), \(input.sampleRate) → \(output.sampleRate) Hz, one thread"
  }

  /// The same samples as `ParallelResampler`'s, for any thread count.
  public var fingerprint: String { "resampler=libsamplerate-direct converter=\(converter.rawValue)" }

  /// Whether `prepare` found different rates and built a converter.
  public var isActive: Bool { src != nil }

  public mutating func prepare(_ input: StreamFormat) throws -> StreamFormat {
    guard outputRate > 0 else { throw DSPError.invalidParameter("output rate must be positive") }
    let ratio = try ResamplingRatio(checking: input.sampleRate, to: outputRate)
    src = ratio.isIdentity
      ? nil : try SampleRateConverter(type: converter, channels: input.channels, ratio: ratio.value)
    length = OutputLength(ratio)
    return StreamFormat(sampleRate: outputRate, channels: input.channels)
  }

  public mutating func process(_ chunk: inout AudioChunk) throws {
    guard let src else { return }
    length.inputFrames += chunk.frameCount
    // libsamplerate's linear converter reads before its buffer when a call brings one frame
    // (a stream of 4096·k + 1 frames read 4096 at a time): a lone frame waits for the next call.
    if !heldInput.isEmpty {
      chunk.samples.insert(contentsOf: heldInput, at: 0)
      heldInput.removeAll(keepingCapacity: true)
    }
    if chunk.frameCount == 1 {
      heldInput.append(contentsOf: chunk.samples)
      chunk.samples.removeAll(keepingCapacity: true)
    }
    try run(src, &chunk, endOfInput: false)
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

  /// Drains the converter: calls with end of input until it produces nothing more.
  public mutating func flush(_ chunk: inout AudioChunk) throws {
    guard let src else { return }
    var tail = AudioChunk(
      samples: heldInput + [Float](repeating: 0, count: length.silencePadFrames * chunk.channels), channels: chunk.channels)
    heldInput.removeAll()
    try run(src, &tail, endOfInput: true)
    tail.samples.insert(contentsOf: heldBack, at: 0)
    heldBack.removeAll()
    let keep = max(0, min(tail.frameCount, length.expectedOutputFrames - length.outputFrames))
    chunk.samples.append(contentsOf: tail.samples.prefix(keep * chunk.channels))
    length.outputFrames += keep
  }

  public mutating func reset() {
    src?.reset()
    heldBack.removeAll()
    heldInput.removeAll()
    length.inputFrames = 0
    length.outputFrames = 0
  }

  /// Feeds all of `chunk` and replaces it with every frame the converter gives back.
  private mutating func run(_ src: SampleRateConverter, _ chunk: inout AudioChunk, endOfInput: Bool)
    throws
  {
    scratch.removeAll(keepingCapacity: true)
    try chunk.samples.withUnsafeBufferPointer { input in
      try src.convert(input, endOfInput: endOfInput, appendingTo: &scratch)
    }
    swap(&chunk.samples, &scratch)
  }
}

extension Resampler {
  /// The version string of the libsamplerate in use.
  public static var libraryVersion: String { SampleRateConverter.libraryVersion }
}

/// Counts frames in and out, and says how long a resampled stream must be.
struct OutputLength {
  let p: Int, q: Int
  var inputFrames = 0
  var outputFrames = 0

  init(_ ratio: ResamplingRatio) {
    (p, q) = (ratio.p, ratio.q)
  }

  /// For rates that may be beyond the resamplers' limit (a length estimated before any check).
  init(inputRate: Int, outputRate: Int) {
    let divisor = gcd(inputRate, outputRate)
    (p, q) = (outputRate / divisor, inputRate / divisor)
  }

  /// ceil(n · p / q): the output instants k/outputRate that fall before the input's end.
  var expectedOutputFrames: Int { (inputFrames * p + q - 1) / q }

  /// Silence fed past the end so that the converter produces every expected frame: more than
  /// the widest sinc filter reaches (about 400 input frames at 16k/44.1k, more when downsampling
  /// further), and at least one output frame's worth.
  var silencePadFrames: Int { 2048 * max(1, (q + p - 1) / p) }
}
