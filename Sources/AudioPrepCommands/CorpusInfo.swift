import ArgumentParser
import DSP

/// `info DIR…`: a whole corpus from its files' headers, one line per file and a totals line —
/// files, hours, counts by rate, channels and format, the files that do not decode, and the
/// other files (transcripts, notes) skipped. Nothing is decoded unless `--levels` asks for
/// peak and RMS levels (and the exact decoded length).
struct CorpusInfo {
  var decoding: DecoderOptions
  var levels: Bool
  var json: Bool

  /// Describes every recording below the directories (and the files) in `arguments`, prints a
  /// line for each, then the totals; returns the exit status: 65 when some file does not
  /// decode, 66 when one cannot be opened (or a directory cannot be read), else 0.
  func run(_ arguments: [String]) -> Int32 {
    var collector = InputCollector(excluding: nil, rawInput: false, decoding: decoding)
    var paths: [String] = []
    for argument in arguments {
      if PathName.isDirectory(argument) {
        let before = collector.inputs.count
        collector.add([argument])
        paths += collector.inputs[before...].map(\.path)
      } else {
        paths.append(argument)
      }
    }
    var totals = CorpusTotals()
    totals.skippedFiles = collector.filesLookedAt - collector.inputs.count
    var worst: Int32 = 0
    for refusal in collector.refusals {
      printError("audioprep: \(refusal.path): \(refusal.message)")
      worst = max(worst, refusal.code)
    }
    for path in paths {
      do {
        let header = try describe(path)
        totals.add(header)
        print(json ? header.json : header.text)
      } catch {
        let failure = error as? CommandFailure ?? CommandFailure(error, inputPath: path)
        printError("audioprep: \(failure.path): \(failure.message)")
        totals.undecodable.append(path)
        worst = max(worst, failure.code)
      }
    }
    print(json ? totals.json : totals.text)
    return worst
  }

  private func describe(_ path: String) throws -> HeaderDescription {
    if !levels, decoding.decoder != .ffmpeg, ["ogg", "oga", "opus"].contains(PathName.fileExtension(path).lowercased()),
      let ogg = OggHeader(path: path)
    {
      return HeaderDescription(
        path: path, formatName: ogg.formatName, decoderName: "Ogg pages", sampleRate: ogg.sampleRate,
        channels: ogg.channels, frames: ogg.frames)
    }
    let source = try decoding.open(path)
    var header = HeaderDescription(
      path: path, formatName: source.formatName, decoderName: source.decoderName,
      sampleRate: source.format.sampleRate, channels: source.format.channels, frames: source.announcedFrames)
    if levels {
      var meter = LevelMeter()
      var block = AudioChunk(channels: source.format.channels)
      var frames: Int64 = 0
      while try source.read(into: &block, maxFrames: 16384) > 0 {
        frames += Int64(block.frameCount)
        meter.add(block.samples[...])
      }
      header.frames = frames
      header.levels = meter
    }
    return header
  }
}

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

  var seconds: Double? { frames.map { Double($0) / Double(sampleRate) } }

  /// The container: the format's name up to its first ", " ("WAV" of "WAV, Signed 16 bit PCM").
  var container: String {
    formatName.firstRange(of: ", ").map { String(formatName[..<$0.lowerBound]) } ?? formatName
  }

  var text: String {
    let length = frames.map { "\($0) frames, \(Text.fixed(seconds!, 3)) s" } ?? "length unknown (--levels decodes it)"
    let dB = { (value: Double) in value.isFinite ? Text.fixed(value, 2) + " dBFS" : "-inf dBFS" }
    let meter = levels.map { "; peak \(dB($0.peakDBFS)), RMS \(dB($0.rmsDBFS))" } ?? ""
    return "\(path): \(formatName); \(sampleRate) Hz, \(channels) ch, \(length)\(meter)"
  }

  var json: String {
    var fields = [
      "\"path\":\(JSONText.quoted(path))", "\"format\":\(JSONText.quoted(formatName))",
      "\"container\":\(JSONText.quoted(container))", "\"decoder\":\(JSONText.quoted(decoderName))",
      "\"sample_rate\":\(sampleRate)", "\"channels\":\(channels)",
      "\"frames\":\(frames.map(String.init) ?? "null")", "\"seconds\":\(seconds.map(JSONText.number) ?? "null")",
    ]
    if let levels {
      fields += ["\"peak_dbfs\":\(JSONText.number(levels.peakDBFS))", "\"rms_dbfs\":\(JSONText.number(levels.rmsDBFS))"]
    }
    return "{" + fields.joined(separator: ",") + "}"
  }
}

/// What `info DIR…` adds up.
struct CorpusTotals {
  var files = 0
  var seconds = 0.0
  /// Files whose header does not give their length (counted in `files`, not in `seconds`).
  var unknownLength = 0
  var byRate: [Int: Int] = [:]
  var byChannels: [Int: Int] = [:]
  var byFormat: [String: Int] = [:]
  var undecodable: [String] = []
  /// Files in the directories that are not recordings (transcripts, notes).
  var skippedFiles = 0

  mutating func add(_ header: HeaderDescription) {
    files += 1
    if let seconds = header.seconds { self.seconds += seconds } else { unknownLength += 1 }
    byRate[header.sampleRate, default: 0] += 1
    byChannels[header.channels, default: 0] += 1
    byFormat[header.container, default: 0] += 1
  }

  var text: String {
    let rates = byRate.keys.sorted().map { "\($0) Hz: \(byRate[$0]!)" }.joined(separator: ", ")
    let channels = byChannels.keys.sorted().map { "\($0) ch: \(byChannels[$0]!)" }.joined(separator: ", ")
    let formats = byFormat.keys.sorted(by: cOrder).map { "\($0): \(byFormat[$0]!)" }.joined(separator: ", ")
    var parts = ["total: \(files) files, \(Text.fixed(seconds / 3600, 3)) h (\(Text.fixed(seconds, 3)) s)"]
    if unknownLength > 0 { parts.append("\(unknownLength) of unknown length") }
    parts += [rates, channels, formats].filter { !$0.isEmpty }
    parts.append(
      "\(undecodable.count) undecodable" + (undecodable.isEmpty ? "" : " (\(undecodable.joined(separator: ", ")))"))
    parts.append("\(skippedFiles) other files skipped")
    return parts.joined(separator: "; ")
  }

  var json: String {
    let object = { (pairs: [(String, Int)]) in
      "{" + pairs.map { "\(JSONText.quoted($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }
    return "{\"totals\":{\"files\":\(files),\"seconds\":\(JSONText.number(seconds)),"
      + "\"hours\":\(JSONText.number(seconds / 3600)),\"unknown_length\":\(unknownLength),"
      + "\"by_rate\":\(object(byRate.keys.sorted().map { (String($0), byRate[$0]!) })),"
      + "\"by_channels\":\(object(byChannels.keys.sorted().map { (String($0), byChannels[$0]!) })),"
      + "\"by_format\":\(object(byFormat.keys.sorted(by: cOrder).map { ($0, byFormat[$0]!) })),"
      + "\"undecodable\":[\(undecodable.map(JSONText.quoted).joined(separator: ","))],"
      + "\"skipped_files\":\(skippedFiles)}}"
  }
}
