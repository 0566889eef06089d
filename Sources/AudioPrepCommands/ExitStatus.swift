import ArgumentParser
import DSP

/// The exit codes audioprep uses (BSD sysexits), and how errors map onto them.
enum ExitStatus {
  static let ok: Int32 = 0
  static let usage: Int32 = 64
  static let dataError: Int32 = 65
  static let noInput: Int32 = 66
  static let cannotCreate: Int32 = 73
  static let internalError: Int32 = 70
  static let ioError: Int32 = 74
  static let interrupted: Int32 = 130
  static let terminated: Int32 = 143

  static let helpText = """
    EXIT STATUS
      0    success
      1    --golden: the output is outside the tolerance (or its length differs)
      64   usage error: a bad option or value, an option the input cannot satisfy
           (--channel 5 on mono, --audio-stream 1 on one stream), an output its
           container cannot hold (FLAC f32)
      65   input (or --golden file) is not audio audioprep can decode, is damaged,
           or the --golden file's rate or channels differ from the output's
      66   input cannot be opened (missing, a directory, no permission)
      70   internal error (a library failed at run time)
      73   output cannot be created (exists without --force, no such directory,
           is a directory, is the input)
      74   I/O error while reading or writing (disk full, device error)
      130  interrupted (SIGINT); 143 terminated (SIGTERM); 129 hung up (SIGHUP,
           unless ignored as under nohup); no partial output is left
    """

  static func code(for error: DSPError) -> Int32 {
    switch error {
    case .invalidParameter: usage
    case .unsupportedInput: dataError
    case .libraryFailure: internalError
    }
  }

  static func code(for kind: AudioIOError.Kind) -> Int32 {
    switch kind {
    case .cannotOpenInput: noInput
    case .invalidInput: dataError
    case .cannotCreateOutput, .outputTaken: cannotCreate
    case .unsupportedOutput: usage
    case .ioFailure: ioError
    case .brokenPipe: ok
    }
  }
}

/// A failure the command reports as one line, `audioprep: PATH: message`, then exits with `code`.
package struct CommandFailure: Error {
  package let path: String
  package let message: String
  package let code: Int32
  /// `message` is the whole line (a usage error as `AudioPrep.errorLine` words it).
  private let messageIsLine: Bool

  /// A process or a system out of descriptors (`Too many open files`) is 74 whatever `code`
  /// says: the environment's limit, never the input's fault (66, 65) nor the output's (73).
  init(_ path: String, _ message: String, code: Int32, wholeLine: Bool = false) {
    self.path = path
    self.message = message
    self.code = OpenFileLimit.isExhaustion(message) ? ExitStatus.ioError : code
    messageIsLine = wholeLine
  }

  /// The line the command prints: `audioprep: PATH: message`.
  package var line: String { messageIsLine ? message : "audioprep: \(path): \(message)" }

  /// Classifies any error thrown while running the pipeline.
  init(_ error: Error, inputPath: String) {
    switch error {
    case let failure as CommandFailure:
      self = failure  // already worded (a segment's hash that cannot be read back)
    case let io as AudioIOError:
      self.init(io.path, io.message, code: ExitStatus.code(for: io.kind))
    case let dsp as DSPError:
      self.init(inputPath, dsp.description, code: ExitStatus.code(for: dsp))
    default:
      self.init(inputPath, "\(error)", code: ExitStatus.ioError)
    }
  }
}
