import DSP
import Glibc

/// Runs a plan on N threads: each input is hashed, reused from the manifest when nothing changed,
/// or processed by `AudioPipeline.run`, and recorded with one manifest line as soon as it finishes.
///
/// A failed input is recorded and the batch goes on (unless `failFast`). A SIGINT or SIGTERM
/// (`TemporaryFiles.stopSignal`) stops taking inputs; the jobs in flight give up at their next
/// block and their temporary files are removed, so no output under its final name is ever partial.
final class BatchRunner: @unchecked Sendable {
  struct Settings {
    var jobs: Int
    /// Reprocess even when the manifest says the output is up to date.
    var force: Bool
    var failFast: Bool
    var configuration: PipelineConfiguration
    /// --out-dir, open; outputs are created below it without following symlinks.
    var outputRoot: OutputDirectory
    var outputFormat: OutputFileFormat
    var raw: RawInputOptions
    var decoding: DecoderOptions
    /// `PipelineFingerprint` of the options.
    var params: String
    var shard: Shard?
    /// One file per segment (`--segment`); the item's output path is then the sidecar list.
    /// In a batch, segments `STEM_0000.EXT` beside the sidecar `STEM.segments.jsonl`.
    var segmentation: OutputDestination.SegmentTiming?
    /// Only this part of each input (`--start`, `--end`, `--duration`).
    var range: TimeRange? = nil
    /// `--trim-silence`: each input's range is where its speech is (a first pass finds it).
    var trim: (rules: SpeechRegionRules, detectorMode: Int)? = nil
    /// Inputs outside these lengths are skipped (`--min-duration`, `--max-duration`).
    var durationLimits: DurationLimits? = nil
    /// With `segmentation`, an input no longer than the window is written whole (`--segment-longer-only`).
    var segmentLongerOnly = false
    /// Print each input's warnings (not with `--quiet`); errors are printed anyway.
    var warns = true
  }

  /// `--min-duration`, `--max-duration`: the input lengths a batch processes, both bounds kept.
  struct DurationLimits {
    var minimum: DurationArgument?
    var maximum: DurationArgument?

    /// nil without either bound.
    init?(minimum: DurationArgument?, maximum: DurationArgument?) {
      guard minimum != nil || maximum != nil else { return nil }
      (self.minimum, self.maximum) = (minimum, maximum)
    }

    /// Why an input of `seconds` is skipped, or nil when it lies within the limits.
    func skipReason(seconds: Double) -> String? {
      let length = Text.fixed(seconds, 3) + " s"
      if let minimum, seconds < minimum.seconds { return "shorter than --min-duration \(Text.format("%g", minimum.seconds))s (\(length))" }
      if let maximum, seconds > maximum.seconds { return "longer than --max-duration \(Text.format("%g", maximum.seconds))s (\(length))" }
      return nil
    }
  }

  private let plan: BatchPlan
  private let settings: Settings
  private let manifest: ManifestFile
  /// The latest earlier record of each relative path, from the manifest.
  private let previous: [PathKey: ManifestRecord]
  /// The same from the other manifests batches keep in DIR (each shard's, the unsharded one),
  /// each with the manifest's path: what says an input wrote its output when this manifest has
  /// no record of it, or that its relative path is another input's.
  private let elsewhere: [PathKey: (record: ManifestRecord, manifest: String)]
  private let progress: BatchProgress
  /// This run's relative paths.
  private let paths: Set<PathKey>
  /// The latest record of each of `paths` appended to the manifest since this run started, by
  /// it or another run sharing the manifest: read, and guarded, by `manifest.recordingAlone`.
  private var appended: [PathKey: ManifestRecord] = [:]
  private let monitor = MonitorLock()
  // Guarded by `monitor`:
  private var next = 0
  private var stopTaking = false
  private var runningWorkers = 0
  private(set) var fatal: CommandFailure?

  /// Earlier runs' inputs, not this run's, that have an output, by the name it takes
  /// (`ManifestFile.outputName`): an input of this run differing from one only in its extension
  /// would replace that output (review40 G10: a second batch on one --out-dir did, exit 0).
  private let earlierOwners: [PathKey: ManifestRecord]
  /// The earlier owners whose output names are a segment's name of another (`x_0000` of `x`),
  /// by that other name: each with its own output name.
  private let earlierSegmentNames: [PathKey: [(name: String, record: ManifestRecord)]]

