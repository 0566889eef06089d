import Foundation
import TestSupport
import XCTest

/// `audioprep batch` on a generated corpus: statuses, exit codes, resume, shards, interruption.
final class BatchCommandTests: XCTestCase {
  var directory = ""
  var corpus: TestCorpus!

  override func setUpWithError() throws {
    directory = try scratchDirectory(self)
    corpus = try TestCorpus(at: directory + "/corpus")
  }

  var out: String { directory + "/out" }
  var manifest: String { out + "/manifest.jsonl" }

  func batch(_ arguments: [String], stdin: Data? = nil) throws -> CommandResult {
    try audioprep(["batch"] + arguments, in: directory, stdin: stdin)
  }

  /// The records of the last run: after a completed run the manifest holds one record per
  /// input, the latest (#10: it used to grow by one line per input per run).
  func lastRunRecords(_ path: String) throws -> [[String: Any]] {
    let records = try manifestRecords(path)
    XCTAssertEqual(Set(records.compactMap { $0["relative_path"] as? String }).count, records.count, "one record per input")
    return records
  }

  /// review49 W03: every ok record said `"wall_s":0.0` (the time was taken after the record
  /// was appended): a 20 s input resampled with the best converter takes a measurable time.
  func testAnOkRecordSaysHowLongItsInputTook() throws {
    try FileManager.default.createDirectory(atPath: directory + "/long", withIntermediateDirectories: true)
    let made = try bash("sox -n -r 44100 -b 16 -c 2 long/a.wav synth 20 sine 440 vol 0.3", in: directory)
    XCTAssertEqual(made.status, 0, made.stderr)
    let result = try batch(["long", "--out-dir", "out", "--converter", "best", "-q"])
    XCTAssertEqual(result.status, 0, result.stderr)
    let record = try XCTUnwrap(try manifestRecords(manifest).first)
    XCTAssertGreaterThan(try XCTUnwrap(record["wall_s"] as? Double), 0, "\(record)")
  }

  func testCorpusGivesOutputsOneManifestLineEachAndExit65() throws {
    XCTAssertGreaterThanOrEqual(corpus.all.count, 40)
    let result = try batch(["corpus", "--out-dir", "out", "-j", "2"])
    XCTAssertEqual(result.status, 65, result.stderr)

    let records = try manifestRecords(manifest)
    XCTAssertEqual(records.count, corpus.all.count)
    XCTAssertEqual(Set(records.compactMap { $0["relative_path"] as? String }), Set(corpus.all))
    var expected: [String: String] = [:]
    for path in corpus.good { expected[path] = "ok" }
    for path in corpus.bad { expected[path] = "failed" }
    XCTAssertEqual(statuses(records), expected)
    for record in records where record["status"] as? String == "failed" {
      XCTAssertFalse((record["error"] as? String ?? "").isEmpty, "\(record)")
    }

    // One output per good input, mirrored, 16 kHz mono, as long as its input; nothing else.
    let outputs = corpus.good.map { TestCorpus.outputPath($0, in: "") }.map { String($0.dropFirst()) }
    XCTAssertEqual(filesBelow(out), (outputs + ["manifest.jsonl"]).sorted())
    for relative in corpus.good {
      let input = try XCTUnwrap(TestCorpus.info(directory + "/corpus/" + relative))
      let output = try XCTUnwrap(TestCorpus.info(TestCorpus.outputPath(relative, in: out)), relative)
      XCTAssertEqual(output.rate, 16000)
      XCTAssertEqual(output.channels, 1)
      XCTAssertEqual(Double(output.frames), Double(input.frames) * 16000 / Double(input.rate), accuracy: 2, relative)
    }

    // Errors are one line each, then the summary; no progress line when stderr is not a terminal.
    let lines = result.stderrLines
    XCTAssertEqual(lines.count, corpus.bad.count + 1, result.stderr)
    for bad in corpus.bad { XCTAssertTrue(lines.contains { $0.hasPrefix("audioprep: corpus/\(bad): ") }, bad) }
    XCTAssertTrue(lines.last!.hasPrefix("audioprep: batch: \(corpus.all.count) inputs: \(corpus.good.count) ok, 0 skipped, 3 failed"), lines.last!)
  }

