import DSP

extension BatchPlan {
  /// Refuses (73) a manifest at `path` that names one of the batch's own outputs, any shard's,
  /// however spelled (`OutputLocation`): an input's audio, its segments list or a segment, and
  /// with `--segment-longer-only` the whole output any input may have. Checked before anything is
  /// written, as `DistinctOutputs` checks a single run's outputs (review35 R18: the manifest
  /// took `OUT/a.wav`, and input a.wav then failed as "already written by this run").
  ///
  /// `segmentExtension` is the segments' extension when the batch cuts segments (each item's
  /// output is then its list), nil otherwise.
  func refuseManifest(at path: String, segmentExtension: String?, keepsShortInputsWhole: Bool) throws {
    let manifest = OutputLocation(path)
    let name = PathName.lastComponent(path)
    let names = { (candidate: String) in OutputLocation(candidate) == manifest }
    for item in corpusItems {
      var clash: String?
      if PathName.lastComponent(item.outputPath) == name, names(item.outputPath) {
        clash = segmentExtension == nil ? "the output" : "the segments list"
      } else if let segmentExtension {
        let pattern = OutputDestination.batchSegmentPattern(list: item.outputPath, fileExtension: segmentExtension)
        let whole = String(item.outputPath.dropLast("segments.jsonl".count)) + segmentExtension
        if let index = pattern.index(ofName: name), names(pattern.path(index)) {
          clash = "a segment"
        } else if keepsShortInputsWhole, PathName.lastComponent(whole) == name, names(whole) {
          clash = "the output"
        }
      }
      if let clash {
        throw CommandFailure(
          path, "names the same file as \(clash) of \(item.input.path); refusing to write either", code: ExitStatus.cannotCreate)
      }
    }
  }
}
