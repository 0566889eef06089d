import ArgumentParser
import DSP

extension AudioDecoder: CaseInsensitiveArgument {}

/// Which library decodes the input, and which of its audio streams.
struct DecoderOptions: ParsableArguments {
  @Option(help: ArgumentHelp("auto: libsndfile for every format it reads, FFmpeg for the rest (MP4/M4A, WebM, MKV, AMR, WMA, …); sndfile or ffmpeg: only that one.", valueName: "lib"))
  var decoder = AudioDecoder.auto

  @Option(name: .customLong("audio-stream"), parsing: .unconditional, help: ArgumentHelp("Decode this audio stream (0-based, counting audio streams only) instead of the first; FFmpeg only.", valueName: "n"), transform: CountArgument.parser(giving: "one such as 0 or 1 (audio streams count from 0)"))
  var audioStream: Int?

  mutating func validate() throws {
    if let audioStream, !(0...1023).contains(audioStream) {
      throw ValidationError("--audio-stream counts audio streams from 0, got \(audioStream)")
    }
    if audioStream != nil && decoder == .sndfile {
      throw ValidationError("--audio-stream needs FFmpeg; libsndfile reads one stream")
    }
  }

  /// Opens `path` as these options say; `reach`: how far a file is looked through for another
  /// joined on (`ScanReach`: `.structure` for `info DIR`'s description from its header).
  func open(_ path: String, raw: RawInputFormat? = nil, reach: ScanReach = .everything) throws -> any DecodingSource {
    try openAudioSource(path: path, raw: raw, decoder: decoder, audioStream: audioStream, reach: reach)
  }

  /// What the manifest's fingerprint adds (`AudioPipeline.Input.decodingFingerprint`).
  var fingerprint: String? { AudioPipeline.Input("", decoder: decoder, audioStream: audioStream).decodingFingerprint }
}
