import AudioPrepCommands
import DSP
import Glibc
import Testing

/// Manifest records as lines, and `manifest merge`'s checks over shard manifests.
@Suite struct ManifestRecordTests {
  static func fullRecord() -> ManifestRecord {
    var record = ManifestRecord(
      input: "corpus/a b/talk.flac", relativePath: "a b/talk.flac", output: "out/a b/talk.wav", status: .ok,
      params: "rate=16000 gain=1.5", shard: Shard(argument: "1/3"), corpusInputs: 10, shardInputs: 4)
    record.error = nil
    record.inputRateHz = 44100
    record.inputChannels = 2
    record.inputFrames = 441_000
    record.outputFrames = 160_000
    record.durationSeconds = 10
    record.clippedSamples = 3
    record.droppedChunks = 0
    record.truncation = "announced 10 s, held 9 s"
    record.repairedSamples = 1
    record.wallSeconds = 0.25
    record.inputHash = "0123456789abcdef"
    record.outputHash = "fedcba9876543210"
    return record
  }

  @Test func writesEveryKeyInItsOrder() {
    #expect(
      Self.fullRecord().json.encoded
        == #"{"input":"corpus/a b/talk.flac","relative_path":"a b/talk.flac","output":"out/a b/talk.wav","#
        + #""status":"ok","error":null,"input_rate_hz":44100,"input_channels":2,"input_frames":441000,"#
        + #""output_frames":160000,"duration_s":10.0,"clipped_samples":3,"dropped_chunks":0,"#
        + #""truncation":"announced 10 s, held 9 s","repaired_samples":1,"wall_s":0.25,"#
        + #""input_hash":"0123456789abcdef","output_hash":"fedcba9876543210","params":"rate=16000 gain=1.5","#
        + #""shard":"1/3","corpus_inputs":10,"shard_inputs":4}"#)
  }

  /// `--measure-loudness` and `--loudness` add their keys after the others; silence (−inf) is
  /// null and reads back as −inf; without them there are no such keys (`writesEveryKeyInItsOrder`).
  @Test func loudnessFieldsSurviveARoundTrip() throws {
    var record = Self.fullRecord()
    record.inputLoudness = Loudness(integratedLUFS: -21.0453, rangeLU: 3.2, truePeakDBTP: -3.1621, samplePeakDBFS: -3.2353)
    record.outputLoudness = Loudness(integratedLUFS: -.infinity, rangeLU: 0, truePeakDBTP: -.infinity, samplePeakDBFS: -.infinity)
    record.normalizationGainDB = -2.126
    record.normalizationShortfallDB = nil
    let encoded = record.json.encoded
    #expect(encoded.hasSuffix(
      #""input_integrated_lufs":-21.045,"input_range_lu":3.2,"input_true_peak_dbtp":-3.162,"input_sample_peak_dbfs":-3.235,"#
      + #""output_integrated_lufs":null,"output_range_lu":0.0,"output_true_peak_dbtp":null,"output_sample_peak_dbfs":null,"#
      + #""normalization_gain_db":-2.126,"normalization_shortfall_db":null}"#))
    let again = try #require(ManifestRecord(try JSONLine(parsing: encoded)))
    #expect(again.inputLoudness?.integratedLUFS == -21.045)
    #expect(again.outputLoudness?.integratedLUFS == -.infinity)
    #expect(again.normalizationGainDB == -2.126)
    #expect(again.normalizationShortfallDB == nil)
  }

  @Test func aRecordSurvivesARoundTrip() throws {
    let record = Self.fullRecord()
    let again = try #require(ManifestRecord(try JSONLine(parsing: record.json.encoded)))
    #expect(again == record)
    var failed = ManifestRecord(
      input: "x.wav", relativePath: "x.wav", output: nil, status: .failed, params: "p", shard: nil,
      corpusInputs: 1, shardInputs: 1)
    failed.error = "not audio"
    #expect(ManifestRecord(try JSONLine(parsing: failed.json.encoded)) == failed)
  }

  @Test func secondsAreRoundedToMicroseconds() throws {
    var record = Self.fullRecord()
    record.durationSeconds = 1.23456789
    record.wallSeconds = 0.0000004
    let again = try #require(ManifestRecord(try JSONLine(parsing: record.json.encoded)))
    #expect(again.durationSeconds == 1.234568)
    #expect(again.wallSeconds == 0)
  }

