import CSndFile
import Foundation
import TestSupport
import XCTest

/// The built binary: exit codes, one-line errors, nothing left behind, stdin and stdout.
final class ProcessCommandTests: XCTestCase {
  func frames(ofWAV path: String) -> (frames: Int64, rate: Int32, channels: Int32) {
    var info = SF_INFO()
    guard let file = sf_open(path, Int32(SFM_READ), &info) else { return (-1, 0, 0) }
    sf_close(file)
    return (info.frames, info.samplerate, info.channels)
  }

  func testDefaultOutputIsWrittenBesideTheInput() throws {
    let directory = try scratchDirectory(self)
    try FileManager.default.copyItem(atPath: fixtures + "/speech.flac", toPath: directory + "/talk.flac")
    let result = try audioprep(["talk.flac"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(directoryListing(directory), ["talk.16k.wav", "talk.flac"])
    let written = frames(ofWAV: directory + "/talk.16k.wav")
    XCTAssertEqual(written.rate, 16000)
    XCTAssertEqual(written.channels, 1)
    XCTAssertEqual(Double(written.frames), 3.606213 * 16000, accuracy: 1)
  }

  func testExplicitProcessSubcommandAndOptions() throws {
    let directory = try scratchDirectory(self)
    let out = directory + "/out.flac"
    let result = try audioprep(
      ["process", fixtures + "/stereo44k.wav", "-o", out, "--rate", "8000", "--keep-channels", "--encoding", "s24"])
    XCTAssertEqual(result.status, 0, result.stderr)
    let written = frames(ofWAV: out)
    XCTAssertEqual(written.rate, 8000)
    XCTAssertEqual(written.channels, 2)
    XCTAssertEqual(written.frames, 16000)
  }

  func testWrongOptionIsAUsageError() throws {
    let result = try audioprep([fixtures + "/speech.wav", "--no-such-option"])
    XCTAssertEqual(result.status, 64)
    XCTAssertTrue(result.stderr.contains("--no-such-option"), result.stderr)
  }

  func testAbsurdOptionValuesAreUsageErrors() throws {
    for arguments in [
      ["--rate", "0"], ["--rate", "10000000"], ["--highpass", "9000"], ["--gain", "-1"],
      ["--chunk-samples", "0"], ["--buffer-chunks", "0"], ["--q-linear", "0"],
      ["--converter", "cubic"], ["--channel", "0", "--keep-channels"],
    ] {
      let result = try audioprep([fixtures + "/speech.wav", "-o", "-"] + arguments)
      XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
      XCTAssertTrue(result.stdout.isEmpty)
    }
  }

  func testMissingInputExits66WithOneLine() throws {
    let directory = try scratchDirectory(self)
    let result = try audioprep(["missing.wav"], in: directory)
    XCTAssertEqual(result.status, 66)
    XCTAssertEqual(result.stderrLines, ["audioprep: missing.wav: No such file or directory"])
    XCTAssertEqual(directoryListing(directory), [])
  }

  func testDirectoryInputExits66() throws {
    let directory = try scratchDirectory(self)
    let result = try audioprep([directory, "-o", directory + "/x.wav"])
    XCTAssertEqual(result.status, 66)
    XCTAssertEqual(result.stderrLines.count, 1)
    XCTAssertEqual(directoryListing(directory), [])
  }

  func testGarbageInputExits65AndLeavesNothing() throws {
    let directory = try scratchDirectory(self)
    try "not audio at all\n".write(toFile: directory + "/notes.wav", atomically: true, encoding: .utf8)
    let result = try audioprep(["notes.wav", "-o", "out.wav"], in: directory)
    XCTAssertEqual(result.status, 65)
    XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
    XCTAssertTrue(result.stderr.hasPrefix("audioprep: notes.wav: "), result.stderr)
    XCTAssertEqual(directoryListing(directory), ["notes.wav"])
  }

  func testExistingOutputIsKeptWithoutForce() throws {
    let directory = try scratchDirectory(self)
    let out = directory + "/out.wav"
    try "precious".write(toFile: out, atomically: true, encoding: .utf8)
    let refused = try audioprep([fixtures + "/speech.wav", "-o", out])
    XCTAssertEqual(refused.status, 73)
    XCTAssertEqual(refused.stderrLines.count, 1)
    XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "precious")
    XCTAssertEqual(directoryListing(directory), ["out.wav"])

    let forced = try audioprep([fixtures + "/speech.wav", "-o", out, "--force"])
    XCTAssertEqual(forced.status, 0, forced.stderr)
    XCTAssertEqual(frames(ofWAV: out).rate, 16000)
    XCTAssertEqual(directoryListing(directory), ["out.wav"])
  }

  func testOutputOverTheInputIsRefusedEvenWithForce() throws {
    let directory = try scratchDirectory(self)
    try FileManager.default.copyItem(atPath: fixtures + "/mono16k.wav", toPath: directory + "/a.wav")
    let before = try Data(contentsOf: URL(fileURLWithPath: directory + "/a.wav"))
    for target in ["a.wav", "./a.wav"] {
      let result = try audioprep(["a.wav", "-o", target, "--force"], in: directory)
      XCTAssertEqual(result.status, 73, result.stderr)
    }
    try FileManager.default.createSymbolicLink(atPath: directory + "/link.wav", withDestinationPath: "a.wav")
    XCTAssertEqual(try audioprep(["a.wav", "-o", "link.wav", "--force"], in: directory).status, 73)
    XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: directory + "/a.wav")), before)
  }

  func testOutputIntoAMissingDirectoryExits73() throws {
    let directory = try scratchDirectory(self)
    let result = try audioprep([fixtures + "/speech.wav", "-o", directory + "/nope/out.wav"])
    XCTAssertEqual(result.status, 73)
    XCTAssertTrue(result.stderr.contains("nope"), result.stderr)
  }

  func testRawInputWithoutParametersIsRefused() throws {
    let result = try audioprep([fixtures + "/speech.s16le.raw", "-o", "-"])
    XCTAssertEqual(result.status, 64)
    XCTAssertEqual(result.stderrLines.count, 1)
    XCTAssertTrue(result.stderr.contains("--in-rate"))
  }

  func testStdinWAVToStdoutRawS16() throws {
    let wav = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/speech.wav"))
    let result = try audioprep(["-", "-o", "-"], stdin: wav)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(Double(result.stdout.count / 2), 3.606213 * 16000, accuracy: 1)
  }

  /// FLAC and CAF readers seek while parsing; standard input still decodes every format.
  func testEveryFixtureFormatDecodesFromStdin() throws {
    for name in ["speech.wav", "speech.aiff", "speech.flac", "speech.caf", "speech.ogg", "speech.opus", "speech.mp3"] {
      let data = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/" + name))
      let result = try audioprep(["-", "-o", "-", "--quiet"], stdin: data)
      XCTAssertEqual(result.status, 0, "\(name): \(result.stderr)")
      XCTAssertEqual(Double(result.stdout.count / 2), 3.606213 * 16000, accuracy: 0.06 * 16000, name)
    }
  }

  func testStdinRawToStdoutStreamingWAV() throws {
    let raw = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/speech.s16le.raw"))
    let result = try audioprep(
      ["-", "--in-rate", "22050", "--in-channels", "1", "--in-encoding", "s16", "-o", "-", "--format", "wav"],
      stdin: raw)
    XCTAssertEqual(result.status, 0, result.stderr)
    let header = result.stdout.prefix(44)
    XCTAssertEqual(String(decoding: header.prefix(4), as: UTF8.self), "RIFF")
    XCTAssertEqual(Array(header[40..<44]), [0xFF, 0xFF, 0xFF, 0xFF])
    XCTAssertEqual(Double((result.stdout.count - 44) / 2), 3.606213 * 16000, accuracy: 1)
    // libsndfile reads the header back as 16 kHz mono PCM.
    let directory = try scratchDirectory(self)
    try result.stdout.write(to: URL(fileURLWithPath: directory + "/piped.wav"))
    let read = frames(ofWAV: directory + "/piped.wav")
    XCTAssertEqual(read.rate, 16000)
    XCTAssertEqual(read.channels, 1)
  }

  func testStdoutF32IsTheUnclippedPipeline() throws {
    let result = try audioprep([fixtures + "/mono16k.wav", "-o", "-", "--encoding", "f32"])
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stdout.count, 32000 * 4)
  }

  func testClippingIsReportedUnlessQuiet() throws {
    let loud = try audioprep([fixtures + "/speech.wav", "-o", "-", "--gain", "8x"])
    XCTAssertEqual(loud.status, 0)
    XCTAssertEqual(loud.stderrLines.count, 1)
    XCTAssertTrue(loud.stderr.hasPrefix("audioprep: -: ") && loud.stderr.contains("samples clipped"), loud.stderr)
    let quiet = try audioprep([fixtures + "/speech.wav", "-o", "-", "--gain", "8x", "--quiet"])
    XCTAssertEqual(quiet.stderr, "")
  }

  /// Segments are named by their input, not by the pattern (#21 hostile review: the warning
  /// said "seg_%03d.wav: … samples clipped").
  func testClippingInSegmentsNamesTheInput() throws {
    let loud = try audioprep([fixtures + "/speech.wav", "-o", "seg_%03d.wav", "--segment", "1s", "--gain", "8x"], in: try scratchDirectory(self))
    XCTAssertEqual(loud.status, 0, loud.stderr)
    XCTAssertEqual(loud.stderrLines.count, 1, loud.stderr)
    XCTAssertTrue(loud.stderr.hasPrefix("audioprep: \(fixtures)/speech.wav: ") && loud.stderr.contains("samples clipped"), loud.stderr)
  }

  func testVersionNamesTheLibraries() throws {
    let result = try audioprep(["--version"])
    XCTAssertEqual(result.status, 0)
    let text = String(decoding: result.stdout, as: UTF8.self)
    XCTAssertTrue(text.contains("libsndfile") && text.contains("libsamplerate"), text)
    // #13: which resampler engine runs, and which kernel.
    XCTAssertTrue(text.contains("resampler engine: polyphase") && text.contains(" kernel)"), text)
  }
}

