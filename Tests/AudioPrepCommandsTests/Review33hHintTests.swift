@testable import AudioPrepCommands
import ArgumentParser
import Foundation
import Testing

/// The W and C items of the hostile review review33h ("speaks the user's language"), checked in
/// process (`AudioPrep.usageError`: the lines `main` prints before exiting 64).
@Suite struct Review33hHintTests {
  /// The lines `arguments` earn ("parsed" when they parse).
  func lines(_ arguments: [String]) -> [String] {
    (AudioPrep.usageError(arguments) ?? "parsed").split(separator: "\n").map(String.init)
  }

  /// W2, W3: arecord's formats audioprep does not read raw are named as such (they got three
  /// lines about the output), and its `-t raw` is the pipe's type, not `--format raw`.
  @Test func arecordFormatsAndTypesDescribeThePipe() {
    for format in ["S16_BE", "S24_LE", "MU_LAW", "FLOAT64_LE"] {
      let got = lines(["-", "-f", format, "-r", "8000", "-c", "1", "-o", "out.wav"])
      #expect(got.count == 1 && got[0].contains("not \(format)") && !got[0].contains("--rate 8000"), "\(format): \(got)")
    }
    let raw = lines(["-", "-f", "S16_LE", "-r", "16000", "-c", "1", "-t", "raw", "-o", "out.wav"])
    #expect(raw.count == 1 && raw[0].contains("--in-rate 16000 --in-channels 1 --in-encoding s16") && !raw[0].contains("--format raw"), "\(raw)")
  }

  /// W1: sox's `-t alsa default` is a device (it was "reads default's format from its header").
  @Test func soxDeviceTypesAreDevices() {
    let got = lines(["sox", "-t", "alsa", "default", "out.wav"])
    #expect(got.contains { $0.contains("'-t alsa' is sox's audio device (alsa)") } && !got.joined().contains("from its header"), "\(got)")
  }

  /// W4, W5: ffmpeg's `-c` (with -i) is its codec; `pipe:1`/`pipe:0` are standard output and
  /// input (`-o pipe:1` wrote a file of that name).
  @Test func ffmpegCodecsAndPipes() {
    #expect(lines(["-i", "in.flac", "-c", "pcm_s16le", "o.wav"]).contains { $0.contains("-c is ffmpeg's codec; audioprep's is --encoding s16") })
    #expect(lines(["-i", "in.flac", "-f", "s16le", "pipe:1"]).contains { $0.contains("audioprep in.flac -o -") })
    #expect(lines(["in.flac", "-o", "pipe:1"]).first?.contains("'pipe:1' is ffmpeg's name for standard output; audioprep's is -o -") == true)
    #expect(lines(["pipe:0", "-o", "x.wav"]).first?.contains("'pipe:0' is ffmpeg's name for standard input") == true)
  }

  /// W6: the filters and effects whose work audioprep's options do are translated (they got
  /// "the chain is fixed" or "process takes one INPUT").
  @Test func filtersAndEffectsWithAnEquivalent() {
    for (filter, expected) in [
      ("atrim=0.5:1.5", "--start 0.5 --end 1.5"), ("atrim=start=1:duration=2", "--start 1 --duration 2"), ("pan=mono|c0=FR", "--channel 1"),
      ("aformat=sample_rates=16000", "--rate 16000"), ("afftdn", "--denoise moderate"), ("silenceremove=start_periods=1:stop_periods=1", "--trim-silence"),
      ("highpass=f=100:p=2", "--highpass 100 --q-linear 0.707"),
    ] {
      let got = lines(["in.wav", "-o", "x.wav", "-af", filter])
      #expect(got.contains { $0.contains("audioprep's is \(expected)") }, "\(filter): \(got)")
    }
    #expect(!lines(["in.wav", "-o", "x.wav", "-af", "highpass=f=100:p=1"]).joined().contains("--highpass 100"))
    #expect(lines(["in.wav", "-o", "x.wav", "vad"]).first?.contains("--trim-silence") == true)
    #expect(lines(["in.wav", "-o", "x.wav", "noisered"]).first?.contains("--denoise moderate") == true)
  }

