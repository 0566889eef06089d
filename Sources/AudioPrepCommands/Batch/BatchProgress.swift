import DSP
import Glibc

/// The batch's counters, its progress line on standard error, and its final summary line.
///
/// Not thread-safe: the runner calls it with its lock held.
final class BatchProgress {
  enum Style {
    /// Nothing until the summary.
    case silent
    /// One line redrawn in place (`\r`, erase to end of line): for a terminal.
    case redrawn
    /// A new line at most every half second, when files finished since the last: `--progress`
    /// when standard error is not a terminal.
    case appended
  }

  struct Counts {
    var ok = 0
    var skipped = 0
    /// Of `skipped`: inputs outside `--min-duration`/`--max-duration` (not up to date: never processed).
    var skippedByLength = 0
    var failed = 0
    /// Of `failed`: inputs that failed before with the same error, input bytes and options
    /// (what `--allow-failed` accepts).
    var failedAsBefore = 0
    /// Seconds of input audio in files processed (not skipped) so far.
    var processedAudioSeconds = 0.0
    /// Seconds those files took to process (each its own wall time, workers overlapping).
    var processedWallSeconds = 0.0
    /// Bytes of the inputs done (processed, skipped or failed): the ETA's measure of work.
    var doneBytes: Int64 = 0
    /// Inputs with each kind of warning.
    var truncated = 0, clipped = 0, repaired = 0, dropped = 0
    /// The inputs clipped, repaired or with dropped chunks, which no line of their own names
    /// (a truncated input has its warning line): the summary names them.
    var clippedInputs: [String] = [], repairedInputs: [String] = [], droppedInputs: [String] = []
    var done: Int { ok + skipped + failed }
  }

  let style: Style
  let total: Int
  let totalBytes: Int64
  private(set) var counts = Counts()
  /// The inputs being processed, in the order they were taken: relative path, bytes, start.
  private var flights: [(path: String, bytes: Int64, start: Double)] = []
  /// The relative paths of the inputs being processed, in the order they were taken.
  var inFlight: [String] { flights.map(\.path) }
  /// Files processed at once (-j): how many share the work left.
  let workers: Int
  private let start = monotonicSeconds()
  private var shownDone = -1
  /// When the last appended line was written (monotonic seconds).
  private var appendedAt = -Double.infinity
  /// The least time between two appended lines: half a second, as documented.
  static let appendInterval = 0.5
  private var lineShown = false

  private var eta: BatchETA

  /// `inputs`: every input's relative path and bytes, for the ETA (`BatchETA`).
  init(style: Style, total: Int, totalBytes: Int64, workers: Int = 1, inputs: [(path: String, bytes: Int64)] = []) {
    self.style = style
    self.workers = max(1, workers)
    eta = BatchETA(inputs: inputs)
    self.total = total
    self.totalBytes = totalBytes
  }

  var elapsedSeconds: Double { monotonicSeconds() - start }

  /// An input was taken: the line names it while it is in flight.
  func started(_ relativePath: String, bytes: Int64 = 0) {
    flights.append((relativePath, bytes, monotonicSeconds()))
  }

  func record(_ record: ManifestRecord, bytes: Int64, failedAsBefore: Bool = false) {
    let processed = record.status == .ok ? record.durationSeconds.map { (audio: $0, wall: record.wallSeconds) } : nil
    eta.finished(path: record.relativePath, bytes: bytes, processed: processed)
    if let index = flights.firstIndex(where: { PathKey.same($0.path, record.relativePath) }) { flights.remove(at: index) }
    counts.doneBytes += bytes
    let warnings = record.warnings
    if warnings.truncated { counts.truncated += 1 }
    if warnings.clipped {
      counts.clipped += 1
      counts.clippedInputs.append(record.input)
    }
    if warnings.repaired {
      counts.repaired += 1
      counts.repairedInputs.append(record.input)
    }
    if warnings.dropped {
      counts.dropped += 1
      counts.droppedInputs.append(record.input)
    }
    switch record.status {
    case .ok:
      counts.ok += 1
      counts.processedAudioSeconds += record.durationSeconds ?? 0
      counts.processedWallSeconds += record.wallSeconds
    case .skipped:
      counts.skipped += 1
      if record.skipReason != nil { counts.skippedByLength += 1 }
    case .failed:
      counts.failed += 1
      if failedAsBefore { counts.failedAsBefore += 1 }
    }
  }

