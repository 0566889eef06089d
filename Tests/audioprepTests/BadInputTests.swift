import CSndFile
import Foundation
import Glibc
import TestSupport
import XCTest

/// One row of the bad-input matrix: how to make the input, how to run, what must happen.
struct BadInputCase {
  var label: String
  /// Written into a fresh directory as `inputName` (or fed on standard input).
  var bytes: (() throws -> Data)?
  /// Makes something other than a regular file at the path (a directory, a FIFO).
  var makeSpecial: ((String) throws -> Void)?
  var inputName = "input.wav"
  var viaStdin = false
  var arguments: [String] = []
  /// The documented exit status.
  var status: Int32
  /// A substring of the one error line (status ≠ 0), or of a warning (status 0; "" for none).
  var expect: String
  /// Usage errors name the option, not the file.
  var namesInput = true

  var displayName: String { viaStdin ? "-" : inputName }
}

/// The bad-input matrix: malformed and hostile inputs, generated at test time, each run through
/// the built binary under a time limit.
///
/// For every case: the documented exit code, no crash signal, no hang (the runner kills at
/// the limit), and on failure exactly one line `audioprep: INPUT: …`, nothing under the output
/// name, no temporary left; on success a readable output and only `audioprep: …` warnings.
final class BadInputTests: XCTestCase {
  static let speech = fixtures + "/speech.wav"

  static func fixture(_ name: String) throws -> Data {
    try Data(contentsOf: URL(fileURLWithPath: fixtures + "/" + name))
  }

