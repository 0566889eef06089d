import CSoxr

/// Converts the stream to `outputRate` with libsoxr (the resampler SoX and FFmpeg's `soxr`
/// option use): an opt-in engine, many times faster per core than libsamplerate's sinc
/// converters at comparable or better quality.
///
/// Same streaming contract and the same length rule as `Resampler`: exactly
/// ceil(n · outputRate / inputRate) output frames for n input frames.
public struct SoxrResampler: AudioNode {
  /// libsoxr's quality recipes, as SoX names them.
  public enum Quality: String, CaseIterable, Sendable {
    case quick, low, medium, high, veryHigh = "very-high"

    var recipe: UInt {
      switch self {
      case .quick: UInt(SOXR_QQ)
      case .low: UInt(SOXR_LQ)
      case .medium: UInt(SOXR_MQ)
      case .high: UInt(SOXR_20_BITQ)
      case .veryHigh: UInt(SOXR_28_BITQ)
      }
    }
  }

  public let outputRate: Int
  public let quality: Quality
  private var converter: SoxrConverter?
  private var length = OutputLength(.identity)
  private var scratch: [Float] = []

  public init(outputRate: Int, quality: Quality = .high) {
    self.outputRate = outputRate
    self.quality = quality
  }

  public var stageName: String { "resample" }

  public func describe(input: StreamFormat, output: StreamFormat) -> String {
    "resample: libsoxr \(quality.rawValue), \(input.sampleRate) → \(output.sampleRate) Hz"
  }

  public var fingerprint: String { "resampler=soxr/\(quality.rawValue)" }

  /// The version string of the libsoxr in use.
  public static var libraryVersion: String { String(cString: soxr_version()) }

  public mutating func prepare(_ input: StreamFormat) throws -> StreamFormat {
    var serial = Resampler(outputRate: outputRate)
    let output = try serial.prepare(input)  // the same range checks as libsamplerate's node
    converter = input.sampleRate == outputRate
      ? nil
      : try SoxrConverter(
        inputRate: input.sampleRate, outputRate: outputRate, channels: input.channels, quality: quality)
    length = OutputLength(try ResamplingRatio(checking: input.sampleRate, to: outputRate))
    return output
  }

  public mutating func process(_ chunk: inout AudioChunk) throws {
    guard let converter else { return }
    length.inputFrames += chunk.frameCount
    scratch.removeAll(keepingCapacity: true)
    try chunk.samples.withUnsafeBufferPointer { try converter.convert($0, endOfInput: false, appendingTo: &scratch) }
    swap(&chunk.samples, &scratch)
    // soxr never runs ahead of its input, but keep the length rule exact regardless.
    let allowed = max(0, length.expectedOutputFrames - length.outputFrames)
    if chunk.frameCount > allowed { chunk.samples.removeLast((chunk.frameCount - allowed) * chunk.channels) }
    length.outputFrames += chunk.frameCount
  }

  public mutating func flush(_ chunk: inout AudioChunk) throws {
    guard let converter else { return }
    var tail: [Float] = []
    try [Float]().withUnsafeBufferPointer { try converter.convert($0, endOfInput: true, appendingTo: &tail) }
    let wanted = max(0, length.expectedOutputFrames - length.outputFrames)
    let channels = chunk.channels
    if tail.count > wanted * channels { tail.removeLast(tail.count - wanted * channels) }
    // soxr's flush can stop a frame short of the rule; the missing instant lies past the
    // filter's support of the last input frame, so silence is its value.
    tail.append(contentsOf: repeatElement(0, count: wanted * channels - tail.count))
    chunk.samples.append(contentsOf: tail)
    length.outputFrames += wanted
  }

  public mutating func reset() {
    converter?.reset()
    length.inputFrames = 0
    length.outputFrames = 0
  }
}

/// Owns one libsoxr stream (`soxr_create` … `soxr_delete`); the only caller of `soxr_process`.
final class SoxrConverter {
  private let handle: soxr_t
  let channels: Int
  let ratio: Double

  init(inputRate: Int, outputRate: Int, channels: Int, quality: SoxrResampler.Quality) throws {
    var error: soxr_error_t?
    var io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
    var spec = soxr_quality_spec(quality.recipe, 0)
    var runtime = soxr_runtime_spec(1)
    guard let handle = soxr_create(
      Double(inputRate), Double(outputRate), UInt32(channels), &error, &io, &spec, &runtime),
      error == nil
    else {
      throw DSPError.libraryFailure("libsoxr: \(error.map { String(cString: $0) } ?? "cannot create resampler")")
    }
    self.handle = handle
    self.channels = channels
    self.ratio = Double(outputRate) / Double(inputRate)
  }

  deinit { soxr_delete(handle) }

  /// Feeds all of `input` (interleaved); with `endOfInput`, drains until soxr has nothing left.
  func convert(_ input: UnsafeBufferPointer<Float>, endOfInput: Bool, appendingTo output: inout [Float]) throws {
    let inputFrames = input.count / channels
    // A NULL input means end of input to soxr: never pass one for an empty block.
    guard endOfInput || inputFrames > 0 else { return }
    let room = Int((Double(inputFrames) * ratio).rounded(.up)) + 1024
    var used = 0
    while true {
      let start = output.count
      output.append(contentsOf: repeatElement(0, count: room * channels))
      var consumed = 0
      var generated = 0
      let error = output.withUnsafeMutableBufferPointer { out -> soxr_error_t? in
        let inPointer: UnsafeRawPointer? =
          endOfInput && used >= inputFrames ? nil : UnsafeRawPointer(input.baseAddress.map { $0 + used * channels })
        return soxr_process(
          handle, inPointer, inputFrames - used, &consumed, out.baseAddress! + start, room, &generated)
      }
      if let error { throw DSPError.libraryFailure("libsoxr: \(String(cString: error))") }
      output.removeLast((room - generated) * channels)
      used += consumed
      if used >= inputFrames && (!endOfInput || generated == 0) { break }
      if !endOfInput && generated < room && used >= inputFrames { break }
    }
  }

  func reset() { soxr_clear(handle) }
}