  /// Prints an error line, keeping the progress line below it.
  func error(_ line: String) {
    clear()
    printError(line)
  }

  /// Redraws the progress line (or appends one when a file finished since the last).
  func draw() {
    guard let text = output(now: monotonicSeconds(), columns: TerminalText.columns(STDERR_FILENO)) else { return }
    writeStandardError(text)
    if style == .redrawn { lineShown = true }
  }

  /// What `draw` writes at `now`, or nil: on a terminal the line redrawn in place, fitted to
  /// `columns` (`progressText(columns:)`: a longer line wraps, and each redraw would leave a line
  /// behind); otherwise a new line when files finished since the last one and `appendInterval`
  /// has passed.
  func output(now: Double, columns: Int) -> String? {
    switch style {
    case .silent: return nil
    case .redrawn:
      return "\r" + progressText(columns: columns) + "\u{1B}[K"
    case .appended:
      guard counts.done != shownDone, now - appendedAt >= Self.appendInterval else { return nil }
      shownDone = counts.done
      appendedAt = now
      return progressText + "\n"
    }
  }

  /// "audioprep: batch: 12/45 files, 0.030 h audio, 85x real time, ETA 0:07, 1 failed; now
  /// spk1/a.flac (+3)": the input in flight longest, and how many others are.
  var progressText: String {
    let (counts, name, others) = progressParts(.full)
    return counts + (name.map { "; now \($0)\(others)" } ?? "")
  }

  /// `progressText` in at most `columns` less one (the cursor's cell) terminal columns. When the
  /// name in flight would get fewer than 24 columns, the counts are shortened ("batch: 12/45
  /// files, ETA 0:07, 1 failed": the hours and the speed are in the summary), and again when
  /// that still leaves it fewer ("12/45, ETA 0:07, 1 failed"), so that the ETA and the file in
  /// flight stay; a name still too long is cut in its middle ("spk1/sess…/utt_0001.flac"),
  /// keeping its start and its end (the file's own name); a terminal too narrow for 12 columns
  /// of it gets the shortest counts cut at their end.
  func progressText(columns: Int) -> String {
    let room = max(2, columns - 1)
    let (full, name, others) = progressParts(.full)
    guard let name else {
      let counts = [full, progressParts(.compact).counts].first { TerminalText.width($0) <= room } ?? progressParts(.minimal).counts
      return TerminalText.cut(counts, to: columns)
    }
    if TerminalText.width(full + "; now " + name + others) <= room { return full + "; now " + name + others }
    // The most counts that leave the name 24 columns, else the fewest.
    let counts = [full, progressParts(.compact).counts].first { room - TerminalText.width($0 + "; now " + others) >= 24 }
      ?? progressParts(.minimal).counts
    let left = room - TerminalText.width(counts + "; now " + others)
    guard left >= 12 else { return TerminalText.cut(counts, to: columns) }
    return counts + "; now " + TerminalText.cutInTheMiddle(name, to: left) + others
  }

  /// How much of the counts the line holds: all; without the program's name, the hours and the
  /// speed; without "batch:" and "files" too.
  enum Detail { case full, compact, minimal }

  /// The line's pieces: the counts and ETA (as `detail` says), the name in flight longest
  /// (escaped), " (+N)".
  private func progressParts(_ detail: Detail) -> (counts: String, name: String?, others: String) {
    let elapsed = elapsedSeconds
    // The finished files' audio over the time their processing took, shared by the workers:
    // over the time elapsed it fell while a long file was in flight (its audio not yet counted).
    let busy = counts.processedWallSeconds / Double(workers)
    let speed = busy > 0 ? counts.processedAudioSeconds / busy : 0
    var text: String
    switch detail {
    case .full:
      text = "audioprep: batch: \(counts.done)/\(total) files, "
        + "\(Text.fixed(counts.processedAudioSeconds / 3600, 3)) h audio, \(Text.fixed(speed, 0))x real time"
    case .compact: text = "batch: \(counts.done)/\(total) files"
    case .minimal: text = "\(counts.done)/\(total)"
    }
    // By audio, not files: one long recording among short ones is most of the work.
    if let eta = etaSeconds(elapsed: elapsed) { text += ", ETA " + Self.clock(eta) }
    if counts.failed > 0 { text += ", \(counts.failed) failed" }
    let flying = inFlight
    return (text, flying.first.map(TerminalText.escapingControls), flying.count > 1 ? " (+\(flying.count - 1))" : "")
  }

