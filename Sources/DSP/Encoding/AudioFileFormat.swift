import CSndFile

/// A container audioprep can write, named as on the command line.
public enum Container: String, CaseIterable, Sendable {
  case wav, flac, ogg, opus, mp3, aiff, caf, raw

  /// The container a file name's extension implies, if any.
  public init?(fileExtension: String) {
    switch fileExtension.lowercased() {
    case "wav", "wave": self = .wav
    case "flac": self = .flac
    case "ogg", "oga": self = .ogg
    case "opus": self = .opus
    case "mp3": self = .mp3
    case "aif", "aiff": self = .aiff
    case "caf": self = .caf
    case "raw", "pcm": self = .raw
    default: return nil
    }
  }

  /// The usual extension for the container.
  public var fileExtension: String { rawValue }

  /// Lossy codecs take floats and ignore the sample encoding.
  public var isLossy: Bool { self == .ogg || self == .opus || self == .mp3 }
}

/// How each sample is stored in an output.
public enum SampleEncoding: String, CaseIterable, Sendable {
  case s16, s24, s32, f32

  /// libsndfile's subtype for it.
  var sfSubtype: Int32 {
    switch self {
    case .s16: Int32(SF_FORMAT_PCM_16)
    case .s24: Int32(SF_FORMAT_PCM_24)
    case .s32: Int32(SF_FORMAT_PCM_32)
    case .f32: Int32(SF_FORMAT_FLOAT)
    }
  }

  /// Bytes per sample as written raw.
  public var bytesPerSample: Int {
    switch self {
    case .s16: 2
    case .s24: 3
    case .s32, .f32: 4
    }
  }
}

/// The encodings accepted for raw (headerless) input.
public enum RawEncoding: String, CaseIterable, Sendable {
  case s16, s24, s32, f32, u8

  /// Bytes one sample takes.
  public var bytesPerSample: Int {
    switch self {
    case .u8: 1
    case .s16: 2
    case .s24: 3
    case .s32, .f32: 4
    }
  }
}

/// The parameters raw PCM input needs, since it has no header to tell them.
public struct RawInputFormat: Equatable, Sendable {
  public var sampleRate: Int
  public var channels: Int
  public var encoding: RawEncoding

  public init(sampleRate: Int, channels: Int, encoding: RawEncoding) {
    self.sampleRate = sampleRate
    self.channels = channels
    self.encoding = encoding
  }

  /// Bytes one interleaved frame takes.
  public var bytesPerFrame: Int { encoding.bytesPerSample * channels }

  /// The little-endian libsndfile format for these parameters.
  var sfInfo: SF_INFO {
    let subtype = encoding == .u8 ? Int32(SF_FORMAT_PCM_U8) : SampleEncoding(rawValue: encoding.rawValue)!.sfSubtype
    var info = SF_INFO()
    info.samplerate = Int32(clamping: sampleRate)
    info.channels = Int32(clamping: channels)
    info.format = Int32(SF_FORMAT_RAW) | subtype | Int32(SF_ENDIAN_LITTLE)
    return info
  }
}

/// A container with a sample encoding: what an output file will hold.
public struct OutputFileFormat: Equatable, Sendable, CustomStringConvertible {
  public var container: Container
  public var encoding: SampleEncoding
  /// TPDF dither before rounding to an integer encoding (reproducible: fixed seed).
  public var dither: Bool

  public init(container: Container, encoding: SampleEncoding = .s16, dither: Bool = false) {
    self.container = container
    self.encoding = encoding
    self.dither = dither
  }

  public var description: String {
    container.isLossy ? container.rawValue : "\(container.rawValue) \(encoding.rawValue)"
  }

  /// Every field, for a run's fingerprint (a batch rerun reuses an output only when it matches):
  /// a new field belongs here too.
  public var fingerprint: String {
    "container=\(container.rawValue) encoding=\(encoding.rawValue) dither=\(dither ? "tpdf" : "none")"
  }

  /// The most bytes of samples a plain WAV file holds (its sizes are 32-bit), less room for
  /// the header.
  public static let wavDataLimit: Int64 = 0xFFFF_FFFF - 4096

