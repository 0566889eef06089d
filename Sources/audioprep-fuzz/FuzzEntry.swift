import ArgumentParser
import AudioPrepCommands
import DSP
import Glibc

/// libFuzzer entry point over what audioprep itself parses; built only by `make fuzz`
/// (`AUDIOPREP_FUZZ=1 swift build --sanitize=fuzzer --sanitize=address` with explicit
/// coverage flags, scratch path `.build-fuzz`; see the Makefile). libsndfile is the system
/// library, not instrumented: coverage guides the fuzzer through audioprep's own code
/// (PipeReader, SndFileSource, AnnouncedLength, the options), while libsndfile's parsers see
/// the mutated bytes without feedback.
///
/// `AUDIOPREP_FUZZ_TARGET` picks what the bytes are (`manifest`: see `ManifestTarget`):
/// - `options`: an argument list (NUL-separated) parsed as the `process` command's options,
///   with the very option groups the CLI declares (the `AudioPrepCommands` library): value
///   parsing, `validate()`, the chunk length, the raw input format, the output format check.
///   (argument-parser's reflection makes this slow, about 30 parses a second, hence a target of
///   its own.)
/// - `decoder` (the default): an input file, decoded to the end twice through
///   `openAudioSource` (libsndfile, then FFmpeg for what libsndfile does not recognise): once
///   through standard input (the `PipeReader` virtual I/O that `audioprep -` uses, which FFmpeg's
///   AVIOContext reads again from its start; the bytes go through a real pipe dup'ed onto
///   descriptor 0), once from a file in /dev/shm (libsndfile's own I/O and the header-log
///   parsing that detects truncation; FFmpeg through a file descriptor). FFmpeg, like
///   libsndfile, is the uninstrumented system library; `FFmpegSource`, the MP4 layout check and
///   the sample conversion are audioprep's and instrumented.
///
/// While libmpg123 decodes, descriptor 2 points at /dev/null (`LibraryDiagnostics`); a crash
/// there loses its report on stderr, but libFuzzer still writes the crashing input as an
/// artifact.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = UnsafeBufferPointer(start: data, count: size)
  if fuzzingOptions {
    OptionsTarget.run(bytes)
  } else if fuzzingManifest {
    ManifestTarget.run(bytes)
  } else {
    DecoderTarget.runThroughStdin(bytes)
    DecoderTarget.runFromFile(bytes)
  }
  return 0
}

let fuzzTarget: String = getenv("AUDIOPREP_FUZZ_TARGET").map { String(cString: $0) } ?? "decoder"
let fuzzingOptions = fuzzTarget == "options"
let fuzzingManifest = fuzzTarget == "manifest"

/// Manifest lines and the small text values batch and process parse: each line as a manifest
/// record (JSONLine → ManifestRecord), which must survive encoding and parsing again unchanged;
/// and the same text as a `K/N` shard, a duration (`1.5s`, `100ms`) and a segment name pattern.
enum ManifestTarget {
  static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
    for piece in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      let text = String(decoding: piece, as: UTF8.self)
      if let line = try? JSONLine(parsing: text) {
        guard let again = try? JSONLine(parsing: line.encoded), again == line else {
          fatalError("a manifest line does not survive encoding: \(text)")
        }
        if let record = ManifestRecord(line) { _ = record.json.encoded }
      }
      if let shard = Shard(argument: text) {
        precondition(Shard(argument: shard.description) == shard, "shard round trip")
      }
      if let seconds = DurationArgument.parse(text) { precondition(seconds >= 0 && seconds.isFinite) }
      if let pattern = SegmentPattern(text) { _ = pattern.path(12345) }
    }
  }
}

/// The process command's option groups, as the CLI declares them.
struct FuzzedOptions: ParsableArguments {
  @OptionGroup var pipeline: PipelineOptions
  @OptionGroup var raw: RawInputOptions
  @OptionGroup var output: OutputOptions
}

enum OptionsTarget {
  static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
    let arguments = bytes.split(separator: 0, omittingEmptySubsequences: false).map {
      String(decoding: $0, as: UTF8.self)
    }
    guard let options = try? FuzzedOptions.parse(arguments) else { return }
    let configuration = options.pipeline.configuration
    _ = configuration.framesPerChunk
    _ = configuration.makeChain(for: StreamFormat(sampleRate: 44100, channels: 2))
    if let raw = try? options.raw.rawFormat(for: "-") { _ = raw.bytesPerFrame }
    let container = options.output.format ?? .wav
    _ = OutputFileFormat(container: container, encoding: options.output.encoding)
      .unsupportedReason(sampleRate: configuration.outputRate, channels: 1)
  }
}

enum DecoderTarget {
  /// Frames decoded per input at most: enough for any 64 KiB input, a bound for the rest.
  static let frameLimit = 1 << 22

  static func drain(_ source: any DecodingSource) {
    var chunk = AudioChunk(channels: source.format.channels)
    var total = 0
    while total < frameLimit, let frames = try? source.read(into: &chunk, maxFrames: 4096), frames > 0 {
      total += frames
    }
    _ = source.truncation
  }

  /// The bytes through a pipe on descriptor 0, as `audioprep -` reads them.
  static func runThroughStdin(_ bytes: UnsafeBufferPointer<UInt8>) {
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { return }
    // Room for the whole input (libFuzzer's -max_len stays below 1 MiB), so one write
    // never blocks.
    _ = fcntl(ends[1], 1031 /* F_SETPIPE_SZ */, 1 << 20)
    var offset = 0
    while offset < bytes.count {
      let written = write(ends[1], bytes.baseAddress! + offset, bytes.count - offset)
      if written <= 0 { break }
      offset += written
    }
    close(ends[1])
    dup2(ends[0], STDIN_FILENO)
    close(ends[0])
    if let source = try? openAudioSource(path: "-") { drain(source) }
    let null = open("/dev/null", O_RDONLY)
    dup2(null, STDIN_FILENO)
    close(null)
  }

  /// The bytes as a file, as `audioprep FILE` reads them.
  static func runFromFile(_ bytes: UnsafeBufferPointer<UInt8>) {
    let path = "/dev/shm/audioprep-fuzz-\(getpid()).bin"
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard descriptor >= 0 else { return }
    if bytes.count > 0 { _ = write(descriptor, bytes.baseAddress!, bytes.count) }
    close(descriptor)
    if let source = try? openAudioSource(path: path) { drain(source) }
    unlink(path)
  }
}