  init(
    plan: BatchPlan, settings: Settings, manifest: ManifestFile, previous: [PathKey: ManifestRecord],
    elsewhere: [PathKey: (record: ManifestRecord, manifest: String)] = [:], earlierOwners: [PathKey: ManifestRecord] = [:], progress: BatchProgress
  ) {
    self.plan = plan
    self.settings = settings
    self.manifest = manifest
    self.previous = previous
    self.elsewhere = elsewhere
    self.earlierOwners = earlierOwners
    earlierSegmentNames = Dictionary(
      grouping: earlierOwners.compactMap { name, record in
        BatchPlan.segmentParent(ofOutputName: name.path).map { (parent: PathKey($0), name: name.path, record: record) }
      }, by: \.parent
    ).mapValues { $0.map { ($0.name, $0.record) } }
    self.progress = progress
    paths = Set(plan.items.map { PathKey($0.input.relativePath) })
  }

  /// Processes every item (or stops early); returns when all workers are done.
  func run() {
    let workers = max(1, min(settings.jobs, plan.items.count))
    monitor.withLock { runningWorkers = workers }
    let threads = (0..<workers).map { _ in JoinableThread { self.work() } }
    monitor.withLock {
      progress.draw()
      while runningWorkers > 0 {
        monitor.wait(seconds: 0.5)
        progress.draw()
      }
      progress.clear()
    }
    for thread in threads { thread.join() }
  }

  private func work() {
    var taken = monitor.withLock { takeItem() }
    while let item = taken {
      let outcome = processWithDescriptors(item)
      // The next input is taken under the same lock the record is counted under: the progress
      // line, drawn under it too, never sees this worker between two inputs (it dropped the
      // "(+1)" and flipped to the full layout each time a file finished).
      taken = monitor.withLock {
        defer { monitor.broadcast() }
        finish(item, outcome)
        return takeItem()
      }
    }
    monitor.withLock {
      runningWorkers -= 1
      monitor.broadcast()
    }
  }

  /// What processing one input gave: its record (nil when interrupted), the failure to print,
  /// and how the record goes into the manifest.
  private struct Outcome {
    var record: ManifestRecord?
    var failure: CommandFailure?
    var recording = Recording.toAppend
  }

  /// How an input's record goes into the manifest: appended by `finish`; appended already, as
  /// its outputs settled (or what stopped that); or not at all (an earlier record stays).
  private enum Recording {
    case toAppend
    case appended(failure: (any Error)?)
    case not
  }

  /// Counts and prints what processing one input gave. Called with `monitor` held.
  private func finish(_ item: BatchPlan.Item, _ outcome: Outcome) {
    guard var record = outcome.record else { return }
    var failure = outcome.failure
    var appendFailure: (any Error)?
    switch outcome.recording {
    case .toAppend:
      do {
        if let other = try recordingAlone(record, { try manifest.append(record) }) {
          failure = lostTo(other, item: item)
          record.status = .failed
          record.error = failure?.message
        }
      } catch {
        appendFailure = error
      }
    case .appended(let error): appendFailure = error
    case .not: break
    }
    if let appendFailure {
      if fatal == nil { fatal = (appendFailure as? CommandFailure) ?? CommandFailure(appendFailure, inputPath: manifest.path) }
      stopTaking = true
      return
    }
    progress.record(record, bytes: item.bytes, failedAsBefore: failedAsBefore(record))
    if let failure {
      progress.error("audioprep: \(failure.path): \(failure.message)")
      if settings.failFast { stopTaking = true }
    }
    // The warnings process prints for one input (clipping is only counted: the summary says
    // it), for an input processed now: a skipped one's record keeps its earlier warning.
    guard settings.warns, record.status == .ok else { return }
    if let truncation = record.truncation {
      progress.error("audioprep: \(record.input): \(truncation); kept what is there")
    }
    if let normalization = record.normalization,
      let warning = LoudnessText.shortfallWarning(normalization, name: record.input)
    {
      progress.error(warning)
    }
    if record.status == .ok, let seconds = record.durationSeconds,
      let warning = OutputChecks.rangePastTheEnd(input: record.input, range: settings.range, inputSeconds: seconds)
    {
      progress.error(warning)
    }
    if let repaired = record.repairedSamples, repaired > 0 {
      progress.error("audioprep: \(record.input): \(Text.count(repaired, "float sample")) repaired (NaN or infinite replaced by 0, beyond ±1024 clamped)")
    }
  }

  /// The next input, now in flight, or nil. Called with `monitor` held.
  private func takeItem() -> BatchPlan.Item? {
    guard !stopTaking, TemporaryFiles.stopSignal == 0, next < plan.items.count else { return nil }
    defer { next += 1 }
    progress.started(plan.items[next].input.relativePath, bytes: plan.items[next].bytes)
    return plan.items[next]
  }

