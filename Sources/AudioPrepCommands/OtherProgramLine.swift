import DSP

/// A command line pasted whole from sox, ffmpeg or their kin, the program's name kept
/// (`audioprep sox in.wav out.wav rate 16k`): the name was taken for an input (review31h W14).
/// It is named, and the rest earns the lines it would alone (`UsageHint.lines`: sox's effects,
/// ffmpeg's options, each translated).
enum OtherProgramLine {
  /// Each program and what audioprep does in its place (`%@`: the rest of the line).
  static let programs: [String: String] = [
    "sox": "'sox' is sox's name; audioprep's command line is what follows it: audioprep %@",
    "ffmpeg": "'ffmpeg' is ffmpeg's name; audioprep's command line is what follows it: audioprep %@",
    "soxi": "'soxi' is sox's file information; audioprep's is info: audioprep info %@",
    "ffprobe": "'ffprobe' is ffmpeg's file information; audioprep's is info: audioprep info %@",
    "play": "'play' is sox's player; audioprep does not play audio: it writes a file to play (audioprep IN -o out.wav && play out.wav)",
    "arecord": "'arecord' is ALSA's recorder; audioprep does not record: it reads what arecord writes to standard input (%@)",
    "sph2pipe": "'sph2pipe' decodes NIST SPHERE, which audioprep reads itself: audioprep %@",
    "flac": "'flac' decodes FLAC, which audioprep reads itself: audioprep %@",
    "rec": "'rec' is sox's recorder; audioprep does not record: it reads what a recorder writes to its standard input (audioprep - -o out.wav)",
  ]

  /// The lines for `arguments` when their first word is such a program's name and no file;
  /// nil otherwise.
  static func lines(_ arguments: [String]) -> [String]? {
    guard var first = arguments.first, programs[first] != nil, Descriptor.status(first) == nil else { return nil }
    var rest = Array(arguments.dropFirst())
    // `sox --i` (`--info`) is soxi (review32i W7).
    if first == "arecord", let listing = ArecordOptions.listing(rest) { return [listing] }
    var line = programs[first]!
    if first == "sox", let option = rest.first, ["--i", "--info"].contains(option) {
      (first, rest) = ("soxi", Array(rest.dropFirst()))
      line = programs[first]!.replacing("'soxi' is", with: "'sox \(option)' is soxi,")
    }
    // soxi's options (`soxi -D f`) are fields of info's --json.
    let soxi = ["soxi", "ffprobe"].contains(first) ? rest.compactMap { UsageHint.soxiOptions[$0] }.first : nil
    let shown = ["soxi", "ffprobe"].contains(first) ? rest.filter { !$0.hasPrefix("-") } : rest
    // arecord's pipe carries the line's own format, rate, channels, device and duration; a
    // decoder's line (Kaldi's `sph2pipe -f wav -p -c 1 x.sph |`) is audioprep's own reading
    // of the file, its channel and rate kept (review33q H2: `-c 1` was read as sox's channels).
    let filled =
      first == "arecord" ? ArecordOptions.pipe(for: rest)
      : ["sph2pipe", "flac"].contains(first) ? Self.decoderLine(rest, program: first)
      : (soxi == nil ? "" : "--json ") + (shown.isEmpty ? "…" : shown.joined(separator: " "))
    var named = line.replacing("%@", with: filled)
    if let soxi { named += " (its \"\(soxi.field)\")" }
    // arecord's pipe into audioprep's defaults (review33j H5: 48 kHz stereo became 16 kHz mono, ×1.5).
    if first == "arecord", let note = UsageHint.defaultsNote([]) { named += " (\(note))" }
    if ["sph2pipe", "flac"].contains(first), let note = UsageHint.defaultsNote(filled.split(separator: " ").map(String.init)) { named += " (\(note))" }
    guard ["sox", "ffmpeg"].contains(first), !rest.isEmpty else { return [named] }
    // What audioprep adds by default, said once: on ffmpeg's -i line when there is one.
    if !rest.contains(where: UsageHint.inputOptions.contains), let note = UsageHint.defaultsNote(rest) { named += " (\(note))" }
    // The note is said once, here (review33k C1: the first effect's line said it again).
    let note = named.contains("audioprep's defaults") ? UsageHint.defaultsNote(rest).map { " (\($0))" } : nil
    return [named] + UsageHint.lines(rest, afterAFailedParse: true).map { line in note.map { line.replacing($0, with: "") } ?? line }
  }

  /// audioprep's line for a decoder's (`sph2pipe -f wav -p -c 1 x.sph [out.wav]`, `flac -d
  /// x.flac -o out.wav`): the file, sph2pipe's channel (`-c N`, 1-based) as --channel N-1, the
  /// file's own rate (the decoder keeps it), and the output when one is named.
  static func decoderLine(_ words: [String], program: String) -> String {
    // The options that take a value: sph2pipe's format, channel, time and sample ranges; flac's output.
    let valued: Set<String> = program == "sph2pipe" ? ["-f", "-c", "-t", "-s"] : ["-o", "--output-name"]
    let files = words.indices.filter { !words[$0].hasPrefix("-") && !($0 > 0 && valued.contains(words[$0 - 1])) }
    guard let input = files.first.map({ words[$0] }) else { return "FILE" }
    var line = [input]
    if program == "sph2pipe", let at = words.firstIndex(of: "-c"), at + 1 < words.count, let channel = Int(words[at + 1]), channel >= 1 {
      line += ["--channel", String(channel - 1)]
    }
    if let format = UsageHint.headerFormat(input), format.sampleRate > 0 {
      line += ["--rate", String(format.sampleRate)]
    }
    let named = program == "flac" ? words.firstIndex(where: { $0 == "-o" || $0 == "--output-name" }).flatMap { words.indices.contains($0 + 1) ? words[$0 + 1] : nil } : nil
    if let output = named ?? (files.count > 1 ? words[files[1]] : nil) { line += ["-o", output] }
    return line.joined(separator: " ")
  }
}
