import DSP
import Glibc

/// A manifest on disk: JSON lines appended by concurrent writers, read back whole.
///
/// Each record goes out as one `write(2)` of the whole line on a descriptor opened with
/// `O_APPEND`, so lines from several threads (or processes) never interleave and a crash never
/// leaves half a line followed by another record. Every writer holds a shared `flock` on it
/// while it runs; the end-of-run compaction (`replace`) happens only when the lock can be made
/// exclusive, so a run never compacts away what another run sharing the manifest appends. A
/// manifest hard-linked elsewhere (a `cp -al` snapshot) is copied first, never edited in place.
package final class ManifestFile: @unchecked Sendable {
  let path: String
  private let output: OutputFile
  /// A regular file named as one: what is appended to it can be read back (`recordingAlone`).
  private var readsBack = false
  /// Where `recordingAlone` reads on from (the end as the file was opened, at first).
  private var unread: Int64 = 0
  /// `recordingAlone`'s, between this process's threads (the file's lock is between processes).
  private let recording = MonitorLock()

  /// Opens (creating if needed) `path` for appending, by the rules of `OutputFile`: a symlink
  /// there is refused without `replaceLink`, an input is never appended to; 73 when refused.
  package init(appendingTo path: String, replaceLink: Bool) throws {
    self.path = path
    do {
      if path == "-" {
        output = try OutputFile.standardOutput()
      } else if OutputFile.descriptorNumber(named: path) != nil {
        output = try OutputFile(path: path, overwrite: false)  // >(gzip > m.gz): written in place
      } else {
        let directory = try OutputDirectory.open(PathName.directoryPrefix(path))
        let name = PathName.lastComponent(path)
        // Refused before anything changes it (unsharing a hard link makes a new file).
        try ProtectedFiles.refuseProtected(outputPath: path)
        try Self.refuseALink(name, in: directory, path: path, replaceLink: replaceLink)
        try Self.refuseWhatIsNotAManifest(name, in: directory, path: path)
        try OutputFile.unshareLog(name: name, in: directory, path: path)
        output = try OutputFile(appendingTo: name, in: directory, path: path, overwrite: replaceLink)
      }
    } catch let error as AudioIOError {
      throw CommandFailure(error, inputPath: path)
    }
    // `OutputFile` holds a shared lock on a manifest file (a compaction takes it exclusively).
    guard let status = Descriptor.status(of: output.descriptor), status.isRegular else { return }
    readsBack = path != "-" && OutputFile.descriptorNumber(named: path) == nil
    // A line torn by a crash or a full disk stays a line of its own: appends start on a new one.
    if status.size > 0, let last = try? Descriptor.read(output.descriptor, count: 1, at: status.size - 1), last.count == 1,
      last != [UInt8(ascii: "\n")]
    {
      try append(bytes: [UInt8(ascii: "\n")])
    }
    unread = Descriptor.status(of: output.descriptor)?.size ?? 0
  }

  /// Refuses (73) a symlink at `name` without `replaceLink`, as `OutputFile` does, naming the
  /// file it points to, which can be named instead, and what batch's `--force` does besides
  /// replacing the link (review61 W1: "use --force to replace the link itself" alone steered
  /// users into reprocessing the whole corpus).
  private static func refuseALink(_ name: String, in directory: OutputDirectory, path: String, replaceLink: Bool) throws {
    guard !replaceLink, Descriptor.status(name, in: directory.descriptor, following: false)?.kind == .symlink,
      let target = try? Descriptor.linkTarget(path)
    else { return }
    // As a path from here (review64 W3: a relative target is relative to the link's directory),
    // and a chain's last (its next link would be refused in turn).
    var named = target.hasPrefix("/") ? target : PathName.directoryPrefix(path) + target
    if Descriptor.status(named, following: false)?.kind == .symlink, let last = try? Descriptor.resolvedPath(named) { named = last }
    let advice =
      Descriptor.status(named)?.isDirectory == true
      ? "a directory, never written through: name a file in it as --manifest"
      : "\(named), never written through: name that file as --manifest"
    throw AudioIOError(
      .cannotCreateOutput, path: path,
      "is a symlink to \(advice), or use --force to replace the link itself (batch's --force also reprocesses every input)")
  }

  /// Refuses (73) a regular file at `name` that is not a manifest: a run compacts its manifest,
  /// and must never rewrite a file that is something else (a list of inputs, notes, a JSON
  /// file) because `--manifest` named it. An absent or empty file is taken, and so is one each
  /// of whose lines is a record, or the start of one that a crash tore
  /// (`ManifestRecord.isTornStart`), which compaction drops: any other line would be lost with
  /// it (review34a A14: a notes line after a record was deleted).
  private static func refuseWhatIsNotAManifest(_ name: String, in directory: OutputDirectory, path: String) throws {
    // (Read whatever its size says: a /proc file's is 0, review60 W4.)
    guard let status = Descriptor.status(name, in: directory.descriptor, following: false), status.isRegular else { return }
    // Read as the manifest's reader reads it (a byte order mark, empty lines and records of any
    // length up to `LineReader.longestLine` taken; review34b B7, B8: a first record over 64 KiB,
    // a BOM or an empty first line made a batch refuse its own manifest).
    if let line = firstLineNotARecord(name, in: directory.descriptor) {
      throw AudioIOError(
        .cannotCreateOutput, path: path, "is not an audioprep manifest (line \(line) is not a record); refusing to rewrite it")
    }
  }

  /// The number of the first line of the regular file `name` in `directory` that is neither a
  /// record nor the torn start of one; nil when every line is one, or it cannot be read.
  private static func firstLineNotARecord(_ name: String, in directory: Int32) -> Int? {
    let descriptor = Descriptor.open(name, in: directory, flags: O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { try? Descriptor.close(descriptor) }
    guard Descriptor.status(of: descriptor)?.isRegular == true else { return nil }
    var lines = LineReader(descriptor: descriptor, path: name)
    while let line = try? lines.next() {
      if line.bytes.isEmpty && !line.tooLong { continue }
      if ManifestRecord(line: line) == nil, line.tooLong || !ManifestRecord.isTornStart(line.bytes) { return line.number }
    }
    return nil
  }

  /// Whether the regular file `name` in `directory` (a symlink there is not followed) starts
  /// with a manifest record, or the start of one that a crash tore (`ManifestRecord.isTornStart`);
  /// nil when it cannot be opened.
  package static func startsWithARecord(_ name: String, in directory: Int32 = AT_FDCWD) -> Bool? {
    let descriptor = Descriptor.open(name, in: directory, flags: O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { try? Descriptor.close(descriptor) }
    guard Descriptor.status(of: descriptor)?.isRegular == true else { return false }
    var head = [UInt8](repeating: 0, count: 1 << 16)
    let count = head.withUnsafeMutableBytes { (try? Descriptor.read(descriptor, into: $0, at: 0)) ?? -1 }
    let line = head[0..<max(0, count)].prefix { $0 != UInt8(ascii: "\n") }
    if let json = try? JSONLine(parsing: String(decoding: line, as: UTF8.self)), ManifestRecord(json) != nil { return true }
    return !line.isEmpty && line.count < head.count && ManifestRecord.isTornStart(Array(line))
  }

  /// Runs `body` as the manifest's only recorder (this process's threads and other processes
  /// alike: an open-file-description lock on the file, which neither the writers' shared
  /// `flock` nor compaction's exclusive one touches), after giving `appended` each record
  /// appended to it since the last call (since it was opened, the first time), by any writer.
  /// What a run decides from the records and the record it appends for that are then one step
  /// (review47 H03: two runs each read no record of a path, both wrote, both recorded). A
  /// manifest not read back (standard output, a pipe) gives none and locks nothing. 74 when the
  /// lock cannot be had.
  package func recordingAlone<T>(reading appended: (ManifestRecord) -> Void, _ body: () throws -> T) throws -> T {
    guard readsBack else { return try body() }
    return try recording.withLock {
      do {
        try Descriptor.lockRecords(output.descriptor)
      } catch {
        throw CommandFailure(path, "cannot lock the manifest: \(error)", code: ExitStatus.ioError)
      }
      defer { Descriptor.unlockRecords(output.descriptor) }
      var lines = LineReader(descriptor: output.descriptor, path: path, from: unread)
      while let line = try lines.next(), line.complete {
        unread = lines.offset
        if let record = ManifestRecord(line: line) { appended(record) }
      }
      return try body()
    }
  }

  /// Appends `record` as one line with a single `write(2)`; 74 if the line could not be written whole.
  package func append(_ record: ManifestRecord) throws {
    try append(bytes: Array((record.json.encoded + "\n").utf8))
  }

  /// Makes the file system give the manifest room past its end for `record`, with what its
  /// input's settle adds to it (the output's hash, the time taken), before the input's outputs
  /// move into place: a manifest that has no room, its file system full or its quota spent,
  /// thus fails the input (74) with nothing moved, where the record appended after the moves
  /// failed once the new outputs had replaced the earlier ones its earlier record described
  /// (review60 H1). A manifest that cannot reserve (a device, a pipe, a file system without
  /// `fallocate`) goes on to the append as before.
  func reserveRoom(for record: ManifestRecord) throws {
    // The record as the settle completes it: its output's hash, and a time as wide as a day's
    // (review64 H2: a margin of 256 bytes refused a run whose manifest fitted under `ulimit -f`).
    var completed = record
    completed.outputHash = "fnv1a64:" + String(repeating: "0", count: 16)
    completed.wallSeconds = 86_399.999_999
    do {
      try output.reserveRoomToAppend(completed.json.encoded.utf8.count + 1 + Self.roomAddedAtSettle)
    } catch let error as AudioIOError {
      // Said as what it is (review63 W1: "write failed", where nothing was written).
      throw CommandFailure(
        path,
        "cannot take the next record: \(error.message); the batch stopped before the outputs of the inputs in flight moved (their earlier outputs and records stay): rerun it once there is room",
        code: ExitStatus.ioError)
    }
  }

  /// Gives back what `reserveRoom` made and the append did not use (review63 H5).
  func releaseRoom() { output.releaseRoomPastTheEnd() }

  /// A longer time than a day's, in bytes.
  private static let roomAddedAtSettle = 8

  /// Appends `bytes` whole, or not at all: a short write (a full disk) is cut back off, so no
  /// torn line is left for the next record to be glued to.
  private func append(bytes: [UInt8]) throws {
    let status = Descriptor.status(of: output.descriptor)
    let regular = status?.isRegular == true
    do {
      try bytes.withUnsafeBytes { try output.write($0) }
    } catch let error as AudioIOError {
      if regular, let size = status?.size { try? Descriptor.truncate(output.descriptor, to: size) }
      throw CommandFailure(path, "cannot append to the manifest: \(error.message)", code: ExitStatus.ioError)
    }
  }

  /// Rewrites the manifest at once (`OutputFile.replaceLog`) as one line per input, the latest,
  /// sorted by relative path, keeping the records `keeps` accepts — if this run is its only
  /// writer now (otherwise the journal stays for a later run). It is read again under the
  /// exclusive lock, so records other runs appended meanwhile are in it. What is held meanwhile
  /// is where each input's latest line lies, not the records: the lines are copied from the
  /// file as they were written (#16 N22: 300,000 records took 1.3 GB).
  func compact(keeping keeps: (ManifestRecord) -> Bool) throws {
    // Only a file named as one is rewritten: standard output, a descriptor (`/dev/stdout`,
    // whatever it is open on), a pipe or a device (`/dev/null`) is appended to and never read back (review34a A7, A12: /dev/stdout was 66 after every
    // output was written, /dev/zero was read without end).
    guard path != "-", OutputFile.descriptorNumber(named: path) == nil, Descriptor.status(of: output.descriptor)?.isRegular == true,
      (try? Descriptor.lock(output.descriptor, .exclusive, wait: false)) != nil
    else { return }
    var latest: [PathKey: (offset: Int64, length: Int, kept: Bool)] = [:]
    var lines = LineReader(descriptor: output.descriptor, path: path, fromStart: true)
    while let line = try lines.next() {
      guard let record = ManifestRecord(line: line) else { continue }
      latest[PathKey(record.relativePath)] = (line.offset, line.bytes.count, keeps(record))
    }
    let kept = latest.filter(\.value.kept).sorted { $0.key < $1.key }.map(\.value)
    latest = [:]
    do {
      try output.replaceLog { replacement in
        var pending: [UInt8] = []
        pending.reserveCapacity(1 << 20)
        for place in kept {
          var bytes = try read(count: place.length, at: place.offset)
          guard bytes.count == place.length else { throw AudioIOError(.ioFailure, path: path, "the manifest changed while it was rewritten") }
          bytes.append(UInt8(ascii: "\n"))
          pending += bytes
          if pending.count >= 1 << 20 {
            try pending.withUnsafeBytes { try replacement.write($0) }
            pending.removeAll(keepingCapacity: true)
          }
        }
        try pending.withUnsafeBytes { try replacement.write($0) }
      }
    } catch let error as AudioIOError {
      throw CommandFailure(path, "cannot rewrite the manifest: \(error.message)", code: ExitStatus.ioError)
    }
  }

  /// The latest record of each of `relativePaths` in the manifest at `path`, and how many of its
  /// lines are not records: what a batch resumes from, read as `read(_:missingIsEmpty:)` reads.
  /// Records of other inputs (other shards', removed inputs') are not kept, and the options
  /// (`params`), the same in most records, are held once (#16 N22: 300,000 records took 1.3 GB).
  ///
  /// `owners`: the latest record with an output of each other input whose output name
  /// (`outputName`) is one of `outputNames`: an input of this run differing from it only in
  /// its extension would replace that output (review40 G10); or whose output name is a
  /// segment's of one of them (`x_0000` of `x`), or one of them a segment's of it: a segmenting
  /// run's segments and a whole output would replace each other (review43 H05).
  package static func latestRecords(
    _ path: String, of relativePaths: Set<PathKey>, outputNames: Set<PathKey> = []
  ) throws -> (records: [PathKey: ManifestRecord], badLines: Int, owners: [PathKey: ManifestRecord]) {
    guard let descriptor = try open(path, missingIsEmpty: true, streams: false) else { return ([:], 0, [:]) }
    defer { try? Descriptor.close(descriptor) }
    var records: [PathKey: ManifestRecord] = [:]
    var owners: [PathKey: ManifestRecord] = [:]
    var badLines = 0
    let parents = Set(outputNames.compactMap { BatchPlan.segmentParent(ofOutputName: $0.path).map(PathKey.init) })
    func isNeighbour(_ name: PathKey) -> Bool {
      outputNames.contains(name) || parents.contains(name)
        || BatchPlan.segmentParent(ofOutputName: name.path).map { outputNames.contains(PathKey($0)) } == true
    }
    try forEachLine(descriptor, path: path) { record, _ in
      guard let record else { return badLines += 1 }
      let key = PathKey(record.relativePath)
      if relativePaths.contains(key) {
        records[key] = record
      } else if !outputNames.isEmpty, case let name = PathKey(BatchPlan.outputName(record.relativePath)), isNeighbour(name) {
        owners[name] = record.status != .failed && record.output != nil ? record : nil
      }
    }
    return (records, badLines, owners)
  }

  /// The manifests a batch keeps by default in `directory` (`manifest.jsonl`, each shard's
  /// `manifest.K-of-N.jsonl`) other than `path`: where runs into the same DIR under another
  /// manifest recorded what they wrote.
  package static func othersKeptIn(_ directory: String, besides path: String) -> [String] {
    guard let opened = try? OutputDirectory.open(directory) else { return [] }
    var found: [String] = []
    try? DirectoryListing.forEach(in: opened.descriptor) { entry in
      guard entry.name == "manifest.jsonl" || Shard(manifestPath: entry.name) != nil else { return }
      let other = PathName.join(directory, entry.name)
      let same = Descriptor.status(other).flatMap { one in Descriptor.status(path).map { $0.identity == one.identity } }
      if same != true, Descriptor.status(other)?.isRegular == true { found.append(other) }
    }
    return found.sorted()
  }

  /// Each line of the manifest open at `descriptor` that is not empty, with its number: its
  /// record, or nil when it holds none. The options (`params`), the same in most records, are
  /// held once across the records (#16 N22, review32m W3: 300,000 records took 1.1–1.3 GB).
  private static func forEachLine(_ descriptor: Int32, path: String, _ body: (ManifestRecord?, Int) throws -> Void) throws {
    var params: Set<String> = []
    var lines = LineReader(descriptor: descriptor, path: path)
    while let line = try lines.next() {
      if line.bytes.isEmpty && !line.tooLong { continue }
      var record = ManifestRecord(line: line)
      if let params = record.map({ params.insert($0.params).memberAfterInsert }) { record!.params = params }
      try body(record, line.number)
    }
  }

  /// The open manifest at `path` to read, or nil when it holds nothing to read: standard output
  /// (`-`) unless `streams`, anything but a regular file unless `streams` (then a directory is
  /// 66), a missing file when `missingIsEmpty`.
  private static func open(_ path: String, missingIsEmpty: Bool, streams: Bool) throws -> Int32? {
    // Standard output, or a descriptor named as a path (`/dev/stdout`), keeps nothing to resume
    // from: it is written, not read (`>> notes.txt` behind it is no manifest).
    if (path == "-" || OutputFile.descriptorNumber(named: path) != nil) && !streams { return nil }
    if let status = Descriptor.status(path), !status.isRegular {
      guard streams else { return nil }
      if status.isDirectory { throw CommandFailure(path, "is a directory, not a manifest", code: ExitStatus.noInput) }
    }
    let descriptor = path == "-" ? (try? Descriptor.duplicate(STDIN_FILENO, lowest: 0)) ?? -1 : Descriptor.open(path, flags: O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      if errno == ENOENT && missingIsEmpty { return nil }
      throw CommandFailure(path, String(cString: strerror(errno)), code: ExitStatus.noInput)
    }
    return descriptor
  }

  /// `count` bytes of the manifest at `offset`, as `compact` copies a line.
  private func read(count: Int, at offset: Int64) throws -> [UInt8] {
    do {
      return try Descriptor.read(output.descriptor, count: count, at: offset)
    } catch {
      throw AudioIOError(.ioFailure, path: path, "read failed: \(String(cString: strerror(error.rawValue)))")
    }
  }

  /// What a manifest holds: its records in order, and the numbers (1-based) of lines that are not records.
  package struct Contents {
    package var records: [ManifestRecord]
    package var badLines: [Int]
    /// The line number (1-based) of each record, when read from a file.
    package var recordLines: [Int] = []

    /// The lines that are not records, as one line ("line 3 is not a manifest record"), or nil.
    package var badLinesProblem: String? {
      guard let first = badLines.first else { return nil }
      guard badLines.count > 1 else { return "line \(first) is not a manifest record" }
      let shown = badLines.prefix(5).map(String.init).joined(separator: ", ") + (badLines.count > 5 ? ", …" : "")
      return "\(badLines.count) lines are not manifest records (lines \(shown))"
    }

    package init(records: [ManifestRecord] = [], badLines: [Int] = []) {
      self.records = records
      self.badLines = badLines
    }

    /// The line of the `index`th record (its position when not read from a file).
    package func line(ofRecord index: Int) -> Int { recordLines.indices.contains(index) ? recordLines[index] : index + 1 }

    /// The index in `records` of the last record of each relative path: a rerun's line
    /// replaces the earlier ones. Indices, not copies (review32m W3: copies of every record in
    /// each map took a merge of 300,000 records to 1.1 GB).
    var latestIndexByRelativePath: [PathKey: Int] {
      var latest: [PathKey: Int] = [:]
      for (index, record) in records.enumerated() { latest[PathKey(record.relativePath)] = index }
      return latest
    }
  }

  /// Reads every line of `path`; a missing file is an empty manifest when `missingIsEmpty`, and
  /// so is anything but a regular file (`--manifest /dev/null` keeps no record and no cache) —
  /// unless `streams`: then a pipe, a FIFO or a device is read to its end, `-` is standard
  /// input, and a directory is 66 saying so (a manifest given to read, as `manifest export`'s).
  package static func read(_ path: String, missingIsEmpty: Bool = false, streams: Bool = false) throws -> Contents {
    guard let descriptor = try open(path, missingIsEmpty: missingIsEmpty, streams: streams) else { return Contents() }
    defer { try? Descriptor.close(descriptor) }
    var contents = Contents()
    try forEachLine(descriptor, path: path) { record, number in
      if let record {
        contents.records.append(record)
        contents.recordLines.append(number)
      } else {
        contents.badLines.append(number)
      }
    }
    // A file given to read that holds no record at all is no manifest (a WAV, a transcript):
    // one line, not one per line.
    if streams, contents.records.isEmpty, !contents.badLines.isEmpty {
      let count = contents.badLines.count
      throw CommandFailure(
        path, "is not a manifest: \(count == 1 ? "its one line is not" : "none of its \(count) lines is") a manifest record",
        code: ExitStatus.dataError)
    }
    return contents
  }
}

extension ManifestRecord {
  /// The record a manifest's line holds, or nil (not JSON, not a record, cut for its length).
  init?(line: LineReader.Line) {
    guard !line.tooLong, let json = try? JSONLine(parsing: String(decoding: line.bytes, as: UTF8.self)) else { return nil }
    self.init(json)
  }
}