  /// `process(item)`, tried again while the process or the system is out of descriptors (other
  /// workers free theirs as they finish): that is no fault of the input. Still out after the
  /// waits, the run stops with 74 and the input has no record, so the next run does it. An
  /// output that does not fit (its file system full, the quota spent, `ulimit -f`), or whose
  /// directory cannot be made for that, stops it so at once (review63 H4, review64 H1: each
  /// input left was recorded `failed`, 65, which `--allow-failed` accepted on the rerun).
  private func processWithDescriptors(_ item: BatchPlan.Item) -> Outcome {
    for seconds in [0.05, 0.25, 1.0, nil] {
      let result = process(item, earlier: previous[PathKey(item.input.relativePath)])
      if let failure = result.failure, Self.isOutOfRoom(failure) {
        stopTheBatch(
          failure, because: "the output does not fit, not a fault of the input; the batch stopped: rerun it to resume once there is room")
        return Outcome()
      }
      guard let failure = result.failure, OpenFileLimit.isExhaustion(failure.message) else { return result }
      if let seconds {
        usleep(UInt32(seconds * 1_000_000))
        continue
      }
      stopTheBatch(
        failure,
        because: "out of file descriptors (ulimit -n, or the system's), not a fault of the input; "
          + "the batch stopped: rerun it to resume (with a higher ulimit -n, or a lower -j)")
    }
    return Outcome()
  }

  /// Stops taking inputs, the run to end 74 with `failure` and `why` (the first such, if more
  /// inputs in flight stop so): what is no fault of the input gets no record.
  private func stopTheBatch(_ failure: CommandFailure, because why: String) {
    monitor.withLock {
      if fatal == nil { fatal = CommandFailure(failure.path, "\(failure.message): \(why)", code: ExitStatus.ioError) }
      stopTaking = true
    }
  }

  /// Whether `failure` is an output's (74, or 73 for a directory or file that could not be
  /// made) ending in the system's words for a file system that cannot grow: full (`ENOSPC`),
  /// the quota spent (`EDQUOT`), a file at the limit of its size (`EFBIG`). (A name that holds
  /// those words is no such failure: they end the call's words, the message or a clause of it.)
  static func isOutOfRoom(_ failure: CommandFailure) -> Bool {
    guard [ExitStatus.ioError, ExitStatus.cannotCreate].contains(failure.code) else { return false }
    return [ENOSPC, EDQUOT, EFBIG].contains { code in
      let words = ": " + String(cString: strerror(code))
      return failure.message.hasSuffix(words) || failure.message.contains(words + ";")
    }
  }

