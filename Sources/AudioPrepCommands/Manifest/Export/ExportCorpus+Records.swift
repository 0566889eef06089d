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
    var speakers: [String: String] = [:]
    // Which input gave each id, so that a collision names both.
    var recordingInputs: [(id: String, input: String)] = []
    var utteranceInputs: [(id: String, input: String)] = []
    for record in records where record.status != .failed {
      let (recordingsBefore, utterancesBefore) = (recordings.count, utterances.count)
      try add(record, options: options)
      recordingInputs += recordings[recordingsBefore...].map { ($0.id, record.relativePath) }
      utteranceInputs += utterances[utterancesBefore...].map { ($0.id, record.relativePath) }
      // Two directories whose names sanitize alike ("a b", "a-b") must not become one speaker.
      if let speaker = options.speaker.speaker(ofRelativePath: record.relativePath) {
        let id = KaldiID.sanitized(speaker)
        if let other = speakers[id], other != speaker {
          throw CommandFailure(
            record.relativePath, "its speaker '\(speaker)' and the speaker '\(other)' would both be '\(id)'",
            code: ExitStatus.dataError)
        }
        speakers[id] = speaker
      }
    }
    recordings.sort { cOrder($0.id, $1.id) }
    utterances.sort { cOrder($0.id, $1.id) }
    try Self.checkUnique(recordingInputs, what: "recording")
    try Self.checkUnique(utteranceInputs, what: "utterance")
  }

  private mutating func add(_ record: ManifestRecord, options: ExportOptions) throws {
    let facts = try BatchParams(record)
    let resolve = { (path: String) in PathName.absolute(path, in: options.batchDirectory) ?? path }
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
      try Self.requireFile(output, named: record.output!)
      let frames = try facts.require(record.outputFrames, "output_frames")
      let recording = Recording(
        id: prefixed, path: Self.written(output, options), sampleRate: facts.outputRate,
        channels: facts.outputChannels, frames: frames, isPlainWAV: facts.writesPlainWAV)
      recordings.append(recording)
      utterances.append(
        utterance(prefixed, recording: prefixed, start: 0, duration: recording.duration,
          text: try SidecarTranscript.text(forInput: resolve(record.input))))
      return
    }
    let sidecar: SegmentSidecar
    do { sidecar = try SegmentSidecar(readingFrom: output) } catch let failure as CommandFailure {
      throw CommandFailure(record.output!, failure.message, code: failure.code)
    }
    let width = max(4, String(sidecar.segments.map(\.index).max() ?? 0).count)
    switch options.segments {
    case .files:
      for segment in sidecar.segments {
        try Self.requireFile(segment.path, named: segment.path)
        let id = "\(prefixed)-\(KaldiID.numbered(segment.index, width: width))"
        let recording = Recording(
          id: id, path: Self.written(segment.path, options), sampleRate: facts.outputRate,
          channels: facts.outputChannels, frames: segment.frames, isPlainWAV: facts.writesPlainWAV)
        recordings.append(recording)
        utterances.append(utterance(id, recording: id, start: 0, duration: recording.duration, text: ""))
      }
    case .offsets:
      try Self.requireFile(resolve(record.input), named: record.input)
      recordings.append(
        Recording(
          id: prefixed, path: Self.written(record.input, options),
          sampleRate: try facts.require(record.inputRateHz, "input_rate_hz"),
          channels: try facts.require(record.inputChannels, "input_channels"),
          frames: try facts.require(record.inputFrames, "input_frames"), processedBy: record.params))
      for segment in sidecar.segments {
        let id = "\(prefixed)-\(KaldiID.numbered(segment.index, width: width))"
        utterances.append(
          utterance(id, recording: prefixed, start: Self.microseconds(segment.startSeconds),
            duration: Self.microseconds(segment.endSeconds - segment.startSeconds), text: ""))
      }
    }
  }

  /// `seconds` rounded to microseconds: 30.0, not the 29.999999999999996 of a subtraction.
  private static func microseconds(_ seconds: Double) -> Double { (seconds * 1e6).rounded() / 1e6 }

  /// 66 when the file a record names is gone: the export would point at nothing.
  private static func requireFile(_ path: String, named name: String) throws {
    guard PathName.isRegularFile(path) else {
      throw CommandFailure(name, "recorded in the manifest, but not a file (moved or deleted since the batch?)", code: ExitStatus.noInput)
    }
  }

  /// `path` (as the manifest has it: from the batch's directory) as the export writes it.
  private static func written(_ path: String, _ options: ExportOptions) -> String {
    let absolute = PathName.absolute(path, in: options.batchDirectory) ?? path
    switch options.paths {
    case .absolute: return absolute
    case .relative: return PathName.relative(absolute, from: options.destinationDirectory)
    }
  }

  /// 65 naming both inputs when two give one id.
  private static func checkUnique(_ ids: [(id: String, input: String)], what: String) throws {
    var seen: [String: String] = [:]
    for (id, input) in ids {
      if let other = seen[id], other != input {
        throw CommandFailure(
          input, "its \(what) id '\(id)' is also that of '\(other)' (ids keep letters, digits, '.', '_' and UTF-8; other characters become '_')",
          code: ExitStatus.dataError)
      }
      seen[id] = input
    }
  }
}

/// What an export needs from a record's `params`: the output rate, whether the output kept
/// the input's channels, whether it was segmented.
struct BatchParams {
  let relativePath: String
  let outputRate: Int
  let outputChannels: Int
  let isSegmented: Bool
  /// The outputs are 16-bit PCM WAV (`container=wav encoding=s16`).
  let writesPlainWAV: Bool

  init(_ record: ManifestRecord) throws {
    relativePath = record.relativePath
    let tokens = record.params.split(separator: " ")
    let value = { (key: String) in tokens.first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) } }
    guard let rate = value("rate").flatMap({ Int($0) }), rate > 0 else {
      throw CommandFailure(record.relativePath, "its manifest record's params name no output rate", code: ExitStatus.dataError)
    }
    outputRate = rate
    outputChannels = value("downmix") != nil ? 1 : (record.inputChannels ?? 1)
    isSegmented = (value("segment") ?? "none") != "none"
    writesPlainWAV = (value("container") ?? "wav") == "wav" && (value("encoding") ?? "s16") == "s16"
  }

  func require<Number: BinaryInteger>(_ number: Number?, _ key: String) throws -> Number {
    guard let number else {
      throw CommandFailure(relativePath, "its manifest record has no \(key)", code: ExitStatus.dataError)
    }
    return number
  }
}
