/// What `info DIR…` adds up.
struct CorpusTotals {
  var files = 0
  var seconds = 0.0
  /// Files whose header does not give their length (counted in `files`, not in `seconds`).
  var unknownLength = 0
  var byRate: [Int: Int] = [:]
  var byChannels: [Int: Int] = [:]
  var byFormat: [String: Int] = [:]
  var undecodable: [String] = []
  /// Files that cannot be opened (no permission, gone meanwhile): not undecodable, unread.
  var unreadable: [String] = []
  /// Directories that cannot be read: the recordings in them are in no count.
  var unreadableDirectories: [String] = []
  /// Symlinks to directories, not followed: the recordings in them are in no count either.
  var symlinkedDirectories: [String] = []
  /// Files that hold less than their header says (from its size, or decoded whole with
  /// `--levels`), or are damaged.
  var truncated: [String] = []
  /// Files in the directories that are not recordings (transcripts, notes).
  var skippedFiles = 0
  /// Of those, the entries named as audio that are no file to read (counted by reason).
  var unread: [UnreadEntry] = []

  mutating func add(_ header: HeaderDescription) {
    files += 1
    if let seconds = header.seconds { self.seconds += seconds } else { unknownLength += 1 }
    byRate[header.sampleRate, default: 0] += 1
    byChannels[header.channels, default: 0] += 1
    byFormat[header.container, default: 0] += 1
    if header.truncation != nil { truncated.append(header.path) }
  }

  var text: String {
    let rates = byRate.keys.sorted().map { "\($0) Hz: \(byRate[$0]!)" }.joined(separator: ", ")
    let channels = byChannels.keys.sorted().map { "\($0) ch: \(byChannels[$0]!)" }.joined(separator: ", ")
    let formats = byFormat.keys.sorted(by: cOrder).map { "\($0): \(byFormat[$0]!)" }.joined(separator: ", ")
    var parts = ["total: \(Text.count(files, "file")), \(Text.fixed(seconds / 3600, 3)) h (\(Text.fixed(seconds, 3)) s)"]
    if unknownLength > 0 { parts.append("\(unknownLength) of unknown length") }
    parts += [rates, channels, formats].filter { !$0.isEmpty }
    parts.append(
      "\(undecodable.count) undecodable" + (undecodable.isEmpty ? "" : " (\(undecodable.map(TerminalText.escapingControls).joined(separator: ", ")))"))
    let listed = { (paths: [String]) in paths.map(TerminalText.escapingControls).joined(separator: ", ") }
    if !unreadable.isEmpty { parts.append("\(Text.count(unreadable.count, "unreadable file")) (\(listed(unreadable)))") }
    if !unreadableDirectories.isEmpty {
      let count = unreadableDirectories.count
      parts.append("\(count) unreadable director\(count == 1 ? "y" : "ies"), its files not counted (\(listed(unreadableDirectories)))")
    }
    if !symlinkedDirectories.isEmpty {
      let count = symlinkedDirectories.count
      parts.append(
        "\(count) symlinked director\(count == 1 ? "y" : "ies") not followed, \(count == 1 ? "its" : "their") files not counted (\(listed(symlinkedDirectories)))")
    }
    if !truncated.isEmpty {
      parts.append("\(truncated.count) truncated or damaged (\(listed(truncated)))")
    }
    // The breakdown adds up to the count: the files that are not audio, then the entries named
    // as audio that are no file to read.
    let notAudio = skippedFiles - unread.count
    let breakdown = (notAudio > 0 ? ["\(notAudio) not audio"] : []) + (unread.isEmpty ? [] : [UnreadEntry.counts(unread)])
    parts.append("\(Text.count(skippedFiles, "other file")) skipped" + (unread.isEmpty ? "" : " (\(breakdown.joined(separator: ", ")))"))
    return parts.joined(separator: "; ")
  }

  var json: String {
    let object = { (pairs: [(String, Int)]) in
      "{" + pairs.map { "\(JSONText.quoted($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }
    // A sum of many files' seconds, its float noise rounded off at the nanosecond (review33r C1:
    // 26.639999999999997).
    let seconds = (seconds * 1e9).rounded() / 1e9
    return "{\"totals\":{\"files\":\(files),\"seconds\":\(JSONText.number(seconds)),"
      + "\"hours\":\(JSONText.number(seconds / 3600)),\"unknown_length\":\(unknownLength),"
      + "\"by_rate\":\(object(byRate.keys.sorted().map { (String($0), byRate[$0]!) })),"
      + "\"by_channels\":\(object(byChannels.keys.sorted().map { (String($0), byChannels[$0]!) })),"
      + "\"by_format\":\(object(byFormat.keys.sorted(by: cOrder).map { ($0, byFormat[$0]!) })),"
      + "\"undecodable\":[\(undecodable.map { JSONText.quoted($0, bytes: .surrogateEscapes) }.joined(separator: ","))],"
      + "\"unreadable\":[\(unreadable.map { JSONText.quoted($0, bytes: .surrogateEscapes) }.joined(separator: ","))],"
      + "\"unreadable_directories\":[\(unreadableDirectories.map { JSONText.quoted($0, bytes: .surrogateEscapes) }.joined(separator: ","))],"
      + "\"symlinked_directories\":[\(symlinkedDirectories.map { JSONText.quoted($0, bytes: .surrogateEscapes) }.joined(separator: ","))],"
      + (truncated.isEmpty ? "" : "\"truncated\":[\(truncated.map { JSONText.quoted($0, bytes: .surrogateEscapes) }.joined(separator: ","))],")
      + "\"skipped_files\":\(skippedFiles)}}"
  }
}
