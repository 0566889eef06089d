import AudioPrepCommands
import Testing

/// Usage errors checked in process (`AudioPrep.usageError`, the line `main` prints before
/// exiting 64), without spawning the binary: issue 21's hints, units and refusals.
@Suite struct UsageErrorTests {
  /// The line for `arguments`, or a failed expectation when they parse.
  func line(_ arguments: [String]) -> String {
    guard let line = AudioPrep.usageError(arguments) else {
      Issue.record("\(arguments) parsed")
      return ""
    }
    return line
  }

  @Test func aForeignOptionNamesAudioprepsOwn() {
    #expect(line(["in.wav", "-ar", "16000"]).hasPrefix("audioprep: -ar is ffmpeg's; audioprep's output rate is --rate"))
    #expect(AudioPrep.usageError(["in.wav", "--rate", "16k"]) == nil)
  }
}
