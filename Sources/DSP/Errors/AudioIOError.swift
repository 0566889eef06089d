/// A failure to read or write audio, with the path it concerns and what went wrong.
///
/// `kind` tells the command line which exit code to use; `message` is one line, without the path.
public struct AudioIOError: Error, Equatable, CustomStringConvertible {
  /// What class of failure this is.
  public enum Kind: Sendable, Equatable {
    /// The input does not exist, is a directory, or may not be read.
    case cannotOpenInput
    /// The input opened but is not audio libsndfile or FFmpeg decodes, or is damaged.
    case invalidInput
    /// The output cannot be created (exists, no such directory, permission).
    case cannotCreateOutput
    /// A file under the output's name that the run may not replace holds other bytes than it
    /// wrote (`OutputFile.identicalStands`: a batch's name another run took).
    case outputTaken
    /// The output's container and encoding cannot hold the stream (FLAC f32, Opus at 44.1 kHz):
    /// the caller's choice, found before any output is opened.
    case unsupportedOutput
    /// Reading or writing failed part-way (disk full, device error).
    case ioFailure
    /// The reader of our standard output went away.
    case brokenPipe
  }

  public let kind: Kind
  /// The file concerned; "-" for standard input or output.
  public let path: String
  public let message: String

  public init(_ kind: Kind, path: String, _ message: String) {
    self.kind = kind
    self.path = path
    self.message = message
  }

  public var description: String { "\(path): \(message)" }
}
