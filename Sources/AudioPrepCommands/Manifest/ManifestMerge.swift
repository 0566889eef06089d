/// Merges shard manifests and checks that every input of the corpus is there exactly once.
///
/// Within one manifest a later line for the same relative path replaces an earlier one (a rerun).
/// Across manifests, the same relative path twice is a duplicate. Records carry their shard and
/// how many inputs the corpus and the shard had, so a merge can tell, without the corpus at
/// hand, that a shard is short (a worker died), absent, or holds an input of another shard.
package struct ManifestMerge {
  /// Every input's record, sorted by relative path.
  package private(set) var records: [ManifestRecord] = []
  /// What is wrong, one line each as "PATH: message"; empty when the merge is complete.
  package private(set) var problems: [CommandFailure] = []
  package private(set) var shardCount: Int?
  /// The manifest of each shard index seen so far.
  private var shardsSeen: [Int: String] = [:]

  package init(_ manifests: [(path: String, contents: ManifestFile.Contents)]) {
    var owner: [PathKey: String] = [:]
    // Each relative path's record: its manifest and index there (indices, not copies of records).
    var merged: [PathKey: (manifest: Int, record: Int)] = [:]
    var corpusInputs = 0
    for (number, (path, contents)) in manifests.enumerated() {
      if let problem = contents.badLinesProblem { problems.append(CommandFailure(path, problem, code: ExitStatus.dataError)) }
      let latest = contents.latestIndexByRelativePath
      // A manifest's shard is the one most of its records name; its counts come from its last such record.
      var votes: [Shard?: Int] = [:]
      for index in latest.values { votes[contents.records[index].shard, default: 0] += 1 }
      guard let top = votes.max(by: { ($0.value, $1.key?.index ?? -1) < ($1.value, $0.key?.index ?? -1) }) else {
        // No record: an empty shard (fewer inputs than shards) is known by its file name.
        if let shard = Shard(manifestPath: path) { see(shard, in: path) }
        continue
      }
      // A merged manifest (what `manifest merge -o` wrote) holds every shard's records, each
      // shard whole: it is those shards' manifest, not one shard's with misplaced records. (A
      // manifest named as one shard's, `manifest.K-of-N.jsonl`, is that shard's.)
      if Shard(manifestPath: path) == nil, let shards = Self.mergedShards(contents, latest: latest) {
        for record in contents.records { corpusInputs = max(corpusInputs, record.corpusInputs) }
        for shard in shards { see(shard, in: path) }
        for relative in latest.keys.sorted() {
          if let first = owner[relative] {
            problems.append(CommandFailure(relative.path, "duplicated: in \(first) and in \(path)", code: ExitStatus.dataError))
            continue
          }
          owner[relative] = path
          merged[relative] = (number, latest[relative]!)
        }
        continue
      }
      let manifestShard = top.key
      guard let last = contents.records.last(where: { $0.shard == manifestShard }) else { continue }
      corpusInputs = max(corpusInputs, last.corpusInputs)
      if let shard = manifestShard { see(shard, in: path) }
      let ownRecords = latest.values.reduce(0) { $0 + (contents.records[$1].shard == manifestShard ? 1 : 0) }
      if ownRecords < last.shardInputs {
        let scope = manifestShard.map { "shard \($0)" } ?? "the batch"
        problems.append(
          CommandFailure(
            path, "\(scope): \(last.shardInputs - ownRecords) of \(last.shardInputs) inputs missing",
            code: ExitStatus.dataError))
      }
      for relative in latest.keys.sorted() {
        let index = latest[relative]!
        let record = contents.records[index]
        if record.shard != manifestShard {
          let named = record.shard.map { "shard \($0)" } ?? "unsharded"
          let expected = manifestShard.map { "shard \($0)" } ?? "an unsharded batch"
          problems.append(
            CommandFailure(relative.path, "a \(named) record in \(path), the manifest of \(expected)", code: ExitStatus.dataError))
        }
        if let first = owner[relative] {
          problems.append(CommandFailure(relative.path, "duplicated: in \(first) and in \(path)", code: ExitStatus.dataError))
          continue
        }
        owner[relative] = path
        merged[relative] = (number, index)
      }
    }
    // A shard with no manifest given is missing only when inputs are: one of no input (fewer
    // inputs than shards) leaves none out (review33m C1).
    if let shardCount, merged.count < corpusInputs || corpusInputs == 0 {
      for index in 0..<shardCount where shardsSeen[index] == nil {
        problems.append(
          CommandFailure("shard \(index)/\(shardCount)", "no manifest given: its inputs are missing", code: ExitStatus.dataError))
      }
    }
    if merged.count < corpusInputs {
      problems.append(
        CommandFailure(
          "manifest merge", "\(corpusInputs - merged.count) of \(corpusInputs) inputs missing", code: ExitStatus.dataError))
    }
    records = merged.keys.sorted().map { merged[$0]! }.map { manifests[$0.manifest].contents.records[$0.record] }
  }

  /// The shards a merged manifest holds: nil unless its records are of two shards or more (of
  /// one count, none unsharded) and each shard's are all there (as many as its last record's
  /// `shard_inputs`). A manifest holding the whole corpus (`corpus_inputs` records) holds every
  /// shard, those of no input included (`manifest merge` knew them by their empty manifests).
  private static func mergedShards(_ contents: ManifestFile.Contents, latest: [PathKey: Int]) -> [Shard]? {
    var counts: [Shard: Int] = [:]
    for index in latest.values {
      guard let shard = contents.records[index].shard else { return nil }
      counts[shard, default: 0] += 1
    }
    guard counts.count > 1, Set(counts.keys.map(\.count)).count == 1, let count = counts.keys.first?.count else { return nil }
    for (shard, own) in counts {
      guard let last = contents.records.last(where: { $0.shard == shard }), own >= last.shardInputs else { return nil }
    }
    let corpusInputs = contents.records.map(\.corpusInputs).max() ?? 0
    guard latest.count >= corpusInputs else { return counts.keys.sorted { $0.index < $1.index } }
    return (0..<count).map { Shard(argument: "\($0)/\(count)")! }
  }

  /// Notes that the manifest at `path` is `shard`: one shard count for all, one manifest per shard.
  private mutating func see(_ shard: Shard, in path: String) {
    if let count = shardCount, count != shard.count {
      problems.append(CommandFailure(path, "is shard \(shard), but another manifest has \(count) shards", code: ExitStatus.dataError))
    }
    shardCount = shardCount ?? shard.count
    if let other = shardsSeen[shard.index] {
      problems.append(CommandFailure(path, "is shard \(shard), and so is \(other)", code: ExitStatus.dataError))
    }
    shardsSeen[shard.index] = path
  }

  /// The output rates the records were made at, when more than one ("16000 Hz (3 inputs),
  /// 8000 Hz (1 input)"): shards run with different options, which a toolkit reading the merged
  /// data cannot tell apart (Kaldi's and Lhotse's features need one rate, and Lhotse loads each
  /// at its own: review32m W4, review33m W3); nil when there is one.
  package var mixedRates: String? {
    var counts: [Int: Int] = [:]
    for record in records where record.status != .failed {
      guard let rate = record.params.split(separator: " ").first(where: { $0.hasPrefix("rate=") }).flatMap({ Int($0.dropFirst(5)) }) else { continue }
      counts[rate, default: 0] += 1
    }
    guard counts.count > 1 else { return nil }
    return counts.sorted { ($0.value, $0.key) > ($1.value, $1.key) }.map { "\($0.key) Hz (\(Text.count($0.value, "input")))" }.joined(separator: ", ")
  }

  /// "45 inputs from 3 manifests (3 shards): 42 ok, 0 skipped, 3 failed".
  package func summary(manifestCount: Int) -> String {
    let count = { (status: ManifestRecord.Status) in records.reduce(0) { $0 + ($1.status == status ? 1 : 0) } }
    let shards = shardCount.map { " (\($0) shards)" } ?? ""
    return "\(Text.count(records.count, "input")) from \(Text.count(manifestCount, "manifest"))\(shards): "
      + "\(count(.ok)) ok, \(count(.skipped)) skipped, \(count(.failed)) failed"
  }
}
