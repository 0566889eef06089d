/// Output rate over input rate, reduced to p/q: p output frames for every q input frames. The
/// one place two rates are checked against libsamplerate's limit (SRC_MAX_RATIO: within
/// 1/256…256 of each other) and reduced; the resampling node (`Resampler`), its engines, the
/// polyphase tables and the output length rule (`OutputLength`) all take it.
public struct ResamplingRatio: Hashable, Sendable {
  public let inputRate: Int
  public let outputRate: Int
  /// Output frames per period.
  public let p: Int
  /// Input frames per period (coprime with p).
  public let q: Int

  /// The ratio of two rates libsamplerate converts between, or nil: a rate of 0 or below, or
  /// rates beyond 1/256…256 of each other.
  public init?(inputRate: Int, outputRate: Int) {
    guard inputRate > 0, outputRate > 0 else { return nil }
    let value = Double(outputRate) / Double(inputRate)
    guard value >= 1.0 / 256, value <= 256 else { return nil }
    self.init(reducing: inputRate, outputRate)
  }

  /// The ratio of `inputRate` to `outputRate`, or `DSPError.unsupportedInput` naming both: an
  /// input rate beyond the limit is the input's fault, whoever stated it.
  public init(checking inputRate: Int, to outputRate: Int) throws {
    guard let ratio = ResamplingRatio(inputRate: inputRate, outputRate: outputRate) else {
      throw DSPError.unsupportedInput(
        "\(inputRate) Hz cannot be resampled to \(outputRate) Hz (ratio beyond 1/256…256)")
    }
    self = ratio
  }

  /// The reduced ratio of any two positive rates, unchecked: for a length estimated before any
  /// check (a header's rate may be beyond the limit; the run refuses it later).
  init(reducing inputRate: Int, _ outputRate: Int) {
    let divisor = gcd(inputRate, outputRate)
    (self.inputRate, self.outputRate) = (inputRate, outputRate)
    (p, q) = (outputRate / divisor, inputRate / divisor)
  }

  /// The same rate in and out: nothing to resample.
  public static let identity = ResamplingRatio(reducing: 1, 1)

  /// outputRate / inputRate, as libsamplerate and libsoxr take it.
  public var value: Double { Double(outputRate) / Double(inputRate) }

  /// Whether the rates are equal.
  public var isIdentity: Bool { inputRate == outputRate }
}

func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

func roundUp(_ value: Int, to multiple: Int) -> Int { (value + multiple - 1) / multiple * multiple }
