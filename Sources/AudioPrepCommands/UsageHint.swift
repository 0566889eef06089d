import ArgumentParser
import DSP
import Glibc

/// Usage errors reworded to name what would work: the options sox and ffmpeg users type, a
/// second input (`batch` takes many), an unknown `help` topic.
enum UsageHint {
  /// What audioprep's options are for another tool's option given a value (its name, the value).
  typealias Equivalent = @Sendable (_ name: String, _ value: String) -> String?

  /// Another tool's option: its names, the hint (`%@`: the name typed), whether it takes a
  /// value, and audioprep's options for a value of it (`equivalent(of:value:)`), when one says.
  struct ForeignOption: Sendable {
    let options: [String]
    let hint: String
    var takesValue = true
    var equivalent: Equivalent? = nil
  }

  /// The one table of other tools' options (ffmpeg, sox, arecord, librosa-style scripts) and
  /// what audioprep takes instead. A word matches as typed or with `=VALUE`.
  static let foreignOptions: [ForeignOption] = [
    ForeignOption(options: ["-i"], hint: "-i is ffmpeg's; audioprep takes the input as its first argument: audioprep INPUT -o OUTPUT"),
    ForeignOption(options: ["--input", "--infile", "--input-file"], hint: "%@ is not audioprep's; it takes the input as its first argument: audioprep INPUT -o OUTPUT"),
    ForeignOption(options: ["-ar"], hint: "-ar is ffmpeg's; audioprep's output rate is --rate (e.g. --rate 16k)", equivalent: rate),
    ForeignOption(options: ["-ac"], hint: "-ac is ffmpeg's; audioprep writes mono by default (--channel N takes one channel, --keep-channels keeps all)", equivalent: keepChannels),
    ForeignOption(options: ["--mono"], hint: "--mono is not audioprep's; it writes mono by default (--channel N takes one channel, --keep-channels keeps all)", takesValue: false),
    ForeignOption(options: ["--channels", "-channels", "--num-channels", "--nchannels"], hint: "%@ is not audioprep's; it writes mono by default, all channels averaged (--channel N takes channel N alone, 0-based; --keep-channels keeps all; a raw input's count is --in-channels)", equivalent: keepChannels),
    ForeignOption(options: ["--nj", "-nj", "--num-jobs", "--num-workers"], hint: "%@ is Kaldi's or Lhotse's; audioprep batch takes -j N (audioprep batch INPUT... --out-dir OUT -j N); one file's resampling threads are --threads N", equivalent: jobs),
    ForeignOption(options: ["--sampling-rate", "--sample-frequency", "--sample_rate"], hint: "%@ is not audioprep's; the output rate is --rate (e.g. --rate 16k), a raw input's --in-rate", equivalent: rate),
    ForeignOption(options: ["-v"], hint: "-v is sox's volume or ffmpeg's log level; audioprep's volume is --gain (0.5, 0.5x or -6dB), and it prints only warnings and errors (--quiet: errors only)", equivalent: gain),
    ForeignOption(options: ["--vol", "--volume"], hint: "%@ is sox's volume; audioprep's is --gain (0.5, 0.5x or -6dB)", equivalent: gain),
    ForeignOption(options: ["-vol"], hint: "-vol is ffmpeg's volume (256 = unchanged); audioprep's is --gain (0.5, 0.5x or -6dB)"),
    ForeignOption(options: ["-loglevel"], hint: "-loglevel is ffmpeg's; audioprep prints only warnings and errors (--quiet: errors only)"),
    ForeignOption(options: ["-nostats"], hint: "-nostats is ffmpeg's; audioprep prints no statistics unless --stats, so it needs none", takesValue: false),
    ForeignOption(options: ["-hide_banner"], hint: "-hide_banner is ffmpeg's; audioprep prints no banner, so it needs none", takesValue: false),
    ForeignOption(options: ["--norm", "--normalize", "--normalise"], hint: "%@ is not audioprep's; it normalises with --loudness LUFS (e.g. -23) or --peak DBFS (e.g. -1)", takesValue: false, equivalent: norm),
    ForeignOption(options: ["--overwrite"], hint: "--overwrite is not audioprep's; --force replaces an existing output", takesValue: false),
    ForeignOption(options: ["--sr", "--sample-rate", "--samplerate", "--resample", "--resample-rate"], hint: "%@ is not audioprep's; the output rate is --rate (e.g. --rate 16k), a raw input's --in-rate", equivalent: rate),
    ForeignOption(options: ["-ss"], hint: "-ss is ffmpeg's; audioprep's is --start (e.g. --start 1:30), with --end or --duration", equivalent: start),
    ForeignOption(options: ["-to"], hint: "-to is ffmpeg's; audioprep's is --end (e.g. --end 2:00)", equivalent: end),
    ForeignOption(options: ["-t"], hint: "-t is sox's file type or ffmpeg's duration; audioprep's output type is --format (wav, flac, …), a length --duration (30s, 1:30), raw input --in-rate, --in-channels and --in-encoding", equivalent: typeOrDuration),
    ForeignOption(options: ["-c:a", "-acodec", "-codec:a"], hint: "%@ is ffmpeg's codec; audioprep's output container is --format (wav, flac, ogg, opus, mp3, aiff, caf, raw), its sample format --encoding (s16, s24, s32, f32)", equivalent: codec),
    ForeignOption(options: ["-f"], hint: "-f is ffmpeg's format (or arecord's sample format); audioprep's output container is --format (wav, flac, ogg, opus, mp3, aiff, caf, raw), its sample format --encoding (s16, s24, s32, f32), a raw input's --in-encoding (s16, s16le, S16_LE)", equivalent: codec),
    ForeignOption(options: ["-q:a", "-qscale:a", "-aq", "-b:a", "-ab"], hint: "%@ is ffmpeg's; audioprep has no lossy-quality option (the encoders' defaults); --format wav or flac is lossless"),
    ForeignOption(options: ["-af", "-filter:a", "-filter_complex"], hint: "%@ is ffmpeg's; audioprep's chain is fixed: --rate, --highpass, --q, --gain (or --loudness, --peak)", equivalent: filters),
    ForeignOption(options: ["-map"], hint: "-map is ffmpeg's; audioprep's is --audio-stream N (0-based, counting audio streams only)", equivalent: audioStream),
    ForeignOption(options: ["-y"], hint: "-y is ffmpeg's; audioprep's is --force (replace an existing output)", takesValue: false),
    ForeignOption(options: ["-nostdin"], hint: "-nostdin is ffmpeg's; audioprep reads standard input only when INPUT is -, so it needs none", takesValue: false),
    ForeignOption(options: ["-d"], hint: "-d is arecord's duration; audioprep's is --duration (e.g. --duration 30s)", equivalent: duration),
    ForeignOption(options: ["-B", "-x"], hint: "%@ is sox's big-endian (or byte swap); audioprep reads raw samples little-endian only: swap the bytes first (sox -t raw -r RATE -e signed -b 16 -c N -B IN -L -t raw - | audioprep - --in-rate RATE --in-channels N --in-encoding s16 …)", takesValue: false),
    ForeignOption(options: ["-L"], hint: "-L is sox's little-endian, the only byte order audioprep reads raw samples in: drop it", takesValue: false),
    ForeignOption(options: ["--endian"], hint: "--endian is sox's byte order; audioprep reads raw samples little-endian only (big-endian: swap the bytes first with sox … -B IN -L -t raw - | audioprep - …)"),
    ForeignOption(options: ["-threads"], hint: "-threads is ffmpeg's; audioprep's is --threads N", equivalent: threads),
    ForeignOption(options: ["-b", "-e"], hint: "%@ is sox's sample size/encoding; audioprep's output sample format is --encoding (s16, s24, s32, f32), a raw input's --in-encoding", equivalent: soxSampleFormat),
    ForeignOption(options: ["-r"], hint: "-r is sox's; audioprep's output rate is --rate (e.g. --rate 16k), a raw input's --in-rate", equivalent: rate),
    ForeignOption(options: ["-c"], hint: "-c is sox's; audioprep writes mono by default (--channel N, --keep-channels), a raw input's channels are --in-channels", equivalent: keepChannels),
    ForeignOption(options: ["--trim"], hint: "--trim is not audioprep's; it cuts with --start and --duration (or --end), and --trim-silence drops the non-speech at both ends"),
    ForeignOption(options: ["--output-dir", "--output-directory"], hint: "%@ is not audioprep's; batch writes into a directory with --out-dir (e.g. --out-dir out), process one file with -o", equivalent: outDir),
    ForeignOption(options: ["--overlap"], hint: "--overlap is not audioprep's; segments overlap with --segment-overlap (e.g. --segment 30s --segment-overlap 1s)"),
    ForeignOption(options: ["-sample_fmt"], hint: "-sample_fmt is ffmpeg's; audioprep's output sample format is --encoding (s16, s24, s32, f32)", equivalent: sampleFormat),
    ForeignOption(options: ["-metadata"], hint: "-metadata is ffmpeg's; audioprep writes no tags (the manifest of 'audioprep batch' records what each output came from)"),
    ForeignOption(options: ["-vn"], hint: "-vn is ffmpeg's (no video); audioprep writes audio only, so it needs none", takesValue: false),
    ForeignOption(options: ["-an"], hint: "-an is ffmpeg's (no audio); audioprep writes audio only: drop it", takesValue: false),
    ForeignOption(options: ["-re"], hint: "-re is ffmpeg's (read at the input's own speed); audioprep reads as fast as it can, so it needs none (a live source paces itself: --live)", takesValue: false),
    ForeignOption(options: ["-G"], hint: "-G is sox's guard against clipping; audioprep counts clipped samples and says so, and --peak -1 or --loudness -23 set a gain that does not clip", takesValue: false),
    ForeignOption(options: ["-V"], hint: "-V is sox's verbosity; audioprep prints warnings and errors (--quiet: errors only), --summary one line per run; 'audioprep info --levels FILE' prints a file's levels", takesValue: false),
    ForeignOption(options: ["-n"], hint: "-n is sox's null file; 'audioprep info FILE' measures a file without writing one (--levels for its levels)", takesValue: false),
    ForeignOption(options: ["-S", "--show-progress"], hint: "%@ is sox's progress display; audioprep batch shows its progress on a terminal (--progress), and one file needs none", takesValue: false),
    ForeignOption(options: ["-D", "--no-dither"], hint: "%@ is sox's; audioprep adds no dither unless asked (--dither tpdf), so it needs none", takesValue: false),
    ForeignOption(options: ["--bits", "--bit-depth", "--bitdepth"], hint: "%@ is not audioprep's; the output sample format is --encoding (s16, s24, s32, f32)", equivalent: bits),
    ForeignOption(options: ["--output-format", "--out-format"], hint: "%@ is not audioprep's; the output container is --format (wav, flac, ogg, opus, mp3, aiff, caf, raw)", equivalent: codec),
    ForeignOption(options: ["--lowpass"], hint: "--lowpass is not audioprep's; it has no low-pass of its own: the resampler's filter removes what lies above half of --rate"),
    ForeignOption(options: ["--verbose"], hint: "--verbose is not audioprep's; it prints warnings and errors (--quiet: errors only), --summary one line per run", takesValue: false),
    ForeignOption(options: ["--silent"], hint: "--silent is not audioprep's; --quiet prints errors only", takesValue: false),
    ForeignOption(options: ["--yes"], hint: "--yes is not audioprep's; --force replaces an existing output", takesValue: false),
    ForeignOption(options: ["-help"], hint: "-help is ffmpeg's; audioprep's help is --help (or -h)", takesValue: false),
    ForeignOption(options: ["-version"], hint: "-version is ffmpeg's; audioprep's version is --version", takesValue: false),
    ForeignOption(options: ["-?", "-H", "--HELP", "--Help", "-HELP"], hint: "%@ is not audioprep's; its help is --help (or -h)", takesValue: false),
    ForeignOption(options: ["/?", "/h", "/help"], hint: "%@ is Windows' help; audioprep's is --help (or -h)", takesValue: false),
  ]