  /// W7, W12: a decimal comma in a sox effect is read as the point (`trim 0,5 1` gave
  /// `--start 0,5`, refused; `vol 0,7` gave 0.5); `rate 8000.5` is whole hertz; `vol 2 0.05`
  /// names the limiter it drops.
  @Test func effectValuesAsSoxReadsThem() {
    #expect(lines(["in.wav", "-o", "x.wav", "trim", "0,5", "1"]).first?.contains("--start 0.5 --duration 1") == true)
    #expect(lines(["in.wav", "-o", "x.wav", "vol", "0,7"]).first?.contains("--gain 0.7") == true)
    #expect(lines(["in.wav", "-o", "x.wav", "rate", "8000.5"]).first?.contains("--rate 8001") == true)
    #expect(lines(["in.wav", "-o", "x.wav", "vol", "2", "0.05"]).first?.contains("limiter gain 0.05") == true)
    #expect(lines(["in.wav", "-o", "x.wav", "vol", "abc"]).first?.contains("--gain 0.5") == false)
  }

  /// W8: an AU, NIST SPHERE or Wave64 header under --in-* is named as WAV's is (it was decoded as samples).
  @Test func moreHeadersAreKnownUnderRawOptions() {
    for (bytes, name) in [(".snd", "an AU"), ("NIST_1A", "a NIST SPHERE"), ("riff", "a Wave64")] {
      #expect(RawInputSignature.container(Array(bytes.utf8))?.name == name)
    }
  }

  /// W11: batch's completions leave out --segments-list, which it refuses, in every shell;
  /// bash's `help <TAB>` offers the commands.
  @Test func completionsOfferWhatTheCommandsTake() throws {
    for shell in CompletionShell.allCases {
      let script = shell == .bash ? CompletionScript.bash(AudioPrep.completionScript(for: shell)) : AudioPrep.completionScript(for: shell)
      // batch's part: its function (bash, zsh), or the lines that name it or its --out-dir (fish).
      let batch: String
      if let start = script.firstRange(of: "_audioprep_batch() {") {
        batch = String(script[start.lowerBound...].prefix { _ in true }.split(separator: "\n}\n", maxSplits: 1).first ?? "")
      } else {
        batch = script.split(separator: "\n").filter { $0.contains("audioprep batch") || $0.contains("'out-dir='") }.joined(separator: "\n")
      }
      #expect(batch.contains("out-dir"), "\(shell)")
      #expect(!batch.contains("segments-list"), "\(shell)")
      #expect(script.contains("segments-list"), "\(shell): process keeps it")
    }
    let bash = CompletionScript.bash(AudioPrep.completionScript(for: .bash))
    #expect(bash.contains("compgen -W 'process batch manifest verify info response'"))
  }

  /// W13, W14, C2, C3: another tool's help with a command after it is one line; each of sox's
  /// gain flags has its own reason, in one parenthesis; ffmpeg's `volume=6` is `--gain 6x`
  /// (`--gain 6` then earned the bare-factor warning); `--HELP` is named.
  @Test func helpsGainFlagsAndFactors() {
    #expect(lines(["-help", "batch"]).count == 1)
    #expect(lines(["in.wav", "-o", "x.wav", "gain", "-l", "6"]).first?.contains("no limiter") == true)
    let balance = lines(["in.wav", "-o", "x.wav", "gain", "-B"])
    #expect(balance.first?.contains("leaves it; sox's -B has no audioprep equivalent: audioprep does not equalise or balance channels") == true, "\(balance)")
    #expect(lines(["in.wav", "-o", "x.wav", "-af", "volume=6"]).first?.contains("--gain 6x") == true)
    #expect(lines(["--HELP"]).first?.contains("its help is --help") == true)
  }

  /// C1: the exit tables name every code: 1 for process's --golden, 64 for verify.
  @Test func exitTablesNameEveryCode() {
    #expect(ExitStatus.helpText.contains("1    --golden"))
    #expect(VerifyCommand.configuration.discussion.contains("64   usage error"))
  }

