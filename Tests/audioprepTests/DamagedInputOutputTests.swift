import Foundation
import TestSupport
import XCTest

/// Issue 16: what a damaged input that decodes short leaves on standard output is still a
/// well-formed WAV. A FLAC file's STREAMINFO sizes standard output's WAV header before decoding;
/// when damage makes it decode short (now exit 0 with a warning, where it used to be 65), the
/// header must not announce samples that never come.
final class DamagedInputOutputTests: XCTestCase {
  func testADamagedFLACOnStandardOutputKeepsItsWAVHeaderTrue() throws {
    let directory = try scratchDirectory(self)
    var bytes = readWholeFile(fixtures + "/speech.flac")
    let holes: [(String, [UInt8])] = [
      ("hole.flac", { var copy = bytes; copy.replaceSubrange(27_000..<29_500, with: repeatElement(0, count: 2500)); return copy }()),
      ("half.flac", Array(bytes.prefix(40_000))),
    ]
    bytes = []
    for (name, damaged) in holes {
      try Data(damaged).write(to: URL(fileURLWithPath: directory + "/" + name))
      let result = try spawnAudioprep([name, "-o", "-", "--format", "wav"], in: directory, stdoutPath: directory + "/out.wav")
      XCTAssertEqual(result.status, 0, "\(name): \(result.stderr)")
      XCTAssertTrue(result.stderr.contains("truncated"), "\(name): \(result.stderr)")
      let wav = readWholeFile(directory + "/out.wav")
      XCTAssertGreaterThan(wav.count, 44, name)
      func le32(_ at: Int) -> Int { wav[at..<at + 4].reversed().reduce(0) { $0 << 8 | Int($1) } }
      XCTAssertEqual(le32(4) + 8, wav.count, "\(name): the RIFF size announces another length than was written")
      XCTAssertEqual(le32(40) + 44, wav.count, "\(name): the data size announces another length than was written")
    }
  }

  /// The batch manifest records each decoding warning in its record's `truncation`, and each
  /// refused input's reason, whichever decoder found it.
  func testTheBatchManifestRecordsEveryDecodingWarning() throws {
    try FFmpegFixtures.requireFFmpeg()
    let directory = try scratchDirectory(self)
    let inputs = directory + "/in"
    try FileManager.default.createDirectory(atPath: inputs, withIntermediateDirectories: true)
    var flac = readWholeFile(fixtures + "/speech.flac")
    flac.replaceSubrange(27_000..<29_500, with: repeatElement(0, count: 2500))
    try Data(flac).write(to: URL(fileURLWithPath: inputs + "/hole.flac"))
    var ogg = readWholeFile(fixtures + "/speech.ogg")
    ogg.replaceSubrange(7_900..<10_400, with: repeatElement(0, count: 2500))
    try Data(ogg).write(to: URL(fileURLWithPath: inputs + "/damaged.ogg"))
    let wma = readWholeFile(try FFmpegFixtures.make("manifest.wma", ["-c:a", "wmav2"]))
    try Data(wma.prefix(wma.count / 2)).write(to: URL(fileURLWithPath: inputs + "/half.wma"))
    let first = readWholeFile(try FFmpegFixtures.make("manifest-22k.mp3", ["-c:a", "libmp3lame"]))
    let second = readWholeFile(try FFmpegFixtures.make("manifest-44k.mp3", ["-ar", "44100", "-c:a", "libmp3lame"]))
    try Data(first + second).write(to: URL(fileURLWithPath: inputs + "/joined.mp3"))

    let result = try spawnAudioprep(["batch", "in", "--out-dir", "out", "--quiet"], in: directory)
    XCTAssertEqual(result.status, 65, result.stderr)
    var records: [String: [String: Any]] = [:]
    for line in String(decoding: readWholeFile(directory + "/out/manifest.jsonl"), as: UTF8.self).split(separator: "\n") {
      let record = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      records[((record["input"] as? String) ?? "" as String).split(separator: "/").last.map(String.init) ?? ""] = record
    }
    for (name, warning) in [("hole.flac", "FFmpeg decoded on"), ("damaged.ogg", "truncated: the header announces 79517"), ("half.wma", "truncated: the header announces")] {
      XCTAssertEqual(records[name]?["status"] as? String, "ok", name)
      XCTAssertTrue((records[name]?["truncation"] as? String ?? "").contains(warning), "\(name): \(records[name] ?? [:])")
    }
    XCTAssertEqual(records["joined.mp3"]?["status"] as? String, "failed")
    XCTAssertTrue("\(records["joined.mp3"] ?? [:])".contains("the sample rate changes"), "\(records["joined.mp3"] ?? [:])")
  }
}

extension DamagedInputOutputTests {
  /// Stop 40 (found when review35 R13's test failed under load): a FLAC whose 5 MiB PADDING
  /// block puts its 82 KB of audio past the pipe's window, with a hole near its end, written to
  /// standard input 1 MB at a time, kept 53248 frames ("FFmpeg cannot start again on a pipe past
  /// its first 4 MiB") where the file keeps 75421: libFLAC had read the audio whole while
  /// libsndfile opened it, before the pipe began keeping its tail, so no frame was left to
  /// resume from. Standard input keeps what the file keeps, however it is written.
  func testAFLACHoleFromStandardInputKeepsWhatTheFileKeepsHoweverItIsWritten() throws {
    let directory = try scratchDirectory(self)
    try Data(paddedFLACWithAHole()).write(to: URL(fileURLWithPath: directory + "/padded-hole.flac"))
    let file = try spawnAudioprep(["padded-hole.flac", "-o", "file.raw", "--format", "raw"], in: directory)
    XCTAssertEqual(file.status, 0, file.stderr)
    for piece in [1000, 1_000_000] {
      let write = "import os; d = open('padded-hole.flac', 'rb').read(); [os.write(1, d[i:i + \(piece)]) for i in range(0, len(d), \(piece))]"
      let piped = try bash("python3 -c \"\(write)\" | \"$AP\" - -o piped.raw --format raw --force", in: directory)
      XCTAssertEqual(piped.status, 0, piped.stderr)
      let (pipedBytes, fileBytes) = (readWholeFile(directory + "/piped.raw"), readWholeFile(directory + "/file.raw"))
      XCTAssertTrue(pipedBytes == fileBytes, "written \(piece) bytes at a time: \(pipedBytes.count) bytes, the file's \(fileBytes.count): \(piped.stderr)")
    }
  }
}