  /// sox's default audio device (`contextual`).
  static let soxDevice = ForeignOption(
    options: ["-d"],
    hint: "-d is sox's audio device; audioprep neither plays nor records: it reads a file or standard input (arecord -t raw … | audioprep - …) and writes a file or standard output (audioprep IN -o - --format wav | play -t wav -)",
    takesValue: false)

  /// ffmpeg's options whose meaning the words around them change (`contextual`).
  static let ffmpegDuration = ForeignOption(
    options: ["-t"], hint: "-t is ffmpeg's duration (an -i is typed); audioprep's is --duration (e.g. --duration 30s)", equivalent: duration)
  static let ffmpegToAfterInputSeek = ForeignOption(
    options: ["-to"],
    hint: "-to is ffmpeg's; after an input seek (-ss before -i) it counts from the seek, a length: audioprep's is --duration (e.g. --duration 2:00), with --start",
    equivalent: duration)

  /// The table's entry for `name` as the words around it mean it: with ffmpeg's `-i` typed,
  /// `-t` is ffmpeg's duration, not sox's type; `-to` after `-i` when `-ss` stands before it
  /// is a length, since the input seek starts the output's clock at the seek (`-ss 1 -i in -to
  /// 2` is 2 s of audio from 1 s: review31h H2).
  static func contextual(_ entry: ForeignOption, name: String, words: [String], at index: Int) -> ForeignOption {
    // arecord's -d takes seconds; sox's -d, with no value after it, is the audio device
    // (`sox in.wav -d` plays, `sox -d out.wav` records: review32i W7).
    if name == "-d", !(index + 1 < words.count && DurationArgument.parse(PastedCharacters.asTyped(words[index + 1])) != nil) { return soxDevice }
    guard let input = words.firstIndex(where: inputOptions.contains) else { return entry }
    // An option given again on the same side of -i: ffmpeg uses the last (review32i C4).
    let side = { (at: Int) in at < input }
    let lastWins: Set<String> = ["-ss", "-t", "-to", "-ar", "-ac", "-af", "-filter:a", "-c:a", "-acodec", "-codec:a", "-f", "-sample_fmt"]
    if lastWins.contains(name), words.indices.contains(where: { $0 > index && side($0) == side(index) && optionNames(of: words[$0]) == [name] }) {
      return ForeignOption(options: [name], hint: "\(name) is given again later (both \(side(index) ? "before" : "after") -i), and ffmpeg uses the last: drop this one")
    }
    // ffmpeg: "-t and -to cannot be used together; using -t" (review32i W2).
    if name == "-to", words.indices.contains(where: { optionNames(of: words[$0]) == ["-t"] && side($0) == side(index) }) {
      return ForeignOption(options: ["-to"], hint: "-to is ffmpeg's; with -t typed ffmpeg ignores -to (it uses -t): drop it")
    }
    // Seeks and lengths on both sides of -i are one range (review32h H4, review32i C4, review33j H2:
    // `-t 2 -i in -ss 1` is 1 s from 1 s, which two lines gave as 2 s).
    if ["-ss", "-t", "-to"].contains(name), let range = ffmpegRange(words, input: input) {
      guard index == range.last else {
        return ForeignOption(options: [name], hint: "\(name) is ffmpeg's; this line's seeks and lengths around -i are one range, given on the line of its last (\(words[range.last]))")
      }
      let options = "--start \(Text.computedSeconds(range.start))" + (range.end.map { " --end \(Text.computedSeconds($0))" } ?? "")
      return ForeignOption(
        options: [name], hint: "\(name) is ffmpeg's; with this line's other seeks and lengths around -i, one range of the input: audioprep's is \(options)",
        equivalent: { _, _ in options })
    }
    // ffmpeg's FLAC encoder writes s32 samples as 24 bits (review33j W5: --encoding s32 is refused for FLAC).
    if name == "-sample_fmt", index + 1 < words.count, words[index + 1].lowercased().hasPrefix("s32"),
      words.contains(where: { $0.lowercased() == "flac" || PathName.fileExtension($0).lowercased() == "flac" })
    {
      return ForeignOption(options: [name], hint: "-sample_fmt is ffmpeg's; its FLAC encoder writes s32 as 24 bits: audioprep's is --encoding s24", equivalent: { _, _ in "--encoding s24" })
    }
    switch name {
    // ffmpeg's -c is its codec, not sox's channels (review33h W4).
    case "-c": return foreignOption("-c:a") ?? entry
    case "-t": return ffmpegDuration
    case "-to" where input < index && words[..<input].contains(where: { optionNames(of: $0).contains("-ss") }): return ffmpegToAfterInputSeek
    default: return entry
    }
  }

  /// soxi's options, each printing one property of a file, and the field of `info --json` that holds it.
  static let soxiOptions: [String: (what: String, field: String, isValue: @Sendable (String) -> Bool)] = [
    "-r": ("the rate", "sample_rate", { SampleRateArgument.parse($0) != nil }), "-c": ("the channel count", "channels", { Int($0) != nil }),
    "-s": ("the length in samples", "frames", { _ in false }), "-d": ("the duration", "seconds", { _ in false }),
    "-D": ("the duration in seconds", "seconds", { _ in false }), "-t": ("the file type", "format", { Container(rawValue: $0.lowercased()) != nil }),
    "-e": ("the encoding", "format", { soxSampleFormat("-e", $0) != nil }), "-b": ("the bits a sample", "format", { soxSampleFormat("-b", $0) != nil }),
    "-p": ("the precision", "format", { _ in false }),
  ]

  /// What audioprep does by default that a whole line of sox's or ffmpeg's, as `words` type it,
  /// does not ask for, and the option that turns each off (review31h W10; review32h H3, W6: the
  /// output is mono at 16 kHz too, and what the line's own effects set is not said again); nil
  /// when the line sets them all.
  static func defaultsNote(_ words: [String]) -> String? {
    let filters = words.indices.filter { ["-af", "-filter:a"].contains(words[$0]) }.compactMap { words.indices.contains($0 + 1) ? words[$0 + 1] : nil }
    // After sox's first effect, words are effects' arguments (`rate -v 16k`: rate's quality, not a volume).
    let firstEffect = words.firstIndex { soxEffect($0, values: []) != nil } ?? words.count
    let sets = { (effects: [String], options: [String], filterNames: [String]) in
      words.contains { effects.contains($0) } || words[..<firstEffect].contains { options.contains(optionNames(of: $0).last ?? $0) }
        || filters.contains { chain in filterNames.contains { chain.contains($0) } }
    }
    // The output's rate and channels: sox's -r/-c and ffmpeg's -ar/-ac before the input describe
    // the input (a raw one), not the output (review33k H2: `-t raw -r 8000 … in.raw out.wav`
    // writes 8 kHz in sox, 16 kHz in audioprep, and the note left that out).
    let named = { (word: String) in
      !word.hasPrefix("-") && (audioFileExtensions.contains(PathName.fileExtension(word).lowercased()) || RawInputOptions.rawExtensions.contains(PathName.fileExtension(word).lowercased()))
    }
    let input = words.firstIndex(where: inputOptions.contains) ?? words.firstIndex { Descriptor.status($0)?.isRegular == true || named($0) } ?? -1
    let setsForOutput = { (effects: [String], options: [String], filterNames: [String]) in
      words.contains { effects.contains($0) } || words.indices.contains { $0 > input && $0 < firstEffect && options.contains(optionNames(of: words[$0]).last ?? words[$0]) }
        || filters.contains { chain in filterNames.contains { chain.contains($0) } }
    }
    // What the input already is needs no note (review33k C2: "mono" for a mono input).
    let header = input >= 0 && !words.contains(where: inputOptions.contains) ? words[input] : words.firstIndex(where: inputOptions.contains).flatMap { words.indices.contains($0 + 1) ? words[$0 + 1] : nil }
    let format = header.flatMap(headerFormat)
    var defaults: [String] = []
    if !sets(["highpass", "sinc"], ["--highpass"], ["highpass"]) { defaults.append("a high-pass at 80 Hz (--highpass 0: none)") }
    if !sets(["vol", "gain", "norm"], ["-v", "-vol", "--vol", "--volume", "--gain"], ["volume", "loudnorm"]) {
      defaults.append("a gain of 1.5 (--gain 1: none)")
    }
    if !setsForOutput(["remix", "channels"], ["-c", "-ac", "-channels", "--channels", "--keep-channels", "--channel"], ["pan"]), format?.channels != 1 {
      defaults.append("mono (--keep-channels: every channel)")
    }
    if !setsForOutput(["rate"], ["-r", "-ar", "--rate"], ["aresample"]), format?.sampleRate != 16000 { defaults.append("16 kHz (--rate RATE: another)") }
    guard !defaults.isEmpty else { return nil }
    return "audioprep's defaults that sox and ffmpeg do not have: \(defaults.joined(separator: ", "))"
  }

