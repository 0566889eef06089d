import DSP

/// A Kaldi table (`wav.scp`: "ID PATH" or "ID COMMAND |" a line) given where audio or a list of
/// paths is expected: what it is and the way to its files, its command entries named (audioprep
/// runs no command; `cut -d' ' -f2-` alone would hand it "sox … |" as a path).
enum KaldiTable {
  /// The way to the files `lines` (the table's lines) list: a pipe into `batch --from-list -`.
  static func wayToFiles(table: String, lines: [String]) -> String {
    let commands = lines.filter { $0.last { $0 != " " && $0 != "\t" } == "|" }.count
    let list = "audioprep batch --from-list - --out-dir OUT"
    if commands == 0 { return "cut -d' ' -f2- \(table) | \(list)" }
    let entries = commands == 1 ? "1 command entry ('ID sox … |') needs its file" : "\(commands) command entries ('ID sox … |') need their files"
    if commands == lines.count { return "audioprep runs no command: its \(entries) first, then \(list)" }
    return "grep -v '|$' \(table) | cut -d' ' -f2- | \(list) (audioprep runs no command: its \(entries) first)"
  }

  /// The refusal (64) of a table named as audio (process, info, batch): a regular `*.scp` file
  /// whose first line is "ID PATH" or "ID COMMAND |"; nil otherwise.
  static func inputRefusal(_ path: String) -> CommandFailure? {
    guard path != "-", PathName.fileExtension(path).lowercased() == "scp", Descriptor.status(path)?.isRegular == true,
      let bytes = try? TextFile.read(path, limit: 1 << 20)
    else { return nil }
    let lines = bytes.split(separator: UInt8(ascii: "\n")).map { PathBytes.string(fromBytes: $0.last == UInt8(ascii: "\r") ? $0.dropLast() : $0[...]) }
      .filter { !$0.isEmpty }
    guard let first = lines.first, first.contains(where: { $0 == " " || $0 == "\t" }) else { return nil }
    return CommandFailure(
      path, "is a Kaldi table (ID PATH a line), not audio; for the files it lists: \(wayToFiles(table: path, lines: lines))", code: ExitStatus.usage)
  }
}
