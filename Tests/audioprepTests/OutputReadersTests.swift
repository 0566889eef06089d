import Foundation
import Glibc
import TestSupport
import XCTest

/// Issue #10: outputs are read back by the tools users already run — Python 3.11's `wave`,
/// python-soundfile, `soxi`, `ffprobe` — and by their header bytes.
final class OutputReadersTests: XCTestCase {
  /// Debian's Python 3.11 (its `wave` rejects WAVE_FORMAT_EXTENSIBLE) with python3-soundfile;
  /// `make test-deps` installs both.
  static let python = "/usr/bin/python3"

  func run(_ executable: String, _ arguments: [String]) throws -> SpawnResult {
    let result = try spawn(executable, arguments)
    XCTAssertEqual(result.status, 0, "\(executable) \(arguments): \(result.summary) \(result.stderr)")
    return result
  }

  func output(_ arguments: [String], in directory: String) throws {
    let result = try spawnAudioprep(arguments, in: directory)
    XCTAssertEqual(result.status, 0, "\(arguments): \(result.summary) \(result.stderr)")
  }

  /// 3.606 s at 22.05 kHz → exactly ceil(79517 · 16000 / 22050) = 57700 frames at 16 kHz.
  let speechFrames = 57700

  func le32(_ bytes: Data, _ offset: Int) -> UInt32 {
    bytes.subdata(in: offset..<offset + 4).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }.littleEndian
  }

  func le16(_ bytes: Data, _ offset: Int) -> UInt16 {
    bytes.subdata(in: offset..<offset + 2).withUnsafeBytes { $0.loadUnaligned(as: UInt16.self) }.littleEndian
  }

  /// Integer WAV is canonical: RIFF, `fmt ` of 16 bytes with WAVE_FORMAT_PCM (1), then `data`
  /// at byte 36: a 44-byte header, as sox writes. f32 is WAVE_FORMAT_IEEE_FLOAT (3).
  func testWAVHeadersAreCanonical() throws {
    let directory = try scratchDirectory(self)
    for (encoding, format, bits) in [("s16", 1, 16), ("s24", 1, 24), ("s32", 1, 32), ("f32", 3, 32)] {
      try output([fixtures + "/speech.flac", "-o", "\(encoding).wav", "--encoding", encoding], in: directory)
      let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(encoding).wav"))
      XCTAssertEqual(String(decoding: bytes.prefix(4), as: UTF8.self), "RIFF", encoding)
      XCTAssertEqual(Int(le32(bytes, 4)), bytes.count - 8, "\(encoding): RIFF size")
      XCTAssertEqual(String(decoding: bytes.subdata(in: 12..<16), as: UTF8.self), "fmt ", encoding)
      XCTAssertEqual(Int(le16(bytes, 20)), format, "\(encoding): format tag")
      XCTAssertEqual(Int(le16(bytes, 34)), bits, "\(encoding): bits")
      if format == 1 {
        XCTAssertEqual(le32(bytes, 16), 16, "\(encoding): fmt size")
        XCTAssertEqual(String(decoding: bytes.subdata(in: 36..<40), as: UTF8.self), "data", encoding)
        XCTAssertEqual(Int(le32(bytes, 40)), speechFrames * bits / 8, "\(encoding): data size")
        XCTAssertEqual(bytes.count, 44 + speechFrames * bits / 8, "\(encoding): a 44-byte header")
      }
    }
  }

  /// Python 3.11's `wave` opens the default output (it fails on WAVE_FORMAT_EXTENSIBLE with
  /// "unknown format: 65534"), from a file and from standard output.
  func testPython311WaveReadsTheDefaultOutput() throws {
    let directory = try scratchDirectory(self)
    try output([fixtures + "/speech.flac", "-o", "file.wav"], in: directory)
    _ = try spawnAudioprep(
      [fixtures + "/speech.flac", "-o", "-", "--format", "wav"], in: directory, stdoutPath: directory + "/stdout.wav")
    for name in ["file.wav", "stdout.wav"] {
      let result = try run(
        Self.python,
        ["-c", "import sys, wave; w = wave.open(sys.argv[1]); print(w.getnchannels(), w.getframerate(), w.getnframes())",
         "\(directory)/\(name)"])
      XCTAssertEqual(String(decoding: result.stdout, as: UTF8.self), "1 16000 \(speechFrames)\n", name)
    }
  }

  /// With the input's length known, standard output's WAV header has exact sizes (sox's
  /// behaviour), and equals the file output byte for byte; from a pipe they are 0xFFFFFFFF.
  func testStdoutWAVSizesAreExactWhenTheLengthIsKnown() throws {
    let directory = try scratchDirectory(self)
    try output([fixtures + "/speech.flac", "-o", "file.wav"], in: directory)
    _ = try spawnAudioprep(
      [fixtures + "/speech.flac", "-o", "-", "--format", "wav"], in: directory, stdoutPath: directory + "/known.wav")
    _ = try spawnAudioprep(
      ["-", "-o", "-", "--format", "wav"], in: directory, stdinPath: fixtures + "/speech.wav",
      stdoutPath: directory + "/piped.wav")
    let file = try Data(contentsOf: URL(fileURLWithPath: directory + "/file.wav"))
    let known = try Data(contentsOf: URL(fileURLWithPath: directory + "/known.wav"))
    let piped = try Data(contentsOf: URL(fileURLWithPath: directory + "/piped.wav"))
    XCTAssertEqual(known, file)
    XCTAssertEqual(le32(piped, 40), 0xFFFF_FFFF)
    XCTAssertEqual(piped.count, file.count)
  }

  /// python-soundfile, soxi and ffprobe read every container and encoding with the right rate,
  /// channel count and length.
  func testSoundfileSoxiAndFFprobeReadEveryOutput() throws {
    let directory = try scratchDirectory(self)
    var names: [String] = []
    for (container, encodings) in [("wav", ["s16", "s24", "s32", "f32"]), ("flac", ["s16", "s24"]), ("aiff", ["s16", "f32"]), ("caf", ["s16"]), ("ogg", ["s16"]), ("mp3", ["s16"])] {
      for encoding in encodings {
        let name = "\(encoding).\(container)"
        try output([fixtures + "/speech.flac", "-o", name, "--encoding", encoding], in: directory)
        names.append(name)
      }
    }
    for name in names {
      let path = "\(directory)/\(name)"
      let lossy = name.hasSuffix(".ogg") || name.hasSuffix(".mp3")
      let python = try run(
        Self.python, ["-c", "import sys, soundfile; i = soundfile.info(sys.argv[1]); print(i.samplerate, i.channels, i.frames)", path])
      let fields = String(decoding: python.stdout, as: UTF8.self).split(separator: " ")
      XCTAssertEqual(fields.prefix(2), ["16000", "1"], name)
      if !lossy { XCTAssertEqual(fields.last.map { String($0.dropLast()) }, "\(speechFrames)", name) }

      // Debian's sox reads MP3 only with libsox-fmt-mp3, which the tests do not install.
      if !name.hasSuffix(".mp3") {
        let soxi = try run("/usr/bin/soxi", ["-r", path])
        XCTAssertEqual(String(decoding: soxi.stdout, as: UTF8.self), "16000\n", name)
      }
      if !lossy {
        let samples = try run("/usr/bin/soxi", ["-s", path])
        XCTAssertEqual(String(decoding: samples.stdout, as: UTF8.self), "\(speechFrames)\n", name)
      }
      let probe = try run(
        "/usr/bin/ffprobe",
        ["-v", "error", "-select_streams", "a:0", "-show_entries", "stream=sample_rate,channels", "-of", "csv=p=0", path])
      XCTAssertEqual(String(decoding: probe.stdout, as: UTF8.self), "16000,1\n", name)
    }
  }

  /// #10 (review): the same run gives the same bytes, f32 included (libsndfile's PEAK chunk
  /// carried a timestamp).
  func testTheSameRunGivesTheSameBytes() throws {
    let directory = try scratchDirectory(self)
    for (index, encoding) in ["s16", "f32"].enumerated() {
      try output([fixtures + "/speech.flac", "-o", "a\(index).wav", "--encoding", encoding], in: directory)
      sleep(1)  // a timestamp in seconds would differ
      try output([fixtures + "/speech.flac", "-o", "b\(index).wav", "--encoding", encoding], in: directory)
      XCTAssertEqual(readWholeFile(directory + "/a\(index).wav"), readWholeFile(directory + "/b\(index).wav"), encoding)
    }
  }
}