  /// The table's options that stand for the input (ffmpeg's `-i IN`): their value is the input.
  static let inputOptions: Set<String> = ["-i", "--input", "--infile", "--input-file"]

  /// What audioprep takes for another tool's option `name` given `value`, the user's value
  /// carried over (`-ar 8000` → `--rate 8000`, `-b 24` → `--encoding s24`, `-af highpass=f=80`
  /// → `--highpass 80`), or nil when the value does not say: the table entry's `equivalent`. A
  /// hint's example of that option ("(e.g. --rate 16k)") becomes "(here --rate 8000)"; a hint
  /// without one ends "audioprep's is --encoding s24".
  static func equivalent(of name: String, value: String) -> String? {
    foreignOption(name)?.equivalent?(name, value)
  }

  // The table's equivalents, each given the option's name and the user's value.
  private static let rate: Equivalent = { _, value in "--rate \(UnitArgument.withoutThousands(value) ?? value)" }
  private static let start: Equivalent = { _, value in DurationArgument.parse(value) != nil ? "--start \(value)" : nil }
  private static let end: Equivalent = { _, value in DurationArgument.parse(value) != nil ? "--end \(value)" : nil }
  /// A peak level (`--norm=-1`), as sox's `norm -1`: the true peak held at 0 dBTP too.
  private static let norm: Equivalent = { name, value in
    // sox's own spelling only: `--normalize` alone is anyone's, a peak or a loudness.
    if value.isEmpty { return name == "--norm" ? bareNorm : nil }
    return Double(value).map { $0 <= 0 } == true ? peakOptions(value, notes: []).replacing("are the options ", with: "") : nil
  }
  /// sox's bare `--norm` normalises to 0 dBFS (review33j W7).
  static let bareNorm = "--peak 0 --true-peak 0"
  private static let duration: Equivalent = { _, value in DurationArgument.parse(value) != nil ? "--duration \(value)" : nil }
  /// A channel count above one keeps the channels; one is audioprep's default.
  private static let keepChannels: Equivalent = { _, value in Int(value).map { $0 > 1 } == true ? "--keep-channels" : nil }
  private static let jobs: Equivalent = { _, value in Int(value).map { $0 > 0 } == true ? "-j \(value)" : nil }
  /// ffmpeg's `-threads 0` is its automatic choice, audioprep's `--threads auto` (review33q W1).
  private static let threads: Equivalent = { _, value in "--threads \(value == "0" ? "auto" : value)" }
  private static let outDir: Equivalent = { _, value in "--out-dir \(value)" }
  private static let gain: Equivalent = { _, value in GainArgument.parse(value) != nil ? "--gain \(value)" : nil }
  /// sox's file type (`-t wav`) or ffmpeg's duration (`-t 2`).
  private static let typeOrDuration: Equivalent = { _, value in
    if let container = Container(rawValue: value.lowercased()) { return "--format \(container.rawValue)" }
    return DurationArgument.parse(value) != nil ? "--duration \(value)" : nil
  }
  /// sox's bit count (`-b 24`) and encoding (`-e floating-point`).
  private static let soxSampleFormat: Equivalent = { name, value in
    if name == "-b" { return ["16", "24", "32"].contains(value) ? "--encoding s\(value)" : nil }
    return ["floating-point", "float"].contains(value.lowercased()) ? "--encoding f32" : nil
  }
  /// A bit depth: 16, 24 or 32 bits are audioprep's signed encodings.
  private static let bits: Equivalent = { _, value in ["16", "24", "32"].contains(value) ? "--encoding s\(value)" : nil }
  /// ffmpeg's sample formats (u8, s16, s32, flt), each with a planar form (`fltp`).
  private static let sampleFormat: Equivalent = { _, value in
    let lowered = value.lowercased()
    let packed = lowered.hasSuffix("p") ? String(lowered.dropLast()) : lowered
    return ["u8": "u8", "s16": "s16", "s32": "s32", "flt": "f32"][packed].map { "--encoding \($0)" }
  }
  /// ffmpeg's codec or format, arecord's sample format: a container, or a sample format
  /// (`pcm_s16le`; ffmpeg's raw format `s16le` is raw output in that format).
  private static let codec: Equivalent = { name, value in
    let lowered = value.lowercased()
    let codecs = ["libmp3lame": "mp3", "libopus": "opus", "libvorbis": "ogg", "vorbis": "ogg", "wav": "wav"]
    if let container = Container(rawValue: codecs[lowered] ?? lowered) { return "--format \(container.rawValue)" }
    guard let encoding = EncodingName.canonical(value).flatMap(SampleEncoding.init(rawValue:)) else { return nil }
    return (name == "-f" && !lowered.hasPrefix("pcm_") && lowered.hasSuffix("le") ? "--format raw " : "") + "--encoding \(encoding.rawValue)"
  }
  /// `0:a:1`: the second audio stream.
  private static let audioStream: Equivalent = { _, value in
    let parts = value.split(separator: ":")
    return parts.count == 3 && parts[1] == "a" && Int(parts[2]) != nil ? "--audio-stream \(parts[2])" : nil
  }
  /// An ffmpeg filter chain (`-filter_complex` graphs are not read).
  private static let filters: Equivalent = { name, value in name == "-filter_complex" ? nil : filterEquivalent(value) }

  /// The table's options that take no value (the others take the next word, unless glued).
  static let foreignFlags: Set<String> = Set(foreignOptions.filter { !$0.takesValue }.flatMap(\.options))

  /// The option name a word on the command line gives: as typed, without `=VALUE`, or without a
  /// value getopt users glue on (`-ac1`, `-b16`, `-ss1:30`: a single-dash name up to its first digit).
  static func optionNames(of word: String) -> [String] {
    let name = word.split(separator: "=", maxSplits: 1).first.map(String.init) ?? word
    guard !word.hasPrefix("--"), let digit = word.dropFirst(2).firstIndex(where: \.isNumber) else { return [name] }
    return [name, String(word[..<digit])]
  }

  /// Units typed as a word of their own after an option's value (`--gain 6 dB`).
  static let unitWords: Set<String> = ["db", "dbfs", "dbtp", "hz", "khz", "k", "x", "ms", "s", "min", "m", "h", "%", "lufs", "lkfs"]

  /// What one word of a command line earns before parsing: its line, how many words it takes
  /// (itself and its value), and what audioprep would read in their place (nil when that is not
  /// known, as for a mistyped option: the rest of the line is then not checked).
  struct WordHint {
    var line: String
    var length: Int
    var replacement: [String]?
    /// The option a value was glued to (`-j` of `-j0`), or given to in another form (`--gain
    /// -inf` read as `--gain=-inf`): an error the value then earns is said on this line, not a
    /// second one.
    var glued: String? = nil
    /// Whether the words are a sox effect (another may follow, whatever its arguments).
    var effect = false
  }

  /// Every line `arguments` earn before argument-parser reads them, without "audioprep: ":
  /// one for each word at fault, in their order (another tool's option or sox effect, batch's
  /// option given to process, a value glued to a short option, a single-dash word
  /// argument-parser would split into letters, an unknown option with the name meant), then,
  /// when each of those was understood, the line the rest of the command line earns (sox's
  /// second name is the output). Empty when there is none.
  ///
  /// Checked on every run before parsing: the words of other tools and those argument-parser
  /// would take for `-h` (the help, exit 0, nothing processed). The whole list, which needs the
  /// command's options (its help), is made only when one is found or the parse failed.
  static func lines(_ arguments: [String], afterAFailedParse: Bool = false) -> [String] {
    if !afterAFailedParse && walk(arguments, complete: false).isEmpty { return [] }
    var lines = walk(arguments, complete: true)
    // A whole sox line (effects, the output as the second name, no -o): what audioprep adds by
    // default that the line does not ask for, said once, on the first effect's line, unless a
    // program's or -i's line says it (review32i W11).
    // sox's null output (`-n stats`) is no output to add defaults to. A sox line of format
    // options only (`in.wav -r 16k out.wav`: a second name, no effect) gets it on its first
    // line (review33j H3).
    let soxLine = lines.firstIndex(where: { $0.contains(" is a sox effect; ") })
      ?? (lines.contains(where: { $0.contains(": process takes one INPUT") }) && !arguments.contains(where: inputOptions.contains) ? 0 : nil)
    if commandPath(arguments) == ["process"], !arguments.contains("-o"), !arguments.contains("-n"), !arguments.contains(where: { $0 == "--output" || $0.hasPrefix("--output=") }),
      !lines.contains(where: { $0.contains("audioprep's defaults") }), let first = soxLine,
      let note = defaultsNote(arguments)
    {
      lines[first] += " (\(note))"
    }
    return lines
  }

