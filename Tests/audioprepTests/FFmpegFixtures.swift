import Foundation
import TestSupport
import XCTest

/// Inputs made at test time with the `ffmpeg` command line from Fixtures/speech.flac, and
/// ffmpeg's own decoding of them, the reference FFmpegSource must equal bit for bit.
///
/// Made once per test process in a temporary directory. Without an `ffmpeg` on PATH the tests
/// that need it skip (`make test` installs it: the `test-deps` target).
enum FFmpegFixtures {
  /// One recording FFmpeg reads and libsndfile does not.
  struct Case {
    var name: String
    /// ffmpeg's arguments after the input options, before the output name.
    var arguments: [String]
    var inputs: [String] = []
    /// The encoder it needs, when not built in.
    var encoder: String?
  }

  static let speech = fixtures + "/speech.flac"

  static let cases: [Case] = [
    Case(name: "aac.m4a", arguments: ["-c:a", "aac", "-b:a", "64k"], encoder: "aac"),
    Case(name: "alac.m4a", arguments: ["-c:a", "alac"], encoder: "alac"),
    Case(name: "opus.webm", arguments: ["-c:a", "libopus", "-b:a", "32k"], encoder: "libopus"),
    Case(name: "vorbis.webm", arguments: ["-c:a", "libvorbis"], encoder: "libvorbis"),
    Case(
      name: "video.mp4", arguments: ["-map", "0:v", "-map", "1:a", "-c:v", "mpeg4", "-c:a", "aac", "-shortest"],
      inputs: ["-f", "lavfi", "-i", "testsrc=size=64x48:rate=5"], encoder: "aac"),
    Case(name: "stereo-s24.mkv", arguments: ["-ac", "2", "-c:a", "pcm_s24le"]),
    Case(name: "nb.amr", arguments: ["-ar", "8000", "-ac", "1", "-c:a", "libopencore_amrnb", "-b:a", "12.2k"], encoder: "libopencore_amrnb"),
    Case(name: "wmav2.wma", arguments: ["-c:a", "wmav2"], encoder: "wmav2"),
    Case(name: "surround.m4a", arguments: ["-af", "pan=5.1|c0=c0|c1=0.5*c0|c2=0.3*c0|c3=0.2*c0|c4=0.1*c0|c5=0.4*c0", "-c:a", "aac"], encoder: "aac"),
  ]

  /// The `ffmpeg` on PATH, if any.
  static let executable: String? = {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
      let path = String(directory) + "/ffmpeg"
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
  }()

  static let encoders: Set<String> = {
    guard let output = try? run(["-hide_banner", "-encoders"]) else { return [] }
    return Set(String(decoding: output, as: UTF8.self).split(separator: "\n").compactMap { line in
      let fields = line.split(separator: " ")
      return fields.count >= 2 && fields[0].count == 6 ? String(fields[1]) : nil
    })
  }()

  static let directory: String = {
    let path = NSTemporaryDirectory() + "audioprep-ffmpeg-fixtures-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }()

  /// Skips the test when there is no ffmpeg.
  static func requireFFmpeg() throws {
    if executable == nil { throw XCTSkip("no ffmpeg on PATH (make test-deps installs it)") }
  }

  /// Runs ffmpeg; its standard output, or an error with its standard error.
  @discardableResult
  static func run(_ arguments: [String]) throws -> Data {
    guard let executable else { throw XCTSkip("no ffmpeg on PATH") }
    let result = try spawn(executable, arguments, timeLimit: 120)
    guard result.status == 0 else {
      throw NSError(
        domain: "ffmpeg", code: Int(result.status ?? -1),
        userInfo: [NSLocalizedDescriptionKey: "ffmpeg \(arguments.joined(separator: " ")): \(result.stderr)"])
    }
    return result.stdout
  }

  /// The path of `testCase`'s file, made on first use; nil when this ffmpeg lacks its encoder
  /// (AMR-NB then falls back to `handmadeAMR`, which any FFmpeg decodes).
  static func path(_ testCase: Case) throws -> String? {
    try requireFFmpeg()
    let path = directory + "/" + testCase.name
    if FileManager.default.fileExists(atPath: path) { return path }
    if let encoder = testCase.encoder, !encoders.contains(encoder) {
      guard testCase.name.hasSuffix(".amr") else { return nil }
      try handmadeAMR().write(to: URL(fileURLWithPath: path))
      return path
    }
    try run(["-hide_banner", "-loglevel", "error", "-y"] + testCase.inputs + ["-i", speech] + testCase.arguments + [path])
    return path
  }

  /// Any other file made by ffmpeg from the speech fixture, e.g. `("faststart.m4a", ["-c:a", "aac", "-movflags", "+faststart"])`.
  static func make(_ name: String, _ arguments: [String], inputs: [String] = []) throws -> String {
    try requireFFmpeg()
    let path = directory + "/" + name
    if !FileManager.default.fileExists(atPath: path) {
      try run(["-hide_banner", "-loglevel", "error", "-y"] + inputs + ["-i", speech] + arguments + [path])
    }
    return path
  }

  /// `ffmpeg -i PATH -map 0:a:0 -f f32le -`: the reference samples.
  static func reference(_ path: String) throws -> Data {
    try run(["-hide_banner", "-loglevel", "error", "-i", path, "-map", "0:a:0", "-f", "f32le", "-"])
  }

  /// An AMR-NB file (RFC 4867 storage format) of 150 12.2 kbit/s frames with seeded random
  /// parameters: every bit pattern is a valid 12.2k frame, so it decodes without an encoder.
  static func handmadeAMR() -> Data {
    var data = Data("#!AMR\n".utf8)
    var state: UInt32 = 7
    for _ in 0..<150 {
      data.append(0x3C)  // frame type 7 (12.2 kbit/s), quality bit set
      for _ in 0..<31 {
        state = state &* 1_664_525 &+ 1_013_904_223
        data.append(UInt8(truncatingIfNeeded: state >> 24))
      }
    }
    return data
  }

  /// Float32 little-endian samples.
  static func floats(_ data: Data) -> [Float] {
    data.withUnsafeBytes { raw in
      (0..<raw.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
    }
  }
}

