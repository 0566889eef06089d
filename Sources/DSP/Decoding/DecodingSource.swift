/// A source that decodes an input file or standard input, and what it learned doing so:
/// the answers `process`, `batch` and `info` report, whichever library decoded.
public protocol DecodingSource: AudioSource {
  /// The path given, "-" for standard input.
  var path: String { get }
  /// The library that decodes: "libsndfile" or "FFmpeg".
  var decoderName: String { get }
  /// A short name of the container and encoding, e.g. "WAV, Signed 16 bit PCM" or
  /// "MP4 (mov,mp4,m4a,3gp,3g2,mj2), AAC (Advanced Audio Coding)".
  var formatName: String { get }
  /// Frames the header or index announces; nil when unknown (a pipe, a live WebM).
  var announcedFrames: Int64? { get }
  /// Frames the input holds, when known exactly before decoding (not an estimate): what an
  /// output's length can be computed from in advance (exact WAV sizes on standard output).
  var exactFrames: Int64? { get }
  /// Set at the end of the stream when it held less audio than announced, e.g.
  /// "truncated: the header announces 16000 frames, the input holds 1000".
  var truncation: String? { get }
  /// The truncation a file's header and size show before decoding, or nil: a PCM file (WAV,
  /// AIFF, …) whose bytes hold fewer frames than its header announces, in `truncation`'s
  /// words, or an MP3's Info frame damaged. What `info DIR` reports without decoding each file;
  /// nil for a stream, and for codecs whose length only decoding tells.
  var truncationAtOpen: String? { get }
  /// Frames decoded so far.
  var decodedFrames: Int64 { get }
  /// A raw input's first bytes (up to 4, once a block has been read), where a container's
  /// signature would be (`RIFF`, `fLaC`): empty for a decoded container.
  var leadingBytes: [UInt8] { get }
}

extension DecodingSource {
  public var leadingBytes: [UInt8] { [] }
  public var truncationAtOpen: String? { nil }
}

/// Float samples that would poison the chain: NaN and ±Inf become 0, magnitudes beyond `limit`
/// are clamped to it; both are counted.
struct FloatSampleRepair {
  /// The largest magnitude a float input sample keeps: 1024, 60 dB above full scale.
  ///
  /// Real recordings stay far below it. Near Float's limit (±3.4e38) libsamplerate's sinc
  /// filters overflow to ±Inf and the high-pass then turns Inf − Inf into NaN.
  static let limit: Float = 1024

  private(set) var nonFinite = 0
  private(set) var outOfRange = 0

  mutating func repair(_ buffer: UnsafeMutableBufferPointer<Float>) {
    var nonFinite = 0
    var outOfRange = 0
    let limit = Self.limit
    for index in buffer.indices {
      let sample = buffer[index]
      if !sample.isFinite {
        buffer[index] = 0
        nonFinite += 1
      } else if sample > limit {
        buffer[index] = limit
        outOfRange += 1
      } else if sample < -limit {
        buffer[index] = -limit
        outOfRange += 1
      }
    }
    self.nonFinite += nonFinite
    self.outOfRange += outOfRange
  }
}