  func testRerunSkipsChangedInputAndChangedOptionReprocess() throws {
    XCTAssertEqual(try batch(["corpus", "--out-dir", "out"]).status, 65)
    let outputs = corpus.good.map { TestCorpus.outputPath($0, in: out) }
    let times = outputs.map(modificationTime)

    // Nothing changed: every good input skipped, no output rewritten; failures are retried.
    XCTAssertEqual(try batch(["corpus", "--out-dir", "out"]).status, 65)
    var records = try lastRunRecords(manifest)
    XCTAssertEqual(records.count, corpus.all.count)
    for (path, status) in statuses(records) {
      XCTAssertEqual(status, corpus.bad.contains(path) ? "failed" : "skipped", path)
    }
    XCTAssertEqual(outputs.map(modificationTime), times)

    // One input's content changes (same name, same length): only it is processed again.
    let changed = corpus.good[7]
    let before = try XCTUnwrap(TestCorpus.info(directory + "/corpus/" + changed))
    try TestCorpus.writeTone(
      at: directory + "/corpus/" + changed, format: TestCorpus.formats[7 % 5].format, rate: before.rate,
      channels: before.channels, frames: Int(before.frames), frequencyHz: 1234)
    XCTAssertEqual(try batch(["corpus", "--out-dir", "out"]).status, 65)
    records = try lastRunRecords(manifest)
    for (path, status) in statuses(records) {
      XCTAssertEqual(status, corpus.bad.contains(path) ? "failed" : path == changed ? "ok" : "skipped", path)
    }
    for (output, time) in zip(outputs, times) where output != TestCorpus.outputPath(changed, in: out) {
      XCTAssertEqual(modificationTime(output), time, output)
    }

    // A changed option reprocesses everything.
    XCTAssertEqual(try batch(["corpus", "--out-dir", "out", "--gain", "1"]).status, 65)
    records = try lastRunRecords(manifest)
    for (path, status) in statuses(records) {
      XCTAssertEqual(status, corpus.bad.contains(path) ? "failed" : "ok", path)
    }

    // --force reprocesses everything even when nothing changed.
    XCTAssertEqual(try batch(["corpus", "--out-dir", "out", "--gain", "1", "--force"]).status, 65)
    XCTAssertEqual(try lastRunRecords(manifest).filter { $0["status"] as? String == "ok" }.count, corpus.good.count)
  }

  /// An output directory inside the corpus is not walked, and a rerun that spells the paths
  /// differently still finds everything up to date.
  func testOutputDirectoryInsideTheCorpusIsNotAnInput() throws {
    XCTAssertEqual(try batch(["corpus", "--out-dir", "corpus/out16"]).status, 65)
    let manifest = directory + "/corpus/out16/manifest.jsonl"
    let count = try manifestRecords(manifest).count
    XCTAssertEqual(count, corpus.all.count)
    let rerun = try batch(["./corpus/", "--out-dir", directory + "/corpus/out16/"])
    XCTAssertEqual(rerun.status, 65, rerun.stderr)
    let records = try lastRunRecords(manifest)
    XCTAssertEqual(records.count, corpus.all.count, "no output became an input")
    XCTAssertEqual(records.filter { $0["status"] as? String == "skipped" }.count, corpus.good.count)
  }

  func testDeletedOutputIsMadeAgain() throws {
    XCTAssertEqual(try batch(["corpus", "--out-dir", "out"]).status, 65)
    let victim = TestCorpus.outputPath(corpus.good[3], in: out)
    try FileManager.default.removeItem(atPath: victim)
    XCTAssertEqual(try batch(["corpus", "--out-dir", "out"]).status, 65)
    XCTAssertEqual(statuses(try lastRunRecords(manifest))[corpus.good[3]], "ok")
    XCTAssertNotNil(TestCorpus.info(victim))
  }

