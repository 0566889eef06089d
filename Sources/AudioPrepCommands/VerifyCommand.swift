import ArgumentParser
import DSP

/// `audioprep verify CANDIDATE GOLDEN`: sample-by-sample comparison for golden-file tests.
struct VerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Compare two audio files sample by sample (golden-file testing).",
    // The synopsis argument-parser writes is wider than 80 columns: this one fits.
    usage: "audioprep verify <candidate> <golden> [--tolerance <t> | --snr-min <db>]",
    discussion: """
      Any formats audioprep reads (libsndfile, then FFmpeg). Rates and channel
      counts must match. Passes when the lengths match and every
      |candidate - golden| <= --tolerance (or, with --snr-min, when the
      signal-to-error ratio reaches it).

      EXIT STATUS
        0    within tolerance
        1    outside tolerance (or lengths differ)
        64   usage error (a bad option or value)
        65   unreadable audio, or rates/channels differ
        66   a file cannot be opened
      """)

  @Argument(help: ArgumentHelp("The file under test.", valueName: "candidate"), completion: .file())
  var candidate: String

  @Argument(help: ArgumentHelp("The reference file.", valueName: "golden"), completion: .file())
  var golden: String

  @OptionGroup var comparison: ComparisonOptions

  @Flag(help: "Print the result as one JSON object on standard output.")
  var json = false


  func run() throws {
    let result: AudioVerifier.Result
    do {
      for path in [candidate, golden] {
        if let refusal = BlockingInputs.specialFileRefusal(path) { throw refusal }
        try BlockingInputs.checkStandardInput(path)
      }
      let candidateSource = try openAudioSource(path: candidate)
      let goldenSource = try openAudioSource(path: golden)
      result = try AudioVerifier.compare(candidate: candidateSource, golden: goldenSource, tolerance: comparison.tolerance)
    } catch {
      let failure = error as? CommandFailure ?? CommandFailure(error, inputPath: candidate)
      printError("audioprep: \(failure.path): \(failure.message)")
      throw ExitCode(failure.code)
    }
    let report = VerificationReport(
      candidate: candidate, golden: golden, result: result, snrMinimum: comparison.snrMinimum)
    printOutput(json ? report.json : report.text)
    if !report.passed { throw ExitCode(1) }
  }
}

/// The words and JSON `verify` (and `process --golden`) print.
struct VerificationReport {
  let candidate: String
  let golden: String
  let result: AudioVerifier.Result
  let snrMinimum: Double?

  var passed: Bool { result.passes(snrMinimum: snrMinimum) }

  private var rate: Double { Double(result.format.sampleRate) }
  private func seconds(_ sampleIndex: Int) -> Double {
    Double(sampleIndex / result.format.channels) / rate
  }

  /// Where an interleaved sample index lies: "sample N" in mono, "frame F, channel C" otherwise
  /// (review32h C4: "at sample 94086" of a 79517-frame stereo file).
  private func place(_ sampleIndex: Int) -> String {
    let channels = result.format.channels
    return channels > 1 ? "frame \(sampleIndex / channels), channel \(sampleIndex % channels)" : "sample \(sampleIndex)"
  }

  var text: String { lines.joined(separator: "\n") }

  /// The report, one string a line.
  var lines: [String] {
    let comparison = result.comparison
    var lines = ["audioprep: verify \(TerminalText.escapingControls(candidate)) against \(TerminalText.escapingControls(golden)): \(passed ? "PASS" : "FAIL")"]
    lines.append(
      "  length: \(result.candidateFrames) vs \(result.goldenFrames) frames"
        + " (\(result.format.sampleRate) Hz, \(result.format.channels) ch)"
        + (result.lengthsMatch ? "" : " — lengths differ"))
    lines.append(
      "  max |error| \(Text.format("%.3g", comparison.maxAbsError)) at \(place(comparison.maxAbsErrorIndex))"
        + " (\(Text.fixed(seconds(comparison.maxAbsErrorIndex), 4)) s); RMS error \(Text.format("%.3g", comparison.rmsError));"
        + " SNR \(comparison.snrDecibels.isFinite ? Text.fixed(comparison.snrDecibels, 2) + " dB" : "\(comparison.snrDecibels) dB")")
    // With --snr-min the tolerance decides nothing: its line would read as a failure on a PASS.
    if snrMinimum == nil, let first = comparison.firstOverToleranceIndex {
      lines.append(
        "  first sample over tolerance \(Text.format("%g", comparison.tolerance)): \(place(first))"
          + " (\(Text.fixed(seconds(first), 4)) s)")
    } else if snrMinimum == nil {
      lines.append("  no sample over tolerance \(Text.format("%g", comparison.tolerance))")
    }
    if let snrMinimum { lines.append("  required SNR: \(Text.fixed(snrMinimum, 2)) dB") }
    return lines
  }

  var json: String {
    let comparison = result.comparison
    let first = comparison.firstOverToleranceIndex
    return "{\"candidate\":\(JSONText.quoted(candidate, bytes: .surrogateEscapes)),\"golden\":\(JSONText.quoted(golden, bytes: .surrogateEscapes)),"
      + "\"pass\":\(passed),\"sample_rate\":\(result.format.sampleRate),\"channels\":\(result.format.channels),"
      + "\"candidate_frames\":\(result.candidateFrames),\"golden_frames\":\(result.goldenFrames),"
      + "\"tolerance\":\(comparison.tolerance),\"snr_min_db\":\(snrMinimum.map(JSONText.number) ?? "null"),"
      + "\"max_abs_error\":\(JSONText.number(comparison.maxAbsError)),\"max_abs_error_index\":\(comparison.maxAbsErrorIndex),"
      + "\"rms_error\":\(JSONText.number(comparison.rmsError)),\"snr_db\":\(JSONText.number(comparison.snrDecibels)),"
      + "\"first_over_tolerance_index\":\(first.map(String.init) ?? "null"),"
      + "\"first_over_tolerance_seconds\":\(first.map { JSONText.number(seconds($0)) } ?? "null")}"
  }
}
