import DSP

extension ExportCorpus {
  /// The corpus the records of a batch describe, one record per input (merge them first:
  /// `ManifestMerge`). Failed inputs are left out; an input's output (or, segmented, its
  /// segments listed in its sidecar) is a recording, each segment an utterance.
  ///
  /// Throws the first problem as a `CommandFailure`: 66 for a recorded output that is gone or a
  /// sidecar that cannot be read, 65 for a sidecar line that is not a segment, a record without
  /// the facts an export needs, or two inputs whose ids would be the same.
  package init(records: [ManifestRecord], options: ExportOptions) throws {
    recordings = []
    utterances = []
    // Each directory speaker's id: its name and an input of it.
    var speakers: [PathKey: (name: String, input: String)] = [:]
    // The utterances that are their own speaker (the rule found none), with their input.
    var selfSpeakers: [(id: String, input: String)] = []
    // The inputs a speaker rule (`parent`, a level) found no speaker for: said (review31m W7).
    var speakerless: [ManifestRecord] = []
    // Each speaker's directories below the batch's root: one name from two directories
    // (`spkA/sess1`, `spkB/sess1` with `parent`) is one speaker to the toolkits (review33m W4).
    var directoriesOfSpeaker: [PathKey: Set<PathKey>] = [:]
    // Each id's input, to name both inputs when two give one id.
    // (Ids, like the paths they come from, are told apart by their bytes: `PathKey`.)
    var inputOfRecording: [PathKey: String] = [:]
    var inputOfUtterance: [PathKey: String] = [:]
    // Skipped without processing (`skip_reason`: outside --min-duration/--max-duration): no output.
    for record in records where record.status != .failed && record.skipReason == nil {
      let (recordingCount, utteranceCount) = (recordings.count, utterances.count)
      try add(record, options: options)
      for recording in recordings[recordingCount...] {
        if let other = inputOfRecording[PathKey(recording.id)] { throw Self.collision(recording.id, "recording", record.input, other) }
        inputOfRecording[PathKey(recording.id)] = record.input
      }
      for utterance in utterances[utteranceCount...] {
        if let other = inputOfUtterance[PathKey(utterance.id)] { throw Self.collision(utterance.id, "utterance", record.input, other) }
        inputOfUtterance[PathKey(utterance.id)] = record.input
      }
      // Two directories whose names sanitize alike ("a b", "a-b") must not become one speaker.
      if let speaker = options.speaker.speaker(ofRelativePath: record.relativePath) {
        let id = PathKey(KaldiID.sanitized(speaker))
        if let other = speakers[id], !PathKey.same(other.name, speaker) {
          throw CommandFailure(
            record.relativePath, "its speaker '\(speaker)' and the speaker '\(other.name)' would both be '\(id)'",
            code: ExitStatus.dataError)
        }
        speakers[id] = speakers[id] ?? (speaker, record.input)
        if let directory = options.speaker.directory(ofRelativePath: record.relativePath) {
          directoriesOfSpeaker[id, default: []].insert(PathKey(directory))
        }
      } else {
        selfSpeakers += utterances[utteranceCount...].map { ($0.id, record.input) }
        if options.speaker != .utterance { speakerless.append(record) }
      }
    }
    if let warning = try options.speaker.speakerlessWarning(speakerless, anyFound: !speakers.isEmpty) { warnings.append(warning) }
    // One speaker for every input of several (`--speaker-from 1` over `--from-list` paths that all
    // start with `corpus/`): said (review33r W1).
    // (One name from several directories is said below instead.)
    if options.speaker != .utterance, speakers.count == 1, selfSpeakers.isEmpty, directoriesOfSpeaker.allSatisfy({ $0.value.count == 1 }), Set(records.map { PathKey($0.relativePath) }).count > 1, let only = speakers.first {
      warnings.append(
        Warning(
          path: only.value.input,
          message: "every input has the one speaker '\(only.value.name)': a deeper --speaker-from level may tell them apart (with --from-list, levels count from the directory batch ran in)"))
    }
    let shared = directoriesOfSpeaker.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }
    if let (id, directories) = shared.first {
      let named = directories.sorted().map(\.path)
      let others = shared.count > 1 ? " (and \(Text.count(shared.count - 1, "other speaker")) so)" : ""
      warnings.append(
        Warning(
          path: named[0],
          message: "its speaker '\(speakers[id]!.name)' is also the name of \(named.dropFirst().prefix(2).joined(separator: ", "))\(named.count > 3 ? ", …" : "")\(others): "
            + "one speaker to the toolkits; a --speaker-from level nearer the root may tell them apart"))
    }
    if let first = inputsNotThere.first {
      let others = inputsNotThere.count > 1 ? " (and \(Text.count(inputsNotThere.count - 1, "other input")))" : ""
      warnings.append(
        Warning(
          path: first,
          message: "not there\(others): no transcript read beside it (STEM.txt is read only beside an input that is there: "
            + "export from the directory the batch ran in, or where the corpus now is)"))
    }
    // An input that is its own speaker must not be a directory's speaker (`spk1.wav` beside
    // `spk1/`), nor sort inside one (`x-0000`, a segment of `x.wav`, among speaker `x`'s).
    if !speakers.isEmpty {
      for (id, input) in selfSpeakers {
        let prefixes = [id] + id.indices.filter { id[$0] == "-" }.map { String(id[..<$0]) }
        guard let speaker = prefixes.first(where: { speakers[PathKey($0)] != nil }), let other = speakers[PathKey(speaker)] else { continue }
        throw CommandFailure(
          input,
          "is its own speaker '\(id)' (no speaker directory at that level), which would be merged with the speaker '\(speaker)' "
            + "of \(other.input) or sort among its utterances: move it into a speaker directory or use another --speaker-from",
          code: ExitStatus.dataError)
      }
    }
    recordings.sort { cOrder($0.id, $1.id) }
    utterances.sort { cOrder($0.id, $1.id) }
  }

  /// 65 for `input`, whose `kind` id `id` is also `other`'s.
  private static func collision(_ id: String, _ kind: String, _ input: String, _ other: String) -> CommandFailure {
    CommandFailure(
      input,
      "its \(kind) id '\(id)' is also the id of \(other) (in ids '/', control characters, space and !\"#$%&'()*+,- become '_', bytes that are not UTF-8 '_' and their hex digits)",
      code: ExitStatus.dataError)
  }

  private mutating func add(_ record: ManifestRecord, options: ExportOptions) throws {
    guard !record.input.isEmpty, !record.relativePath.isEmpty else {
      throw CommandFailure(
        record.input.isEmpty ? record.relativePath : record.input, "its manifest record is damaged: an empty input or relative path",
        code: ExitStatus.dataError)
    }
    let facts = try BatchParams(record)
    let resolve = { (path: String) in PathName.resolved(path, in: options.batchDirectory) }
    guard let output = record.output.map(resolve) else {
      throw CommandFailure(record.relativePath, "its manifest record names no output", code: ExitStatus.dataError)
    }
    let base = KaldiID.base(ofRelativePath: record.relativePath)
    let speaker = options.speaker.speaker(ofRelativePath: record.relativePath).map(KaldiID.sanitized)
    let prefixed = speaker.map { "\($0)-\(base)" } ?? base
    func utterance(_ id: String, recording: String, start: Double, duration: Double, text: String) -> Utterance {
      Utterance(id: id, recordingID: recording, speaker: speaker ?? id, start: start, duration: duration, text: text)
    }
    guard facts.isSegmented else {
      try Self.requireUnchanged(output, named: record.output!, hash: record.outputHash)
      let frames = try facts.require(record.outputFrames, "output_frames", atLeast: 0)
      if let mismatch = try OutputHeader(output, named: record.output!)
        .mismatch(rate: facts.outputRate, channels: facts.outputChannels, frames: frames)
      {
        throw options.damaged(record, "its output \(record.output!) \(mismatch)")
      }
      guard frames > 0 else { return leaveOut(record.output!, "holds no samples") }
      let recording = Recording(
        id: prefixed, path: Self.written(output, options), sampleRate: facts.outputRate,
        channels: facts.outputChannels, frames: frames, isPlainWAV: facts.writesPlainWAV)
      recordings.append(recording)
      utterances.append(
        utterance(prefixed, recording: prefixed, start: 0, duration: recording.duration,
          text: facts.isExcerpt ? "" : try transcript(forInput: resolve(record.input), of: record)))
      return
    }
    try Self.requireUnchanged(output, named: record.output!, hash: record.outputHash)
    let sidecar: SegmentSidecar
    do { sidecar = try SegmentSidecar(readingFrom: output) } catch let failure as CommandFailure {
      throw CommandFailure(record.output!, failure.message, code: failure.code)
    }
    guard !sidecar.segments.isEmpty else { return leaveOut(record.output!, "lists no segment (an input too short to cut, or with no speech found for --utterances)") }
    let width = max(4, String(sidecar.segments.map(\.index).max() ?? 0).count)
    switch options.segments {
    case .files:
      for segment in sidecar.segments {
        try Self.requireUnchanged(segment.path, named: segment.path, hash: segment.hash)
        if let mismatch = try OutputHeader(segment.path, named: segment.path)
          .mismatch(rate: facts.outputRate, channels: facts.outputChannels, frames: segment.frames)
        {
          throw CommandFailure(
            record.output!, "is damaged: segment \(segment.index)'s file \(segment.path) \(mismatch)", code: ExitStatus.dataError)
        }
        segmentFiles.append(segment.path)
        guard segment.frames > 0 else {
          leaveOut(segment.path, "holds no samples")
          continue
        }
        let id = "\(prefixed)-\(KaldiID.numbered(segment.index, width: width))"
        let recording = Recording(
          id: id, path: Self.written(segment.path, options), sampleRate: facts.outputRate,
          channels: facts.outputChannels, frames: segment.frames, isPlainWAV: facts.writesPlainWAV)
        recordings.append(recording)
        utterances.append(utterance(id, recording: id, start: 0, duration: recording.duration, text: ""))
      }
    case .offsets:
      try Self.requireUnchanged(resolve(record.input), named: record.input, hash: record.inputHash)
      let input = Recording(
        id: prefixed, path: Self.written(record.input, options),
        sampleRate: try facts.require(record.inputRateHz, "input_rate_hz", atLeast: 1),
        channels: try facts.require(record.inputChannels, "input_channels", atLeast: 1),
        frames: try facts.require(record.inputFrames, "input_frames", atLeast: 0), processedBy: record.params)
      // The input's hash covers its bytes, not these numbers: they are its header's, read as
      // the batch read it (review31m H4).
      if let mismatch = try InputHeader(resolve(record.input), named: record.input, params: record.params)
        .mismatch(rate: input.sampleRate, channels: input.channels, frames: input.frames)
      {
        throw options.damaged(record, "its input \(record.input) \(mismatch)")
      }
      // A last segment may end up to one output frame after its input (`ExportCorpus.span`).
      let latestEnd = input.duration + 1 / Double(facts.outputRate) + 1e-6
      var parts: [Utterance] = []
      for segment in sidecar.segments {
        guard segment.endSeconds <= latestEnd else {
          throw CommandFailure(
            record.output!,
            "is damaged: segment \(segment.index) ends at \(segment.endSeconds) s, after its input's end (\(KaldiExport.seconds(input.duration)) s)",
            code: ExitStatus.dataError)
        }
        let id = "\(prefixed)-\(KaldiID.numbered(segment.index, width: width))"
        let part = utterance(
          id, recording: prefixed, start: Self.microseconds(segment.startSeconds),
          duration: Self.microseconds(segment.endSeconds - segment.startSeconds), text: "")
        guard ExportCorpus.span(of: part, in: input).duration > 0 else {
          leaveOut("\(record.output!) segment \(segment.index)", "holds no samples")
          continue
        }
        parts.append(part)
      }
      guard !parts.isEmpty else { return leaveOut(record.output!, "lists no segment of any length") }
      recordings.append(input)
      utterances += parts
    }
  }

  /// The transcript beside `input` (`SidecarTranscript`), read only when the input is there: a
  /// forged record's `secret/creds.wav` beside `secret/creds.txt` exported that file as text
  /// (review31m H1a). An input not there is counted for one warning (`inputsNotThere`). When
  /// there is a transcript to read, the input must hold the bytes `record` says (66 if not):
  /// a forged record of `notes/meeting.wav`, its one root, exported `notes/meeting.txt` (review31m
  /// H1). Hashing only those inputs costs little beside the batch that read them all: 0.05 s
  /// for 1,000 inputs of 1 s (36 MB; the export took 0.18 s, now 0.23 s), 1.5 s a GB (three
  /// inputs of 28 min, 48 kHz stereo: 0.24 s, now 1.68 s), files in the page cache.
  private mutating func transcript(forInput input: String, of record: ManifestRecord) throws -> String {
    guard Descriptor.status(input) != nil else {
      inputsNotThere.append(input)
      return ""
    }
    guard Descriptor.status(SidecarTranscript.path(forInput: input), following: false) != nil else { return "" }
    try Self.requireUnchanged(input, named: record.input, hash: record.inputHash)
    return try SidecarTranscript.text(forInput: input)
  }

  /// Notes that what `path` names is left out of the export, and why.
  private mutating func leaveOut(_ path: String, _ why: String) {
    warnings.append(Warning(path: path, message: "\(why): left out of the export"))
  }

  /// `seconds` rounded to microseconds: 30.0, not the 29.999999999999996 of a subtraction.
  private static func microseconds(_ seconds: Double) -> Double { (seconds * 1e6).rounded() / 1e6 }

  /// 66 when the file a record names is gone: the export would point at nothing.
  private static func requireFile(_ path: String, named name: String) throws {
    guard PathName.isRegularFile(path) else {
      throw CommandFailure(name, "recorded in the manifest, but not a file (moved or deleted since the batch?)", code: ExitStatus.noInput)
    }
  }

  /// 66 when the file at `path` no longer holds the bytes the batch recorded (`hash`, a
  /// `ContentHash`): it is another file now (a later run's, cut short, edited), whose length,
  /// and so every duration the export would write from the record, may differ.
  private static func requireUnchanged(_ path: String, named name: String, hash: String?) throws {
    // A file not there is said to be not there: a segments list looked for from another
    // directory was "changed since the batch recorded it" (review31m W6).
    try requireFile(path, named: name)
    guard let hash, (try? ContentHash.ofFile(at: path))?.description != hash else { return }
    throw CommandFailure(
      name,
      "changed since the batch recorded it (its bytes are not \(hash)): rerun the batch, or export its latest manifest alone",
      code: ExitStatus.noInput)
  }

  /// `path` (as the manifest has it: from the batch's directory) as the export writes it.
  private static func written(_ path: String, _ options: ExportOptions) -> String {
    let absolute = PathName.resolved(path, in: options.batchDirectory)
    switch options.paths {
    case .absolute: return absolute
    case .relative: return PathName.relative(absolute, from: options.destinationDirectory)
    }
  }
}

