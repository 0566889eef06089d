/// The paths batch writes in a record, checked when a manifest is read back for an export:
/// `relative_path` is a path below the batch's root (relative, without `..`, `.` or empty names:
/// batch never records one), `input` is that root and the relative path (`corpus/` +
/// `spk1/a.flac`), and `output` is its mirror below the out-dir, `OUT/DIR/STEM.EXT`
/// (`BatchPlan.outputPath`). A hand-edited record pointing elsewhere (`o/s/../../etc/hostname`,
/// an `input` moved beside another `STEM.txt`) is damaged. (The out-dir itself is not recorded:
/// any `OUT`, `..` in it included, passes; nor is the root: `root(of:)` derives it.)
enum RecordPaths {
  /// What is wrong with `record`'s paths, or nil when batch could have written them.
  static func problem(of record: ManifestRecord) -> String? {
    // The C path ends at a NUL: `secret/id_rsa\0/q.wav`'s transcript was `secret/id_rsa`.
    for (field, path) in [("input", record.input), ("relative_path", record.relativePath), ("output", record.output ?? "")]
    where path.utf8.contains(0) {
      return "its \(field) holds a NUL character, which no path can"
    }
    let relative = record.relativePath
    let names = relative.split(separator: "/", omittingEmptySubsequences: false)
    if relative.hasPrefix("/") || names.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
      return "relative_path '\(relative)' is not a path below the batch's root (absolute, or an empty, . or .. name)"
    }
    guard root(of: record) != nil else {
      return "input '\(record.input)' does not end with its relative_path '\(relative)' (a batch's input is its root and its relative path)"
    }
    guard let output = record.output else { return nil }
    let directory = PathName.directoryPrefix(relative), stem = PathName.stem(relative)
    let outputDirectory = PathName.directoryPrefix(output)
    // By bytes (`PathKey`): an output spelled in another Unicode normalisation is another file.
    let mirrored =
      directory.isEmpty || PathKey.same(outputDirectory, directory) || PathKey.path(outputDirectory, endsWith: "/" + directory)
    let name = PathName.lastComponent(output)
    guard mirrored, PathKey.path(name, startsWith: stem + "."), name.utf8.count > stem.utf8.count + 1 else {
      return "output '\(output)' is not relative_path '\(relative)' mirrored below the batch's out-dir (OUT/\(directory)\(stem).EXT)"
    }
    return nil
  }

  /// The record's `output` when batch could have written it (no `problem`); nil for one edited
  /// to name another file, which a rerun neither replaces nor removes (review60 H2: a user's
  /// `o/README.txt`, named with its hash by an edited record, was removed as an earlier output
  /// of another format, where `manifest export` called the record damaged).
  static func trustedOutput(of record: ManifestRecord) -> String? { problem(of: record) == nil ? record.output : nil }

  /// The root `record`'s input lies below: the input less its relative path, lexically
  /// normalised (`corpus`, `./corpus/` and `corpus//` are one root; "" is the directory batch
  /// ran in, "/" the root of an absolute input placed by its whole path); nil when the input
  /// does not end with the relative path.
  static func root(of record: ManifestRecord) -> String? {
    let input = PathName.components(record.input), relative = PathName.components(record.relativePath)
    guard !relative.isEmpty, input.count >= relative.count, input.suffix(relative.count).elementsEqual(relative, by: { PathKey.same(String($0), String($1)) })
    else { return nil }
    let root = input.dropLast(relative.count).joined(separator: "/")
    return record.input.hasPrefix("/") ? "/" + root : root
  }
}
