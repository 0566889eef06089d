import DSP

/// What `process` refuses or warns about its output before or after a run, as text (the
/// command prints it): the decisions without the printing, so tests call them in process.
package enum OutputChecks {
  /// The refusal of `-o NAME --format F` whose extension names another audio format (`-o m.wav
  /// --format flac` wrote FLAC into m.wav; `-o x.m4a --format wav` a WAV named .m4a, which
  /// audioprep does not write but players and decoders take for MP4), or nil. A name with no
  /// audio format's extension takes any --format; Opus in .ogg/.oga is Ogg.
  package static func formatContradiction(output: String?, format: Container?) -> String? {
    guard let output, let format, output != "-" else { return nil }
    let fileExtension = PathName.fileExtension(output)
    let stem = String(output.dropLast(fileExtension.count + 1))
    guard let named = Container(fileExtension: fileExtension) else {
      guard audioFileExtensions.contains(fileExtension.lowercased()) else { return nil }
      return "-o \(output) says .\(fileExtension), another audio format (which audioprep does not write), but --format is \(format.rawValue); name it \(stem).\(format.fileExtension)"
    }
    guard named != format, !(format == .opus && named == .ogg) else { return nil }
    return "-o \(output) says .\(fileExtension) but --format is \(format.rawValue); name it \(stem).\(format.fileExtension), or drop --format"
  }

  /// The refusal of binary audio on standard output when that is a terminal (gzip refuses the
  /// same), unless --force; nil otherwise. `writesStandardOutput`: the run writes to `-`.
  package static func terminalRefusal(writesStandardOutput: Bool, force: Bool, standardOutputIsTerminal: Bool) -> String? {
    guard writesStandardOutput, standardOutputIsTerminal, !force else { return nil }
    return "standard output is a terminal; audioprep does not write audio to it: redirect it (> out.raw, | program), give -o FILE, or add --force"
  }

  /// The warning for `--start` at or past the end of the input (the output holds nothing),
  /// naming the input; nil otherwise.
  package static func rangePastTheEnd(input: String, range: TimeRange?, inputSeconds: Double) -> String? {
    guard let range, range.startSeconds > 0, range.startSeconds >= inputSeconds else { return nil }
    return "audioprep: \(input): --start \(Text.computedSeconds(range.startSeconds))s is at or past the end of the input (\(Text.fixed(inputSeconds, 3)) s); the output is empty"
  }
}