  func testOnlyGoodInputsExitZero() throws {
    for bad in corpus.bad { try FileManager.default.removeItem(atPath: directory + "/corpus/" + bad) }
    let result = try batch(["corpus", "--out-dir", "out"])
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
  }

  func testFailFastStopsTakingInputs() throws {
    let result = try batch(["corpus", "--out-dir", "out", "-j", "1", "--fail-fast"])
    XCTAssertEqual(result.status, 65)
    let records = try manifestRecords(manifest)
    XCTAssertEqual(records.last?["status"] as? String, "failed")
    XCTAssertLessThan(records.count, corpus.all.count)
  }

  func testJobsOneAndFourGiveByteIdenticalOutputs() throws {
    XCTAssertEqual(try batch(["corpus", "--out-dir", "one", "-j", "1"]).status, 65)
    XCTAssertEqual(try batch(["corpus", "--out-dir", "four", "-j", "4"]).status, 65)
    let files = filesBelow(directory + "/one").filter { $0.hasSuffix(".wav") }
    XCTAssertEqual(files.count, corpus.good.count)
    XCTAssertEqual(files, filesBelow(directory + "/four").filter { $0.hasSuffix(".wav") })
    for file in files {
      let one = try Data(contentsOf: URL(fileURLWithPath: directory + "/one/" + file))
      let four = try Data(contentsOf: URL(fileURLWithPath: directory + "/four/" + file))
      XCTAssertEqual(one, four, file)
    }
  }

  func testFromListOnStdinAndOutputFormat() throws {
    let list = corpus.good.prefix(5).map { "corpus/" + $0 }.joined(separator: "\n") + "\n"
    let result = try batch(["corpus", "--from-list", "-", "--out-dir", "out", "--format", "flac"], stdin: Data(list.utf8))
    XCTAssertEqual(result.status, 65, result.stderr)  // the directory brings the bad files in too
    XCTAssertEqual(try manifestRecords(manifest).count, corpus.all.count)
    let flacOnly = try batch(["--from-list", "-", "--out-dir", "flac", "--format", "flac"], stdin: Data(list.utf8))
    XCTAssertEqual(flacOnly.status, 0, flacOnly.stderr)
    // Files named relative to the current directory keep their whole relative path.
    let expected = corpus.good.prefix(5).map { "corpus/" + $0 }.map { String(TestCorpus.outputPath($0, in: "").dropFirst().dropLast(4)) + ".flac" }
    XCTAssertEqual(filesBelow(directory + "/flac").filter { $0.hasSuffix(".flac") }, expected.sorted())
  }

  /// A path with ".." is refused (its output could land outside --out-dir); an absolute path
  /// outside every root is mirrored by its whole path (#10: it was refused too).
  func testPathsOutsideTheRootsAreRefused() throws {
    let outside = try scratchDirectory(self)
    try TestCorpus.writeTone(
      at: outside + "/far.wav", format: TestCorpus.formats[0].format, rate: 16000, channels: 1, frames: 1600,
      frequencyHz: 440)
    let list = "corpus/spk0/notes.txt\n../escape.wav\ncorpus/../corpus/\(corpus.good[1])\n\(outside)/far.wav\n"
    try list.write(toFile: directory + "/list.txt", atomically: true, encoding: .utf8)
    let result = try batch(["corpus", "--from-list", "list.txt", "--out-dir", "out"])
    XCTAssertEqual(result.status, 64, result.stderr)
    XCTAssertEqual(result.stderrLines.count, 2, result.stderr)
    XCTAssertTrue(result.stderr.contains("audioprep: ../escape.wav: "), result.stderr)
    XCTAssertFalse(result.stderr.contains("far.wav"), result.stderr)
    XCTAssertFalse(FileManager.default.fileExists(atPath: out), "nothing is written when a path is refused")

    // An absolute path inside a root is fine, and lands below the output directory.
    try "\(directory)/corpus/\(corpus.good[1])\n".write(toFile: directory + "/list.txt", atomically: true, encoding: .utf8)
    let inside = try batch(["corpus", "--from-list", "list.txt", "--out-dir", "out"])
    XCTAssertEqual(inside.status, 65, inside.stderr)
    XCTAssertEqual(try manifestRecords(manifest).count, corpus.all.count)
  }

