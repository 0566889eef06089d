import ArgumentParser
@testable import AudioPrepCommands
import DSP
import Foundation
import Testing

/// What `manifest export` takes from a record and what from the files it names: the numbers of
/// an output are its header's, a record keeps the hashes batch writes, and its `input` is its
/// `relative_path` below one root (hostile review 30m, H1 and H2).
@Suite struct ManifestRecordTrustTests {
  typealias Export = ManifestExportTests
  typealias Review3 = ManifestExportReview3Tests

  /// The failure `ExportCorpus` throws for `records`, if any.
  static func failure(_ records: [ManifestRecord], _ options: ExportOptions) -> CommandFailure? {
    #expect(throws: CommandFailure.self) { try ExportCorpus(records: records, options: options) }
  }

  // MARK: a NUL in a path

  /// A NUL in a record's `input`, `relative_path` or `output`, or in a segments list's `file`,
  /// is damage (65): the C path ends there, so `secret/id_rsa\0/q.wav` read `secret/id_rsa` as
  /// the transcript of `q.wav`, exported whole, and Kaldi's `wav.scp` got the raw byte (hostile
  /// review 31m, H1b). No batch writes one.
  @Test func aNulInAnyPathIsDamage() throws {
    var input = Export.record("spk1/a.wav")
    input.input = "/secret/id_rsa\u{0}/spk1/a.wav"
    var relative = Export.record("spk1/a.wav")
    relative.relativePath = "spk1/a\u{0}.wav"
    relative.input = "corpus/spk1/a\u{0}.wav"
    var output = Export.record("spk1/a.wav")
    output.output = (output.output ?? "") + "\u{0}"
    for record in [input, relative, output] {
      #expect(RecordPaths.problem(of: record)?.contains("NUL") == true, "\(record.input) \(record.relativePath) \(record.output ?? "")")
    }
    #expect(RecordPaths.problem(of: Export.record("spk1/a.wav")) == nil)
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    try scratch.file("list.segments.jsonl", Export.sidecar.replacingOccurrences(of: "b_0000.wav", with: "b_0000\\u0000.wav"))
    #expect(throws: CommandFailure.self) { try SegmentSidecar(readingFrom: scratch.directory.appendingPathComponent("list.segments.jsonl").path) }
  }

  // MARK: a transcript only beside an input that is there

