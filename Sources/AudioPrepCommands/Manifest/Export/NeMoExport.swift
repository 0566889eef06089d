/// A NeMo ASR manifest: one JSON object a line, `audio_filepath`, `duration` (seconds), `offset`
/// (seconds into the file, only for utterances that are parts of their recording: `--segments
/// offsets`) and `text` (the transcript, "" when there is none), as NeMo's ASR datasets read it.
package enum NeMoExport {
  package static func text(for corpus: ExportCorpus) -> String {
    let recordings = Dictionary(uniqueKeysWithValues: corpus.recordings.map { ($0.id, $0) })
    var text = ""
    for utterance in corpus.utterances {
      let recording = recordings[utterance.recordingID]!
      var line = JSONLine()
      // A bare name NeMo resolves against the directory it runs in; `./NAME` against the
      // manifest's, where a relative path was written from (review32m W8).
      line.set("audio_filepath", recording.path.hasPrefix("/") || recording.path.contains("/") ? recording.path : "./" + recording.path)
      let span = ExportCorpus.span(of: utterance, in: recording)
      line.set("duration", span.duration)
      if utterance.id != recording.id { line.set("offset", span.start) }
      line.set("text", utterance.text)
      text += line.encoded(.surrogateEscapes) + "\n"
    }
    return text
  }
}
