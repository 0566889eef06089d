import DSP
import XCTest

/// Frame decisions with known answers into regions: silero-vad's rules (min speech, min silence,
/// pad, max speech with the split at the longest pause), hand-computed in samples.
final class SpeechRegionTests: XCTestCase {
  let rate = 16000
  let frame = 480  // 30 ms

  /// `pattern`: runs of (speech?, frames).
  func decisions(_ pattern: [(Bool, Int)]) -> [Bool] { pattern.flatMap { Array(repeating: $0.0, count: $0.1) } }

  func regions(_ pattern: [(Bool, Int)], _ rules: SpeechRegionRules) throws -> [Range<Int>] {
    let frames = decisions(pattern)
    var tracker = try SpeechRegionTracker(rules: rules, sampleRate: rate, frameLength: frame)
    return tracker.segments(decisions: frames, totalSamples: frames.count * frame).map(\.range)
  }

  var unsmoothed: SpeechRegionRules { SpeechRegionRules(smoothingFrames: 1) }

  func testOneRegionIsPaddedBy30msAtBothEnds() throws {
    let found = try regions([(false, 20), (true, 30), (false, 20)], unsmoothed)
    XCTAssertEqual(found, [(20 * frame - 480)..<(50 * frame + 480)])
  }

  func testSpeechShorterThanTheMinimumIsDropped() throws {
    // 8 frames = 240 ms < 250 ms; 9 frames = 270 ms is kept.
    XCTAssertEqual(try regions([(false, 20), (true, 8), (false, 40)], unsmoothed), [])
    XCTAssertEqual(try regions([(false, 20), (true, 9), (false, 40)], unsmoothed).count, 1)
  }

  func testGapsShorterThanTheMinimumSilenceAreMerged() throws {
    // 3 frames = 90 ms < 100 ms: one region; 4 frames = 120 ms: two.
    XCTAssertEqual(
      try regions([(false, 20), (true, 20), (false, 3), (true, 20), (false, 20)], unsmoothed),
      [(20 * frame - 480)..<(63 * frame + 480)])
    XCTAssertEqual(
      try regions([(false, 20), (true, 20), (false, 4), (true, 20), (false, 20)], unsmoothed),
      [(20 * frame - 480)..<(40 * frame + 480), (44 * frame - 480)..<(64 * frame + 480)])
  }

  func testAGapShorterThanTwoPadsIsSplitInTheMiddle() throws {
    var rules = unsmoothed
    rules.speechPadSeconds = 0.1  // 1600 samples; the 4-frame gap is 1920 < 3200
    let found = try regions([(false, 20), (true, 20), (false, 4), (true, 20), (false, 20)], rules)
    let middle = 40 * frame + 2 * frame
    XCTAssertEqual(found, [(20 * frame - 1600)..<middle, middle..<(64 * frame + 1600)])
  }

  func testPaddingStopsAtTheStreamsEnds() throws {
    let found = try regions([(true, 20), (false, 10), (true, 20)], unsmoothed)
    XCTAssertEqual(found, [0..<(20 * frame + 480), (30 * frame - 480)..<(50 * frame)])
  }

  func testALongRegionIsSplitAtItsLongestPauseInTheLastPart() throws {
    // Max 10 s (pads included): 331 frames of unpadded speech at most; the search covers its
    // last third (110 frames). Pauses of 2 frames at 150 and 3 frames at 260: the split takes the
    // longer one, which is in the last part.
    var rules = unsmoothed
    rules.maxSpeechSeconds = 10
    let found = try regions(
      [(false, 10), (true, 140), (false, 2), (true, 108), (false, 3), (true, 200), (false, 20)], rules)
    XCTAssertEqual(found.count, 2)
    // The 3-frame pause (1440 samples) is longer than two pads: each side gets its pad.
    XCTAssertEqual(found[0], (10 * frame - 480)..<(260 * frame + 480))
    XCTAssertEqual(found[1], (263 * frame - 480)..<(463 * frame + 480))
    for region in found { XCTAssertLessThanOrEqual(region.count, 10 * rate) }
  }

  func testSpeechWithNoPauseIsCutHardAtTheLimit() throws {
    var rules = unsmoothed
    rules.maxSpeechSeconds = 3
    var tracker = try SpeechRegionTracker(rules: rules, sampleRate: rate, frameLength: frame)
    // Limit: (3 s − two pads) / 30 ms = 98 frames; cuts at 98, 196, 294; the 16 frames left are
    // longer than the minimum speech, so kept.
    let found = tracker.segments(decisions: decisions([(true, 310)]), totalSamples: 310 * frame).map(\.range)
    XCTAssertEqual(found, [0..<(98 * frame), (98 * frame)..<(196 * frame), (196 * frame)..<(294 * frame), (294 * frame)..<(310 * frame)])
    for (earlier, later) in zip(found, found.dropFirst()) { XCTAssertEqual(earlier.upperBound, later.lowerBound) }
    for region in found { XCTAssertLessThanOrEqual(region.count, 3 * rate) }
    XCTAssertEqual(tracker.hardSplits, found.count - 1)
  }

