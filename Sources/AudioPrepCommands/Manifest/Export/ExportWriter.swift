import DSP

/// Writes an export's files through `OutputFile`, the one write path: every file is opened
/// (a temporary) before any is written, so an existing file without `--force` or an
/// uncreatable one (73) stops the export before it writes anything; each file is moved into
/// place complete, and all of them together: they are held (`CommittedOutputs`) until the
/// last has landed, so a failure (74) takes back those that had, and an earlier file each
/// replaced (`--force`) comes back.
enum ExportWriter {
  /// `files` by name into `directory`, or, for a single-file format (`directory` nil), the
  /// one file to `path` (`-` is standard output). `removing` names files of `directory` to
  /// remove with them (an earlier export's that this one does not write; `overwrite` only),
  /// brought back as well on a failure.
  static func write(
    _ files: [(name: String, bytes: [UInt8])], into directory: String?, path: String, overwrite: Bool,
    removing stale: [String] = []
  ) throws {
    var outputs: [OutputFile] = []
    let committed = CommittedOutputs()
    do {
      if let directory {
        let opened = try OutputDirectory.open(directory)
        for file in files {
          outputs.append(try OutputFile(name: file.name, in: opened, path: PathName.join(directory, file.name), overwrite: overwrite))
        }
        for name in stale {
          let removal = try OutputFile(name: name, in: opened, path: PathName.join(directory, name), overwrite: true)
          removal.removesEarlier = true
          outputs.append(removal)
        }
      } else {
        outputs = [path == "-" ? try OutputFile.standardOutput() : try OutputFile(path: path, overwrite: overwrite)]
      }
      for output in outputs { output.holdsUntilSettled = true }
      for (output, file) in zip(outputs, files) { try file.bytes.withUnsafeBytes { try output.write($0) } }
      for output in outputs {
        try output.commit()
        committed.append(output)
      }
      committed.removeTemporariesDeadRunsLeft()
      try committed.settle()
    } catch let error as AudioIOError {
      committed.retract()
      for output in outputs { output.discard() }
      throw CommandFailure(error, inputPath: path)
    }
  }
}
