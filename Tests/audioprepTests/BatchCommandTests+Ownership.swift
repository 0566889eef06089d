import Foundation
import TestSupport
import XCTest

/// Whose a file under an output's name is: a batch replaces only what its own manifest's record
/// of the same input says it wrote; anything else (another corpus's output, whichever manifest
/// recorded it or none; a file of the user's) fails that input and stays, unless --force.
extension BatchCommandTests {
  func makeCorpus(_ name: String, _ files: [(fixture: String, file: String)]) throws {
    for (fixture, file) in files {
      let path = directory + "/\(name)/\(file)"
      try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try FileManager.default.copyItem(atPath: fixtures + "/" + fixture, toPath: path)
    }
  }

  /// A FLAC of `fixture` at `path` below the test's directory.
  func makeFLAC(_ fixture: String, _ path: String) throws {
    let wav = directory + "/" + path + ".wav"
    try FileManager.default.createDirectory(atPath: (wav as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: fixtures + "/" + fixture, toPath: wav)
    let made = try audioprep([wav, "-o", directory + "/" + path], in: directory)
    XCTAssertEqual(made.status, 0, made.stderr)
    try FileManager.default.removeItem(atPath: wav)
  }

  /// review45 H02: the clash check read only the manifests a batch keeps in DIR by default: a
  /// corpus batched with its own --manifest (anywhere) had no owner, and the next corpus replaced
  /// its output or segment, exit 0. A file no record of this input vouches for is not this
  /// input's, whoever wrote it, so no manifest needs to be found: the input fails (65 for the
  /// batch), the file stays; --force replaces it.
  func testAFileUnderAnOutputsNameThatNoRecordOfThisInputNamesIsNotReplaced() throws {
    try makeCorpus("c1", [("speech.wav", "a.wav")])
    try makeCorpus("c3", [("speech.wav", "x.wav")])
    try makeFLAC("mono16k.wav", "c2/a.flac")
    try makeCorpus("d2", [("mono16k.wav", "x_0000.wav")])
    try makeCorpus("u", [("speech.wav", "mine.wav")])
    let cases: [(label: String, first: [String]?, second: [String], file: String)] = [
      ("a.wav under --manifest m1, then a.flac under m2", ["c1", "--manifest", "m1.jsonl"], ["c2", "--manifest", "m2.jsonl"], "a.wav"),
      ("a.wav under DIR/m1, then a.flac under the default", ["c1", "--manifest", "OUT/m1.jsonl"], ["c2"], "a.wav"),
      ("x_0000.wav whole under m3, then x.wav cut under m4", ["d2", "--manifest", "m3.jsonl"], ["c3", "--segment", "1s", "--manifest", "m4.jsonl"], "x_0000.wav"),
      ("a file of the user's", nil, ["u"], "mine.wav"),
    ]
    for (index, (label, first, second, file)) in cases.enumerated() {
      let outDir = "own\(index)"
      func spelled(_ arguments: [String]) -> [String] { arguments.map { $0.replacingOccurrences(of: "OUT", with: outDir) } + ["--out-dir", outDir, "-q"] }
      if let first {
        let done = try batch(spelled(first))
        XCTAssertEqual(done.status, 0, "\(label): \(done.stderr)")
      } else {
        try FileManager.default.createDirectory(atPath: directory + "/" + outDir, withIntermediateDirectories: true)
        try Data("not audioprep's".utf8).write(to: URL(fileURLWithPath: directory + "/\(outDir)/\(file)"))
      }
      let before = readWholeFile(directory + "/\(outDir)/\(file)")
      let refused = try batch(spelled(second))
      XCTAssertEqual(refused.status, 65, "\(label): \(refused.stderr)")
      XCTAssertTrue(refused.stderr.contains("\(outDir)/\(file)"), "\(label): \(refused.stderr)")
      XCTAssertTrue(readWholeFile(directory + "/\(outDir)/\(file)") == before, "\(label): \(file) was replaced")
      let forced = try batch(spelled(second) + ["--force"])
      XCTAssertEqual(forced.status, 0, "\(label): \(forced.stderr)")
      XCTAssertFalse(readWholeFile(directory + "/\(outDir)/\(file)") == before, "\(label): --force replaces it")
    }
  }

  /// review45 H10: two corpora with one relative path (`c1/spk1/a.wav`, `c2/spk1/a.wav`) into one
  /// --out-dir: the second replaced the first's output and its record (one record per relative
  /// path), exit 0. The record is another input's (its input is still there, with other bytes):
  /// the input fails, and is not recorded, so the first corpus's record and output stay.
  func testTheSameRelativePathInAnotherCorpusReplacesNeitherOutputNorRecord() throws {
    try makeCorpus("c1", [("speech.wav", "spk1/a.wav")])
    try makeCorpus("c2", [("mono16k.wav", "spk1/a.wav")])
    XCTAssertEqual(try batch(["c1", "--out-dir", "out", "-q"]).status, 0)
    let written = readWholeFile(out + "/spk1/a.wav")
    let refused = try batch(["c2", "--out-dir", "out", "-q"])
    XCTAssertEqual(refused.status, 65, refused.stderr)
    XCTAssertTrue(refused.stderr.contains("c2/spk1/a.wav") && refused.stderr.contains("c1/spk1/a.wav"), refused.stderr)
    XCTAssertTrue(readWholeFile(out + "/spk1/a.wav") == written, "c1's output was replaced")
    let records = try manifestRecords(manifest)
    XCTAssertEqual(records.map { $0["input"] as? String }, ["c1/spk1/a.wav"])
    XCTAssertEqual(records.first?["status"] as? String, "ok")
    // The moved corpus (the same bytes under another root) is the same input: skipped.
    try FileManager.default.moveItem(atPath: directory + "/c1", toPath: directory + "/c3")
    let moved = try batch(["c3", "--out-dir", "out", "-q"])
    XCTAssertEqual(moved.status, 0, moved.stderr)
    XCTAssertTrue(readWholeFile(out + "/spk1/a.wav") == written)
  }

  /// review44 H02: two batches at once into one --out-dir (one manifest) raced past the clash
  /// check (each found the name free, then both wrote it): records `ok` of files holding the
  /// other corpus's audio.
  /// A name no record vouches for is taken only if it is still free as the file moves into place
  /// (a link, refused atomically): whichever batch comes second fails that input.
  func testTwoBatchesAtOnceNeverReplaceEachOthersOutputs() throws {
    for index in 0..<20 {
      try makeCorpus("c1", [("speech.wav", "a\(index).wav")])
      try makeFLAC("mono16k.wav", "c2/a\(index).flac")
    }
    let run = try bash(
      """
      "$AP" batch c1 --out-dir out -j 2 -q 2>e1 & p1=$!
      "$AP" batch c2 --out-dir out -j 2 -q 2>e2 & p2=$!
      wait $p1; echo "c1 $?"; wait $p2; echo "c2 $?"
      """, in: directory)
    XCTAssertEqual(run.status, 0, run.stderr)
    var owners: [String: String] = [:]
    do {
      for record in try manifestRecords(manifest) where record["status"] as? String == "ok" {
        let output = try XCTUnwrap(record["output"] as? String)
        XCTAssertNil(owners[output], "\(output): two ok records, \(owners[output] ?? "") and \(record["input"] ?? "")")
        owners[output] = record["input"] as? String
        let fnv = readWholeFile(directory + "/" + output).reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
        XCTAssertEqual(record["output_hash"] as? String, "fnv1a64:" + String(format: "%016llx", fnv), "\(output) is not \(record["input"] ?? "")'s")
      }
    }
    XCTAssertEqual(owners.count, 20, "each output is one input's")
  }

  /// review44 W06: a `batch --force` that failed on a write (EFBIG) kept the earlier output byte
  /// for byte, but its record turned `failed`, so an export dropped the intact recording. A
  /// failed input whose earlier output (its record's, with the recorded hash) is still in place
  /// keeps that record; the error says so.
  func testAFailedReprocessKeepsTheRecordOfTheOutputThatStayed() throws {
    try makeCorpus("c", [("speech.wav", "a.wav")])
    XCTAssertEqual(try batch(["c", "--out-dir", "out", "-q"]).status, 0)
    let written = readWholeFile(out + "/a.wav")
    let recorded = try manifestRecords(manifest)
    let failed = try bash(#"trap '' XFSZ; ulimit -f 8; "$AP" batch c --out-dir out --force --gain 0.5 -q"#, in: directory)
    XCTAssertNotEqual(failed.status, 0, failed.stderr)
    XCTAssertTrue(failed.stderr.contains("out/a.wav"), failed.stderr)
    XCTAssertTrue(readWholeFile(out + "/a.wav") == written, "the earlier output stays")
    let records = try manifestRecords(manifest)
    XCTAssertEqual(records.map { $0["status"] as? String }, ["ok"], failed.stderr)
    XCTAssertEqual(records.first?["output_hash"] as? String, recorded.first?["output_hash"] as? String)
    let rerun = try batch(["c", "--out-dir", "out", "-q"])
    XCTAssertEqual(rerun.status, 0, rerun.stderr)
  }
}

/// review46: the ownership rule above refused an input's own earlier output where its record
/// no longer named it, or where another manifest in DIR held the record; and let a losing
/// concurrent run's failed records replace the winner's.
extension BatchCommandTests {
  /// H01, W02: WAV, then `--format flac`, then WAV with another option: the third run refused
  /// its own `x.wav`, which the FLAC run had left and no record named, for ever; and the refusal
  /// turned the FLAC's ok record failed. A run in another format now removes the earlier
  /// format's output (while as recorded), as a change of shape does.
  func testAChangeOfFormatLeavesNoOutputItsRecordDoesNotName() throws {
    try makeCorpus("c", [("speech.wav", "x.wav")])
    XCTAssertEqual(try batch(["c", "--out-dir", "out", "-q"]).status, 0)
    let flac = try batch(["c", "--out-dir", "out", "-q", "--format", "flac"])
    XCTAssertEqual(flac.status, 0, flac.stderr)
    XCTAssertEqual(directoryListing(out).filter { $0.hasPrefix("x.") }.sorted(), ["x.flac"], "the WAV of the earlier format goes")
    let again = try batch(["c", "--out-dir", "out", "-q", "--gain", "1"])
    XCTAssertEqual(again.status, 0, again.stderr)
    XCTAssertEqual(directoryListing(out).filter { $0.hasPrefix("x.") }.sorted(), ["x.wav"])
    // A stranger's x.wav (not this input's) refused: the input's own FLAC and its record stay.
    XCTAssertEqual(try batch(["c", "--out-dir", "out", "-q", "--format", "flac"]).status, 0)
    try Data("mine".utf8).write(to: URL(fileURLWithPath: out + "/x.wav"))
    let refused = try batch(["c", "--out-dir", "out", "-q", "--gain", "0.5"])
    XCTAssertEqual(refused.status, 65, refused.stderr)
    XCTAssertEqual(try manifestRecords(manifest).map { $0["status"] as? String }, ["ok"], refused.stderr)
    XCTAssertEqual(readWholeFile(out + "/x.wav"), Array("mine".utf8))
  }

  /// H02: a recording changed and moved to another shard, or a corpus batched unsharded and then
  /// as shards: its record is in the other manifest in DIR, and its own output was refused as a
  /// stranger's, on every rerun. Those manifests are this corpus's records too.
  func testAnInputsRecordInAnotherShardsManifestIsItsOwn() throws {
    for index in 1...4 { try makeCorpus("c", [(index % 2 == 0 ? "speech.wav" : "mono16k.wav", "x\(index).wav")]) }
    for shard in 0..<2 { XCTAssertEqual(try batch(["c", "--out-dir", "out", "--shard", "\(shard)/2", "-q"]).status, 0) }
    // Changed so that it changes shard (shards are balanced by bytes): every input rewritten.
    for index in 1...4 {
      try FileManager.default.removeItem(atPath: directory + "/c/x\(index).wav")
      try FileManager.default.copyItem(atPath: fixtures + "/" + (index % 2 == 0 ? "mono16k.wav" : "speech.wav"), toPath: directory + "/c/x\(index).wav")
    }
    for shard in 0..<2 {
      let rerun = try batch(["c", "--out-dir", "out", "--shard", "\(shard)/2", "-q"])
      XCTAssertEqual(rerun.status, 0, "shard \(shard): \(rerun.stderr)")
    }
    try makeCorpus("d", [("speech.wav", "y.wav"), ("mono16k.wav", "z.wav")])
    XCTAssertEqual(try batch(["d", "--out-dir", "out2", "-q"]).status, 0)
    try FileManager.default.removeItem(atPath: directory + "/d/y.wav")
    try FileManager.default.copyItem(atPath: fixtures + "/mono16k.wav", toPath: directory + "/d/y.wav")
    for shard in 0..<2 {
      let sharded = try batch(["d", "--out-dir", "out2", "--shard", "\(shard)/2", "-q"])
      XCTAssertEqual(sharded.status, 0, "unsharded, then shard \(shard): \(sharded.stderr)")
    }
  }

  /// H04: an input skipped for its length keeps its earlier output (as documented), and that
  /// output stays its own: the next run without the limit refused it as a stranger's.
  func testAnInputSkippedForItsLengthKeepsItsOutputAsItsOwn() throws {
    try makeCorpus("c", [("speech.wav", "x.wav")])
    XCTAssertEqual(try batch(["c", "--out-dir", "out", "-q"]).status, 0)
    XCTAssertEqual(try batch(["c", "--out-dir", "out", "-q", "--max-duration", "0.1s"]).status, 0)
    let rerun = try batch(["c", "--out-dir", "out", "-q", "--gain", "1"])
    XCTAssertEqual(rerun.status, 0, rerun.stderr)
    XCTAssertEqual(try manifestRecords(manifest).map { $0["status"] as? String }, ["ok"])
  }

  /// H06: two corpora with the same relative paths batched at once into one --out-dir: the
  /// losing run's failed records took the place of the winner's ok ones in the shared
  /// manifest (59 of 60 outputs with no ok record). A failure because the output is another's
  /// is not recorded: every output keeps the ok record of the input whose bytes it holds.
  func testTwoCorporaWithOneRelativePathAtOnceKeepTheWinnersRecords() throws {
    for index in 0..<15 {
      try makeCorpus("c1", [("speech.wav", "a\(index).wav")])
      try makeCorpus("c2", [("mono16k.wav", "a\(index).wav")])
    }
    let run = try bash(
      """
      "$AP" batch c1 --out-dir out -j 2 -q 2>e1 & p1=$!
      "$AP" batch c2 --out-dir out -j 2 -q 2>e2 & p2=$!
      wait $p1; wait $p2; true
      """, in: directory)
    XCTAssertEqual(run.status, 0, run.stderr)
    let records = try manifestRecords(manifest).filter { $0["status"] as? String == "ok" }
    XCTAssertEqual(records.count, 15, "one ok record per output: \(records.count)")
    for record in records {
      let output = try XCTUnwrap(record["output"] as? String)
      let fnv = readWholeFile(directory + "/" + output).reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
      XCTAssertEqual(record["output_hash"] as? String, "fnv1a64:" + String(format: "%016llx", fnv), "\(output) is not \(record["input"] ?? "")'s")
    }
  }
}

extension BatchCommandTests {
  /// review47 H01: a corpus batched from another working directory into the same --out-dir:
  /// the first's record names its input relative to its own directory, which names nothing
  /// from the second's, and a record whose input was not there counted as this input's (a
  /// corpus moved): the second replaced the first's output and record, exit 0. Only the same
  /// path or the same bytes make a record this input's.
  func testACorpusBatchedFromAnotherDirectoryReplacesNothingOfTheFirsts() throws {
    try makeCorpus("w1/ca", [("speech.wav", "a.wav")])
    try makeCorpus("w2/cb", [("mono16k.wav", "a.wav")])
    let first = try audioprep(["batch", "ca", "--out-dir", "../out", "-q"], in: directory + "/w1")
    XCTAssertEqual(first.status, 0, first.stderr)
    let written = readWholeFile(out + "/a.wav")
    let second = try audioprep(["batch", "cb", "--out-dir", "../out", "-q"], in: directory + "/w2")
    XCTAssertEqual(second.status, 65, second.stderr)
    XCTAssertTrue(readWholeFile(out + "/a.wav") == written, "the first corpus's output was replaced")
    XCTAssertEqual(try manifestRecords(manifest).map { $0["input"] as? String }, ["ca/a.wav"])
  }
}

extension BatchCommandTests {
  /// review47 H05: segments in one format, then the input whole or cut in another format: the
  /// earlier segments (its own list's, the other extension) stayed in no list, and every later
  /// segmented run refused them as a stranger's. They go as the new output settles, while as
  /// listed, as segments of the same format do.
  func testAChangeOfFormatRemovesTheEarlierFormatsSegments() throws {
    try makeCorpus("c", [("speech.wav", "x.wav")])
    func listing() -> [String] { directoryListing(out).filter { $0.hasPrefix("x") }.sorted() }
    XCTAssertEqual(try batch(["c", "--out-dir", "out", "-q", "--segment", "1s"]).status, 0)
    let flac = try batch(["c", "--out-dir", "out", "-q", "--format", "flac"])
    XCTAssertEqual(flac.status, 0, flac.stderr)
    XCTAssertEqual(listing(), ["x.flac"], "the WAV segments and their list go")
    XCTAssertEqual(try batch(["c", "--out-dir", "out", "-q", "--segment", "1s", "--format", "flac"]).status, 0)
    let wav = try batch(["c", "--out-dir", "out", "-q", "--segment", "1s", "--gain", "1"])
    XCTAssertEqual(wav.status, 0, wav.stderr)
    XCTAssertFalse(listing().contains { $0.hasSuffix(".flac") }, "the FLAC segments go: \(listing())")
  }
}

extension BatchCommandTests {
  /// review47 H03: two corpora with one relative path batched at once into one DIR, one as WAV
  /// and the other as FLAC (or in segments): no output name clashed, so both wrote and both
  /// recorded, exit 0, and the manifest kept the later record of each path — the other run's
  /// outputs stayed in no record, and its reruns were refused as another corpus's. What a run
  /// reads of the manifest and the record it appends are one step now: the loser of a path
  /// fails without a record, and what it wrote is taken back.
  func testTwoCorporaAtOnceInAnotherFormatOrShapeKeepOneRecordPerPath() throws {
    for index in 0..<15 {
      try makeCorpus("c1", [("speech.wav", "a\(index).wav")])
      try makeCorpus("c2", [("mono16k.wav", "a\(index).wav")])
    }
    for other in ["--format flac", "--segment 0.5s"] {
      let run = try bash(
        """
        rm -rf out
        "$AP" batch c1 --out-dir out -j 2 -q 2>e1 & p1=$!
        "$AP" batch c2 --out-dir out -j 2 -q \(other) 2>e2 & p2=$!
        wait $p1; echo "c1 $?"; wait $p2; echo "c2 $?"
        """, in: directory)
      XCTAssertEqual(run.status, 0, run.stderr)
      let records = try manifestRecords(manifest)
      for corpus in ["c1", "c2"] where String(decoding: run.stdout, as: UTF8.self).contains("\(corpus) 0") {
        let mine = records.filter { ($0["input"] as? String)?.hasPrefix(corpus + "/") == true }
        XCTAssertEqual(mine.count, 15, "\(other): \(corpus) exited 0 with \(mine.count) of its 15 records in the manifest")
      }
      XCTAssertEqual(try filesNoRecordNames(records), [], "\(other): files no record names")
    }
  }

  /// The files in `out` that no ok record of `records` names (its output, or a segment its list
  /// names), each record's output checked to hold the bytes its hash gives.
  func filesNoRecordNames(_ records: [[String: Any]], _ context: String = "", line: UInt = #line) throws -> [String] {
    var named: Set<String> = ["manifest.jsonl"]
    for record in records where record["status"] as? String == "ok" {
      let output = try XCTUnwrap(record["output"] as? String)
      named.insert((output as NSString).lastPathComponent)
      let fnv = readWholeFile(directory + "/" + output).reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
      XCTAssertEqual(record["output_hash"] as? String, "fnv1a64:" + String(format: "%016llx", fnv), "\(context): \(output) is not \(record["input"] ?? "")'s", line: line)
      if output.hasSuffix(".segments.jsonl") {
        for text in String(decoding: readWholeFile(directory + "/" + output), as: UTF8.self).split(separator: "\n") {
          let segment = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
          named.insert(try XCTUnwrap(segment["file"] as? String))
        }
      }
    }
    let files = try FileManager.default.contentsOfDirectory(atPath: directory + "/out")
    return files.filter { !named.contains($0) }.sorted()
  }

  /// review48 W05: one corpus batched twice at once into one DIR, whole and in segments (or as
  /// WAV and as FLAC): both runs wrote every input and recorded it; the manifest kept the later
  /// record of each path, and the earlier shape's outputs stayed in no record. The shape a
  /// run removes as it settles an input is also that of a record of the same input another
  /// run appended meanwhile.
  func testOneCorpusTwiceAtOnceInAnotherShapeLeavesNoFileOutsideARecord() throws {
    for index in 0..<15 { try makeCorpus("c1", [("speech.wav", "a\(index).wav")]) }
    for other in ["--segment 0.5s", "--format flac"] {
      let run = try bash(
        """
        rm -rf out
        "$AP" batch c1 --out-dir out -j 2 -q 2>e1 & p1=$!
        "$AP" batch c1 --out-dir out -j 2 -q \(other) 2>e2 & p2=$!
        wait $p1; echo "first $?"; wait $p2; echo "second $?"
        """, in: directory)
      XCTAssertEqual(String(decoding: run.stdout, as: UTF8.self), "first 0\nsecond 0\n", run.stderr)
      let records = try manifestRecords(manifest)
      XCTAssertEqual(Set(records.compactMap { $0["relative_path"] as? String }).count, 15, "\(other): one record per input")
      XCTAssertEqual(try filesNoRecordNames(records, other), [], "\(other): files no record names")
    }
  }
}

extension BatchCommandTests {
  /// review47 W05: a second corpus with the first's relative paths, into the same DIR but
  /// recording in another manifest there (the first a shard's, the second the unsharded one; or
  /// the second with its own --manifest), in another format: nothing clashed by name, both exited
  /// 0, and an export of DIR's manifests then failed on two recordings under one id. The other
  /// manifests in DIR are this DIR's records of a relative path as much as its own: the second
  /// corpus fails unrecorded, naming the manifest, and writes nothing.
  func testARelativePathRecordedInAnotherManifestInDIRIsRefusedToAnotherCorpus() throws {
    try makeCorpus("c1", [("speech.wav", "s/a.wav")])
    try makeCorpus("c2", [("mono16k.wav", "s/a.wav")])
    for (first, second) in [("--shard 0/1", "--format flac"), ("", "--format flac --manifest out/other.jsonl")] {
      let run = try bash(
        """
        rm -rf out
        "$AP" batch c1 --out-dir out -q \(first) || exit 9
        "$AP" batch c2 --out-dir out -q \(second) 2>err; echo "second $?"; cat err
        ls out/s
        """, in: directory)
      let said = String(decoding: run.stdout, as: UTF8.self)
      XCTAssertTrue(said.contains("second 65"), "\(second): \(said)")
      XCTAssertTrue(said.contains("already c1/s/a.wav's in out/manifest"), "\(second): \(said)")
      XCTAssertFalse(said.contains("a.flac"), "\(second): the second corpus wrote its output: \(said)")
    }
  }
}

extension BatchCommandTests {
  /// review46 W03: a relative path whose record is another corpus's failure (nothing written)
  /// refused the second corpus saying it would replace that input's output, which does not
  /// exist. The refusal names what it would replace: the failed record.
  func testAnotherCorpussFailedRecordIsNamedAsARecordNotAnOutput() throws {
    try FileManager.default.createDirectory(atPath: directory + "/c1/s", withIntermediateDirectories: true)
    try Data((0..<4000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }).write(to: URL(fileURLWithPath: directory + "/c1/s/a.wav"))
    try makeCorpus("c2", [("speech.wav", "s/a.wav")])
    let run = try bash(
      """
      "$AP" batch c1 --out-dir out -q 2>/dev/null; echo "first $?"
      "$AP" batch c2 --out-dir out -q; echo "second $?"
      """, in: directory)
    let said = String(decoding: run.stdout, as: UTF8.self)
    XCTAssertTrue(said.contains("first 65") && said.contains("second 65"), said + run.stderr)
    XCTAssertTrue(run.stderr.contains("whose record (failed, nothing written) this one's would replace"), run.stderr)
    XCTAssertFalse(run.stderr.contains("whose output"), run.stderr)
  }
}

extension BatchCommandTests {
  /// review48 H03: `a.flac` added beside a batched `a.wav` (one output name, `a.wav`): both
  /// failed as a clash, and a.wav's failure took the place of its ok record, though its output
  /// stayed its own, untouched: the recording dropped out of the manifest and every export. An
  /// input whose own record's output stays keeps that record when it fails, the clash included.
  func testANewInputWithAnotherInputsOutputNameLeavesThatInputsRecord() throws {
    try makeCorpus("c", [("speech.wav", "a.wav"), ("mono16k.wav", "b.wav")])
    XCTAssertEqual(try audioprep(["batch", "c", "--out-dir", "out", "-q"], in: directory).status, 0)
    try makeFLAC("mono16k.wav", "c/a.flac")
    let before = readWholeFile(directory + "/out/a.wav")
    let second = try audioprep(["batch", "c", "--out-dir", "out", "-q"], in: directory)
    XCTAssertEqual(second.status, 65, second.stderr)
    XCTAssertTrue(second.stderr.contains("its earlier output and record stay"), second.stderr)
    let records = try manifestRecords(manifest)
    let kept = try XCTUnwrap(records.first { $0["relative_path"] as? String == "a.wav" })
    XCTAssertEqual(kept["status"] as? String, "ok", "\(kept)")
    XCTAssertEqual(readWholeFile(directory + "/out/a.wav"), before)
  }
}
