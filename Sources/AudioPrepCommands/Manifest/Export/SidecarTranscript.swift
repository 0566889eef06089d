import DSP

/// A recording's transcript: the text file `STEM.txt` beside the input (`corpus/spk1/a.flac` →
/// `corpus/spk1/a.txt`), as LibriSpeech-style corpora and most hand-made ones keep them.
enum SidecarTranscript {
  /// The longest transcript read: a longer file is not a transcript (65), and is not read whole.
  static let largestBytes = 4 << 20

  /// The path a transcript of `input` would have.
  static func path(forInput input: String) -> String {
    PathName.directoryPrefix(input) + PathName.stem(input) + ".txt"
  }

  /// The transcript of `input` on one line, or "" when there is none. Its bytes are kept as
  /// they are (`PathBytes`: the export writes them as its format does names); runs of
  /// whitespace and control characters (line breaks, NUL) become one space, and leading and
  /// trailing ones are dropped. 65 when it is longer than `largestBytes`.
  static func text(forInput input: String) throws -> String {
    let path = path(forInput: input)
    guard PathName.isRegularFile(path) else { return "" }
    let bytes = try readWholeFile(path, limit: largestBytes)
    guard bytes.count <= largestBytes else {
      throw CommandFailure(
        path, "is over \(largestBytes >> 20) MiB: too long for a transcript of \(PathName.lastComponent(input))",
        code: ExitStatus.dataError)
    }
    return oneLine(PathBytes.string(fromBytes: bytes))
  }

  static func oneLine(_ text: String) -> String {
    text.split(whereSeparator: { $0.isWhitespace || $0.unicodeScalars.contains { $0.properties.generalCategory == .control } })
      .joined(separator: " ")
  }
}