  static var cases: [BadInputCase] {
    let pcm = HostileInputs.pcm16(frames: 16000)
    let valid = HostileInputs.wav(data: pcm)
    var rows: [BadInputCase] = [
      // Not audio at all.
      BadInputCase(label: "empty file", bytes: { Data() }, status: 65, expect: "the input is empty (0 bytes)"),
      BadInputCase(label: "1-byte file", bytes: { Data([0x52]) }, status: 65, expect: "not a readable audio file"),
      BadInputCase(
        label: "text named .wav", bytes: { Data("just some notes\n".utf8) }, status: 65,
        expect: "not a readable audio file"),
      BadInputCase(
        label: "random bytes named .flac", bytes: { Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }) },
        inputName: "input.flac", status: 65, expect: "not a readable audio file"),
      BadInputCase(
        label: "random bytes named .mp3 (libsndfile said the file does not exist)",
        bytes: { Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }) },
        inputName: "input.mp3", status: 65, expect: "not a readable audio file (Format not recognised)"),
      // Broken headers.
      BadInputCase(label: "WAV header cut at 30 bytes", bytes: { valid.prefix(30) }, status: 65, expect: "not a readable audio file"),
      BadInputCase(label: "WAV header cut at 12 bytes", bytes: { valid.prefix(12) }, status: 65, expect: "not a readable audio file"),
      BadInputCase(
        label: "WAV without fmt chunk",
        bytes: { var bytes = valid; bytes.replaceSubrange(12..<16, with: Array("junk".utf8)); return bytes },
        status: 65, expect: "not a readable audio file"),
      BadInputCase(
        label: "WAV with unknown format tag", bytes: { HostileInputs.wav(formatTag: 0x1234, data: pcm) }, status: 65,
        expect: "not a readable audio file"),
      BadInputCase(
        label: "WAV with 0 bits per sample", bytes: { HostileInputs.wav(bits: 0, data: pcm) }, status: 65,
        expect: "not a readable audio file"),
      BadInputCase(label: "WAV claiming 0 Hz", bytes: { HostileInputs.wav(rate: 0, data: pcm) }, status: 65, expect: "header declares a sample rate of 0 Hz"),
      BadInputCase(label: "WAV claiming 1 Hz", bytes: { HostileInputs.wav(rate: 1, data: pcm) }, status: 65, expect: "the header declares 1 Hz"),
      BadInputCase(
        label: "WAV claiming 10 MHz", bytes: { HostileInputs.wav(rate: 10_000_000, data: pcm) }, status: 65,
        expect: "the header declares 10000000 Hz"),
      BadInputCase(label: "WAV claiming 0 channels", bytes: { HostileInputs.wav(channels: 0, data: pcm) }, status: 65, expect: "not a readable audio file"),
      BadInputCase(
        label: "WAV with 1024 channels (libsndfile's maximum) is averaged",
        bytes: { HostileInputs.wav(channels: 1024, data: HostileInputs.pcm16(frames: 160, channels: 1024)) }, status: 0,
        expect: ""),
      BadInputCase(
        label: "WAV claiming 1025 channels", bytes: { HostileInputs.wav(channels: 1025, data: pcm + pcm) }, status: 65,
        expect: "not a readable audio file"),
      // Lies about length: decode what is there, warn, exit 0.
      BadInputCase(
        label: "data chunk claiming more frames than present",
        bytes: { HostileInputs.wav(data: pcm.prefix(2000), declaredDataBytes: UInt32(pcm.count)) }, status: 0,
        expect: "truncated: the header announces 16000 frames, the input holds 1000"),
      BadInputCase(
        label: "data chunk claiming 4 GiB", bytes: { HostileInputs.wav(data: pcm.prefix(2000), declaredDataBytes: 0xFFFF_FFF0) },
        status: 0, expect: "truncated: the header announces 2147483640 frames"),
      BadInputCase(
        label: "RF64 announcing 2^40 frames", bytes: { HostileInputs.rf64(announcingFrames: 1 << 40, data: pcm) }, status: 0,
        expect: "truncated: the header announces 1099511627776 frames, the input holds 16000"),
      BadInputCase(label: "WAV cut in the middle of its data", bytes: { valid.prefix(valid.count / 2) }, status: 0, expect: "truncated"),
      BadInputCase(
        label: "AIFF cut in the middle of its data", bytes: { try fixture("speech.aiff").prefix(80000) }, inputName: "input.aiff",
        status: 0, expect: "truncated: the header announces 79517 frames, the input holds 39956"),
      BadInputCase(
        label: "CAF cut in half", bytes: { try fixture("speech.caf").prefix(80000) }, inputName: "input.caf", status: 0,
        expect: "truncated: the header announces 79517 frames, the input holds 37952"),
      BadInputCase(label: "header with no data at all", bytes: { HostileInputs.wav(data: Data()) }, status: 0, expect: ""),
      BadInputCase(
        label: "streaming WAV (sizes 0xFFFFFFFF) is not truncated",
        bytes: {
          var bytes = valid
          bytes.replaceSubrange(4..<8, with: [0xFF, 0xFF, 0xFF, 0xFF])
          bytes.replaceSubrange(40..<44, with: [0xFF, 0xFF, 0xFF, 0xFF])
          return bytes
        }, status: 0, expect: ""),
      // Hostile sample values.
      BadInputCase(
        label: "float WAV with NaN and ±Inf",
        bytes: { HostileInputs.wav(bits: 32, formatTag: 3, data: HostileInputs.float32((0..<16000).map { [0.25, .nan, .infinity, -.infinity][$0 % 4] })) },
        status: 0, expect: "12000 NaN or infinite samples replaced by 0"),
      BadInputCase(
        label: "float WAV at ±3.4e38, resampled (crashed in the s16 quantizer)",
        bytes: { HostileInputs.wav(rate: 44100, bits: 32, formatTag: 3, data: HostileInputs.float32((0..<44100).map { $0 / 3 % 2 == 0 ? 3.4e38 : -3.4e38 })) },
        status: 0, expect: "44100 float samples beyond ±1024 clamped"),
      BadInputCase(
        label: "float WAV at 1e30, not resampled",
        bytes: { HostileInputs.wav(bits: 32, formatTag: 3, data: HostileInputs.float32((0..<16000).map { $0 % 2 == 0 ? 1e30 : -1e30 })) },
        status: 0, expect: "16000 float samples beyond ±1024 clamped"),
      BadInputCase(
        label: "float WAV at 100× full scale is kept (clipped only on output)",
        bytes: { HostileInputs.wav(bits: 32, formatTag: 3, data: HostileInputs.float32((0..<16000).map { $0 % 2 == 0 ? 100 : -100 })) },
        status: 0, expect: "samples clipped"),
      // Compressed formats with damage in the middle.
      BadInputCase(
        label: "FLAC with flipped bytes: FFmpeg decodes on where libsndfile lost sync",
        bytes: { HostileInputs.flippingMiddle(of: try fixture("speech.flac")) }, inputName: "input.flac",
        status: 0, expect: "damaged: libsndfile stopped after 32768 frames (decoding failed: Error : flac decoder lost sync.), FFmpeg decoded on"),
      BadInputCase(
        label: "Ogg Vorbis with flipped bytes", bytes: { HostileInputs.flippingMiddle(of: try fixture("speech.ogg")) }, inputName: "input.ogg",
        status: 0, expect: "the header announces 79517 frames"),
      BadInputCase(
        label: "Opus with flipped bytes", bytes: { HostileInputs.flippingMiddle(of: try fixture("speech.opus")) }, inputName: "input.opus",
        status: 0, expect: "truncated: the header announces 173099 frames"),
      BadInputCase(
        label: "MP3 with flipped bytes (libmpg123's notes stay off stderr; libsndfile kept half, FFmpeg decodes on)",
        bytes: { HostileInputs.flippingMiddle(of: try fixture("speech.mp3")) }, inputName: "input.mp3", status: 0,
        expect: "truncated: the header announces 79535 frames, the input holds 73775 (libsndfile stopped after 39215 frames"),
      BadInputCase(
        label: "FLAC cut in half (as from a pipe: truncated)", bytes: { try fixture("speech.flac").prefix(40000) }, inputName: "input.flac",
        status: 0, expect: "truncated or damaged: the header announces 79517 frames, the input holds"),
      // Not a regular file.
      BadInputCase(label: "missing file", inputName: "missing.wav", status: 66, expect: "No such file or directory"),
      BadInputCase(
        label: "directory as input", makeSpecial: { try FileManager.default.createDirectory(atPath: $0, withIntermediateDirectories: false) },
        inputName: "folder.wav", status: 66, expect: "is a directory, not an audio file; for a whole directory use 'audioprep batch"),
      // Standard input redirected from a directory (`< corpus`): read(2) fails with EISDIR,
      // which was taken for the end of an empty input (65, "the input is empty").
      BadInputCase(
        label: "a directory as standard input", makeSpecial: { try FileManager.default.createDirectory(atPath: $0, withIntermediateDirectories: false) },
        viaStdin: true, status: 66, expect: "is a directory, not an audio file"),
      BadInputCase(
        label: "FIFO opened and closed with nothing written", makeSpecial: { path in
          XCTAssertEqual(mkfifo(path, 0o644), 0)
          BadInputTests.openAndCloseForWriting(path)
        }, inputName: "fifo.wav", status: 65, expect: "the input is empty (0 bytes)"),
      // Raw input.
      BadInputCase(
        label: "raw s16 with an odd byte count", bytes: { pcm.prefix(1001) }, inputName: "input.raw",
        arguments: ["--in-rate", "16000", "--in-channels", "1", "--in-encoding", "s16"], status: 0,
        expect: "truncated: the last 1 bytes do not make a whole frame"),
      BadInputCase(
        label: "raw without --in-rate", bytes: { pcm }, inputName: "input.raw", arguments: ["--in-channels", "1", "--in-encoding", "s16"],
        status: 64, expect: "raw input needs --in-rate"),
      BadInputCase(
        label: "raw --in-rate 1", bytes: { pcm }, inputName: "input.raw",
        arguments: ["--in-rate", "1", "--in-channels", "1", "--in-encoding", "s16"], status: 64, expect: "--in-rate gives 1 Hz"),
      // Standard input.
      BadInputCase(label: "empty standard input", bytes: { Data() }, viaStdin: true, status: 65, expect: "the input is empty (0 bytes)"),
      // review53 W4: every decoder says so (FFmpeg's said "not a readable audio file").
      BadInputCase(
        label: "empty standard input, --decoder ffmpeg", bytes: { Data() }, viaStdin: true, arguments: ["--decoder", "ffmpeg"], status: 65,
        expect: "the input is empty (0 bytes)"),
      BadInputCase(
        label: "empty standard input, --decoder sndfile", bytes: { Data() }, viaStdin: true, arguments: ["--decoder", "sndfile"], status: 65,
        expect: "the input is empty (0 bytes)"),
      BadInputCase(label: "text on standard input", bytes: { Data("hello\n".utf8) }, viaStdin: true, status: 65, expect: "not a readable audio file"),
      BadInputCase(
        label: "truncated WAV on standard input",
        bytes: { HostileInputs.wav(data: pcm.prefix(2000), declaredDataBytes: UInt32(pcm.count)) }, viaStdin: true, status: 0,
        expect: "truncated: the header announces 16000 frames, the input holds 1000"),
      BadInputCase(
        label: "RF64 announcing 2^40 frames on standard input", bytes: { HostileInputs.rf64(announcingFrames: 1 << 40, data: pcm) },
        viaStdin: true, status: 0, expect: "truncated"),
      BadInputCase(
        label: "FLAC with flipped bytes on standard input", bytes: { HostileInputs.flippingMiddle(of: try fixture("speech.flac")) },
        viaStdin: true, status: 0, expect: "damaged: libsndfile stopped after 32768 frames"),
    ]
    rows += ffmpegCases
    // Absurd options on a good input: rejected by validation, before anything is opened.
    for (arguments, option) in [
      (["--rate", "0"], "--rate"), (["--rate", "10000000"], "--rate"), (["--highpass", "9000"], "--highpass"),
      (["--highpass", "8000"], "--highpass"), (["--gain", "-1"], "--gain"), (["--gain", "nan"], "--gain"),
      (["--chunk-samples", "0"], "--chunk-samples"), (["--buffer-chunks", "0"], "--buffer-chunks"),
      (["--chunk-ms", "0"], "--chunk-ms"), (["--q", "inf"], "--q"), (["--in-channels", "0"], "--in-channels"),
      (["--rate", "16q"], "--rate"), (["--gain", "3 dB"], "--gain"),
    ] {
      rows.append(
        BadInputCase(
          label: "option \(arguments.joined(separator: " "))", bytes: { valid }, arguments: arguments, status: 64,
          expect: option, namesInput: false))
    }
    return rows
  }

  func testTheMatrixHasAtLeastThirtyCases() {
    XCTAssertGreaterThanOrEqual(Self.cases.count, 30)
  }

  func testEveryBadInput() throws {
    for row in Self.cases {
      try check(row)
    }
  }

  private func check(_ row: BadInputCase) throws {
    let directory = try scratchDirectory(self)
    let inputPath = directory + "/" + (row.viaStdin ? "stdin.bin" : row.inputName)
    if let bytes = row.bytes { try bytes().write(to: URL(fileURLWithPath: inputPath)) }
    try row.makeSpecial?(inputPath)
    let before = allFiles(directory)

    let result = try spawnAudioprep(
      [row.viaStdin ? "-" : row.inputName, "-o", "out.wav"] + row.arguments, in: directory,
      stdinPath: row.viaStdin ? inputPath : "/dev/null")

    let label = "[\(row.label)] \(result.summary): \(result.stderr)"
    XCTAssertFalse(result.timedOut, label)
    XCTAssertNil(result.signal, label)
    XCTAssertEqual(result.status, row.status, label)
    XCTAssertTrue(temporaryFiles(directory).isEmpty, label)
    for line in result.stderrLines {
      XCTAssertTrue(line.hasPrefix("audioprep: "), "stray line \(line.debugDescription) \(label)")
    }
    if row.status == 0 {
      XCTAssertEqual(allFiles(directory), (before + ["out.wav"]).sorted(), label)
      var info = SF_INFO()
      let file = sf_open(directory + "/out.wav", Int32(SFM_READ), &info)
      XCTAssertNotNil(file, "output unreadable \(label)")
      if let file { sf_close(file) }
      XCTAssertEqual(info.samplerate, 16000, label)
      if !row.expect.isEmpty { XCTAssertTrue(result.stderr.contains(row.expect), label) }
      else { XCTAssertFalse(result.stderr.contains("truncated"), label) }
    } else {
      XCTAssertEqual(result.stderrLines.count, 1, label)
      let line = result.stderrLines.first ?? ""
      if row.namesInput { XCTAssertTrue(line.hasPrefix("audioprep: \(row.displayName): "), label) }
      XCTAssertTrue(line.contains(row.expect), label)
      XCTAssertEqual(allFiles(directory), before, "something was left behind \(label)")
    }
    XCTAssertTrue(result.stdout.isEmpty, label)
  }

  /// Opens the FIFO for writing as soon as a reader has it open, then closes it at once.
  static func openAndCloseForWriting(_ path: String) {
    Thread.detachNewThread {
      let deadline = Date().addingTimeInterval(spawnTimeLimit)
      while Date() < deadline {
        let descriptor = open(path, O_WRONLY | O_NONBLOCK)
        if descriptor >= 0 {
          close(descriptor)
          return
        }
        usleep(5_000)
      }
    }
  }
}
