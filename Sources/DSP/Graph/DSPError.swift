/// Errors raised by the DSP graph itself (not by file I/O).
public enum DSPError: Error, Equatable, CustomStringConvertible {
  /// A node's parameter does not fit the stream (cut-off above Nyquist, missing channel, …).
  case invalidParameter(String)

  public var description: String {
    switch self {
    case .invalidParameter(let message): return message
    }
  }
}
