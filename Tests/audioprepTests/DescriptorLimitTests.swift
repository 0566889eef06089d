import CSndFile
import Foundation
import TestSupport
import XCTest

/// `batch -j N` under an open-file limit too low for N workers (review37b V7, V8): the soft limit
/// is raised to the hard one, the workers are capped to what the hard limit allows, and no valid
/// file fails for lack of descriptors ("Too many open files", once blamed on the input).
final class DescriptorLimitTests: XCTestCase {
  var directory = ""

  override func setUpWithError() throws {
    directory = try scratchDirectory(self)
    let formats: [(ext: String, format: Int32)] = [
      ("wav", Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16)),
      ("flac", Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16)),
      ("ogg", Int32(SF_FORMAT_OGG | SF_FORMAT_VORBIS)),
    ]
    for index in 0..<96 {
      let (ext, format) = formats[index % formats.count]
      try TestCorpus.writeTone(
        at: directory + "/c/f\(index).\(ext)", format: format, rate: 16000, channels: 1, frames: 1600,
        frequencyHz: 440)
    }
  }

  /// Every record of `out/manifest.jsonl` is `ok`, one per input.
  func assertEveryInputOK(_ result: SpawnResult, file: StaticString = #filePath, line: UInt = #line) throws {
    XCTAssertEqual(result.status, 0, result.stderr, file: file, line: line)
    XCTAssertFalse(result.stderr.contains("Too many open files"), result.stderr, file: file, line: line)
    let records = try manifestRecords(directory + "/out/manifest.jsonl")
    XCTAssertEqual(records.count, 96, file: file, line: line)
    XCTAssertEqual(records.filter { $0["status"] as? String == "ok" }.count, 96, file: file, line: line)
  }

  /// A soft limit of 40 under a higher hard limit, `-j 32`: the soft limit is raised, no note.
  func testSoftLimitIsRaisedToTheHardLimit() throws {
    var hard = rlimit()
    getrlimit(Int32(RLIMIT_NOFILE.rawValue), &hard)
    try XCTSkipIf(hard.rlim_max < 1024, "the hard limit is \(hard.rlim_max)")
    let result = try spawnAudioprep(
      ["batch", "c", "--out-dir", "out", "-j", "32", "--no-progress"], in: directory, shellSetup: "ulimit -S -n 40")
    try assertEveryInputOK(result)
    XCTAssertFalse(result.stderr.contains("-j"), result.stderr)
  }

  /// A hard limit of 40 with `-j 32`: fewer workers, one line saying so, every input ok.
  func testWorkersAreCappedToWhatTheHardLimitAllows() throws {
    let result = try spawnAudioprep(
      ["batch", "c", "--out-dir", "out", "-j", "32", "--no-progress"], in: directory, shellSetup: "ulimit -n 40")
    try assertEveryInputOK(result)
    let notes = result.stderr.split(separator: "\n").filter { $0.contains("-j 32") }
    XCTAssertEqual(notes.count, 1, result.stderr)
    XCTAssertTrue(notes.first?.contains("open files") == true, result.stderr)
  }

  /// Hard limits from 5 to 64, the lowest too low for even one worker's peak at the bottom: every run ends
  /// 0, or 74 saying the input is not at fault; no input is recorded as failed (its 65, "not a
  /// readable audio file (System error : Too many open files)", and a manifest's 66 or 73).
  func testDescriptorsRunningOutIsNeverTheInputsFault() throws {
    var codes: [Int32] = []
    for limit in [5, 6, 7, 8, 9, 10, 12, 16, 24, 40, 64] {
      try? FileManager.default.removeItem(atPath: directory + "/out")
      let result = try spawnAudioprep(
        ["batch", "c", "--out-dir", "out", "-j", "2", "--no-progress", "-q"], in: directory, shellSetup: "ulimit -n \(limit)")
      codes.append(result.status ?? -1)
      XCTAssertTrue([0, 74].contains(result.status), "ulimit -n \(limit): \(result.stderr)")
      if result.status == 74 { XCTAssertTrue(result.stderr.contains("Too many open files"), result.stderr) }
      let records = (try? manifestRecords(directory + "/out/manifest.jsonl")) ?? []
      XCTAssertEqual(records.filter { $0["status"] as? String == "failed" }.count, 0, "ulimit -n \(limit): \(result.stderr)")
    }
    XCTAssertTrue(codes.contains(74) && codes.contains(0), "\(codes)")
  }

  /// `process --segment` into more segments than the open-file limit (review62 H2): each
  /// segment waiting for the run to settle held a descriptor of its directory, so a long input
  /// cut short ended 74 "Too many open files" past ~1000 segments under the usual limit of 1024.
  /// Under `ulimit -n 64`, 300 segments, plain, overlapping and padded, all land.
  func testSegmentsWaitingToSettleHoldNoDescriptorEach() throws {
    try TestCorpus.writeTone(
      at: directory + "/long.wav", format: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16), rate: 16000, channels: 1,
      frames: 16000 * 30, frequencyHz: 440)
    for (options, count) in [(["--segment", "0.1s"], 300), (["--segment", "0.2s", "--segment-overlap", "0.1s"], 299),
      (["--segment", "0.1s", "--pad"], 300)] {
      try? FileManager.default.removeItem(atPath: directory + "/o")
      try FileManager.default.createDirectory(atPath: directory + "/o", withIntermediateDirectories: true)
      let result = try spawnAudioprep(
        ["long.wav", "-o", "o/s_%04d.wav", "-q"] + options, in: directory, shellSetup: "ulimit -n 64")
      XCTAssertEqual(result.status, 0, "\(options): \(result.stderr)")
      let names = try FileManager.default.contentsOfDirectory(atPath: directory + "/o")
      XCTAssertEqual(names.filter { $0.hasPrefix("s_") && $0.hasSuffix(".wav") }.count, count, "\(options)")
      XCTAssertEqual(names.filter { $0.hasPrefix(".") }, [], "\(options)")
    }
  }
}
