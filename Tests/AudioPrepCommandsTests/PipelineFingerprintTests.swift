import AudioPrepCommands
import DSP
import Testing

/// The manifest's `params`: every option that shapes the output's bytes changes it, and
/// nothing else does.
@Suite struct PipelineFingerprintTests {
  static let defaults =
    "rate=16000 downmix=average resampler=libsamplerate-polyphase converter=medium highpass_hz=80.0 q=1.0dB "
    + "gain=1.5 chunk=100.0ms pad=false buffer_chunks=10 live=false container=wav encoding=s16 dither=none "
    + "segment=none raw=none"

  /// Which option group an argument list goes to.
  enum Group: Sendable { case pipeline, raw, output }

  /// The fingerprint for options given to `process`/`batch`, each list parsed by its own group
  /// (container and encoding are what the command resolved, passed as the commands pass them).
  static func fingerprint(
    _ group: Group = .pipeline, _ arguments: [String] = [], container: Container = .wav
  ) throws -> String {
    PipelineFingerprint.make(
      pipeline: try PipelineOptions.parse(group == .pipeline ? arguments : []), container: container,
      output: try OutputOptions.parse(group == .output ? arguments : []),
      raw: try RawInputOptions.parse(group == .raw ? arguments : []))
  }

  @Test func theDefaults() throws {
    #expect(try Self.fingerprint() == Self.defaults)
  }

  /// Each option, with the part of the fingerprint it must change to.
  static let changes: [(Group, [String], String, String)] = [
    (.pipeline, ["--rate", "8000"], "rate=16000", "rate=8000"),
    (.pipeline, ["--converter", "best"], "converter=medium", "converter=best"),
    (.pipeline, ["--resampler", "libsamplerate-direct"], "resampler=libsamplerate-polyphase", "resampler=libsamplerate-direct"),
    (.pipeline, ["--resampler", "soxr"], "resampler=libsamplerate-polyphase converter=medium", "resampler=soxr/high"),
    (.pipeline, ["--denoise", "high"], "converter=medium ", "converter=medium webrtc_ns=high/unless-clean22-34dB/aligned "),
    (.pipeline, ["--denoise", "very-high"], "converter=medium ", "converter=medium webrtc_ns=very-high/unless-clean22-34dB/aligned "),
    (.pipeline, ["--agc"], "converter=medium ", "converter=medium webrtc_agc=digital/-3dBFS/9dB/limiter "),
    (.pipeline, ["--denoise", "low", "--agc"], "converter=medium ", "converter=medium webrtc_ns=low/unless-clean22-34dB/aligned webrtc_agc=digital/-3dBFS/9dB/limiter "),
    (.pipeline, ["--highpass", "100"], "highpass_hz=80.0", "highpass_hz=100.0"),
    (.pipeline, ["--highpass", "0"], "highpass_hz=80.0 q=1.0dB ", ""),
    (.pipeline, ["--q", "3"], "q=1.0dB", "q=3.0dB"),
    (.pipeline, ["--gain", "2"], "gain=1.5", "gain=2.0"),
    (.pipeline, ["--channel", "1"], "downmix=average", "downmix=channel1"),
    (.pipeline, ["--keep-channels"], "downmix=average ", ""),
    (.pipeline, ["--chunk-ms", "50"], "chunk=100.0ms", "chunk=50.0ms"),
    (.pipeline, ["--chunk-samples", "512"], "chunk=100.0ms", "chunk=512frames"),
    (.pipeline, ["--pad"], "pad=false", "pad=true"),
    (.pipeline, ["--buffer-chunks", "5"], "buffer_chunks=10", "buffer_chunks=5"),
    (.pipeline, ["--live"], "live=false", "live=true"),
    (.output, ["--dither", "tpdf"], "dither=none", "dither=tpdf"),
    (.output, ["--segment", "30s"], "segment=none", "segment=30.0s/overlap0.0s"),
    (.output, ["--segment", "30s", "--segment-overlap", "1s"], "segment=none", "segment=30.0s/overlap1.0s"),
    (.raw, ["--in-rate", "8000", "--in-channels", "1", "--in-encoding", "s16"], "raw=none", "raw=8000Hz/1ch/s16"),
    (.raw, ["--in-rate", "8000"], "raw=none", "raw=8000Hz/?ch/?"),
  ]

  @Test(arguments: changes)
  func eachOptionChangesIt(group: Group, arguments: [String], from: String, to: String) throws {
    let expected = Self.defaults.replacing(from, with: to)
    #expect(expected != Self.defaults, "the test's own expectation must differ")
    #expect(try Self.fingerprint(group, arguments) == expected)
  }

  @Test func theContainerAndEncodingAsResolved() throws {
    #expect(try Self.fingerprint(container: .flac) == Self.defaults.replacing("container=wav", with: "container=flac"))
    #expect(try Self.fingerprint(.output, ["--encoding", "f32"]) == Self.defaults.replacing("encoding=s16", with: "encoding=f32"))
  }

  /// The output is the same for any thread count, so a rerun with other threads reuses it.
  @Test func threadsDoNotChangeIt() throws {
    #expect(try Self.fingerprint(.pipeline, ["--threads", "3"]) == Self.defaults)
  }

  /// `--denoise off` and `--no-agc` are the defaults: they change nothing, and the last given wins.
  @Test func denoiseOffAndNoAgcAreTheDefaults() throws {
    #expect(try Self.fingerprint(.pipeline, ["--denoise", "off", "--no-agc"]) == Self.defaults)
    #expect(try Self.fingerprint(.pipeline, ["--denoise", "high", "--denoise", "off", "--agc", "--no-agc"]) == Self.defaults)
  }

  /// #18: cutting at speech, ranges and trims shape the bytes; each setting gives its own print.
  @Test func speechAndRangeOptionsChangeIt() throws {
    let lists: [[String]] = [
      ["--utterances"], ["--utterances", "--min-speech", "0.5s"], ["--utterances", "--max-speech", "20s"],
      ["--utterances", "--min-silence", "300ms"], ["--utterances", "--speech-pad", "100ms"],
      ["--utterances", "--speech-threshold", "0.7"], ["--utterances", "--vad-mode", "1"],
      ["--segment", "30s", "--at-pauses"], ["--start", "1s"], ["--start", "1s", "--end", "2s"], ["--duration", "2s"],
      ["--trim-silence"], ["--trim-silence", "--speech-pad", "100ms"],
    ]
    var prints = [Self.defaults, try Self.fingerprint(.output, ["--segment", "30s"])]
    for arguments in lists { prints.append(try Self.fingerprint(.output, arguments)) }
    #expect(Set(prints).count == prints.count, "\(prints)")
  }

  @Test func allDiffer() throws {
    let prints = try Self.changes.map { try Self.fingerprint($0.0, $0.1) }
    #expect(Set(prints).count == prints.count)
  }
}