  /// The libsndfile format word, or nil when libsndfile cannot write this combination.
  ///
  /// WAV is canonical (`WAVE_FORMAT_PCM`, a 44-byte header; IEEE float for f32) unless
  /// `expectedFrames` says the samples will not fit in 4 GiB: then RF64, with auto-downgrade.
  func sfFormat(sampleRate: Int, channels: Int, expectedFrames: Int? = nil) -> Int32? {
    let pcm = encoding.sfSubtype
    let format: Int32
    switch container {
    case .wav:
      let bytes = expectedFrames.map { Int64($0) * Int64(channels * encoding.bytesPerSample) } ?? 0
      format = Int32(bytes > Self.wavDataLimit ? SF_FORMAT_RF64 : SF_FORMAT_WAV) | pcm
    case .aiff: format = Int32(SF_FORMAT_AIFF) | pcm
    case .caf: format = Int32(SF_FORMAT_CAF) | pcm
    case .raw: format = Int32(SF_FORMAT_RAW) | pcm | Int32(SF_ENDIAN_LITTLE)
    case .flac: format = Int32(SF_FORMAT_FLAC) | pcm
    case .ogg: format = Int32(SF_FORMAT_OGG) | Int32(SF_FORMAT_VORBIS)
    case .opus: format = Int32(SF_FORMAT_OGG) | Int32(SF_FORMAT_OPUS)
    case .mp3:
      format = Int32(SF_FORMAT_MPEG) | Int32(SF_FORMAT_MPEG_LAYER_III)
    }
    if encoderLimit(sampleRate: sampleRate, channels: channels) != nil { return nil }
    var info = SF_INFO()
    info.samplerate = Int32(clamping: sampleRate)
    info.channels = Int32(clamping: channels)
    info.format = format
    return SndFile.canWrite(info) ? format : nil
  }

  /// The most channels an Ogg Vorbis or Ogg Opus stream holds (a one-byte count).
  public static let oggChannelLimit = 255

  /// Why libsndfile would refuse this format at this rate and channel count, or nil if it can.
  public func unsupportedReason(sampleRate: Int, channels: Int) -> String? {
    if let limit = encoderLimit(sampleRate: sampleRate, channels: channels) { return limit }
    guard sfFormat(sampleRate: sampleRate, channels: channels) == nil else { return nil }
    switch container {
    case .flac where encoding == .s32 || encoding == .f32:
      return "FLAC takes --encoding s16 or s24, not \(encoding.rawValue)"
    case .flac where channels > 8:
      return "FLAC holds at most 8 channels, the output has \(channels)"
    case .mp3 where channels > 2:
      return "MP3 holds 1 or 2 channels, the output has \(channels)"
    default:
      return "libsndfile cannot write \(description) at \(sampleRate) Hz with \(channels) channel\(channels == 1 ? "" : "s")"
    }
  }

  /// The encoders' limits that libsndfile's `sf_format_check` lets through and that would fail
  /// only at `sf_open` or the first write (measured with libsndfile 1.2): Vorbis and Opus hold
  /// at most 255 channels; Opus takes five rates, MP3 nine; Vorbis goes up to 200 kHz; FLAC's
  /// header holds a rate up to 65535 Hz, or up to 655350 Hz in steps of 10 Hz.
  private func encoderLimit(sampleRate: Int, channels: Int) -> String? {
    switch container {
    case .ogg where channels > Self.oggChannelLimit, .opus where channels > Self.oggChannelLimit:
      return "Ogg \(container == .ogg ? "Vorbis" : "Opus") holds at most \(Self.oggChannelLimit) channels, the output has \(channels)"
    case .opus where ![8000, 12000, 16000, 24000, 48000].contains(sampleRate):
      return "Opus cannot be written at \(sampleRate) Hz (8, 12, 16, 24 or 48 kHz only)"
    case .mp3 where ![8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000].contains(sampleRate):
      return "MP3 cannot be written at \(sampleRate) Hz (8, 11.025, 12, 16, 22.05, 24, 32, 44.1 or 48 kHz only)"
    case .ogg where sampleRate > 200_000:
      return "Ogg Vorbis cannot be written above 200000 Hz, got \(sampleRate) Hz"
    case .flac where sampleRate > 655_350 || (sampleRate > 65535 && sampleRate % 10 != 0):
      return "FLAC cannot be written at \(sampleRate) Hz (up to 65535 Hz, or up to 655350 Hz in steps of 10 Hz)"
    default:
      return nil
    }
  }
}
