import ArgumentParser
@testable import AudioPrepCommands
import DSP
import Foundation
import Testing

/// `manifest export` and `manifest merge` against the third hostile review of #19 (`review19c`).
@Suite struct ManifestExportReview3Tests {
  typealias Export = ManifestExportTests

  static let utteranceParams =
    Export.params
    + "segment=none speech=utterances/webrtc3/30ms/threshold0.5/min0.25s/maxinfs/silence0.1s/pad0.03s/smooth5/search10.0s raw=none"

  /// An input `batch --utterances` cut: its output is its segments list, as for `--segment`.
  static func utteranceRecord() -> ManifestRecord {
    var record = Export.record("spk2/b.flac", segmented: true)
    record.params = utteranceParams
    return record
  }

  // MARK: H1: `--utterances` batches

  /// A `batch --utterances` record's output is a segments list (`STEM.segments.jsonl`), as a
  /// `--segment` batch's is: its utterance files are the recordings, each as long as it is;
  /// never the list itself (review H1).
  @Test func utterancesAreRecordingsOfTheirOwn() throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    let corpus = try ExportCorpus(records: [Self.utteranceRecord()], options: scratch.options)
    let root = scratch.directory.path
    #expect(corpus.recordings.map(\.path) == (0..<3).map { "\(root)/out/spk2/b_000\($0).wav" })
    #expect(corpus.recordings.map(\.frames) == [16000, 16000, 8000])
    #expect(corpus.utterances.map(\.duration) == [1, 1, 0.5])
    #expect(!corpus.recordings.contains { $0.path.hasSuffix(".segments.jsonl") })
  }

  /// With `--segments offsets`, the input is the recording and each utterance a segment of it,
  /// and Kaldi's pipe repeats the processing: the detector's settings only moved the boundaries,
  /// which the `segments` file gives (review H1, C2).
  @Test func utterancesAsOffsetsAreSegmentsOfTheInput() throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    var options = scratch.options
    options.segments = .offsets
    let corpus = try ExportCorpus(records: [Self.utteranceRecord()], options: options)
    #expect(corpus.recordings.map(\.id) == ["spk2_b"])
    #expect(corpus.utterances.map(\.start) == [0, 1, 2])
    #expect(corpus.hasSegments)
    let files = try KaldiExport().files(for: corpus)
    #expect(files.contains { $0.name == "segments" })
    #expect(ProcessingArguments.fromParams(Self.utteranceParams) == ProcessingArguments.fromParams(Export.params + "segment=1.0s/overlap0.0s raw=none"))
    let atPauses = Export.params + "segment=2.0s/overlap0.0s speech=at-pauses/webrtc3/30ms/threshold0.5/min0.25s/maxinfs/silence0.1s/pad0.03s/smooth5/search10.0s raw=none"
    #expect(ProcessingArguments.fromParams(atPauses) != nil)
  }

  // MARK: H2: what `manifest merge -o` may write over

  /// The exit status of `audioprep manifest merge arguments`.
  static func merge(_ arguments: [String]) throws -> Int32 {
    do {
      var command = try ManifestMergeCommand.parse(arguments)
      try command.run()
      return 0
    } catch let exit as ExitCode {
      return exit.rawValue
    }
  }

  /// The scratch batch's manifest `out/manifest.jsonl`, its paths absolute (the tests' current
  /// directory is not the batch's): its path.
  static func absoluteManifest(_ scratch: Export.Scratch) throws -> String {
    let root = scratch.directory.path
    let records = try [Export.record("spk1/a.wav"), Export.record("spk2/b.flac", segmented: true)].map { record in
      var record = record
      record.input = "\(root)/\(record.input)"
      record.output = record.output.map { "\(root)/\($0)" }
      // As batch records them: the hashes of the input's and the output's bytes.
      record.inputHash = Export.fnv1a(try Data(contentsOf: URL(fileURLWithPath: record.input)))
      record.outputHash = try record.output.map { Export.fnv1a(try Data(contentsOf: URL(fileURLWithPath: $0))) }
      return record
    }
    try scratch.file("out/manifest.jsonl", records.map { $0.json.encoded + "\n" }.joined())
    return "\(root)/out/manifest.jsonl"
  }

  /// `manifest merge -o` protects what `manifest export` protects, `--force` or not: an input,
  /// its transcript, an output, a segment file its segments list names (73, the file as it
  /// was), and never creates an input's STEM.txt
  /// (review H2). An earlier merged manifest it was not given is still replaced with `--force`.
  /// A directory given to merge (the out-dir, by mistake) is 66 naming it, as export refuses
  /// it: merge wrote an empty manifest and exited 0 ("0 inputs from 1 manifests"), so a cluster's
  /// merge step looked like it succeeded (hostile review of #21). A missing one is 66 too.
  @Test func mergeRefusesADirectoryOrAMissingManifest() throws {
    let scratch = try Export.Scratch()
    defer { scratch.remove() }
    let root = scratch.directory.path
    try FileManager.default.createDirectory(atPath: root + "/out1", withIntermediateDirectories: true)
    #expect(try Self.merge([root + "/out1", "-o", root + "/m.jsonl"]) == 66)
    #expect(!FileManager.default.fileExists(atPath: root + "/m.jsonl"), "nothing written")
    #expect(try Self.merge([root + "/nothing-here.jsonl", "-o", root + "/m.jsonl"]) == 66)
    #expect(!FileManager.default.fileExists(atPath: root + "/m.jsonl"), "nothing written")
  }

  @Test func mergeNeverWritesOverAFileOfTheBatch() throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    let root = scratch.directory.path
    let manifest = try Self.absoluteManifest(scratch)
    try scratch.file("corpus/spk1/a.wav", "RIFF")
    try scratch.file("out/spk1/a.wav", "RIFF")
    for force in [false, true] {
      for target in [
        "corpus/spk1/a.wav", "corpus/spk1/a.txt", "out/spk1/a.wav", "out/spk2/b.segments.jsonl", "out/spk2/b_0001.wav",
        "corpus/spk2/b.txt",
      ] {
        let path = "\(root)/\(target)"
        let before = try? Data(contentsOf: URL(fileURLWithPath: path))
        #expect(try Self.merge([manifest, "-o", path] + (force ? ["--force"] : [])) == 73, "\(target) force \(force)")
        #expect((try? Data(contentsOf: URL(fileURLWithPath: path))) == before, "\(target) force \(force)")
      }
    }
    #expect(try Self.merge([manifest, "-o", "\(root)/merged.jsonl"]) == 0)
    // A file of unsharded records may be a batch's own manifest: never replaced, --force or not
    // (review33n H2; an earlier merge of shards, records of two shards or more, is replaced with
    // --force: WriteSafetyTests.testAMergeReplacesOnlyAnEarlierMerge).
    try FileManager.default.copyItem(atPath: manifest, toPath: "\(root)/earlier.jsonl")
    #expect(try Self.merge([manifest, "-o", "\(root)/earlier.jsonl"]) == 73)
    #expect(try Self.merge([manifest, "-o", "\(root)/earlier.jsonl", "--force"]) == 73)
  }

  // MARK: W1: a merged manifest is a manifest

  /// Records of a corpus batched in two shards.
  static func shardRecords() -> [ManifestRecord] {
    ["spk1/a.wav", "spk1/b.wav", "spk2/c.wav", "spk2/d.wav"].enumerated().map { index, relative in
      var record = Export.record(relative)
      record.shard = Shard(argument: "\(index % 2)/2")
      (record.corpusInputs, record.shardInputs) = (4, 2)
      return record
    }
  }

  /// What `manifest merge` writes (every shard's records in one file) merges and exports
  /// again without a word: no "a shard 1/2 record in … the manifest of shard 0/2", no shard
  /// "with no manifest" (review W1).
  @Test func aMergedManifestMergesAgainWithoutProblems() {
    let merged = ManifestMerge([("out/manifest.jsonl", .init(records: Self.shardRecords()))])
    #expect(merged.problems.map { "\($0.path): \($0.message)" } == [])
    #expect(merged.records.count == 4)
    // With the shards' own manifests too, each input is there twice.
    let shard0 = Self.shardRecords().filter { $0.shard?.index == 0 }
    let twice = ManifestMerge([("out/manifest.jsonl", .init(records: Self.shardRecords())), ("out/manifest.0-of-2.jsonl", .init(records: shard0))])
    #expect(twice.problems.contains { $0.message.hasPrefix("duplicated") })
  }

  /// A record of another shard in a shard's manifest is still misplaced (65), and a shard's
  /// manifest short of inputs still short.
  @Test func aShardsManifestWithAnotherShardsRecordIsStillAProblem() {
    var records = Self.shardRecords().filter { $0.shard?.index == 0 }
    records.append(Self.shardRecords()[1])
    let merge = ManifestMerge([("out/manifest.0-of-2.jsonl", .init(records: records))])
    #expect(merge.problems.contains { $0.message == "a shard 1/2 record in out/manifest.0-of-2.jsonl, the manifest of shard 0/2" })
    let short = ManifestMerge([("m.jsonl", .init(records: Array(Self.shardRecords().prefix(3))))])
    #expect(!short.problems.isEmpty)
  }

  // MARK: W4: paths no batch writes

  /// An `output` that is not the batch's mirror of its `relative_path` (`OUT/DIR/STEM.EXT`,
  /// reached through `..` or elsewhere), and a `relative_path` that is absolute or holds `..`,
  /// `.` or an empty name are nothing a batch writes: 65 naming the manifest and the line,
  /// never exported (review W4).
  @Test(arguments: [
    ("output", "out/spk1/../../../../etc/hostname"), ("output", "/etc/hostname"), ("output", "out/spk2/a.wav"),
    ("relative_path", "../../etc/a.wav"), ("relative_path", "/etc/a.wav"), ("relative_path", "spk1/./a.wav"),
    ("relative_path", "spk1//a.wav"),
  ])
  func aPathNoBatchWritesIsDamaged(key: String, value: String) throws {
    var records = Export.records
    if key == "output" { records[0].output = value } else { records[0].relativePath = value }
    let scratch = try Export.Scratch()
    defer { scratch.remove() }
    try scratch.file("manifest.jsonl", records.map { $0.json.encoded + "\n" }.joined())
    let path = scratch.directory.appendingPathComponent("manifest.jsonl").path
    let good = ManifestFile.Contents(records: ManifestRecordTrustTests.hashed(Array(Export.records.suffix(2))))
    let failure = #expect(throws: CommandFailure.self) {
      try ManifestExportCommand.merged([("o/m0.jsonl", good), (path, try ManifestFile.read(path))])
    }
    #expect(failure?.code == 65)
    #expect(failure?.path == path)
    #expect(failure?.message.hasPrefix("line 1 is damaged: ") == true, "\(failure?.message ?? "")")
  }

  /// What batch writes passes: an `--out-dir` reached through `..`, a segments list.
  @Test func thePathsBatchWritesPass() throws {
    var records = Export.records
    records[0].output = "../elsewhere/out/spk1/a.wav"
    _ = try ManifestExportCommand.merged([("m.jsonl", .init(records: ManifestRecordTrustTests.hashed(records)))])
  }

  // MARK: W2: one export into a directory at a time

  /// The exit status of `audioprep manifest export arguments`.
  static func export(_ arguments: [String]) throws -> Int32 {
    do {
      var command = try ManifestExportCommand.parse(arguments)
      try command.run()
      return 0
    } catch let exit as ExitCode {
      return exit.rawValue
    }
  }

  /// A directory format's export takes DEST's lock before it looks at what is there, and lands
  /// its files while it holds it: while another holds it (here the test), nothing of it lands;
  /// then all of it does. Two `--force` exports into one directory land one after the other,
  /// each whole (review W2).
  @Test func anExportIntoADirectoryWaitsForTheOneLandingThere() async throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    let manifest = try Self.absoluteManifest(scratch)
    let destination = scratch.directory.appendingPathComponent("data").path
    try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
    let held = open(destination, O_RDONLY | O_DIRECTORY)
    #expect(flock(held, LOCK_EX) == 0)
    let export = Task.detached { try Self.export(["--to", "kaldi", manifest, "-o", destination, "--force", "-q"]) }
    try await Task.sleep(for: .milliseconds(300))
    #expect(!FileManager.default.fileExists(atPath: destination + "/wav.scp"), "landed while another export held DEST")
    close(held)
    #expect(try await export.value == 0)
    #expect(FileManager.default.fileExists(atPath: destination + "/wav.scp"))
  }

  /// A Kaldi data directory holding what recipes compute from its audio (`feats.scp`,
  /// `cmvn.scp`, …) is not exported over, `--force` or not (73, naming them): they would name
  /// the earlier utterances (review31m W8: `--force` kept a stale `feats.scp`). Nothing written.
  @Test func aKaldiDirectoryWithFeaturesIsNotExportedOver() throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    let manifest = try Self.absoluteManifest(scratch)
    let destination = scratch.directory.appendingPathComponent("data").path
    #expect(try Self.export(["--to", "kaldi", manifest, "-o", destination, "-q"]) == 0)
    let before = try String(contentsOfFile: destination + "/wav.scp", encoding: .utf8)
    try "a /data/mfcc/raw.1.ark:10\n".write(toFile: destination + "/feats.scp", atomically: false, encoding: .utf8)
    for force in [[], ["--force"]] {
      #expect(try Self.export(["--to", "kaldi", manifest, "-o", destination, "-q"] + force) == 73, "\(force)")
    }
    #expect(try String(contentsOfFile: destination + "/wav.scp", encoding: .utf8) == before)

    // (Exported again once feats.scp is gone: a process of its own, as the files this process
    // wrote are its outputs, which it never writes over.)
  }

  /// A DEST that is a symbolic link to a directory is written into, as `batch --out-dir LINK`
  /// writes into the directory it names: the user named the link as the place to write (hostile
  /// review 30m, W4, decided and documented). What is below DEST is never followed (the files
  /// are opened `O_NOFOLLOW` in it), and a link named as a file DEST is refused (73) as before.
  @Test func aDestinationLinkToADirectoryIsWrittenInto() throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    let root = scratch.directory.path
    let manifest = try Self.absoluteManifest(scratch)
    try FileManager.default.createDirectory(atPath: root + "/real", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: "real")
    #expect(try Self.export(["--to", "kaldi", manifest, "-o", root + "/link", "-q"]) == 0)
    #expect(FileManager.default.fileExists(atPath: root + "/real/wav.scp"))
    try FileManager.default.createSymbolicLink(atPath: root + "/x.csv", withDestinationPath: "real/wav.scp")
    #expect(try Self.export(["--to", "csv", manifest, "-o", root + "/x.csv", "-q"]) == 73)
  }

  // MARK: W3: outputs changed since the batch

  /// The hash batch records of a file's bytes.
  static func hash(_ scratch: Export.Scratch, _ path: String) throws -> String {
    try ContentHash.ofFile(at: scratch.directory.appendingPathComponent(path).path).description
  }

  /// A record whose output (a file, or a segments list), a segment file its list names, or
  /// (offsets) its input no longer holds the bytes recorded is stale: its durations may be
  /// another file's. 66 naming it, not exported (review W3).
  @Test func anOutputChangedSinceTheBatchIsNotExported() throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    try scratch.write("out/spk1/a.wav", Export.wav(frames: 40_000))
    try scratch.file("corpus/spk2/b.flac")
    var records = Array(Export.records.prefix(2))
    records[0].outputHash = try Self.hash(scratch, "out/spk1/a.wav")
    records[1].outputHash = try Self.hash(scratch, "out/spk2/b.segments.jsonl")
    records[1].inputHash = try Self.hash(scratch, "corpus/spk2/b.flac")
    var offsets = scratch.options
    offsets.segments = .offsets
    _ = try ExportCorpus(records: records, options: scratch.options)
    _ = try ExportCorpus(records: records, options: offsets)
    func failure(_ options: ExportOptions) -> CommandFailure? {
      #expect(throws: CommandFailure.self) { try ExportCorpus(records: records, options: options) }
    }
    try scratch.write("out/spk1/a.wav", Export.wav(frames: 48_000))
    #expect(failure(scratch.options).map { [$0.path, String($0.code)] } == ["out/spk1/a.wav", "66"])
    try scratch.write("out/spk1/a.wav", Export.wav(frames: 40_000))  // the bytes recorded, back
    try scratch.file("out/spk2/b.segments.jsonl", Export.sidecar + "\n")
    #expect(failure(scratch.options).map { [$0.path, String($0.code)] } == ["out/spk2/b.segments.jsonl", "66"])
    try scratch.file("out/spk2/b.segments.jsonl", Export.sidecar)
    try scratch.file("out/spk2/b_0001.wav", "cut short")
    let segment = failure(scratch.options)
    #expect(segment?.path.hasSuffix("out/spk2/b_0001.wav") == true && segment?.code == 66, "\(String(describing: segment))")
    try scratch.file("corpus/spk2/b.flac", "fLaC, another take")
    #expect(failure(offsets).map { [$0.path, String($0.code)] } == ["corpus/spk2/b.flac", "66"])
  }
}
