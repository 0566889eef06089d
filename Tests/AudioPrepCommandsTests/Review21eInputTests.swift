@testable import AudioPrepCommands
import Foundation
import ArgumentParser
import Testing

/// `audioprep - -o x.wav` with standard input on a terminal waited for keystrokes (review21e
/// 17); a terminal standard output was already refused. One line, 66.
@Suite struct TerminalInputTests {
  @Test func aTerminalStandardInputIsRefused() {
    #expect(
      BlockingInputs.terminalRefusal(input: "-", standardInputIsTerminal: true)
        == "standard input is a terminal; audioprep reads audio from it only through a pipe or a redirect (audioprep - < FILE, program | audioprep -)")
    #expect(BlockingInputs.terminalRefusal(input: "-", standardInputIsTerminal: false) == nil)
    #expect(BlockingInputs.terminalRefusal(input: "in.wav", standardInputIsTerminal: true) == nil)
  }
}

/// A Kaldi `wav.scp` named as audio (process, info, batch) was "not a readable audio file";
/// the --from-list hint's `cut -d' ' -f2-` handed a command entry ("sox … |") on as a path
/// (review21e 12).
@Suite struct KaldiTableInputTests {
  @Test func aTableNamedAsAudioSaysWhatItIsAndTheWayToItsFiles() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kaldi-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let table = directory + "/wav.scp"
    try "utt1 in/talk.wav\nutt2 sox in/mono.flac -t wav - |\n".write(toFile: table, atomically: true, encoding: .utf8)
    #expect(
      KaldiTable.inputRefusal(table)?.line
        == "audioprep: \(table): is a Kaldi table (ID PATH a line), not audio; for the files it lists: grep -v '|$' \(table) | cut -d' ' -f2- | audioprep batch --from-list - --out-dir OUT (audioprep runs no command: its 1 command entry ('ID sox … |') needs its file first)")
    #expect(KaldiTable.inputRefusal(table)?.code == ExitStatus.usage)
    try "utt1 in/talk.wav\n".write(toFile: table, atomically: true, encoding: .utf8)
    #expect(KaldiTable.inputRefusal(table)?.message.hasSuffix("for the files it lists: cut -d' ' -f2- \(table) | audioprep batch --from-list - --out-dir OUT") == true)
    // Every way in refuses it so: process, info, batch.
    #expect(throws: CommandFailure.self) { try ProcessCommand.checkInput(table) }
  }
}

/// `--in-rate` on a WAV file asked for the other --in-* options, which then decoded its header
/// as samples: noise, exit 0, a warning (review21e 13). A file named otherwise than raw that
/// starts with a container's header is a usage error naming the header; a `.raw` name or
/// standard input reads it as asked (sox's `-t raw`).
@Suite struct HeaderedRawInputTests {
  @Test func aHeaderedFileWithInOptionsIsRefused() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("headered-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let wav = directory + "/s1k.wav", raw = directory + "/s1k.raw"
    let bytes = Data("RIFF".utf8) + Data(count: 60)
    try bytes.write(to: URL(fileURLWithPath: wav))
    try bytes.write(to: URL(fileURLWithPath: raw))
    let rateOnly = try RawInputOptions.parse(["--in-rate", "44.1k"])
    do {
      _ = try rateOnly.rawFormat(for: wav)
      Issue.record("read as raw")
    } catch let failure as CommandFailure {
      #expect(failure.code == ExitStatus.usage)
      #expect(
        failure.line
          == "audioprep: \(wav): is a WAV file (it starts with 'RIFF'); --in-rate is for headerless input: drop it and audioprep reads its header (to decode the header as samples anyway, as sox -t raw does: audioprep - --in-rate 44100 --in-channels N --in-encoding ENC < \(wav))")
    }
    let all = try RawInputOptions.parse(["--in-rate", "44.1k", "--in-channels", "1", "--in-encoding", "s16"])
    #expect(throws: CommandFailure.self) { try all.rawFormat(for: wav) }
    #expect(try all.rawFormat(for: raw).sampleRate == 44100)
  }
}

/// Inputs that share a stem (`talk.wav` beside `talk.mp3`) share an output name; the one that
/// loses failed on every rerun with no way out named (review21e 18).
@Suite struct SharedStemTests {
  @Test func theCollisionNamesTheWaysOut() {
    let plan = BatchPlan(
      inputs: [BatchInput(path: "in/talk.wav", relativePath: "talk.wav"), BatchInput(path: "in/talk.mp3", relativePath: "talk.mp3")],
      outputDirectory: "bo", outputExtension: "wav", shard: nil)
    #expect(
      plan.items.compactMap(\.conflict) == [
        "its output bo/talk.wav is already the output of in/talk.mp3 (inputs that differ only in their extension share an output name): process this one into another --out-dir (audioprep batch in/talk.wav --out-dir OTHER), or leave it out (--from-list)"
      ])
  }
}