  /// Quotes, backslashes, a newline and non-ASCII in a file name survive the manifest both ways.
  func testAwkwardFileNamesRoundTripThroughTheManifest() throws {
    let name = "spk0/we\"ird\\na\nme ü.wav"
    try TestCorpus.writeTone(
      at: directory + "/corpus/" + name, format: TestCorpus.formats[0].format, rate: 16000, channels: 1,
      frames: 1600, frequencyHz: 440)
    XCTAssertEqual(try batch(["corpus", "--out-dir", "out"]).status, 65)
    XCTAssertEqual(statuses(try manifestRecords(manifest))[name], "ok")
    XCTAssertNotNil(TestCorpus.info(TestCorpus.outputPath(name, in: out)))
    XCTAssertEqual(try batch(["corpus", "--out-dir", "out"]).status, 65)
    XCTAssertEqual(statuses(try lastRunRecords(manifest))[name], "skipped")
  }

  func testAManifestThatCannotBeWrittenStopsTheBatchWith74() throws {
    let result = try batch(["corpus", "--out-dir", "out", "--manifest", "/dev/full", "-j", "1"])
    XCTAssertEqual(result.status, 74, result.stderr)
    XCTAssertTrue(result.stderr.contains("audioprep: /dev/full: cannot append to the manifest: "), result.stderr)
    XCTAssertLessThanOrEqual(filesBelow(out).count, 2, "the batch stops instead of processing unrecorded inputs")
  }

  func testUsageErrors() throws {
    XCTAssertEqual(try batch(["--out-dir", "out"]).status, 64)
    XCTAssertEqual(try batch(["corpus"]).status, 64)
    XCTAssertEqual(try batch(["corpus", "--out-dir", "out", "-o", "x.wav"]).status, 64)
    XCTAssertEqual(try batch(["corpus", "--out-dir", "out", "-j", "0"]).status, 64)
    XCTAssertEqual(try batch(["corpus", "--out-dir", "out", "--shard", "3/3"]).status, 64)
    XCTAssertEqual(try batch(["corpus", "--out-dir", "out", "--rate", "0"]).status, 64)
    XCTAssertFalse(FileManager.default.fileExists(atPath: out))
  }
}

extension BatchCommandTests {
  /// review40 G10: two batches on one --out-dir, `col/x.wav` then `col/x.flac`: the second
  /// replaced the first's `out/col/x.wav` without --force, exit 0, and the manifest held two
  /// `ok` records for one output. The clash within one run was already refused; across runs the
  /// manifest's record names the owner: that input fails, with the ways out; --force replaces it.
  func testAnInputThatWouldReplaceAnEarlierRunsOutputOfAnotherInputIsRefused() throws {
    let collection = directory + "/col"
    try FileManager.default.createDirectory(atPath: collection, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: fixtures + "/speech.wav", toPath: collection + "/x.wav")
    try FileManager.default.copyItem(atPath: fixtures + "/mono16k.wav", toPath: collection + "/x.flac.wav")
    // A FLAC of other audio, named like the WAV.
    let flac = try audioprep([collection + "/x.flac.wav", "-o", collection + "/x.flac"], in: directory)
    XCTAssertEqual(flac.status, 0, flac.stderr)
    try FileManager.default.removeItem(atPath: collection + "/x.flac.wav")
    let first = try batch(["col/x.wav", "--out-dir", "out", "-q"])
    XCTAssertEqual(first.status, 0, first.stderr)
    let written = readWholeFile(out + "/col/x.wav")
    let second = try batch(["col/x.flac", "--out-dir", "out", "-q"])
    XCTAssertEqual(second.status, 65, second.stderr)  // an input failed (its record says 73), as a clash within one run
    XCTAssertTrue(second.stderr.contains("already the output of col/x.wav"), second.stderr)
    XCTAssertTrue(readWholeFile(out + "/col/x.wav") == written, "the first run's output was replaced")
    let forced = try batch(["col/x.flac", "--out-dir", "out", "-q", "--force"])
    XCTAssertEqual(forced.status, 0, forced.stderr)
    XCTAssertFalse(readWholeFile(out + "/col/x.wav") == written, "--force replaces it")
  }
}

