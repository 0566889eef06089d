import DSP

/// What a batch input's own earlier record (the latest record of its relative path in the
/// manifest the batch appends to) says it wrote: the only files under its output names the
/// batch replaces without --force.
///
/// Whatever else sits under one of those names is someone else's, and no other manifest needs
/// to be found to know it: another corpus's output (recorded in a manifest anywhere, or in
/// none), a file of the user's, or one another batch running at once has just written
/// (review45 H02, review44 H02). The record itself may be another input's: two corpora with one
/// relative path (`c1/spk1/a.wav`, `c2/spk1/a.wav`, review45 H10).
struct OwnRecord {
  let record: ManifestRecord

  /// The earlier record of `input`'s relative path when it is this input's: the same path, or
  /// the same bytes (a corpus moved or respelled). Nil otherwise: another input's, which an
  /// input path that is not there now does not make this one's (a relative path recorded from
  /// another working directory names nothing here: review47 H01, a corpus batched from another
  /// directory replaced the first's outputs and records). A corpus moved and changed is
  /// refused: --force replaces.
  init?(_ record: ManifestRecord, input: String, inputHash: String) {
    guard PathKey.same(record.input, input) || record.inputHash == inputHash else { return nil }
    self.record = record
  }

  /// The names, in the output's directory, of the files the record says the input wrote: its
  /// whole output, or its segments list and the segments the list names that are this input's
  /// `pattern`'s (read from `list`, where the list is now). Whatever they hold now: an output
  /// deleted, altered or replaced by a link since is the batch's to write again, as documented
  /// (review46 H05 asked for an edited one to be refused: declined, a damaged output is what a
  /// rerun repairs). None for a failed record.
  func writtenNames(list: String, pattern: SegmentPattern?) -> Set<String> {
    guard record.status != .failed, let output = trustedOutput else { return [] }
    let name = PathName.lastComponent(output)
    guard let pattern, PathKey.same(name, PathName.lastComponent(list)) else { return [name] }
    let listed = (try? SegmentSidecar(readingFrom: list))?.segments ?? []
    return Set([name] + listed.map { PathName.lastComponent($0.path) }.filter { pattern.index(ofName: $0) != nil })
  }

  /// Where the output the record names is now: its name in `directory` (however DIR was spelled then).
  func outputPath(in directory: String) -> String? {
    trustedOutput.map { directory + PathName.lastComponent($0) }
  }

  /// The record's `output`, when batch could have written it (`RecordPaths.trustedOutput`).
  private var trustedOutput: String? { RecordPaths.trustedOutput(of: record) }

  /// Whether the output the record names still holds the bytes it recorded, at `path` (where
  /// that output is now, however DIR was spelled then).
  func outputStays(at path: String) -> Bool {
    guard record.status != .failed, let hash = record.outputHash, PathKey.same(PathName.lastComponent(trustedOutput ?? ""), PathName.lastComponent(path))
    else { return false }
    return (try? ContentHash.ofFile(at: path, regularOnly: true))?.description == hash
  }
}
