import CWebRtcAudioProcessing

/// WebRTC's noise suppression and automatic gain control (Debian's libwebrtc-audio-processing,
/// the 0.3 API), what a browser's `getUserMedia` applies to a microphone by default: placed after
/// resampling, before the high-pass (`PipelineConfiguration.makeChain`).
///
/// The library works on 10 ms frames at 8, 16, 32 or 48 kHz, so the node holds back up to one
/// frame: each chunk comes out as the frames it completes, and `flush` pads the last partial frame
/// with zeros and emits only its own length, so the stream keeps its length. What the library
/// delays internally (noise suppression's overlap-add, a few ms) stays in the output as a delay.
/// The library is deterministic: the same input gives the same samples, and `reset` starts over.
///
/// Gain control is WebRTC's adaptive digital mode (the library's defaults: target -3 dBFS, 9 dB
/// of compression gain, limiter on; its adaptive level raises quiet input by up to about 35 dB):
/// offline there is no microphone volume for its analog mode to steer.
public final class WebRtcAudioProcessing: AudioNode {
  /// WebRTC's noise suppression levels: more suppression, more speech distortion.
  public enum NoiseLevel: String, CaseIterable, Sendable {
    case low, moderate, high
    case veryHigh = "very-high"

    /// The library's `NoiseSuppression::Level`, 0 … 3.
    var libraryLevel: Int32 {
      switch self {
      case .low: 0
      case .moderate: 1
      case .high: 2
      case .veryHigh: 3
      }
    }
  }

  /// The rates the library processes natively.
  public static let sampleRates = [8000, 16000, 32000, 48000]

  /// nil: no noise suppression.
  public let noiseLevel: NoiseLevel?
  public let gainControl: Bool
  /// Samples per channel in one 10 ms frame, set by `prepare`.
  public private(set) var frameLength = 0
  private var channels = 1
  private var handle: OpaquePointer?
  /// One frame, channel after channel (the library's planar layout).
  private var planar: [Float] = []
  /// Frames of `planar` filled so far.
  private var filled = 0
  private var output: [Float] = []
  /// Output samples the library held at ±1: it works in 16-bit range, so whatever would go
  /// beyond full scale (an input near it, resampled, overshoots) comes out flat-topped. The run
  /// reports them (`PipelineReport.webrtcClippedSamples`).
  public private(set) var samplesHeldAtFullScale = 0

  /// - Precondition: at least one of noise suppression and gain control.
  public init(noiseLevel: NoiseLevel?, gainControl: Bool) {
    precondition(noiseLevel != nil || gainControl, "nothing for WebRTC's audio processing to do")
    self.noiseLevel = noiseLevel
    self.gainControl = gainControl
  }

  deinit { if let handle { audioprep_apm_free(handle) } }

  public var stageName: String { "webrtc" }

  public func contribute(to report: inout PipelineReport) { report.webrtcClippedSamples += samplesHeldAtFullScale }

  public var fingerprint: String {
    [noiseLevel.map { "webrtc_ns=\($0.rawValue)" }, gainControl ? "webrtc_agc=digital/-3dBFS/9dB/limiter" : nil]
      .compactMap { $0 }.joined(separator: " ")
  }

  public func describe(input: StreamFormat, output: StreamFormat) -> String {
    let parts = [
      noiseLevel.map { "noise suppression \($0.rawValue)" },
      gainControl ? "gain control (adaptive digital, target -3 dBFS, compression gain 9 dB, limiter; quiet input is raised by up to about 35 dB)" : nil,
    ]
    return "webrtc: " + parts.compactMap { $0 }.joined(separator: ", ") + ", 10 ms frames"
  }

  /// - Throws: `DSPError.invalidParameter` for a rate the library does not process natively.
  public func prepare(_ input: StreamFormat) throws -> StreamFormat {
    guard Self.sampleRates.contains(input.sampleRate) else {
      throw DSPError.invalidParameter(
        "WebRTC's noise suppression and gain control need 8, 16, 32 or 48 kHz, the stream is \(input.sampleRate) Hz (use --rate 16000)")
    }
    if let handle { audioprep_apm_free(handle) }
    handle = audioprep_apm_create(Int32(input.sampleRate), Int32(input.channels), noiseLevel?.libraryLevel ?? -1, gainControl ? 1 : 0)
    guard let handle else {
      throw DSPError.invalidParameter("WebRTC's audio processing refuses \(input.channels) channels at \(input.sampleRate) Hz")
    }
    channels = input.channels
    frameLength = Int(audioprep_apm_frame_length(handle))
    planar = Array(repeating: 0, count: frameLength * channels)
    filled = 0
    samplesHeldAtFullScale = 0
    return input
  }

  /// Replaces `chunk` with the frames it completes, processed.
  public func process(_ chunk: inout AudioChunk) throws {
    precondition(handle != nil, "prepare the node first")
    output.removeAll(keepingCapacity: true)
    let channels = self.channels
    let frames = chunk.frameCount
    var frame = 0
    while frame < frames {
      let take = min(frameLength - filled, frames - frame)
      chunk.samples.withUnsafeBufferPointer { samples in
        planar.withUnsafeMutableBufferPointer { planar in
          for channel in 0..<channels {
            let row = channel * frameLength + filled
            for offset in 0..<take { planar[row + offset] = samples[(frame + offset) * channels + channel] }
          }
        }
      }
      filled += take
      frame += take
      if filled == frameLength { try processFrame(emitting: frameLength) }
    }
    swap(&chunk.samples, &output)
  }

  /// Pads the last partial frame with zeros and emits its own length.
  public func flush(_ chunk: inout AudioChunk) throws {
    guard handle != nil, filled > 0 else { return }
    let emitted = filled
    for channel in 0..<channels {
      for index in (channel * frameLength + filled)..<((channel + 1) * frameLength) { planar[index] = 0 }
    }
    output.removeAll(keepingCapacity: true)
    try processFrame(emitting: emitted)
    chunk.samples.append(contentsOf: output)
  }

  public func reset() {
    filled = 0
    samplesHeldAtFullScale = 0
    guard let handle else { return }
    _ = audioprep_apm_reset(handle)
  }

  /// Runs the full frame in `planar` through the library and appends its first `count` frames,
  /// interleaved, to `output`.
  private func processFrame(emitting count: Int) throws {
    let channels = self.channels
    let frameLength = self.frameLength
    let result = planar.withUnsafeMutableBufferPointer { planar -> Int32 in
      let base = planar.baseAddress!
      return withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<Float>?.self, capacity: channels) { rows in
        for channel in 0..<channels { rows[channel] = base + channel * frameLength }
        return audioprep_apm_process(handle, rows.baseAddress!)
      }
    }
    guard result == 0 else { throw DSPError.libraryFailure("WebRTC's audio processing failed (error \(result))") }
    filled = 0
    planar.withUnsafeBufferPointer { planar in
      for offset in 0..<count {
        for channel in 0..<channels {
          let sample = planar[channel * frameLength + offset]
          if abs(sample) >= 1 { samplesHeldAtFullScale += 1 }
          output.append(sample)
        }
      }
    }
  }
}
