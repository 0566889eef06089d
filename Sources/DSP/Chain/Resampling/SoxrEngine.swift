import CSoxr

/// libsoxr's quality recipes, as SoX names them.
public enum SoxrQuality: String, CaseIterable, Sendable {
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

  /// The version string of the libsoxr audioprep was built against, as `soxr_version()` words
  /// it (`libsoxr-0.1.3`), from the header: it loads nothing (`AudioPrep`'s `--version` text is
  /// made for every parse).
  public static var headerVersion: String { "libsoxr-" + SOXR_THIS_VERSION_STR }

  /// The version string of the libsoxr in use (loading it), or why it cannot be loaded.
  public static var libraryVersion: String {
    do throws(DSPError) {
      return String(cString: try SoxrLibrary.load().soxr_version!()!)
    } catch {
      return error.description
    }
  }
}

/// libsoxr (the resampler SoX and FFmpeg's `soxr` option use): an opt-in engine, many times
/// faster per core than libsamplerate's sinc converters at comparable or better quality.
struct SoxrEngine: ResamplingEngine {
  let quality: SoxrQuality
  private var converter: SoxrConverter?
  private var scratch: [Float] = []

  init(quality: SoxrQuality) { self.quality = quality }

  var name: String { "libsoxr \(quality.rawValue)" }
  var fingerprint: String { "resampler=soxr/\(quality.rawValue)" }

  mutating func prepare(_ ratio: ResamplingRatio, channels: Int) throws {
    converter = try SoxrConverter(
      inputRate: ratio.inputRate, outputRate: ratio.outputRate, channels: channels, quality: quality)
  }

  /// soxr never runs ahead of its input; the node's length rule holds regardless.
  mutating func process(_ chunk: inout AudioChunk, length: OutputLength) throws {
    guard let converter else { return }
    scratch.removeAll(keepingCapacity: true)
    try chunk.samples.withUnsafeBufferPointer { try converter.convert($0, endOfInput: false, appendingTo: &scratch) }
    swap(&chunk.samples, &scratch)
  }

  /// soxr's flush can stop a frame short of the length rule: the node fills it with silence.
  mutating func drain(into chunk: inout AudioChunk, length: OutputLength) throws {
    guard let converter else { return }
    try [Float]().withUnsafeBufferPointer { try converter.convert($0, endOfInput: true, appendingTo: &chunk.samples) }
  }

  mutating func reset() { converter?.reset() }
}

/// Owns one libsoxr stream (`soxr_create` … `soxr_delete`); the only caller of `soxr_process`.
final class SoxrConverter {
  private let library: csoxr_api
  private let handle: soxr_t
  let channels: Int
  let ratio: Double

  init(inputRate: Int, outputRate: Int, channels: Int, quality: SoxrQuality) throws {
    let library = try SoxrLibrary.load()
    var error: soxr_error_t?
    var io = library.soxr_io_spec!(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
    var spec = library.soxr_quality_spec!(quality.recipe, 0)
    var runtime = library.soxr_runtime_spec!(1)
    guard let handle = library.soxr_create!(
      Double(inputRate), Double(outputRate), UInt32(channels), &error, &io, &spec, &runtime),
      error == nil
    else {
      throw DSPError.libraryFailure("libsoxr: \(error.map { String(cString: $0) } ?? "cannot create resampler")")
    }
    self.library = library
    self.handle = handle
    self.channels = channels
    self.ratio = Double(outputRate) / Double(inputRate)
  }

  deinit { library.soxr_delete!(handle) }

  /// Feeds all of `input` (interleaved); with `endOfInput`, drains until soxr has nothing left.
  func convert(_ input: UnsafeBufferPointer<Float>, endOfInput: Bool, appendingTo output: inout [Float]) throws {
    let inputFrames = input.count / channels
    // A NULL input means end of input to soxr: never pass one for an empty block.
    guard endOfInput || inputFrames > 0 else { return }
    let room = Int((Double(inputFrames) * ratio).rounded(.up)) + 1024
    var used = 0
    while true {
      let start = output.count
      output.append(contentsOf: [Float](repeating: 0, count: room * channels))
      var consumed = 0
      var generated = 0
      let error = output.withUnsafeMutableBufferPointer { out -> soxr_error_t? in
        let inPointer: UnsafeRawPointer? =
          endOfInput && used >= inputFrames ? nil : UnsafeRawPointer(input.baseAddress.map { $0 + used * channels })
        return library.soxr_process!(
          handle, inPointer, inputFrames - used, &consumed, out.baseAddress! + start, room, &generated)
      }
      if let error { throw DSPError.libraryFailure("libsoxr: \(String(cString: error))") }
      output.removeLast((room - generated) * channels)
      used += consumed
      if used >= inputFrames && (!endOfInput || generated == 0) { break }
      if !endOfInput && generated < room && used >= inputFrames { break }
    }
  }

  func reset() { _ = library.soxr_clear!(handle) }
}
