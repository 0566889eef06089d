import DSP
import Glibc

/// Where a run writes: standard output, a file with a container and encoding, or nowhere.
struct OutputDestination {
  /// nil for standard output (or for nowhere).
  let path: String?
  /// Nothing is written (`process --golden` without `-o`).
  var discards = false
  /// The open directory batch outputs are created in (by name, never through a symlink);
  /// nil opens `path` as given.
  var directory: OutputDirectory?
  /// One file per segment, when `--segment` is given.
  var segmentation: Segmentation?

  /// How long segments are, how much they overlap, whether the last is padded (`--segment`,
  /// `--segment-overlap`, `--pad`): the same in `process` and `batch`.
  struct SegmentTiming {
    var length: DurationArgument
    var overlap: DurationArgument
    var pad: Bool
    /// Cut at speech (`--utterances`, `--at-pauses`) rather than at fixed lengths.
    var speech: SpeechCutting? = nil

    /// The timing the options ask for, or nil without `--segment` or `--utterances`.
    init?(_ options: OutputOptions, pad: Bool) {
      guard options.segments else { return nil }
      length = options.segment ?? DurationArgument(seconds: 0)
      overlap = options.segmentOverlap ?? DurationArgument(seconds: 0)
      self.pad = pad && !options.utterances
      speech = options.speechCutting
    }
  }

  /// How `--segment` cuts the output: the timing, where the segments and their sidecar go.
  struct Segmentation {
    var pattern: SegmentPattern
    var timing: SegmentTiming
    var listPath: String
    var source: String
  }
  let format: OutputFileFormat
  let overwrite: Bool
  /// A batch's names replaced without `overwrite`, what the input's own manifest record says it
  /// wrote; nil elsewhere (`AudioPipeline.Output.replaceable`).
  var replaceable: Set<String>?
  /// Only this part of the input is written (`--start`, `--end`, `--duration`).
  var range: TimeRange?
  /// Only the speech is written, decided as the stream goes (`--trim-silence` on a stream).
  var trimsSilence: SpeechTrimSink.Settings?

  var displayPath: String { discards ? "(not written)" : path ?? "-" }

  /// Resolves -o (or its default), the container, and refuses to write over the input.
  init(input: String, output: String?, segmentsList: String? = nil, options: OutputOptions, rate: Int, pad: Bool = false) throws {
    // A stream (standard input, a FIFO, /dev/stdin) has no name to put an output beside.
    let chosen =
      output
      ?? (Self.isStream(input) ? "-" : Self.defaultPath(for: input, rate: rate, container: options.format ?? .wav))
    overwrite = options.force
    range = options.range
    if chosen == "-" {
      if options.segments {
        throw CommandFailure(
          "-", "\(options.utterances ? "--utterances" : "--segment") writes files; give -o a pattern such as 'out_%04d.wav'",
          code: ExitStatus.usage)
      }
      let container = options.format ?? .raw
      guard container == .raw || container == .wav else {
        throw CommandFailure(
          "-", "standard output takes --format raw or wav, not \(container.rawValue)", code: ExitStatus.usage)
      }
      path = nil
      format = options.fileFormat(container: container)
      return
    }
    if let timing = SegmentTiming(options, pad: pad) {
      guard let pattern = SegmentPattern(chosen) else {
        throw CommandFailure(
          chosen, "\(options.utterances ? "--utterances" : "--segment") needs -o with one %d field, e.g. 'out_%04d.wav'",
          code: ExitStatus.usage)
      }
      // One sidecar per input by default, beside the segments: STEM.segments.jsonl.
      let listName = input == "-" ? "segments.jsonl" : PathName.stem(input) + ".segments.jsonl"
      segmentation = Segmentation(
        pattern: pattern, timing: timing,
        listPath: segmentsList ?? PathName.directoryPrefix(pattern.prefix) + listName, source: input)
    } else if output != nil, SegmentPattern(chosen) != nil {
      // `-o 'out_%d.wav'` alone wrote a file named out_%d.wav.
      throw CommandFailure(
        chosen, "has a segment number field (%d), but nothing is cut into segments: add --segment LENGTH (or --utterances), or name one file",
        code: ExitStatus.usage)
    }
    let fileExtension = PathName.fileExtension(chosen)
    // `-o dir`, `-o dir/`, `-o nodir/`: a directory names no output file, which cannot be
    // created there (73, as the exit table says); the example is this input's output in it.
    if chosen.hasSuffix("/") || Descriptor.status(chosen)?.isDirectory == true {
      let exists = Descriptor.status(chosen) != nil
      let example = PathName.join(chosen, Self.isStream(input) ? "out.wav" : Self.defaultPath(for: PathName.lastComponent(input), rate: rate, container: options.format ?? .wav))
      throw CommandFailure(
        chosen,
        "\(exists ? "is a directory" : "no such directory"); -o names a file (e.g. -o \(shellQuoted(example))); for many inputs use 'audioprep batch INPUT... --out-dir \(shellQuoted(chosen))'"
          // The example names a file in it, which a missing directory cannot hold (73 again).
          + (exists ? "" : "; for one, create it first (mkdir -p \(shellQuoted(chosen)))"),
        code: ExitStatus.cannotCreate)
    }
    // A device or descriptor (`-o /dev/null`) takes raw samples, as standard output does.
    let streamDefault: Container? = Self.isStream(chosen) ? .raw : nil
    guard let container = options.format ?? Container(fileExtension: fileExtension) ?? streamDefault else {
      throw CommandFailure(
        chosen,
        fileExtension.isEmpty
          ? "cannot tell the container from '\(PathName.lastComponent(chosen))' (no extension); add --format"
          : "audioprep does not write .\(fileExtension); it writes \(Container.allCases.map { "." + $0.fileExtension }.joined(separator: " "))"
            // Another audio format's extension (.m4a) on a WAV would misname it: the name changes.
            + (audioFileExtensions.contains(fileExtension.lowercased()) ? ": name the output with one of them" : " (or name one with --format)"),
        code: ExitStatus.usage)
    }
    path = chosen
    format = options.fileFormat(container: container)
  }

