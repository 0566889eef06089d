import Foundation
import TestSupport
import XCTest

/// `--utterances` and `--segment … --at-pauses` from the command line: files from a file and
/// from standard input, the sidecar's speech flag, batch, and the combinations refused (64, one
/// line, nothing written).
final class SpeechCutTests: XCTestCase {
  func sidecar(_ path: String) throws -> [[String: Any]] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
      try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }

  func testUtterancesFromAFileAndFromStandardInputAreTheSame() throws {
    let directory = try scratchDirectory(self)
    var result = try audioprep([fixtures + "/speech.wav", "-o", "u_%02d.wav", "--utterances", "--quiet"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    let fromFile = try sidecar(directory + "/speech.segments.jsonl")
    XCTAssertFalse(fromFile.isEmpty)
    XCTAssertTrue(fromFile.allSatisfy { $0["speech"] as? Bool == true })
    try FileManager.default.createDirectory(atPath: directory + "/s", withIntermediateDirectories: true)
    result = try audioprep(
      ["-", "-o", "s/u_%02d.wav", "--utterances", "--quiet"], in: directory,
      stdin: try Data(contentsOf: URL(fileURLWithPath: fixtures + "/speech.wav")))
    XCTAssertEqual(result.status, 0, result.stderr)
    let fromStdin = try sidecar(directory + "/s/segments.jsonl")
    XCTAssertEqual(fromStdin.map { $0["start_frame"] as? Int }, fromFile.map { $0["start_frame"] as? Int })
    XCTAssertEqual(fromStdin.map { $0["hash"] as? String }, fromFile.map { $0["hash"] as? String })
  }

  func testPauseAwareWindowsCoverTheRecordingAndSayWhereSpeechIs() throws {
    let directory = try scratchDirectory(self)
    let result = try audioprep(
      [fixtures + "/speech.wav", "-o", "w_%02d.wav", "--segment", "1s", "--at-pauses", "--quiet"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    let windows = try sidecar(directory + "/speech.segments.jsonl")
    var next = 0
    for window in windows {
      XCTAssertEqual(window["start_frame"] as? Int, next)
      let frames = try XCTUnwrap(window["frames"] as? Int)
      XCTAssertLessThanOrEqual(frames, 16000)
      XCTAssertNotNil(window["speech"] as? Bool)
      // Only a window with no pause in its last third is cut at the full second, and says so.
      if window["hard_cut"] as? Bool == true { XCTAssertEqual(frames, 16000) }
      next += frames
    }
    XCTAssertEqual(next, 57700)  // 3.606 s at 16 kHz: the whole recording
  }

  func testBatchWritesUtterancesBesideTheirSidecar() throws {
    let directory = try scratchDirectory(self)
    try FileManager.default.createDirectory(atPath: directory + "/in", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: fixtures + "/speech.wav", toPath: directory + "/in/talk.wav")
    let result = try audioprep(["batch", "in", "--out-dir", "out", "--utterances", "--quiet"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    let listing = directoryListing(directory + "/out")
    XCTAssertTrue(listing.contains("talk.segments.jsonl"), "\(listing)")
    XCTAssertTrue(listing.contains("talk_0000.wav"), "\(listing)")
  }

  func testCombinationsThatCannotWorkAreUsageErrorsBeforeAnythingIsWritten() throws {
    let cases: [[String]] = [
      ["--utterances", "--segment", "30s", "-o", "u_%d.wav"],
      ["--at-pauses", "-o", "u_%d.wav"],
      ["--segment", "10s", "--at-pauses", "--segment-overlap", "1s", "-o", "u_%d.wav"],
      ["--min-speech", "1s", "-o", "x.wav"],
      ["--speech-pad", "1s", "--segment", "10s", "-o", "x_%d.wav"],
      ["--utterances", "-o", "-"],
      ["--utterances", "-o", "x.wav"],
      ["--utterances", "--rate", "22050", "-o", "u_%d.wav"],
      ["--utterances", "--vad-mode", "4", "-o", "u_%d.wav"],
      ["--utterances", "--max-speech", "0.2s", "-o", "u_%d.wav"],
      // --pad fills a last chunk or window to full length; cut at speech it was silently ignored.
      ["--utterances", "--pad", "-o", "u_%d.wav"],
      ["--segment", "30s", "--at-pauses", "--pad", "-o", "u_%d.wav"],
    ]
    let batchCases: [[String]] = [["--utterances", "--pad"], ["--segment", "30s", "--at-pauses", "--pad"]]
    for arguments in cases + batchCases.map { ["--batch"] + $0 } {
      let directory = try scratchDirectory(self)
      let inBatch = arguments.first == "--batch"
      let result = try audioprep(
        inBatch ? ["batch", fixtures + "/speech.wav", "--out-dir", "out"] + arguments.dropFirst() : [fixtures + "/speech.wav"] + arguments,
        in: directory)
      XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
      XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, "\(arguments): \(result.stderr)")
      XCTAssertEqual(directoryListing(directory), [], "\(arguments)")
    }
  }

  /// `info --speech` counts what `--utterances` writes: as many regions, as many seconds.
  func testInfoSpeechAgreesWithTheUtterancesWritten() throws {
    let directory = try scratchDirectory(self)
    var result = try audioprep([fixtures + "/speech.wav", "-o", "u_%02d.wav", "--utterances", "--quiet"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    let utterances = try sidecar(directory + "/speech.segments.jsonl")
    result = try audioprep(["info", fixtures + "/speech.wav", "--speech", "--json"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    let object = try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    let speech = try XCTUnwrap(object["speech"] as? [String: Any])
    XCTAssertEqual(speech["regions"] as? Int, utterances.count)
    let frames = utterances.reduce(0) { $0 + ($1["frames"] as? Int ?? 0) }
    XCTAssertEqual(try XCTUnwrap(speech["seconds"] as? Double), Double(frames) / 16000, accuracy: 1e-9)
    XCTAssertEqual(try XCTUnwrap(speech["ratio"] as? Double), Double(frames) / 57700, accuracy: 1e-9)
    result = try audioprep(["info", fixtures, "--speech"], in: directory)
    XCTAssertEqual(result.status, 64, result.stderr)
  }

  /// `info --speech` takes the speech options `--utterances` takes (it took only the defaults):
  /// the same regions as the files written with them; a speech option without --speech is 64.
  func testInfoSpeechTakesTheSpeechOptions() throws {
    let directory = try scratchDirectory(self)
    let options = ["--max-speech", "1s", "--speech-pad", "100ms"]
    var result = try audioprep([fixtures + "/speech.wav", "-o", "u_%02d.wav", "--utterances", "--quiet"] + options, in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    let utterances = try sidecar(directory + "/speech.segments.jsonl")
    XCTAssertGreaterThan(utterances.count, 1)  // the defaults find one region in the fixture
    result = try audioprep(["info", fixtures + "/speech.wav", "--speech", "--json"] + options, in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    let object = try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    let speech = try XCTUnwrap(object["speech"] as? [String: Any])
    XCTAssertEqual(speech["regions"] as? Int, utterances.count)
    let frames = utterances.reduce(0) { $0 + ($1["frames"] as? Int ?? 0) }
    XCTAssertEqual(try XCTUnwrap(speech["seconds"] as? Double), Double(frames) / 16000, accuracy: 1e-9)
    for arguments in [["--min-speech", "1s"], ["--speech", "--vad-mode", "4"], ["--speech", "--max-speech", "0.1s"]] {
      result = try audioprep(["info", fixtures + "/speech.wav"] + arguments, in: directory)
      XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
      XCTAssertEqual(result.stderrLines.count, 1, "\(arguments): \(result.stderr)")
    }
  }

  /// `--trim-silence` writes the whole output's samples from the first utterance's start to the
  /// last one's end (the same rules), bit for bit; from a file, in batch; stdin and --live are 64.
  func testTrimSilenceKeepsFromTheFirstUtteranceToTheLast() throws {
    let directory = try scratchDirectory(self)
    // The fixture with 1 s of silence added at both ends (sox), so there is something to trim.
    let padded = directory + "/padded.wav"
    let sox = try bash("sox '\(fixtures)/speech.wav' '\(padded)' pad 1 1", in: directory)
    XCTAssertEqual(sox.status, 0, sox.stderr)
    let raw = ["--format", "raw", "--encoding", "f32", "--quiet"]
    var result = try audioprep([padded, "-o", "whole.f32"] + raw, in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    let whole = try Data(contentsOf: URL(fileURLWithPath: directory + "/whole.f32")).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    result = try audioprep([padded, "-o", "u_%02d.wav", "--utterances", "--quiet"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    let utterances = try sidecar(directory + "/padded.segments.jsonl")
    let first = try XCTUnwrap(utterances.first?["start_frame"] as? Int)
    let last = try XCTUnwrap(utterances.last.map { ($0["start_frame"] as! Int) + ($0["frames"] as! Int) })
    XCTAssertGreaterThan(first, 15000)  // inside the added second of silence, not at 0
    XCTAssertLessThan(last, whole.count - 15000)
    result = try audioprep([padded, "-o", "trimmed.f32", "--trim-silence"] + raw, in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    let trimmed = try Data(contentsOf: URL(fileURLWithPath: directory + "/trimmed.f32")).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    XCTAssertEqual(trimmed, Array(whole[first..<last]))
    try FileManager.default.createDirectory(atPath: directory + "/in", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: padded, toPath: directory + "/in/padded.wav")
    result = try audioprep(["batch", "in", "--out-dir", "out", "--trim-silence"] + raw, in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    let batch = try Data(contentsOf: URL(fileURLWithPath: directory + "/out/padded.raw")).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    XCTAssertEqual(batch, Array(whole[first..<last]))
    // Standard input: decided as it streams, the same samples (the trailing second of silence is
    // within the 30 s a stream holds).
    result = try audioprep(["-", "-o", "-", "--trim-silence"] + raw, in: directory, stdin: try Data(contentsOf: URL(fileURLWithPath: padded)))
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stdout.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }, Array(whole[first..<last]))
    for arguments in [[padded, "-o", "t.wav", "--trim-silence", "--live"], ["-", "-o", "t.wav", "--trim-silence", "--live"]] {
      result = try audioprep(arguments, in: directory, stdin: Data())
      XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
      XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/t.wav"))
    }
  }

  /// `--trim-silence` with `--segment` (and `--at-pauses`): the trimmed span cut into windows,
  /// their samples together the trimmed output's, their sidecar offsets in the source's timeline;
  /// from a file and in batch. It was 64 ("does not combine yet"). Standard input (which cannot
  /// be read twice) and `--utterances` (which leaves out the non-speech already) are 64, one line.
  func testTrimSilenceThenSegmentsCutTheTrimmedSpan() throws {
    let directory = try scratchDirectory(self)
    let padded = directory + "/padded.wav"
    let sox = try bash("sox '\(fixtures)/speech.wav' '\(padded)' pad 1 1", in: directory)
    XCTAssertEqual(sox.status, 0, sox.stderr)
    let raw = ["--format", "raw", "--encoding", "f32", "--quiet"]
    func floats(_ path: String) throws -> [Float] {
      try Data(contentsOf: URL(fileURLWithPath: path)).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }
    var result = try audioprep([padded, "-o", "trimmed.f32", "--trim-silence"] + raw, in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    let trimmed = try floats(directory + "/trimmed.f32")
    result = try audioprep([padded, "-o", "u_%02d.wav", "--utterances", "--quiet"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    let first = try XCTUnwrap(try sidecar(directory + "/padded.segments.jsonl").first?["start_frame"] as? Int)
    for (name, options) in [("s", ["--segment", "1s"]), ("p", ["--segment", "1s", "--at-pauses"])] {
      try FileManager.default.createDirectory(atPath: directory + "/" + name, withIntermediateDirectories: true)
      result = try audioprep(
        [padded, "-o", name + "/w_%02d.f32", "--trim-silence", "--segments-list", name + "/list.jsonl"] + options + raw,
        in: directory)
      XCTAssertEqual(result.status, 0, "\(options): \(result.stderr)")
      let windows = try sidecar(directory + "/" + name + "/list.jsonl")
      XCTAssertEqual(windows.first?["start_frame"] as? Int, first, "\(options)")
      var joined: [Float] = []
      for window in windows { joined += try floats(directory + "/" + name + "/" + (window["file"] as? String ?? "").split(separator: "/").last!) }
      XCTAssertEqual(joined, trimmed, "\(options)")
    }
    try FileManager.default.createDirectory(atPath: directory + "/in", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: padded, toPath: directory + "/in/padded.wav")
    result = try audioprep(["batch", "in", "--out-dir", "out", "--trim-silence", "--segment", "1s"] + raw, in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    let batchWindows = try sidecar(directory + "/out/padded.segments.jsonl")
    XCTAssertEqual(batchWindows.first?["start_frame"] as? Int, first)
    for arguments in [
      ["-", "-o", "t_%02d.wav", "--trim-silence", "--segment", "1s"],
      [padded, "-o", "t_%02d.wav", "--trim-silence", "--utterances"],
    ] {
      result = try audioprep(arguments, in: directory, stdin: try Data(contentsOf: URL(fileURLWithPath: padded)))
      XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
      XCTAssertEqual(result.stderrLines.count, 1, "\(arguments): \(result.stderr)")
      XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/t_00.wav"))
    }
  }
}
