import DSP

/// The warnings of a finished run, one line each, as `process` prints them on standard error and
/// the C interface hands them to its caller (Python's `warnings.warn`): the one list both read.
package enum RunWarnings {
  /// What `result` earns, in the order `process` prints it. `input` names the input, `output`
  /// the file the clip and drop counts are about; `rawInput`: read as headerless samples (a
  /// container's signature in them is worth a warning); `range`: the `--start` range asked for;
  /// `countsClipsAndDrops`: false where a summary line gives those counts instead.
  package static func lines(
    _ result: RunResult, input: String, output: String, rawInput: Bool, range: TimeRange?, countsClipsAndDrops: Bool = true
  ) -> [String] {
    let report = result.report
    var lines: [String] = []
    if report.nonFiniteSamples > 0 {
      lines.append("audioprep: \(input): \(Text.count(report.nonFiniteSamples, "NaN or infinite sample")) replaced by 0")
    }
    if report.outOfRangeSamples > 0 {
      lines.append("audioprep: \(input): \(Text.count(report.outOfRangeSamples, "float sample")) beyond ±1024 clamped")
    }
    if report.webrtcClippedSamples > 0 {
      lines.append(
        "audioprep: \(input): \(Text.count(report.webrtcClippedSamples, "sample")) held at full scale by --denoise/--agc (WebRTC works in 16-bit range: the input is too loud for it)")
    }
    if rawInput, let warning = RawInputSignature.warning(input: input, leadingBytes: result.input.leadingBytes) {
      lines.append(warning)
    }
    if let truncation = result.input.truncation {
      lines.append("audioprep: \(input): \(truncation); kept what is there")
    }
    if let outcome = report.normalization, let warning = LoudnessText.shortfallWarning(outcome, name: input) {
      lines.append(warning)
    }
    if countsClipsAndDrops && report.clippedSamples > 0 {
      let total = Double(report.outputFrames) * Double(report.outputFormat.channels)
      let percent = total > 0 ? 100 * Double(report.clippedSamples) / total : 0
      lines.append("audioprep: \(output): \(Text.count(report.clippedSamples, "sample")) clipped (\(Text.fixed(percent, 3))%)")
    }
    if countsClipsAndDrops && report.droppedChunks > 0 {
      lines.append("audioprep: \(output): \(Text.count(report.droppedChunks, "chunk")) dropped (live mode, buffer full)")
    }
    if let warning = OutputChecks.rangePastTheEnd(input: input, range: range, inputSeconds: report.inputSeconds) {
      lines.append(warning)
    }
    return lines
  }
}
