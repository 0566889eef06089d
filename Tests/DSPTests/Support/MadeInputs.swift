import Foundation
import Glibc
import DSP
import TestSupport
import XCTest

/// Inputs made at test time with the `ffmpeg` and `sox` command lines, the independent tools
/// whose decoding is the reference; a test that needs one skips without it.
enum MadeInputs {
  static func tool(_ name: String) throws -> String {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
      let path = String(directory) + "/" + name
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    throw XCTSkip("no \(name) on PATH (make test-deps installs it)")
  }

  /// Runs ffmpeg (quiet, overwriting); its standard output.
  @discardableResult
  static func ffmpeg(_ arguments: [String]) throws -> Data {
    let result = try spawn(try tool("ffmpeg"), ["-hide_banner", "-loglevel", "error", "-y"] + arguments, timeLimit: 120)
    guard result.status == 0 else { throw XCTSkip("ffmpeg \(arguments.joined(separator: " ")): \(result.stderr)") }
    return result.stdout
  }

  /// `path` made by sox's `synth` (its arguments, and any effects after them) at `rate` Hz.
  static func synth(_ path: String, rate: Int, channels: Int, _ arguments: [String]) throws {
    let made = try spawn(try tool("sox"), ["-n", "-r", "\(rate)", "-c", "\(channels)", path, "synth"] + arguments)
    guard made.status == 0 else { throw ToolFailed(description: "sox, making \(path): \(made.stderr)") }
  }

  /// A tool that made an input failed.
  struct ToolFailed: Error, CustomStringConvertible { let description: String }

  /// `path` in `directory`, made by ffmpeg from the speech fixture with `arguments`.
  static func fromSpeech(_ name: String, in directory: String, _ arguments: [String]) throws -> String {
    let path = directory + "/" + name
    try ffmpeg(["-i", fixtures + "/speech.flac"] + arguments + [path])
    return path
  }

  /// Frames ffmpeg decodes from `path` (its first audio stream), at the rate it decodes to.
  static func ffmpegFrames(_ path: String, channels: Int = 1) throws -> Int {
    try ffmpeg(["-i", path, "-map", "0:a:0", "-f", "f32le", "-"]).count / 4 / channels
  }
}

/// Decodes a whole input through `openAudioSource`, as the pipeline's reader does: the frames
/// and the source (its truncation, announced length).
func decodeAll(
  _ path: String, decoder: AudioDecoder = .auto, audioStream: Int? = nil, sampleLimit: Int = .max
) throws -> (samples: [Float], source: any DecodingSource) {
  let source = try openAudioSource(path: path, decoder: decoder, audioStream: audioStream)
  var chunk = AudioChunk(channels: source.format.channels)
  var samples: [Float] = []
  while samples.count < sampleLimit, try source.read(into: &chunk, maxFrames: 4096) > 0 { samples += chunk.samples }
  return (samples, source)
}

/// The same, with the bytes of `path` arriving through a pipe (as standard input would).
///
/// `fullPipe`: the pipe holds 1 MiB and is full before the decoder starts, so that each of its
/// reads returns all it asks for (a writer far ahead of the reader), which else depends on how
/// the threads are scheduled.
func decodeAllThroughAPipe(
  _ path: String, decoder: AudioDecoder = .auto, sampleLimit: Int = .max, fullPipe: Bool = false
) throws -> (samples: [Float], source: any DecodingSource) {
  let bytes = readWholeFile(path)
  signal(SIGPIPE, SIG_IGN)  // a decoder that stops early closes the pipe on the writer
  var ends: [Int32] = [0, 0]
  guard pipe(&ends) == 0 else { throw XCTSkip("pipe: \(String(cString: strerror(errno)))") }
  let (reading, writing) = (ends[0], ends[1])
  defer { close(reading) }
  if fullPipe { _ = fcntl(writing, 1031, 1 << 20) }  // F_SETPIPE_SZ (Linux), which Glibc does not export
  let writer = Thread {
    var offset = 0
    while offset < bytes.count {
      let written = bytes[offset...].withUnsafeBytes { write(writing, $0.baseAddress, $0.count) }
      if written <= 0 { break }
      offset += written
    }
    close(writing)
  }
  writer.start()
  if fullPipe {
    var held: Int32 = 0
    while ioctl(reading, UInt(FIONREAD), &held) == 0, Int(held) < min(bytes.count, 1 << 20) { usleep(1000) }
  }
  return try decodeAll("/dev/fd/\(reading)", decoder: decoder, sampleLimit: sampleLimit)
}

/// `decodeAllThroughAPipe` on a thread of its own, which must end within `hangGuard` seconds
/// (a hang guard, not a timing: a decoder caught in an endless loop fails the test instead of
/// hanging it, and is left running): the samples (at most `sampleLimit` of them), or nil.
func decodeAllThroughAPipe(
  _ path: String, decoder: AudioDecoder = .auto, sampleLimit: Int, hangGuard: Double
) throws -> [Float]? {
  final class Outcome: @unchecked Sendable {
    var result: Result<[Float], any Error>?
    let done = DispatchSemaphore(value: 0)
  }
  let outcome = Outcome()
  let decoding = Thread {
    outcome.result = Result { try decodeAllThroughAPipe(path, decoder: decoder, sampleLimit: sampleLimit).samples }
    outcome.done.signal()
  }
  decoding.start()
  guard outcome.done.wait(timeout: .now() + hangGuard) == .success else { return nil }
  return try outcome.result!.get()
}

/// One way of decoding an input: which decoder, from its file or through a pipe, and what came
/// of it (the samples and the source's warning, or the error).
struct DecodedWay {
  var decoder: AudioDecoder
  var throughAPipe: Bool
  var outcome: Result<(samples: [Float], warning: String?), any Error>

  var label: String { "--decoder \(decoder.rawValue), \(throughAPipe ? "a pipe" : "a file")" }
  var samples: [Float]? { try? outcome.get().samples }
}

/// Where the ways of decoding an input (`decodeEveryWay`) part from the same ways of an
/// untouched one (`reference`): a way that failed, gave other samples, or said anything. One
/// line each, beginning with `name`.
func differences(_ ways: [DecodedWay], from reference: [DecodedWay], _ name: String) -> [String] {
  zip(ways, reference).compactMap { way, untouched in
    guard case .success(let decoded) = way.outcome, let expected = untouched.samples else { return "\(name), \(way.label): \(way.outcome)" }
    guard decoded.samples != expected || decoded.warning != nil else { return nil }
    return "\(name), \(way.label): \(decoded.samples.count) frames against \(expected.count), \(decoded.warning ?? "no warning")"
  }
}

/// `path` decoded by each of `decoders`, from the file and through a pipe (in that order).
func decodeEveryWay(_ path: String, decoders: [AudioDecoder] = AudioDecoder.allCases) -> [DecodedWay] {
  decoders.flatMap { decoder in
    [false, true].map { throughAPipe in
      DecodedWay(
        decoder: decoder, throughAPipe: throughAPipe,
        outcome: Result {
          let (samples, source) = throughAPipe ? try decodeAllThroughAPipe(path, decoder: decoder) : try decodeAll(path, decoder: decoder)
          return (samples, source.truncation)
        })
    }
  }
}