  @Test(arguments: [
    #"{"relative_path":"a","status":"ok","params":"p","corpus_inputs":1,"shard_inputs":1}"#,  // no input
    #"{"input":"a","relative_path":"a","status":"done","params":"p","corpus_inputs":1,"shard_inputs":1}"#,
    #"{"input":"a","relative_path":"a","status":"ok","params":"p","corpus_inputs":"1","shard_inputs":1}"#,
    #"{"input":"a","relative_path":"a","status":"ok","params":"p","corpus_inputs":1,"shard_inputs":1,"shard":"2/2"}"#,
  ])
  func refusesALineWithoutARequiredKey(text: String) throws {
    #expect(ManifestRecord(try JSONLine(parsing: text)) == nil)
  }
}

@Suite struct ManifestMergeTests {
  static func record(_ relative: String, shard: String?, corpus: Int, inShard: Int) -> ManifestRecord {
    ManifestRecord(
      input: "in/" + relative, relativePath: relative, output: "out/" + relative, status: .ok, params: "p",
      shard: shard.flatMap(Shard.init(argument:)), corpusInputs: corpus, shardInputs: inShard)
  }

  static func merge(_ manifests: [(String, [ManifestRecord])]) -> ManifestMerge {
    ManifestMerge(manifests.map { (path: $0.0, contents: ManifestFile.Contents(records: $0.1)) })
  }

  static func problems(_ merge: ManifestMerge) -> [String] {
    merge.problems.map { "\($0.path): \($0.message) [\($0.code)]" }
  }

  @Test func completeShardsMergeInRelativePathOrder() {
    let merge = Self.merge([
      ("m0.jsonl", [Self.record("c", shard: "0/2", corpus: 3, inShard: 2), Self.record("a", shard: "0/2", corpus: 3, inShard: 2)]),
      ("m1.jsonl", [Self.record("b", shard: "1/2", corpus: 3, inShard: 1)]),
    ])
    #expect(Self.problems(merge) == [])
    #expect(merge.records.map(\.relativePath) == ["a", "b", "c"])
    #expect(merge.shardCount == 2)
    #expect(merge.summary(manifestCount: 2) == "3 inputs from 2 manifests (2 shards): 3 ok, 0 skipped, 0 failed")
  }

  @Test func aRerunWithinOneManifestReplacesTheEarlierLine() {
    var failed = Self.record("a", shard: nil, corpus: 1, inShard: 1)
    failed.status = .failed
    let merge = Self.merge([("m.jsonl", [failed, Self.record("a", shard: nil, corpus: 1, inShard: 1)])])
    #expect(Self.problems(merge) == [])
    #expect(merge.records.map(\.status) == [.ok])
  }

  @Test func anInputInTwoManifestsIsADuplicate() {
    let merge = Self.merge([
      ("one.jsonl", [Self.record("a", shard: nil, corpus: 1, inShard: 1)]),
      ("two.jsonl", [Self.record("a", shard: nil, corpus: 1, inShard: 1)]),
    ])
    #expect(Self.problems(merge) == ["a: duplicated: in one.jsonl and in two.jsonl [65]"])
    #expect(merge.records.count == 1)
  }

