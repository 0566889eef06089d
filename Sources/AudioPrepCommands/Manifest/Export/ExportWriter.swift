import DSP

/// Writes an export's files through `OutputFile`, the one write path: every file is opened
/// (a temporary) before any is written, so an existing file without `--force` or an
/// uncreatable one (73) stops the export before it writes anything; each file is moved into
/// place complete.
enum ExportWriter {
  /// `files` by name into `directory`, or, for a single-file format (`directory` nil), the
  /// one file to `path` (`-` is standard output).
  static func write(_ files: [(name: String, bytes: [UInt8])], into directory: String?, path: String, overwrite: Bool) throws {
    var outputs: [OutputFile] = []
    do {
      if let directory {
        let opened = try OutputDirectory.open(directory)
        for file in files {
          outputs.append(try OutputFile(name: file.name, in: opened, path: PathName.join(directory, file.name), overwrite: overwrite))
        }
      } else {
        outputs = [path == "-" ? try OutputFile.standardOutput() : try OutputFile(path: path, overwrite: overwrite)]
      }
      for (output, file) in zip(outputs, files) { try file.bytes.withUnsafeBytes { try output.write($0) } }
      for output in outputs { try output.commit() }
    } catch let error as AudioIOError {
      for output in outputs { output.discard() }
      throw CommandFailure(error, inputPath: path)
    }
  }
}
