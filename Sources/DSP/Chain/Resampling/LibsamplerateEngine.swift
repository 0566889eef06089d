/// libsamplerate's streaming API (`src_process`), one converter: the reference every other
/// engine is measured against.
struct LibsamplerateEngine: ResamplingEngine {
  let converter: ConverterType
  /// nil until `prepare`.
  private var src: SampleRateConverter?
  private var scratch: [Float] = []
  /// A lone input frame not yet fed (see `process`).
  private var heldInput: [Float] = []

  init(converter: ConverterType) { self.converter = converter }

  var name: String { "libsamplerate \(converter.rawValue)" }
  var detail: String { ", one thread" }
  /// The same samples as the segmented engine's, for any thread count.
  var fingerprint: String { "resampler=libsamplerate-direct converter=\(converter.rawValue)" }

  mutating func prepare(_ ratio: ResamplingRatio, channels: Int) throws {
    src = try SampleRateConverter(type: converter, channels: channels, ratio: ratio.value)
    reset()
  }

  mutating func process(_ chunk: inout AudioChunk, length: OutputLength) throws {
    guard let src else { return }
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
  }

  /// Feeds the held frame and silence past the end, calling with end of input until the
  /// converter produces nothing more.
  mutating func drain(into chunk: inout AudioChunk, length: OutputLength) throws {
    guard let src else { return }
    chunk.samples = heldInput + [Float](repeating: 0, count: Self.silencePadFrames(length) * chunk.channels)
    heldInput.removeAll()
    try run(src, &chunk, endOfInput: true)
  }

  mutating func reset() {
    src?.reset()
    heldInput.removeAll()
  }

  /// Silence fed past the end so that the converter produces every expected frame: more than
  /// the widest sinc filter reaches (about 400 input frames at 16k/44.1k, more when downsampling
  /// further), and at least one output frame's worth.
  static func silencePadFrames(_ length: OutputLength) -> Int {
    2048 * max(1, (length.q + length.p - 1) / length.p)
  }

  /// Feeds all of `chunk` and replaces it with every frame the converter gives back.
  private mutating func run(_ src: SampleRateConverter, _ chunk: inout AudioChunk, endOfInput: Bool) throws {
    scratch.removeAll(keepingCapacity: true)
    try chunk.samples.withUnsafeBufferPointer { input in
      try src.convert(input, endOfInput: endOfInput, appendingTo: &scratch)
    }
    swap(&chunk.samples, &scratch)
  }
}