  /// The manifest record of one input, with the failure to print; no record if interrupted.
  /// `earlier` is the latest record of the input's relative path: the manifest's as the run
  /// started, or one another run appended since.
  private func process(_ item: BatchPlan.Item, earlier: ManifestRecord?) -> Outcome {
    let start = monotonicSeconds()
    let input = item.input
    var record = ManifestRecord(
      input: input.path, relativePath: input.relativePath, output: item.outputPath, status: .failed,
      params: settings.params, shard: settings.shard, corpusInputs: plan.corpusInputs,
      shardInputs: plan.items.count)
    var failure: CommandFailure?
    // The earlier record of the relative path, when it is this input's; and one that is another
    // input's, which stays whatever this one gives (review45 H10).
    var own: OwnRecord?
    var anotherInputs: ManifestRecord?
    // A file under its name was another's: its record, in a manifest another run shares, may be
    // the one this input's would replace (review46 H06: two corpora with one relative path at
    // once, the loser's failed records took the place of the winner's ok ones).
    var outputTaken = false
    do {
      if let problem = input.problem {
        throw CommandFailure(input.path, problem, code: ExitStatus.noInput)
      }
      // Still theirs: as the record's hash says, when it has one (a record in another manifest
      // may be older than what replaced it since).
      if !settings.force, let owner = earlierOwners[PathKey(BatchPlan.outputName(input.relativePath))],
        Descriptor.status(item.outputPath) != nil,
        owner.outputHash == nil || owner.outputHash == (try? ContentHash.ofFile(at: item.outputPath, regularOnly: true))?.description
      {
        throw CommandFailure(
          input.path, BatchPlan.sharedOutput(item.outputPath, owner: owner.input, input: input.path, earlierRun: true),
          code: ExitStatus.cannotCreate)
      }
      let inputHash = try ContentHash.ofFile(at: input.path).description
      record.inputHash = inputHash
      // The latest record of the relative path, here or in another manifest in DIR (review47
      // W05: another corpus's there, in another format, did not refuse this one: both exit 0,
      // and an export of DIR's manifests failed on the two).
      if let (found, manifestPath) = earlier.map({ ($0, manifest.path) }) ?? elsewhere[PathKey(input.relativePath)] {
        own = OwnRecord(found, input: input.path, inputHash: inputHash)
        if own == nil, !settings.force {
          anotherInputs = found
          throw CommandFailure(input.path, anotherInputsPath(found, in: manifestPath, item: item), code: ExitStatus.cannotCreate)
        }
      }
      // Two inputs of this run with one output name: known once the input's own record is (an
      // input batched before keeps its record and output: review48 H03, a.flac added beside
      // a batched a.wav turned a.wav's ok record failed, and an export dropped the recording).
      if let conflict = item.conflict {
        throw CommandFailure(input.path, conflict, code: ExitStatus.cannotCreate)
      }
      let request = AudioPipeline.Input(
        input.path, raw: settings.raw.isRaw(input.path) ? try settings.raw.rawFormat(for: input.path) : nil,
        decoder: settings.decoding.decoder, audioStream: settings.decoding.audioStream)
      // The input's length, read (or counted by decoding) once for the length limits and
      // --segment-longer-only together.
      var measured: (frames: Int64, sampleRate: Int)?
      let length = {
        if let measured { return measured }
        let length = try request.length()
        measured = length
        return length
      }
      if let limits = settings.durationLimits {
        // The same bytes are as long as an earlier record says; others are measured.
        let seconds = try knownSeconds(earlier, inputHash: inputHash) ?? {
          let length = try length()
          return Double(length.frames) / Double(length.sampleRate)
        }()
        if let reason = limits.skipReason(seconds: seconds) {
          record.status = .skipped
          record.skipReason = reason
          record.output = nil
          // An output an earlier run wrote stays where it is, and stays this input's: its name
          // and hash are kept (review46 H04: the next run refused it as a stranger's).
          if let own, let path = own.outputPath(in: PathName.directoryPrefix(item.outputPath)), own.outputStays(at: path) {
            record.output = path
            record.outputHash = own.record.outputHash
            record.keptWhole = own.record.keptWhole
          }
          record.durationSeconds = seconds
          record.wallSeconds = monotonicSeconds() - start
          return Outcome(record: record)
        }
      }
      if !settings.force, let reused = reusableRecord(earlier, for: item, inputHash: inputHash) {
        // Only what the hashes vouch for is taken from the old record: the paths are this run's.
        record = reused
        record.input = input.path
        record.relativePath = input.relativePath
        record.output = reused.keptWhole ? wholeOutputPath(item) : item.outputPath
        record.status = .skipped
        record.error = nil
        record.shard = settings.shard
        record.corpusInputs = plan.corpusInputs
        record.shardInputs = plan.items.count
      } else {
        let directory = try settings.outputRoot.subdirectory(PathName.directoryPrefix(input.relativePath))
        let configuration = settings.configuration
        let keptWhole = try fitsOneWindow(length, configuration: configuration)
        let outputPath = keptWhole ? wholeOutputPath(item) : item.outputPath
        // The record names the output this input would have had, refused or not.
        record.output = outputPath
        if keptWhole, let owner = segmentOwner(of: outputPath) {
          throw CommandFailure(
            input.path,
            "its whole output \(outputPath) has the name of a segment of \(owner) (--segment-longer-only); rename one of them",
            code: ExitStatus.cannotCreate)
        }
        let segmentation = keptWhole ? nil : settings.segmentation
        let pattern = segmentation.map { _ in
          OutputDestination.batchSegmentPattern(list: item.outputPath, fileExtension: settings.outputFormat.container.fileExtension)
        }
        let replaceable = own?.writtenNames(list: item.outputPath, pattern: pattern) ?? []
        if !settings.force {
          if let clash = earlierRunsOutputClash(item, outputPath: outputPath, writesWhole: segmentation == nil) {
            throw CommandFailure(input.path, clash, code: ExitStatus.cannotCreate)
          }
        }
        record.keptWhole = keptWhole
        var destination = OutputDestination(
          batchOutput: outputPath, in: directory, format: settings.outputFormat, input: input.path,
          overwrite: settings.force, replaceable: replaceable, segmentation: segmentation, range: settings.range)
        let list = destination.segmentList(sampleRate: settings.configuration.outputRate)
        if let trim = settings.trim {
          let extent = try AudioPipeline(configuration: configuration).speechExtent(
            request, rules: trim.rules, detectorMode: trim.detectorMode)
          destination.range = TimeRange(speechExtent: extent, sampleRate: configuration.outputRate)
        }
        let run = { try AudioPipeline(configuration: configuration).run(
          request, to: destination.runOutput(list: list), provisional: true,
          shouldStop: { TemporaryFiles.stopSignal != 0 }) }
        let result = try SegmentList.committing(list, after: run)
        result.output.outputs.removeAtSettling(earlierShape(earlier, of: item, writesWhole: list == nil))
        result.output.outputs.removeAtSettling(shapeRecordedMeanwhile(for: item, input: record.input, inputHash: inputHash, writesWhole: list == nil))
        let report = result.report
        record.status = .ok
        record.truncation = result.input.truncation
        record.repairedSamples = report.nonFiniteSamples + report.outOfRangeSamples
        record.inputRateHz = report.inputFormat.sampleRate
        record.inputChannels = report.inputFormat.channels
        record.inputFrames = report.inputFrames
        record.outputFrames = report.outputFrames
        record.durationSeconds = report.inputSeconds
        record.clippedSamples = report.clippedSamples + report.webrtcClippedSamples
        record.droppedChunks = report.droppedChunks
        record.inputLoudness = report.inputLoudness
        record.outputLoudness = report.outputLoudness
        record.normalization = report.normalization
        // Settled and recorded in one step, unless another input's record of the path came meanwhile.
        var appendFailure: (any Error)?
        var noRoom = false
        let other = try recordingAlone(record) {
          // What a record of this input another run made meanwhile wrote is this input's to
          // replace, as if read at the start (review50 H02).
          if let meanwhile = appended[PathKey(item.input.relativePath)], let vouched = OwnRecord(meanwhile, input: record.input, inputHash: inputHash) {
            result.output.outputs.mayReplace(vouched.writtenNames(list: item.outputPath, pattern: pattern))
          }
          // Room for the record before anything moves (review60 H1): a manifest that cannot
          // take it stops the run as a failed append does, with the earlier outputs in place.
          do { try manifest.reserveRoom(for: record) } catch {
            (appendFailure, noRoom) = (error, true)
            return
          }
          defer { manifest.releaseRoom() }
          try result.output.outputs.settle()
          record.outputHash = try ContentHash.ofFile(at: outputPath, regularOnly: true).description
          // Before the record is appended (review49 W03: every record said 0.0).
          record.wallSeconds = monotonicSeconds() - start
          do { try manifest.append(record) } catch { appendFailure = error }
        }
        if noRoom { result.output.outputs.retract() }
        if let other {
          result.output.outputs.retract()
          anotherInputs = other
          throw CommandFailure(input.path, anotherInputsPath(other, in: manifest.path, item: item), code: ExitStatus.cannotCreate)
        }
        if settings.warns, let warning = list?.earlier?.warning(list: outputPath) {
          monitor.withLock { progress.error(warning) }
        }
        return Outcome(record: record, recording: .appended(failure: appendFailure))
      }
    } catch is RunInterrupted {
      return Outcome()
    } catch let taken as AudioIOError where taken.kind == .outputTaken {
      failure = CommandFailure(input.path, notItsOwn(taken.path, item: item), code: ExitStatus.cannotCreate)
      outputTaken = true
    } catch let caught as CommandFailure {
      failure = caught
    } catch {
      failure = CommandFailure(error, inputPath: input.path)
    }
    guard let failure else {
      record.wallSeconds = monotonicSeconds() - start
      return Outcome(record: record)
    }
    record.status = .failed
    record.error = PathKey.same(failure.path, input.path) ? failure.message : "\(failure.path): \(failure.message)"
    record.wallSeconds = monotonicSeconds() - start
    if anotherInputs != nil || outputTaken {
      let kept = anotherInputs != nil ? Self.thatRecordStays : "; not recorded"
      return Outcome(record: record, failure: CommandFailure(failure.path, failure.message + kept, code: failure.code), recording: .not)
    }
    // The output this input's record names is still as recorded (a reprocess failed, and what it
    // wrote was taken back): that record stays true, and stays (review44 W06: a --force run
    // failing on a write turned it `failed`, and an export dropped the intact output).
    if let own, let path = own.outputPath(in: PathName.directoryPrefix(item.outputPath)), own.outputStays(at: path) {
      return Outcome(
        record: record, failure: CommandFailure(failure.path, failure.message + "; its earlier output and record stay", code: failure.code),
        recording: .not)
    }
    return Outcome(record: record, failure: failure)
  }

