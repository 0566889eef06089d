extension AudioPipeline {
  /// Where a run writes, in what format, and whether it may replace what is there.
  public struct Output {
    /// The places a run's stream can go.
    public enum Destination {
      /// Standard output: raw samples, or WAV with exact sizes when the length is known.
      case standardOutput
      /// A path as given: a regular file through a temporary, a device or FIFO in place.
      case file(String)
      /// A file `name` in an open `directory` (batch outputs: never a device, never through a
      /// symlink); `path` names it in messages.
      case named(String, in: OutputDirectory, path: String)
      /// One file per segment of the stream.
      case segments(Segments)
      /// The samples, kept in `RunResult.samples`.
      case memory
      /// The chunks, handed to a sink of the caller's (`AudioPipeline.pull`): finished or
      /// aborted by the run like any other.
      case sink(any AudioSink)
      /// Nothing is written (a run that only compares with a golden file, or only measures).
      case nowhere
    }

    /// Consecutive files of a fixed length (`--segment`), optionally overlapping.
    public struct Segments {
      public var lengthSeconds: Double
      public var overlapSeconds: Double
      /// Zero-pad the last segment to full length.
      public var pad: Bool
      /// How messages name the segments (the pattern as given, `out_%04d.wav`).
      public var name: String
      /// Segment k's path.
      public var path: (Int) -> String
      /// Segments are created by name in this directory (batch), or at their paths.
      public var directory: OutputDirectory?
      /// Hears of each segment once it is in place (a sidecar list appends a line).
      public var onSegment: (SegmentingSink.Segment) throws -> Void
      /// Cut where speech is, not at fixed lengths (`lengthSeconds` is then the longest window
      /// for `.atPauses`, unused for `.utterances`); nil runs no detector.
      public var speech: SpeechCutting?

      public init(
        lengthSeconds: Double, overlapSeconds: Double = 0, pad: Bool = false, directory: OutputDirectory? = nil,
        name: String, path: @escaping (Int) -> String, speech: SpeechCutting? = nil,
        onSegment: @escaping (SegmentingSink.Segment) throws -> Void = { _ in }
      ) {
        self.name = name
        self.speech = speech
        self.lengthSeconds = lengthSeconds
        self.overlapSeconds = overlapSeconds
        self.pad = pad
        self.directory = directory
        self.path = path
        self.onSegment = onSegment
      }

      /// "a/b/s_0001.wav" → "s_0001.wav".
      static func lastComponent(_ path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
      }

      /// Frames in `seconds` at `rate`, to the nearest frame.
      public static func frames(_ seconds: Double, at rate: Int) -> Int { Int((seconds * Double(rate)).rounded()) }
    }

    public var destination: Destination
    public var format: OutputFileFormat
    /// Replace an existing file (`--force`); the earlier one comes back if the run fails.
    public var overwrite: Bool
    /// A batch's rule (nil elsewhere): the names in the output's directory it replaces without
    /// `overwrite`, the files the input's own manifest record says it wrote. A file under any
    /// other of its names stays: the output is taken as written when it holds the same bytes
    /// (another run of the same corpus, under another manifest or at the same time, wrote it),
    /// and refused (`outputTaken`) when not, even a file that appears while the run goes (the
    /// move into place is a `link`).
    public var replaceable: Set<String>?
    /// Only this part of the stream is written (`--start`, `--end`); nil writes it all.
    public var range: TimeRange?
    /// Only the stream's speech is written, from its first region to its last, decided as it
    /// streams (`--trim-silence` on standard input; files take their extent from a first pass).
    public var trimsSilence: SpeechTrimSink.Settings?

    public init(_ destination: Destination, format: OutputFileFormat = OutputFileFormat(container: .wav), overwrite: Bool = false) {
      self.destination = destination
      self.format = format
      self.overwrite = overwrite
    }

    /// Whether the file `path` names (by its last component, in the output's directory) may
    /// be replaced.
    func replaces(_ path: String) -> Bool { overwrite || replaceable?.contains(Segments.lastComponent(path)) == true }

    /// How messages name the output.
    public var displayPath: String {
      switch destination {
      case .standardOutput: "-"
      case .file(let path), .named(_, in: _, path: let path): path
      case .segments(let segments): segments.name
      case .memory, .sink: "(memory)"
      case .nowhere: "(not written)"
      }
    }

    /// Whether bytes are written anywhere.
    var writes: Bool {
      switch destination {
      case .memory, .sink, .nowhere: false
      default: true
      }
    }

    /// What the output adds to a run's fingerprint: every choice that shapes its bytes.
    public var fingerprint: String { baseFingerprint + (range.map { " " + $0.fingerprint } ?? "") }

    private var baseFingerprint: String {
      if case .segments(let segments) = destination {
        return Self.fingerprint(format: format, segmentSeconds: segments.lengthSeconds, overlapSeconds: segments.overlapSeconds)
          + (segments.speech.map { " " + $0.fingerprint } ?? "")
      }
      return Self.fingerprint(format: format, segmentSeconds: nil)
    }

    /// The fingerprint of any output of `format`, cut into segments of `segmentSeconds` or not.
    public static func fingerprint(format: OutputFileFormat, segmentSeconds: Double?, overlapSeconds: Double = 0) -> String {
      format.fingerprint + " segment=" + (segmentSeconds.map { "\($0)s/overlap\(overlapSeconds)s" } ?? "none")
    }

    /// This output for a stream that starts at frame `start` of the source (a `--start` range
    /// is cut first): each segment says where it lies in the source, not in the range.
    func inSourceTimeline(from start: Int) -> Output {
      guard start > 0, case .segments(var segments) = destination else { return self }
      let onSegment = segments.onSegment
      segments.onSegment = { segment in
        var shifted = segment
        shifted.startFrame += start
        try onSegment(shifted)
      }
      var output = self
      output.destination = .segments(segments)
      return output
    }

    /// The one sink factory: the sink for a stream of `stream`'s format. `expectedFrames`, when
    /// the length is known in advance, gives exact WAV sizes on standard output and picks RF64
    /// only when needed.
    func makeSink(for stream: StreamFormat, expectedFrames: Int?) throws -> AudioSink {
      switch destination {
      case .nowhere: return DiscardingSink()
      case .memory: return MemorySink()
      case .sink(let sink): return sink
      case .standardOutput:
        return StdoutSink(
          stream: stream, format: format, expectedFrames: expectedFrames, output: try OutputFile.standardOutput())
      case .file(let path):
        return try FileSink(path: path, format: format, stream: stream, overwrite: replaces(path), expectedFrames: expectedFrames)
      case .named(let name, let directory, let path):
        return try FileSink(
          name: name, in: directory, path: path, format: format, stream: stream, overwrite: replaces(name),
          identicalStands: replaceable != nil, expectedFrames: expectedFrames)
      case .segments(let segments):
        let format = format
        let output = self
        let openSegment: (Int) throws -> FileSink = { index in
          let path = segments.path(index)
          guard let directory = segments.directory else {
            return try FileSink(path: path, format: format, stream: stream, overwrite: output.replaces(path))
          }
          return try FileSink(
            name: Segments.lastComponent(path), in: directory, path: path, format: format, stream: stream,
            overwrite: output.replaces(path), identicalStands: output.replaceable != nil)
        }
        if let speech = segments.speech {
          return try speech.makeSink(
            stream: stream, lengthFrames: max(1, Segments.frames(segments.lengthSeconds, at: stream.sampleRate)),
            openSegment: openSegment, onFinished: segments.onSegment)
        }
        return try SegmentingSink(
          lengthFrames: max(1, Segments.frames(segments.lengthSeconds, at: stream.sampleRate)),
          overlapFrames: Segments.frames(segments.overlapSeconds, at: stream.sampleRate), pad: segments.pad,
          stream: stream, openSegment: openSegment, onFinished: segments.onSegment)
      }
    }
  }
}
