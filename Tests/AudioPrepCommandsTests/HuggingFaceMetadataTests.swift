import ArgumentParser
@testable import AudioPrepCommands
import Foundation
import Testing

/// The audiofolder's metadata as `datasets` reads it back (hostile review 30m, W1).
/// `load_dataset("audiofolder")` reads `metadata.csv` with pandas' `read_csv` and its default
/// missing values: an empty cell, quoted (`""`) or not, and `NA`, `null`, `None`, `n/a`, …
/// read as `None`, not as the text (checked with datasets 5.2 and pandas: `s/a b.wav` without
/// a transcript read `None`). `metadata.jsonl` (pyarrow's JSON reader) keeps every string.
@Suite struct HuggingFaceMetadataTests {
  /// The export's options for `arguments`.
  static func parsed(_ arguments: [String]) throws -> ManifestExportCommand {
    try ManifestExportCommand.parse(arguments)
  }

  /// `--to hf` writes `metadata.jsonl` unless `--metadata csv` asks for the CSV: an input
  /// without a transcript reads as "" there, as the docs promise (review 30m W1: `None` from
  /// metadata.csv broke `text.lower()`).
  @Test func theMetadataIsJSONLinesByDefault() throws {
    #expect(try Self.parsed(["--to", "hf", "m.jsonl", "-o", "o"]).metadata == .jsonl)
    #expect(try Self.parsed(["--to", "hf", "m.jsonl", "-o", "o", "--metadata", "csv"]).metadata == .csv)
    let corpus = ExportCorpus(
      recordings: [.init(id: "a", path: "s/a b.wav", sampleRate: 16000, channels: 1, frames: 16000)],
      utterances: [.init(id: "a", recordingID: "a", speaker: "NA", start: 0, duration: 1, text: "")])
    let jsonl = try HuggingFaceExport.file(for: corpus, as: .jsonl)
    let line = try #require(try JSONSerialization.jsonObject(with: Data(jsonl.text.utf8)) as? [String: Any])
    #expect(line["transcription"] as? String == "")
    #expect(line["speaker_id"] as? String == "NA")
  }

  /// With `--metadata csv`, what pandas would read as `None` is counted in one warning naming
  /// the first file: an empty transcription, and speakers or texts that are pandas' missing
  /// values (its `STR_NA_VALUES`, pandas 2.x: '', NA, null, None, n/a, nan, …). A text that
  /// only contains one (`nan nan`, read as the text) is not.
  @Test func aCSVsMissingValuesAreCounted() {
    func corpus(_ cells: [(text: String, speaker: String)]) -> ExportCorpus {
      ExportCorpus(
        recordings: cells.indices.map { .init(id: "r\($0)", path: "s/\($0).wav", sampleRate: 16000, channels: 1, frames: 16000) },
        utterances: cells.enumerated().map {
          .init(id: "r\($0.offset)", recordingID: "r\($0.offset)", speaker: $0.element.speaker, start: 0, duration: 1, text: $0.element.text)
        })
    }
    #expect(HuggingFaceExport.missingInPandas(corpus([("hello", "s"), ("nan nan", "NAN")])) == nil)
    let warning = HuggingFaceExport.missingInPandas(corpus([("hello", "s"), ("", "s"), ("NA", "None"), ("null", "s")]))
    #expect(warning?.hasPrefix("3 transcriptions and 1 speaker id (the first: s/1.wav) read as None") == true, "\(warning ?? "")")
  }

  /// With `--metadata csv`, a column whose every cell (its missing values aside) is a number
  /// is read by pandas as numbers: transcripts "007" and "1e5" came back as 7.0 and 100000.0,
  /// speakers "0019" and "019" both as 19 (review31m H5, with datasets 5.2): one warning names
  /// the column and its first such cell. A column with one cell of text stays text.
  @Test func aCSVColumnOfNumbersIsSaidToReadAsNumbers() {
    func corpus(_ cells: [(text: String, speaker: String)]) -> ExportCorpus {
      ExportCorpus(
        recordings: cells.indices.map { .init(id: "r\($0)", path: "s/\($0).wav", sampleRate: 16000, channels: 1, frames: 16000) },
        utterances: cells.enumerated().map {
          .init(id: "r\($0.offset)", recordingID: "r\($0.offset)", speaker: $0.element.speaker, start: 0, duration: 1, text: $0.element.text)
        })
    }
    let speakers = HuggingFaceExport.numbersInPandas(corpus([("hello", "0019"), ("world", "019")]))
    #expect(speakers?.contains("speaker_id") == true && speakers?.contains("'0019'") == true, "\(speakers ?? "")")
    let texts = HuggingFaceExport.numbersInPandas(corpus([("007", "a"), ("1e5", "b"), ("", "c")]))
    #expect(texts?.contains("transcription") == true && texts?.contains("'007'") == true, "\(texts ?? "")")
    #expect(HuggingFaceExport.numbersInPandas(corpus([("007", "0019"), ("seven", "s1")])) == nil)
    #expect(HuggingFaceExport.numbersInPandas(corpus([("hello", "spk1")])) == nil)
  }
}
