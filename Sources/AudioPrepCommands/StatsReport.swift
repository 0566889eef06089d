import DSP
import Glibc

/// Renders `--stats` (a table on standard error) and `--stats-json` (one JSON object).
struct StatsReport {
  let input: String
  let output: String
  let report: PipelineReport
  let statistics: PipelineStatistics
  let bufferCapacity: Int
  let bytesIn: Int64?
  let bytesOut: Int64?

  private var speed: Double { report.wallSeconds > 0 ? report.inputSeconds / report.wallSeconds : 0 }

  var table: String { tableLines.joined(separator: "\n") }

  /// The table, one string a line.
  var tableLines: [String] {
    var lines: [String] = []
    lines.append(
      "audioprep: stats: \(input) -> \(output): \(Text.fixed(report.inputSeconds, 3)) s of audio in "
        + "\(Text.fixed(report.wallSeconds, 3)) s wall, \(Text.fixed(speed, 0))x real time")
    lines += report.chain.map { "chain: \($0)" }  // which engine resampled, among others
    lines.append(row(["stage", "total s", "blocks", "avg ms", "min ms", "max ms", "p95 ms"]) + "  (figures per block: last 100 blocks)")
    for stage in statistics.stages {
      let recent = stage.recent
      lines.append(row([
        stage.name, Text.fixed(stage.totalSeconds, 3), "\(stage.count)",
        Text.fixed(recent.average * 1000, 3), Text.fixed(recent.minimum * 1000, 3),
        Text.fixed(recent.maximum * 1000, 3), Text.fixed(recent.p95 * 1000, 3),
      ]))
    }
    if statistics.resamplerWorkerSeconds > 0 {
      lines.append("resampler worker threads busy: \(Text.fixed(statistics.resamplerWorkerSeconds, 3)) s")
    }
    lines.append(
      "buffer: high-water \(report.bufferHighWaterMark)/\(bufferCapacity) chunks; processing thread blocked "
        + "\(Text.fixed(statistics.producerBlockedSeconds, 3)) s; writing thread waited "
        + "\(Text.fixed(statistics.consumerBlockedSeconds, 3)) s; dropped \(report.droppedChunks) chunks")
    lines.append("bytes: in \(bytesIn.map(String.init) ?? "unknown"), out \(bytesOut.map(String.init) ?? "unknown")")
    if let normalization = report.normalization {
      lines.append("normalised: \(LoudnessText.outcome(normalization)); measured at ×1: \(LoudnessText.line(normalization.measured))")
    }
    return lines
  }

  var json: String {
    let stages = statistics.stages.map { stage -> String in
      let recent = stage.recent
      return "{\"name\":\(JSONText.quoted(stage.name)),\"total_seconds\":\(stage.totalSeconds),\"blocks\":\(stage.count),"
        + "\"recent_avg_seconds\":\(recent.average),\"recent_min_seconds\":\(recent.minimum),"
        + "\"recent_max_seconds\":\(recent.maximum),\"recent_p95_seconds\":\(recent.p95)}"
    }
    return "{\"input\":\(JSONText.quoted(input)),\"output\":\(JSONText.quoted(output)),"
      + "\"input_seconds\":\(report.inputSeconds),\"output_seconds\":\(report.outputSeconds),"
      + "\"wall_seconds\":\(report.wallSeconds),\"real_time_factor\":\(speed),"
      + "\"bytes_in\":\(bytesIn.map(String.init) ?? "null"),\"bytes_out\":\(bytesOut.map(String.init) ?? "null"),"
      + "\"buffer_capacity\":\(bufferCapacity),\"buffer_high_water\":\(report.bufferHighWaterMark),"
      + "\"producer_blocked_seconds\":\(statistics.producerBlockedSeconds),"
      + "\"consumer_blocked_seconds\":\(statistics.consumerBlockedSeconds),"
      + "\"resampler_worker_seconds\":\(statistics.resamplerWorkerSeconds),"
      + "\"dropped_chunks\":\(report.droppedChunks),\"clipped_samples\":\(report.clippedSamples),\"webrtc_clipped_samples\":\(report.webrtcClippedSamples),"
      + "\"chain\":[\(report.chain.map { JSONText.quoted($0) }.joined(separator: ","))],"
      + "\"stages\":[\(stages.joined(separator: ","))]"
      + (report.normalization.map { ",\"normalization\":\(LoudnessText.json($0))" } ?? "") + "}"
  }

  private func row(_ cells: [String]) -> String {
    let widths = [12, 9, 8, 9, 9, 9, 9]
    return zip(cells, widths).enumerated().map { index, pair in
      let (cell, width) = pair
      let padding = String(repeating: " ", count: max(0, width - cell.count))
      return index == 0 ? cell + padding : padding + cell
    }.joined(separator: " ")
  }

  /// Size of a regular file, nil for "-" or when it cannot be read.
  static func fileSize(_ path: String) -> Int64? {
    guard path != "-" else { return nil }
    return Descriptor.status(path)?.size
  }
}

/// Opens `path` for a text output ("-" is standard output), by the rules of `OutputFile`: a
/// problem with it (no such directory, it exists, it is an input) is found before anything is
/// written. `writeText` completes it; it is held, like every output of a run, until the run
/// settles.
func openTextOutput(_ path: String, overwrite: Bool) throws -> OutputFile {
  do {
    let output = path == "-" ? try OutputFile.standardOutput() : try OutputFile(path: path, overwrite: overwrite)
    output.holdsUntilSettled = true
    return output
  } catch let error as AudioIOError {
    throw CommandFailure(error, inputPath: path)
  }
}

/// Writes `text` into `output` and moves it into place, among the run's `outputs` (settled or
/// taken back with them).
func writeText(_ text: String, to output: OutputFile, into outputs: CommittedOutputs) throws {
  try writeText(parts: CollectionOfOne(text), to: output, into: outputs)
}

/// Writes `parts` one after another into `output`, a mebibyte at a time (a merged manifest of
/// 300,000 records was three whole copies of its 200 MB: review32m W3), and moves it into
/// place among the run's `outputs`.
func writeText(parts: some Sequence<String>, to output: OutputFile, into outputs: CommittedOutputs) throws {
  do {
    var pending: [UInt8] = []
    pending.reserveCapacity(1 << 20)
    for part in parts {
      pending += part.utf8
      if pending.count >= 1 << 20 {
        try pending.withUnsafeBytes { try output.write($0) }
        pending.removeAll(keepingCapacity: true)
      }
    }
    try pending.withUnsafeBytes { try output.write($0) }
    try output.commit()
    outputs.append(output)
  } catch let error as AudioIOError {
    throw CommandFailure(error, inputPath: output.path)
  }
}
