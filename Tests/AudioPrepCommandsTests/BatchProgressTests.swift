@testable import AudioPrepCommands
import Testing

/// Issue 21: the batch progress line names the input in flight (the one taken longest ago) and
/// how many others are; a finished input leaves the line.
@Suite struct BatchProgressTests {
  private func record(_ path: String) -> ManifestRecord {
    ManifestRecord(
      input: "corpus/" + path, relativePath: path, output: "out/" + path, status: .ok, params: "", shard: nil,
      corpusInputs: 3, shardInputs: 3)
  }

  @Test func namesTheInputInFlight() {
    let progress = BatchProgress(style: .silent, total: 3, totalBytes: 300)
    #expect(!progress.progressText.contains("now"))
    progress.started("spk1/a.flac")
    #expect(progress.progressText.hasSuffix("; now spk1/a.flac"))
    progress.started("spk2/b.flac")
    #expect(progress.progressText.hasSuffix("; now spk1/a.flac (+1)"))
    progress.record(record("spk1/a.flac"), bytes: 100)
    #expect(progress.progressText.hasSuffix("; now spk2/b.flac"))
    #expect(progress.progressText.hasPrefix("audioprep: batch: 1/3 files, "))
    progress.record(record("spk2/b.flac"), bytes: 100)
    #expect(!progress.progressText.contains("now"))
  }

  /// A name with a newline stays on the one line.
  @Test func aControlCharacterInTheNameIsEscaped() {
    let progress = BatchProgress(style: .silent, total: 1, totalBytes: 1)
    progress.started("a\nb.wav")
    #expect(progress.progressText.hasSuffix("; now a\\nb.wav"))
  }
}