  /// Runs `body` (an input's last steps: its outputs settled, its record appended) as the
  /// manifest's only recorder, unless a record appended to the manifest since this run started
  /// gives the input's relative path to another input: then that record, and `body` does not
  /// run (review47 H03: two corpora with one relative path batched at once into one DIR, in
  /// other formats or shapes, so that no output name clashed, both wrote and both recorded, the
  /// later record taking the other's place). --force replaces that record, as one found at the start.
  private func recordingAlone(_ record: ManifestRecord, _ body: () throws -> Void) throws -> ManifestRecord? {
    let key = PathKey(record.relativePath)
    return try manifest.recordingAlone(reading: { found in
      let path = PathKey(found.relativePath)
      if paths.contains(path) { appended[path] = found }
    }) {
      if !settings.force, let other = appended[key], OwnRecord(other, input: record.input, inputHash: record.inputHash ?? "") == nil {
        return other
      }
      try body()
      return nil
    }
  }

  /// The failure of an input whose relative path another run recorded as another input's while
  /// this one ran (`recordingAlone`): not recorded, and what it wrote taken back.
  private func lostTo(_ other: ManifestRecord, item: BatchPlan.Item) -> CommandFailure {
    CommandFailure(item.input.path, anotherInputsPath(other, in: manifest.path, item: item) + Self.thatRecordStays, code: ExitStatus.cannotCreate)
  }

