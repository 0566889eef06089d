import DSP
import Glibc

/// The sidecar `segments.jsonl`: one JSON line per finished segment (its file relative to the
/// sidecar, its hash, where it lies in the source), written like every output (`OutputFile`: a
/// temporary, moved into place by `commit` once every segment has landed, and held with them
/// until the run settles), so a sidecar under its final name always lists a complete run.
///
/// The file is opened when the first segment lands (or at `commit`, for a stream too short for
/// any), so that a run refused before any audio is written creates nothing.
final class SegmentList {
  let path: String
  /// The names of the segments it lists (`-o`'s pattern, or batch's `STEM_%04d.EXT`).
  let pattern: SegmentPattern
  private let sampleRate: Int
  private let open: () throws -> OutputFile
  /// Waits for, then holds, the set's locks (`OutputSetLock`): its list's (none for a list that
  /// is no file), and its segment names'.
  private let lock: () throws -> [OutputSetLock]
  private var output: OutputFile?
  /// Segments cut at the length limit for want of a pause.
  private(set) var hardCuts = 0
  /// What an earlier list named and this run did not write again (`committing`).
  private(set) var earlier: EarlierSegments?
  /// How many segments this run wrote: indices 0 up to it.
  private(set) var written = 0
  /// The bytes of the segments it lists (`--stats-json`'s `bytes_out`).
  private(set) var segmentBytes: Int64 = 0

  init(path: String, pattern: SegmentPattern, sampleRate: Int, open: @escaping () throws -> OutputFile, lock: @escaping () throws -> [OutputSetLock]) {
    self.path = path
    self.pattern = pattern
    self.sampleRate = sampleRate
    self.open = open
    self.lock = lock
  }

  /// Appends one line. `file` is the segment's path relative to the sidecar's directory;
  /// `start_seconds`/`end_seconds` are where it lies in the source (padding excluded), `frames`
  /// what the file holds.
  func append(_ segment: SegmentingSink.Segment, source: String) throws {
    let rate = Double(sampleRate)
    let file = PathName.relative(segment.path, from: PathName.directoryPrefix(path))
    // Its bytes' hash, so that a batch rerun notices a segment deleted or altered since.
    let bytesPath = segment.committedBytesPath ?? segment.path
    let hash: ContentHash
    do {
      hash = try ContentHash.ofFile(at: bytesPath, regularOnly: true)
    } catch let failure as CommandFailure {
      // The segment this run just wrote, gone from where it waits: its directory was moved,
      // replaced or removed meanwhile. Said of the segment, an output (73), not as an input
      // that cannot be opened, naming the hidden file it waited in (review63 H3: 66).
      throw CommandFailure(
        segment.path, "cannot be read back where it waits to move into place (\(failure.message)): was its directory moved or removed while the run wrote it?",
        code: ExitStatus.cannotCreate)
    }
    segmentBytes += Descriptor.status(bytesPath, following: false)?.size ?? 0
    let line =
      "{\"index\":\(segment.index),\"file\":\(JSONText.quoted(file)),\"hash\":\(JSONText.quoted(hash.description)),"
      + "\"source\":\(JSONText.quoted(source)),"
      + "\"start_seconds\":\(Double(segment.startFrame) / rate),"
      + "\"end_seconds\":\(Double(segment.startFrame + segment.sourceFrames) / rate),"
      + "\"start_frame\":\(segment.startFrame),\"frames\":\(segment.frames)"
      + (segment.speech.map { ",\"speech\":\($0)" } ?? "") + (segment.hardCut ? ",\"hard_cut\":true" : "") + "}\n"
    if segment.hardCut { hardCuts += 1 }
    written = max(written, segment.index + 1)
    try Array(line.utf8).withUnsafeBytes { try opened().write($0) }
  }

  /// Moves the list into place, held until `outputs` settle (taken back with the segments).
  func commit(into outputs: CommittedOutputs) throws {
    let output = try opened()
    try output.commit()
    outputs.append(output)
  }

  /// Removes the temporary (a run that failed).
  func discard() { output?.discard() }

  /// Runs `run`, then moves `list` (if any) into place with the run's outputs; if either fails,
  /// the list's temporary goes and the run's outputs are taken back.
  ///
  /// The set is the run's from before its first segment until it has settled or been taken back
  /// (`OutputSetLock`): another run writing the same set waits, then finds this one's files
  /// (replaced with `--force`, refused without), never half of each.
  ///
  /// A run that replaces an earlier one (`--force`) writes its segments over that run's names;
  /// those of that run's segments it does not write again (fewer segments) go once it has
  /// settled, each only if it is one of this run's names and still as that run listed it
  /// (`EarlierSegments`): a segment edited since, a file the list never named, and one it names
  /// that this run's pattern does not make (or an input), stay.
  static func committing(_ list: SegmentList?, after run: () throws -> RunResult) throws -> RunResult {
    let held = try list.map { try $0.lock() } ?? []
    let previous = list.flatMap { try? SegmentSidecar(readingFrom: $0.path, segmentsBeside: false) }?.segments ?? []
    let result: RunResult
    do {
      result = try run()
    } catch {
      list?.discard()
      held.forEach { $0.release() }
      throw error
    }
    if !held.isEmpty { result.output.outputs.onEnding { held.forEach { $0.release() } } }
    do {
      try list?.commit(into: result.output.outputs)
    } catch {
      list?.discard()
      result.output.outputs.retract()
      throw error
    }
    if let list, !previous.isEmpty, let now = try? SegmentSidecar(readingFrom: list.output?.committedBytesPath ?? list.path, segmentsBeside: false) {
      let earlier = EarlierSegments(listed: previous, writtenAgain: Set(now.segments.map { PathKey($0.path) }), pattern: list.pattern)
      list.earlier = earlier
      result.output.outputs.removeAtSettling { earlier.unchanged() }
    }
    return result
  }

  /// The line that names the files of the pattern's names, in its directory, that this run did
  /// not write (indices from `written` on), or nil when there are none: an earlier run's
  /// segments under another list (another input's stem, another --segments-list), which are
  /// not this run's to remove, and which a glob of the pattern would take for this run's
  /// (review42 H12). Asked once the run has settled.
  func notWrittenWarning() -> String? {
    guard let folder = pattern.directory, let opened = try? OutputDirectory.open(folder) else { return nil }
    var names: [String] = []
    try? DirectoryListing.forEach(in: opened.descriptor) { entry in
      if let index = pattern.index(ofName: entry.name), index >= written { names.append(entry.name) }
    }
    guard !names.isEmpty else { return nil }
    names.sort { PathBytes.bytes(of: $0).lexicographicallyPrecedes(PathBytes.bytes(of: $1)) }
    let shown = names.prefix(3).joined(separator: ", ") + (names.count > 3 ? " and \(names.count - 3) more" : "")
    return "audioprep: \(pattern.spelled): \(Text.count(names.count, "file")) with this pattern's names not written by this run (\(shown)); left in place"
  }

  private func opened() throws -> OutputFile {
    if let output { return output }
    let opened = try open()
    opened.holdsUntilSettled = true
    output = opened
    return opened
  }
}
