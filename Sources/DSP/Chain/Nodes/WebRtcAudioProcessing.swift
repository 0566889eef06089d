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

  /// Frames by which the library's noise suppression delays its output, by rate (its overlap-add,
  /// and at 32 and 48 kHz its band split; measured by cross-correlation, docs/denoise.md). The
  /// node takes it back out and mixes the input, as much delayed, with the suppressed signal.
  /// Its rates are the ones the library processes natively (`sampleRates`): one table.
  public static let suppressionDelay = [8000: 48, 16000: 96, 32000: 196, 48000: 335]

  /// The rates the library processes natively.
  public static let sampleRates = suppressionDelay.keys.sorted()

  /// nil: no noise suppression.
  public let noiseLevel: NoiseLevel?
  public let gainControl: Bool
  /// Samples per channel in one 10 ms frame, set by `prepare`.
  public private(set) var frameLength = 0
  private var channels = 1
  /// Noise suppression alone (nil without it); its output is mixed with the input by `blend`.
  private var suppressor: OpaquePointer?
  /// Gain control alone (nil without it), after the mix.
  private var gainController: OpaquePointer?
  private var blend = NoiseSuppressionBlend()
  /// `suppressionDelay` at the stream's rate, 0 without noise suppression.
  private var delay = 0
  /// One frame, channel after channel (the library's planar layout).
  private var planar: [Float] = []
  /// Per channel, the last `delay` input frames before the current frame, then the frame: the
  /// input aligned with what the suppressor puts out.
  private var dry: [Float] = []
  /// Frames of `planar` filled so far.
  private var filled = 0
  /// Frames taken in and put out since `prepare`: the first `delay` frames put out are the
  /// suppressor's delay and are dropped, and `flush` runs until as many are out as came in.
  private var framesIn = 0
  private var framesOut = 0
  /// Frames still to drop from the start of the output (the suppressor's delay).
  private var pendingDelay = 0
  private var output: [Float] = []
  /// Output samples held at ±1: the library works in 16-bit range, so whatever would go beyond
  /// full scale (an input near it, resampled, overshoots) comes out flat-topped, and so does the
  /// input mixed with it. The run reports them (`PipelineReport.webrtcClippedSamples`).
  public private(set) var samplesHeldAtFullScale = 0

  /// - Precondition: at least one of noise suppression and gain control.
  public init(noiseLevel: NoiseLevel?, gainControl: Bool) {
    precondition(noiseLevel != nil || gainControl, "nothing for WebRTC's audio processing to do")
    self.noiseLevel = noiseLevel
    self.gainControl = gainControl
  }

  deinit { free() }

  private func free() {
    if let suppressor { audioprep_apm_free(suppressor) }
    if let gainController { audioprep_apm_free(gainController) }
    suppressor = nil
    gainController = nil
  }

  public var stageName: String { "webrtc" }

  public func contribute(to report: inout PipelineReport) { report.webrtcClippedSamples += samplesHeldAtFullScale }

  public var fingerprint: String {
    [
      noiseLevel.map { "webrtc_ns=\($0.rawValue)/unless-clean\(Int(NoiseSuppressionBlend.noisyDB))-\(Int(NoiseSuppressionBlend.cleanDB))dB/aligned" },
      gainControl ? "webrtc_agc=digital/-3dBFS/9dB/limiter" : nil,
    ].compactMap { $0 }.joined(separator: " ")
  }

  public func describe(input: StreamFormat, output: StreamFormat) -> String {
    let parts = [
      noiseLevel.map {
        "noise suppression \($0.rawValue) where the input is noisy (none at an estimated SNR of \(Int(NoiseSuppressionBlend.cleanDB)) dB or more, all of it at \(Int(NoiseSuppressionBlend.noisyDB)) dB or less), its delay taken out"
      },
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
    _ = try WebRtcLibrary.load()
    free()
    let rate = Int32(input.sampleRate)
    let channelCount = Int32(input.channels)
    if let noiseLevel {
      suppressor = audioprep_apm_create(rate, channelCount, noiseLevel.libraryLevel, 0)
      guard suppressor != nil else { throw refused(input) }
    }
    if gainControl {
      gainController = audioprep_apm_create(rate, channelCount, -1, 1)
      guard gainController != nil else { throw refused(input) }
    }
    channels = input.channels
    frameLength = Int(audioprep_apm_frame_length((suppressor ?? gainController)!))
    delay = noiseLevel == nil ? 0 : Self.suppressionDelay[input.sampleRate]!
    planar = Array(repeating: 0, count: frameLength * channels)
    dry = Array(repeating: 0, count: (delay + frameLength) * channels)
    startStream()
    return input
  }

  private func refused(_ input: StreamFormat) -> DSPError {
    DSPError.invalidParameter("WebRTC's audio processing refuses \(input.channels) channels at \(input.sampleRate) Hz")
  }

  private func startStream() {
    filled = 0
    framesIn = 0
    framesOut = 0
    pendingDelay = delay
    blend = NoiseSuppressionBlend()
    for index in dry.indices { dry[index] = 0 }
    samplesHeldAtFullScale = 0
  }

  /// Replaces `chunk` with the frames it completes, processed.
  public func process(_ chunk: inout AudioChunk) throws {
    precondition(suppressor != nil || gainController != nil, "prepare the node first")
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
      framesIn += take
      if filled == frameLength { try processFrame() }
    }
    swap(&chunk.samples, &output)
  }

  /// Pads the last partial frame with zeros, and runs zero frames after it until the suppressor
  /// has put out as many frames as came in.
  public func flush(_ chunk: inout AudioChunk) throws {
    guard suppressor != nil || gainController != nil else { return }
    output.removeAll(keepingCapacity: true)
    while framesOut < framesIn {
      for channel in 0..<channels {
        for index in (channel * frameLength + filled)..<((channel + 1) * frameLength) { planar[index] = 0 }
      }
      try processFrame()
    }
    chunk.samples.append(contentsOf: output)
  }

  public func reset() {
    for handle in [suppressor, gainController] {
      if let handle { _ = audioprep_apm_reset(handle) }
    }
    startStream()
  }

  /// Runs the full frame in `planar` through the suppressor (mixed with the input as `blend`
  /// weighs it) and gain control, and appends what of it is owed, interleaved, to `output`: not the
  /// first `delay` frames of the stream, not beyond the frames that came in.
  private func processFrame() throws {
    let channels = self.channels
    let frameLength = self.frameLength
    if let suppressor {
      let delay = self.delay
      let span = delay + frameLength
      var energy = 0.0
      for channel in 0..<channels {
        for offset in 0..<frameLength {
          let sample = planar[channel * frameLength + offset]
          dry[channel * span + delay + offset] = sample
          energy += Double(sample) * Double(sample)
        }
      }
      let previous = blend.weight
      let weight = blend.next(frameEnergy: energy / Double(frameLength * channels))
      try run(suppressor)
      for channel in 0..<channels {
        for offset in 0..<frameLength {
          // The weight moves from the last frame's to this one's across the frame.
          let mix = Float(previous + (weight - previous) * Double(offset + 1) / Double(frameLength))
          let input = min(1, max(-1, dry[channel * span + offset]))
          let index = channel * frameLength + offset
          planar[index] = mix == 0 ? input : mix == 1 ? planar[index] : mix * planar[index] + (1 - mix) * input
        }
        // Keep the last `delay` input frames for the next frame.
        for offset in 0..<delay { dry[channel * span + offset] = dry[channel * span + frameLength + offset] }
      }
    }
    if let gainController { try run(gainController) }
    filled = 0
    planar.withUnsafeBufferPointer { planar in
      let first = pendingDelay
      let last = min(frameLength, first + (framesIn - framesOut))
      guard first < last else { return }
      for offset in first..<last {
        for channel in 0..<channels {
          let sample = planar[channel * frameLength + offset]
          if abs(sample) >= 1 { samplesHeldAtFullScale += 1 }
          output.append(sample)
        }
      }
      framesOut += last - first
    }
    pendingDelay = max(0, pendingDelay - frameLength)
  }

  private func run(_ handle: OpaquePointer) throws {
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
  }
}
