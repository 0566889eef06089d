/// One CSV row per utterance, for anything else: `id,audio_path,offset,duration,sample_rate,
/// channels,speaker,text` with a header line.
package enum CSVExport {
  package static func text(for corpus: ExportCorpus) -> String {
    let recordings = Dictionary(uniqueKeysWithValues: corpus.recordings.map { ($0.id, $0) })
    var text = CSVText.row(["id", "audio_path", "offset", "duration", "sample_rate", "channels", "speaker", "text"])
    for utterance in corpus.utterances {
      let recording = recordings[utterance.recordingID]!
      let span = ExportCorpus.span(of: utterance, in: recording)
      text += CSVText.row([
        utterance.id, recording.path, KaldiExport.seconds(span.start), KaldiExport.seconds(span.duration),
        String(recording.sampleRate), String(recording.channels), utterance.speaker, utterance.text,
      ])
    }
    return text
  }
}