  /// `lines`' work. `complete` false: only the checks that need no option list, and stops at the first.
  private static func walk(_ arguments: [String], complete: Bool) -> [String] {
    let arguments = ArecordOptions.normalized(arguments)
    let path = commandPath(arguments)
    let start = arguments.starts(with: path) ? path.count : 0
    let words = Array(arguments.prefix { $0 != "--" })
    var options: CommandOptions?
    let known = {
      if options == nil { options = CommandOptions(commandType(arguments)) }
      return options!
    }
    // A command after the command (`process process in.wav`, `batch info a.wav`): no input.
    if start > 0, start < words.count, commandNames.contains(words[start]), Descriptor.status(words[start]) == nil {
      let second = words[start], first = path.joined(separator: " ")
      let again = ([first] + words[(start + 1)...]).joined(separator: " ")
      return [
        second == first
          ? "'\(second)' given twice; give the command once: audioprep \(again)"
          : "'\(second)' is a command, not an input of 'audioprep \(first)'; give one command: audioprep \(first) … or audioprep \(second) …"
      ]
    }
    // A command mistyped (`bach in --out-dir x`): the typo is the error, not process's view of the rest.
    if complete, path == ["process"], let first = arguments.first, let typo = commandTypo(first) { return [typo] }
    var lines: [String] = []
    var rest = Array(arguments.prefix(start))
    var understood = true
    var index = start
    var effectEnd = -1
    var glued: [(line: Int, word: String, option: String)] = []
    // Options a translation put in that the user never typed (`-c:a flac` → --format flac): an
    // error the rest then earns about one of them is not the user's.
    var introduced: Set<String> = []
    let typedNames = Set(words.map { String($0.prefix { $0 != "=" }) })
    // Options read together: sox's (or arecord's) format options for the input, sox's -e and -b
    // for the output's sample format. One line for each group, where its first stood.
    let inputFormat = complete ? soxInputFormat(words, from: start, options: known()) : nil
    let outputFormat = complete ? soxOutputSampleFormat(words, from: start, excluding: inputFormat?.indices ?? [], options: known()) : nil
    let ffmpegInput = complete ? ffmpegInputFormat(words, options: known()) : nil
    let groups = [inputFormat, outputFormat, ffmpegInput].compactMap { $0 }
    let ffmpegOutput = complete && path == ["process"] ? ffmpegOutputIndex(words, options: known()) : nil
    while index < words.count {
      if index == ffmpegOutput {
        rest += ["-o", ffmpegPipe(words[index]) == nil ? words[index] : "-"]
        index += 1
        continue
      }
      // `-o pipe:1`: ffmpeg's standard output, which audioprep would write as a file of that name.
      if ["-o", "--output"].contains(words[index]), index + 1 < words.count, ffmpegPipe(words[index + 1]) != nil, Descriptor.status(words[index + 1]) == nil {
        let line = "'\(words[index + 1])' is ffmpeg's name for standard output; audioprep's is -o - (a file of that name: -o ./\(words[index + 1]))"
        guard complete else { return [line] }
        lines.append(line)
        rest += [words[index], "-"]
        index += 2
        continue
      }
      if let group = groups.first(where: { $0.indices.contains(index) }) {
        if index == group.indices.min() {
          lines.append(group.line)
          if let replacement = group.replacement { rest += replacement } else { understood = false }
        }
        index += 2
        continue
      }
      if let hint = wordHint(words, at: index, command: path, afterEffect: index == effectEnd, complete: complete, options: known) {
        guard complete else { return [hint.line] }
        if let option = hint.glued { glued.append((lines.count, words[index], option)) }
        lines.append(hint.line)
        if let replacement = hint.replacement {
          rest += replacement
          introduced.formUnion(replacement.map { String($0.prefix { $0 != "=" }) }.filter { $0.hasPrefix("--") && !typedNames.contains($0) })
        } else {
          understood = false
        }
        index += hint.length
        if hint.effect { effectEnd = index }
        continue
      }
      // The value of one of audioprep's options (`--gain -3dB`) is no word to check.
      let word = words[index]
      let value = complete && word.hasPrefix("-") && !word.contains("=") && known().takesValue[word] == true
      // Its unit as a word of its own (`--gain 6 dB`), which would be read as a second input.
      if value, index + 2 < words.count, unitWords.contains(words[index + 2].lowercased()), words[index + 1].last?.isNumber == true {
        let joined = words[index + 1] + words[index + 2]
        lines.append("\(word) \(words[index + 1]) \(words[index + 2]): write the value and its unit as one word: \(word) \(joined)")
        rest += [word, joined]
        index += 3
        continue
      }
      rest += words[index..<min(words.count, index + (value ? 2 : 1))]
      index += value ? 2 : 1
    }
    guard complete, understood, !lines.isEmpty else { return lines }
    rest += arguments[words.count...]
    // Nothing of the user's left (`audioprep -i`): a missing input is no second error.
    guard rest.count > start else { return lines }
    do {
      _ = try AudioPrep.parseAsRoot(rest)
    } catch {
      if AudioPrep.exitCode(for: error).rawValue == ExitStatus.usage {
        let line = AudioPrep.messageLine(for: error, arguments: rest)
        // `-j0`: the glued value's own error is that word's line.
        if let value = glued.first(where: { line.hasPrefix($0.option + " ") || line.hasPrefix($0.option + ":") }) {
          lines[value.line] = value.word == value.option ? line : "\(value.word): \(line)"
        } else if !introduced.contains(where: { line.hasPrefix($0 + ":") || line.contains(" \($0) ") || line.hasSuffix(" \($0)") }) {
          lines.append(line)
        }
      }
    }
    return lines
  }

  /// The line for an option of process that `response` refuses, or nil.
  static func responseRefusal(_ option: String) -> String? {
    if ["--loudness", "--peak", "--true-peak"].contains(option) {
      return "\(option) sets the gain file by file (process, batch, info); response plots a fixed --gain"
    }
    if ["--denoise", "--agc", "--no-agc"].contains(option) {
      return "\(option) adapts to the signal and has no frequency response (process, batch, info take it); response plots the fixed filters"
    }
    return nil
  }

