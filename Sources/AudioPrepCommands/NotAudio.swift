import DSP

/// Which of several files `info` was given (a glob: `info corpus/*`) are not recordings, so it
/// skips and counts them as it does in a directory: transcripts and notes by their extension
/// (never opened), and a file with no audio extension that no decoder recognises.
enum NotAudio {
  /// Skipped without opening: a transcript, label or listing by its extension.
  static func byExtension(_ path: String) -> Bool {
    InputCollector.textExtensions.contains(PathName.fileExtension(path).lowercased())
  }

  /// Skipped after a failed open: no audio extension, and the input is not audio (65), not
  /// unreadable (66, an error for any file).
  static func afterFailure(_ path: String, code: Int32) -> Bool {
    code == ExitStatus.dataError && !audioFileExtensions.contains(PathName.fileExtension(path).lowercased())
  }

  /// "audioprep: info: none of the 2 files is audio (a.txt, b.lab)": every file was skipped.
  static func noneIsAudio(_ skipped: [String]) -> String {
    let names = skipped.prefix(3).joined(separator: ", ") + (skipped.count > 3 ? ", …" : "")
    return "audioprep: info: none of the \(Text.count(skipped.count, "file")) is audio (\(names)); nothing to describe"
  }

  /// "audioprep: info: 2 of 5 files skipped: not audio (a.txt, b.lab, …)".
  static func summary(_ skipped: [String], of total: Int) -> String {
    let names = skipped.prefix(3).joined(separator: ", ") + (skipped.count > 3 ? ", …" : "")
    return "audioprep: info: \(skipped.count) of \(Text.count(total, "file")) skipped: not audio (\(names))"
  }
}
