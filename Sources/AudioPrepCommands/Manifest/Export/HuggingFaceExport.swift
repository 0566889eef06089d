import DSP

/// A Hugging Face `audiofolder`'s metadata: `metadata.csv` (or `metadata.jsonl`) in the
/// directory the audio lies below, `file_name` relative to it, then `transcription`,
/// `duration`, `speaker_id` columns, as `load_dataset("audiofolder", data_dir=DEST)` reads them.
/// Only whole files: an audiofolder has no offsets.
package enum HuggingFaceExport {
  package enum Metadata: String, CaseIterable {
    case csv, jsonl
  }

  /// The cells pandas' `read_csv` takes for missing values by default (`STR_NA_VALUES`, pandas
  /// 2): `load_dataset("audiofolder")` reads a `metadata.csv` with it, and such a cell, quoted
  /// or not, is `None` there, not the text.
  static let pandasMissingValues: Set<String> = [
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA",
    "NULL", "NaN", "None", "n/a", "nan", "null",
  ]

  /// What of `corpus` a `metadata.csv` would give `datasets` as `None` instead of its text
  /// (hostile review 30m, W1: an input without a transcript read `None`), as one warning, or
  /// nil: `metadata.jsonl` keeps them all.
  static func missingInPandas(_ corpus: ExportCorpus) -> String? {
    let texts = corpus.utterances.filter { pandasMissingValues.contains($0.text) }
    let speakers = corpus.utterances.filter { pandasMissingValues.contains($0.speaker) }
    guard !texts.isEmpty || !speakers.isEmpty else { return nil }
    let first = (texts.first ?? speakers.first)!
    let path = corpus.recordings.first { $0.id == first.recordingID }?.path ?? first.id
    return "\(Text.count(texts.count, "transcription")) and \(Text.count(speakers.count, "speaker id")) (the first: \(path)) "
      + "read as None in load_dataset(\"audiofolder\"), whose pandas takes '', NA, null, None, n/a, nan, … for missing values: "
      + "--metadata jsonl (the default) keeps them"
  }

  /// What of `corpus` a `metadata.csv` would give `datasets` as numbers instead of its text, as
  /// one warning, or nil: pandas reads a column whose every cell (its missing values aside) is a
  /// number as numbers (transcripts "007" and "1e5" came back 7.0 and 100000.0, speakers "0019"
  /// and "019" both 19: review31m H5). `metadata.jsonl` keeps them text.
  static func numbersInPandas(_ corpus: ExportCorpus) -> String? {
    let columns = [("transcription", corpus.utterances.map(\.text)), ("speaker_id", corpus.utterances.map(\.speaker))]
    let numeric = columns.compactMap { name, cells -> (String, String)? in
      let present = cells.filter { !pandasMissingValues.contains($0) }
      guard let first = present.first, present.allSatisfy(isPandasNumber) else { return nil }
      return (name, first)
    }
    guard !numeric.isEmpty else { return nil }
    let said = numeric.map { "\($0.0) (the first: '\($0.1)')" }.joined(separator: " and ")
    return "\(said) holds only numbers, which load_dataset(\"audiofolder\") reads as numbers ('007' as 7, '0019' and '019' as one 19): "
      + "--metadata jsonl (the default) keeps them text"
  }

  /// Whether pandas' `read_csv` takes `cell` for a number: an integer or a decimal, with a sign
  /// and an exponent allowed, or inf.
  static func isPandasNumber(_ cell: String) -> Bool {
    var text = Substring(cell)
    if text.first == "+" || text.first == "-" { text = text.dropFirst() }
    if ["inf", "infinity"].contains(text.lowercased()) { return true }
    var mantissa = text, exponent: Substring?
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      mantissa = text[..<e]
      exponent = text[text.index(after: e)...]
    }
    let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
    let digits = parts.joined()
    guard !digits.isEmpty, parts.count <= 2, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
    guard var exponent else { return true }
    if exponent.first == "+" || exponent.first == "-" { exponent = exponent.dropFirst() }
    return !exponent.isEmpty && exponent.allSatisfy { $0.isASCII && $0.isNumber }
  }

  /// 64 when a file does not lie below the metadata's directory (give `-o` the batch's output
  /// directory) or when utterances are parts of recordings; 65 for a name or transcript that
  /// is not UTF-8.
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
      // `load_dataset("audiofolder")` reads the metadata with pyarrow/pandas, which fail on the
      // whole dataset for a name or text that is not UTF-8 (csv: UnicodeDecodeError; jsonl: "The
      // surrogate pair in string is invalid"), as no line of wav.scp can hold a line break.
      guard !PathBytes.hasEscapes(path) else {
        throw CommandFailure(
          path, "its name is not UTF-8, which load_dataset(\"audiofolder\") cannot read (the whole dataset fails to load): rename it",
          code: ExitStatus.dataError)
      }
      guard !PathBytes.hasEscapes(utterance.text) else {
        throw CommandFailure(
          path, "its transcript is not UTF-8 text, which load_dataset(\"audiofolder\") cannot read (the whole dataset fails to load): "
            + "convert it (iconv -f latin1 -t utf-8)", code: ExitStatus.dataError)
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

  /// The audio files below `directory` (the audiofolder) that `listed` (paths relative to it)
  /// does not hold, relative and sorted: `load_dataset("audiofolder")` takes every audio file
  /// below its directory, and one without metadata is loaded with empty fields or fails the
  /// load. Walked as a batch walks its inputs (hidden entries and symlinked directories
  /// skipped); audio is an audio extension.
  static func unlistedAudio(below directory: String, listed: Set<PathKey>) -> [String] {
    // Extensions only: audiofolder reads no other file, and opening one is no export's business
    // (a default `DecoderOptions()` crashed on a README: review33m H1).
    var collector = InputCollector(excluding: nil, rawInput: false, decoding: nil)
    collector.add([directory])
    return collector.inputs.map(\.relativePath).filter {
      audioFileExtensions.contains(PathName.fileExtension($0).lowercased()) && !listed.contains(PathKey($0))
    }.sorted { PathKey($0) < PathKey($1) }
  }

  /// Refuses (73) an audiofolder holding audio no record lists, naming the first and the count;
  /// the files are the user's: never removed, --force or not.
  static func refuseUnlistedAudio(below directory: String, corpus: ExportCorpus) throws {
    let unlisted = unlistedAudio(below: directory, listed: Set(corpus.recordings.map { PathKey($0.path) }))
    guard let first = unlisted.first else { return }
    throw CommandFailure(
      PathName.join(directory, first),
      "is audio no record lists (\(Text.count(unlisted.count, "audio file")) below \(directory)): load_dataset(\"audiofolder\") "
        + "would read them without metadata; move them out, or batch into a new --out-dir",
      code: ExitStatus.cannotCreate)
  }
}
