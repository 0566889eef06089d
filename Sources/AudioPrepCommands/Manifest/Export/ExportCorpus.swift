/// What every export format is written from: recordings (audio files) and the utterances in
/// them, with Kaldi-safe ids, in the byte order (`LC_ALL=C`) Kaldi's tools require.
package struct ExportCorpus: Equatable {
  /// One audio file as the consumers will open it.
  package struct Recording: Equatable {
    package var id: String
    /// As it is written: absolute, or relative to the export's destination.
    package var path: String
    package var sampleRate: Int
    package var channels: Int
    package var frames: Int64
    /// Set when the recording is a batch input and its utterances are segments of it
    /// (`--segments offsets`): the batch's `params`, so that Kaldi can get the processed audio
    /// through a pipe, as the segment files were made.
    package var processedBy: String?
    /// A 16-bit PCM WAV file, which Kaldi reads as it is (else `wav.scp` decodes it in a pipe).
    package var isPlainWAV: Bool

    package var duration: Double { Double(frames) / Double(sampleRate) }

    package init(
      id: String, path: String, sampleRate: Int, channels: Int, frames: Int64, processedBy: String? = nil,
      isPlainWAV: Bool = true
    ) {
      (self.id, self.path, self.sampleRate, self.channels, self.frames) = (id, path, sampleRate, channels, frames)
      self.processedBy = processedBy
      self.isPlainWAV = isPlainWAV
    }
  }

  /// One utterance: a whole recording, or a segment of one.
  package struct Utterance: Equatable {
    package var id: String
    package var recordingID: String
    package var speaker: String
    package var start: Double
    package var duration: Double
    package var text: String

    package init(id: String, recordingID: String, speaker: String, start: Double, duration: Double, text: String) {
      (self.id, self.recordingID, self.speaker) = (id, recordingID, speaker)
      (self.start, self.duration, self.text) = (start, duration, text)
    }
  }

  package init(recordings: [Recording], utterances: [Utterance]) {
    self.recordings = recordings
    self.utterances = utterances
  }

  package var recordings: [Recording]
  package var utterances: [Utterance]
  /// The segment files the corpus names (from the batch's directory), which no records name:
  /// no file of the export may replace one (`ExportProtection` protects what records name).
  package var segmentFiles: [String] = []
  /// What was left out, each naming it (a recording or utterance of no samples).
  package var warnings: [Warning] = []
  /// The inputs not there whose transcripts were therefore not read (`transcript(forInput:)`).
  var inputsNotThere: [String] = []

  /// One thing left out: `PATH: message`.
  package struct Warning: Equatable {
    package var path: String
    package var message: String
  }

  /// `utterance`'s start and duration in `recording`, ending at the recording's end at the
  /// latest. A segment's end in its source is counted in output frames, so the last one can
  /// end up to one output frame (62.5 µs at 16 kHz) after the input does: NeMo and Lhotse read
  /// the input itself and get what it has. (Kaldi's pipe is the processed audio, exactly as long.)
  package static func span(of utterance: Utterance, in recording: Recording) -> (start: Double, duration: Double) {
    guard utterance.start + utterance.duration > recording.duration else { return (utterance.start, utterance.duration) }
    return (utterance.start, max(0, ((recording.duration - utterance.start) * 1e6).rounded(.down) / 1e6))
  }

  /// True when some utterance is a part of its recording (Kaldi then needs a `segments` file).
  package var hasSegments: Bool {
    let whole = Set(recordings.map(\.id))
    return utterances.contains { !whole.contains($0.id) }
  }
}

/// Byte order of UTF-8, as `sort` orders under `LC_ALL=C`.
func cOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
