import AudioPrepCommands
import Testing

/// The small values options take: durations (`--segment 30s`) and segment name patterns.
@Suite struct DurationArgumentTests {
  @Test(arguments: [
    ("30s", 30.0), ("1.5s", 1.5), ("100ms", 0.1), ("1ms", 0.001), ("2m", 120), ("2min", 120), ("1.5m", 90),
    ("1h", 3600), ("45", 45), ("0", 0), ("0.25", 0.25), (".5s", 0.5), ("10000000", 1e7), ("10000000s", 1e7),
    ("2777h", 9_997_200),
    // Compound, as ffmpeg and sox users write them (#21).
    ("1m30s", 90), ("1h2m3.5s", 3723.5), ("2m500ms", 120.5), ("1h30m", 5400), ("1min30s", 90),
    ("1:30", 90), ("1:30.5", 90.5), ("00:01:30.5", 90.5), ("1:00:00", 3600), ("90:00", 5400), ("0:00.25", 0.25),
    // An exponent, as sox's trim reads one (review32i C3).
    ("1e3", 1000), ("1.5e0", 1.5),
    // With one unit after it (review34a A17: "1e3s" was not a duration).
    ("1e3s", 1000), ("1.5E2ms", 0.15), ("2e0m", 120), ("1e0h", 3600), ("3e1min", 1800),
  ])
  func readsUnits(text: String, seconds: Double) {
    #expect(DurationArgument.parse(text) == seconds)
  }

  /// Negative, not a number, an unknown unit, spaces, or beyond 10^7 s.
  @Test(arguments: [
    "", "s", "ms", "-1s", "-0", "-1e3", "1.5.2", "inf", "nan", " 1s", "1 s", "1s ", "1d", "1sec", "1mins", "1hs",
    "10000001", "10000000.5", "2778h", "166667min", "0x10", "+1",
    "1:60", "1:30:", ":30", "1::30", "1:2:3:4", "1:-30", "1:3e1", "1m1h", "1s1s", "1m 30s", "1h1", "30s1m",
    "1e3ss", "1e3m30s", "e3s", "1es", "-1e3s", "1e8s",
  ])
  func refuses(text: String) {
    #expect(DurationArgument.parse(text) == nil)
  }

  /// A duration only too long is said to be too long, in every option that takes one (it was
  /// "not a duration: give seconds as 30, 30s, …"; review34b B12).
  @Test func aDurationTooLongIsSaidSo() {
    for option in ["--start", "--end", "--duration", "--segment"] {
      for value in ["10000001", "3000h", "1e8", "1e8s", "200000:00:00"] {
        let message = AudioPrep.usageError(["in.wav", option, value]) ?? "parsed"
        #expect(message.contains("is more than 10^7 s"), "\(option) \(value): \(message)")
      }
    }
  }

  @Test func framesRoundToTheNearestFrame() {
    #expect(DurationArgument(seconds: 1.5).frames(at: 16000) == 24000)
    #expect(DurationArgument(seconds: 0.0000312).frames(at: 16000) == 0)  // 0.4992 frames
    #expect(DurationArgument(seconds: 0.0000313).frames(at: 16000) == 1)  // 0.5008 frames
    #expect(DurationArgument(argument: "100ms")?.frames(at: 44100) == 4410)
    #expect(DurationArgument(argument: "1d") == nil)
  }
}

@Suite struct SegmentPatternTests {
  @Test func zeroPaddedField() throws {
    let pattern = try #require(SegmentPattern("out/s_%04d.wav"))
    #expect([pattern.prefix, pattern.suffix] == ["out/s_", ".wav"])
    #expect(pattern.width == 4)
    #expect(pattern.path(7) == "out/s_0007.wav")
    #expect(pattern.path(12345) == "out/s_12345.wav")
  }

  @Test func plainField() throws {
    let pattern = try #require(SegmentPattern("part%d.flac"))
    #expect(pattern.width == 0)
    #expect(pattern.path(0) == "part0.flac")
    #expect(pattern.path(42) == "part42.flac")
    // A single-digit width pads with zeros, as `%05d` does.
    #expect(SegmentPattern("%5d")?.path(3) == "00003")
  }

  @Test func doublePercentIsALiteralPercent() {
    #expect(SegmentPattern("100%%_%d")?.path(3) == "100%_3")
    #expect(SegmentPattern("%d_%%")?.path(3) == "3_%")
    #expect(SegmentPattern("%%%02d%%")?.path(3) == "%03%")
  }

  @Test(arguments: [
    "out.wav", "%%d", "a%d%d", "%d_%02d", "%x", "%", "a%", "%04", "%-4d", "%12d", "%013d", "%d%",
  ])
  func refuses(text: String) {
    #expect(SegmentPattern(text) == nil)
  }

  @Test func widthUpToTwelve() {
    #expect(SegmentPattern("%012d")?.path(1) == "000000000001")
  }
}