extension ProcessCommandTests {
  func testStatsJSONDescribesTheRun() throws {
    let directory = try scratchDirectory(self)
    let result = try audioprep([fixtures + "/stereo44k.wav", "-o", directory + "/o.wav", "--stats", "--stats-json", directory + "/s.json"])
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertTrue(result.stderr.contains("resample"), result.stderr)
    let object = try XCTUnwrap(
      JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/s.json"))) as? [String: Any])
    XCTAssertEqual(object["input_seconds"] as? Double, 2)
    XCTAssertEqual(object["bytes_in"] as? Int, 352_844)
    let stages = try XCTUnwrap(object["stages"] as? [[String: Any]]).compactMap { $0["name"] as? String }
    XCTAssertEqual(stages, ["decode", "downmix", "resample", "highpass", "gain", "chunk+queue", "write"])
    // #13: the statistics say which engine resampled.
    let chain = try XCTUnwrap(object["chain"] as? [String])
    XCTAssertTrue(chain.contains { $0.hasPrefix("resample: libsamplerate medium") && $0.contains("polyphase") }, "\(chain)")
    XCTAssertTrue(result.stderr.contains("chain: resample: "), result.stderr)
  }

  /// `bytes_out` is the size of what this run wrote, read before the run settles: a `--force`
  /// run over a longer earlier output gave the earlier file's size (its own was still waiting
  /// beside it), and so would every run now that every output waits (review48 H08).
  func testStatsJSONCountsTheBytesThisRunWrote() throws {
    let directory = try scratchDirectory(self)
    XCTAssertEqual(try audioprep([fixtures + "/stereo44k.wav", "-o", directory + "/o.wav", "--format", "wav", "--encoding", "f32"]).status, 0)
    for force in [[], ["--force"]] {
      try? FileManager.default.removeItem(atPath: directory + "/s.json")
      let output = force.isEmpty ? "/p.wav" : "/o.wav"
      let result = try audioprep([fixtures + "/mono16k.wav", "-o", directory + output, "--stats-json", directory + "/s.json"] + force)
      XCTAssertEqual(result.status, 0, result.stderr)
      let object = try XCTUnwrap(
        JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/s.json"))) as? [String: Any])
      let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: directory + output)[.size] as? Int)
      XCTAssertEqual(object["bytes_out"] as? Int, size, "\(force): not the size of the file this run wrote")
    }
    // Segments (review49 W04: null): the sum of theirs.
    for cut in [["--segment", "0.3s"], ["--utterances"]] {
      let folder = directory + "/" + cut[0].dropFirst(2)
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      let result = try audioprep([fixtures + "/speech.wav", "-o", folder + "/s_%03d.wav", "--stats-json", folder + "/s.json"] + cut)
      XCTAssertEqual(result.status, 0, result.stderr)
      let object = try XCTUnwrap(
        JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/s.json"))) as? [String: Any])
      let segments = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".wav") }
      XCTAssertFalse(segments.isEmpty, "\(cut)")
      let total = try segments.reduce(0) { $0 + (try XCTUnwrap(FileManager.default.attributesOfItem(atPath: folder + "/" + $1)[.size] as? Int)) }
      XCTAssertEqual(object["bytes_out"] as? Int, total, "\(cut): not the bytes of the segments this run wrote")
    }
  }
}