  /// A WAV of `channels` channels at 44.1 kHz (a second of silence) in a new directory.
  func wav(channels: Int) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("r33j-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appendingPathComponent("in\(channels).wav").path
    try ManifestExportTests.wav(frames: 44100, rate: 44100, channels: channels).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// review33j H1: `: newfile : restart` writes a file for each pass: `trim 0 1` so is
  /// --segment 1s, `silence … : newfile : restart` --utterances (it was one --duration 1 file).
  @Test func newfileRestartIsSegments() {
    let trim = lines(["in.wav", "out.wav", "trim", "0", "1", ":", "newfile", ":", "restart"])
    #expect(trim.first?.contains("--segment 1s -o 'out%03d.wav'") == true && !trim.joined().contains("--duration 1"), "\(trim)")
    let silence = lines(["in.wav", "out.wav", "silence", "1", "0.1", "1%", "1", "0.5", "1%", ":", "newfile", ":", "restart"])
    #expect(silence.first?.contains("--utterances -o 'out%03d.wav'") == true, "\(silence)")
  }

  /// review33j H2: ffmpeg's seeks and lengths on both sides of -i are one range: `-t 2 -i in
  /// -ss 1` is 1 s from 1 s (two lines gave --duration 2 and --start 1: 2 s).
  @Test func ffmpegSeeksAndLengthsAroundInputAreOneRange() {
    for (arguments, expected) in [
      (["-t", "2", "-i", "in.flac", "-ss", "1", "o.wav"], "--start 1 --end 2"),
      (["-ss", "1", "-t", "2", "-i", "in.flac", "-ss", "0.5", "o.wav"], "--start 1.5 --end 3"),
      (["-ss", "1", "-i", "in.flac", "-to", "2", "o.wav"], "--start 1 --end 3"),
      (["-ss", "1", "-i", "in.flac", "-t", "0.5", "o.wav"], "--start 1 --end 1.5"),
      (["-ss", "1", "-t", "2", "-i", "in.flac", "-t", "0.5", "o.wav"], "--start 1 --end 1.5"),
    ] {
      let got = lines(arguments)
      #expect(got.filter { $0.contains("--start") }.count == 1 && got.contains { $0.contains(expected) }, "\(arguments): \(got)")
    }
    // On one side each option's own line stands.
    let after = lines(["-i", "in.flac", "-ss", "1", "-t", "2", "o.wav"])
    #expect(after.contains { $0.contains("--start 1") } && after.contains { $0.contains("--duration 2") }, "\(after)")
  }

  /// review33j H3, H4, H5: a sox line of format options only names audioprep's defaults; more
  /// channels than the input has are none audioprep makes (`channels 2`, `-ac 2`, `-c 2` on mono
  /// were --keep-channels: one channel); an arecord line names the defaults, and without a file
  /// writes to standard output.
  @Test func defaultsAndChannelCountsAreSaid() throws {
    let stereo = try wav(channels: 2), mono = try wav(channels: 1)
    let formatOnly = lines([stereo, "-r", "16k", "o.wav"])
    #expect(formatOnly.first?.contains("audioprep's defaults that sox and ffmpeg do not have: a high-pass at 80 Hz") == true, "\(formatOnly)")
    for arguments in [[mono, "o.wav", "channels", "2"], ["-i", mono, "-ac", "2", "o.wav"], [mono, "-c", "2", "o.wav"]] {
      let got = lines(arguments)
      #expect(got.contains { $0.contains("it cannot make 2") } && !got.joined().contains("--keep-channels"), "\(arguments): \(got)")
    }
    #expect(lines([stereo, "o.wav", "channels", "2"]).first?.contains("--keep-channels") == true)
    let arecord = lines(["arecord", "-f", "dat", "-d", "5", "out.wav"])
    #expect(arecord.first?.contains("audioprep's defaults that sox and ffmpeg do not have") == true, "\(arecord)")
    #expect(lines(["arecord", "-f", "cd", "-t", "raw"]).first?.contains("--in-channels 2 -o -)") == true)
  }

  /// review33j W1, W2, W5–W8, C1: a rate's thousands separator (`16,000`: the hint said 16.000,
  /// refused); `sinc 4k-100` rejects a band; ffmpeg's FLAC s32 is 24 bits; `downsample` is a
  /// rate; bare `--norm` is a peak of 0 dBFS; loudnorm's I and TP together; `rate` alone names
  /// sox as the subject.
  @Test func roundNineTranslations() {
    #expect(lines(["in.wav", "-o", "x.wav", "--rate", "16,000"]).first?.contains("has a thousands separator; write --rate 16000") == true)
    #expect(lines(["in.wav", "-o", "x.wav", "rate", "16,000"]).first?.contains("--rate 16000") == true)
    #expect(lines(["-i", "in.wav", "-ar", "16,000", "o.wav"]).contains { $0.contains("--rate 16000") })
    #expect(lines(["in.wav", "-o", "x.wav", "sinc", "4k-100"]).first?.contains("no band-reject filter") == true)
    #expect(lines(["-i", "in.wav", "-c:a", "flac", "-sample_fmt", "s32", "o.flac"]).contains { $0.contains("--encoding s24") })
    #expect(lines(["in.wav", "-o", "x.wav", "downsample", "2"]).first?.contains("--rate") == true)
    #expect(lines(["in.wav", "-o", "x.wav", "--norm"]).first?.contains("--peak 0 --true-peak 0") == true)
    #expect(lines(["in.wav", "-o", "x.wav", "-af", "loudnorm=I=-16:TP=-1.5"]).first?.contains("--loudness -16 --true-peak -1.5") == true)
    #expect(lines(["in.wav", "o.wav", "rate"]).first?.contains("audioprep's converts") == false)
  }

  /// review33k H1: sox's silence with a second part stops at the first pause (positive) or cuts
  /// every pause (negative), neither --trim-silence; the reverse idiom is; ffmpeg's silenceremove
  /// is --trim-silence only with stop_periods > 0.
  @Test func silenceVariantsAreWhatTheyDo() {
    let every = lines(["in.wav", "-o", "o.wav", "silence", "1", "0.1", "1%", "-1", "0.5", "1%"])
    #expect(every.first?.contains("no option that cuts the pauses inside") == true && !every.joined().contains("is the option --trim-silence"), "\(every)")
    let first = lines(["in.wav", "-o", "o.wav", "silence", "1", "0.1", "1%", "1", "0.5", "1%"])
    #expect(first.first?.contains("no option that stops at the first pause") == true, "\(first)")
    let idiom = lines(["in.wav", "-o", "o.wav", "silence", "1", "0.1", "1%", "reverse", "silence", "1", "0.1", "1%", "reverse"])
    #expect(idiom.contains { $0.contains("'silence 1 0.1 1%' is a sox effect; audioprep's is the option --trim-silence") }, "\(idiom)")
    #expect(!lines(["in.wav", "-o", "o.wav", "-af", "silenceremove=1:0:-50dB"]).joined().contains("--trim-silence"))
  }

  /// review33k H2, C1, C2: a raw-input line's -r/-ar describe the input: the note names 16 kHz
  /// (it left it out: sox writes 8 kHz); the note is said once on a `sox …` line; what the input
  /// already is (mono, 16 kHz) is no note.
  @Test func theDefaultsNoteFollowsTheInput() throws {
    let raw = lines(["sox", "-t", "raw", "-r", "8000", "-e", "signed", "-b", "16", "-c", "1", "in.raw", "out.wav"])
    #expect(raw.first?.contains("16 kHz (--rate RATE: another)") == true, "\(raw)")
    let ffmpeg = lines(["-f", "s16le", "-ar", "8000", "-ac", "1", "-i", "in.raw", "out.wav"])
    #expect(ffmpeg.contains { $0.contains("16 kHz (--rate RATE: another)") }, "\(ffmpeg)")
    let stereo = try wav(channels: 2)
    let twice = lines(["sox", stereo, "out.wav", "gain", "-3"])
    #expect(twice.filter { $0.contains("audioprep's defaults") }.count == 1, "\(twice)")
    let mono = try wav(channels: 1)
    #expect(!lines([mono, "out.wav", "gain", "-3"]).joined().contains("mono (--keep-channels"))
  }

  /// review33k H3, W3, W6: arecord's other options keep their values (`-s 160000`: it kept `-s`
  /// alone); `-r 16` is 16 kHz; `arecord -l` lists devices, no pipe.
  @Test func arecordLinesKeepTheirValues() {
    let got = lines(["arecord", "-f", "S16_LE", "-r", "16000", "-c", "1", "-s", "160000", "-B", "20000", "out.wav"])
    #expect(got.first?.contains("-s 160000 -B 20000 | audioprep") == true, "\(got)")
    #expect(lines(["arecord", "-f", "S16_LE", "-r", "16", "out.wav"]).first?.contains("-r 16000") == true)
    #expect(lines(["-", "-f", "S16_LE", "-r", "16", "-c", "1", "-o", "out.wav"]).first?.contains("--in-rate 16000") == true)
    let list = lines(["arecord", "-l"])
    #expect(list.count == 1 && list[0].contains("lists ALSA's devices") && !list[0].contains("-o "), "\(list)")
  }

  /// review33k W1, W2, W5, C3: ffmpeg's `-f alsa -i hw:0` records; `-f mp3` before -i is the
  /// input's demuxer (it was --format mp3); more of sox's effects are named; no parenthesis in
  /// a parenthesis.
  @Test func ffmpegInputFormatsAndMoreEffects() {
    #expect(lines(["-f", "alsa", "-i", "hw:0", "-t", "5", "out.wav"]).first?.contains("records from a device in ffmpeg; audioprep does not record") == true)
    let demuxer = lines(["-f", "mp3", "-i", "in.mp3", "out.wav"])
    #expect(demuxer.first?.contains("forces how ffmpeg reads the input") == true && !demuxer.joined().contains("--format mp3"), "\(demuxer)")
    #expect(lines(["in.wav", "-o", "x.wav", "dcshift", "0.1"]).first?.contains("audioprep has none like it") == true)
    #expect(lines(["in.wav", "-o", "x.wav", "gain", "-l", "6"]).first?.contains("equivalent (") == false)
  }

  /// review33q H1, H2: ffmpeg's `-ac 1` of 5.1 weights the channels, audioprep averages them:
  /// said (it was "audioprep writes mono by default", −1 dB SNR followed); Kaldi's decoder pipes
  /// (`sph2pipe -f wav -p -c 1 x.sph`, `flac -c -d x.flac`) are audioprep reading the file, the
  /// channel kept (sph2pipe's -c 1 was read as sox's channels: both sides averaged).
  @Test func surroundDownmixesAndDecoderPipes() throws {
    let surround = try wav(channels: 6)
    let got = lines(["-i", surround, "-ac", "1", "-ar", "16000", "o.wav"])
    #expect(got.contains { $0.contains("-ac 1 is ffmpeg's downmix, which weights 6 channels") }, "\(got)")
    #expect(!lines(["-i", try wav(channels: 2), "-ac", "1", "o.wav"]).joined().contains("weights"))
    let sphere = lines(["sph2pipe", "-f", "wav", "-p", "-c", "1", "sw.sph", "out.wav"])
    #expect(sphere.count == 1 && sphere[0].contains("audioprep sw.sph --channel 0 -o out.wav"), "\(sphere)")
    let flac = lines(["flac", "-c", "-d", "-s", "x.flac"])
    #expect(flac.count == 1 && flac[0].contains("audioprep x.flac"), "\(flac)")
  }

  /// review33q W1, W4, C2: ffmpeg's `-threads 0` is --threads auto (0 was refused); `pan`
  /// takes the centre by name or number (`c0=FC`, `c0=c2`); a space after a filter chain's
  /// comma reads as without.
  @Test func threadsCentreAndSpacedChains() {
    #expect(lines(["-threads", "0", "-i", "in.flac", "o.wav"]).contains { $0.contains("--threads auto") })
    for pan in ["pan=mono|c0=FC", "pan=mono|c0=c2"] {
      #expect(lines(["in.wav", "-o", "x.wav", "-af", pan]).first?.contains("--channel 2") == true, "\(pan)")
    }
    #expect(lines(["in.wav", "-o", "x.wav", "-af", "highpass=f=80, volume=2 "]).first?.contains("--highpass 80 --q-linear 0.707 --gain 2 (") == true)
  }

  /// review33q W2: G.711 raw input is said to be unread and decoded first (ffmpeg's `-f mulaw`
  /// was "reads the format from its header"; sox's `-e u-law` was `--in-encoding ENC`).
  @Test func g711RawInputIsDecodedFirst() {
    #expect(lines(["-f", "mulaw", "-ar", "8000", "-ac", "1", "-i", "ul.raw", "out.wav"]).first?.contains("headerless input audioprep does not read (mulaw)") == true)
    #expect(lines(["sox", "-t", "raw", "-r", "8000", "-e", "u-law", "-c", "1", "in.raw", "out.wav"]).contains { $0.contains("a u-law input, which audioprep does not read raw") })
  }
}
