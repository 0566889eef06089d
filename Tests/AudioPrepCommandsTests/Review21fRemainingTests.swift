@testable import AudioPrepCommands
import DSP
import Testing

/// The rest of the fourth hostile review of #21 (review21f), checked in process
/// (`AudioPrep.usageError`: the lines `main` prints): one line per error, hints that name an
/// option of the command being run, and a command to paste that the shell reads as shown.
@Suite struct Review21fRemainingTests {
  func lines(_ arguments: [String]) -> [String] {
    (AudioPrep.usageError(arguments) ?? "parsed").split(separator: "\n").map(String.init)
  }

  /// `--gain -inf` printed two lines ("looks like an option", then the value's refusal): the
  /// value's refusal alone, when the value given with '=' is refused too.
  @Test func aValueThatLooksLikeAnOptionAndIsRefusedIsOneLine() {
    let gain = lines(["in.wav", "-o", "x.wav", "--gain", "-inf"])
    #expect(gain.count == 1 && gain[0].hasPrefix("audioprep: --gain: '-inf' is not a gain"), "\(gain)")
    #expect(lines(["in.wav", "-o", "x.wav", "--highpass", "-x"]).count == 1)
    // A value that reads with '=' keeps the line that says how to give it.
    let golden = lines(["in.wav", "--golden", "-g.wav"])
    #expect(golden == ["audioprep: '-g.wav' looks like an option, so --golden has no value; to give it as the value write --golden=-g.wav (see 'audioprep process --help')"], "\(golden)")
  }

  /// The collision hint's command to paste quoted no path: `audioprep batch in dir/talk.wav …`.
  @Test func theCollisionHintQuotesPathsForTheShell() {
    let plan = BatchPlan(
      inputs: [
        BatchInput(path: "my in/talk.wav", relativePath: "talk.wav"), BatchInput(path: "my in/talk.mp3", relativePath: "talk.mp3"),
      ],
      outputDirectory: "bo", outputExtension: "wav", shard: nil)
    let conflict = plan.items.compactMap(\.conflict).first ?? ""
    #expect(conflict.contains("(audioprep batch 'my in/talk.wav' --out-dir OTHER)"), "\(conflict)")
  }

  /// `info -r 8k`, `info --sr 8k`, `info -c 1` said info had no option for them, though info
  /// takes --rate and --channel: a hint keeps its clauses that name the command's options.
  @Test func anotherToolsOptionNamesTheOptionOfTheCommandRun() {
    let rate = lines(["info", "-r", "8k", "in.wav"])
    #expect(rate == ["audioprep: -r is sox's; audioprep's output rate is --rate (here --rate 8k) (see 'audioprep info --help')"], "\(rate)")
    let sr = lines(["info", "--sr", "8k", "in.wav"])
    #expect(sr.count == 1 && sr[0].contains("--rate 8k") && !sr[0].contains("--in-rate") && !sr[0].contains("no option"), "\(sr)")
    let channel = lines(["info", "-c", "1", "in.wav"])
    #expect(channel.count == 1 && channel[0].contains("--channel N") && !channel[0].contains("--in-channels"), "\(channel)")
    // An option the command has none of still says so.
    #expect(lines(["info", "-y", "in.wav"]).first?.contains("audioprep info has no option for it") == true)
  }

  /// `info --forc` suggested `--norm` (another tool's option info has no answer for): only
  /// what names an option of the command being run is suggested.
  @Test func aMistypedOptionIsMatchedOnlyAgainstTheCommandsOwn() {
    let forc = lines(["info", "--forc", "in.wav"])
    #expect(forc.count == 1 && !forc[0].contains("--norm") && !forc[0].contains("no option for it"), "\(forc)")
    #expect(lines(["info", "--ratte", "8k", "in.wav"]).first?.contains("Did you mean '--rate'?") == true)
    #expect(lines(["in.wav", "--overwite"]).first?.contains("--force replaces an existing output") == true)
  }

  /// `manifest --to kaldi` was read as ffmpeg's -to: --to is manifest export's.
  @Test func aSubcommandsOptionGivenToItsParentNamesTheSubcommand() {
    let to = lines(["manifest", "--to", "kaldi"])
    #expect(to.count == 1 && to[0].contains("audioprep manifest export --to kaldi") && !to[0].contains("ffmpeg"), "\(to)")
  }

  /// `-hq` was hinted as `--q`: short options run together with -h say what -h does; two
  /// letters with one unknown name the unknown one; a long name with one dash is suggested.
  @Test func aClusterOfShortFlagsIsHintedAsOne() {
    let hq = lines(["in.wav", "-hq"])
    #expect(hq.count == 1 && hq[0].contains("-hq runs -h (the help) together") && hq[0].contains("give -h (or --help) alone") && !hq[0].contains("--q'"), "\(hq)")
    let qx = lines(["in.wav", "-qx"])
    #expect(qx.count == 1 && qx[0].contains("-x is none of process's short options") && !qx[0].contains("--q'"), "\(qx)")
    #expect(lines(["in.wav", "-stat"]).first?.contains("Did you mean '--stats'?") == true)
  }

  /// sox's effects after a flag (`--force rate 16k`) or after batch's arguments (`batch … rate
  /// 8k`, which converted at 16 kHz and failed 65 on "8k" as an input) get the option's hint as
  /// they do right after the files; and the hints keep what sox meant: `8000s` is samples,
  /// `gain -h` a flag, `0.707q` the Q.
  @Test func soxEffectsAreHintedWhereverTheyComeAndKeepTheirMeaning() {
    for (arguments, expected) in [
      (["in.wav", "out.wav", "--force", "rate", "16k"], "'rate 16k' is a sox effect; audioprep's is the option --rate 16k"),
      (["in.wav", "-o", "out.wav", "--force", "gain", "0.5"], "'gain 0.5' is a sox effect; audioprep's is the option --gain 0.5dB"),
      (["in.wav", "-o", "out.wav", "-q", "vol", "1"], "'vol 1' is a sox effect; audioprep's is the option --gain 1"),
      (["batch", "corpus", "--out-dir", "bo", "rate", "8k"], "'rate 8k' is a sox effect; audioprep's is the option --rate 8k"),
      (["batch", "corpus", "--out-dir", "bo", "--force", "norm", "-1"], "'norm -1' is a sox effect; audioprep's are the options --peak -1 --true-peak 0 (or --loudness -23 for a loudness)"),
      (["in.wav", "-o", "out.wav", "trim", "0", "8000s"], "not samples (sox's '8000s' is 8000 samples at the input's rate"),
      (["in.wav", "-o", "out.wav", "highpass", "-2", "80", "0.707q"], "is the option --highpass 80 --q-linear 0.707"),
    ] {
      let got = lines(arguments)
      #expect(got.first?.hasPrefix("audioprep: " + expected) == true || got.first?.contains(expected) == true, "\(arguments): \(got)")
      #expect(!got.joined().contains("No such file") && !got.joined().contains("rate, 16k"), "\(arguments): \(got)")
    }
    let headroom = lines(["in.wav", "-o", "out.wav", "gain", "-h"])
    #expect(headroom.count == 1 && !headroom[0].contains("the option --gain -3dB") && headroom[0].contains("sox's -h has no audioprep equivalent"), "\(headroom)")
    #expect(!lines(["in.wav", "-o", "out.wav", "trim", "0", "8000s"])[0].contains("--duration 8000s"))
  }
}