  /// What ends the failure of an input whose relative path is another input's.
  private static let thatRecordStays = "; not recorded, so that record stays"

  /// Why an input whose relative path has another input's record fails (review45 H10): its
  /// output would replace that one's, and its record that record.
  /// (A failed record names the output its input would have had, and none is there: its record
  /// alone would be replaced; review46 W03.)
  private func anotherInputsPath(_ earlier: ManifestRecord, in manifestPath: String, item: BatchPlan.Item) -> String {
    let replaced =
      earlier.status == .failed
      ? "whose record (failed, nothing written) this one's would replace" : "whose output \(earlier.output ?? item.outputPath) this one's would replace"
    let forced = earlier.status == .failed ? "replace that record with --force" : "replace that output and record with --force"
    return "its relative path \(item.input.relativePath) is already \(earlier.input)'s in \(manifestPath) (two corpora in one --out-dir?), "
      + "\(replaced): process this one into another --out-dir "
      + "(audioprep batch \(shellQuoted(item.input.path)) --out-dir OTHER), leave it out, or \(forced)"
  }

  /// Why an input fails whose output name holds a file its own record does not name, with other
  /// bytes (review45 H02): another corpus's output, under a manifest elsewhere or none, or a
  /// file of the user's.
  private func notItsOwn(_ outputPath: String, item: BatchPlan.Item) -> String {
    "its output \(outputPath) exists, with other bytes, and no record of this input in \(manifest.path) says it wrote it "
      + "(another corpus's output, or a file of yours): process this one into another --out-dir "
      + "(audioprep batch \(shellQuoted(item.input.path)) --out-dir OTHER), leave it out, or replace that file with --force"
  }

  /// The input's length in seconds as an earlier record of the same bytes gives it, or nil.
  private func knownSeconds(_ earlier: ManifestRecord?, inputHash: String) -> Double? {
    guard let earlier, earlier.status != .failed, earlier.inputHash == inputHash
    else { return nil }
    return earlier.durationSeconds
  }

  /// `--segment-longer-only`: whether the input's output (its range, with `--start`/`--end`) is
  /// no longer than one window, so that it is written whole.
  private func fitsOneWindow(
    _ inputLength: () throws -> (frames: Int64, sampleRate: Int), configuration: PipelineConfiguration
  ) throws -> Bool {
    guard settings.segmentLongerOnly, let window = settings.segmentation?.length.seconds else { return false }
    let rate = configuration.outputRate
    let length = try inputLength()
    var frames = configuration.outputFrames(forInputFrames: Int(length.frames), inputRate: length.sampleRate)
    if let range = settings.range?.frames(at: rate) {
      frames = min(max(frames, range.lowerBound), range.upperBound) - range.lowerBound
    }
    return frames <= AudioPipeline.Output.Segments.frames(window, at: rate)
  }

