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
