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

/// Issue 21: the ETA from each kind's speed over the files processed. Four 100-byte WAVs, 1 s
/// each, two workers: when the first finishes the other is nearly done, so about 1 s is left —
/// the old estimate (elapsed over bytes done) said 3 s.
@Suite struct BatchETATests {
  @Test func theFilesInFlightCountAsWorkDone() throws {
    var eta = BatchETA(inputs: ["a.wav", "b.wav", "c.wav", "d.wav"].map { ($0, 100) })
    #expect(eta.seconds(inFlight: [], workers: 2) == nil)
    eta.finished(path: "a.wav", bytes: 100, processedSeconds: 1)
    let seconds = try #require(eta.seconds(inFlight: [("b.wav", 100, 0.99)], workers: 2))
    #expect(abs(seconds - 1.005) < 1e-9)
    // A file in flight longer than its size at that speed counts as its size, never more.
    #expect(eta.seconds(inFlight: [("b.wav", 100, 60)], workers: 1) == 2)
  }

  /// An MP3 byte costs more than a WAV byte: each kind at its own speed, a kind not yet seen at
  /// the speed of all.
  @Test func eachKindAtItsOwnSpeed() throws {
    var eta = BatchETA(inputs: [("a.wav", 1000), ("b.wav", 4000), ("c.mp3", 100), ("d.mp3", 100), ("e.flac", 300)])
    eta.finished(path: "a.wav", bytes: 1000, processedSeconds: 1)  // 1000 B/s
    eta.finished(path: "c.mp3", bytes: 100, processedSeconds: 1)  // 100 B/s
    eta.finished(path: "x.txt", bytes: 0, processedSeconds: nil)
    // b.wav 4 s, d.mp3 1 s, e.flac at the overall 1100/2 = 550 B/s: 300/550 s.
    let seconds = try #require(eta.seconds(inFlight: [], workers: 1))
    #expect(abs(seconds - (4 + 1 + 300.0 / 550)) < 1e-9)
    // Skipped (not processed) inputs are done but say nothing of the speed.
    eta.finished(path: "b.wav", bytes: 4000, processedSeconds: nil)
    #expect(abs(try #require(eta.seconds(inFlight: [], workers: 1)) - (1 + 300.0 / 550)) < 1e-9)
  }
}
