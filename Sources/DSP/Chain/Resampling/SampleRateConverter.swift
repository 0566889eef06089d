import CSampleRate

/// libsamplerate's own message for an error code (`src_strerror`), as a `DSPError`.
func sampleRateFailure(_ code: Int32) -> DSPError {
  .libraryFailure("libsamplerate: \(String(cString: src_strerror(code)))")
}

/// The converters libsamplerate offers, best to fastest.
public enum ConverterType: String, CaseIterable, Sendable {
  case best, medium, fastest, zoh, linear

  /// The windowed-sinc converters (best, medium, fastest), whose output does not depend on where
  /// a stream is cut into calls; zoh and linear carry a double-precision position that does.
  public var isSinc: Bool { self != .zoh && self != .linear }

  var cValue: Int32 {
    switch self {
    case .best: Int32(SRC_SINC_BEST_QUALITY)
    case .medium: Int32(SRC_SINC_MEDIUM_QUALITY)
    case .fastest: Int32(SRC_SINC_FASTEST)
    case .zoh: Int32(SRC_ZERO_ORDER_HOLD)
    case .linear: Int32(SRC_LINEAR)
    }
  }
}

/// Owns one libsamplerate streaming state (`src_new` … `src_delete`).
///
/// The only place in `DSP` that calls `src_process`.
final class SampleRateConverter {
  private let state: OpaquePointer
  let channels: Int
  let ratio: Double

  init(type: ConverterType, channels: Int, ratio: Double) throws {
    var error: Int32 = 0
    guard let state = src_new(type.cValue, Int32(channels), &error) else {
      throw sampleRateFailure(error)
    }
    self.state = state
    self.channels = channels
    self.ratio = ratio
  }

  deinit { src_delete(state) }

  /// One `src_process` call; returns (input frames used, output frames written).
  ///
  /// `input` must be a real pointer even when it holds no frames: libsamplerate 0.2.2 skips the
  /// sinc converters' end padding when `data_in` is NULL, dropping the tail.
  func process(
    input: UnsafePointer<Float>, inputFrames: Int,
    output: UnsafeMutablePointer<Float>, outputFrames: Int, endOfInput: Bool
  ) throws -> (used: Int, generated: Int) {
    var data = SRC_DATA(
      data_in: input, data_out: output, input_frames: inputFrames, output_frames: outputFrames,
      input_frames_used: 0, output_frames_gen: 0, end_of_input: endOfInput ? 1 : 0,
      src_ratio: ratio)
    let code = src_process(state, &data)
    guard code == 0 else { throw sampleRateFailure(code) }
    return (Int(data.input_frames_used), Int(data.output_frames_gen))
  }

  /// Feeds all of `input` (interleaved) and appends every frame the converter gives back.
  ///
  /// Without `endOfInput`, stops once the input is used and the converter waits for more; with
  /// it, keeps calling until the converter produces nothing (the sinc tail).
  func convert(_ input: UnsafeBufferPointer<Float>, endOfInput: Bool, appendingTo output: inout [Float])
    throws
  {
    let inputFrames = input.count / channels
    let room = Int((Double(inputFrames) * ratio).rounded(.up)) + 256
    var used = 0
    // A real pointer even when no input is left (see `process`).
    var zero: Float = 0
    while true {
      let start = output.count
      output.append(contentsOf: [Float](repeating: 0, count: room * channels))
      let (consumed, generated) = try output.withUnsafeMutableBufferPointer { out in
        try withUnsafePointer(to: &zero) { zeroPointer in
          let base = used < inputFrames ? input.baseAddress! + used * channels : zeroPointer
          return try process(
            input: base, inputFrames: inputFrames - used,
            output: out.baseAddress! + start, outputFrames: room, endOfInput: endOfInput)
        }
      }
      output.removeLast((room - generated) * channels)
      used += consumed
      if used >= inputFrames && generated == 0 { break }
      if !endOfInput && used >= inputFrames && generated < room { break }
    }
  }

  /// `src_get_version`, e.g. "libsamplerate-0.2.2 (c) …", trimmed to the name and number.
  static var libraryVersion: String {
    let text = String(cString: src_get_version())
    let name = text.prefix { $0 != " " }
    return String(name.hasPrefix("libsamplerate-") ? name.dropFirst("libsamplerate-".count) : name)
  }

  /// Forgets all history (`src_reset`).
  func reset() { src_reset(state) }
}