  func testSmoothingIgnoresOneStrayFrame() throws {
    let rules = SpeechRegionRules()  // 5-frame window
    // One speech frame in silence starts nothing; one silent frame in speech does not end it.
    XCTAssertEqual(try regions([(false, 20), (true, 1), (false, 20)], rules), [])
    // The region ends a frame late: at frame 51 the window still holds 2 speech frames of 5,
    // above the release threshold (0.35); silero's hysteresis, kept.
    let found = try regions([(false, 20), (true, 15), (false, 1), (true, 15), (false, 20)], rules)
    XCTAssertEqual(found, [(20 * frame - 480)..<(52 * frame + 480)])
  }

  /// Every boundary is decided within the look-ahead of it, in order: what lets the writer hold
  /// back only `lookAheadSamples`.
  func testBoundariesAreDecidedWithinTheLookAhead() throws {
    // Runs of speech and silence of random lengths (a fixed linear congruential sequence).
    var state: UInt64 = 12345
    func draw(_ bound: Int) -> Int {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Int(state >> 33) % bound
    }
    for maxSpeech in [Double.infinity, 4] {
      var rules = SpeechRegionRules()
      rules.maxSpeechSeconds = maxSpeech
      rules.speechPadSeconds = 0.2
      var planners: [any SpeechCutPlanner] = [
        try SpeechRegionTracker(rules: rules, sampleRate: rate, frameLength: frame),
        try PauseCutter(windowLength: 5 * rate, rules: rules, sampleRate: rate, frameLength: frame),
      ]
      for index in planners.indices {
        var planner = planners[index]
        var cuts: [SpeechCut] = []
        var last = 0
        var speaking = false
        for frameIndex in 0..<20000 {
          if draw(12) == 0 || draw(3) == 0 && draw(3) == 0 { speaking.toggle() }
          let before = cuts.count
          planner.append(speaking, into: &cuts)
          let heard = (frameIndex + 1) * frame
          for cut in cuts[before...] {
            XCTAssertGreaterThanOrEqual(cut.sample + planner.lookAheadSamples, heard, "\(cut) decided at \(heard)")
            XCTAssertGreaterThanOrEqual(cut.sample, last)
            last = cut.sample
          }
        }
        planner.finish(totalSamples: 20000 * frame, into: &cuts)
        planners[index] = planner
        // Starts and ends alternate, starting with a start.
        for (position, cut) in cuts.enumerated() {
          if case .start = cut { XCTAssertEqual(position % 2, 0) } else { XCTAssertEqual(position % 2, 1) }
        }
      }
    }
  }

  func testPauseAwareWindowsCutInTheMiddleOfTheLongestLatePause() throws {
    var rules = unsmoothed
    rules.pauseSearchSeconds = 10
    // 3 s windows (100 frames); search the last third (1 s). Pause of 4 frames at 80..84, and of
    // 2 frames at 40 (too early). Then speech with no pause: a hard cut at 3 s.
    var cutter = try PauseCutter(windowLength: 100 * frame, rules: rules, sampleRate: rate, frameLength: frame)
    let frames = decisions([(true, 40), (false, 2), (true, 38), (false, 4), (true, 150)])
    let found = cutter.segments(decisions: frames, totalSamples: frames.count * frame)
    XCTAssertEqual(found.map(\.range), [0..<(82 * frame), (82 * frame)..<(182 * frame), (182 * frame)..<(234 * frame)])
    XCTAssertEqual(cutter.pauseCuts, 1)
    XCTAssertEqual(cutter.hardCuts, 1)
    XCTAssertTrue(found.allSatisfy(\.speech))
  }

  func testPauseAwareWindowsSaySilenceHasNoSpeech() throws {
    var cutter = try PauseCutter(windowLength: 100 * frame, rules: unsmoothed, sampleRate: rate, frameLength: frame)
    let found = cutter.segments(decisions: decisions([(false, 150)]), totalSamples: 150 * frame + 7)
    XCTAssertEqual(found.last?.range.upperBound, 150 * frame + 7)
    XCTAssertFalse(found.contains { $0.speech })
  }
}
