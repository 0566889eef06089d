import Foundation
import TestSupport
import XCTest

/// Formats only FFmpeg reads (M4A/MP4, WebM, MKV, AMR, WMA): decoded exactly as the `ffmpeg`
/// command line decodes them, processed as their float decode would be, from files and from
/// standard input, in `info` and in `batch`.
final class FFmpegInputTests: XCTestCase {
  /// `audioprep info --json` of one file.
  func describe(_ path: String) throws -> [String: Any] {
    let result = try audioprep(["info", path, "--json"])
    XCTAssertEqual(result.status, 0, result.stderr)
    return try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], result.stderr)
  }

  /// audioprep's decoded samples: nothing in the chain (the input's rate, no high-pass, gain 1,
  /// every channel), f32 on standard output.
  func decoded(_ path: String, rate: Int, arguments: [String] = [], stdin: Data? = nil) throws -> CommandResult {
    try audioprep(
      [stdin == nil ? path : "-", "-o", "-", "--format", "raw", "--encoding", "f32", "--rate", "\(rate)",
       "--highpass", "0", "--gain", "1", "--keep-channels"] + arguments, stdin: stdin)
  }

  func testEveryFormatDecodesBitForBitAsTheFFmpegCommandLine() throws {
    var checked: [String] = []
    for testCase in FFmpegFixtures.cases {
      guard let path = try FFmpegFixtures.path(testCase) else { continue }
      let info = try describe(path)
      XCTAssertEqual(info["decoder"] as? String, "FFmpeg", testCase.name)
      let rate = try XCTUnwrap(info["sample_rate"] as? Int)
      let channels = try XCTUnwrap(info["channels"] as? Int)
      let reference = try FFmpegFixtures.reference(path)
      XCTAssertGreaterThan(reference.count, 4 * 8000 * channels, testCase.name)
      XCTAssertEqual((info["frames"] as? Int).map { $0 * channels * 4 }, reference.count, testCase.name)
      let ours = try decoded(path, rate: rate)
      XCTAssertEqual(ours.status, 0, "\(testCase.name): \(ours.stderr)")
      XCTAssertEqual(ours.stdout.count, reference.count, testCase.name)
      XCTAssertTrue(ours.stdout == reference, "\(testCase.name): samples differ from ffmpeg -f f32le")
      checked.append(testCase.name)
    }
    XCTAssertTrue(checked.contains("aac.m4a") && checked.contains("video.mp4") && checked.contains("nb.amr"), "\(checked)")
  }

  func testInfoNamesContainerAndCodec() throws {
    guard let path = try FFmpegFixtures.path(FFmpegFixtures.cases[0]) else { throw XCTSkip("no aac encoder") }
    let info = try describe(path)
    let format = try XCTUnwrap(info["format"] as? String)
    XCTAssertTrue(format.contains("MOV") && format.contains("AAC"), format)
    let wav = try describe(fixtures + "/speech.wav")
    XCTAssertEqual(wav["decoder"] as? String, "libsndfile")
  }

  /// The chain on an FFmpeg input equals the chain on ffmpeg's float decode given as raw input.
  func testProcessedOutputEqualsProcessingTheFFmpegDecode() throws {
    for testCase in FFmpegFixtures.cases where ["aac.m4a", "opus.webm", "stereo-s24.mkv", "nb.amr", "wmav2.wma"].contains(testCase.name) {
      guard let path = try FFmpegFixtures.path(testCase) else { continue }
      let info = try describe(path)
      let rate = try XCTUnwrap(info["sample_rate"] as? Int), channels = try XCTUnwrap(info["channels"] as? Int)
      let reference = try FFmpegFixtures.reference(path)
      let ours = try audioprep([path, "-o", "-", "--format", "raw", "--encoding", "f32", "--threads", "1"])
      let theirs = try audioprep(
        ["-", "--in-rate", "\(rate)", "--in-channels", "\(channels)", "--in-encoding", "f32", "-o", "-", "--format", "raw",
         "--encoding", "f32"], stdin: reference)
      XCTAssertEqual(ours.status, 0, ours.stderr)
      XCTAssertEqual(theirs.status, 0, theirs.stderr)
      let (a, b) = (FFmpegFixtures.floats(ours.stdout), FFmpegFixtures.floats(theirs.stdout))
      XCTAssertEqual(a.count, b.count, testCase.name)
      XCTAssertGreaterThan(a.count, 16000, testCase.name)
      let worst = zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
      XCTAssertLessThanOrEqual(worst, 1e-6, testCase.name)
    }
  }

  func testStandardInputEqualsTheFile() throws {
    let faststart = try FFmpegFixtures.make("faststart.m4a", ["-c:a", "aac", "-movflags", "+faststart"])
    var paths = [faststart, fixtures + "/speech.ogg"]
    for testCase in FFmpegFixtures.cases where testCase.name.hasSuffix(".webm") {
      if let path = try FFmpegFixtures.path(testCase) { paths.append(path) }
    }
    for path in paths {
      let rate = try XCTUnwrap(try describe(path)["sample_rate"] as? Int)
      let file = try decoded(path, rate: rate)
      let piped = try decoded(path, rate: rate, stdin: try Data(contentsOf: URL(fileURLWithPath: path)))
      XCTAssertEqual(file.status, 0, file.stderr)
      XCTAssertEqual(piped.status, 0, piped.stderr)
      XCTAssertGreaterThan(file.stdout.count, 16000, path)
      XCTAssertTrue(file.stdout == piped.stdout, "\(path): standard input decodes differently")
    }
  }

  func testMP4WithItsIndexAtTheEndIsRefusedOnStandardInput() throws {
    let atEnd = try FFmpegFixtures.make("moov-at-end.m4a", ["-c:a", "aac"])
    let result = try audioprep(["-", "-o", "-"], stdin: try Data(contentsOf: URL(fileURLWithPath: atEnd)))
    XCTAssertEqual(result.status, 65)
    XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
    XCTAssertTrue(result.stderr.hasPrefix("audioprep: -: an MP4 whose index (moov) comes after its audio cannot be read from a pipe"), result.stderr)
    XCTAssertTrue(result.stdout.isEmpty)
    XCTAssertEqual(try audioprep([atEnd, "-o", "-"]).status, 0, "the same file by path")
  }

  func testDecoderOption() throws {
    try FFmpegFixtures.requireFFmpeg()
    let flac = fixtures + "/speech.flac"
    let forced = try decoded(flac, rate: 22050, arguments: ["--decoder", "ffmpeg"])
    XCTAssertEqual(forced.status, 0, forced.stderr)
    XCTAssertTrue(forced.stdout == (try FFmpegFixtures.reference(flac)), "FLAC through FFmpeg")
    XCTAssertEqual(try describe(flac)["decoder"] as? String, "libsndfile")

    let m4a = try FFmpegFixtures.make("decoder-option.m4a", ["-c:a", "aac"])
    let refused = try audioprep([m4a, "-o", "-", "--decoder", "sndfile"])
    XCTAssertEqual(refused.status, 65)
    XCTAssertTrue(refused.stderr.contains("not a readable audio file"), refused.stderr)
    let noSuchStream = try audioprep([m4a, "-o", "-", "--audio-stream", "1"])
    // An option the input cannot satisfy is 64, as --channel beyond the channels (#16).
    XCTAssertEqual(noSuchStream.status, 64, noSuchStream.stderr)
    XCTAssertEqual(noSuchStream.stderrLines, ["audioprep: \(m4a): there is no audio stream 1: the input (QuickTime / MOV) has 1, numbered from 0"])
  }

  func testRateOrChannelCountChangingPartWayIsRefused() throws {
    let directory = try scratchDirectory(self)
    let mono22k = try FFmpegFixtures.make("part-22k.aac", ["-t", "1", "-c:a", "aac"])
    let mono44k = try FFmpegFixtures.make("part-44k.aac", ["-t", "1", "-ar", "44100", "-c:a", "aac"])
    let stereo22k = try FFmpegFixtures.make("part-22k-stereo.aac", ["-t", "1", "-ac", "2", "-c:a", "aac"])
    for (name, second, expect) in [
      ("rate.aac", mono44k, "the sample rate changes from 22050 to 44100 Hz"),
      ("channels.aac", stereo22k, "the channel count changes from 1 to 2"),
    ] {
      // ADTS frames carry their own parameters, so two streams end to end are one file.
      var bytes = try Data(contentsOf: URL(fileURLWithPath: mono22k))
      bytes.append(try Data(contentsOf: URL(fileURLWithPath: second)))
      try bytes.write(to: URL(fileURLWithPath: directory + "/" + name))
      let result = try spawnAudioprep([name, "-o", "out.wav"], in: directory)
      XCTAssertEqual(result.status, 65, result.stderr)
      XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
      XCTAssertTrue(result.stderr.hasPrefix("audioprep: \(name): \(expect)"), result.stderr)
      XCTAssertFalse(allFiles(directory).contains("out.wav"))
      XCTAssertTrue(temporaryFiles(directory).isEmpty)
    }
  }

  /// NaN, ±Inf and huge floats from an FFmpeg decoder get libsndfile's repair: 0, or ±1024.
  func testFloatSamplesAreRepairedAsFromLibsndfile() throws {
    let directory = try scratchDirectory(self)
    let values: [Float] = [0.25, .nan, .infinity, -.infinity, 1e30, -1e30]
    try HostileInputs.wav(bits: 32, formatTag: 3, data: HostileInputs.float32((0..<12000).map { values[$0 % 6] }))
      .write(to: URL(fileURLWithPath: directory + "/float.wav"))
    try FFmpegFixtures.run(["-hide_banner", "-loglevel", "error", "-i", directory + "/float.wav", "-c:a", "copy", directory + "/float.mka"])
    let result = try audioprep(["float.mka", "-o", "-", "--format", "raw", "--encoding", "f32", "--highpass", "0", "--gain", "1"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertTrue(result.stderr.contains("audioprep: float.mka: 6000 NaN or infinite samples replaced by 0"), result.stderr)
    XCTAssertTrue(result.stderr.contains("audioprep: float.mka: 4000 float samples beyond ±1024 clamped"), result.stderr)
    let samples = FFmpegFixtures.floats(result.stdout)
    XCTAssertEqual(samples.count, 12000)
    XCTAssertEqual(Array(samples.prefix(6)), [0.25, 0, 0, 0, 1024, -1024])
  }

  func testVersionNamesFFmpegsLibraries() throws {
    let result = try audioprep(["--version"])
    XCTAssertEqual(result.status, 0)
    let text = String(decoding: result.stdout, as: UTF8.self)
    XCTAssertTrue(text.contains("libavformat ") && text.contains("libavcodec "), text)
  }

  /// #22: `--version` and `--help` do not load FFmpeg's libraries (the dynamic loader's own
  /// log, LD_DEBUG=files, names every library it loads); `--version --verbose` does, for the
  /// run-time versions.
  func testVersionAndHelpDoNotLoadFFmpeg() throws {
    let directory = try scratchDirectory(self)
    func loadsFFmpeg(_ arguments: [String]) throws -> Bool {
      let result = try spawnAudioprep(arguments, in: directory, shellSetup: "export LD_DEBUG=files")
      XCTAssertEqual(result.status, 0, result.stderr)
      return result.stderr.contains("libavcodec.so")
    }
    XCTAssertFalse(try loadsFFmpeg(["--version"]))
    XCTAssertFalse(try loadsFFmpeg(["--help"]))
    XCTAssertFalse(try loadsFFmpeg([fixtures + "/speech.wav", "-o", "out.wav"]))
    XCTAssertTrue(try loadsFFmpeg(["--version", "--verbose"]))
    let verbose = try audioprep(["--version", "--verbose"])
    XCTAssertTrue(String(decoding: verbose.stdout, as: UTF8.self).contains("libavformat "))
  }

  func testBatchOverAMixedFolderProcessesEveryFile() throws {
    let directory = try scratchDirectory(self)
    let corpus = directory + "/corpus"
    try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
    // Distinct stems: outputs are STEM.wav.
    var names = ["speech-wav.wav", "speech-ogg.ogg"]
    try FileManager.default.copyItem(atPath: fixtures + "/speech.wav", toPath: corpus + "/speech-wav.wav")
    try FileManager.default.copyItem(atPath: fixtures + "/speech.ogg", toPath: corpus + "/speech-ogg.ogg")
    for testCase in FFmpegFixtures.cases {
      guard let path = try FFmpegFixtures.path(testCase) else { continue }
      try FileManager.default.copyItem(atPath: path, toPath: corpus + "/" + testCase.name)
      names.append(testCase.name)
    }
    try "not audio\n".write(toFile: corpus + "/notes.txt", atomically: false, encoding: .utf8)
    let result = try audioprep(["batch", "corpus", "--out-dir", "out", "-j", "2"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    let records = try manifestRecords(directory + "/out/manifest.jsonl")
    XCTAssertEqual(Set(records.compactMap { $0["relative_path"] as? String }), Set(names))
    XCTAssertEqual(Set(statuses(records).values), ["ok"])
  }

  func testBatchRecordsUnreadableFilesAndAnEmptyFolderFails() throws {
    try FFmpegFixtures.requireFFmpeg()
    let directory = try scratchDirectory(self)
    let bad = directory + "/bad", notes = directory + "/notes"
    for folder in [bad, notes] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
    var garbage = Data([0, 0, 0, 24] + Array("ftypM4A ".utf8) + [0, 0, 2, 0] + Array("M4A isom".utf8))
    garbage.append(Data((0..<4000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }))
    try garbage.write(to: URL(fileURLWithPath: bad + "/broken.m4a"))
    try Data().write(to: URL(fileURLWithPath: bad + "/empty.webm"))
    let videoOnly = try FFmpegFixtures.make(
      "video-only.mp4", ["-map", "0:v", "-c:v", "mpeg4", "-t", "1"], inputs: ["-f", "lavfi", "-i", "testsrc=size=64x48:rate=5"])
    try FileManager.default.copyItem(atPath: videoOnly, toPath: bad + "/video-only.mp4")
    try "a transcript\n".write(toFile: bad + "/notes.txt", atomically: false, encoding: .utf8)
    try "a transcript\n".write(toFile: notes + "/a.txt", atomically: false, encoding: .utf8)

    let result = try audioprep(["batch", "bad", "--out-dir", "out"], in: directory)
    XCTAssertEqual(result.status, 65, result.stderr)
    let records = try manifestRecords(directory + "/out/manifest.jsonl")
    XCTAssertEqual(statuses(records), ["broken.m4a": "failed", "empty.webm": "failed", "video-only.mp4": "failed"])
    for record in records { XCTAssertFalse((record["error"] as? String ?? "").isEmpty, "\(record)") }

    let empty = try audioprep(["batch", "notes", "--out-dir", "out2"], in: directory)
    XCTAssertEqual(empty.status, 65, empty.stderr)
    XCTAssertTrue(empty.stderr.contains("audioprep: notes: no file in it is audio audioprep can decode"), empty.stderr)
  }
}

extension FFmpegInputTests {
  /// #12: raw input is libsndfile's; asking for FFmpeg with it is a usage error (64), not
  /// silently ignored.
  func testRawInputWithTheFFmpegDecoderIsAUsageError() throws {
    let directory = try scratchDirectory(self)
    for extra in [["--decoder", "ffmpeg"], ["--audio-stream", "1"]] {
      let result = try spawnAudioprep(
        ["-", "--in-rate", "16000", "--in-channels", "1", "--in-encoding", "s16", "-o", "o.wav"] + extra, in: directory,
        stdinPath: fixtures + "/speech.s16le.raw")
      XCTAssertEqual(result.status, 64, "\(extra): \(result.summary) \(result.stderr)")
      XCTAssertEqual(directoryListing(directory), [], "\(extra)")
    }
  }
}

extension FFmpegInputTests {
  /// #12 (review): a WebM arriving through a FIFO is decoded as it arrives, not in 64 KiB
  /// steps: output appears while the writer still holds most of the file back.
  func testAStreamThroughFFmpegIsNotHeldBack() throws {
    let webm = try FFmpegFixtures.make("live.webm", ["-c:a", "libopus", "-b:a", "24k", "-f", "webm"])
    let directory = try scratchDirectory(self)
    let result = try bash(
      """
      mkfifo f
      { head -c 6000 '\(webm)'; sleep 4; tail -c +6001 '\(webm)'; } > f &
      "$AP" f -o - --format raw > out.raw &
      for i in $(seq 1 30); do [ -s out.raw ] && break; sleep 0.1; done
      [ -s out.raw ] && echo early || echo late
      wait
      """, in: directory)
    XCTAssertEqual(String(decoding: result.stdout, as: UTF8.self), "early\n", result.stderr)
  }

  /// #12 (review): a header claiming millions of samples (a fragmented MP4's `trun` count) costs
  /// no memory in proportion: FFmpeg's allocations are capped.
  func testAnAbsurdSampleCountCostsNoMemory() throws {
    let fragmented = try FFmpegFixtures.make("frag.m4a", ["-c:a", "aac", "-movflags", "frag_keyframe+empty_moov"])
    var bytes = try Data(contentsOf: URL(fileURLWithPath: fragmented))
    let trun = try XCTUnwrap(bytes.range(of: Data("trun".utf8)))
    // trun: size(4) type(4) version+flags(4) sample_count(4)
    bytes.replaceSubrange((trun.upperBound + 4)..<(trun.upperBound + 8), with: [0x05, 0x40, 0x00, 0x00])
    let directory = try scratchDirectory(self)
    try bytes.write(to: URL(fileURLWithPath: directory + "/huge.m4a"))
    let result = try spawnAudioprep(["huge.m4a", "-o", "o.wav"], in: directory)
    XCTAssertTrue([0, 65].contains(result.status ?? -1), result.summary + result.stderr)
    // Against the honest file through the same build (a sanitizer's own memory included): the
    // claim cost 775 MB more before FFmpeg's allocations were capped.
    let honest = try spawnAudioprep([fragmented, "-o", "honest.wav"], in: directory)
    XCTAssertEqual(honest.status, 0, honest.stderr)
    XCTAssertLessThan(result.maxResidentKiB, honest.maxResidentKiB + 100 * 1024, "peak RSS followed the header's claim")
  }
}
