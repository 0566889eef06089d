/// The resampling engine.
public enum ResamplerEngine: String, CaseIterable, Sendable {
  /// libsamplerate's output: its sinc converters as a polyphase filter measured from it
  /// (`Resampler.Engine.polyphase`) where the ratio allows, libsamplerate itself otherwise.
  case libsamplerate
  /// Every frame through libsamplerate's `src_process` (`Resampler.Engine.libsamplerate`, or
  /// `.segmentedLibsamplerate` on several threads).
  case libsamplerateDirect = "libsamplerate-direct"
  case soxr
}

/// Every choice the processing chain depends on, with the browser chain's values as defaults:
/// 16 kHz, high-pass 80 Hz with Web Audio's Q = 1 dB, gain ×1.5, 100 ms chunks, 10-chunk buffer.
public struct PipelineConfiguration: Equatable, Sendable {
  /// How chunk length is given.
  public enum ChunkLength: Equatable, Sendable {
    case milliseconds(Double)
    case frames(Int)
  }

  /// Output rate in Hz.
  public var outputRate = 16000
  public var converter = ConverterType.medium
  /// Which engine resamples: libsamplerate's output (by default through the polyphase engine,
  /// `PolyphaseTable`), libsamplerate called directly, or libsoxr (faster); `makeResampler`
  /// turns it into the node's engine.
  public var resampler = ResamplerEngine.libsamplerate
  /// libsoxr's quality recipe, when `resampler` is `.soxr`.
  public var soxrQuality = SoxrQuality.high
  /// nil keeps all channels (every later node runs per channel).
  public var downmix: Downmix.Mode? = .average
  /// WebRTC's noise suppression at this level, after resampling and before the high-pass
  /// (`WebRtcAudioProcessing`); nil (the default) leaves it out.
  public var noiseSuppression: WebRtcAudioProcessing.NoiseLevel?
  /// WebRTC's automatic gain control (adaptive digital), beside the noise suppression.
  public var automaticGainControl = false
  /// nil turns the high-pass off.
  public var highPassHz: Double? = 80
  public var q = BiquadCoefficients.Q.webAudioDefault
  /// Linear gain.
  public var gain: Float = 1.5
  /// A level to bring the output to, replacing `gain` with one set from a first pass over the
  /// input (`AudioPipeline.run`, files only); nil keeps `gain`.
  public var normalization: Normalization?
  /// Measure the input's and the output's EBU R128 loudness as the run goes
  /// (`PipelineReport.inputLoudness`, `.outputLoudness`); changes no sample.
  public var measuresLoudness = false
  public var chunkLength = ChunkLength.milliseconds(100)
  /// Zero-pad the last chunk to full length.
  public var padLastChunk = false
  /// Capacity of the bounded buffer between the processing and writing threads.
  public var bufferChunks = 10
  /// `.block` is lossless; `.dropOldest` is the browser's live behaviour.
  public var bufferPolicy = ChunkQueue.Policy.block
  /// Frames read from the source per block.
  public var readFrames = 4096
  /// Threads that resample segments of the stream at once; 1 resamples on the processing thread.
  /// Live mode (`.dropOldest`) always resamples on one thread, for latency.
  public var threads = availableCores()
  /// Time every stage (`PipelineReport.statistics`); costs two clock reads per stage and block.
  public var collectsStatistics = false
  /// Input frames per parallel resampling segment; 0 picks a default (about 1.5 s at 44.1 kHz).
  public var segmentFrames = 0

  public init() {}

  /// The format the chain emits for `input`, without building it.
  public func outputFormat(for input: StreamFormat) -> StreamFormat {
    StreamFormat(sampleRate: outputRate, channels: downmix == nil ? input.channels : 1)
  }

  /// Frames the chain emits for `frames` input frames at `inputRate`: the resamplers' length rule,
  /// ceil(n · outputRate / inputRate) (`OutputLength`), or n when no resampling happens.
  public func outputFrames(forInputFrames frames: Int, inputRate: Int) -> Int {
    var length = OutputLength(ResamplingRatio(reducing: inputRate, outputRate))
    length.inputFrames = frames
    return length.expectedOutputFrames
  }

  /// Frames the whole run will emit for an input of exactly `frames`, or nil when that cannot
  /// be known in advance (live mode may drop chunks). `--pad` rounds up to whole chunks.
  public func exactOutputFrames(forInputFrames frames: Int, inputRate: Int) -> Int? {
    guard bufferPolicy == .block else { return nil }
    let output = outputFrames(forInputFrames: frames, inputRate: inputRate)
    guard padLastChunk else { return output }
    return (output + framesPerChunk - 1) / framesPerChunk * framesPerChunk
  }

  /// Frames per chunk at the output rate.
  public var framesPerChunk: Int {
    switch chunkLength {
    case .frames(let frames): return frames
    case .milliseconds(let ms): return max(1, Int((Double(outputRate) * ms / 1000).rounded()))
    }
  }
}
