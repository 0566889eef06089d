import DSP

/// One file as its header (or, with `--levels`, its decoding) describes it.
struct HeaderDescription {
  let path: String
  let formatName: String
  let decoderName: String
  let sampleRate: Int
  let channels: Int
  /// Frames the header announces (decoded, with `--levels`); nil when it does not say.
  var frames: Int64?
  var levels: LevelMeter?
  /// What the decoder found wrong when decoding it whole (`--levels`): "truncated: …", as `info
  /// FILE` and `process` warn.
  var truncation: String?

  var seconds: Double? { frames.map { Double($0) / Double(sampleRate) } }

  /// The container: the format's name up to its first ", " ("WAV" of "WAV, Signed 16 bit PCM").
  var container: String {
    formatName.firstRange(of: ", ").map { String(formatName[..<$0.lowerBound]) } ?? formatName
  }

  var text: String {
    let length = frames.map { "\($0) frames, \(Text.fixed(seconds!, 3)) s" } ?? "length unknown (--levels decodes it)"
    let dB = { (value: Double) in value.isFinite ? Text.fixed(value, 2) + " dBFS" : "-inf dBFS" }
    let meter = levels.map { "; peak \(dB($0.peakDBFS)), RMS \(dB($0.rmsDBFS))" } ?? ""
    let warning = truncation.map { "; warning: \(TerminalText.escapingControls($0))" } ?? ""
    return "\(TerminalText.escapingControls(path)): \(formatName); \(sampleRate) Hz, \(channels) ch, \(length)\(meter)\(warning)"
  }

  var json: String {
    var fields = [
      "\"path\":\(JSONText.quoted(path, bytes: .surrogateEscapes))", "\"format\":\(JSONText.quoted(formatName))",
      "\"container\":\(JSONText.quoted(container))", "\"decoder\":\(JSONText.quoted(decoderName))",
      "\"sample_rate\":\(sampleRate)", "\"channels\":\(channels)",
      "\"frames\":\(frames.map(String.init) ?? "null")", "\"seconds\":\(seconds.map(JSONText.number) ?? "null")",
    ]
    if let levels {
      fields += ["\"peak_dbfs\":\(JSONText.number(levels.peakDBFS))", "\"rms_dbfs\":\(JSONText.number(levels.rmsDBFS))"]
    }
    if let truncation { fields.append("\"truncation\":\(JSONText.quoted(truncation))") }
    return "{" + fields.joined(separator: ",") + "}"
  }
}
