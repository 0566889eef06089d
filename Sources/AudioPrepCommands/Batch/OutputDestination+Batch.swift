import DSP

extension OutputDestination {
  /// A batch output: always a file in `directory` (opened below --out-dir without following
  /// symlinks), replaced when reprocessed, never an input (`ProtectedFiles`).
  ///
  /// The output directory belongs to the batch: a file under an output's mirrored path is
  /// that output (from an earlier run, or left by a crash) and is replaced atomically.
  init(
    batchOutput path: String, in directory: OutputDirectory, format: OutputFileFormat, input: String,
    segmentation: SegmentTiming? = nil, range: TimeRange? = nil
  ) {
    self.range = range
    self.path = path
    self.directory = directory
    self.format = format
    self.overwrite = true
    if let segmentation {
      self.segmentation = Segmentation(
        pattern: Self.batchSegmentPattern(list: path, fileExtension: format.container.fileExtension), timing: segmentation,
        listPath: path, source: input)
    }
  }

  /// The names of a batch input's segments beside its list: DIR/rel/STEM.segments.jsonl cuts
  /// into DIR/rel/STEM_0000.EXT, DIR/rel/STEM_0001.EXT …
  static func batchSegmentPattern(list path: String, fileExtension: String) -> SegmentPattern {
    let stem = String(path.dropLast(".segments.jsonl".count)).replacingPercents
    return SegmentPattern(stem + "_%04d." + fileExtension)!
  }
}

extension String {
  /// `%` doubled, so a path can sit inside a printf-style pattern.
  fileprivate var replacingPercents: String {
    var result = ""
    for character in self { result += character == "%" ? "%%" : String(character) }
    return result
  }
}
