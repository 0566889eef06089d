import ArgumentParser
import Glibc

/// `audioprep manifest`: tools for batch manifests.
struct ManifestCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "manifest",
    abstract: "Work with batch manifests.",
    subcommands: [ManifestMergeCommand.self])
}

/// `audioprep manifest merge MANIFEST... [-o OUT]`: merge shard manifests, check completeness.
struct ManifestMergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Merge shard manifests and check that every input is there exactly once.",
    discussion: """
      Each manifest's latest line per input counts. Reports inputs found in
      two manifests, shards with fewer records than inputs, shards with no
      manifest, and records in the wrong shard. With -o, writes the merged
      records (sorted by relative path) when all is well.

      EXAMPLE
        audioprep manifest merge out/manifest.*-of-3.jsonl -o out/manifest.jsonl

      EXIT STATUS
        0    every input exactly once
        65   missing, duplicated or misplaced inputs, or lines that are not records
        66   a manifest cannot be read
        73   the merged manifest cannot be written
      """)

  @Argument(help: ArgumentHelp("Manifests to merge (one per shard).", valueName: "manifest"))
  var manifests: [String]

  @Option(name: .shortAndLong, help: ArgumentHelp("Write the merged manifest here.", valueName: "path"))
  var output: String?

  func run() throws {
    do {
      let merge = ManifestMerge(try manifests.map { ($0, try ManifestFile.read($0)) })
      for problem in merge.problems { printError("audioprep: \(problem.path): \(problem.message)") }
      printError("audioprep: manifest merge: " + merge.summary(manifestCount: manifests.count))
      guard merge.problems.isEmpty else { throw ExitCode(ExitStatus.dataError) }
      if let output { try Self.writeMerged(merge.records, to: output) }
    } catch let failure as CommandFailure {
      printError("audioprep: \(failure.path): \(failure.message)")
      throw ExitCode(failure.code)
    }
  }

  /// Writes all lines to a temporary file beside `path`, then renames it into place.
  static func writeMerged(_ records: [ManifestRecord], to path: String) throws {
    let temporary = "\(PathName.directoryPrefix(path)).\(PathName.lastComponent(path)).audioprep-\(getpid()).tmp"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw CommandFailure(path, String(cString: strerror(errno)), code: ExitStatus.cannotCreate)
    }
    let bytes = Array(records.map { $0.json.encoded + "\n" }.joined().utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
      if written < 0 && errno == EINTR { continue }
      guard written > 0 else { break }
      offset += written
    }
    let closed = close(descriptor) == 0
    guard offset == bytes.count, closed, rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw CommandFailure(path, "cannot write the merged manifest: \(reason)", code: ExitStatus.ioError)
    }
  }
}
