@testable import AudioPrepCommands
import Foundation
import Testing

/// The items of the hostile review review33n (manifests) checked in process.
@Suite struct Review33nManifestTests {
  /// W1, W4: `--speaker-from -1` is a value named as one (it was "Missing value"); a merged
  /// manifest named as a shard's is refused (64: every later merge took it for that shard's).
  @Test func optionValuesAndMergeNames() {
    let speaker = AudioPrep.usageError(["manifest", "export", "--to", "kaldi", "m.jsonl", "-o", "k", "--speaker-from", "-1"]) ?? "parsed"
    #expect(speaker.contains("'-1' is not utterance, parent or a directory level"), "\(speaker)")
    let named = AudioPrep.usageError(["manifest", "merge", "a.jsonl", "-o", "s/manifest.5-of-9.jsonl"]) ?? "parsed"
    #expect(named.contains("is named as shard 5/9's manifest"), "\(named)")
  }

  /// W3: with `segments` Kaldi's `text` is written, ids alone without transcripts: Lhotse's
  /// Kaldi importer needs it whenever `segments` exists.
  @Test func kaldiSegmentsComeWithText() throws {
    let corpus = ExportCorpus(
      recordings: [.init(id: "r", path: "r.wav", sampleRate: 16000, channels: 1, frames: 32000)],
      utterances: [
        .init(id: "r-0000", recordingID: "r", speaker: "r", start: 0, duration: 1, text: ""),
        .init(id: "r-0001", recordingID: "r", speaker: "r", start: 1, duration: 1, text: ""),
      ])
    let files = try KaldiExport().files(for: corpus)
    #expect(files.first { $0.name == "text" }?.text == "r-0000\nr-0001\n")
    // Whole recordings without transcripts: no text (validate_data_dir.sh --no-text).
    let whole = ExportCorpus(
      recordings: [.init(id: "r", path: "r.wav", sampleRate: 16000, channels: 1, frames: 32000)],
      utterances: [.init(id: "r", recordingID: "r", speaker: "r", start: 0, duration: 2, text: "")])
    #expect(try KaldiExport().files(for: whole).contains { $0.name == "text" } == false)
  }

  /// review33p C1: merge takes -q as batch and export do (it said "-q is process's").
  @Test func mergeTakesQuiet() {
    #expect(AudioPrep.usageError(["manifest", "merge", "a.jsonl", "-q"]) == nil)
    #expect(AudioPrep.usageError(["manifest", "merge", "a.jsonl", "--quiet", "-o", "m.jsonl"]) == nil)
  }
}
