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
      let channels = recording.channels
      let span = ExportCorpus.span(of: utterance, in: recording)
      let channel = channels == 1 ? "0" : "[" + (0..<channels).map(String.init).joined(separator: ",") + "]"
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
}
