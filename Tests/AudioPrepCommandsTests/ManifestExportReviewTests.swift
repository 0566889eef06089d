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
  /// pipe alike; `cat --` takes it as it is (review 2). A name starting with `~` is `./~NAME`
  /// too, the file's entry included.
  @Test func aNameStartingWithADashIsNeverAnOptionOfAPipe() throws {
    let corpus = ExportCorpus(
      recordings: [
        .init(id: "f", path: "-dash.flac", sampleRate: 16000, channels: 1, frames: 8000, isPlainWAV: false),
        .init(id: "p", path: "-dash.wav", sampleRate: 44100, channels: 1, frames: 8000,
          processedBy: Export.params + "segment=1.0s/overlap0.0s raw=none"),
        .init(id: "w", path: "-dash|.wav", sampleRate: 16000, channels: 1, frames: 8000),
        .init(id: "x", path: "-x.wav", sampleRate: 16000, channels: 1, frames: 8000),
        .init(id: "t", path: "~t.wav", sampleRate: 16000, channels: 1, frames: 8000),
        .init(id: "tf", path: "~t.flac", sampleRate: 16000, channels: 1, frames: 8000, isPlainWAV: false),
      ],
      utterances: [])
    let scp = try #require(try KaldiExport().files(for: corpus).first { $0.name == "wav.scp" }).text
    #expect(scp.contains("f audioprep ./-dash.flac -o - "), "\(scp)")
    #expect(scp.contains("p audioprep ./-dash.wav -o - "), "\(scp)")
    #expect(scp.contains("w cat -- '-dash|.wav' |\n"), "\(scp)")
    #expect(scp.contains("x ./-x.wav\n"), "\(scp)")  // a file name to Kaldi, written as the pipes write it
    // validate_data_dir.sh refuses a wav.scp entry starting with `~` (review33m H3).
    #expect(scp.contains("t ./~t.wav\n") && scp.contains("tf audioprep './~t.flac' -o - "), "\(scp)")
    #expect(!scp.split(separator: "\n").contains { $0.split(separator: " ").dropFirst().first?.hasPrefix("~") == true }, "\(scp)")
  }

  // MARK: records (review 13, 12, 10, 9, 8, 5)

  /// The sidecar line of segment `index`, as `SegmentList` writes it.
  static func segmentLine(_ index: Int, file: String, start: Double, end: Double, frames: Int) -> String {
    #"{"index":\#(index),"file":"\#(file)","hash":"\#(Export.fnv1a(Export.wav(frames: frames)))","source":"x","start_seconds":\#(start),"end_seconds":\#(end),"start_frame":0,"frames":\#(frames)}"#
  }

  /// A record or a segments list whose numbers no batch writes (a negative length, index or
  /// start, a segment ending long after its input, no input) is damaged (65, naming it), not
  /// written as negative durations, `a-00-1` ids or an empty `wav.scp` key (review 13).
  @Test func aDamagedRecordOrSegmentsListIs65() throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    var offsets = scratch.options
    offsets.segments = .offsets
    func failure(_ records: [ManifestRecord], _ options: ExportOptions) -> CommandFailure? {
      #expect(throws: CommandFailure.self) { try ExportCorpus(records: records, options: options) }
    }
    var record = Export.record("spk1/a.wav")
    record.outputFrames = -5
    #expect(failure([record], scratch.options)?.code == 65)
    record = Export.record("spk2/b.flac", segmented: true)
    record.inputFrames = -1
    #expect(failure([record], offsets)?.code == 65)
    record = Export.record("spk1/a.wav")
    record.input = ""
    #expect(failure([record], scratch.options)?.code == 65)
    let segmented = Export.record("spk2/b.flac", segmented: true)
    for (line, styles) in [
      (Self.segmentLine(0, file: "b_0000.wav", start: -1, end: 1, frames: 16000), [scratch.options, offsets]),
      (Self.segmentLine(-1, file: "b_0000.wav", start: 0, end: 1, frames: 16000), [scratch.options, offsets]),
      (Self.segmentLine(0, file: "b_0000.wav", start: 2, end: 99, frames: 16000), [offsets]),  // the input is 2.5 s
    ] {
      try scratch.file("out/spk2/b.segments.jsonl", line + "\n")
      for options in styles {
        let damaged = failure([segmented], options)
        #expect(damaged?.code == 65, "\(line)")
        #expect(damaged?.path.hasSuffix("b.segments.jsonl") == true, "\(damaged?.path ?? "")")
      }
    }
    // The last segment may end one output frame after its input: not damaged.
    try scratch.file("out/spk2/b.segments.jsonl", Self.segmentLine(0, file: "b_0000.wav", start: 2, end: 2.5000625, frames: 8001) + "\n")
    #expect(try ExportCorpus(records: [segmented], options: offsets).utterances.count == 1)
  }

  /// A recording or an utterance of no samples is left out with a warning naming it, in every
  /// segment style: a zero-length output, a zero-frame segment file, an input whose segments
  /// list is empty, a segment that starts where it ends (review 12).
  @Test func zeroLengthRecordingsAndUtterancesAreLeftOutWithAWarning() throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    var offsets = scratch.options
    offsets.segments = .offsets
    var empty = Export.record("spk1/a.wav")
    empty.outputFrames = 0
    try scratch.write("out/spk1/a.wav", Export.wav(frames: 0))
    var corpus = try ExportCorpus(records: [empty, Export.records[1]], options: scratch.options)
    #expect(corpus.recordings.map(\.id) == ["spk2_b-0000", "spk2_b-0001", "spk2_b-0002"])
    #expect(corpus.warnings.map(\.path) == ["out/spk1/a.wav"])
    try scratch.file("out/spk2/b.segments.jsonl", "")
    for options in [scratch.options, offsets] {
      corpus = try ExportCorpus(records: [Export.records[1]], options: options)
      #expect(corpus.recordings.isEmpty && corpus.utterances.isEmpty)
      #expect(corpus.warnings.map(\.path) == ["out/spk2/b.segments.jsonl"])
    }
    try scratch.file(
      "out/spk2/b.segments.jsonl",
      Self.segmentLine(0, file: "b_0000.wav", start: 0, end: 1, frames: 16000) + "\n"
        + Self.segmentLine(1, file: "b_0001.wav", start: 1, end: 1, frames: 0) + "\n")
    try scratch.write("out/spk2/b_0001.wav", Export.wav(frames: 0))
    for options in [scratch.options, offsets] {
      corpus = try ExportCorpus(records: [Export.records[1]], options: options)
      #expect(corpus.utterances.map(\.id) == ["spk2_b-0000"])
      #expect(corpus.warnings.count == 1)
    }
  }

  /// Two manifests that record different inputs under one relative path (two corpora batched
  /// apart) are two recordings that would have one id: 65 naming both inputs, not a warning
  /// and one of them gone; the same input in two manifests (reruns) is one (review 10).
  @Test func oneRelativePathForTwoInputsIs65() throws {
    let a = ManifestRecordTrustTests.hashed([Export.record("a.wav")])[0]
    var b = a
    b.input = "other/a.wav"
    let failure = #expect(throws: CommandFailure.self) {
      try ManifestExportCommand.merged([("oA/manifest.jsonl", .init(records: [a])), ("oB/manifest.jsonl", .init(records: [b]))])
    }
    #expect(failure?.code == 65)
    let both = (failure?.path ?? "") + " " + (failure?.message ?? "")
    #expect(both.contains("corpus/a.wav") && both.contains("other/a.wav"), "\(both)")
    let merge = try ManifestExportCommand.merged([("m1", .init(records: [a])), ("m2", .init(records: [a]))])
    #expect(merge.records.count == 1)
  }

  /// `--speaker-from N` deeper than an input's path (or `parent` for an input at the root) made
  /// it its own speaker without a word (review31m W7). Deeper than every input's, the rule names
  /// no directory of the corpus: a usage error (64), as the option's other bad values are,
  /// naming the deepest level there is. Deeper than some: a warning names the first such input
  /// and counts the others.
  @Test func aSpeakerLevelDeeperThanThePathIsSaid() throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    for name in ["top", "low"] {
      try scratch.file("out/\(name).wav")
      try scratch.file("corpus/\(name).wav")
    }
    var options = scratch.options
    let records = [Export.record("spk1/a.wav"), Export.record("spk2/b.flac", segmented: true)]
    for (rule, argument) in [(SpeakerRule.level(2), "2"), (.level(3), "3")] {
      options.speaker = rule
      let failure = #expect(throws: CommandFailure.self) { try ExportCorpus(records: records, options: options) }
      #expect(failure?.code == 64)
      #expect(failure?.path == "--speaker-from \(argument)")
      #expect(failure?.message == "no input lies \(argument) directories below its batch's root (the deepest lies 1 below): use 1, parent or utterance",
        "\(failure?.message ?? "")")
    }
    options.speaker = .parent
    let atTheRoot = #expect(throws: CommandFailure.self) {
      try ExportCorpus(records: [Export.record("top.wav"), Export.record("low.wav")], options: options)
    }
    #expect(atTheRoot?.code == 64)
    #expect(atTheRoot?.path == "--speaker-from parent")
    #expect(atTheRoot?.message == "no input lies in a directory below its batch's root: use utterance", "\(atTheRoot?.message ?? "")")
    for rule in [SpeakerRule.level(1), .parent] {
      options.speaker = rule
      let corpus = try ExportCorpus(records: records + [Export.record("top.wav"), Export.record("low.wav")], options: options)
      #expect(corpus.utterances.first { $0.id == "top" }?.speaker == "top")
      #expect(corpus.warnings.map(\.path) == ["corpus/top.wav"], "\(corpus.warnings)")
      #expect(corpus.warnings.first?.message == "lies at its batch's root (and 1 other input): "
        + "--speaker-from \(rule == .parent ? "parent" : "1") finds no speaker there, so each is its own speaker", "\(corpus.warnings)")
    }
    // Deeper than one input's path of two: its own speaker, said.
    try scratch.file("out/spk1/deep/c.wav")
    try scratch.file("corpus/spk1/deep/c.wav")
    options.speaker = .level(2)
    let deeper = try ExportCorpus(records: [Export.record("spk1/deep/c.wav"), Export.record("spk1/a.wav")], options: options)
    #expect(deeper.warnings.map { "\($0.path): \($0.message)" } == [
      "corpus/spk1/a.wav: lies fewer than 2 directories below its batch's root: --speaker-from 2 finds no speaker there, so it is its own speaker"
    ])
  }

  /// Speakers and self-speakers (inputs the rule finds no speaker for) must stay apart: a
  /// self-speaker whose id is a directory speaker's id, or starts with it and '-', would be
  /// merged with it, or break Kaldi's order (utt2spk sorted by speaker): 65 naming both (review 9, 8).
  @Test func aSelfSpeakerThatWouldBeADirectorySpeakerIs65() throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    var options = scratch.options
    options.speaker = .level(1)
    try scratch.file("out/spk1.wav")
    let same = #expect(throws: CommandFailure.self) {
      try ExportCorpus(records: [Export.record("spk1.wav"), Export.record("spk1/a.wav")], options: options)
    }
    #expect(same?.code == 65)
    let named = [same?.path ?? "", same?.message ?? ""].joined(separator: " ")
    #expect(named.contains("spk1.wav"), "\(named)")
    try scratch.file("out/spk2.segments.jsonl", Export.sidecar)
    for index in 0..<3 { try scratch.file("out/b_000\(index).wav") }
    try scratch.file("out/spk2/x.wav")
    try scratch.file("corpus/spk2.flac")
    for style in [ExportOptions.SegmentStyle.files, .offsets] {
      options.segments = style
      let prefixed = #expect(throws: CommandFailure.self) {
        try ExportCorpus(records: [Export.record("spk2.flac", segmented: true), Export.record("spk2/x.wav")], options: options)
      }
      #expect(prefixed?.code == 65, "\(style)")
    }
    options.segments = .files
    try scratch.file("out/spk3.wav")
    #expect(try ExportCorpus(records: [Export.record("spk3.wav"), Export.record("spk1/a.wav")], options: options).utterances.count == 2)
  }

  /// `--paths absolute` is absolute whatever the manifest's paths hold: a batch whose
  /// `--out-dir` started with `..`, or a forged `out/../../x`, is the file's real place, for
  /// the outputs and for the inputs of `--segments offsets` (review 5).
  @Test func absolutePathsAreAbsoluteWithDotDot() throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    let real = URL(fileURLWithPath: scratch.directory.path).resolvingSymlinksInPath().path
    try scratch.file("work/.keep")
    var options = scratch.options
    options.batchDirectory = scratch.directory.appendingPathComponent("work").path
    var record = Export.record("spk1/a.wav")
    record.output = "../out/spk1/a.wav"
    record.input = "../corpus/spk1/a.wav"
    var corpus = try ExportCorpus(records: [record], options: options)
    #expect(corpus.recordings.map(\.path) == ["\(real)/out/spk1/a.wav"])
    #expect(corpus.utterances.first?.text == "HELLO WORLD")  // its transcript found there
    record = Export.record("spk2/b.flac", segmented: true)
    record.output = "../work/../out/spk2/b.segments.jsonl"
    record.input = "../corpus/spk2/../spk2/b.flac"
    options.segments = .offsets
    corpus = try ExportCorpus(records: [record], options: options)
    #expect(corpus.recordings.map(\.path) == ["\(real)/corpus/spk2/b.flac"])
  }

  // MARK: names in JSON and ids (review 11)

  /// Valid UTF-8 for U+EF80…U+EFFF (which `PathBytes` escapes byte by byte, to stay one-to-one)
  /// is that character in ids, in the JSON formats' paths and in text; only bytes that are not
  /// UTF-8 become `\udcXX` or `_xx` (review 11).
  @Test func validUTF8InTheEscapeRangeIsItsCharacter() throws {
    let name = "/o/pu\u{EF80}x\u{EFFF}.wav"
    let path = PathBytes.string(fromBytes: Array(name.utf8))
    #expect(PathBytes.bytes(of: path) == Array(name.utf8))  // the codec is unchanged
    let mixed = PathBytes.string(fromBytes: Array("caf".utf8) + [0xE9] + Array("\u{EF80}".utf8))
    #expect(KaldiID.sanitized(PathBytes.string(fromBytes: Array("pu\u{EF80}x".utf8))) == "pu\u{EF80}x")
    #expect(KaldiID.sanitized(mixed) == "caf_e9\u{EF80}")
    let corpus = ExportCorpus(
      recordings: [.init(id: "r", path: path, sampleRate: 16000, channels: 1, frames: 16000)],
      utterances: [.init(id: "r", recordingID: "r", speaker: "s", start: 0, duration: 1, text: mixed)])
    for format in [ExportFormat.nemo, .lhotse] {
      let files = try format.files(for: corpus, fileName: "x")
      var text = ""
      for file in files {
        let bytes = format == .lhotse ? Array(try Export.run("/bin/gzip", ["-dc"], input: Data(file.bytes)).1) : file.bytes
        text += String(decoding: bytes, as: UTF8.self)
      }
      #expect(text.contains(name), "\(format): \(text)")
      #expect(!text.contains("\\udcee"), "\(format): \(text)")
      #expect(text.contains("caf\\udce9\u{EF80}"), "\(format): \(text)")
    }
  }

  // MARK: the pipe of a dithered batch (review, neighbour)

  /// A dithered batch added noise that differs every run: no pipe can give the samples of its
  /// segment files, so `--segments offsets` refuses (65) to claim it does, naming the input;
  /// the decoding pipe of an output (which only decodes what was written) is unaffected.
  @Test func thePipeNeverClaimsToRepeatADitheredBatch() throws {
    let dithered = Export.params.replacing("dither=none", with: "dither=tpdf") + "segment=1.0s/overlap0.0s raw=none"
    #expect(ProcessingArguments.fromParams(dithered) == nil)
    let corpus = ExportCorpus(
      recordings: [.init(id: "r", path: "/c/r.flac", sampleRate: 44100, channels: 1, frames: 44100, processedBy: dithered)],
      utterances: [.init(id: "r-0000", recordingID: "r", speaker: "r-0000", start: 0, duration: 1, text: "")])
    let failure = #expect(throws: CommandFailure.self) { try KaldiExport().files(for: corpus) }
    #expect(failure?.code == 65)
    #expect(failure?.path == "/c/r.flac")
    #expect(failure?.message.contains("dither") == true, "\(failure?.message ?? "")")
  }

  // MARK: wording (review 17)

  /// The id collision says which characters become '_' — not "other characters", since
  /// `| : ; \\ ` >` and the like are kept.
  @Test func anIdCollisionSaysWhichCharactersBecomeUnderscores() throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    try scratch.file("out/a b.wav")
    try scratch.file("out/a_b.wav")
    let failure = #expect(throws: CommandFailure.self) {
      try ExportCorpus(records: [Export.record("a b.wav"), Export.record("a_b.wav")], options: scratch.options)
    }
    let message = failure?.message ?? ""
    #expect(!message.contains("other characters"), "\(message)")
    #expect(message.contains("!\"#$%&'()*+,-"), "\(message)")
    #expect(KaldiID.sanitized("a|b:c;d\\e`f>g") == "a|b:c;d\\e`f>g")  // kept, as the message says
  }
}
