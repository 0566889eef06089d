/// A recording's transcript: the text file `STEM.txt` beside the input (`corpus/spk1/a.flac` →
/// `corpus/spk1/a.txt`), as LibriSpeech-style corpora and most hand-made ones keep them.
enum SidecarTranscript {
  /// The path a transcript of `input` would have.
  static func path(forInput input: String) -> String {
    PathName.directoryPrefix(input) + PathName.stem(input) + ".txt"
  }

  /// The transcript of `input` on one line (runs of whitespace, newlines included, become one
  /// space; leading and trailing ones are dropped), or "" when there is none.
  static func text(forInput input: String) -> String {
    let path = path(forInput: input)
    guard PathName.isRegularFile(path), let bytes = try? readWholeFile(path) else { return "" }
    return oneLine(String(decoding: bytes, as: UTF8.self))
  }

  static func oneLine(_ text: String) -> String {
    text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
  }
}
