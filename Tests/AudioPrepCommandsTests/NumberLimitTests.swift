@testable import AudioPrepCommands
import Testing

/// Huge numbers are range errors or plain text, never a trap (#16: `--snr-min 9.3e18` died with
/// SIGILL when the report formatted it).
@Suite struct NumberLimitTests {
  @Test(arguments: [9.3e18, -9.3e18, 1e19, 1e300, 1e15, -1e15, 123_456_789_012_345.0])
  func fixedNeverTraps(value: Double) {
    let text = Text.fixed(value, 2)
    #expect(Double(text).map { abs($0 - value) <= abs(value) * 1e-15 } == true, "\(text)")
  }

  @Test func fixedKeepsItsDigitsWhereTheyMeanSomething() {
    #expect(Text.fixed(3.14159, 2) == "3.14")
    #expect(Text.fixed(-0.5, 3) == "-0.500")
    #expect(Text.fixed(999_999_999_999.25, 1) == "999999999999.3" || Text.fixed(999_999_999_999.25, 1) == "999999999999.2")
  }

  @Test(arguments: ["9.22e18", "1e19", "-1e300", "1001", "-1000.5", "nan", "inf", "-20", "-0.5"])
  func anSNRBeyondAnyMeaningIsAUsageError(text: String) {
    #expect(throws: (any Error).self) { try ComparisonOptions.parse(["--snr-min", text]) }
  }

  /// A negative minimum is refused (review31h W16: it passes an error louder than the signal).
  @Test(arguments: ["30", "1000", "0"])
  func anSNRWithinRangeIsTaken(text: String) throws {
    #expect(try ComparisonOptions.parse(["--snr-min", text]).snrMinimum == Double(text))
  }

  /// review40 G04: a whole number past what an option takes is a range error, however large:
  /// `--rate 4000000000` was "not a sample rate: give whole Hz as 16000 …", and `--in-rate
  /// 2147483647` too where `--in-rate 20000000` said its range; a count past Int's was "not a
  /// whole number".
  @Test(arguments: [
    (["--in-rate", "2147483647", "--in-channels", "1", "--in-encoding", "s16"], "--in-rate must lie between 1 and 10000000 Hz, got 2147483647"),
    (["--in-rate", "4000000000", "--in-channels", "1", "--in-encoding", "s16"], "--in-rate must lie between 1 and 10000000 Hz, got 4000000000"),
    (["--in-rate", "16000", "--in-channels", "99999999999999999999", "--in-encoding", "s16"], "'99999999999999999999' is invalid for '--in-channels <n>': is more than any count"),
    (["--in-rate", "99999999999999999999", "--in-channels", "1", "--in-encoding", "s16"], "'99999999999999999999' is invalid for '--in-rate <hz>': is more than any sample rate"),
  ])
  func aHugeRawInputValueIsARangeError(arguments: [String], message: String) {
    do {
      _ = try RawInputOptions.parse(arguments)
      Issue.record("\(arguments) were taken")
    } catch {
      #expect(RawInputOptions.message(for: error).contains(message), "\(RawInputOptions.message(for: error))")
    }
  }

  @Test(arguments: [("4000000000", "got 4000000000"), ("2147483648", "got 2147483648")])
  func aHugeRateIsARangeError(text: String, got: String) {
    do {
      _ = try ChainShapeOptions.parse(["--rate", text])
      Issue.record("--rate \(text) was taken")
    } catch {
      let message = ChainShapeOptions.message(for: error)
      #expect(message.contains("--rate must lie between 1000 and 768000 Hz, \(got)"), "\(message)")
    }
  }

  /// review60 W5: a number past Int's range was echoed as Int's largest, `got
  /// 9223372036854775807`, not as typed: it is refused as typed, whatever the option.
  @Test(arguments: [
    ["--rate", "99999999999999999999"], ["--rate", "-99999999999999999999"], ["--threads", "99999999999999999999"],
    ["--chunk-samples", "+99999999999999999999"], ["--buffer-chunks", "99999999999999999999"], ["--channel", "99999999999999999999"],
  ])
  func aNumberPastAnyIntIsEchoedAsTyped(arguments: [String]) {
    do {
      _ = try PipelineOptions.parse(arguments)
      Issue.record("\(arguments) were taken")
    } catch {
      let message = PipelineOptions.message(for: error)
      #expect(message.contains("'\(arguments[1])'") && !message.contains("922337203685477580"), "\(message)")
    }
  }

  @Test func aJobCountPastAnyIntIsEchoedAsTyped() {
    do {
      var command = try BatchCommand.parse(["c", "--out-dir", "o", "-j", "99999999999999999999"])
      try command.validate()
      Issue.record("-j 99999999999999999999 was taken")
    } catch {
      let message = BatchCommand.message(for: error)
      #expect(message.contains("'99999999999999999999'") && !message.contains("922337203685477580"), "\(message)")
    }
  }
}
