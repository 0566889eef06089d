import DSP
/// A Kaldi data directory: `wav.scp`, `utt2spk`, `spk2utt`, `utt2dur`, and `segments` when
/// utterances are parts of recordings, `text` when some transcript exists. Every file is
/// sorted in byte order (`LC_ALL=C sort`), as `utils/validate_data_dir.sh` requires.
///
/// `wav.scp` names the audio files (16-bit WAV as they are, other outputs through a decoding
/// pipe, a name Kaldi would not read as a file name through `cat`; a name with a line break is
/// refused); a recording that is a batch input cut into segments
/// (`--segments offsets`) is a pipe that processes it as the batch did
/// (`AUDIOPREP INPUT -o - --format wav --encoding s16 -q OPTIONS |`), since Kaldi reads only WAV.
package struct KaldiExport {
  /// The `audioprep` that `wav.scp` pipes run.
  package var audioprepCommand = "audioprep"

  package init(audioprepCommand: String = "audioprep") { self.audioprepCommand = audioprepCommand }

  /// The files of a data directory no export writes that name its utterances, speakers or
  /// recordings: what Kaldi's recipes compute from its audio (features, their statistics,
  /// lengths, voice activity) and what they filter it by (`utils/fix_data_dir.sh` keeps only the
  /// speakers of `spk2gender`, the utterances of `utt2lang`, …). An export over them would leave
  /// them naming the earlier ones (review31m W8: `--force` kept a stale `feats.scp`; review32m
  /// W5: a stale `spk2gender` left fix_data_dir.sh no utterance).
  static let derivedFiles = [
    "feats.scp", "cmvn.scp", "utt2num_frames", "reco2dur", "vad.scp", "frame_shift",
    "spk2gender", "utt2lang", "utt2uniq", "reco2file_and_channel", "utt2warp", "spk2warp", "utt2category",
  ]

  /// 73 when `directory` holds one of `derivedFiles`, naming them: removing them is the user's
  /// choice (or a new directory), never the export's.
  static func refuseDerivedFiles(in directory: String) throws {
    let found = derivedFiles.filter { Descriptor.status(PathName.join(directory, $0), following: false) != nil }
    guard let first = found.first else { return }
    throw CommandFailure(
      PathName.join(directory, first),
      "\(found.count == 1 ? "names" : "and \(found.dropFirst().joined(separator: ", ")) name") this data directory's earlier utterances or audio, "
        + "which the export replaces: remove \(found.count == 1 ? "it" : "them") (or export to a new directory); --force does not",
      code: ExitStatus.cannotCreate)
  }

  /// The files by name. Throws 65 when a pipe cannot repeat a batch's processing.
  package func files(for corpus: ExportCorpus) throws -> [(name: String, text: String)] {
    var files: [(name: String, text: String)] = []
    var scp: [String] = []
    for recording in corpus.recordings {
      scp.append("\(recording.id) \(try source(of: recording))")
    }
    files.append(("wav.scp", Self.lines(scp)))
    if corpus.hasSegments {
      files.append(
        ("segments",
         Self.lines(corpus.utterances.map { "\($0.id) \($0.recordingID) \(Self.seconds($0.start)) \(Self.seconds(Self.end(of: $0)))" })))
    }
    files.append(("utt2spk", Self.lines(corpus.utterances.map { "\($0.id) \($0.speaker)" })))
    var bySpeaker: [PathKey: [String]] = [:]
    for utterance in corpus.utterances { bySpeaker[PathKey(utterance.speaker), default: []].append(utterance.id) }
    files.append(
      ("spk2utt", Self.lines(bySpeaker.keys.map(\.path).sorted(by: cOrder).map { ([$0] + bySpeaker[PathKey($0)]!.sorted(by: cOrder)).joined(separator: " ") })))
    files.append(("utt2dur", Self.lines(corpus.utterances.map { "\($0.id) \(Self.seconds($0.duration))" })))
    // With `segments`, Lhotse's Kaldi importer needs `text` (ids alone when no transcript:
    // review33n W3).
    if corpus.hasSegments || corpus.utterances.contains(where: { !$0.text.isEmpty }) {
      files.append(("text", Self.lines(corpus.utterances.map { $0.text.isEmpty ? $0.id : "\($0.id) \($0.text)" })))
    }
    return files
  }

  /// The `wav.scp` entry: the file itself, a pipe that decodes an output Kaldi cannot read
  /// (FLAC, Ogg, 24-bit or float WAV: audioprep at its own rate with nothing in the chain, to
  /// 16-bit WAV), or a pipe that processes a batch input as the batch did.
  private func source(of recording: ExportCorpus.Recording) throws -> String {
    // A line break would end the line inside the name: the rest, a pipe of the name's
    // choosing, would be a line of its own, which Kaldi runs. No quoting `sh` and Kaldi's line
    // reader both take can carry one.
    guard !recording.path.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) else {
      throw CommandFailure(
        recording.path, "its name holds a line break, which no line of wav.scp can hold (rename it)",
        code: ExitStatus.dataError)
    }
    guard let params = recording.processedBy else {
      if recording.isPlainWAV {
        return Self.readsAsAFile(recording.path) ? Self.operand(recording.path) : "cat -- \(shellQuoted(recording.path)) |"
      }
      let decodeOnly = ["--rate", String(recording.sampleRate), "--highpass", "0", "--gain", "1", "--keep-channels"]
      let command = [audioprepCommand, Self.operand(recording.path), "-o", "-", "--format", "wav", "--encoding", "s16", "-q"] + decodeOnly
      return command.map(shellQuoted).joined(separator: " ") + " |"
    }
    guard !ProcessingArguments.isDithered(params) else {
      throw CommandFailure(
        recording.path,
        "cannot repeat its processing in a pipe: the batch dithered it (noise that differs every run); use --segments files",
        code: ExitStatus.dataError)
    }
    guard let options = ProcessingArguments.fromParams(params) else {
      // The setting no pipe repeats, by name (review33m W6: the whole params were printed).
      let token = params.split(separator: " ").first { ProcessingArguments.fromParams(String($0)) == nil }.map(String.init) ?? params
      let option = token.hasPrefix("range=") ? " (--start/--end/--duration)" : ""
      throw CommandFailure(
        recording.path, "cannot repeat its processing in a pipe: the batch's '\(token)'\(option) is no option a pipe repeats here; use --segments files",
        code: ExitStatus.dataError)
    }
    let command = [audioprepCommand, Self.operand(recording.path), "-o", "-", "--format", "wav", "--encoding", "s16", "-q"] + options
    return command.map(shellQuoted).joined(separator: " ") + " |"
  }

  /// `path` as wav.scp and a pipe's command write it: a relative name starting with `-` would
  /// be an option (`-dash.wav`), so it is `./-dash.wav`; one starting with `~` is refused by
  /// validate_data_dir.sh ("Please do not use tilde (~) in your wav.scp", its check `^\S+\s+~`),
  /// so it is `./~x.wav` too (review33m H3).
  static func operand(_ path: String) -> String { path.hasPrefix("-") || path.hasPrefix("~") ? "./" + path : path }

  /// Whether Kaldi takes `path`, written as it is, for the file of that name
  /// (`ClassifyRxfilename`): not "-" (standard input), no "|" anywhere (a pipe at either end,
  /// "pipe symbol in the wrong place" elsewhere, a directory of the path included), no space at
  /// either end, not `ark:`/`scp:`-like, no `:DIGITS` at the end (an offset into the file). Any
  /// other name goes through `cat`.
  static func readsAsAFile(_ path: String) -> Bool {
    guard let first = path.unicodeScalars.first, let last = path.unicodeScalars.last, path != "-" else { return false }
    if path.contains("|") || first.properties.isWhitespace || last.properties.isWhitespace { return false }
    if (first == "a" || first == "s") && path.contains(":") { return false }
    if let colon = path.lastIndex(of: ":"), !path[path.index(after: colon)...].isEmpty,
      path[path.index(after: colon)...].allSatisfy({ ("0"..."9").contains($0) })
    {
      return false
    }
    return true
  }

  /// Seconds with the digits the JSON formats write, the shortest decimal that is that number
  /// (34,691 frames at 16 kHz: "2.1681875", exact; the text formats rounded it to 2.168188:
  /// hostile review 30m, C3), written without an exponent and a whole number without ".0":
  /// "3.606", "30", "0.000001". A number within a nanosecond of a whole microsecond is that
  /// microsecond (29.999999999999996 of a subtraction is "30").
  package static func seconds(_ value: Double) -> String {
    let microseconds = (value * 1e6).rounded()
    let snapped = abs(value * 1e6 - microseconds) < 1e-3 ? microseconds / 1e6 : value
    return positional("\(snapped)")
  }

  /// Swift's shortest digits of a number (`2.5`, `6.25e-05`, `1e+16`) without an exponent and
  /// without a trailing ".0": "2.5", "0.0000625", "10000000000000000".
  private static func positional(_ text: String) -> String {
    guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
      return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
    let sign = text.hasPrefix("-") ? "-" : ""
    let mantissa = text[text.index(text.startIndex, offsetBy: sign.count)..<e]
    let exponent = Int(text[text.index(after: e)...]) ?? 0
    let digits = Array(mantissa.filter { $0 != "." })
    let point = (mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count) + exponent
    var whole: String, fraction: String
    if point <= 0 {
      (whole, fraction) = ("0", String(repeating: "0", count: -point) + String(digits))
    } else if point >= digits.count {
      (whole, fraction) = (String(digits) + String(repeating: "0", count: point - digits.count), "")
    } else {
      (whole, fraction) = (String(digits[..<point]), String(digits[point...]))
    }
    while fraction.hasSuffix("0") { fraction.removeLast() }
    return sign + whole + (fraction.isEmpty ? "" : "." + fraction)
  }

  /// Where `utterance` ends: a whole recording at its length, a segment (start and length in
  /// microseconds) at their sum in microseconds, not 2.9999999999999996.
  private static func end(of utterance: ExportCorpus.Utterance) -> Double {
    utterance.start == 0 ? utterance.duration : ((utterance.start + utterance.duration) * 1e6).rounded() / 1e6
  }

  private static func lines(_ lines: [String]) -> String {
    lines.sorted(by: cOrder).map { $0 + "\n" }.joined()
  }
}
