extension AudioPipeline {
  /// What a run reads: a file, standard input ("-"), or samples in memory, and how to decode it.
  public struct Input: Sendable {
    /// The path given; "-" for standard input; `samplesName` for samples (`samples(_:format:)`).
    public var path: String
    /// The parameters of headerless input, which libsndfile reads.
    public var raw: RawInputFormat?
    /// Which library decodes it.
    public var decoder: AudioDecoder
    /// An audio stream other than the first (FFmpeg), counting audio streams from 0.
    public var audioStream: Int?

    public init(_ path: String, raw: RawInputFormat? = nil, decoder: AudioDecoder = .auto, audioStream: Int? = nil) {
      self.path = path
      self.raw = raw
      self.decoder = decoder
      self.audioStream = audioStream
    }

    /// What messages call samples a caller hands over (as Python calls a file object with no
    /// name `<file object>`).
    public static let samplesName = "<samples>"

    /// Interleaved float samples already decoded (a caller's array): the run treats them as a
    /// file of `format` (read twice when normalising, resampled with look-ahead), with the
    /// float repair of any float input (NaN and ±Inf become 0, beyond ±1024 is clamped).
    public static func samples(_ samples: [Float], format: StreamFormat) -> Input {
      var input = Input(samplesName)
      input.memory = MemoryInput(samples: samples, format: format)
      return input
    }

    /// The samples of `samples(_:format:)`; nil for a path.
    private var memory: MemoryInput?

    /// Marks the input as one no output may replace (`ProtectedFiles`). `run` does it before it
    /// opens anything; a caller that opens other outputs first (a statistics file) calls it
    /// before those. Samples in memory are no file.
    public func protect() {
      if memory == nil { ProtectedFiles.protectInput(path) }
    }

    /// Where the input's rate comes from (`checkRatio`).
    public var rateOrigin: RateOrigin { memory != nil ? .samples : raw != nil ? .rawOption : .header }

    /// Samples in memory (`samples(_:format:)`), not a path.
    public var isInMemory: Bool { memory != nil }

    func open() throws -> any DecodingSource {
      if let memory { return MemoryDecodingSource(memory) }
      return try openAudioSource(path: path, raw: raw, decoder: decoder, audioStream: audioStream)
    }

    /// The input's length in its own frames and rate, read before processing (`batch
    /// --min-duration`, `--segment-longer-only`): what the header or index says (exact, else
    /// announced), or, when it says nothing, counted by decoding the input once.
    public func length() throws -> (frames: Int64, sampleRate: Int) {
      let source = try open()
      if let frames = source.exactFrames ?? source.announcedFrames { return (frames, source.format.sampleRate) }
      var chunk = AudioChunk(samples: [], channels: source.format.channels)
      var frames: Int64 = 0
      while true {
        let read = try source.read(into: &chunk, maxFrames: 65536)
        if read == 0 { break }
        frames += Int64(read)
      }
      return (frames, source.format.sampleRate)
    }

    /// What the input's reading adds to a run's fingerprint: nothing for the default decoding,
    /// so older manifests still match.
    public var decodingFingerprint: String? {
      decoder == .auto && audioStream == nil ? nil : "decoder=\(decoder.rawValue)/stream\(audioStream ?? 0)"
    }
  }

  /// A file to compare the output with as it is produced (`process --golden`).
  public struct GoldenCheck: Sendable {
    public var path: String
    /// Largest |output − golden| per sample, after quantizing to the output's encoding.
    public var tolerance: Double

    public init(path: String, tolerance: Double) {
      self.path = path
      self.tolerance = tolerance
    }
  }
}
