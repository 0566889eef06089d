/// The paths batch writes in a record, checked when a manifest is read back for an export:
/// `relative_path` is a path below the batch's root (relative, without `..`, `.` or empty names:
/// batch never records one), and `output` is its mirror below the out-dir, `OUT/DIR/STEM.EXT`
/// (`BatchPlan.outputPath`). A hand-edited record pointing elsewhere (`o/s/../../etc/hostname`)
/// is damaged. (The out-dir itself is not recorded: any `OUT`, `..` in it included, passes.)
enum RecordPaths {
  /// What is wrong with `record`'s paths, or nil when batch could have written them.
  static func problem(of record: ManifestRecord) -> String? {
    let relative = record.relativePath
    let names = relative.split(separator: "/", omittingEmptySubsequences: false)
    if relative.hasPrefix("/") || names.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
      return "relative_path '\(relative)' is not a path below the batch's root (absolute, or an empty, . or .. name)"
    }
    guard let output = record.output else { return nil }
    let directory = PathName.directoryPrefix(relative), stem = PathName.stem(relative)
    let outputDirectory = PathName.directoryPrefix(output)
    let mirrored = directory.isEmpty || outputDirectory == directory || outputDirectory.hasSuffix("/" + directory)
    let name = PathName.lastComponent(output)
    guard mirrored, name.hasPrefix(stem + "."), name.count > stem.count + 1 else {
      return "output '\(output)' is not relative_path '\(relative)' mirrored below the batch's out-dir (OUT/\(directory)\(stem).EXT)"
    }
    return nil
  }
}
