import ArgumentParser
import DSP

/// `audioprep manifest`: tools for batch manifests.
struct ManifestCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "manifest",
    abstract: "Work with batch manifests.",
    subcommands: [ManifestMergeCommand.self, ManifestExportCommand.self])
}

/// `audioprep manifest merge MANIFEST... [-o OUT]`: merge shard manifests, check completeness.
struct ManifestMergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Merge shard manifests and check that every input is there exactly once.",
    usage: "audioprep manifest merge <manifest> ... [-o <path>] [--force] [-q]",
    discussion: """
      Each manifest's latest line per input counts. Reports inputs found in
      two manifests, shards with fewer records than inputs, shards with no
      manifest, and records in the wrong shard. With -o, writes the merged
      records (sorted by relative path) when all is well.

      EXAMPLE
        audioprep manifest merge out/manifest.*-of-3.jsonl -o out/manifest.jsonl

      EXIT STATUS
        0    every input exactly once
        66   a manifest cannot be read
        64   -o named as a shard's manifest (manifest.K-of-N.jsonl)
        65   missing, duplicated or misplaced inputs, lines that are not
             records, or no record at all
        73   the merged manifest cannot be written (it exists: add --force), or
             it is a file a record names (input, transcript, output), a
             batch's or shard's manifest (any but an earlier merge's), or an
             input's STEM.txt (never written, --force or not)
        74   I/O error while writing it
      """)

  @Argument(help: ArgumentHelp("Manifests to merge (one per shard).", valueName: "manifest"), completion: .file())
  var manifests: [String]

  @Option(name: .shortAndLong, help: ArgumentHelp("Write the merged manifest here.", valueName: "path"), completion: .file())
  var output: String?

  @Flag(help: "Replace an existing merged manifest.")
  var force = false

  @Flag(name: .shortAndLong, help: "Print errors only (no summary line), as batch and export do.")
  var quiet = false

  func validate() throws {
    // A shard's name would make every later merge and export take the merge for that shard's
    // manifest (review33n W4).
    if let output, let shard = Shard(manifestPath: output) {
      throw ValidationError("-o \(output) is named as shard \(shard)'s manifest; name the merged manifest otherwise (e.g. manifest.jsonl)")
    }
  }

  func run() throws {
    do {
      let contents = try manifests.map { ($0, try ManifestFile.read($0, streams: true)) }
      let merge = ManifestMerge(contents)
      for problem in merge.problems { printError("audioprep: \(problem.path): \(problem.message)") }
      if !quiet, let rates = merge.mixedRates { printError("audioprep: manifest merge: warning: the inputs were written at \(rates): shards run with other options") }
      if !quiet { printError("audioprep: manifest merge: " + merge.summary(manifestCount: manifests.count)) }
      guard merge.problems.isEmpty else { throw ExitCode(ExitStatus.dataError) }
      // Nothing to merge is no merged manifest (review33n W2: a 0-byte file the export then refused).
      guard !merge.records.isEmpty else {
        throw CommandFailure(manifests.count == 1 ? manifests[0] : "manifest merge", "holds no manifest record: nothing to merge", code: ExitStatus.dataError)
      }
      if let output {
        TemporaryFiles.install(.exitAtOnce)
        // What an export may never write, a merge may not either (a manifest it was not
        // given and that is no other shard's is replaced with --force: it is what a merge writes).
        let protection = ExportProtection(manifests: contents, batchDirectory: PathName.currentDirectory())
        try protection.refuse(writing: output, manifestsMayBeReplaced: true)
        let committed = CommittedOutputs()
        try writeText(parts: merge.records.lazy.map { $0.json.encoded + "\n" }, to: try openTextOutput(output, overwrite: force), into: committed)
        committed.removeTemporariesDeadRunsLeft()
        do { try committed.settle() } catch let error as AudioIOError { throw CommandFailure(error, inputPath: error.path) }
      }
    } catch let failure as CommandFailure {
      printError("audioprep: \(failure.path): \(failure.message)")
      throw ExitCode(failure.code)
    }
  }
}
