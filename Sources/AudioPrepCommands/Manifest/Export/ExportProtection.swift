import DSP
import Glibc

/// What an export (and `manifest merge -o`) may never write, `--force` or not (73): a file of
/// the batch, a manifest, or the transcript of an input.
///
/// - Every record of the manifests given, and of the other shards' manifests beside a shard's
///   (`manifest.K-of-N.jsonl`), names files of the batch: its input, the input's transcript
///   `STEM.txt` and its output (a segments list when segmented, and the segment files the list
///   names), whatever its status (a failed input is still the user's). They are protected as inputs (`ProtectedFiles`), however spelled.
/// - A file whose first line is a batch manifest record is a manifest, given or not.
/// - A transcript path of a recorded input is never created: the next export would take the
///   export for that input's text.
struct ExportProtection {
  /// The transcript paths of the recorded inputs, as their directory's identity and name.
  private var transcripts: Set<DirectoryEntry> = []
  /// The files protected, to say what they are when `-o` names one.
  private var files: Set<ProtectedFiles.Identity> = []

  private struct DirectoryEntry: Hashable {
    let directory: ProtectedFiles.Identity
    let name: String
  }

  /// Protects the files `manifests`' records name (and the other shards' manifests and records),
  /// with relative paths taken from `batchDirectory`.
  init(manifests: [(path: String, contents: ManifestFile.Contents)], batchDirectory: String) {
    var records = manifests.flatMap(\.contents.records)
    let given = Set(manifests.map(\.path))
    protect(manifests.map(\.path))
    for path in Self.otherShardManifests(of: manifests.map(\.path)) where !given.contains(path) {
      protect([path])
      if let contents = try? ManifestFile.read(path) { records += contents.records }
    }
    let resolve = { (path: String) in PathName.resolved(path, in: batchDirectory) }
    var directories: [PathKey: ProtectedFiles.Identity?] = [:]  // a corpus has few directories
    for record in records {
      let input = resolve(record.input)
      let transcript = SidecarTranscript.path(forInput: input)
      let output = record.output.map(resolve)
      protect([input, transcript] + (output.map { [$0] } ?? []))
      // A segmented output is its segments list: the segment files it names are outputs too.
      if let output, (try? BatchParams(record))?.isSegmented == true, let sidecar = try? SegmentSidecar(readingFrom: output) {
        protect(sidecar.segments.map(\.path))
      }
      let directory = PathName.directoryPrefix(transcript)
      if directories[PathKey(directory)] == nil { directories[PathKey(directory)] = Self.identity(ofDirectory: directory) }
      if let identity = directories[PathKey(directory)]! {
        transcripts.insert(DirectoryEntry(directory: identity, name: PathName.lastComponent(transcript)))
      }
    }
  }

  /// Protects the files at `paths` (those that exist) as inputs.
  mutating func protect(_ paths: [String]) {
    for path in paths {
      ProtectedFiles.protectInput(path)
      if let status = path == "-" ? nil : Descriptor.status(path), status.isRegular { files.insert(status.identity) }
    }
  }

  /// The manifests of the other shards of a batch a manifest named `manifest.K-of-N.jsonl`
  /// belongs to, those that exist beside it.
  private static func otherShardManifests(of paths: [String]) -> [String] {
    var found: Set<String> = []
    for path in paths {
      guard let shard = Shard(manifestPath: path) else { continue }
      let directory = PathName.directoryPrefix(path)
      for index in 0..<shard.count where index != shard.index {
        let sibling = directory + Shard(argument: "\(index)/\(shard.count)")!.manifestName
        if Descriptor.status(sibling)?.isRegular == true { found.insert(sibling) }
      }
    }
    return found.sorted()
  }

  /// `path`'s directory (by identity, so every spelling of it is one) and its last name.
  private static func entry(_ path: String) -> DirectoryEntry? {
    identity(ofDirectory: PathName.directoryPrefix(path)).map { DirectoryEntry(directory: $0, name: PathName.lastComponent(path)) }
  }

  /// The identity of the directory `directory` ("" is the current one), nil when it is none.
  private static func identity(ofDirectory directory: String) -> ProtectedFiles.Identity? {
    guard let status = Descriptor.status(directory.isEmpty ? "." : directory), status.isDirectory else { return nil }
    return status.identity
  }

  /// 73 for an export file at `path` that would replace a file of the batch or a manifest, or
  /// be a recorded input's transcript. A merged manifest may replace a manifest that is none
  /// of those protected (`manifestsMayBeReplaced`: an earlier merge's).
  func refuse(writing path: String, manifestsMayBeReplaced: Bool = false) throws {
    guard path != "-" else { return }
    if let status = Descriptor.status(path), files.contains(status.identity) {
      throw CommandFailure(
        path, "is a file of the batch (a manifest, or an input, transcript or output a record names); refusing to write over it",
        code: ExitStatus.cannotCreate)
    }
    if let entry = Self.entry(path), transcripts.contains(entry) {
      throw CommandFailure(
        path, "is the transcript path of a batch input (STEM.txt beside it is its text); refusing to create it",
        code: ExitStatus.cannotCreate)
    }
    guard ManifestFile.startsWithARecord(path) == true else { return }
    // A merge replaces only an earlier merge's output: records of two shards or more, under a
    // name that is no shard's (review33n H2: a shard's or an unsharded batch's own manifest was
    // replaced with --force).
    let shards = manifestsMayBeReplaced && Shard(manifestPath: path) == nil ? Set(((try? ManifestFile.read(path))?.records ?? []).map(\.shard)) : []
    if shards.count < 2 || shards.contains(nil) {
      throw CommandFailure(path, "is a batch manifest; refusing to write over it, --force or not (a merge replaces only an earlier merge's)", code: ExitStatus.cannotCreate)
    }
  }
}
