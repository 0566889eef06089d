/// Every choice that shapes an output's bytes, as one canonical string for the manifest's
/// `params`: a rerun reuses an output only when its recorded fingerprint is the same.
///
/// For example `rate=16000 converter=medium highpass_hz=80.0 q=1.0dB gain=1.5 downmix=average
/// chunk=100.0ms pad=false buffer_chunks=10 live=false container=wav encoding=s16 raw=none`.
/// Chunk and buffer settings are included although they change the bytes only with `--pad` or
/// `--live`: a cache that reprocesses too often is slow, one that reprocesses too rarely is wrong.
enum PipelineFingerprint {
  static func make(
    pipeline: PipelineOptions, container: String, encoding: String, raw: RawInputOptions, output: OutputOptions
  ) -> String {
    let q = pipeline.chain.qLinear.map { "\($0)linear" } ?? "\(pipeline.chain.q)dB"
    let downmix = pipeline.keepChannels ? "keep" : pipeline.channels.channel.map { "channel\($0)" } ?? "average"
    let chunk = pipeline.stream.chunkSamples.map { "\($0)frames" } ?? "\(pipeline.stream.chunkMilliseconds ?? 100)ms"
    let rawFormat =
      raw.anyGiven
      ? "\(raw.rate.map(String.init) ?? "?")Hz/\(raw.channels.map(String.init) ?? "?")ch/\(raw.encoding?.rawValue ?? "?")"
      : "none"
    let resampler =
      pipeline.chain.resampler == .soxr ? "soxr/\(pipeline.chain.soxrQuality.rawValue)" : pipeline.chain.resampler.rawValue
    let segment =
      output.segment.map { "\($0.seconds)s/overlap\(output.segmentOverlap?.seconds ?? 0)s" } ?? "none"
    return [
      "rate=\(pipeline.rate)", "resampler=\(resampler)", "converter=\(pipeline.chain.converter.rawValue)", "highpass_hz=\(pipeline.chain.highPassHz)",
      "q=\(q)", "gain=\(pipeline.chain.gain)", "downmix=\(downmix)", "chunk=\(chunk)", "pad=\(pipeline.pad)",
      "buffer_chunks=\(pipeline.stream.bufferChunks)", "live=\(pipeline.stream.live)", "container=\(container)",
      "encoding=\(encoding)", "dither=\(output.dither.rawValue)", "segment=\(segment)", "raw=\(rawFormat)",
    ].joined(separator: " ")
  }
}
