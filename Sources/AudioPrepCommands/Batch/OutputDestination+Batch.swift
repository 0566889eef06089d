import DSP

extension OutputDestination {
  /// A batch output: always a file in `directory` (opened below --out-dir without following
  /// symlinks), never an input (`ProtectedFiles`).
  ///
  /// It replaces (atomically) only the names in `replaceable`, the files the input's own
  /// manifest record says it wrote, or any with `overwrite` (--force): another file under one
  /// of its names stays, taken as the output when it holds the same bytes (the same corpus run
  /// under another manifest, or by another batch at once), refused when not (another corpus's
  /// output, a file of the user's), even one that appears while it runs.
  init(
    batchOutput path: String, in directory: OutputDirectory, format: OutputFileFormat, input: String,
    overwrite: Bool, replaceable: Set<String>, segmentation: SegmentTiming? = nil, range: TimeRange? = nil
  ) {
    self.range = range
    self.path = path
    self.directory = directory
    self.format = format
    self.overwrite = overwrite
    self.replaceable = replaceable
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
