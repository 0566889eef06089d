@testable import AudioPrepCommands
import Testing

/// Issue 21: the batch progress line names the input in flight (the one taken longest ago) and
/// how many others are; a finished input leaves the line.
@Suite struct BatchProgressTests {
  private func record(_ path: String) -> ManifestRecord {
    ManifestRecord(
      input: "corpus/" + path, relativePath: path, output: "out/" + path, status: .ok, params: "", shard: nil,
      corpusInputs: 3, shardInputs: 3)
  }

  @Test func namesTheInputInFlight() {
    let progress = BatchProgress(style: .silent, total: 3, totalBytes: 300)
    #expect(!progress.progressText.contains("now"))
    progress.started("spk1/a.flac")
    #expect(progress.progressText.hasSuffix("; now spk1/a.flac"))
    progress.started("spk2/b.flac")
    #expect(progress.progressText.hasSuffix("; now spk1/a.flac (+1)"))
    progress.record(record("spk1/a.flac"), bytes: 100)
    #expect(progress.progressText.hasSuffix("; now spk2/b.flac"))
    #expect(progress.progressText.hasPrefix("audioprep: batch: 1/3 files, "))
    progress.record(record("spk2/b.flac"), bytes: 100)
    #expect(!progress.progressText.contains("now"))
  }

  /// A name with a newline stays on the one line.
  @Test func aControlCharacterInTheNameIsEscaped() {
    let progress = BatchProgress(style: .silent, total: 1, totalBytes: 1)
    progress.started("a\nb.wav")
    #expect(progress.progressText.hasSuffix("; now a\\nb.wav"))
  }
}

/// Issue 21: the progress line fits the terminal: a long name in flight is cut in its middle,
/// keeping its start and the file's own name (it was cut at the line's end: at 80 columns the
/// line kept 10 columns of the name, and lost the file's own name and " (+N)").
@Suite struct BatchProgressWidthTests {
  static let name = "spk0001/session-2026-12-03-morning-the-long-meeting-room/channel-07/close-talk/utterance_000123.flac"

  private func progress(_ names: [String]) -> BatchProgress {
    let progress = BatchProgress(style: .silent, total: 1000, totalBytes: 1000)
    for name in names { progress.started(name) }
    return progress
  }

  @Test(arguments: [30, 40, 60, 80, 100, 120, 200, 400])
  func fitsEveryWidth(columns: Int) {
    let line = progress([Self.name, "b.wav"]).progressText(columns: columns)
    #expect(TerminalText.width(line) <= columns - 1, "\(columns): \(line)")
    if TerminalText.width(progress([Self.name, "b.wav"]).progressText) <= columns - 1 {
      #expect(line == progress([Self.name, "b.wav"]).progressText)
    }
  }

  @Test func theNameIsCutInTheMiddleAt80Columns() {
    let line = progress([Self.name, "b.wav"]).progressText(columns: 80)
    // The counts shortened (the hours and speed are in the summary), the name cut in its middle.
    #expect(line.hasPrefix("batch: 0/1000 files; now spk0001/"), "\(line)")
    #expect(line.hasSuffix("utterance_000123.flac (+1)"), "\(line)")
    #expect(line.contains("…") && TerminalText.width(line) == 79, "\(line)")
  }

  /// A CJK character takes two columns: the line is measured in columns, not characters.
  @Test func wideCharactersCountTwice() {
    let name = String(repeating: "会議録音", count: 12) + "/発話_0001.wav"
    let line = progress([name]).progressText(columns: 80)
    #expect(TerminalText.width(line) <= 79, "\(line)")
    #expect(line.hasSuffix("発話_0001.wav"), "\(line)")
  }
}

/// Issue 21: the ETA from the audio left (each kind's bytes per second of audio) and a fitted
/// cost per input and per second of audio.
@Suite struct BatchETATests {
  @Test func theFilesInFlightCountAsWorkDone() throws {
    var eta = BatchETA(inputs: ["a.wav", "b.wav", "c.wav", "d.wav"].map { ($0, 100) })
    #expect(eta.seconds(inFlight: [], workers: 2) == nil)
    eta.finished(path: "a.wav", bytes: 100, processed: (audio: 1, wall: 1))
    let seconds = try #require(eta.seconds(inFlight: [("b.wav", 100, 0.99)], workers: 2))
    #expect(abs(seconds - 1.005) < 1e-9)
    // A file in flight longer than its estimate counts as its estimate, never more.
    #expect(eta.seconds(inFlight: [("b.wav", 100, 60)], workers: 1) == 2)
  }

  /// A kind's audio from its bytes: at the rate of its processed inputs, or a typical one.
  @Test func eachKindsBytesPerSecondOfAudio() throws {
    var eta = BatchETA(inputs: [("a.wav", 1000), ("b.wav", 4000), ("c.mp3", 100), ("d.mp3", 100), ("e.flac", 300)])
    eta.finished(path: "a.wav", bytes: 1000, processed: (audio: 1, wall: 1))  // 1000 B a second of audio
    eta.finished(path: "c.mp3", bytes: 100, processed: (audio: 1, wall: 1))  // 100 B
    eta.finished(path: "x.txt", bytes: 0, processed: nil)
    // b.wav 4 s of audio, d.mp3 1 s, e.flac at the typical FLAC rate; one wall second each.
    let seconds = try #require(eta.seconds(inFlight: [], workers: 1))
    #expect(abs(seconds - (4 + 1 + 300.0 / BatchETA.typicalBytesPerSecond("flac"))) < 1e-9)
    // Skipped (not processed) inputs are done but say nothing of the speed.
    eta.finished(path: "b.wav", bytes: 4000, processed: nil)
    #expect(abs(try #require(eta.seconds(inFlight: [], workers: 1)) - (1 + 300.0 / BatchETA.typicalBytesPerSecond("flac"))) < 1e-9)
  }

  /// A mixed corpus: short WAVs first (1–3 s, each 0.1 s plus 0.05 s a second of audio), then
  /// two 100 s MP3s, which are few bytes. 12.2 s are left; the estimate by each kind's bytes said
  /// 3.9 s (an MP3 byte taken at a WAV byte's speed, the short files' fixed cost spread over
  /// their bytes): 68 % short.
  @Test func aMixedCorpusAfterItsShortFiles() throws {
    let wav = { (seconds: Int) in Int64(seconds * 176_400) }
    let shorts = (0..<20).map { ("s\($0).wav", wav(1 + $0 % 3)) }
    var eta = BatchETA(inputs: shorts + [("z1.mp3", 1_600_000), ("z2.mp3", 1_600_000)])
    for (path, bytes) in shorts.prefix(10) {
      let audio = Double(bytes) / 176_400
      eta.finished(path: path, bytes: bytes, processed: (audio: audio, wall: 0.1 + 0.05 * audio))
    }
    let left = shorts.dropFirst(10).reduce(0.0) { $0 + 0.1 + 0.05 * Double($1.1) / 176_400 } + 2 * (0.1 + 0.05 * 100)
    let seconds = try #require(eta.seconds(inFlight: [], workers: 1))
    #expect(abs(seconds - left) / left < 0.01, "\(seconds) against \(left)")
  }
}