extension BatchCommandTests {
  /// review43 H05: two corpora batched into one --out-dir, one cut into segments (`c1/x.wav`:
  /// `out/x_0000.wav` …), the other's input named as one of them (`c2/x_0000.wav`, written
  /// whole): the second batch replaced the first's output, whichever ran first, exit 0, and the
  /// first's list and record described the other's audio. As within one run (a whole output
  /// with a segment's name fails), the manifest's records name the owner across runs: that
  /// input fails, the file stays; --force replaces it.
  func testAnInputWhoseOutputsWouldReplaceAnEarlierRunsSegmentsOrWholeOutputIsRefused() throws {
    for wholeFirst in [false, true] {
      try? FileManager.default.removeItem(atPath: out)
      for corpus in ["c1", "c2"] {
        try? FileManager.default.removeItem(atPath: directory + "/" + corpus)
        try FileManager.default.createDirectory(atPath: directory + "/" + corpus, withIntermediateDirectories: true)
      }
      try FileManager.default.copyItem(atPath: fixtures + "/speech.wav", toPath: directory + "/c1/x.wav")
      try FileManager.default.copyItem(atPath: fixtures + "/mono16k.wav", toPath: directory + "/c2/x_0000.wav")
      let segmented = ["c1", "--out-dir", "out", "--segment", "1s", "-q"]
      let whole = ["c2", "--out-dir", "out", "-q"]
      let (first, second) = wholeFirst ? (whole, segmented) : (segmented, whole)
      let label = wholeFirst ? "the whole output first" : "the segments first"
      let done = try batch(first)
      XCTAssertEqual(done.status, 0, "\(label): \(done.stderr)")
      let written = readWholeFile(out + "/x_0000.wav")
      let refused = try batch(second)
      XCTAssertEqual(refused.status, 65, "\(label): \(refused.stderr)")
      let owner = wholeFirst ? "c2/x_0000.wav" : "c1/x.wav"
      XCTAssertTrue(refused.stderr.contains(owner) && refused.stderr.contains("out/x_0000.wav"), "\(label): \(refused.stderr)")
      XCTAssertTrue(readWholeFile(out + "/x_0000.wav") == written, "\(label): the first batch's out/x_0000.wav was replaced")
      let lines = try String(contentsOfFile: out + "/manifest.jsonl", encoding: .utf8).split(separator: "\n")
      let records = try lines.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], label) }
      let record = try XCTUnwrap(records.last { $0["relative_path"] as? String == (wholeFirst ? "x.wav" : "x_0000.wav") }, label)
      XCTAssertEqual(record["status"] as? String, "failed", label)
      let forced = try batch(second + ["--force"])
      XCTAssertEqual(forced.status, 0, "\(label): \(forced.stderr)")
      XCTAssertFalse(readWholeFile(out + "/x_0000.wav") == written, "\(label): --force replaces it")
    }
  }
}

