import ArgumentParser
import DSP
import Glibc

/// `audioprep batch INPUT... --out-dir DIR [options]`: a whole corpus, in parallel, resumable,
/// one manifest line per input.
struct BatchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "batch",
    abstract: "Process many recordings into a mirrored tree, in parallel, resumably.",
    discussion: """
      Directories are walked recursively; a file is a recording when it has an
      audio extension or libsndfile or FFmpeg can open it. A recording neither
      decodes is a failed record; a directory holding none is an error (65).
      Outputs mirror the inputs below --out-dir with the output extension (-o
      does not apply). Each
      input gets one line in the manifest (DIR/manifest.jsonl) as it finishes;
      a rerun skips an input whose output exists and whose input hash and
      options match its last line. --force reprocesses everything.

      EXAMPLES
        audioprep batch corpus/ --out-dir corpus-16k
        find corpus -name '*.flac' | audioprep batch --from-list - --out-dir out
        audioprep batch corpus/ --out-dir out --shard 3/10 -j 4

      EXIT STATUS
        0    every input ok or skipped (with --allow-failed, also when every
             failed input failed before in the same way)
        64   usage error, or an input path that would land outside --out-dir
        65   some inputs failed (each is in the manifest with its error), or a
             directory held no audio audioprep can decode
        73   the output directory or the manifest cannot be created
        74   the manifest cannot be written
        130  interrupted (SIGINT); 143 terminated (SIGTERM); 129 hung up
             (SIGHUP, unless ignored as under nohup): finished inputs are in
             the manifest, no partial output is left, and a rerun completes
             the rest
      """)

  @Argument(help: ArgumentHelp("Files and directories to process.", valueName: "input"), completion: .file())
  var inputs: [String] = []

  @Option(name: .customLong("out-dir"), help: ArgumentHelp("Directory the outputs mirror the inputs into.", valueName: "dir"), completion: .directory)
  var outputDirectory: String

  @Option(name: .customLong("from-list"), help: ArgumentHelp("Also process the paths in this file, one a line (- for standard input).", valueName: "file"), completion: .file())
  var listPath: String?

  @Option(name: [.customShort("j"), .customLong("jobs")], parsing: .unconditional, help: ArgumentHelp("Files processed in parallel: a count, or auto (default: the number of cores).", valueName: "n"), transform: CountArgument.parseOrAuto)
  var jobsArgument: CountArgument?

  /// `-j N`; nil for the default (also `-j auto`).
  var jobsOption: Int? { jobsArgument?.count }

  /// Refused with a line saying why: batch writes below --out-dir (hidden from the help).
  @Option(name: .shortAndLong, help: .hidden)
  var output: String?

  /// Refused with a line saying why: batch writes each input's sidecar beside its segments
  /// (hidden from the help and the completions: review33h W11).
  @Option(name: .customLong("segments-list"), help: .hidden)
  var segmentsList: String?

  @Option(help: ArgumentHelp("Manifest path (default: DIR/manifest.jsonl, or DIR/manifest.K-of-N.jsonl with --shard).", valueName: "path"), completion: .file())
  var manifest: String?

  @Option(parsing: .unconditional, help: ArgumentHelp("Process only shard K of N (K from 0 to N-1): the corpus split into N parts of nearly equal bytes that every worker computes alike.", valueName: "K/N"), transform: Shard.parse)
  var shard: Shard?

  @Flag(help: "Stop taking new inputs after the first failure.")
  var failFast = false

  @Flag(help: "Exit 0 when every input that failed had failed before with the same error, the same input bytes and options (a permanently corrupt file on a rerun); a new failure still exits 65.")
  var allowFailed = false

  @Flag(inversion: .prefixedNo, help: "Show a progress line on standard error (default: only on a terminal, and not with --quiet).")
  var progress: Bool?

  @Flag(name: .shortAndLong, help: "Print no warnings, and no summary line unless --summary; errors are still printed.")
  var quiet = false

  @Flag(help: "Print the one-line summary after the run, also with --quiet (without --quiet it is printed anyway).")
  var summary = false

  @Flag(help: "Measure each input's and output's EBU R128 loudness (integrated LUFS, range LU, true peak dBTP, sample peak dBFS) into its manifest line: input_* and output_* fields.")
  var measureLoudness = false

  @Option(name: .customLong("min-duration"), parsing: .unconditional, help: ArgumentHelp("Skip inputs shorter than this (e.g. 1s; the length their header gives, or counted by decoding when it gives none): each gets a skipped record with its skip_reason, left out of exports.", valueName: "duration"), transform: DurationArgument.parsing)
  var minDuration: DurationArgument?

  @Option(name: .customLong("max-duration"), parsing: .unconditional, help: ArgumentHelp("Skip inputs longer than this (e.g. 30s), as --min-duration skips shorter ones.", valueName: "duration"), transform: DurationArgument.parsing)
  var maxDuration: DurationArgument?

  @Flag(name: .customLong("segment-longer-only"), help: "With --segment: cut only inputs longer than the segment; a shorter one (or one as long) is written whole, named as without --segment (OUT/REL/STEM.EXT, no sidecar).")
  var segmentLongerOnly = false

  @OptionGroup(title: "Output") var outputOptions: OutputOptions
  @OptionGroup var pipeline: PipelineOptions
  @OptionGroup(title: "Raw input") var raw: RawInputOptions
  @OptionGroup(title: "Decoding") var decoding: DecoderOptions


  /// Files at once: -j, or the number of cores.
  var jobs: Int { jobsOption ?? availableCores() }

  mutating func validate() throws {
    try EmptyPath.refuse([("--out-dir", outputDirectory), ("--from-list", listPath)])
    guard !inputs.isEmpty || listPath != nil else {
      throw ValidationError("give INPUT files or directories, or --from-list")
    }
    guard output == nil else {
      throw ValidationError("batch writes below --out-dir; -o/--output is for process")
    }
    if segmentsList != nil {
      throw ValidationError("--segments-list is for process; batch writes each input's sidecar beside its segments, OUT/REL/STEM.segments.jsonl")
    }
    try outputOptions.validate(with: pipeline)
    if let minDuration, !(minDuration.seconds >= 0) {
      throw ValidationError("--min-duration cannot be negative, got \(minDuration.seconds)s")
    }
    if let maxDuration, !(maxDuration.seconds > 0) { throw ValidationError("--max-duration 0 would skip every input") }
    if let minDuration, let maxDuration, minDuration.seconds > maxDuration.seconds {
      throw ValidationError("--min-duration (\(minDuration.seconds)s) is longer than --max-duration (\(maxDuration.seconds)s): every input would be skipped")
    }
    if segmentLongerOnly && outputOptions.segment == nil {
      throw ValidationError(
        outputOptions.utterances
          ? "--segment-longer-only is for --segment windows; --utterances cuts every input at its speech"
          : "--segment-longer-only needs --segment (e.g. --segment 30s --segment-longer-only)")
    }
    if let jobsOption, !(1...1024).contains(jobsOption) {
      throw ValidationError("-j must lie between 1 and 1024, got \(jobsOption)")
    }
    let container = outputOptions.format ?? .wav
    let format = OutputFileFormat(container: container, encoding: outputOptions.encoding)
    let channels = pipeline.keepChannels ? 2 : 1
    if let reason = format.unsupportedReason(sampleRate: pipeline.rate, channels: channels) {
      throw ValidationError(reason)
    }
  }

  func run() throws {
    do {
      try runBatch()
    } catch let failure as CommandFailure {
      printError("audioprep: \(failure.path): \(failure.message)")
      throw ExitCode(failure.code)
    }
  }

  private func runBatch() throws {
    // While the inputs are read (a --from-list on a pipe may wait for its writer), a signal
    // ends the run at once: nothing is written yet. Graceful stops begin with the outputs.
    TemporaryFiles.install(.exitAtOnce)
    if !quiet, let warning = pipeline.stream.liveWarning(input: "", subject: "batch") { printError(warning) }
    if !quiet { printError(lines: pipeline.chain.shape.warnings + outputOptions.warnings) }
    // An input on the command line that does not exist is a typo, or a pattern the shell
    // left as typed: refused (66) before the output directory or manifest is created.
    let missing = inputs.filter { Descriptor.status($0) == nil && KaldiTable.inputRefusal($0) == nil }
    if !missing.isEmpty {
      let pattern = missing.contains { $0.contains(where: { "*?[".contains($0) }) } ? " (a pattern the shell left as typed: no file matches it)" : ""
      throw CommandFailure(missing.joined(separator: ", "), "No such file or directory\(pattern)", code: ExitStatus.noInput)
    }
    var collector = InputCollector(excluding: outputDirectory, rawInput: raw.anyGiven, decoding: decoding)
    collector.add(inputs + (try listPath.map(InputCollector.readList) ?? []))
    if let overlapped = collector.directoryOverlapping(outputDirectory) {
      throw CommandFailure(
        outputDirectory,
        "is the input directory \(overlapped) or contains it; outputs would mix with the recordings (choose a directory outside it, or a subdirectory of it, which batch leaves out of its inputs)",
        code: ExitStatus.usage)
    }
    // Known before any output is opened: no output may replace an input.
    for input in collector.inputs { ProtectedFiles.protectInput(input.path) }
    if let listPath { ProtectedFiles.protectInput(listPath) }
    let container = outputOptions.format ?? .wav
    // With --segment each input's output is its sidecar list; the segments sit beside it.
    let plan = BatchPlan(
      inputs: collector.inputs, outputDirectory: outputDirectory,
      outputExtension: !outputOptions.segments ? container.fileExtension : "segments.jsonl", shard: shard)
    let refusals = collector.refusals + plan.refusals
    if !refusals.isEmpty {
      for refusal in refusals { printError("audioprep: \(refusal.path): \(refusal.message)") }
      throw ExitCode(refusals.map(\.code).max() ?? ExitStatus.usage)
    }
    let manifestPath = manifest ?? PathName.join(outputDirectory, shard?.manifestName ?? "manifest.jsonl")
    try plan.refuseManifest(
      at: manifestPath, segmentExtension: outputOptions.segments ? container.fileExtension : nil,
      keepsShortInputsWhole: segmentLongerOnly)
    for empty in collector.emptyDirectories { printError("audioprep: \(empty.path): \(empty.message)") }
    if !quiet { for entry in collector.unread { printError("audioprep: \(entry.line)") } }

    TemporaryFiles.install(.stopGracefully)
    let outputRoot: OutputDirectory
    do {
      try OutputDirectory.makeDirectories(outputDirectory)
      outputRoot = try OutputDirectory.open(outputDirectory)
    } catch let error as AudioIOError {
      throw CommandFailure(error, inputPath: outputDirectory)
    }
    let manifestFile = try ManifestFile(appendingTo: manifestPath, replaceLink: outputOptions.force)
    let mine = Set(plan.items.map { PathKey($0.input.relativePath) })
    let outputNames = Set(plan.items.map { PathKey(BatchPlan.outputName($0.input.relativePath)) })
    let earlier = try ManifestFile.latestRecords(manifestPath, of: mine, outputNames: outputNames)
    // And the other manifests batches keep in DIR (the unsharded one, each shard's): a corpus
    // batched there under another of them owns what it wrote as much (review44 H01: a plain
    // or segment clash with a shard's outputs went unseen, exit 0).
    var owners = earlier.owners
    // (And this corpus's own records there: an input moved to another shard, or batched
    // unsharded before, wrote its output under that manifest: review46 H02.)
    var elsewhere: [PathKey: (record: ManifestRecord, manifest: String)] = [:]
    for other in ManifestFile.othersKeptIn(outputDirectory, besides: manifestPath) {
      guard let found = try? ManifestFile.latestRecords(other, of: mine, outputNames: outputNames) else { continue }
      owners.merge(found.owners) { current, _ in current }
      elsewhere.merge(found.records.mapValues { ($0, other) }) { current, _ in current }
    }
    if earlier.badLines > 0 && !quiet {
      printError("audioprep: \(manifestPath): \(Text.count(earlier.badLines, "line")) not manifest records; ignored")
    }

    let style: BatchProgress.Style =
      switch progress ?? (!quiet && Descriptor.isTerminal(STDERR_FILENO)) {
      case false: .silent
      case true: Descriptor.isTerminal(STDERR_FILENO) ? .redrawn : .appended
      }
    // No more workers than the open-file limit has room for (review37b V7, V8).
    let workers = OpenFileLimit.workers(jobs)
    if let note = workers.note, !quiet { printError("audioprep: batch: \(note)") }
    let progressLine = BatchProgress(
      style: style, total: plan.items.count, totalBytes: plan.items.reduce(0) { $0 + $1.bytes },
      workers: min(workers.count, max(1, plan.items.count)), inputs: plan.items.map { ($0.input.relativePath, $0.bytes) })
    // --threads caps files and segments together: with -j files at once, each file resamples on
    // threads / j threads (at least one), so the cores are not oversubscribed.
    var fileConfiguration = pipeline.configuration
    fileConfiguration.threads = max(1, (pipeline.threads ?? availableCores()) / workers.count)
    fileConfiguration.measuresLoudness = measureLoudness
    let outputFormat = outputOptions.fileFormat(container: container)
    let runner = BatchRunner(
      plan: plan,
      settings: BatchRunner.Settings(
        jobs: workers.count, force: outputOptions.force, failFast: failFast, configuration: fileConfiguration, outputRoot: outputRoot,
        outputFormat: outputFormat,
        raw: raw,
        decoding: decoding,
        params: PipelineFingerprint.make(pipeline: pipeline, container: container, output: outputOptions, raw: raw)
          + (decoding.fingerprint.map { " " + $0 } ?? "") + (segmentLongerOnly ? " segment_longer_only=true" : ""),
        shard: shard,
        segmentation: OutputDestination.SegmentTiming(outputOptions, pad: pipeline.pad), range: outputOptions.range,
        trim: outputOptions.trimSilence ? (outputOptions.speechRules, outputOptions.vadMode ?? 3) : nil,
        durationLimits: BatchRunner.DurationLimits(minimum: minDuration, maximum: maxDuration),
        segmentLongerOnly: segmentLongerOnly,
        warns: !quiet),
      manifest: manifestFile, previous: earlier.records, elsewhere: elsewhere, earlierOwners: owners, progress: progressLine)
    runner.run()

    let stopSignal = TemporaryFiles.stopSignal
    if stopSignal == 0 && runner.fatal == nil {
      StaleTemporaries.remove(below: outputRoot)
      // One line per input: the journal becomes the latest record of each input. A shard drops
      // its own records of inputs that are no longer its own (a changed corpus moves some to
      // other shards); other shards' records (a manifest they share) stay.
      // Any run drops the records of inputs that were below a directory its inputs come from
      // (walked, or holding a file argument or list line) and are there no more (deleted or
      // renamed to drop them: they were exported for ever after, review33m H4, review33n H3);
      // their outputs are the user's to remove, and are named.
      let here = PathName.currentDirectory()
      // An input of this run under another relative path than its record's (a subdirectory
      // batched first, then the whole corpus): the older record is replaced, or every export
      // refused the manifest for two records of one input (review33p H1).
      var relativeOfInput: [PathKey: String] = [:]
      for input in collector.inputs {
        if let path = PathName.absolute(input.path, in: here) { relativeOfInput[PathKey(path)] = input.relativePath }
      }
      // A corpus moved (`mv corpus corpus_v2`): the roots of this run's inputs' earlier records
      // that are gone count as walked, so a record left there of an input the move renamed is
      // dropped too (review33r H1: it was exported beside its new name, the same audio twice).
      var movedRoots: Set<PathKey> = []
      let inputOfRelative = Dictionary(plan.items.map { (PathKey($0.input.relativePath), PathName.absolute($0.input.path, in: here)) }) { first, _ in first }
      for (relative, record) in earlier.records where !PathKey.same(PathName.absolute(record.input, in: here), inputOfRelative[relative] ?? nil) {
        if let root = RecordPaths.root(of: record), Descriptor.status(record.input, following: false) == nil,
          let absolute = PathName.absolute(root.isEmpty ? "." : root, in: here), Descriptor.status(absolute) == nil
        {
          movedRoots.insert(PathKey(absolute))
        }
      }
      let walked = collector.inputDirectories + movedRoots.sorted().map(\.path)
      var gone: [ManifestRecord] = [], moved: [ManifestRecord] = []
      let corpusInputs = Set(plan.corpusItems.compactMap { PathName.absolute($0.input.path, in: here).map(PathKey.init) })
      try manifestFile.compact { record in
        let input = PathName.absolute(record.input, in: here)
        if let input, let relative = relativeOfInput[PathKey(input)], !PathKey.same(relative, record.relativePath) {
          moved.append(record)
          return false
        }
        if !mine.contains(PathKey(record.relativePath)), let input,
          walked.contains(where: { PathName.relative(input, below: $0) != nil }), Descriptor.status(record.input, following: false) == nil
        {
          gone.append(record)
          return false
        }
        // A shard's own record of an input it no longer has: one of this corpus's, now another
        // shard's (the corpus changed), goes; another corpus's batched into the same DIR stays
        // (review44 H05: a second corpus's shards dropped every record of the first).
        guard shard != nil, record.shard == shard, !mine.contains(PathKey(record.relativePath)) else { return true }
        guard let input else { return true }
        return !corpusInputs.contains(PathKey(input)) && !walked.contains(where: { PathName.relative(input, below: $0) != nil })
      }
      let outputs = { (records: [ManifestRecord]) in
        "\(records.count == 1 ? "its output is" : "their outputs are") left (\(records[0].output ?? records[0].relativePath)\(records.count > 1 ? ", …" : ""))"
      }
      if let first = gone.first, !quiet {
        printError(
          "audioprep: \(manifestPath): \(Text.count(gone.count, "record")) dropped: \(gone.count == 1 ? "its input is" : "their inputs are") no longer there (\(first.input)\(gone.count > 1 ? ", …" : "")); "
            + outputs(gone))
      }
      if let first = moved.first, !quiet {
        printError(
          "audioprep: \(manifestPath): \(Text.count(moved.count, "record")) replaced: \(moved.count == 1 ? "its input is" : "their inputs are") now under another relative path (\(first.input) was \(first.relativePath)\(moved.count > 1 ? ", …" : "")); "
            + outputs(moved))
      }
    }
    if summary || !quiet {
      printError(
        progressLine.summary(
          manifest: manifestPath, shard: shard, corpusInputs: plan.corpusInputs, stopSignal: stopSignal,
          allowFailed: allowFailed, unread: collector.unread))
    }
    if let fatal = runner.fatal { throw fatal }
    if stopSignal != 0 { throw ExitCode(128 + stopSignal) }
    let counts = progressLine.counts
    let failuresAccepted = allowFailed && counts.failedAsBefore == counts.failed
    if (counts.failed > 0 && !failuresAccepted) || !collector.emptyDirectories.isEmpty {
      throw ExitCode(ExitStatus.dataError)
    }
  }
}
