/// Converts the stream to `outputRate` with libsamplerate's streaming API.
///
/// When the input already runs at `outputRate` no converter is built and samples pass through
/// untouched (as SoX's `rate` effect drops out of the chain).
public struct Resampler: AudioNode {
  /// Target rate in Hz.
  public let outputRate: Int
  /// libsamplerate converter.
  public let converter: ConverterType
  /// nil until `prepare`, and nil for a pass-through.
  private var src: SampleRateConverter?
  private var scratch: [Float] = []
  /// A real (never NULL) input pointer for the end-of-input calls.
  private var empty: [Float] = [0]

  public init(outputRate: Int, converter: ConverterType = .medium) {
    self.outputRate = outputRate
    self.converter = converter
  }

  /// Whether `prepare` found different rates and built a converter.
  public var isActive: Bool { src != nil }

  public mutating func prepare(_ input: StreamFormat) throws -> StreamFormat {
    guard outputRate > 0 else { throw DSPError.invalidParameter("output rate must be positive") }
    guard input.sampleRate > 0 else {
      throw DSPError.invalidParameter("input rate must be positive")
    }
    let ratio = Double(outputRate) / Double(input.sampleRate)
    // libsamplerate's limit (SRC_MAX_RATIO).
    guard ratio >= 1.0 / 256, ratio <= 256 else {
      throw DSPError.invalidParameter(
        "cannot resample \(input.sampleRate) Hz to \(outputRate) Hz (ratio beyond 1/256…256)")
    }
    src = input.sampleRate == outputRate
      ? nil : try SampleRateConverter(type: converter, channels: input.channels, ratio: ratio)
    return StreamFormat(sampleRate: outputRate, channels: input.channels)
  }

  public mutating func process(_ chunk: inout AudioChunk) throws {
    guard let src else { return }
    try run(src, &chunk, endOfInput: false)
  }

  /// Drains the converter: calls with end of input until it produces nothing more.
  public mutating func flush(_ chunk: inout AudioChunk) throws {
    guard let src else { return }
    var tail = AudioChunk(channels: chunk.channels)
    try run(src, &tail, endOfInput: true)
    chunk.samples.append(contentsOf: tail.samples)
  }

  public mutating func reset() { src?.reset() }

  /// Feeds all of `chunk` and replaces it with every frame the converter gives back.
  private mutating func run(_ src: SampleRateConverter, _ chunk: inout AudioChunk, endOfInput: Bool)
    throws
  {
    let channels = chunk.channels
    let inputFrames = chunk.frameCount
    let room = Int((Double(inputFrames) * src.ratio).rounded(.up)) + 256
    scratch.removeAll(keepingCapacity: true)
    var used = 0
    while true {
      let start = scratch.count
      scratch.append(contentsOf: repeatElement(0, count: room * channels))
      let (consumed, generated) = try chunk.samples.withUnsafeBufferPointer { input in
        try scratch.withUnsafeMutableBufferPointer { out in
          let inputBase = inputFrames > used ? input.baseAddress! + used * channels : nil
          return try empty.withUnsafeBufferPointer { zero in
            try src.process(
              input: inputBase ?? zero.baseAddress!, inputFrames: inputFrames - used,
              output: out.baseAddress! + start, outputFrames: room, endOfInput: endOfInput)
          }
        }
      }
      scratch.removeLast((room - generated) * channels)
      used += consumed
      // Done when all input is taken and the converter has stopped producing.
      if used >= inputFrames && generated == 0 { break }
      if !endOfInput && used >= inputFrames && generated < room { break }
    }
    swap(&chunk.samples, &scratch)
  }
}

extension Resampler {
  /// The version string of the libsamplerate in use.
  public static var libraryVersion: String { SampleRateConverter.libraryVersion }
}