  /// What `words[index]` earns before parsing, or nil when it is no fault that can be seen before.
  private static func wordHint(
    _ words: [String], at index: Int, command: [String], afterEffect: Bool, complete: Bool, options: () -> CommandOptions
  ) -> WordHint? {
    let word = words[index]
    // A flag of the command before an effect (`--force rate 16k`) takes no value: the effect is no value of it.
    let afterFlag = complete && index > 0 && (options().takesValue[words[index - 1]] == false || foreignFlags.contains(words[index - 1]))
    if ["process", "batch", "info"].contains(command.joined(separator: " ")),
      let effect = soxEffect(words, at: index, afterEffect: afterEffect || afterFlag, options: options)
    {
      return effect
    }
    // An empty argument (an unset shell variable: `audioprep "$IN"`) names no file, as an
    // option's empty path does not.
    if word.isEmpty { return WordHint(line: "an input needs a path; it was given an empty one ('')", length: 1, replacement: nil) }
    // `batch -`: standard input is no input of batch (a file of that name is ./-).
    if command == ["batch"], word == "-", options().takesValue[words[index - 1]] != true {
      return WordHint(
        line: "batch takes no standard input as an input: for paths read from it, --from-list -; for one stream, audioprep - -o OUTPUT",
        length: 1, replacement: nil)
    }
    // `rate=8k`, an option of the command without its dashes, names no file.
    if let equals = word.firstIndex(of: "="), !word.hasPrefix("-"), index > 0, Descriptor.status(word) == nil,
      options().takesValue["--" + word[..<equals]] == true
    {
      return WordHint(line: "'\(word)' is no file; as an option it is --\(word)", length: 1, replacement: ["--" + word])
    }
    // Windows' help (`/?`), which names no file.
    if word.hasPrefix("/"), let foreign = foreignOption(word), Descriptor.status(word) == nil {
      return WordHint(line: foreign.hint.replacing("%@", with: word), length: 1, replacement: nil)
    }
    // ffmpeg's name for standard input (`pipe:0`) as the input: audioprep's is `-` (review33h W5).
    if ffmpegPipe(word) != nil, Descriptor.status(word) == nil, command == ["process"], index == 0 || words[index - 1] == "-i" || words[index - 1] == "process" {
      return WordHint(line: "'\(word)' is ffmpeg's name for standard input; audioprep's is -: audioprep - …", length: 1, replacement: ["-"])
    }
    guard word.hasPrefix("-"), word != "-" else { return nil }
    // soxi's options given to info (`info -r f.wav`: review31h W3).
    // sox's `-r 8k` (a value after it) is sox's format option, below.
    if command == ["info"], let soxi = soxiOptions[word], options().takesValue[word] == nil, Descriptor.status(word) == nil,
      !(index + 1 < words.count && Descriptor.status(words[index + 1]) == nil && soxi.isValue(words[index + 1]))
    {
      let files = words.dropFirst().filter { !$0.hasPrefix("-") }
      let file = files.isEmpty ? "FILE" : files.joined(separator: " ")
      return WordHint(
        line: "\(word) is soxi's (\(soxi.what) alone); audioprep info prints a file's format, rate, channels and length on one line, and each as a field of --json: audioprep info --json \(file) (\"\(soxi.field)\")",
        length: 1, replacement: [])
    }
    let hasValue = index + 1 < words.count
    // `--rate=`, `-o=`: nothing after '=' (argument-parser would take the next word as the value).
    if word.hasSuffix("="), word.count > 2, !word.dropLast().contains("="), options().takesValue[String(word.dropLast())] == true {
      let name = String(word.dropLast())
      let forms = name.hasPrefix("--") ? "\(name)=VALUE or \(name) VALUE" : "\(name) VALUE"
      return WordHint(line: "\(word) has nothing after '=': give \(name) a value: \(forms)", length: 1, replacement: nil)
    }
    // A path option given '' (an unset shell variable, `--svg "$PLOT"`) names no file; without
    // the option list, any option given '' is looked at again with it.
    if hasValue, words[index + 1].isEmpty, !complete || options().takesPath.contains(word) {
      return WordHint(line: "\(word) needs a path; it was given an empty one ('')", length: 2, replacement: nil)
    }
    // An option without its value, followed by another option (`--rate --gain 2`): the
    // option left without a value is at fault, not the one after it.
    if complete, hasValue, options().takesValue[word] == true, words[index + 1].hasPrefix("-"),
      options().takesValue[String(words[index + 1].prefix { $0 != "=" })] != nil
    {
      return WordHint(line: "\(word) has no value ('\(words[index + 1])' after it is an option): give \(word) VALUE", length: 1, replacement: nil)
    }
    // An option that ends the line without its value (`in.wav -o y.wav --rate`; review46 W06:
    // argument-parser's raw "Missing value for '--rate <hz>'").
    if complete, !hasValue, options().takesValue[word] == true {
      return WordHint(line: "\(word) has no value (it ends the command line): give \(word) VALUE", length: 1, replacement: nil)
    }
    // An option's value that looks like an option (`-o -x.wav`): the forms that give it.
    if complete, hasValue, options().takesValue[word] == true, let value = words.dropFirst(index + 1).first, value.count > 1,
      value.hasPrefix("-"), value.dropFirst().first?.isLetter == true, options().takesValue[String(value.prefix { $0 != "=" })] == nil,
      word.hasPrefix("--") || word == "-o"
    {
      let form = word.hasPrefix("--") ? "to give it as the value write \(word)=\(value)" : "for a file of that name write \(word) ./\(value)"
      // When the value given that way is refused too (`--gain -inf`), that refusal is the one line.
      return WordHint(
        line: "'\(value)' looks like an option, so \(word) has no value; \(form)", length: 2,
        replacement: word.hasPrefix("--") ? ["\(word)=\(value)"] : [word, "./\(value)"], glued: word)
    }
    // A file that exists under a name no option has (a dot or a slash in it: `-9.flac`,
    // `--take.wav`, `-o.flac`): named as a file, whatever argument-parser would read in it.
    if word.count > 2, !word.contains("="), word.contains(where: { $0 == "." || $0 == "/" }), Descriptor.status(word) != nil {
      return dashedFileName(word)
    }
    // Any other file that exists under a name that is no option of the command nor another
    // tool's (`-3dB`): named as a file too (review32h W9: "Missing expected argument").
    if complete, word.count > 2, Descriptor.status(word) != nil, options().takesValue[String(word.prefix { $0 != "=" })] == nil,
      optionNames(of: word).allSatisfy({ foreignOption($0) == nil }), index == 0 || options().takesValue[words[index - 1]] != true
    {
      return dashedFileName(word)
    }
    if let written = outputHint(words, at: index, command: command) { return written }
    for name in optionNames(of: word) {
      // Another tool's option (ffmpeg's, sox's), and another audioprep command's option
      // (`--json` given to process is info's; `manifest merge --to` is manifest export's): the
      // other tool's hint when it names an option of this command (`--to 3` to process is
      // ffmpeg's -to, its --end), else that command, run with it.
      let foreign = foreignHint(words, at: index, name: name, command: command, complete: complete, options: options)
      if let foreign, !foreign.line.hasSuffix("has no option for it") { return foreign }
      if complete, options().takesValue[name] == nil, !(command == ["response"] && responseRefusal(name) != nil), let owner = commandTaking(name) {
        let takesNext = name == word && hasValue && owner.takesValue && !words[index + 1].hasPrefix("-")
        let value = name == word ? (takesNext ? words[index + 1] : nil) : owner.takesValue ? String(word.dropFirst(name.count).drop { $0 == "=" }) : nil
        let meant = options().meant(by: name).map { " (or did you mean \($0)?)" } ?? ""
        if command == ["verify"], name == "--golden" {
          return WordHint(
            line: "--golden is process's, not verify's: verify takes the golden file as its second argument: audioprep verify CANDIDATE \(value ?? "GOLDEN")",
            length: takesNext ? 2 : 1, replacement: nil)
        }
        return WordHint(
          line: "\(name) is \(owner.command)'s, not \(command.joined(separator: " "))'s: \(example(owner.form, option: name, value: value))\(meant)",
          length: takesNext ? 2 : 1, replacement: [])
      }
      if let foreign { return foreign }
    }
    let letters = word.dropFirst()
    // A long option typed with one dash (`-output`, `-jobs=2`), which argument-parser would read
    // as a short option with the rest glued on (`-o utput`, `-j obs`: review31h W1).
    if !word.hasPrefix("--"), letters.count > 1, options().takesValue["-" + word.prefix { $0 != "=" }] != nil {
      return WordHint(line: "'\(word)' has one dash; audioprep's long options have two: -\(word)", length: 1, replacement: ["-" + word])
    }
    // A value glued to one of audioprep's short options (`-j4`, `-oout.wav`), which
    // argument-parser reads as other options or as two errors in one.
    if !word.hasPrefix("--"), letters.count > 1, ["o", "j"].contains(letters.first!), options().takesValue["-\(letters.first!)"] == true {
      let option = "-\(letters.first!)"
      // `-o=x.wav` is `-o x.wav`; `-o-x.wav` a file named `-x.wav`, which `-o -x.wav` would not give.
      var value = String(letters.dropFirst().drop { $0 == "=" })
      if option == "-o", value.count > 1, value.hasPrefix("-") { value = "./" + value }
      return WordHint(
        line: "\(word): audioprep reads an option's value after a space: \(option) \(value)", length: 1, replacement: [option, value], glued: option)
    }
    // A file name that starts with a dash (`-take1.flac`): argument-parser would split it into
    // letters, and an `h` among them printed the help and exited 0.
    if !word.hasPrefix("--"), letters.count >= 2, letters.first!.isLetter, letters.contains(where: { $0 == "." || $0 == "/" }) {
      return dashedFileName(word)
    }
    // A single-dash word (ffmpeg's habit) that is not audioprep's short options run together
    // (`-qo`): argument-parser would split it into letters and name one, or take an `h` in it
    // for -h and print the help.
    if !word.hasPrefix("--"), letters.count >= 2, letters.first!.isLetter,
      letters.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" })
    {
      let help = letters.contains("h")
      if help || complete, help || !letters.allSatisfy(options().shortLetters.subtracting(["h"]).contains) {
        let commandName = command.joined(separator: " ")
        // Short options run together (`-hq`): -h with others, which would print the help.
        if complete, help, letters.allSatisfy(options().shortLetters.contains) {
          return WordHint(
            line: "\(word) runs -h (the help) together with other options, which it does not take: give -h (or --help) alone",
            length: 1, replacement: nil)
        }
        // A long name typed with one dash (`-stats`) is suggested; two letters are short
        // options run together (`-qx`), whose letters are named.
        let shortOnes = letters.filter(options().shortLetters.contains)
        if complete, letters.count == 2, !shortOnes.isEmpty {
          let unknown = letters.filter { !options().shortLetters.contains($0) }.map { "-\($0)" }.joined(separator: ", ")
          return WordHint(
            line: "\(word) is not an option: \(unknown) is none of \(commandName)'s short options; its long options have two dashes",
            length: 1, replacement: nil)
        }
        if complete, letters.count > 2, let meant = options().meant(by: word) {
          return WordHint(line: "Unknown option '\(word)'. Did you mean \(meant)?", length: 1, replacement: nil)
        }
        return WordHint(
          line: "\(word) is not an option (a single-dash word is ffmpeg's; audioprep's long options have two dashes)",
          length: 1, replacement: nil)
      }
    }
    if complete, word.hasPrefix("--"), word.count > 2 {
      let name = String(word.prefix { $0 != "=" })
      guard options().takesValue[name] == nil else { return nil }
      if words.first == "response", let line = responseRefusal(name) { return WordHint(line: line, length: 1, replacement: nil) }
      // A value glued to a long option (`--rate16k`, `--gain-3dB`): the forms that give it.
      let glued = options().takesValue.filter { $0.value && $0.key.hasPrefix("--") && name.count > $0.key.count && name.hasPrefix($0.key) }.keys
      // A suffix that is a word (`--q-lin`, `--start-time`, `--rate-hz`) is no value: the name
      // meant is below.
      let suffix = name.dropFirst(glued.max(by: { $0.count < $1.count })?.count ?? 0)
      if let option = glued.max(by: { $0.count < $1.count }), let next = suffix.first,
        next.isNumber || "+.".contains(next) || (next == "-" && suffix.dropFirst().first.map { $0.isNumber || $0 == "." } == true)
      {
        let value = String(word.dropFirst(option.count))
        return WordHint(
          line: "\(word): audioprep reads an option's value after a space or '=': \(option) \(value)", length: 1, replacement: [option, value],
          glued: option)
      }
      if let meant = options().meant(by: name) {
        return WordHint(line: "Unknown option '\(name)'. Did you mean \(meant)?", length: 1, replacement: nil)
      }
      // Close to another tool's option (`--overwite`): that option's hint, the closest first,
      // when it names an option of this command (`info --forc` is not `--norm`).
      // Names compared without their dashes, as `namesMeant` compares them (`--forc` is two
      // edits from `--norm`, too many for four letters).
      let bare = String(name.dropFirst(2))
      let close = foreignOptions.flatMap(\.options).filter { $0.hasPrefix("--") }.map { ($0, editDistance(bare, String($0.dropFirst(2)))) }
        .filter { isClose(distance: $0.1, typed: bare) }.sorted { $0.1 < $1.1 }
      for (foreign, _) in close {
        guard let entry = foreignOption(foreign) else { continue }
        let line = scoped(entry.hint.replacing("%@", with: foreign), of: foreign, to: command, options: options())
        if line.hasSuffix("has no option for it") { continue }
        return WordHint(line: "Unknown option '\(name)'; \(line)", length: 1, replacement: nil)
      }
      return WordHint(line: "Unknown option '\(name)'", length: 1, replacement: nil)
    }
    return nil
  }

