/// A Hugging Face `audiofolder`'s metadata: `metadata.csv` (or `metadata.jsonl`) in the
/// directory the audio lies below, `file_name` relative to it, then `transcription`,
/// `duration`, `speaker_id` columns, as `load_dataset("audiofolder", data_dir=DEST)` reads them.
/// Only whole files: an audiofolder has no offsets.
package enum HuggingFaceExport {
  package enum Metadata: String, CaseIterable {
    case csv, jsonl
  }

  /// 64 when a file does not lie below the metadata's directory (give `-o` the batch's output
  /// directory) or when utterances are parts of recordings.
  package static func file(for corpus: ExportCorpus, as metadata: Metadata) throws -> (name: String, text: String) {
    guard !corpus.hasSegments else {
      throw CommandFailure("--to hf", "an audiofolder holds whole files: use --segments files", code: ExitStatus.usage)
    }
    let recordings = Dictionary(uniqueKeysWithValues: corpus.recordings.map { ($0.id, $0) })
    var text = metadata == .csv ? CSVText.row(["file_name", "transcription", "duration", "speaker_id"]) : ""
    for utterance in corpus.utterances {
      let path = recordings[utterance.recordingID]!.path
      guard !path.hasPrefix("/"), !PathName.components(path).contains("..") else {
        throw CommandFailure(path, "is not below the audiofolder's directory (give -o the batch's --out-dir)", code: ExitStatus.usage)
      }
      switch metadata {
      case .csv:
        text += CSVText.row([path, utterance.text, KaldiExport.seconds(utterance.duration), utterance.speaker])
      case .jsonl:
        var line = JSONLine()
        line.set("file_name", path)
        line.set("transcription", utterance.text)
        line.set("duration", utterance.duration)
        line.set("speaker_id", utterance.speaker)
        text += line.encoded(.surrogateEscapes) + "\n"
      }
    }
    return ("metadata.\(metadata.rawValue)", text)
  }
}
