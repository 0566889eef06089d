@testable import AudioPrepCommands
import Foundation
import ArgumentParser
import Testing

/// The hostile review of #21 (review21e, items 2–9 and 16): hints that named something that
/// fails, took the wrong word, or named an option the command lacks; one error in two lines.
/// Checked in process (`AudioPrep.usageError`); several cases a test (a parse costs about a
/// second in a debug build).
@Suite struct Review21eHintTests {
  func lines(_ arguments: [String]) -> [String] {
    (AudioPrep.usageError(arguments) ?? "parsed").split(separator: "\n").map(String.init)
  }

  /// `--opt=` with nothing after '=' is that option with an empty value: it never takes the
  /// next word (`--rate= -o o.wav` blamed '-o', `--rate= 16k` ran as `--rate 16k`).
  @Test func anEmptyValueAfterEqualsTakesNotTheNextWord() {
    for (arguments, name) in [
      (["in.wav", "--rate=", "-o", "o.wav"], "--rate"), (["--rate=", "in.wav", "-o", "o.wav"], "--rate"),
      (["in.wav", "--rate=", "16k", "-o", "p.wav"], "--rate"), (["in.wav", "--output=", "p4.wav"], "--output"),
      (["in.wav", "-o=", "p5.wav"], "-o"), (["batch", "in", "--out-dir=", "o"], "--out-dir"),
    ] {
      let got = lines(arguments)
      #expect(got.count == 1, "\(arguments): \(got)")
      let forms = name.hasPrefix("--") ? "\(name)=VALUE or \(name) VALUE" : "\(name) VALUE"
      #expect(got.first?.hasPrefix("audioprep: \(arguments.first { $0.hasSuffix("=") }!) has nothing after '=': give \(name) a value: \(forms)") == true, "\(got)")
    }
  }

  /// A value glued to -o with '=' or a dash (`-o=x.wav`, `-o-x.wav`): the hint is a form that
  /// works, on one line.
  @Test func aGluedOutputIsNamedInAFormThatWorks() {
    #expect(lines(["in.wav", "-o=p5.wav"]) == ["audioprep: -o=p5.wav: audioprep reads an option's value after a space: -o p5.wav (see 'audioprep process --help')"])
    #expect(lines(["in.wav", "-o-x.wav"]) == ["audioprep: -o-x.wav: audioprep reads an option's value after a space: -o ./-x.wav (see 'audioprep process --help')"])
    // An output that looks like an option: the forms that write it.
    #expect(lines(["in.wav", "-o", "-x.wav"]) == ["audioprep: '-x.wav' looks like an option, so -o has no value; for a file of that name write -o ./-x.wav (see 'audioprep process --help')"])
    #expect(lines(["in.wav", "--output", "-x.wav"]) == ["audioprep: '-x.wav' looks like an option, so --output has no value; to give it as the value write --output=-x.wav (see 'audioprep process --help')"])
    #expect(AudioPrep.usageError(["in.wav", "-o", "./-x.wav"]) == nil)
    #expect(AudioPrep.usageError(["in.wav", "--output=-x.wav"]) == nil)
  }