  /// "-", or a path that exists and is not a regular file or directory (a FIFO, a device, a
  /// descriptor such as /dev/stdin): a stream, not a file.
  static func isStream(_ path: String) -> Bool {
    if path == "-" { return true }
    return Descriptor.status(path)?.isStream == true
  }

  /// Writes nothing: the output is only compared with a golden file.
  static func nowhere(encoding: SampleEncoding) -> OutputDestination {
    OutputDestination(discarding: OutputFileFormat(container: .raw, encoding: encoding))
  }

  private init(discarding format: OutputFileFormat) {
    path = nil
    self.format = format
    overwrite = false
    discards = true
  }

  /// The run's output. A segmented one hands each finished segment to `list`, its sidecar.
  func runOutput(list: SegmentList?) -> AudioPipeline.Output {
    var output = segmentedOutput(list: list)
    output.range = range
    output.trimsSilence = trimsSilence
    output.replaceable = replaceable
    return output
  }

  private func segmentedOutput(list: SegmentList?) -> AudioPipeline.Output {
    guard !discards else { return AudioPipeline.Output(.nowhere, format: format) }
    guard let path else { return AudioPipeline.Output(.standardOutput, format: format) }
    guard let segmentation else {
      let destination: AudioPipeline.Output.Destination =
        directory.map { .named(PathName.lastComponent(path), in: $0, path: path) } ?? .file(path)
      return AudioPipeline.Output(destination, format: format, overwrite: overwrite)
    }
    let segments = AudioPipeline.Output.Segments(
      lengthSeconds: segmentation.timing.length.seconds, overlapSeconds: segmentation.timing.overlap.seconds,
      pad: segmentation.timing.pad, directory: directory, name: path, path: segmentation.pattern.path,
      speech: segmentation.timing.speech, onSegment: { segment in try list?.append(segment, source: segmentation.source) })
    return AudioPipeline.Output(.segments(segments), format: format, overwrite: overwrite)
  }

  /// The sidecar of a segmented output, opened when its first line (or its commit) needs it.
  func segmentList(sampleRate: Int) -> SegmentList? {
    guard let segmentation else { return nil }
    let listPath = segmentation.listPath
    return SegmentList(
      path: listPath, pattern: segmentation.pattern, sampleRate: sampleRate, open: { try openFile(listPath) },
      lock: { [directory, pattern = segmentation.pattern] in
        var held: [OutputSetLock] = []
        // A list sent to standard output, a descriptor or a device (--segments-list -,
        // /dev/fd/3) holds no set of files, and has no directory for a lock file beside it
        // (review34b B6: /dev/fd/3 made "/dev/fd/3.lock", 73).
        if listPath != "-", OutputFile.descriptorNumber(named: listPath) == nil, Descriptor.status(listPath)?.isRegular ?? true {
          held.append(
            try OutputSetLock(
              PathName.lastComponent(listPath), in: directory ?? OutputDirectory.open(PathName.directoryPrefix(listPath)), path: listPath))
        }
        // And the segments' names, whatever list names them (review43 H03: two --force runs of
        // different inputs, or lists, onto one pattern interleaved, a mix neither list described).
        // Taken second, always: no two runs wait on each other. A batch's names are its lists'.
        if directory == nil, let folder = pattern.directory {
          let spelled = pattern.spelled
          do {
            held.append(try OutputSetLock(PathName.lastComponent(spelled), in: OutputDirectory.open(folder), path: spelled))
          } catch {
            held.forEach { $0.release() }
            throw error
          }
        }
        return held
      })
  }

  /// An output file, by name in `directory` when there is one (a batch output: never a device).
  private func openFile(_ path: String) throws -> OutputFile {
    if path == "-" { return try OutputFile.standardOutput() }
    let replaces = overwrite || replaceable?.contains(PathName.lastComponent(path)) == true
    guard let directory else { return try OutputFile(path: path, overwrite: replaces) }
    return try OutputFile(
      name: PathName.lastComponent(path), in: directory, path: path, overwrite: replaces, devicesInPlace: false,
      identicalStands: replaceable != nil)
  }

  /// talk.flac → talk.16k.wav; 22050 Hz → talk.22.05k.wav; with --format flac, talk.16k.flac.
  static func defaultPath(for input: String, rate: Int, container: Container) -> String {
    let kilohertz = Double(rate) / 1000
    let tag = kilohertz == kilohertz.rounded() ? "\(Int(kilohertz))k" : "\(kilohertz)k"
    return "\(PathName.directoryPrefix(input))\(PathName.stem(input)).\(tag).\(container.fileExtension)"
  }
}
