/// A batch's time left, from the audio left and the time each processed input took.
///
/// The work of an input is its audio, not its bytes: a second of MP3 is a tenth of the bytes of
/// a second of WAV and costs about as much. An input's audio is read from its bytes at its
/// kind's (its extension's) bytes per second of audio: those of the inputs of that kind
/// processed so far, or a typical figure for the kind (`typicalBytesPerSecond`) until one is.
/// Each input costs a fixed time besides its audio (opening, hashing, writing: most of the work
/// of a short file): both are fitted over the inputs processed (`Fit`), and a kind's inputs
/// take as much more or less than the fit as those of it processed did (an MP3 second costs more
/// to decode than a WAV second). The inputs in flight
/// count what they have done (so with -j 2 the file still in flight when the first finishes is
/// not taken as no work done, which doubled the early ETA).
struct BatchETA {
  struct Kind {
    /// Inputs not finished, and their bytes.
    var remainingFiles = 0
    var remainingBytes: Int64 = 0
    /// Inputs processed, their bytes and their seconds of audio.
    var processedBytes: Int64 = 0
    var processedAudioSeconds = 0.0
  }

  /// Wall seconds of one input = `perFile` + `perAudioSecond` × its seconds of audio.
  struct Fit {
    var perFile: Double
    var perAudioSecond: Double

    func seconds(audio: Double) -> Double { perFile + perAudioSecond * audio }
  }

  private(set) var kinds: [String: Kind] = [:]
  /// Each processed input's kind, seconds of audio and wall seconds.
  private var processed: [(kind: String, audio: Double, wall: Double)] = []

  /// Every input of the batch: its path (for its kind) and bytes.
  init(inputs: [(path: String, bytes: Int64)]) {
    for input in inputs {
      kinds[Self.kind(input.path), default: Kind()].remainingFiles += 1
      kinds[Self.kind(input.path), default: Kind()].remainingBytes += input.bytes
    }
  }

  static func kind(_ path: String) -> String { PathName.fileExtension(path).lowercased() }

  /// Bytes a second of audio takes in a kind no input of which was processed yet: 128 kbit/s for
  /// lossy formats, 16-bit stereo 44.1 kHz for PCM, 60 % of it for lossless compression.
  static func typicalBytesPerSecond(_ kind: String) -> Double {
    switch kind {
    case "mp3", "mp2", "ogg", "oga", "opus", "m4a", "aac", "wma", "webm", "mka", "mp4", "spx": 16_000
    case "flac", "wv", "ape", "alac", "tta": 105_840
    default: 176_400
    }
  }

  /// An input is done: `processed` its seconds of audio and wall time when it was processed
  /// (not skipped or failed).
  mutating func finished(path: String, bytes: Int64, processed: (audio: Double, wall: Double)?) {
    let kind = Self.kind(path)
    kinds[kind, default: Kind()].remainingFiles -= 1
    kinds[kind, default: Kind()].remainingBytes -= bytes
    if let processed, processed.wall > 0, processed.audio > 0 {
      kinds[kind]!.processedBytes += bytes
      kinds[kind]!.processedAudioSeconds += processed.audio
      self.processed.append((kind, processed.audio, processed.wall))
    }
  }

  /// Seconds of audio in `bytes` of a `kind`.
  func audioSeconds(bytes: Int64, kind: String) -> Double {
    let known = kinds[kind].flatMap { $0.processedBytes > 0 ? Double($0.processedBytes) / $0.processedAudioSeconds : nil }
    return Double(bytes) / (known ?? Self.typicalBytesPerSecond(kind))
  }

  /// The least-squares line through the processed inputs' (audio, wall) points; a line through
  /// the origin (no fixed cost) when their lengths barely differ or the fit gives a negative part.
  var fit: Fit? {
    let processed = self.processed.map { (audio: $0.audio, wall: $0.wall) }
    let count = Double(processed.count)
    let audio = processed.reduce(0) { $0 + $1.audio }, wall = processed.reduce(0) { $0 + $1.wall }
    guard count > 0, audio > 0 else { return nil }
    let (meanAudio, meanWall) = (audio / count, wall / count)
    let spread = processed.reduce(0) { $0 + ($1.audio - meanAudio) * ($1.audio - meanAudio) }
    let together = processed.reduce(0) { $0 + ($1.audio - meanAudio) * ($1.wall - meanWall) }
    if count >= 2, spread > 1e-9 * meanAudio * meanAudio * count {
      let slope = together / spread
      let intercept = meanWall - slope * meanAudio
      if slope > 0, intercept >= 0 { return Fit(perFile: intercept, perAudioSecond: slope) }
    }
    return Fit(perFile: 0, perAudioSecond: wall / audio)
  }

  /// The wall time of a kind's processed inputs over what `fit` gives them (1 for a kind none of which was processed).
  func ratio(_ kind: String, fit: Fit) -> Double {
    let mine = processed.filter { $0.kind == kind }
    let fitted = mine.reduce(0) { $0 + fit.seconds(audio: $1.audio) }
    return fitted > 0 ? mine.reduce(0) { $0 + $1.wall } / fitted : 1
  }

  /// Seconds left for `workers` at once, or nil before any input was processed.
  func seconds(inFlight: [(path: String, bytes: Int64, age: Double)], workers: Int) -> Double? {
    guard let fit else { return nil }
    var total = 0.0
    for (name, kind) in kinds where kind.remainingFiles > 0 {
      let fitted = Double(kind.remainingFiles) * fit.perFile + fit.perAudioSecond * audioSeconds(bytes: max(0, kind.remainingBytes), kind: name)
      total += fitted * ratio(name, fit: fit)
    }
    for flight in inFlight {
      let kind = Self.kind(flight.path)
      total -= min(fit.seconds(audio: audioSeconds(bytes: flight.bytes, kind: kind)) * ratio(kind, fit: fit), flight.age)
    }
    return max(0, total) / Double(max(1, workers))
  }
}
