import DSP

/// Every choice that shapes an output's bytes, as one canonical string for the manifest's
/// `params`: a rerun reuses an output only when its recorded fingerprint is the same.
///
/// Each part is derived, so a new node or output option can never be left out: the processing
/// part is the configuration's own (`PipelineConfiguration.fingerprint`: the nodes it builds
/// describe themselves), the output part the run output's (`AudioPipeline.Output.fingerprint`:
/// its format and segmentation), then the raw-input parameters. For example `rate=16000 downmix=average
/// resampler=libsamplerate-polyphase converter=medium highpass_hz=80.0 q=1.0dB gain=1.5
/// chunk=100.0ms pad=false buffer_chunks=10 live=false container=wav encoding=s16 dither=none
/// segment=none raw=none`.
package enum PipelineFingerprint {
  package static func make(
    pipeline: PipelineOptions, container: Container, output: OutputOptions, raw: RawInputOptions
  ) -> String {
    let rawFormat =
      raw.anyGiven
      ? "\(raw.rate.map(String.init) ?? "?")Hz/\(raw.channels.map(String.init) ?? "?")ch/\(raw.encoding?.rawValue ?? "?")"
      : "none"
    let outputPart = AudioPipeline.Output.fingerprint(
      format: output.fileFormat(container: container), segmentSeconds: output.segment?.seconds, overlapSeconds: output.segmentOverlap?.seconds ?? 0)
      + (output.speechCutting.map { " " + $0.fingerprint } ?? "") + (output.range.map { " " + $0.fingerprint } ?? "")
      + (output.trimSilence
        ? " trim=" + SpeechCutting(.utterances, rules: output.speechRules, detectorMode: output.vadMode ?? 3).fingerprint : "")
    return [pipeline.configuration.fingerprint, outputPart, "raw=\(rawFormat)"].joined(separator: " ")
  }
}
