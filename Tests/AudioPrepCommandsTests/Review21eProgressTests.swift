@testable import AudioPrepCommands
import Foundation
import ArgumentParser
import Testing

/// At 40 columns the progress line dropped the file in flight (the counts left 7 columns for
/// it), and with no file in flight it was cut inside the hours (review21e 11).
@Suite struct NarrowProgressTests {
  @Test func aNarrowTerminalKeepsTheFileInFlight() {
    let progress = BatchProgress(style: .silent, total: 4, totalBytes: 4000)
    progress.started("spk1/a-ten-minute-recording.wav")
    progress.started("spk1/b.wav")
    let line = progress.progressText(columns: 40)
    #expect(line.hasPrefix("0/4; now spk1/") && line.hasSuffix(".wav (+1)") && TerminalText.width(line) <= 39, "\(line)")
    let idle = BatchProgress(style: .silent, total: 15, totalBytes: 1000)
    #expect(idle.progressText(columns: 40) == "batch: 0/15 files")
  }
}

/// The line's "x real time" counted only finished audio against all the time elapsed, so it
/// fell while a long file was in flight (422x → 116x, then a jump to 587x: review21e 26). It is
/// the audio of the files finished over the time their processing took, shared by the workers:
/// steady while a long file runs, and independent of when the line is drawn.
@Suite struct ProgressSpeedTests {
  @Test func theSpeedIsTheFinishedFilesOwn() {
    let progress = BatchProgress(style: .silent, total: 3, totalBytes: 300, workers: 2)
    for (path, audio, wall) in [("a.wav", 60.0, 0.5), ("b.wav", 30.0, 0.25)] {
      var record = ManifestRecord(
        input: "corpus/" + path, relativePath: path, output: "out/" + path, status: .ok, params: "", shard: nil, corpusInputs: 3,
        shardInputs: 3)
      record.durationSeconds = audio
      record.wallSeconds = wall
      progress.record(record, bytes: 100)
    }
    // 90 s of audio in 0.75 s of one worker's time, two workers: 240x.
    #expect(progress.progressText.contains(", 240x real time"), "\(progress.progressText)")
  }
}
