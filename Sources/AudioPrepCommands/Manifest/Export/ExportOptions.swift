/// The choices every export format shares.
package struct ExportOptions {
  /// What a segmented input becomes.
  package enum SegmentStyle: String, CaseIterable {
    /// Each segment file is a recording of its own (what was written, as written).
    case files
    /// The batch input is the recording and each segment an utterance at its offset in it.
    case offsets
  }

  /// How audio paths are written.
  package enum PathStyle: String, CaseIterable {
    case absolute
    /// Relative to the destination directory (the directory the export's files are in).
    case relative
  }

  package var segments: SegmentStyle = .files
  package var paths: PathStyle = .absolute
  package var speaker: SpeakerRule = .utterance
  /// The directory the export's files go to, as the user named it ("" is the current one).
  package var destinationDirectory: String = ""
  /// The directory the batch ran in: the manifests' relative paths start there.
  package var batchDirectory: String = PathName.currentDirectory()
  /// Where each exported record was read (by relative path): a damaged one is named by its
  /// manifest and line.
  package var origins: [PathKey: RecordOrigin] = [:]

  package init() {}

  /// 65: `record` is damaged (`problem`), named by its manifest and line when known.
  func damaged(_ record: ManifestRecord, _ problem: String) -> CommandFailure {
    guard let origin = origins[PathKey(record.relativePath)] else {
      return CommandFailure(record.relativePath, "its manifest record is damaged: \(problem)", code: ExitStatus.dataError)
    }
    return CommandFailure(origin.manifest, "line \(origin.line) is damaged: \(problem)", code: ExitStatus.dataError)
  }
}

/// A manifest's line: where a record was read.
package struct RecordOrigin: Equatable {
  package var manifest: String
  package var line: Int
}

/// Where an utterance's speaker comes from (`--speaker-from`).
package enum SpeakerRule: Equatable {
  /// Every utterance its own speaker (Kaldi's convention when speakers are unknown).
  case utterance
  /// The directory that holds the input.
  case parent
  /// The Nth directory (1 = the first) of the input's path below the batch's root.
  case level(Int)

  /// `utterance`, `parent` or a level N ≥ 1; nil for anything else.
  package init?(argument: String) {
    switch argument {
    case "utterance": self = .utterance
    case "parent": self = .parent
    default:
      guard let level = Int(argument), level >= 1 else { return nil }
      self = .level(level)
    }
  }

  /// The speaker of the input at `relativePath` (below the batch's root), nil when the rule
  /// finds none there (the utterance is then its own speaker).
  /// The directory (below the batch's root) whose name `speaker(ofRelativePath:)` takes, or nil.
  func directory(ofRelativePath relativePath: String) -> String? {
    let directories = PathName.components(PathName.directoryPrefix(relativePath))
    switch self {
    case .utterance: return nil
    case .parent: return directories.isEmpty ? nil : directories.joined(separator: "/")
    case .level(let level): return level <= directories.count ? directories.prefix(level).joined(separator: "/") : nil
    }
  }

  package func speaker(ofRelativePath relativePath: String) -> String? {
    let directories = PathName.components(PathName.directoryPrefix(relativePath))
    switch self {
    case .utterance: return nil
    case .parent: return directories.last.map(String.init)
    case .level(let level): return level <= directories.count ? String(directories[level - 1]) : nil
    }
  }
}