  /// A record whose input is not there (a forged `secret/creds.wav` beside `secret/creds.txt`;
  /// a corpus moved, or a manifest of relative paths exported from another directory) gets no
  /// transcript read, and one warning says how many and names the first: the text was that
  /// file's (review31m H1a), or silently empty for every record (H2).
  @Test func aTranscriptIsReadOnlyBesideAnInputThatIsThere() throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    let there = try ExportCorpus(records: [Export.record("spk1/a.wav")], options: scratch.options)
    #expect(there.utterances.map(\.text) == ["HELLO WORLD"])
    #expect(there.warnings.isEmpty)
    try FileManager.default.removeItem(at: scratch.directory.appendingPathComponent("corpus/spk1/a.wav"))
    let gone = try ExportCorpus(records: [Export.record("spk1/a.wav")], options: scratch.options)
    #expect(gone.utterances.map(\.text) == [""])
    #expect(gone.warnings.count == 1)
    #expect(gone.warnings.first?.path.hasSuffix("corpus/spk1/a.wav") == true, "\(gone.warnings)")
    #expect(gone.warnings.first?.message.contains("transcript") == true, "\(gone.warnings)")
  }

  /// A C1 control character (U+0080–U+009F: U+009B is a terminal's CSI) in a transcript is
  /// refused as the C0 ones are (65): Kaldi's validate_text.pl refuses the text (review31m W1).
  @Test func aC1ControlCharacterIsNoText() throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    try scratch.file("corpus/spk1/a.txt", "HELLO \u{9B}31m WORLD\n")
    #expect(ManifestRecordTrustTests.failure([Export.record("spk1/a.wav")], scratch.options)?.code == 65)
    try scratch.file("corpus/spk1/a.txt", "CAFÉ \u{A0}AU LAIT\n")  // é and a no-break space are text
    #expect(try ExportCorpus(records: [Export.record("spk1/a.wav")], options: scratch.options).utterances.first?.text == "CAFÉ AU LAIT")
  }

  /// A segments list that is not there is said to be not there (66), not "changed since the
  /// batch recorded it … rerun the batch" (review31m W6: looked for from another directory).
  @Test func aSegmentsListNotThereIsSaidToBeNotThere() throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    try FileManager.default.removeItem(at: scratch.directory.appendingPathComponent("out/spk2/b.segments.jsonl"))
    let failure = Self.failure(Self.hashed([Export.record("spk2/b.flac", segmented: true)]), scratch.options)
    #expect(failure?.code == 66)
    #expect(failure?.message.contains("not a file") == true && failure?.message.contains("changed") == false, "\(failure?.message ?? "")")
  }

  // MARK: H1: an output's numbers are its header's

  /// A record whose `output_frames`, output rate (`params` `rate=`) or channels disagree with
  /// the output file it names (its bytes still the batch's) is damaged: 65, not a CSV row of
  /// 40 s for a file of 0.4 s (review 30m H1: exit 0). The same for a segment whose frames in
  /// the segments list are not its file's. One rule for every format: all are written from
  /// the corpus.
  @Test func anOutputsNumbersAreWhatItsFileHolds() throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    _ = try ExportCorpus(records: Array(Export.records.prefix(2)), options: scratch.options)
    var frames = Export.record("spk1/a.wav")
    frames.outputFrames = 4_000_000
    var rate = Export.record("spk1/a.wav")
    rate.params = rate.params.replacingOccurrences(of: "rate=16000", with: "rate=8000")
    var channels = Export.record("spk1/a.wav")
    channels.params = channels.params.replacingOccurrences(of: "downmix=average ", with: "")
    for record in [frames, rate, channels] {
      let damaged = Self.failure([record], scratch.options)
      #expect(damaged?.code == 65, "\(record.params) \(record.outputFrames ?? -1)")
      #expect(damaged?.message.contains("damaged") == true, "\(damaged?.message ?? "")")
    }
    let sidecar = Export.sidecar.replacingOccurrences(of: "\"frames\":8000", with: "\"frames\":80000")
    try scratch.file("out/spk2/b.segments.jsonl", sidecar)
    let segment = Self.failure([Export.record("spk2/b.flac", segmented: true)], scratch.options)
    #expect(segment?.code == 65)
    #expect(segment?.path == "out/spk2/b.segments.jsonl", "\(segment?.path ?? "")")
  }

  /// Through the command, for every format: a record whose output frames were multiplied by
  /// 100 (its hash intact) is 65, nothing written (review 30m H1's `f_frames.jsonl`).
  @Test(arguments: ["kaldi", "nemo", "lhotse", "hf", "csv"])
  func everyFormatRefusesARecordThatIsNotItsOutput(format: String) throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    let root = scratch.directory.path
    let manifest = try Review3.absoluteManifest(scratch)
    let destination = ["kaldi", "lhotse"].contains(format) ? "\(root)/data" : format == "hf" ? "\(root)/out" : "\(root)/x.\(format)"
    let honest = try String(contentsOfFile: manifest, encoding: .utf8)
    #expect(try Review3.export(["--to", format, manifest, "-o", destination, "-q"]) == 0, "\(format)")
    try? FileManager.default.removeItem(atPath: destination + (format == "hf" ? "/metadata.csv" : ""))
    try honest.replacingOccurrences(of: "\"output_frames\":40000", with: "\"output_frames\":4000000")
      .write(toFile: manifest, atomically: true, encoding: .utf8)
    #expect(try Review3.export(["--to", format, manifest, "-o", destination, "-q"]) == 65, "\(format)")
    #expect(!FileManager.default.fileExists(atPath: format == "hf" ? destination + "/metadata.csv" : destination) || format == "kaldi" || format == "lhotse")
  }

  /// A record of an exported input without `output_hash` (null, or deleted by a `jq` pass) is
  /// damaged: every batch records it, and without it a replaced output went unnoticed (review
  /// 30m H1: exported 0.4 s for a 5 s file, exit 0). 65 naming the manifest and the line. The
  /// same for `input_hash`, which every batch records too. A failed input needs neither.
  @Test(arguments: ["output_hash", "input_hash"])
  func aRecordWithoutItsHashIsDamaged(key: String) throws {
    var records = Export.records
    records[0].inputHash = "fnv1a64:0000000000000001"
    records[0].outputHash = "fnv1a64:0000000000000002"
    records[1].inputHash = "fnv1a64:0000000000000003"
    records[1].outputHash = "fnv1a64:0000000000000004"
    _ = try ManifestExportCommand.merged([("m.jsonl", .init(records: records))])
    if key == "output_hash" { records[1].outputHash = nil } else { records[1].inputHash = nil }
    let failure = #expect(throws: CommandFailure.self) {
      try ManifestExportCommand.merged([("m.jsonl", .init(records: records))])
    }
    #expect(failure?.code == 65)
    #expect(failure?.path == "m.jsonl")
    #expect(failure?.message.hasPrefix("line 2 is damaged: ") == true, "\(failure?.message ?? "")")
    #expect(failure?.message.contains(key) == true, "\(failure?.message ?? "")")
  }

  // MARK: H2: an input is its relative path below the batch's root

  /// The records of `records` with hashes, as batch writes them.
  static func hashed(_ records: [ManifestRecord]) -> [ManifestRecord] {
    records.map { record in
      var record = record
      record.inputHash = "fnv1a64:0000000000000001"
      record.outputHash = record.status == .failed ? nil : "fnv1a64:0000000000000002"
      return record
    }
  }

  /// The failure `merged` throws for manifests holding `manifests`' records.
  static func mergeFailure(_ manifests: [(String, [ManifestRecord])]) -> CommandFailure? {
    #expect(throws: CommandFailure.self) {
      try ManifestExportCommand.merged(manifests.map { ($0.0, ManifestFile.Contents(records: Self.hashed($0.1))) })
    }
  }

  /// A record whose `input` does not end with its `relative_path` (a batch's always does) is
  /// damaged: a forged `input` made any `STEM.txt` on the machine a transcript (review 30m H2:
  /// `secret/creds.txt` exported as text, exit 0). 65 naming the manifest and the line.
  @Test(arguments: ["/work/secret/creds.wav", "corpus/spk1/b.wav", "spk1/a.wav.x", "a.wav"])
  func anInputThatIsNotItsRelativePathIsDamaged(input: String) {
    var records = Export.records
    records[1].input = input.replacingOccurrences(of: "spk1/a", with: "spk2/b").replacingOccurrences(of: ".wav", with: ".flac")
    let failure = Self.mergeFailure([("m.jsonl", records)])
    #expect(failure?.code == 65)
    #expect(failure?.path == "m.jsonl")
    #expect(failure?.message.hasPrefix("line 2 is damaged: ") == true, "\(failure?.message ?? "")")
  }

  /// One manifest's inputs lie below its root (the input less its relative path), or, for a
  /// batch given several directories, below its roots, each shown by an input below it that
  /// still holds the bytes its record says: a record below another root (`secret/d.wav` under
  /// the relative path `d.wav`, beside records below `corpus/`) whose input is there with other
  /// bytes is damaged, 65 naming the line. A root none of whose inputs is there is taken:
  /// nothing below it is read (review31m H3: a two-directory batch whose inputs were removed
  /// was refused). Spellings of one root (`corpus`, `./corpus`, `corpus//`) are one root.
  @Test func oneManifestsInputsLieBelowItsRoots() throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    let root = scratch.directory.path
    try scratch.file("corpus/spk3/c.wav")
    try scratch.file("other/d.wav", "RIFF")
    func real(_ record: ManifestRecord, input: String) throws -> ManifestRecord {
      var record = record
      record.input = input
      record.inputHash = Export.fnv1a(try Data(contentsOf: URL(fileURLWithPath: input)))
      record.outputHash = "fnv1a64:0000000000000002"
      return record
    }
    var records = try Export.records.map { try real($0, input: "\(root)/\($0.input)") }
    var forged = Self.hashed([Export.record("creds.wav")])[0]
    forged.input = "\(root)/secret/creds.wav"
    func failure(_ records: [ManifestRecord]) -> CommandFailure? {
      #expect(throws: CommandFailure.self) { try ManifestExportCommand.merged([("m.jsonl", .init(records: records))]) }
    }
    // Not there: taken, and no transcript is read beside it (`aTranscriptIsReadOnlyBesideAnInputThatIsThere`).
    _ = try ManifestExportCommand.merged([("m.jsonl", .init(records: records + [forged]))])
    // There, with bytes other than its record's: damaged.
    try scratch.file("secret/creds.wav", "RIFF, not the batch's")
    let refused = failure(records + [forged])
    #expect(refused?.code == 65)
    #expect(refused?.path == "m.jsonl")
    #expect(refused?.message.hasPrefix("line 4 is damaged: its input \(root)/secret/creds.wav lies below") == true, "\(refused?.message ?? "")")
    // A second root shown by its input: a batch given two directories.
    records.append(try real(Export.record("d.wav"), input: "\(root)/other/d.wav"))
    _ = try ManifestExportCommand.merged([("m.jsonl", .init(records: records))])
    // Its input replaced since: not shown.
    try scratch.file("other/d.wav", "RIFF, another")
    #expect(failure(records)?.message.hasPrefix("line 4 is damaged: ") == true)
    records = Export.records
    records[1].input = "./corpus/spk2/b.flac"
    records[2].input = "corpus//spk3/c.wav"
    _ = try ManifestExportCommand.merged([("m.jsonl", .init(records: Self.hashed(records)))])
  }

  /// Two records of one input (under two relative paths, in two manifests: two roots) would
  /// be two recordings of one file: damaged, 65 naming the manifest and the line (review 30m
  /// H2's `f_swap.jsonl`). The same input under one relative path in two manifests is one
  /// input (reruns), and shards of one batch, or their merged manifest, share their root.
  @Test func twoRecordsOfOneInputAreDamaged() throws {
    let a = Export.record("x/a.wav")
    var b = Export.record("a.wav")
    b.input = "corpus/x/a.wav"
    let failure = Self.mergeFailure([("m1.jsonl", [a]), ("m2.jsonl", [b])])
    #expect(failure?.code == 65)
    #expect(failure?.path == "m2.jsonl")
    #expect(failure?.message.hasPrefix("line 1 is damaged: ") == true, "\(failure?.message ?? "")")
    _ = try ManifestExportCommand.merged([("m1.jsonl", .init(records: Self.hashed([a]))), ("m2.jsonl", .init(records: Self.hashed([a])))])
    let shards = Self.hashed(Review3.shardRecords())
    _ = try ManifestExportCommand.merged([("out/manifest.jsonl", .init(records: shards))])
    _ = try ManifestExportCommand.merged([
      ("out/manifest.0-of-2.jsonl", .init(records: shards.filter { $0.shard?.index == 0 })),
      ("out/manifest.1-of-2.jsonl", .init(records: shards.filter { $0.shard?.index == 1 })),
    ])
  }

  /// Through the command: the review's `f_leak.jsonl` (line 1's input moved to a directory
  /// holding `creds.txt`) is 65, and the secret is in nothing written.
  @Test func aForgedInputLeaksNoFileAsATranscript() throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    let root = scratch.directory.path
    try scratch.file("secret/creds.txt", "AWS_SECRET=hunter2\n")
    let manifest = try Review3.absoluteManifest(scratch)
    let honest = try String(contentsOfFile: manifest, encoding: .utf8)
    try honest.replacingOccurrences(of: "\"input\":\"\(root)/corpus/spk1/a.wav\"", with: "\"input\":\"\(root)/secret/creds.wav\"")
      .write(toFile: manifest, atomically: true, encoding: .utf8)
    #expect(try Review3.export(["--to", "csv", manifest, "-o", "\(root)/x.csv", "-q"]) == 65)
    #expect(!FileManager.default.fileExists(atPath: "\(root)/x.csv"))
  }

  // MARK: C2: a number that is there but malformed

  /// `output_frames` of 4800.5 or "12" is in the record, malformed: said so, not "has no
  /// output_frames" (review 30m C2). 65 as before.
  @Test(arguments: ["4800.5", "\"12\""])
  func aMalformedNumberIsSaidToBeMalformed(value: String) throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    let encoded = Export.record("spk1/a.wav").json.encoded.replacingOccurrences(of: "\"output_frames\":40000", with: "\"output_frames\":\(value)")
    let record = try #require(ManifestRecord(try JSONLine(parsing: encoded)))
    let failure = Self.failure([record], scratch.options)
    #expect(failure?.code == 65)
    #expect(failure?.message.contains("output_frames") == true, "\(failure?.message ?? "")")
    #expect(failure?.message.contains("has no") == false, "\(failure?.message ?? "")")
  }
}
