import ArgumentParser
@testable import AudioPrepCommands
import DSP
import Foundation
import Testing

/// `manifest export` against the second hostile review of #19 (`review19`): what its options
/// accept, what `wav.scp` lines a name can make, what it may write over, what records it takes.
@Suite struct ManifestExportReviewTests {
  typealias Export = ManifestExportTests

  // MARK: options (review 14, 16)

  /// The exit status the command's parsing gives `arguments` (0 when they parse).
  static func parseStatus(_ arguments: [String]) -> Int32 {
    do {
      _ = try ManifestExportCommand.parse(arguments)
      return 0
    } catch {
      return ManifestExportCommand.exitCode(for: error).rawValue
    }
  }

  /// `--audioprep-command` is a word of every `wav.scp` pipe: a line break in it would make the
  /// rest of it a line of its own (a command Kaldi runs), and an empty one a pipe that runs the
  /// input's name. Both are usage errors (64), for every format (review 14).
  @Test(arguments: ["", "audioprep\nx.flac", "audioprep\r", "\n"])
  func anAudioprepCommandWithALineBreakOrEmptyIsAUsageError(command: String) {
    for format in ["kaldi", "nemo"] {
      #expect(Self.parseStatus(["--to", format, "m.jsonl", "-o", "d", "--audioprep-command", command]) == 64, "\(format) \(command.debugDescription)")
    }
    #expect(Self.parseStatus(["--to", "kaldi", "m.jsonl", "-o", "d", "--audioprep-command", "/opt/my audioprep"]) == 0)
  }

  /// A directory format has no standard output, and an empty DEST names nothing: 64, not a
  /// directory named `-` or "is a directory" (review 16).
  @Test func aDestinationThatIsNoneIsAUsageError() {
    for format in ExportFormat.allCases {
      #expect(Self.parseStatus(["--to", format.rawValue, "m.jsonl", "-o", ""]) == 64, "\(format) -o ''")
      #expect(Self.parseStatus(["--to", format.rawValue, "m.jsonl", "-o", "-"]) == (format.writesDirectory ? 64 : 0), "\(format) -o -")
    }
  }

  // MARK: wav.scp entries (review 1, 2)

  /// Kaldi's `ClassifyRxfilename` refuses `|` anywhere in a file name ("pipe symbol in the
  /// wrong place"), a directory of an absolute path included: every such name goes through
  /// `cat`, whatever kind of entry the recording gets (review 1).
  @Test func aPipeSymbolAnywhereGoesThroughCat() throws {
    let names = ["x|y.wav", "/o/a|b/x.wav", "/o/x|.wav", "|x.wav"]
    let corpus = ExportCorpus(
      recordings: names.enumerated().map { .init(id: "r\($0.offset)", path: $0.element, sampleRate: 16000, channels: 1, frames: 16000) },
      utterances: [])
    let scp = try #require(try KaldiExport().files(for: corpus).first { $0.name == "wav.scp" })
    for (index, name) in names.enumerated() {
      #expect(scp.text.contains("r\(index) cat -- '\(name)' |\n"), "\(name): \(scp.text)")
    }
  }

  /// A relative name starting with `-` would be an option of the pipe's `audioprep` (it printed
  /// the help and exited 0): it is `./-NAME` there, in the decoding pipe and in the batch's
  /// pipe alike; `cat --` takes it as it is (review 2).
  @Test func aNameStartingWithADashIsNeverAnOptionOfAPipe() throws {
    let corpus = ExportCorpus(
      recordings: [
        .init(id: "f", path: "-dash.flac", sampleRate: 16000, channels: 1, frames: 8000, isPlainWAV: false),
        .init(id: "p", path: "-dash.wav", sampleRate: 44100, channels: 1, frames: 8000,
          processedBy: Export.params + "segment=1.0s/overlap0.0s raw=none"),
        .init(id: "w", path: "-dash|.wav", sampleRate: 16000, channels: 1, frames: 8000),
        .init(id: "x", path: "-x.wav", sampleRate: 16000, channels: 1, frames: 8000),
      ],
      utterances: [])
    let scp = try #require(try KaldiExport().files(for: corpus).first { $0.name == "wav.scp" }).text
    #expect(scp.contains("f audioprep ./-dash.flac -o - "), "\(scp)")
    #expect(scp.contains("p audioprep ./-dash.wav -o - "), "\(scp)")
    #expect(scp.contains("w cat -- '-dash|.wav' |\n"), "\(scp)")
    #expect(scp.contains("x -x.wav\n"), "\(scp)")  // a file name to Kaldi, never an option
  }
}