  /// The input whose segment `wholePath` (`DIR/x_0000.wav`) could be (`DIR/x.…`, cut into
  /// `x_0000.wav`, `x_0001.wav` …), or nil. Decided from the whole listing alone, whatever that
  /// input's length and whichever shard has it (review44 H06), so that the outcome does not
  /// depend on which of the two runs first.
  private func segmentOwner(of wholePath: String) -> String? {
    let stem = String(wholePath.dropLast(settings.outputFormat.container.fileExtension.count + 1))
    guard let parent = BatchPlan.segmentParent(ofOutputName: stem) else { return nil }
    let list = parent + ".segments.jsonl"
    return plan.corpusItems.first { PathKey.same($0.outputPath, list) }?.input.path
  }

  /// Why `item`'s output at `outputPath` (its list's, when it is cut into segments) fails
  /// without --force: a file it would write is another input's, as an earlier run's record in
  /// the manifest and the file's hash say (review43 H05: two corpora in one --out-dir,
  /// `c1/x.wav` cut into `out/x_0000.wav` …, `c2/x_0000.wav` written whole to the same name,
  /// replaced each other whichever ran first, exit 0). Written whole: the segment of the input
  /// whose output name it has a segment's name of, listed in that input's list with this hash.
  /// Cut: a whole output of an input named as one of its segments, with its record's hash.
  private func earlierRunsOutputClash(_ item: BatchPlan.Item, outputPath: String, writesWhole: Bool) -> String? {
    let name = BatchPlan.outputName(item.input.relativePath)
    let fileExtension = settings.outputFormat.container.fileExtension
    func hash(_ path: String) -> String? { (try? ContentHash.ofFile(at: path, regularOnly: true))?.description }
    if writesWhole {
      // The list says whose: the manifest's record of its input, or the list's own `source` (a
      // run under another manifest, review44 H01).
      guard let parent = BatchPlan.segmentParent(ofOutputName: name), Descriptor.status(outputPath) != nil else { return nil }
      let list = String(outputPath.dropLast(fileExtension.count + 1 + name.count - parent.count)) + ".segments.jsonl"
      guard let sidecar = try? SegmentSidecar(readingFrom: list),
        let listed = sidecar.segments.first(where: { PathKey.same($0.path, outputPath) }), listed.hash != nil, listed.hash == hash(outputPath)
      else { return nil }
      return BatchPlan.sharedOutput(
        outputPath, owner: earlierOwners[PathKey(parent)]?.input ?? listed.source ?? list, input: item.input.path, earlierRun: true,
        why: "a segment listed in \(list)")
    }
    let stem = String(outputPath.dropLast(".segments.jsonl".count))
    for (childName, owner) in earlierSegmentNames[PathKey(name)] ?? [] {
      let segment = stem + String(childName.dropFirst(name.count)) + "." + fileExtension
      guard let outputHash = owner.outputHash, Descriptor.status(segment) != nil, hash(segment) == outputHash else { continue }
      return BatchPlan.sharedOutput(
        segment, owner: owner.input, input: item.input.path, earlierRun: true, what: "segment",
        why: "its name is one of this input's segments' names")
    }
    return nil
  }

  /// The files an earlier run wrote for `item` in the other shape (review42 H13: an input
  /// written as segments, now whole, kept its segments beside the whole file, or the reverse):
  /// asked as the input's new output settles, each only while still as the batch wrote it.
  /// Written whole now: the segments its earlier list (its manifest record's output) names with
  /// their hashes (this input's `STEM_%04d` names, `EarlierSegments`), then the list. Written as segments now: the whole
  /// file the manifest's record of this input names, with its output hash.
  private func earlierShape(_ earlier: ManifestRecord?, of item: BatchPlan.Item, writesWhole: Bool) -> () -> [String] {
    let whole = wholeOutputPath(item)
    let fileExtension = settings.outputFormat.container.fileExtension
    if writesWhole {
      let list = String(whole.dropLast(fileExtension.count)) + "segments.jsonl"
      // Only this input's own list, as its record says: a list of the same stem is another
      // input's (`x.wav` cut, `x.flac` written whole: review45 H01 lost the other's set). By
      // its name in the input's folder, as `earlierWhole` reads a whole file's: the out-dir may
      // be spelled otherwise than that run did, or moved since (review53 W8).
      guard let earlier, earlier.status != .failed, let output = RecordPaths.trustedOutput(of: earlier),
        PathKey.same(PathName.lastComponent(output), PathName.lastComponent(list))
      else { return earlierWhole(earlier, of: item, writing: whole) }
      return {
        guard ProtectedFiles.role(at: list) == nil, let sidecar = try? SegmentSidecar(readingFrom: list) else { return [] }
        let pattern = OutputDestination.batchSegmentPattern(list: list, fileExtension: fileExtension)
        return EarlierSegments(listed: sidecar.segments, writtenAgain: [], pattern: pattern).unchanged() + [list]
      }
    }
    return earlierWhole(earlier, of: item, writing: item.outputPath)
  }