  @Test func missingInputsAndAMissingShardAreNamed() {
    let merge = Self.merge([("m0.jsonl", [Self.record("a", shard: "0/2", corpus: 3, inShard: 2)])])
    #expect(
      Self.problems(merge) == [
        "m0.jsonl: shard 0/2: 1 of 2 inputs missing [65]",
        "shard 1/2: no manifest given: its inputs are missing [65]",
        "manifest merge: 2 of 3 inputs missing [65]",
      ])
  }

  /// One input, two shards: shard 1's manifest is empty, and only its name says which it is.
  @Test func anEmptyShardManifestIsKnownByItsFileName() {
    let first = ("out/manifest.0-of-2.jsonl", [Self.record("a", shard: "0/2", corpus: 1, inShard: 1)])
    let complete = Self.merge([first, ("out/manifest.1-of-2.jsonl", [])])
    #expect(Self.problems(complete) == [])
    #expect(complete.shardCount == 2)
    // Unnamed, it is no shard's; shard 1 held no input, and every input is there: no problem
    // (review33m C1: a shard of no input need not be given).
    let unnamed = Self.merge([first, ("out/empty.jsonl", [])])
    #expect(Self.problems(unnamed) == [])
    #expect(Self.problems(Self.merge([first])) == [])
    // A name of another shard count is refused (the one problem: index 1 counts as seen).
    let wrongCount = Self.merge([first, ("out/manifest.1-of-3.jsonl", [])])
    #expect(
      Self.problems(wrongCount) == ["out/manifest.1-of-3.jsonl: is shard 1/3, but another manifest has 2 shards [65]"])
  }

  @Test func aRecordOfAnotherShardIsNamed() {
    // m0.jsonl holds every input of both shards: it is a merged manifest (review19c W1), which
    // m1.jsonl's shard is given twice beside.
    let merged = Self.merge([
      ("m0.jsonl", [
        Self.record("a", shard: "0/2", corpus: 3, inShard: 2), Self.record("b", shard: "1/2", corpus: 3, inShard: 1),
        Self.record("c", shard: "0/2", corpus: 3, inShard: 2),
      ]),
      ("m1.jsonl", [Self.record("b", shard: "1/2", corpus: 3, inShard: 1)]),
    ])
    #expect(
      Self.problems(merged) == ["m1.jsonl: is shard 1/2, and so is m0.jsonl [65]", "b: duplicated: in m0.jsonl and in m1.jsonl [65]"])
    // Named as shard 0's, it is shard 0's manifest, with a record of shard 1 in it.
    let merge = Self.merge([
      ("manifest.0-of-2.jsonl", [
        Self.record("a", shard: "0/2", corpus: 3, inShard: 2), Self.record("b", shard: "1/2", corpus: 3, inShard: 1),
        Self.record("c", shard: "0/2", corpus: 3, inShard: 2),
      ]),
      ("manifest.1-of-2.jsonl", [Self.record("b", shard: "1/2", corpus: 3, inShard: 1)]),
    ])
    #expect(
      Self.problems(merge) == [
        "b: a shard 1/2 record in manifest.0-of-2.jsonl, the manifest of shard 0/2 [65]",
        "b: duplicated: in manifest.0-of-2.jsonl and in manifest.1-of-2.jsonl [65]",
      ])
  }

  @Test func twoManifestsOfOneShardAreRefused() {
    let merge = Self.merge([
      ("x.jsonl", [Self.record("a", shard: "0/2", corpus: 2, inShard: 1)]),
      ("y.jsonl", [Self.record("b", shard: "0/2", corpus: 2, inShard: 1)]),
    ])
    // Both inputs are there: shard 1's manifest (of no input) is not missing.
    #expect(Self.problems(merge) == ["y.jsonl: is shard 0/2, and so is x.jsonl [65]"])
  }

  @Test func badLinesAreReported() {
    let merge = ManifestMerge([
      (path: "m.jsonl", contents: ManifestFile.Contents(records: [Self.record("a", shard: nil, corpus: 1, inShard: 1)], badLines: [2, 5]))
    ])
    // One line for the manifest, not one per line (#21 review: 479 lines for a WAV file).
    #expect(Self.problems(merge) == ["m.jsonl: 2 lines are not manifest records (lines 2, 5) [65]"])
  }

  /// A file given as a manifest that holds no record at all (a WAV, a transcript) is one line
  /// naming it, 65, for merge and export alike (`manifest merge talk.wav` printed one line per line).
  @Test func aFileThatIsNoManifestIsOneLine() throws {
    let directory = "/tmp/audioprep-manifest-test-\(getpid())"
    mkdir(directory, 0o755)
    defer { _ = unlink(directory + "/talk.wav"); rmdir(directory) }
    let path = directory + "/talk.wav"
    let bytes: [UInt8] = Array("RIFF\u{0}\u{0}\u{0}\u{0}WAVEfmt \n\u{1}\u{2}\nmore\nbytes\n".utf8)
    let file = fopen(path, "w")!
    fwrite(bytes, 1, bytes.count, file)
    fclose(file)
    do {
      _ = try ManifestFile.read(path, streams: true)
      Issue.record("read as a manifest")
    } catch let failure as CommandFailure {
      #expect("\(failure.path): \(failure.message) [\(failure.code)]" == "\(path): is not a manifest: none of its 4 lines is a manifest record [65]")
    }
  }
}
