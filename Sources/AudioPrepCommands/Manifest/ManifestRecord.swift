import DSP

/// One line of a batch manifest: what happened to one input in one run.
///
/// Written as a flat JSON object with these keys (units in the names):
/// `input`, `relative_path`, `output`, `status` (`ok`, `skipped`, `failed`), `error`,
/// `input_rate_hz`, `input_channels`, `input_frames`, `output_frames`, `duration_s` (input),
/// `clipped_samples`, `dropped_chunks`, `truncation` (the warning, or null), `repaired_samples`
/// (NaN/Inf float samples replaced and out-of-range ones clamped), `wall_s`, `input_hash`, `output_hash` (64-bit FNV-1a,
/// see `ContentHash`), `params` (the pipeline fingerprint), `shard` (`K/N` or null),
/// `corpus_inputs` (inputs before sharding) and `shard_inputs` (inputs in this shard).
/// With `--measure-loudness`, the input's and the output's EBU R128 loudness:
/// `input_integrated_lufs`, `input_range_lu`, `input_true_peak_dbtp`, `input_sample_peak_dbfs`
/// and the same with `output_` (null for −inf: silence). With `--loudness`/`--peak`:
/// `normalization_gain_db` (the gain the first pass set) and `normalization_shortfall_db` (how
/// far the true-peak ceiling kept the output under its target; 0 when reached, null when the
/// input is silent). Records without them have no such keys.
/// `skip_reason`: why an input was not processed although it decodes (`--min-duration`,
/// `--max-duration`; status `skipped`, no output: exports leave it out). `kept_whole`: true when a
/// `--segment --segment-longer-only` batch wrote an input no longer than the window as one file,
/// named as without `--segment` (its output is that file, not a segments list).
package struct ManifestRecord: Equatable {
  package enum Status: String {
    case ok, skipped, failed
  }

  package var input: String
  /// The input's path below its root: the output mirrors it, and shards hash it.
  package var relativePath: String
  package var output: String?
  package var status: Status
  package var error: String?
  /// Why the input was skipped without being processed (outside `--min-duration`/`--max-duration`);
  /// nil for an input processed now or before.
  package var skipReason: String?
  /// A segmenting batch wrote this input whole: it is no longer than the window (`--segment-longer-only`).
  package var keptWhole = false
  package var inputRateHz: Int?
  package var inputChannels: Int?
  package var inputFrames: Int64?
  package var outputFrames: Int64?
  package var durationSeconds: Double?
  package var clippedSamples: Int?
  package var droppedChunks: Int?
  /// The input held less than its header announced (the warning's text).
  package var truncation: String?
  /// Float input samples repaired: NaN/Inf replaced by 0 and beyond ±1024 clamped.
  package var repairedSamples: Int?
  package var wallSeconds: Double = 0
  package var inputHash: String?
  package var outputHash: String?
  package var params: String
  /// The keys of numbers a record was read with that are there but not whole numbers (4800.5,
  /// "12"): damaged, not missing (not written).
  package var malformedKeys: [String] = []
  package var shard: Shard?
  package var corpusInputs: Int
  package var shardInputs: Int
  /// The input's and the output's loudness, when measured (`--measure-loudness`).
  package var inputLoudness: Loudness?
  package var outputLoudness: Loudness?
  /// The gain a normalised run set (`--loudness`, `--peak`), and how far short of the target
  /// it stayed (nil with a gain: a silent input).
  package var normalizationGainDB: Double?
  package var normalizationShortfallDB: Double?
  /// What this run's normalisation did, for its warning (not written: the two fields above are).
  package var normalization: Normalization.Outcome? {
    didSet {
      normalizationGainDB = normalization.map { Self.rounded($0.gainDB, digits: 3) }
      normalizationShortfallDB = normalization?.shortfallDB.map { Self.rounded($0, digits: 3) }
    }
  }

  /// Whether `line` is how a record's line starts, cut anywhere within its first two keys: what a
  /// crash during the very first append leaves. Every line starts `{"input":"…","relative_path":"`
  /// (`json` writes the keys in that order, without spaces).
  static func isTornStart(_ line: [UInt8]) -> Bool {
    let opening = Array("{\"input\":\"".utf8)
    guard line.count >= opening.count, line.starts(with: opening) else { return false }
    var index = opening.count
    var escaped = false
    while index < line.count {  // the input's value, to its closing quote
      let byte = line[index]
      index += 1
      if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { break }
      if index == line.count { return true }  // cut inside the value
    }
    let rest = line[index...]
    let next = Array(",\"relative_path\":\"".utf8)
    return rest.count <= next.count ? next.starts(with: rest) : rest.starts(with: next)
  }

  package var json: JSONLine {
    var line = JSONLine()
    line.set("input", input)
    line.set("relative_path", relativePath)
    line.set("output", output)
    line.set("status", status.rawValue)
    line.set("error", error)
    if let skipReason { line.set("skip_reason", skipReason) }
    if keptWhole { line.set("kept_whole", .bool(true)) }
    line.set("input_rate_hz", inputRateHz)
    line.set("input_channels", inputChannels)
    line.set("input_frames", inputFrames)
    line.set("output_frames", outputFrames)
    line.set("duration_s", durationSeconds.map { Self.rounded($0, digits: 6) })
    line.set("clipped_samples", clippedSamples)
    line.set("dropped_chunks", droppedChunks)
    line.set("truncation", truncation)
    line.set("repaired_samples", repairedSamples)
    line.set("wall_s", Self.rounded(wallSeconds, digits: 6))
    line.set("input_hash", inputHash)
    line.set("output_hash", outputHash)
    line.set("params", params)
    line.set("shard", shard?.description)
    line.set("corpus_inputs", corpusInputs)
    line.set("shard_inputs", shardInputs)
    for (prefix, loudness) in [("input_", inputLoudness), ("output_", outputLoudness)] {
      guard let loudness else { continue }
      line.set(prefix + "integrated_lufs", Self.rounded(loudness.integratedLUFS, digits: 3))
      line.set(prefix + "range_lu", Self.rounded(loudness.rangeLU, digits: 3))
      line.set(prefix + "true_peak_dbtp", Self.rounded(loudness.truePeakDBTP, digits: 3))
      line.set(prefix + "sample_peak_dbfs", Self.rounded(loudness.samplePeakDBFS, digits: 3))
    }
    if let normalizationGainDB {
      line.set("normalization_gain_db", normalizationGainDB)
      line.set("normalization_shortfall_db", normalizationShortfallDB)
    }
    return line
  }

  package init(
    input: String, relativePath: String, output: String?, status: Status, params: String, shard: Shard?,
    corpusInputs: Int, shardInputs: Int
  ) {
    self.input = input
    self.relativePath = relativePath
    self.output = output
    self.status = status
    self.params = params
    self.shard = shard
    self.corpusInputs = corpusInputs
    self.shardInputs = shardInputs
  }

  /// Reads a record back; nil when a required key is missing or has the wrong type.
  package init?(_ line: JSONLine) {
    guard let input = line.string("input"), let relativePath = line.string("relative_path"),
      let status = line.string("status").flatMap(Status.init(rawValue:)), let params = line.string("params"),
      let corpusInputs = line.integer("corpus_inputs"), let shardInputs = line.integer("shard_inputs")
    else { return nil }
    var shard: Shard?
    if let text = line.string("shard") {
      guard let parsed = Shard(argument: text) else { return nil }
      shard = parsed
    }
    self.init(
      input: input, relativePath: relativePath, output: line.string("output"), status: status, params: params,
      shard: shard, corpusInputs: Int(corpusInputs), shardInputs: Int(shardInputs))
    error = line.string("error")
    skipReason = line.string("skip_reason")
    keptWhole = line["kept_whole"] == .bool(true)
    malformedKeys = ["input_rate_hz", "input_channels", "input_frames", "output_frames"].filter {
      line[$0] != nil && line[$0] != .null && line.integer($0) == nil
    }
    inputRateHz = line.integer("input_rate_hz").map(Int.init)
    inputChannels = line.integer("input_channels").map(Int.init)
    inputFrames = line.integer("input_frames")
    outputFrames = line.integer("output_frames")
    durationSeconds = line.number("duration_s")
    clippedSamples = line.integer("clipped_samples").map(Int.init)
    droppedChunks = line.integer("dropped_chunks").map(Int.init)
    truncation = line.string("truncation")
    repairedSamples = line.integer("repaired_samples").map(Int.init)
    wallSeconds = line.number("wall_s") ?? 0
    inputHash = line.string("input_hash")
    outputHash = line.string("output_hash")
    inputLoudness = Self.loudness(line, prefix: "input_")
    outputLoudness = Self.loudness(line, prefix: "output_")
    normalizationGainDB = line.number("normalization_gain_db")
    normalizationShortfallDB = line.number("normalization_shortfall_db")
  }

  /// A loudness written with `prefix`, or nil when the line has none (null reads as −inf).
  private static func loudness(_ line: JSONLine, prefix: String) -> Loudness? {
    guard line[prefix + "true_peak_dbtp"] != nil else { return nil }
    return Loudness(
      integratedLUFS: line.number(prefix + "integrated_lufs") ?? -.infinity, rangeLU: line.number(prefix + "range_lu") ?? 0,
      truePeakDBTP: line.number(prefix + "true_peak_dbtp") ?? -.infinity,
      samplePeakDBFS: line.number(prefix + "sample_peak_dbfs") ?? -.infinity)
  }

  /// The warnings this record carries, for the batch's counts: (truncated, clipped, repaired,
  /// dropped chunks).
  package var warnings: (truncated: Bool, clipped: Bool, repaired: Bool, dropped: Bool) {
    (truncation != nil, (clippedSamples ?? 0) > 0, (repairedSamples ?? 0) > 0, (droppedChunks ?? 0) > 0)
  }

  /// Keeps manifest lines short: 6 decimals are microseconds.
  private static func rounded(_ value: Double, digits: Int) -> Double {
    guard value.isFinite else { return value }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    return (value * scale).rounded() / scale
  }
}
