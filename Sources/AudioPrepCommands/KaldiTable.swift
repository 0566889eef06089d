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
    // `scp:wav.scp` (Kaldi's rspecifier, as its tools take a table): the table's way, or for
    // an archive (`ark:`) that audioprep reads none.
    if let colon = path.firstIndex(of: ":"), Descriptor.status(path) == nil,
      let kind = path[..<colon].split(separator: ",").first, kind == "scp" || kind == "ark"
    {
      let table = String(path[path.index(after: colon)...])
      guard kind == "scp" else {
        return CommandFailure(path, "is a Kaldi archive rspecifier; audioprep reads audio files, not Kaldi archives", code: ExitStatus.usage)
      }
      let way = tableLines(table).map { wayToFiles(table: table, lines: $0) } ?? "cut -d' ' -f2- \(table) | audioprep batch --from-list - --out-dir OUT"
      return CommandFailure(path, "is a Kaldi rspecifier; audioprep reads files, not tables: for the files \(table) lists: \(way)", code: ExitStatus.usage)
    }
    guard PathName.fileExtension(path).lowercased() == "scp", let lines = tableLines(path) else { return nil }
    return CommandFailure(
      path, "is a Kaldi table (ID PATH a line), not audio; for the files it lists: \(wayToFiles(table: path, lines: lines))", code: ExitStatus.usage)
  }

  /// The lines of a regular file whose first line is "ID PATH" or "ID COMMAND |", or nil.
  private static func tableLines(_ path: String) -> [String]? {
    guard path != "-", Descriptor.status(path)?.isRegular == true, let bytes = try? TextFile.read(path, limit: 1 << 20) else { return nil }
    let lines = bytes.split(separator: UInt8(ascii: "\n")).map { PathBytes.string(fromBytes: $0.last == UInt8(ascii: "\r") ? $0.dropLast() : $0[...]) }
      .filter { !$0.isEmpty }
    guard let first = lines.first, first.contains(where: { $0 == " " || $0 == "\t" }) else { return nil }
    return lines
  }
}