  /// The hint for another tool's option `name` (the word at `index`, or its name before a
  /// glued value), the user's value carried over (`equivalent`); nil when the table has none.
  /// When the command takes what the value says (`-ar 8000`: --rate 8000), the rest of the
  /// command line is checked with it. `options` is asked for only when a word needs it: made
  /// from the command's help, the list costs more than the rest of a short run.
  private static func foreignHint(
    _ words: [String], at index: Int, name: String, command: [String], complete: Bool, options known: () -> CommandOptions
  ) -> WordHint? {
    let word = words[index]
    // `--ar`, `--to`: a single-dash option of the table typed with two dashes.
    let doubled = complete && name.hasPrefix("--") && name.count > 3 && known().takesValue[name] == nil ? String(name.dropFirst()) : nil
    guard let tableName = [name, doubled].compactMap({ $0 }).first(where: { foreignOption($0) != nil }), let listed = foreignOption(tableName)
    else { return nil }
    let entry = contextual(listed, name: tableName, words: words, at: index)
    let options = known()
    // ffmpeg's `-i IN`: its value is the input, audioprep's first argument.
    let takesNext = name == word && index + 1 < words.count && entry.takesValue && !foreignFlags.contains(tableName) && !inputOptions.contains(tableName)
    var hint = entry.hint.replacing("%@", with: tableName)
    let value = (name == word ? (takesNext ? words[index + 1] : nil) : String(word.dropFirst(name.count).drop { $0 == "=" }))
      .map(PastedCharacters.asTyped)
    var replacement: [String] = []
    // ffmpeg's `-ac 1` of more than two channels weights them (FC 1, FL/FR 0.707, SL/SR 0.5, no
    // LFE); audioprep's mono is their plain average (review33q H1: SNR -1 dB on 5.1).
    if tableName == "-ac", words.contains(where: inputOptions.contains), value.flatMap({ Int($0) }) == 1, let have = inputChannels(words), have > 2 {
      return WordHint(
        line: "-ac 1 is ffmpeg's downmix, which weights \(have) channels (centre 1, front 0.707, surround 0.5, no LFE); audioprep's mono averages them all equally, the LFE included: for dialogue take the centre alone (--channel 2 in 5.1)",
        length: takesNext ? 2 : 1, replacement: nil)
    }
    // More channels than the input has (`-ac 2` on mono): none audioprep makes (review33j H4).
    if entry.equivalent != nil, ["-ac", "-c", "--channels", "-channels", "--num-channels", "--nchannels"].contains(tableName), command == ["process"],
      let wanted = value.flatMap({ Int($0) }), let line = channelCountLine(wanted: wanted, have: inputChannels(words))
    {
      return WordHint(line: "\(tableName) \(wanted): \(line)", length: takesNext ? 2 : 1, replacement: nil)
    }
    // `--to kaldi`: not ffmpeg's -to (no duration), but manifest export's --to.
    if tableName != name, let value, equivalent(of: tableName, value: value) == nil, commandTaking(name) != nil { return nil }
    // A short option in the translation the command lacks (`-j` of `--nj 4` to process): none.
    var verified = false
    // A flag whose equivalent needs no value (sox's bare `--norm`: review33j W7).
    let given = value ?? (entry.takesValue || name != word ? nil : "")
    if let given, !given.isEmpty || !entry.takesValue, let equivalent = entry.equivalent?(tableName, given),
      equivalent.split(separator: " ").filter({ $0.count == 2 && $0.hasPrefix("-") && $0.last!.isLetter }).allSatisfy({ options.takesValue[String($0)] != nil })
    {
      let option = String(equivalent.prefix { $0 != " " })
      if let example = hint.firstRange(of: "(e.g. \(option) ") {
        let end = hint[example.upperBound...].firstIndex(of: ")")!
        hint.replaceSubrange(example.lowerBound...end, with: "(here \(equivalent))")
      } else {
        hint = "\(hint.prefix { $0 != ";" }); audioprep's is \(equivalent)"
      }
      let words = equivalent.split(separator: " ").map(String.init)
      if words.filter({ $0.hasPrefix("--") }).allSatisfy({ options.takesValue[$0] != nil }) {
        replacement = words
        verified = !hint.contains("(here ")
      }
    }
    // Another tool's help (`-help batch`) is audioprep's: the rest is checked as a help request
    // (it earned batch's "Missing expected argument '--out-dir'": review33h W13).
    if ["-help", "-?", "-H", "--HELP", "--Help", "-HELP"].contains(tableName) { replacement = ["--help"] }
    // ffmpeg's whole line: its input and output in audioprep's places, and what audioprep's
    // chain adds that it did not ask for.
    if tableName == "-i", command == ["process"], index + 1 < words.count, let output = ffmpegOutputIndex(words, options: options) {
      let name = { (word: String) in ffmpegPipe(word) == nil ? word : "-" }
      hint = hint.replacing("audioprep INPUT -o OUTPUT", with: "audioprep \(name(words[index + 1])) -o \(name(words[output]))")
    }
    if tableName == "-i", command == ["process"], let note = defaultsNote(words) { hint += " (\(note))" }
    // A translation into the command's own options is said as it is.
    let line = verified ? hint : scoped(hint, of: tableName, to: command, options: options)
    return WordHint(line: tableName == name ? line : "\(name): \(line)", length: takesNext ? 2 : 1, replacement: replacement)
  }

  /// How each command names its output (or, for manifest export, the kind of output), for
  /// another command's option for it given to it (`batch -o out`, `manifest export --out-dir
  /// d5`, `response -o r.svg`, `manifest export -t kaldi`).
  static let outputForms: [(command: [String], options: Set<String>, own: String, line: String)] = [
    (["batch"], ["-o", "--output", "-O", "-d"], "--out-dir", "batch writes below --out-dir"),
    (["manifest", "export"], ["--out-dir", "--output-dir", "--output-directory"], "-o", "manifest export writes to -o DEST"),
    (["manifest", "export"], ["-t", "-f", "--format", "--type", "--output-format", "--out-format"], "--to", "manifest export names its toolkit with --to"),
    (["manifest", "merge"], ["--out-dir", "--output-dir", "--output-directory", "-O", "-d"], "-o", "manifest merge writes one file, with -o"),
    (["response"], ["-o", "--output"], "--svg", "response writes with --svg"),
  ]

  /// The line for another command's output option given to `command` (`outputForms`), the
  /// user's value given to this command's own ("batch writes below --out-dir (here --out-dir
  /// out)"); nil otherwise, or when the command's own is given too (its own check says more).
  private static func outputHint(_ words: [String], at index: Int, command: [String]) -> WordHint? {
    let word = words[index]
    let name = String(word.prefix { $0 != "=" })
    guard let form = outputForms.first(where: { $0.command == command && $0.options.contains(name) }),
      !words.contains(where: { $0 == form.own || $0.hasPrefix(form.own + "=") })
    else { return nil }
    let next = index + 1 < words.count && !words[index + 1].hasPrefix("-") ? words[index + 1] : nil
    let value = word.contains("=") ? String(word.drop { $0 != "=" }.dropFirst()) : next
    guard let value, !value.isEmpty else { return WordHint(line: form.line, length: 1, replacement: nil) }
    return WordHint(
      line: "\(form.line) (here \(form.own) \(value))", length: word.contains("=") ? 1 : 2, replacement: [form.own, value])
  }

  /// A file name starting with a dash, and the two ways to give it.
  private static func dashedFileName(_ word: String) -> WordHint {
    WordHint(line: "'\(word)' looks like an option; a file of that name is ./\(word) (or give it after --)", length: 1, replacement: nil)
  }

  /// Each command that runs (`manifest` runs its subcommands), in the order a command taking
  /// an option is looked for (`commandTaking`), and the form it is run in.
  static let commandForms: [(command: [String], form: String)] = [
    (["process"], "audioprep INPUT -o OUTPUT"),
    (["batch"], "audioprep batch INPUT... --out-dir OUT"),
    (["info"], "audioprep info FILE..."),
    (["verify"], "audioprep verify CANDIDATE GOLDEN"),
    (["response"], "audioprep response --svg PLOT.svg"),
    (["manifest", "export"], "audioprep manifest export --to FORMAT MANIFEST... -o DEST"),
    (["manifest", "merge"], "audioprep manifest merge MANIFEST... -o MERGED"),
  ]

