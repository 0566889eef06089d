import ArgumentParser
import DSP
import Glibc

/// `audioprep manifest export --to FORMAT MANIFEST... -o DEST`: batch manifests as the training
/// toolkits read them.
struct ManifestExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write batch manifests as Kaldi, NeMo, Lhotse, Hugging Face or CSV manifests.",
    // The synopsis argument-parser writes is wider than 80 columns: this one fits.
    usage: "audioprep manifest export --to <format> <manifest> ... -o <dest> [<opts>]",
    discussion: """
      One record per input (or per segment), however many runs and shards the
      manifests hold: each manifest's latest line per input counts, and an input
      in several manifests is taken from the first. Failed inputs are left out,
      and so are recordings and segments of no samples (with a warning).
      Paths in the manifests are taken from the current directory, as batch
      wrote them: run export where batch ran.

      FORMATS AND DEST
        kaldi   DEST/ wav.scp utt2spk spk2utt utt2dur [segments] [text]
        lhotse  DEST/ recordings.jsonl.gz supervisions.jsonl.gz
        hf      DEST/metadata.csv (or .jsonl): DEST is the audiofolder, the
                audio must lie below it (give the batch's --out-dir)
        nemo    DEST is the manifest file (JSON lines), - for standard output
        csv     DEST is the CSV file, - for standard output
      A transcript STEM.txt beside an input is its text.

      EXAMPLE
        audioprep manifest export --to kaldi out/manifest.jsonl -o data/train

      EXIT STATUS
        0    written
        64   usage error
        65   a manifest line is not a record, a record or a segments list is
             damaged (a record's paths too: output not OUT/DIR/STEM.EXT of its
             relative_path, or that absolute or with .., an input not ROOT/
             relative_path, or below a root no input of which holds its
             recorded bytes; a missing hash; numbers the output's header,
             or (offsets) the input, contradicts), two
             inputs share a relative path, ids or speakers collide, a
             name holds a line break (kaldi), a pipe cannot repeat the batch's
             processing (kaldi offsets: dithered, unknown params), a transcript is
             over 1 MiB, holds a control character or is no regular file (a
             FIFO, a directory, a device, a link to nothing)
        66   a manifest (a file or a pipe, - for standard input), a segments
             list or a recorded output cannot be read, or an output, segment,
             input whose transcript is read, or (offsets) input no longer holds
             the bytes the batch recorded
        73   an output exists, or an earlier export's file of the format would
             stay beside the new ones (add --force); an output cannot be
             created; or it is a file a record names (input, transcript,
             output, whatever its status), a manifest, or an input's STEM.txt
             (never written, --force or not)
        74   I/O error while writing: no file lands, what was there is back
      """)

  @Option(help: ArgumentHelp("The toolkit to write for.", valueName: "format"))
  var to: ExportFormat

  @Argument(help: ArgumentHelp("Batch manifests (shards, runs).", valueName: "manifest"), completion: .file())
  var manifests: [String]

  @Option(name: .shortAndLong, help: ArgumentHelp("Output directory (kaldi, lhotse, hf) or file (nemo, csv).", valueName: "dest"), completion: .file())
  var output: String

  @Option(help: ArgumentHelp("A segmented input as its segment files (files) or as the input with each segment's offset (offsets).", valueName: "style"))
  var segments: ExportOptions.SegmentStyle = .files

  @Option(help: ArgumentHelp("Audio paths absolute, or relative to DEST's directory (hf: always relative).", valueName: "style"))
  var paths: ExportOptions.PathStyle = .absolute

  @Option(name: .customLong("speaker-from"), parsing: .unconditional, help: ArgumentHelp("utterance (each its own speaker), parent (the input's directory) or N (the Nth directory below the batch root).", valueName: "rule"))
  var speakerFrom = "utterance"

  @Option(help: ArgumentHelp("hf: metadata.jsonl (the default) or metadata.csv.", valueName: "kind"))
  var metadata: HuggingFaceExport.Metadata = .jsonl

  @Option(name: .customLong("audioprep-command"), help: ArgumentHelp("kaldi: the audioprep that wav.scp's pipes run (segments as offsets, outputs other than 16-bit WAV).", valueName: "path"))
  var audioprepCommand = "audioprep"

  @Flag(help: "Replace existing output files.")
  var force = false

  @Flag(name: .shortAndLong, help: "No warnings and no summary line.")
  var quiet = false

  func validate() throws {
    guard SpeakerRule(argument: speakerFrom) != nil else {
      throw ValidationError("--speaker-from: '\(speakerFrom)' is not utterance, parent or a directory level 1, 2, …")
    }
    if output.isEmpty { throw ValidationError("-o: an empty name names no file or directory") }
    if to.writesDirectory && output == "-" {
      throw ValidationError("--to \(to.rawValue) writes a directory: -o - (standard output) is for nemo and csv")
    }
    // A word of every wav.scp pipe: a line break would end the line there (the rest a command
    // of its own, which Kaldi runs), and an empty one would run the input's name.
    if audioprepCommand.isEmpty || audioprepCommand.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) {
      throw ValidationError("--audioprep-command: '\(audioprepCommand)' is empty or holds a line break")
    }
    if to == .hf && segments == .offsets {
      throw ValidationError("--to hf: an audiofolder holds whole files; --segments offsets is for kaldi, nemo, lhotse and csv")
    }
  }

  func run() throws {
    // The directories of DEST this export creates: a failed export removes them again.
    var created: [String] = []
    var lock: DestinationLock?
    defer { withExtendedLifetime(lock) {} }
    do {
      TemporaryFiles.install(.exitAtOnce)
      for manifest in manifests { ProtectedFiles.protectInput(manifest) }
      let contents = try manifests.map { ($0, try ManifestFile.read($0, streams: true)) }
      var options = ExportOptions()
      // No file a record names may be replaced by the export, --force or not.
      var protection = ExportProtection(manifests: contents, batchDirectory: options.batchDirectory)
      let records = try mergedRecords(contents)
      let writesDirectory = to.writesDirectory
      options.segments = segments
      options.paths = to == .hf ? .relative : paths
      options.speaker = SpeakerRule(argument: speakerFrom)!
      options.origins = Self.origins(contents)
      if writesDirectory {
        if let status = Descriptor.status(output), !status.isDirectory {
          throw CommandFailure(
            output, "is not a directory: --to \(to.rawValue) writes a directory (nemo and csv write one file)",
            code: ExitStatus.cannotCreate)
        }
        created = Self.missingDirectories(output)
        do { try OutputDirectory.makeDirectories(output) } catch let error as AudioIOError {
          throw CommandFailure(error, inputPath: output)
        }
        // Another export into DEST lands first, whole; this one then looks at what is there.
        lock = try DestinationLock(directory: output)
        if to == .kaldi { try KaldiExport.refuseDerivedFiles(in: output) }
      }
      options.destinationDirectory = writesDirectory ? output : PathName.directoryPrefix(output)
      let corpus = try ExportCorpus(records: records, options: options)
      protection.protect(corpus.segmentFiles)
      if to == .hf { try HuggingFaceExport.refuseUnlistedAudio(below: output, corpus: corpus) }
      if !quiet { for warning in corpus.warnings { printError("audioprep: \(warning.path): \(warning.message)") } }
      if to == .hf, metadata == .csv, !quiet {
        for warning in [HuggingFaceExport.missingInPandas(corpus), HuggingFaceExport.numbersInPandas(corpus)].compactMap({ $0 }) {
          printError("audioprep: \(PathName.join(output, "metadata.csv")): \(warning)")
        }
      }
      let files = try to.files(
        for: corpus, fileName: PathName.lastComponent(output), metadata: metadata, audioprepCommand: audioprepCommand)
      let destinations = files.map { writesDirectory ? PathName.join(output, $0.name) : output }
      for path in destinations { try protection.refuse(writing: path) }
      // A file of the format's this export does not write would be read with it (an earlier
      // export's stale `segments`, a second audiofolder metadata file, a `text` of the user's):
      // removed with --force, else refused, without saying whose it is (review47 W04: a `text`
      // made by hand was called an earlier export's).
      let written = Set(files.map(\.name))
      let stale = writesDirectory
        ? to.fileNames.filter { !written.contains($0) && Descriptor.status(PathName.join(output, $0), following: false) != nil } : []
      for name in stale {
        let path = PathName.join(output, name)
        try protection.refuse(writing: path)
        guard force else {
          throw CommandFailure(
            path, "is a file this export does not write (an earlier export's, or yours), which would be read with what it writes: move it away, or add --force to remove it",
            code: ExitStatus.cannotCreate)
        }
      }
      try ExportWriter.write(files, into: writesDirectory ? output : nil, path: output, overwrite: force, removing: stale)
      if !quiet {
        let failed = records.filter { $0.status == .failed }.count
        let outside = records.filter { $0.skipReason != nil }.count
        let skipped = outside > 0 ? " and \(outside) skipped by their length" : ""
        // How many utterances have no transcript (STEM.txt): Kaldi's text then holds the id
        // alone, which Lhotse's Kaldi importer refuses, or no text file at all (review33m W1).
        let untranscribed = corpus.utterances.filter { $0.text.isEmpty }.count
        let transcripts =
          untranscribed == 0 || corpus.utterances.isEmpty ? ""
          : untranscribed == corpus.utterances.count
            ? (to == .kaldi && !corpus.hasSegments ? "; no transcripts (STEM.txt): no text file (validate_data_dir.sh --no-text)" : "; no transcripts (STEM.txt)")
            : "; \(untranscribed) of \(corpus.utterances.count) without a transcript (STEM.txt)" + (to == .kaldi ? ": their text lines hold the id alone" : "")
        printError(
          "audioprep: manifest export: \(Text.count(records.count - failed - outside, "input")) (left out: \(failed) failed\(skipped)) → "
            + "\(Text.count(corpus.recordings.count, "recording")), \(Text.count(corpus.utterances.count, "utterance"))\(transcripts): "
            + destinations.joined(separator: ", "))
      }
    } catch let failure as CommandFailure {
      for directory in created.reversed() { try? Descriptor.removeDirectory(directory) }  // only if empty
      printError("audioprep: \(failure.path): \(failure.message)")
      throw ExitCode(failure.code)
    }
  }

  /// The directories of `path` (itself included) that do not exist, outermost first.
  private static func missingDirectories(_ path: String) -> [String] {
    var prefix = path.hasPrefix("/") ? "/" : ""
    var missing: [String] = []
    for component in path.split(separator: "/") {
      prefix += component
      if Descriptor.status(prefix, following: false) == nil { missing.append(prefix) }
      prefix += "/"
    }
    return missing
  }

  /// The manifests' records, one per input, as `manifest merge` joins them (`merged`); what
  /// makes a merge incomplete (a missing shard, inputs missing) is a warning: the export holds
  /// what is there.
  private func mergedRecords(_ contents: [(path: String, contents: ManifestFile.Contents)]) throws -> [ManifestRecord] {
    let merge = try Self.merged(contents)
    // The count of inputs missing overall repeats what a shard's shortfall or absence says,
    // when one is said; duplicates say nothing of it (review33n H1: inputs lost to shards run
    // on different listings were exported without a word).
    let saysWhatIsMissing = merge.problems.contains { $0.message.contains("inputs missing") && $0.path != "manifest merge" || $0.message.hasPrefix("no manifest given") }
    let warnings = saysWhatIsMissing ? merge.problems.filter { $0.path != "manifest merge" } : merge.problems
    // An input in two manifests is exported once, from the first: one line for them all, not
    // one each saying "exported without it" (review33m W2).
    let duplicated = warnings.filter { $0.message.hasPrefix("duplicated: ") }
    if !quiet {
      for warning in warnings where !warning.message.hasPrefix("duplicated: ") {
        printError("audioprep: \(warning.path): \(warning.message) (the export holds what is there)")
      }
      if let first = duplicated.first {
        // Inputs, not records: an input in three manifests is one input (review33p W4).
        let inputs = Set(duplicated.map(\.path)).count
        let others = inputs > 1 ? " (and \(Text.count(inputs - 1, "other input")))" : ""
        printError("audioprep: \(first.path): \(first.message)\(others): each exported once, from the first manifest given that holds it")
      }
    }
    if !quiet, let rates = merge.mixedRates {
      printError(
        "audioprep: manifest export: warning: the inputs were written at \(rates) (batches or shards run with other options): "
          + "Kaldi's and Lhotse's features need one rate (resample with a batch at one --rate, or Lhotse's cut.resample)")
    }
    guard !merge.records.isEmpty else {
      throw CommandFailure(manifests[0], "holds no manifest record", code: ExitStatus.dataError)
    }
    return merge.records
  }

  /// The manifests joined as `manifest merge` joins them; a line that is not a record fails the
  /// export (65).
  static func merged(_ contents: [(path: String, contents: ManifestFile.Contents)]) throws -> ManifestMerge {
    // The first manifest holding each relative path, and its input there.
    var first: [PathKey: (input: String, manifest: String)] = [:]
    // Each input (resolved lexically) of the latest records: its relative path and line.
    var inputs: [PathKey: (relative: String, origin: RecordOrigin)] = [:]
    for (path, manifest) in contents {
      if let problem = manifest.badLinesProblem { throw CommandFailure(path, problem, code: ExitStatus.dataError) }
      let damaged = { (index: Int, problem: String) in
        CommandFailure(path, "line \(manifest.line(ofRecord: index)) is damaged: \(problem)", code: ExitStatus.dataError)
      }
      // A path no batch writes (hand-edited, `..` out of the out-dir), a hash it always
      // writes missing: never exported.
      var roots: [(root: String, indices: [Int])] = []
      for (index, record) in manifest.records.enumerated() {
        if let problem = RecordPaths.problem(of: record) ?? RecordHashes.problem(of: record) { throw damaged(index, problem) }
        let root = RecordPaths.root(of: record)!
        if let at = roots.firstIndex(where: { PathKey.same($0.root, root) }) { roots[at].indices.append(index) } else { roots.append((root, [index])) }
      }
      // One manifest is one batch: its inputs lie below its root, or, given several directories,
      // below each of its roots. A root of several is taken when an input below it still holds
      // the bytes its record says (`input_hash`); a forged input's (`secret/creds.wav` beside
      // `secret/creds.txt`) has none, and no `STEM.txt` there is read as a transcript.
      if roots.count > 1 {
        let named = { (root: String) in root.isEmpty ? "the directory batch ran in" : "'\(root)'" }
        for (root, indices) in roots where !Self.isShownByAnInput(indices.map { manifest.records[$0] }) {
          let other = roots.first { !PathKey.same($0.root, root) }!
          throw damaged(
            indices[0],
            "its input \(manifest.records[indices[0]].input) lies below \(named(root)) (the input less its relative_path), line "
              + "\(manifest.line(ofRecord: other.indices[0]))'s below \(named(other.root)), and no input below \(named(root)) "
              + "holds the bytes its record says: the inputs of one batch lie below its roots")
        }
      }
      // One input under two relative paths: two recordings of one file.
      for (index, record) in Self.latestIndices(manifest) {
        let key = PathKey(PathName.resolved(record.input, in: "/"))
        let origin = RecordOrigin(manifest: path, line: manifest.line(ofRecord: index))
        if let other = inputs[key], !PathKey.same(other.relative, record.relativePath) {
          throw damaged(
            index,
            "its input \(record.input) is also the input of \(other.origin.manifest) line \(other.origin.line), "
              + "under the relative path '\(other.relative)': two records of one input")
        }
        inputs[key] = inputs[key] ?? (record.relativePath, origin)
      }
      // One relative path for two inputs (two corpora batched apart): two recordings, one id.
      for (relative, index) in manifest.latestIndexByRelativePath {
        let record = manifest.records[index]
        guard let earlier = first[relative] else {
          first[relative] = (record.input, path)
          continue
        }
        if !PathKey.same(PathName.resolved(earlier.input, in: "/"), PathName.resolved(record.input, in: "/")) {
          throw CommandFailure(
            record.input,
            "recorded in \(path) under the relative path '\(relative.path)', as \(earlier.input) is in \(earlier.manifest): "
              + "two recordings would get one id (export the batches apart)",
            code: ExitStatus.dataError)
        }
      }
    }
    return ManifestMerge(contents)
  }

  /// Whether one of the first three of `records` (of one root) names an input, a regular file,
  /// that holds the bytes its `input_hash` says: the root is one the batch read. A root none of
  /// whose inputs is there passes: nothing below it is read (no transcript is read beside an
  /// input that is not there), and a batch of two directories whose inputs were removed after
  /// it exports (review31m H3: refused as damaged).
  private static func isShownByAnInput(_ records: [ManifestRecord]) -> Bool {
    if records.allSatisfy({ Descriptor.status($0.input) == nil }) { return true }
    return records.prefix(3).contains { record in
      guard let hash = record.inputHash, Descriptor.status(record.input)?.isRegular == true else { return false }
      return (try? ContentHash.ofFile(at: record.input))?.description == hash
    }
  }

  /// The latest record of each relative path in `manifest` (a rerun's line replaces the
  /// earlier ones), with its index, in the order of the manifest.
  private static func latestIndices(_ manifest: ManifestFile.Contents) -> [(index: Int, record: ManifestRecord)] {
    manifest.latestIndexByRelativePath.values.sorted().map { ($0, manifest.records[$0]) }
  }

  /// Where each relative path's record is read from, as `merged` takes it: the first manifest
  /// holding it, its latest line there.
  static func origins(_ contents: [(path: String, contents: ManifestFile.Contents)]) -> [PathKey: RecordOrigin] {
    var origins: [PathKey: RecordOrigin] = [:]
    for (path, manifest) in contents {
      for (index, record) in latestIndices(manifest) where origins[PathKey(record.relativePath)] == nil {
        origins[PathKey(record.relativePath)] = RecordOrigin(manifest: path, line: manifest.line(ofRecord: index))
      }
    }
    return origins
  }
}

extension ExportOptions.SegmentStyle: CaseInsensitiveArgument {}
extension ExportOptions.PathStyle: CaseInsensitiveArgument {}
extension HuggingFaceExport.Metadata: CaseInsensitiveArgument {}
extension ExportFormat: CaseInsensitiveArgument {}