  /// The files another run of this input wrote in another shape and recorded while this one
  /// ran (review48 W05: one corpus batched twice at once, whole and in segments, left one
  /// shape's outputs in no record): asked as the input's output settles, under the manifest's
  /// recording lock (`recordingAlone`), so the record read is the latest.
  private func shapeRecordedMeanwhile(for item: BatchPlan.Item, input: String, inputHash: String, writesWhole: Bool) -> () -> [String] {
    let key = PathKey(item.input.relativePath)
    return { [self] in
      guard let meanwhile = appended[key], OwnRecord(meanwhile, input: input, inputHash: inputHash) != nil else { return [] }
      return earlierShape(meanwhile, of: item, writesWhole: writesWhole)()
    }
  }

  /// The whole file an earlier run wrote for `item` under another name than `written` (cut into
  /// segments now, or written in another format: review46 H01, its x.wav beside the x.flac that
  /// replaced it was no record's, and refused ever after), asked as the new output settles,
  /// while it holds the bytes its record gives.
  private func earlierWhole(_ earlier: ManifestRecord?, of item: BatchPlan.Item, writing written: String) -> () -> [String] {
    guard let earlier, earlier.status != .failed, let hash = earlier.outputHash, let output = RecordPaths.trustedOutput(of: earlier),
      !output.hasSuffix(".segments.jsonl"), !PathKey.same(PathName.lastComponent(output), PathName.lastComponent(written))
    else { return { [] } }
    let path = PathName.directoryPrefix(item.outputPath) + PathName.lastComponent(output)
    return {
      guard ProtectedFiles.role(at: path) == nil, (try? ContentHash.ofFile(at: path, regularOnly: true))?.description == hash else { return [] }
      return [path]
    }
  }

  /// Where an input a segmenting batch keeps whole is written: its segments list's path with the
  /// output's extension, as without `--segment` (`OUT/REL/STEM.wav` for `STEM.segments.jsonl`).
  private func wholeOutputPath(_ item: BatchPlan.Item) -> String {
    guard settings.segmentation != nil else { return item.outputPath }
    return String(item.outputPath.dropLast("segments.jsonl".count)) + settings.outputFormat.container.fileExtension
  }

  /// Whether `record` is a failure the manifest already holds: the same error for the same
  /// input bytes (hashed, so a missing file never counts) under the same options.
  private func failedAsBefore(_ record: ManifestRecord) -> Bool {
    guard record.status == .failed, let earlier = previous[PathKey(record.relativePath)], earlier.status == .failed,
      let hash = record.inputHash
    else { return false }
    return earlier.inputHash == hash && earlier.error == record.error && earlier.params == record.params
  }

  /// The earlier record, if it still describes the output: same options, same input bytes,
  /// and the file at the output path holds the bytes recorded (however DIR was spelled then).
  private func reusableRecord(_ earlier: ManifestRecord?, for item: BatchPlan.Item, inputHash: String) -> ManifestRecord? {
    guard let earlier, earlier.status != .failed, earlier.skipReason == nil,
      earlier.params == settings.params, earlier.inputHash == inputHash, let outputHash = earlier.outputHash,
      (try? ContentHash.ofFile(at: earlier.keptWhole ? wholeOutputPath(item) : item.outputPath, regularOnly: true))?.description
        == outputHash,
      settings.segmentation == nil || earlier.keptWhole || segmentsUnchanged(listedIn: item.outputPath),
      // --measure-loudness on a rerun measures what an earlier run did not.
      !settings.configuration.measuresLoudness || earlier.inputLoudness != nil
    else { return nil }
    return earlier
  }

  /// Whether every segment the sidecar at `list` names still holds the bytes it recorded.
  /// A damaged sidecar (a `file` naming another directory among them) is not followed: the
  /// input is processed again.
  private func segmentsUnchanged(listedIn list: String) -> Bool {
    guard let sidecar = try? SegmentSidecar(readingFrom: list) else { return false }
    return sidecar.segments.allSatisfy { segment in
      guard let hash = segment.hash else { return false }
      return (try? ContentHash.ofFile(at: segment.path, regularOnly: true))?.description == hash
    }
  }
}
