/// Every choice that shapes an output's bytes, as one canonical string for the manifest's
/// `params`: a rerun reuses an output only when its recorded fingerprint is the same.
///
/// The processing part is the configuration's own (`PipelineConfiguration.fingerprint`: the
/// nodes it builds describe themselves), so a new node can never be left out; then the output
/// format, segmentation and raw-input parameters. For example `rate=16000 downmix=average
/// resampler=libsamplerate-polyphase converter=medium highpass_hz=80.0 q=1.0dB gain=1.5
/// chunk=100.0ms pad=false buffer_chunks=10 live=false container=wav encoding=s16 dither=none
/// segment=none raw=none`.
package enum PipelineFingerprint {
  package static func make(
    pipeline: PipelineOptions, container: String, encoding: String, raw: RawInputOptions, output: OutputOptions
  ) -> String {
    let rawFormat =
      raw.anyGiven
      ? "\(raw.rate.map(String.init) ?? "?")Hz/\(raw.channels.map(String.init) ?? "?")ch/\(raw.encoding?.rawValue ?? "?")"
      : "none"
    let segment =
      output.segment.map { "\($0.seconds)s/overlap\(output.segmentOverlap?.seconds ?? 0)s" } ?? "none"
    return [
      pipeline.configuration.fingerprint, "container=\(container)", "encoding=\(encoding)",
      "dither=\(output.dither.rawValue)", "segment=\(segment)", "raw=\(rawFormat)",
    ].joined(separator: " ")
  }
}