  /// Seconds left (`BatchETA`), or nil before anything is done; before any input was
  /// processed (only skipped or failed ones), the elapsed time over the bytes done.
  func etaSeconds(elapsed: Double) -> Double? {
    guard counts.doneBytes > 0 && counts.done < total else { return nil }
    let now = monotonicSeconds()
    return eta.seconds(inFlight: flights.map { ($0.path, $0.bytes, now - $0.start) }, workers: workers)
      ?? elapsed / Double(counts.doneBytes) * Double(max(0, totalBytes - counts.doneBytes))
  }

  /// Erases the redrawn line, if any.
  func clear() {
    if lineShown { writeStandardError("\r\u{1B}[K") }
    lineShown = false
  }

  /// "audioprep: batch: 45 inputs: 40 ok, 2 skipped, 3 failed; 0.050 h audio in 1.234 s wall, 150x real time; manifest out/manifest.jsonl".
  func summary(
    manifest: String, shard: Shard?, corpusInputs: Int, stopSignal: Int32, allowFailed: Bool = false, unread: [UnreadEntry] = []
  ) -> String {
    let elapsed = elapsedSeconds
    let speed = elapsed > 0 ? counts.processedAudioSeconds / elapsed : 0
    let scope = shard.map { "shard \($0) (\(total) of \(Text.count(corpusInputs, "input")))" } ?? Text.count(total, "input")
    let byLength = counts.skippedByLength > 0 ? " (\(counts.skippedByLength) by their length)" : ""
    var text = "audioprep: batch: \(scope): \(counts.ok) ok, \(counts.skipped) skipped\(byLength), \(counts.failed) failed; "
    text += "\(Text.fixed(counts.processedAudioSeconds / 3600, 3)) h audio in \(Text.fixed(elapsed, 3)) s wall, "
    text += "\(Text.fixed(speed, 0))x real time"
    let warned = [
      (counts.truncated, "truncated", []), (counts.clipped, "clipped", counts.clippedInputs), (counts.repaired, "repaired", counts.repairedInputs),
      (counts.dropped, "dropped chunks", counts.droppedInputs),
    ].filter { $0.0 > 0 }
    if !warned.isEmpty { text += "; warnings: " + warned.map { "\($0.0) \($0.1)\(Self.named($0.2))" }.joined(separator: ", ") }
    if allowFailed && counts.failed > 0 {
      text += counts.failedAsBefore == counts.failed
        ? "; the \(counts.failed) failed as before (same error, input and options): accepted (--allow-failed)"
        : "; \(counts.failed - counts.failedAsBefore) failed for the first time or differently (--allow-failed accepts only repeats)"
    }
    if !unread.isEmpty { text += "; \(unread.count) named as audio skipped unread (\(UnreadEntry.counts(unread)))" }
    text += "; manifest \(manifest)"
    if stopSignal != 0 {
      text += "; \(stopSignal == SIGTERM ? "terminated (SIGTERM)" : stopSignal == SIGHUP ? "hung up (SIGHUP)" : "interrupted (SIGINT)"), \(total - counts.done) not done"
    }
    return text
  }

  /// " (a.wav, b.wav)": the inputs a warning count stands for, the first three and how many
  /// more (the manifest's records name them all); empty for none.
  static func named(_ inputs: [String]) -> String {
    guard !inputs.isEmpty else { return "" }
    let shown = inputs.prefix(3).map(TerminalText.escapingControls).joined(separator: ", ")
    return " (\(shown)\(inputs.count > 3 ? " and \(inputs.count - 3) more: see the manifest" : ""))"
  }

  /// "m:ss" or "h:mm:ss".
  static func clock(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "?" }
    let whole = Int(seconds.rounded())
    let (hours, minutes, secs) = (whole / 3600, whole / 60 % 60, whole % 60)
    let two = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
    return hours > 0 ? "\(hours):\(two(minutes)):\(two(secs))" : "\(minutes):\(two(secs))"
  }
}

/// Writes `text` to standard error as is (no newline added).
private func writeStandardError(_ text: String) {
  StandardError.write(Array(text.utf8))
}
