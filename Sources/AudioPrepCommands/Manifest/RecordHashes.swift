/// The hashes batch writes in every record of an input it processed (or found done): the
/// input's (`input_hash`) and the output's (`output_hash`, `ContentHash`), which an export
/// checks the files against. One without them (null, or deleted by a `jq` pass) is damaged:
/// no batch writes it, and without them a replaced output or input would be exported with the
/// record's numbers (hostile review 30m, H1). A failed input, and one skipped for its length
/// (no output), need no output hash.
enum RecordHashes {
  /// What is missing from `record`, or nil.
  static func problem(of record: ManifestRecord) -> String? {
    guard record.status != .failed, record.skipReason == nil else { return nil }
    if record.inputHash == nil { return "no input_hash (every batch records its input's hash)" }
    if record.outputHash == nil { return "no output_hash (every batch records its output's hash)" }
    return nil
  }
}
