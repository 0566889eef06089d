import DSP

/// The formats `manifest export` writes, each as the files that make it up, in bytes.
///
/// Names are bytes (`PathBytes`), and each format writes them as its consumer reads them back
/// into the same bytes: the text formats (Kaldi's files, CSV) byte for byte, since Kaldi and
/// `csv` read bytes; the JSON formats, which must be UTF-8, as their characters where the bytes
/// are UTF-8 and Python's `surrogateescape` escapes (`\udcXX`) for the bytes that are not,
/// which `json.loads` and then `open` turn back into the same bytes.
package enum ExportFormat: String, CaseIterable, Sendable {
  case kaldi, nemo, lhotse, hf, csv

  /// Kaldi, Lhotse and the Hugging Face audiofolder are directories; NeMo and CSV one file.
  package var writesDirectory: Bool { [.kaldi, .lhotse, .hf].contains(self) }

  /// Every file a directory format may write (which of them an export writes depends on the
  /// corpus and the options): what an earlier export into the directory may have left.
  package var fileNames: [String] {
    switch self {
    case .kaldi: ["wav.scp", "segments", "utt2spk", "spk2utt", "utt2dur", "text"]
    case .lhotse: ["recordings.jsonl.gz", "supervisions.jsonl.gz"]
    case .hf: HuggingFaceExport.Metadata.allCases.map { "metadata.\($0.rawValue)" }
    case .nemo, .csv: []
    }
  }

  /// Why this format's toolkit cannot read a batch input as the batch read it (`--segments
  /// offsets`: the recording is the input, each segment a span of it), or nil (review32m H1,
  /// H2). Lhotse and NeMo read a file's first audio stream, and NeMo averages its channels; a
  /// batch that read another stream, kept one channel or kept them all made other audio. Kaldi
  /// repeats the batch's processing in a pipe (`KaldiExport`), where it can.
  func offsetsProblem(params: String, channels: Int) -> String? {
    guard self == .nemo || self == .lhotse else { return nil }
    let tokens = params.split(separator: " ")
    if let stream = InputHeader.decoding(params).audioStream, stream != 0 {
      return "the batch read its audio stream \(stream), and \(rawValue) reads a file's first: export its segments with --segments files"
    }
    if self == .nemo, channels > 1, !tokens.contains("downmix=average") {
      let kept = tokens.first { $0.hasPrefix("downmix=channel") }.map { "kept channel \($0.dropFirst("downmix=channel".count))" } ?? "kept every channel"
      return "the batch \(kept), and NeMo averages a file's channels: export its segments with --segments files"
    }
    return nil
  }

  /// The files of `corpus` in this format; `fileName` is the single file's name (NeMo, CSV).
  package func files(
    for corpus: ExportCorpus, fileName: String, metadata: HuggingFaceExport.Metadata = .jsonl,
    audioprepCommand: String = "audioprep"
  ) throws -> [(name: String, bytes: [UInt8])] {
    // Text holding names' bytes (`PathBytes`), and JSON, which holds characters only (its
    // names' bytes that are not UTF-8 already written as `\udcXX`).
    let bytes = { (files: [(name: String, text: String)]) in files.map { ($0.name, PathBytes.bytes(of: $0.text)) } }
    let json = { (files: [(name: String, text: String)]) in files.map { ($0.name, Array($0.text.utf8)) } }
    for recording in corpus.recordings {
      if let params = recording.processedBy, let problem = offsetsProblem(params: params, channels: recording.channels) {
        throw CommandFailure(recording.path, problem, code: ExitStatus.dataError)
      }
    }
    switch self {
    case .kaldi: return bytes(try KaldiExport(audioprepCommand: audioprepCommand).files(for: corpus))
    case .nemo: return json([(fileName, NeMoExport.text(for: corpus))])
    case .lhotse: return LhotseExport.files(for: corpus)
    case .hf:
      let file = try HuggingFaceExport.file(for: corpus, as: metadata)
      return metadata == .jsonl ? json([file]) : bytes([file])
    case .csv: return bytes([(fileName, CSVExport.text(for: corpus))])
    }
  }
}
