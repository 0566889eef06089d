import CWebRtcVAD

/// WebRTC's voice-activity detector (Debian's libwebrtc-audio-processing) as a stage that
/// listens and never changes the samples: it cuts the stream into frames of 10, 20 or 30 ms and
/// reports one speech / non-speech decision per frame, in order, to `onFrame`.
///
/// The detector takes 16-bit mono at 8, 16, 32 or 48 kHz: the samples are rounded to 16 bits
/// (clamped to ±1), and a stream of several channels is heard as their mean. A last frame that is
/// incomplete at the end of the stream is not decided (`pendingFrames` says how much is left).
///
/// With `noiseGate`, a frame WebRTC calls speech is reported as speech only when its level stands
/// out of the noise around it (`SpeechNoiseGate`): what `--utterances` and the other speech cuts use.
public final class VoiceActivityDetector: AudioNode {
  /// WebRTC's aggressiveness: 0 keeps the most speech, 3 rejects the most noise.
  public let mode: Int
  public let frameMilliseconds: Int
  /// Whether speech frames must stand out of the noise floor (`SpeechNoiseGate`).
  public let noiseGate: Bool
  /// Hears each frame's decision, in order: true for speech.
  public var onFrame: (Bool) -> Void
  /// Frames decided so far.
  public private(set) var decidedFrames = 0
  /// Samples per frame at the prepared rate.
  public private(set) var frameLength = 0
  private var sampleRate = 0
  private var handle: OpaquePointer?
  /// The library's functions, loaded by the first `prepare` (`WebRtcLibrary`).
  private var library = cwebrtcvad_api()
  private var frame: [Int16] = []
  private var gate: SpeechNoiseGate?

  public static let sampleRates = [8000, 16000, 32000, 48000]
  public static let frameDurations = [10, 20, 30]

  /// - Throws: `DSPError.invalidParameter` for a mode outside 0…3 or a frame other than 10, 20, 30 ms.
  public init(mode: Int = 3, frameMilliseconds: Int = 30, noiseGate: Bool = false, onFrame: @escaping (Bool) -> Void = { _ in }) throws {
    guard (0...3).contains(mode) else { throw DSPError.invalidParameter("the voice detector's mode is 0…3, got \(mode)") }
    guard Self.frameDurations.contains(frameMilliseconds) else {
      throw DSPError.invalidParameter("the voice detector's frames are 10, 20 or 30 ms, got \(frameMilliseconds) ms")
    }
    self.mode = mode
    self.frameMilliseconds = frameMilliseconds
    self.noiseGate = noiseGate
    self.onFrame = onFrame
  }

  deinit { if let handle { library.WebRtcVad_Free!(handle) } }

  public var stageName: String { "vad" }
  public var fingerprint: String { "vad=webrtc/mode\(mode)/\(frameMilliseconds)ms" + (noiseGate ? "/gate" : "") }
  public func describe(input: StreamFormat, output: StreamFormat) -> String {
    "voice activity: WebRTC, mode \(mode), \(frameMilliseconds) ms frames\(noiseGate ? ", noise gate" : "") (samples unchanged)"
  }

  /// - Throws: `DSPError.invalidParameter` for a rate the detector does not take.
  public func prepare(_ input: StreamFormat) throws -> StreamFormat {
    guard Self.sampleRates.contains(input.sampleRate) else {
      throw DSPError.invalidParameter(
        "voice detection needs 8, 16, 32 or 48 kHz, the stream is \(input.sampleRate) Hz (use --rate 16000)")
    }
    if handle == nil {
      library = try WebRtcLibrary.load()
      guard let created = library.WebRtcVad_Create!() else { throw DSPError.libraryFailure("WebRtcVad_Create failed") }
      handle = created
    }
    sampleRate = input.sampleRate
    frameLength = input.sampleRate * frameMilliseconds / 1000
    frame.reserveCapacity(frameLength)
    reset()
    return input
  }

  /// Listens to `chunk` and leaves it as it is.
  public func process(_ chunk: inout AudioChunk) throws { try analyze(chunk) }

  /// Decides every frame `chunk` completes.
  public func analyze(_ chunk: AudioChunk) throws {
    precondition(handle != nil, "prepare the detector first")
    let channels = chunk.channels
    let scale = 1 / Float(channels)
    try chunk.samples.withUnsafeBufferPointer { samples in
      var index = 0
      while index < samples.count {
        var sum: Float = 0
        for channel in 0..<channels { sum += samples[index + channel] }
        frame.append(Self.int16(sum * scale))
        index += channels
        if frame.count == frameLength { try decideFrame() }
      }
    }
  }

  /// Frames of the incomplete last frame, not decided.
  public var pendingFrames: Int { frame.count }

  public func reset() {
    frame.removeAll(keepingCapacity: true)
    decidedFrames = 0
    gate = noiseGate && frameLength > 0 ? SpeechNoiseGate(sampleRate: sampleRate, frameLength: frameLength) : nil
    guard let handle else { return }
    _ = library.WebRtcVad_Init!(handle)
    _ = library.WebRtcVad_set_mode!(handle, Int32(mode))
  }

  private func decideFrame() throws {
    let result = frame.withUnsafeBufferPointer { library.WebRtcVad_Process!(handle, Int32(sampleRate), $0.baseAddress, frameLength) }
    guard result >= 0 else { throw DSPError.libraryFailure("WebRtcVad_Process failed on frame \(decidedFrames)") }
    var speech = result == 1
    if gate != nil {
      var sum = 0.0
      for sample in frame { sum += Double(sample) * Double(sample) }
      // In place: a copy of the gate would copy its levels every frame.
      speech = gate!.admit(speech, level: SpeechNoiseGate.level(meanSquare: sum / (Double(frameLength) * 32767 * 32767)))
    }
    frame.removeAll(keepingCapacity: true)
    decidedFrames += 1
    onFrame(speech)
  }

  /// Rounds x·32767 to the nearest 16-bit value, clamped. (Not `SampleQuantizer`'s x·32768 of a
  /// 16-bit output: the detector's decisions were measured with this scale; see the closing notes.)
  static func int16(_ sample: Float) -> Int16 {
    let scaled = (sample * 32767).rounded()
    if !(scaled > -32768) { return -32768 }
    if scaled > 32767 { return 32767 }
    return Int16(scaled)
  }
}
