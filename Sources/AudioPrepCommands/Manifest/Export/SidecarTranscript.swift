import DSP
import Glibc

/// A recording's transcript: the text file `STEM.txt` beside the input (`corpus/spk1/a.flac` →
/// `corpus/spk1/a.txt`), as LibriSpeech-style corpora and most hand-made ones keep them.
enum SidecarTranscript {
  /// The largest transcript read: 1 MiB, some hours of speech. Its size is checked before it is
  /// read, so that a stray large file beside an input cannot take the export's memory (a 300 MB
  /// one took 895 MB).
  static let sizeLimit: Int64 = 1 << 20

  /// The path a transcript of `input` would have.
  static func path(forInput input: String) -> String {
    PathName.directoryPrefix(input) + PathName.stem(input) + ".txt"
  }

  /// The transcript of `input` on one line (runs of whitespace, newlines included, become one
  /// space; leading and trailing ones are dropped), or "" when there is none. Its bytes are kept
  /// as they are (`PathBytes`: the export writes them as its format writes names). A transcript
  /// larger than `sizeLimit`, or holding a control character other than whitespace (a NUL: a
  /// UTF-16 file, or not text at all, which Kaldi's `text` and CSV would carry raw), is refused
  /// (65) naming it; one that cannot be read is 66. A name that is there but no regular file
  /// (`nonFileProblem`) is refused (65) unopened: it was read as "" without a word (review31m W5).
  static func text(forInput input: String) throws -> String {
    let named = path(forInput: input)
    guard Descriptor.status(named, following: false) != nil else { return "" }
    guard let status = Descriptor.status(named), status.isRegular else {
      throw CommandFailure(named, nonFileProblem(named), code: ExitStatus.dataError)
    }
    let path = try readablePath(named, input: input)
    guard status.size <= sizeLimit else {
      throw CommandFailure(path, "a transcript of \(status.size) bytes, beyond the \(sizeLimit >> 20) MiB one recording's may take", code: ExitStatus.dataError)
    }
    let bytes = try readRegularFile(path)
    guard bytes.count <= sizeLimit else {
      throw CommandFailure(path, "a transcript of more than \(sizeLimit >> 20) MiB: it grew while it was read", code: ExitStatus.dataError)
    }
    if let at = bytes.firstIndex(where: { ($0 < 0x20 && !(0x09...0x0D).contains($0)) || $0 == 0x7F }) {
      throw CommandFailure(
        path, "holds a control character (byte \(bytes[at]) at offset \(at)): not a text transcript", code: ExitStatus.dataError)
    }
    // The C1 controls (U+0080–U+009F, UTF-8 C2 80 to C2 9F: U+009B is a terminal's CSI), which
    // Kaldi's validate_text.pl refuses too (review31m W1). A Latin-1 byte of 0x80–0x9F alone is
    // kept, as Latin-1 text is.
    if let at = bytes.indices.dropLast().first(where: { bytes[$0] == 0xC2 && (0x80...0x9F).contains(bytes[$0 + 1]) }) {
      throw CommandFailure(
        path, "holds a control character (U+00\(String(bytes[at + 1], radix: 16, uppercase: true)) at offset \(at)): not a text transcript",
        code: ExitStatus.dataError)
    }
    return oneLine(PathBytes.string(fromBytes: bytes))
  }

  /// What the transcript name `path`, there but no regular file, is: "is a FIFO, not a text
  /// file (never opened: reading it could block)", a directory, a device (/dev/zero never
  /// ends), a socket, or a symbolic link to nothing.
  static func nonFileProblem(_ path: String) -> String {
    let what: String
    switch Descriptor.status(path)?.kind {
    case nil: return "is a symbolic link to nothing, not a text file: no transcript read from it"
    case .fifo?: what = "a FIFO"
    case .directory?: what = "a directory"
    case .characterDevice?, .blockDevice?: what = "a device"
    case .socket?: what = "a socket"
    default: what = "a special file"
    }
    return "is \(what), not a text file (never opened: a FIFO would block, a device may never end): no transcript read from it"
  }

  /// The bytes of the regular file at `path`, `sizeLimit + 1` at most; opened without blocking
  /// and checked once open (65 if it is no longer a regular file: replaced by a FIFO since it
  /// was looked at), 66 when it cannot be read.
  private static func readRegularFile(_ path: String) throws -> [UInt8] {
    let descriptor = Descriptor.open(path, flags: O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard descriptor >= 0 else { throw CommandFailure(path, String(cString: strerror(errno)), code: ExitStatus.noInput) }
    defer { try? Descriptor.close(descriptor) }
    guard Descriptor.status(of: descriptor)?.isRegular == true else {
      throw CommandFailure(path, nonFileProblem(path), code: ExitStatus.dataError)
    }
    return try TextFile.read(descriptor, path: path, limit: Int(sizeLimit))
  }

  /// The file to read for the transcript named `path`: itself, or, when it is a symlink, its
  /// target if that lies beside the recording (in the directory of `input` as named, or of the
  /// file `input` itself resolves to: a symlink farm). A link anywhere else is refused (65): a
  /// downloaded corpus's `a.txt -> ~/.ssh/id_rsa` would put that file into `text` and the
  /// exports made to be shared.
  static func readablePath(_ path: String, input: String) throws -> String {
    guard Descriptor.status(path, following: false)?.kind == .symlink else { return path }
    guard let target = PathName.real(path) else { return path }
    let besideRecording = [PathName.directoryPrefix(path), PathName.real(input).map(PathName.directoryPrefix) ?? ""]
      .compactMap { PathName.real($0) }
    guard besideRecording.contains(PathName.real(PathName.directoryPrefix(target)) ?? "") else {
      throw CommandFailure(
        path, "is a symbolic link to \(target), not beside its recording: a transcript is read only from beside it",
        code: ExitStatus.dataError)
    }
    return target
  }

  /// `text` on one line, every byte order mark at its start dropped (`TextFile` drops the first;
  /// a file saved twice by a Windows editor has two: hostile review 30m, C4).
  static func oneLine(_ text: String) -> String {
    text.drop { $0 == "\u{FEFF}" || $0.isWhitespace }.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
  }
}
