import AudioPrepCommands
import Foundation
import Testing

/// How durations and transcripts are spelled in the exports (hostile review 30m, C3, C4).
@Suite struct ExportTextTests {
  typealias Export = ManifestExportTests

  /// One recording of `frames` at 16 kHz, its utterance the whole of it.
  static func corpus(frames: Int64) -> ExportCorpus {
    let recording = ExportCorpus.Recording(id: "a", path: "s/a.wav", sampleRate: 16000, channels: 1, frames: frames)
    return ExportCorpus(
      recordings: [recording],
      utterances: [.init(id: "a", recordingID: "a", speaker: "s", start: 0, duration: recording.duration, text: "")])
  }

  /// A duration is the same number in every format, exact: 34,691 frames at 16 kHz are
  /// 2.1681875 s (the decimal of 34691/16000, which has 7 digits), in the CSV, the audiofolder's
  /// CSV and Kaldi's `utt2dur` as in the JSON lines; they said 2.168188 in the CSVs (review 30m C3).
  @Test func aDurationIsSpelledOneWayInEveryFormat() throws {
    let corpus = Self.corpus(frames: 34_691)
    #expect(CSVExport.text(for: corpus).contains(",2.1681875,"), "\(CSVExport.text(for: corpus))")
    #expect(try HuggingFaceExport.file(for: corpus, as: .csv).text.contains(",2.1681875,"))
    #expect(try HuggingFaceExport.file(for: corpus, as: .jsonl).text.contains("\"duration\":2.1681875"))
    let kaldi = try ExportFormat.kaldi.files(for: corpus, fileName: "x")
    let utt2dur = try #require(kaldi.first { $0.name == "utt2dur" })
    #expect(String(decoding: utt2dur.bytes, as: UTF8.self) == "a 2.1681875\n")
    #expect(NeMoExport.text(for: corpus).contains("\"duration\":2.1681875"))
    // Whole seconds stay whole in the text formats.
    #expect(CSVExport.text(for: Self.corpus(frames: 32_000)).contains(",0,2,16000,"))
  }

  /// Every byte order mark at the start of a transcript goes, not only the first: a file
  /// saved twice by a Windows editor kept U+FEFF in Kaldi's `text` (review 30m C4).
  @Test func everyLeadingByteOrderMarkOfATranscriptGoes() throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    try scratch.write("corpus/spk1/a.txt", Data(bom + bom + Array("HELLO".utf8) + bom + Array(" WORLD\n".utf8)))
    let corpus = try ExportCorpus(records: [Export.record("spk1/a.wav")], options: scratch.options)
    #expect(corpus.utterances.map(\.text) == ["HELLO\u{FEFF} WORLD"])
  }
}
