import DSP

extension OutputDestination {
  /// A batch output: always a file, replaced when reprocessed, never the input itself.
  ///
  /// The output directory belongs to the batch: a file under an output's mirrored path is
  /// that output (from an earlier run, or left by a crash) and is replaced atomically.
  init(batchOutput path: String, format: OutputFileFormat, input: String) throws {
    if Self.sameFile(input, path) {
      throw CommandFailure(path, "is the input; refusing to write over it", code: ExitStatus.cannotCreate)
    }
    self.path = path
    self.format = format
    self.overwrite = true
  }
}