/// What an export needs from a record's `params`: the output rate, whether the output kept
/// the input's channels, whether it was segmented (its output is then a segments list; not for
/// a record `kept_whole`).
struct BatchParams {
  let relativePath: String
  let malformedKeys: [String]
  let outputRate: Int
  let outputChannels: Int
  let isSegmented: Bool
  /// The outputs are 16-bit PCM WAV (`container=wav encoding=s16`).
  let writesPlainWAV: Bool
  /// The output holds part of its input (`--start/--end/--duration`: `range=…`): the whole
  /// file's transcript does not describe it.
  let isExcerpt: Bool

  init(_ record: ManifestRecord) throws {
    relativePath = record.relativePath
    malformedKeys = record.malformedKeys
    let tokens = record.params.split(separator: " ")
    let value = { (key: String) in tokens.first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) } }
    guard let rate = value("rate").flatMap({ Int($0) }), rate > 0 else {
      throw CommandFailure(record.relativePath, "its manifest record's params name no output rate", code: ExitStatus.dataError)
    }
    outputRate = rate
    outputChannels = value("downmix") != nil ? 1 : (record.inputChannels ?? 1)
    // `--segment` (`segment=1.0s/…`, with or without `--at-pauses`) and `--utterances`
    // (`segment=none speech=utterances/…`) both write a segments list as the output, as batch
    // does for `PipelineOptions.segments`.
    // An input a `--segment-longer-only` batch kept whole (`kept_whole`) is one file, as without --segment.
    isSegmented =
      !record.keptWhole && ((value("segment") ?? "none") != "none" || value("speech")?.hasPrefix("utterances/") == true)
    writesPlainWAV = (value("container") ?? "wav") == "wav" && (value("encoding") ?? "s16") == "s16"
    isExcerpt = value("range") != nil
  }

  /// `key`'s value; 65 when the record has none, or one below `minimum` (damaged: no batch
  /// writes a negative length).
  func require<Number: BinaryInteger>(_ number: Number?, _ key: String, atLeast minimum: Number) throws -> Number {
    guard let number else {
      guard !malformedKeys.contains(key) else {
        throw CommandFailure(relativePath, "its manifest record is damaged: its \(key) is not a whole number", code: ExitStatus.dataError)
      }
      throw CommandFailure(relativePath, "its manifest record has no \(key)", code: ExitStatus.dataError)
    }
    guard number >= minimum else {
      throw CommandFailure(relativePath, "its manifest record is damaged: \(key) \(number)", code: ExitStatus.dataError)
    }
    return number
  }
}
