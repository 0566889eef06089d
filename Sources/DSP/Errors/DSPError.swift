/// Errors raised by the DSP graph itself (not by file I/O, which raises `AudioIOError`), by whose
/// fault they are: the command line maps each case to one exit code (`ExitStatus`).
public enum DSPError: Error, Equatable, CustomStringConvertible {
  /// A parameter that cannot work with the stream (a cut-off at or above Nyquist, a channel the
  /// input lacks, an overlap longer than the segment): the caller's choice. Exit 64.
  case invalidParameter(String)
  /// The input cannot go through the chain as it is (a header rate beyond the resamplers'
  /// 1/256…256, a golden file of another format): the input's fault. Exit 65.
  case unsupportedInput(String)
  /// A library or an internal check failed at run time (libsamplerate, libsoxr, a polyphase
  /// table that cannot be measured): nobody's input. Exit 70.
  case libraryFailure(String)

  public var description: String {
    switch self {
    case .invalidParameter(let message), .unsupportedInput(let message), .libraryFailure(let message): message
    }
  }
}