  /// The first command of `commandForms` that takes the option `name`: its name, its form, and
  /// whether the option takes a value; nil when none does.
  static func commandTaking(_ name: String) -> (command: String, form: String, takesValue: Bool)? {
    // process compares only with --golden: verify is where a comparison's options stand alone.
    let alone = ["--tolerance", "--snr-min"].contains(name) ? commandForms.filter { $0.command != ["process"] } : commandForms
    for (command, form) in alone {
      if let takesValue = CommandOptions(commandType(command)).takesValue[name] {
        return (command.joined(separator: " "), form, takesValue)
      }
    }
    return nil
  }

  /// A command's `form` run with `option` (and the user's `value`): the form's own
  /// placeholder for it (`--out-dir OUT`) takes the value, or it goes last.
  static func example(_ form: String, option: String, value: String?) -> String {
    var words = form.split(separator: " ").map(String.init)
    if let at = words.firstIndex(of: option) {
      if let value { words[at + 1] = value }
      return words.joined(separator: " ")
    }
    return (words + [option] + (value.map { [$0] } ?? [])).joined(separator: " ")
  }

  /// The table's entry for another tool's option `name`, or nil.
  static func foreignOption(_ name: String) -> ForeignOption? {
    foreignOptions.first { $0.options.contains(name) }
  }

  /// A sox effect typed after process's input (`in.wav -o out.wav rate 16k`) or batch's
  /// arguments (where it was read as two more inputs) at `words[index]`: a word of `soxEffect`
  /// that is no file and follows a word that is no option (or is a flag: `afterEffect`), so it
  /// is not an option's value, with the values after it; nil otherwise.
  private static func soxEffect(_ words: [String], at index: Int, afterEffect: Bool, options: () -> CommandOptions) -> WordHint? {
    guard index > 0 else { return nil }
    let previous = words[index - 1]
    guard soxEffect(words[index], values: []) != nil, afterEffect || previous == "-" || !previous.hasPrefix("-"), previous != "process", previous != "batch",
      Descriptor.status(words[index]) == nil
    else { return nil }
    let typedValues = Array(
      words[(index + 1)...].prefix { soxEffect($0, values: []) == nil && !$0.hasPrefix("--") && ($0 == "-" || Descriptor.status($0) == nil) })
    // A pasted minus or full-width digits in a value are read as meant (`vol −20dB`: review32i H2).
    // A decimal comma (`trim 0,5 1`), which sox refuses too, is read as the point meant (review33h W7).
    // Only where a value is one number: remix's comma is a list of channels (`remix 1,2`).
    let numeric = ["trim", "vol", "gain", "norm", "rate", "highpass"].contains(words[index])
    // A rate's comma before three digits separates thousands (`rate 16,000`: review33j W1).
    let point = { (value: String) in words[index] == "rate" ? UnitArgument.withoutThousands(value) ?? UnitArgument.decimalPoint(value) : UnitArgument.decimalPoint(value) }
    let values = typedValues.map(PastedCharacters.asTyped).map { numeric ? point($0) ?? $0 : $0 }
    let typed = ([words[index]] + typedValues).joined(separator: " ")
    let comma =
      !numeric ? ""
      : words[index] == "rate" && typedValues.contains(where: { UnitArgument.withoutThousands($0) != nil }) ? " (a thousands separator, which sox refuses too, read as one)"
      : typedValues.contains(where: { UnitArgument.decimalPoint($0) != nil }) ? " (a decimal comma, which sox refuses too, read as a point)" : ""
    guard
      let option = soxEffect(
        words[index], values: values, rate: { soxRate(words, before: $0 ?? index, options: options) }, earlier: words[..<index],
        later: words[(index + 1 + values.count)...])
    else { return nil }
    let line = "'\(typed)' is a sox effect; audioprep" + (option.hasPrefix("audioprep") ? option.dropFirst("audioprep".count) : "'s \(option)") + comma
    return WordHint(line: line, length: 1 + values.count, replacement: [], effect: true)
  }

  /// A foreign option's `hint` as `command` can use it: process's as written; another command's
  /// names none of process's options it lacks ("-y is ffmpeg's; audioprep info has no option
  /// for it"), and `-i` says how that command takes its inputs.
  static func scoped(_ hint: String, of name: String, to command: [String], options: CommandOptions) -> String {
    guard command != ["process"] else { return hint }
    let owner = hint.prefix { $0 != ";" }
    let commandName = command.joined(separator: " ")
    if inputOptions.contains(name) {
      // How the command takes its inputs (`commandForms`); response reads none.
      guard let form = commandForms.first(where: { $0.command == command })?.form, command != ["response"] else {
        return "\(owner); audioprep \(commandName) plots the chain's response and reads no input"
      }
      return "\(owner); audioprep \(commandName) takes its inputs as arguments: \(form)"
    }
    let hasAll = { (text: Substring) in optionsNamed(in: text).allSatisfy { options.takesValue[$0] != nil } }
    guard !hasAll(hint[...]) else { return hint }
    // The clauses that name only this command's options (`info -r`: its --rate, not a raw
    // input's --in-rate), when the first does.
    if let semicolon = hint.firstIndex(of: ";") {
      let clauses = topLevelClauses(hint[hint.index(after: semicolon)...].drop { $0 == " " })
      if let first = clauses.first, hasAll(first), !optionsNamed(in: first).isEmpty {
        return "\(owner); " + clauses.filter(hasAll).joined(separator: ", ")
      }
    }
    return "\(owner); audioprep \(commandName) has no option for it"
  }

  /// The long options a hint names (`--rate` of "--rate (e.g. --rate 16k)").
  static func optionsNamed(in text: Substring) -> [String] {
    text.split { !($0.isLetter || $0.isNumber || $0 == "-") }.filter { $0.hasPrefix("--") && $0.count > 2 }.map(String.init)
  }

  /// A hint's clauses: its parts between ", " outside parentheses.
  static func topLevelClauses(_ text: Substring) -> [Substring] {
    var clauses: [Substring] = []
    var depth = 0
    var start = text.startIndex
    var index = text.startIndex
    while index < text.endIndex {
      let next = text.index(after: index)
      switch text[index] {
      case "(": depth += 1
      case ")": depth -= 1
      case "," where depth == 0 && text[next...].hasPrefix(" "):
        clauses.append(text[start..<index])
        start = text.index(after: next)
      default: break
      }
      index = next
    }
    clauses.append(text[start...])
    return clauses
  }

  /// Words other tools use for what an audioprep command does.
  static let commandAliases: [String: String] = [
    "merge": "manifest merge", "export": "manifest export", "soxi": "info", "ffprobe": "info", "compare": "verify", "version": "--version",
  ]

  /// The command a first argument that is not a file meant: a command mistyped (`inf`,
  /// `verfy`: two edits at most) or another tool's word for one (`merge`, `export`); nil otherwise.
  static func commandMeant(by word: String) -> String? {
    // A command named in full is that command, not a typo of it (`audioprep process in.wav …`).
    guard !word.hasPrefix("-"), !word.contains("/"), !word.contains("."), !commandNames.contains(word), word != "help", Descriptor.status(word) == nil
    else { return nil }
    // `help` is argument-parser's command, and a typo of it (`halp`) one too (review32i W8).
    return commandAliases[word.lowercased()]
      ?? (commandNames + ["help"]).map { ($0, editDistance(word.lowercased(), $0)) }.filter { isClose(distance: $0.1, typed: word) }
      .min { $0.1 < $1.1 }?.0
  }

  /// "'inf' is neither a file nor a command; did you mean 'audioprep info'? …", or nil.
  static func commandTypo(_ word: String) -> String? {
    commandMeant(by: word).map {
      "'\(word)' is neither a file nor a command; did you mean 'audioprep \($0)'? (the commands are \(commandNames.joined(separator: ", ")))"
    }
  }

  /// The names among `names` that `typed` meant: one that starts with it (the only one, or the
  /// shortest, that all such names start with: `seg` → `segment`; two or three that do not:
  /// all of them, `en` → `encoding`, `end`), else the nearest close one (`isClose`). The one
  /// rule for options (`CommandOptions.suggestions`), help topics and subcommands.
  static func namesMeant(_ typed: String, among names: [String]) -> [String] {
    let bare = typed.lowercased()
    guard bare.count >= 2 else { return [] }
    let extending = names.filter { $0.hasPrefix(bare) }
    if let shortest = extending.min(by: { $0.count < $1.count }), extending.allSatisfy({ $0.hasPrefix(shortest) }) { return [shortest] }
    if extending.count > 1 { return extending.count <= 3 ? extending : [] }
    // Each word abbreviated (`in-rate` → `input-rate`, `seg-over` → `segment-overlap`), or each
    // name's word so (`input-rate` → `in-rate`).
    let words = bare.split(separator: "-")
    let abbreviating = names.filter {
      let full = $0.split(separator: "-")
      return words.count > 1 && full.count == words.count
        && (zip(full, words).allSatisfy { $0.hasPrefix($1) } || zip(full, words).allSatisfy { $1.hasPrefix($0) })
    }
    if abbreviating.count == 1 { return abbreviating }
    let nearest = names.map { ($0, editDistance(bare, $0)) }.filter { isClose(distance: $0.1, typed: bare) }.min { $0.1 < $1.1 }
    if let nearest { return [nearest.0] }
    // A name with a word after it (`start-time`, `rate-hz`, `threads-auto`): the longest such name.
    return names.filter { bare.hasPrefix($0 + "-") }.max { $0.count < $1.count }.map { [$0] } ?? []
  }