extension BatchCommandTests {
  /// review44 H06: `x.wav` cut into segments and `x_0000.wav` kept whole (--segment-longer-only)
  /// fail the latter "rather than written over it or under it", whatever x's length; run as
  /// shards, the pair in different shards, whichever ran second replaced the other's file, both
  /// exit 0. The clash is decided on the whole listing, as the extension clash is: the shard
  /// that holds `x_0000.wav` fails it, in either order, and x's segment stays.
  func testASegmentNameClashIsFoundAcrossShards() throws {
    for order in [[0, 1], [1, 0]] {
      try? FileManager.default.removeItem(atPath: out)
      try? FileManager.default.removeItem(atPath: directory + "/c")
      try FileManager.default.createDirectory(atPath: directory + "/c", withIntermediateDirectories: true)
      try FileManager.default.copyItem(atPath: fixtures + "/speech.wav", toPath: directory + "/c/x.wav")
      try FileManager.default.copyItem(atPath: fixtures + "/mono16k.wav", toPath: directory + "/c/x_0000.wav")
      var statuses: [Int32] = []
      for shard in order {
        let result = try batch(["c", "--out-dir", "out", "--segment", "3s", "--segment-longer-only", "--shard", "\(shard)/2", "-q"])
        statuses.append(result.status)
        if result.status != 0 {
          XCTAssertTrue(result.stderr.contains("c/x_0000.wav: its whole output out/x_0000.wav has the name of a segment of c/x.wav"), result.stderr)
        }
      }
      XCTAssertEqual(statuses.sorted(), [0, 65], "shards \(order): one shard fails x_0000.wav")
      let sidecar = try String(contentsOfFile: out + "/x.segments.jsonl", encoding: .utf8)
      let listed = try XCTUnwrap(sidecar.split(separator: "\n").first.flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
      XCTAssertEqual(listed["file"] as? String, "x_0000.wav")
      let hash = try XCTUnwrap(listed["hash"] as? String)
      let fnv = readWholeFile(out + "/x_0000.wav").reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
      XCTAssertEqual(hash, "fnv1a64:" + String(format: "%016llx", fnv), "shards \(order): x's segment x_0000.wav was replaced")
    }
  }

  /// review44 H05: a second corpus batched as shards into the same --out-dir dropped every record
  /// of the first from the shard manifests (`manifest.K-of-N.jsonl`), exit 0: a shard's run keeps
  /// only its own inputs of its corpus, and took the other corpus's records for its own moved to
  /// another shard. Records of inputs outside the corpus stay, as they do unsharded.
  func testAnotherCorpusesRecordsStayInTheShardManifests() throws {
    for (corpus, names) in [("c1", ["p1", "p2", "p3"]), ("c2", ["q1", "q2", "q3"])] {
      try FileManager.default.createDirectory(atPath: directory + "/" + corpus, withIntermediateDirectories: true)
      for name in names { try FileManager.default.copyItem(atPath: fixtures + "/mono16k.wav", toPath: directory + "/\(corpus)/\(name).wav") }
    }
    func inputs() throws -> [String] {
      try (0..<2).flatMap { shard in
        try String(contentsOfFile: out + "/manifest.\(shard)-of-2.jsonl", encoding: .utf8).split(separator: "\n").map {
          try XCTUnwrap((try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["input"] as? String)
        }
      }.sorted()
    }
    for corpus in ["c1", "c2"] {
      for shard in 0..<2 {
        let result = try batch([corpus, "--out-dir", "out", "--shard", "\(shard)/2", "-q"])
        XCTAssertEqual(result.status, 0, result.stderr)
      }
    }
    XCTAssertEqual(try inputs(), ["c1/p1.wav", "c1/p2.wav", "c1/p3.wav", "c2/q1.wav", "c2/q2.wav", "c2/q3.wav"])
    // A rerun of the first corpus keeps the second's.
    for shard in 0..<2 { XCTAssertEqual(try batch(["c1", "--out-dir", "out", "--shard", "\(shard)/2", "-q"]).status, 0) }
    XCTAssertEqual(try inputs(), ["c1/p1.wav", "c1/p2.wav", "c1/p3.wav", "c2/q1.wav", "c2/q2.wav", "c2/q3.wav"])
  }
}

extension BatchCommandTests {
  /// review44 H01: the clash between two corpora in one --out-dir was looked for only in the
  /// manifest the run appends to: under another --manifest, or a shard's manifest beside the
  /// unsharded one, corpus 2 replaced corpus 1's segment or output, exit 0. The segments list
  /// in DIR says whose a segment is (its hash and source), and the manifests batches keep in DIR
  /// are all read for owners: the input fails, the file stays.
  func testAClashIsFoundWhicheverManifestTheOtherCorpusUsed() throws {
    func corpus(_ name: String, _ files: [(String, String)]) throws {
      try FileManager.default.createDirectory(atPath: directory + "/" + name, withIntermediateDirectories: true)
      for (fixture, file) in files { try FileManager.default.copyItem(atPath: fixtures + "/" + fixture, toPath: directory + "/\(name)/\(file)") }
    }
    try corpus("c1", [("speech.wav", "x.wav")])
    try corpus("c2", [("mono16k.wav", "x_0000.wav")])
    try corpus("d1", [("speech.wav", "a.wav")])
    try corpus("d2", [("mono16k.wav", "a.flac.wav")])
    let flac = try audioprep([directory + "/d2/a.flac.wav", "-o", directory + "/d2/a.flac"], in: directory)
    XCTAssertEqual(flac.status, 0, flac.stderr)
    try FileManager.default.removeItem(atPath: directory + "/d2/a.flac.wav")
    let cases: [(label: String, first: [String], second: [String], file: String)] = [
      ("segments under --manifest m1, then whole under m2", ["c1", "--segment", "1s", "--manifest", "m1.jsonl"], ["c2", "--manifest", "m2.jsonl"], "x_0000.wav"),
      ("segments as shard 0/1, then whole", ["c1", "--segment", "1s", "--shard", "0/1"], ["c2"], "x_0000.wav"),
      ("whole, then segments as shard 0/1", ["c2"], ["c1", "--segment", "1s", "--shard", "0/1"], "x_0000.wav"),
      ("a.wav as shard 0/1, then a.flac", ["d1", "--shard", "0/1"], ["d2"], "a.wav"),
    ]
    for (index, (label, first, second, file)) in cases.enumerated() {
      let outDir = "out\(index)"
      let done = try batch(first + ["--out-dir", outDir, "-q"])
      XCTAssertEqual(done.status, 0, "\(label): \(done.stderr)")
      let written = readWholeFile(directory + "/\(outDir)/\(file)")
      let refused = try batch(second + ["--out-dir", outDir, "-q"])
      XCTAssertEqual(refused.status, 65, "\(label): \(refused.stderr)")
      XCTAssertTrue(refused.stderr.contains("already the output of"), "\(label): \(refused.stderr)")
      XCTAssertTrue(readWholeFile(directory + "/\(outDir)/\(file)") == written, "\(label): the first batch's \(file) was replaced")
    }
  }
}

extension BatchCommandTests {
  /// review45 H01: a batch input written whole removed the segments and list of the same stem
  /// as its own earlier shape, whoever wrote them: `c2/x.flac` written as `out/x.wav` deleted
  /// `c1/x.wav`'s `x_0000.wav` … and `x.segments.jsonl`, exit 0. Only the input's own earlier
  /// list (its manifest record's output) goes.
  func testAWholeOutputRemovesNoOtherInputsSegments() throws {
    for corpus in ["c1", "c2"] { try FileManager.default.createDirectory(atPath: directory + "/" + corpus, withIntermediateDirectories: true) }
    try FileManager.default.copyItem(atPath: fixtures + "/speech.wav", toPath: directory + "/c1/x.wav")
    try FileManager.default.copyItem(atPath: fixtures + "/mono16k.wav", toPath: directory + "/c2/x.flac.wav")
    let flac = try audioprep([directory + "/c2/x.flac.wav", "-o", directory + "/c2/x.flac"], in: directory)
    XCTAssertEqual(flac.status, 0, flac.stderr)
    try FileManager.default.removeItem(atPath: directory + "/c2/x.flac.wav")
    XCTAssertEqual(try batch(["c1", "--out-dir", "out", "--segment", "1s", "-q"]).status, 0)
    let before = directoryListing(out).filter { $0.hasPrefix("x") }
    XCTAssertTrue(before.contains("x.segments.jsonl") && before.contains("x_0000.wav"), "\(before)")
    let second = try batch(["c2", "--out-dir", "out", "-q"])
    XCTAssertEqual(second.status, 0, second.stderr)
    XCTAssertEqual(Set(directoryListing(out).filter { $0.hasPrefix("x") }), Set(before + ["x.wav"]), "c1's segments and list stay beside c2's whole output")
  }
}