extension ProcessCommandTests {
  /// WAV under 4 GiB is a plain RIFF WAV that every reader takes (a > 4 GiB run is too long for
  /// the test suite; `OutputReadersTests` checks the header in detail).
  func testSmallWAVOutputIsPlainRIFF() throws {
    let directory = try scratchDirectory(self)
    XCTAssertEqual(try audioprep([fixtures + "/mono16k.wav", "-o", directory + "/o.wav"]).status, 0)
    let header = try Data(contentsOf: URL(fileURLWithPath: directory + "/o.wav")).prefix(12)
    XCTAssertEqual(String(decoding: header.prefix(4), as: UTF8.self), "RIFF")
    XCTAssertEqual(String(decoding: header.suffix(4), as: UTF8.self), "WAVE")
  }
}

extension ProcessCommandTests {
  /// #10: the default output name takes the container's extension: --format flac writes
  /// NAME.16k.flac, not FLAC data in NAME.16k.wav.
  func testDefaultNameFollowsTheFormat() throws {
    let directory = try scratchDirectory(self)
    try FileManager.default.copyItem(atPath: fixtures + "/speech.flac", toPath: directory + "/speech.flac")
    let result = try audioprep(["speech.flac", "--format", "flac", "--quiet"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(directoryListing(directory), ["speech.16k.flac", "speech.flac"])
  }
}