  /// Whether a name `distance` edits from `typed` is what was meant: two edits at most, one for
  /// a short word (a third of its length). The one rule for commands and options.
  static func isClose(distance: Int, typed: String) -> Bool { distance <= min(2, max(1, typed.count / 3)) }

  /// Edit distance counting insertions, deletions, substitutions and a transposition of two
  /// neighbours (`gian` → `gain`) as one edit each (optimal string alignment).
  static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
    var d = (0...a.count).map { i in (0...b.count).map { j in i == 0 ? j : j == 0 ? i : 0 } }
    for i in 1...a.count {
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
      }
    }
    return d[a.count][b.count]
  }

  /// The top-level commands, as `help` lists them.
  static var commandNames: [String] {
    AudioPrep.configuration.subcommands.compactMap { $0.configuration.commandName }
  }

  /// The command (and subcommand) `arguments` run: ["batch"], ["manifest", "export"], or
  /// ["process"] for the default.
  static func commandPath(_ arguments: [String]) -> [String] {
    var command: ParsableCommand.Type = AudioPrep.self
    var path: [String] = []
    for word in arguments {
      guard let next = command.configuration.subcommands.first(where: { $0.configuration.commandName == word }) else { break }
      command = next
      path.append(word)
    }
    return path.isEmpty ? ["process"] : path
  }

  /// The command `arguments` run (`ProcessCommand` for the default).
  static func commandType(_ arguments: [String]) -> ParsableCommand.Type {
    var command: ParsableCommand.Type = AudioPrep.self
    for word in commandPath(arguments) {
      command = command.configuration.subcommands.first { $0.configuration.commandName == word } ?? ProcessCommand.self
    }
    return command
  }

  /// Where a usage error points: the help of the command `arguments` run ("audioprep batch
  /// --help"), or the main help when the first word was a command mistyped.
  static func helpPointer(_ arguments: [String]) -> String {
    let path = commandPath(arguments)
    if path == ["process"], let first = arguments.first, first != "process", commandMeant(by: first) != nil {
      return "audioprep --help"
    }
    return "audioprep \(path.joined(separator: " ")) --help"
  }

  /// The line for a usage error, without "audioprep: ", when a hint applies; nil otherwise.
  /// `arguments` are the command line without the program name; `message` argument-parser's.
  static func line(arguments: [String], message: String) -> String? {
    let path = commandPath(arguments)
    if path == ["process"], let first = arguments.first, arguments.first != "process", let typo = commandTypo(first) {
      return typo
    }
    if path == ["manifest"], let word = arguments.dropFirst().first, !word.hasPrefix("-") {
      let names = ManifestCommand.configuration.subcommands.compactMap { $0.configuration.commandName }
      let list = names.joined(separator: ", ")
      if let meant = namesMeant(word, among: names).first {
        return "manifest: no subcommand '\(word)'; did you mean 'audioprep manifest \(meant)'? (its subcommands are \(list))"
      }
      return "manifest: no subcommand '\(word)'; its subcommands are \(list)"
    }
    guard path == ["process"] else { return nil }
    // argument-parser: "Unexpected argument 'b.wav'" or "2 unexpected arguments: 'b.wav', 'c.wav'".
    let extras: [String]
    if message.hasPrefix("Unexpected argument '") {
      extras = [String(message.dropFirst("Unexpected argument '".count).prefix { $0 != "'" })]
    } else if let colon = message.firstRange(of: " unexpected arguments: ") {
      extras = message[colon.upperBound...].split(separator: ", ").map { String($0.dropFirst().dropLast()) }
    } else {
      return nil
    }
    let noOutput = !arguments.contains("-o") && !arguments.contains("--output")
    if extras.count == 1, let output = extras.first, !output.hasPrefix("-") || output == "-", noOutput, output == "-" || Descriptor.status(output) == nil {
      // sox's habit, `sox in.wav out.wav` (`-`: standard output): the second name is the output.
      return "\(output): process takes one INPUT and writes to -o: 'audioprep INPUT -o \(output)' (for several inputs, 'audioprep batch INPUT... --out-dir OUT')"
    }
    // A second file that exists is more likely a second input; writing over it is said too (review32h W5).
    let over =
      extras.count == 1 && noOutput && Descriptor.status(extras[0])?.isRegular == true
      ? " (to write over it instead: 'audioprep INPUT -o \(extras[0]) --force')" : ""
    return "\(extras.joined(separator: ", ")): process takes one INPUT; for several use 'audioprep batch INPUT... --out-dir OUT'\(over)"
  }

  /// The line for options typed after `--` (`in.wav -- -o x.wav`, `batch -- corpus --out-dir o`),
  /// which makes every word after it an input, in any command; nil when no word after it is an
  /// option (audioprep's or another tool's) that names no file. The command suggested has each
  /// option, with its value, before the inputs (and `--` only when an input starts with a dash);
  /// ffmpeg's `-i` is dropped, its value kept as the input.
  static func optionsAfterDoubleDash(_ arguments: [String]) -> String? {
    guard let end = arguments.firstIndex(of: "--") else { return nil }
    let after = Array(arguments[(end + 1)...])
    let options = CommandOptions(commandType(arguments))
    let isOption = { (word: String) -> Bool in
      guard word.count > 1, word.hasPrefix("-"), Descriptor.status(word) == nil else { return false }
      let name = String(word.prefix { $0 != "=" })
      return options.takesValue[name] != nil || optionNames(of: word).contains { foreignOption($0) != nil }
    }
    guard after.contains(where: isOption) else { return nil }
    var named: [String] = [], moved: [String] = [], inputs: [String] = []
    var index = 0
    while index < after.count {
      let word = after[index]
      guard isOption(word) else {
        inputs.append(word)
        index += 1
        continue
      }
      named.append(word)
      let next = index + 1 < after.count ? after[index + 1] : nil
      let takesNext = !word.contains("=") && next.map { !isOption($0) } == true
        && (options.takesValue[word] == true || (options.takesValue[word] == nil && !foreignFlags.contains(word)))
      if inputOptions.contains(word) {
        if takesNext { inputs.append(next!) }
      } else {
        moved += [word] + (takesNext ? [next!] : [])
      }
      index += takesNext ? 2 : 1
    }
    let dashed = inputs.contains { $0.hasPrefix("-") && $0 != "-" }
    let command = Array(arguments[..<end]) + (dashed ? moved + ["--"] + inputs : inputs + moved)
    return "\(named.joined(separator: ", ")): came after '--', which makes every word after it an input; put options before it: audioprep \(command.joined(separator: " "))"
  }

  /// The help a command line asks for with the word `help` alone after its command (`batch
  /// help`, `manifest export help`): the arguments of `help batch`; nil otherwise (more
  /// follows, or a file is named help).
  static func helpAfterCommand(_ arguments: [String]) -> [String]? {
    // `--help info`, `manifest --help export`: help among a command's words is that command's,
    // as `help info` (review31h W7, review32i W8). `HELP info`, `Help`: help.
    if let at = arguments.firstIndex(where: { ["-h", "--help"].contains($0) }), arguments.count > 1 {
      var rest = arguments
      rest.remove(at: at)
      guard commandPath(rest) == rest, !rest.contains(where: { Descriptor.status($0) != nil }) else { return nil }
      return ["help"] + rest
    }
    if let first = arguments.first, first != "help", first.lowercased() == "help", Descriptor.status(first) == nil {
      return ["help"] + arguments.dropFirst()
    }
    let path = commandPath(arguments)
    guard arguments.starts(with: path), arguments.count == path.count + 1, arguments.last == "help", Descriptor.status("help") == nil
    else { return nil }
    return ["help"] + path
  }

  /// The error for `help TOPIC...` when a TOPIC is not a command (or a subcommand of the one
  /// before it), or nil (argument-parser then prints the help). `arguments` are the command line
  /// without the program name.
  static func unknownHelpTopic(arguments: [String]) -> String? {
    // `--help=process` printed the main help: --help takes no value.
    if let word = arguments.prefix(while: { $0 != "--" }).first(where: { $0.hasPrefix("--help=") || $0.hasPrefix("-h=") }) {
      let topic = String(word.drop { $0 != "=" }.dropFirst())
      let command = topic.isEmpty ? "COMMAND" : topic
      return "\(word): --help takes no value; for a command's help: audioprep help \(command) (or audioprep \(command) --help)"
    }
    guard arguments.first == "help" else { return nil }
    var command: ParsableCommand.Type = AudioPrep.self
    var path: [String] = []
    for topic in arguments.dropFirst() {
      let subcommands = command.configuration.subcommands
      let names = subcommands.compactMap { $0.configuration.commandName }
      guard !["-h", "--help"].contains(topic) else { return nil }
      // `help -x`: help takes command names (its error pointed at process's help).
      if topic.hasPrefix("-") { return "help: '\(topic)' is not a command; the commands are \(commandNames.joined(separator: ", "))" }
      if path.isEmpty && topic == "help" { return nil }
      guard let next = subcommands.first(where: { $0.configuration.commandName == topic }) else {
        let list = names.joined(separator: ", ")
        let meant = namesMeant(topic, among: names).first.map { "did you mean 'audioprep help \((path + [$0]).joined(separator: " "))'? " }
        // "…; did you mean 'audioprep help process'? (the commands are …)", or the list alone.
        let listed = { (what: String) in meant.map { "\($0)(\(what) are \(list))" } ?? "\(what) are \(list)" }
        if path.isEmpty { return "help: no command '\(topic)'; \(listed("the commands"))" }
        let name = path.joined(separator: " ")
        return names.isEmpty ? "help: \(name) has no subcommands" : "help: \(name) has no subcommand '\(topic)'; \(listed("its subcommands"))"
      }
      command = next
      path.append(topic)
    }
    return nil
  }
}