  /// The hints of `info`, `batch` and `verify` name only options that command takes.
  @Test func aHintNamesOnlyTheCommandsOwnOptions() {
    for arguments in [
      ["info", "in.wav", "-y"], ["info", "in.wav", "-ss", "1"], ["info", "in.wav", "-loglevel", "quiet"], ["info", "in.wav", "-t", "5"],
      ["info", "in.wav", "-f", "wav"], ["info", "in.wav", "-aq", "2"], ["verify", "a.wav", "b.wav", "-ar", "16000"],
    ] {
      let got = lines(arguments)
      #expect(got.count == 1, "\(arguments): \(got)")
      let command = CommandOptions(UsageHint.commandType(arguments))
      let named = got.joined().split { !($0.isLetter || $0 == "-") }.filter { $0.hasPrefix("--") && $0.count > 2 }.map(String.init)
      for option in named { #expect(command.takesValue[option] != nil, "\(arguments): \(got) names \(option)") }
    }
    #expect(lines(["info", "in.wav", "-y"]).first?.hasPrefix("audioprep: -y is ffmpeg's; audioprep info has no option for it (see 'audioprep info --help')") == true)
    #expect(lines(["batch", "-i", "in", "--out-dir", "bx"]).first?.hasPrefix("audioprep: -i is ffmpeg's; audioprep batch takes its inputs as arguments: audioprep batch INPUT... --out-dir OUT") == true)
    #expect(lines(["info", "-i", "in.wav"]).first?.hasPrefix("audioprep: -i is ffmpeg's; audioprep info takes its inputs as arguments: audioprep info FILE...") == true)
    // batch has --force and --rate: its hints keep them.
    #expect(lines(["batch", "in", "--out-dir", "o", "-ar", "16000"]).first?.contains("--rate") == true)
  }

  /// sox's effects: `gain -n [X]` normalises the peak to X dBFS; a negative trim position
  /// counts from the end, which no audioprep option does; an effect after one with a dash
  /// argument is an effect too.
  @Test func soxEffectsAreReadAsSoxReadsThem() {
    #expect(lines(["in.wav", "-o", "x.wav", "gain", "-n"]).first?.contains("'gain -n' is a sox effect; audioprep's are the options --peak 0 --true-peak 0") == true)
    #expect(lines(["in.wav", "-o", "x.wav", "gain", "-n", "-3"]).first?.contains("'gain -n -3' is a sox effect; audioprep's are the options --peak -3 --true-peak 0") == true)
    let trim = lines(["in.wav", "-o", "x.wav", "trim", "0", "-2"])
    #expect(trim.count == 1 && trim[0].contains("'trim 0 -2' is a sox effect") && !trim[0].contains("--duration -2"), "\(trim)")
    #expect(trim.first?.contains("counts back from the end") == true, "\(trim)")
    for arguments in [
      ["in.wav", "-o", "x.wav", "gain", "-3", "rate", "16k"], ["in.wav", "-o", "x.wav", "norm", "-1", "highpass", "80"],
      ["in.wav", "-o", "x.wav", "gain", "-n", "remix", "-"], ["in.wav", "o.wav", "rate", "16k", "remix", "-", "gain", "-3", "highpass", "80"],
    ] {
      let got = lines(arguments)
      #expect(got.allSatisfy { !$0.contains("takes one INPUT;") }, "\(arguments): \(got)")
      #expect(got.filter { $0.contains("is a sox effect") }.count == arguments.filter { ["gain", "rate", "norm", "highpass", "remix"].contains($0) }.count, "\(got)")
    }
  }

  /// sox's -V points where levels are: --stats prints timing and buffers, not levels.
  @Test func theVerbosityHintIsTrue() {
    let got = lines(["in.wav", "-o", "x.wav", "-V"])
    #expect(got.count == 1 && !got[0].contains("--stats the levels") && got[0].contains("info --levels"), "\(got)")
  }

  /// One error, one line: a lone ffmpeg/sox word says nothing of the missing input; a glued
  /// -j0 is its range; a mistyped command is the typo alone.
  @Test func oneErrorIsOneLine() {
    for arguments in [["-i"], ["-V"], ["batch", "in", "--out-dir", "bx", "-j0"], ["bach", "in", "--out-dir", "x"]] {
      #expect(lines(arguments).count == 1, "\(arguments): \(lines(arguments))")
    }
    #expect(lines(["batch", "in", "--out-dir", "bx", "-j0"]) == ["audioprep: -j0: -j must lie between 1 and 1024, got 0 (see 'audioprep batch --help')"])
    #expect(lines(["bach", "in", "--out-dir", "x"]).first?.hasPrefix("audioprep: 'bach' is neither a file nor a command; did you mean 'audioprep batch'?") == true)
  }

  /// The hints keep the user's value (`-ar 8000` said "e.g. --rate 16k": pasted, 16 kHz), and
  /// say where to look once (`-filter:a` had two "see"s) (review21e 22, 23).
  @Test func hintsKeepTheValueAndPointOnce() {
    #expect(lines(["in.wav", "-ar", "8000"]).first?.hasPrefix("audioprep: -ar is ffmpeg's; audioprep's output rate is --rate (here --rate 8000)") == true)
    #expect(lines(["in.wav", "-ss", "1"]).first?.hasPrefix("audioprep: -ss is ffmpeg's; audioprep's is --start (here --start 1), with --end or --duration") == true)
    #expect(lines(["in.wav", "-to", "1:00"]).first?.hasPrefix("audioprep: -to is ffmpeg's; audioprep's is --end (here --end 1:00)") == true)
    #expect(lines(["in.wav", "-ar8000"]).first?.contains("(here --rate 8000)") == true)
    for arguments in [["in.wav", "-filter:a", "x"], ["in.wav", "-af:a", "x"], ["in.wav", "-xyz"]] {
      let got = lines(arguments).joined()
      #expect(got.components(separatedBy: "see ").count == 2, "\(got)")
    }
  }
}
