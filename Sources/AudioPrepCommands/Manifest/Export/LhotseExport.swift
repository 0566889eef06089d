/// Lhotse's `recordings.jsonl.gz` and `supervisions.jsonl.gz`, one `Recording` and one
/// `SupervisionSegment` a line as their `to_dict` writes them, gzipped (`Gzip.stored`), for
/// `lhotse.load_manifest` / `RecordingSet.from_file` and `CutSet.from_manifests`. Names'
/// bytes that are not UTF-8 are Python's `surrogateescape` escapes (`ExportFormat`).
package enum LhotseExport {
  package static func files(for corpus: ExportCorpus) -> [(name: String, bytes: [UInt8])] {
    var recordings = ""
    for recording in corpus.recordings {
      let channels = "[" + (0..<recording.channels).map(String.init).joined(separator: ",") + "]"
      recordings +=
        "{\"id\":\(JSONText.quoted(recording.id, bytes: .surrogateEscapes)),"
        + "\"sources\":[{\"type\":\"file\",\"channels\":\(channels),\"source\":\(JSONText.quoted(recording.path, bytes: .surrogateEscapes))}],"
        + "\"sampling_rate\":\(recording.sampleRate),\"num_samples\":\(recording.frames),"
        + "\"duration\":\(JSONText.number(recording.duration)),\"channel_ids\":\(channels)}\n"
    }
    let recordingsByID = Dictionary(uniqueKeysWithValues: corpus.recordings.map { ($0.id, $0) })
    var supervisions = ""
    for utterance in corpus.utterances {
      let recording = recordingsByID[utterance.recordingID]!
      let span = ExportCorpus.span(of: utterance, in: recording)
      let channels = segmentChannels(of: recording)
      let channel = channels.count == 1 ? String(channels[0]) : "[" + channels.map(String.init).joined(separator: ",") + "]"
      supervisions +=
        "{\"id\":\(JSONText.quoted(utterance.id, bytes: .surrogateEscapes)),\"recording_id\":\(JSONText.quoted(utterance.recordingID, bytes: .surrogateEscapes)),"
        + "\"start\":\(JSONText.number(span.start)),\"duration\":\(JSONText.number(span.duration)),"
        + "\"channel\":\(channel),"
        + (utterance.text.isEmpty ? "" : "\"text\":\(JSONText.quoted(utterance.text, bytes: .surrogateEscapes)),")
        + "\"speaker\":\(JSONText.quoted(utterance.speaker, bytes: .surrogateEscapes))}\n"
    }
    return [
      ("recordings.jsonl.gz", Gzip.stored(Array(recordings.utf8))),
      ("supervisions.jsonl.gz", Gzip.stored(Array(supervisions.utf8))),
    ]
  }

  /// The channels of `recording` its supervisions' audio was made of: with `--segments offsets`
  /// the recording is the input, whose every channel Lhotse reads, and a batch that kept one
  /// channel (`downmix=channelN`, `--channel N`, 0-based as Lhotse's) made its segments of that
  /// one alone (review31m W9: `[0,1]` for a segment of channel 1). An average is of every channel
  /// (`MultiCut.to_mono(mono_downmix=True)` mixes them), and so is a recording that is an output.
  static func segmentChannels(of recording: ExportCorpus.Recording) -> [Int] {
    let kept = recording.processedBy?.split(separator: " ").first { $0.hasPrefix("downmix=channel") }
      .flatMap { Int($0.dropFirst("downmix=channel".count)) }
    guard let kept, (0..<recording.channels).contains(kept) else { return Array(0..<recording.channels) }
    return [kept]
  }
}
