import Foundation
import Glibc
import TestSupport
import XCTest

/// What `manifest export` may write and what it writes into the consumers' files (#19, found
/// by a hostile review): a name can never become a second line of a Kaldi file (whose pipes
/// Kaldi runs), and no export replaces a file the batch read or wrote, `--force` or not.
extension WriteSafetyTests {
  /// An input whose name holds a line break: its `wav.scp` line would be two lines, and the
  /// second one, a pipe of the name's choosing, Kaldi would run. The export is refused (65, one
  /// line naming the file) and writes nothing; the formats that quote names take it.
  func testANameWithALineBreakNeverSplitsAKaldiLine() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir corp; sox -n -r 16000 -b 16 -c 1 "corp/a"$'\\n'"x touch PWNED |.wav" synth 0.5 sine 440
      "$AP" batch corp --out-dir out --segment 0.2s --no-progress 2>/dev/null
      "$AP" batch corp --out-dir whole --no-progress 2>/dev/null
      """, in: directory)
    for (manifest, segments) in [("out/manifest.jsonl", "offsets"), ("out/manifest.jsonl", "files"), ("whole/manifest.jsonl", "files")] {
      let result = try spawnAudioprep(
        ["manifest", "export", "--to", "kaldi", "--segments", segments, manifest, "-o", "data"], in: directory)
      XCTAssertEqual(result.status, 65, "\(manifest) \(segments): \(result.summary) \(result.stderr)")
      XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
      XCTAssertTrue(result.stderr.contains("line break"), result.stderr)
      XCTAssertNil(state(directory + "/data/wav.scp"), "\(manifest) \(segments): wav.scp written")
      XCTAssertNil(state(directory + "/PWNED"))
    }
    for format in ["nemo", "csv"] {
      let result = try spawnAudioprep(["manifest", "export", "--to", format, "whole/manifest.jsonl", "-o", "m.\(format)"], in: directory)
      XCTAssertEqual(result.status, 0, "\(format): \(result.summary) \(result.stderr)")
    }
  }

  /// review32m W5: a Kaldi data directory holding the files `utils/fix_data_dir.sh` filters it
  /// by (`spk2gender`, `utt2lang`, `utt2uniq`, `reco2file_and_channel`) from an earlier export
  /// is not exported over, `--force` or not (73 naming the file): the stale speakers would leave
  /// fix_data_dir.sh none of the new utterances. Once it is removed, the export runs.
  func testAKaldiDirectoryWithStaleCompanionFilesIsNotExportedOver() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir corp; sox -n -r 16000 -b 16 -c 1 corp/a.wav synth 0.5 sine 440
      "$AP" batch corp --out-dir out --no-progress 2>/dev/null
      "$AP" manifest export --to kaldi out/manifest.jsonl -o data -q
      """, in: directory)
    for stale in ["spk2gender", "utt2lang", "utt2uniq", "reco2file_and_channel"] {
      try "spkA m\n".write(toFile: directory + "/data/" + stale, atomically: false, encoding: .utf8)
      let result = try spawnAudioprep(["manifest", "export", "--to", "kaldi", "out/manifest.jsonl", "-o", "data", "--force"], in: directory)
      XCTAssertEqual(result.status, 73, "\(stale): \(result.summary) \(result.stderr)")
      assertOneErrorLine(result, naming: "data/" + stale, stale)
      try FileManager.default.removeItem(atPath: directory + "/data/" + stale)
    }
    let clean = try spawnAudioprep(["manifest", "export", "--to", "kaldi", "out/manifest.jsonl", "-o", "data", "--force"], in: directory)
    XCTAssertEqual(clean.status, 0, clean.stderr)
  }

  /// `-o` naming a batch input, its transcript, an output or a segments list is refused (73)
  /// with `--force` too, and the file is left as it was.
  func testAnExportNeverReplacesWhatTheBatchReadOrWrote() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir corp; sox -n -r 16000 -b 16 -c 1 corp/a.wav synth 0.5 sine 440; printf 'HELLO\\n' > corp/a.txt
      sox -n -r 16000 -b 16 -c 1 corp/b.wav synth 0.5 sine 440
      "$AP" batch corp --out-dir out --no-progress 2>/dev/null
      "$AP" batch corp --out-dir seg --segment 0.2s --no-progress 2>/dev/null
      """, in: directory)
    for (format, manifest, destination) in [
      ("csv", "out/manifest.jsonl", "corp/a.wav"), ("nemo", "out/manifest.jsonl", "corp/a.txt"),
      ("csv", "out/manifest.jsonl", "out/b.wav"), ("nemo", "seg/manifest.jsonl", "seg/a.segments.jsonl"),
      ("csv", "seg/manifest.jsonl", "seg/a_0001.wav"), ("nemo", "seg/manifest.jsonl", "corp/b.wav"),
    ] {
      let before = state(directory + "/" + destination)
      XCTAssertNotNil(before, destination)
      let result = try spawnAudioprep(
        ["manifest", "export", "--to", format, manifest, "-o", destination, "--force"], in: directory)
      XCTAssertEqual(result.status, 73, "\(format) -o \(destination): \(result.summary) \(result.stderr)")
      assertOneErrorLine(result, naming: destination, "\(format) -o \(destination)")
      XCTAssertEqual(state(directory + "/" + destination), before, "\(format) -o \(destination) was replaced")
    }
  }

  /// Every file a record of the batch names is the batch's, whatever its status and whichever
  /// shard's manifest holds it, and a manifest is a manifest whether it was given or not: an
  /// export refuses (73) to replace one with `--force`, leaving it as it was (review19 4).
  func testAForcedExportNeverReplacesAFileOfAnyRecordOrAManifest() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir c; for name in a b d e; do sox -n -r 16000 -b 16 -c 1 c/$name.wav synth 0.3 sine 440; done
      printf 'not audio at all' > c/bad.wav
      "$AP" batch c --out-dir o --shard 0/2 --no-progress 2>/dev/null || true
      "$AP" batch c --out-dir o --shard 1/2 --no-progress 2>/dev/null || true
      """, in: directory)
    // Which inputs each shard holds, and which failed, from the manifests themselves.
    func records(_ manifest: String) throws -> [[String: Any]] {
      try String(contentsOfFile: directory + "/" + manifest, encoding: .utf8).split(separator: "\n").map {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
      }
    }
    let (shard0, shard1) = (try records("o/manifest.0-of-2.jsonl"), try records("o/manifest.1-of-2.jsonl"))
    let failed = (shard0 + shard1).filter { $0["status"] as? String == "failed" }
    XCTAssertEqual(failed.map { $0["input"] as? String }, ["c/bad.wav"])
    let given = failed.contains { record in shard0.contains { $0["input"] as? String == record["input"] as? String } }
      ? "o/manifest.0-of-2.jsonl" : "o/manifest.1-of-2.jsonl"
    let other = given == "o/manifest.0-of-2.jsonl" ? shard1 : shard0
    let otherInput = try XCTUnwrap(other.first?["input"] as? String)
    let otherOutput = try XCTUnwrap(other.first?["output"] as? String)
    let otherManifest = given == "o/manifest.0-of-2.jsonl" ? "o/manifest.1-of-2.jsonl" : "o/manifest.0-of-2.jsonl"
    try setUpFiles("cp \(otherManifest) o/copy.jsonl; printf 'A B\\n' > c/bad.txt", in: directory)
    for (format, destination) in [
      ("nemo", otherManifest), ("csv", "o/copy.jsonl"), ("csv", otherInput), ("nemo", otherOutput),
      ("csv", "c/bad.wav"), ("nemo", "c/bad.txt"),
    ] {
      let before = state(directory + "/" + destination)
      XCTAssertNotNil(before, destination)
      let result = try spawnAudioprep(["manifest", "export", "--to", format, given, "-o", destination, "--force", "-q"], in: directory)
      XCTAssertEqual(result.status, 73, "\(format) -o \(destination): \(result.summary) \(result.stderr)")
      assertOneErrorLine(result, naming: destination, "\(format) -o \(destination)")
      XCTAssertEqual(state(directory + "/" + destination), before, "\(format) -o \(destination) was replaced")
    }
    // A directory format's files alike.
    try setUpFiles("mkdir k; cp o/copy.jsonl k/wav.scp", in: directory)
    let before = state(directory + "/k/wav.scp")
    let result = try spawnAudioprep(["manifest", "export", "--to", "kaldi", given, "-o", "k", "--force", "-q"], in: directory)
    XCTAssertEqual(result.status, 73, "kaldi -o k: \(result.summary) \(result.stderr)")
    XCTAssertEqual(state(directory + "/k/wav.scp"), before)
  }

  /// An export never creates the transcript `STEM.txt` of a recorded input, however the path
  /// is spelled: the next export would take it for the input's text (review19 3).
  func testAnExportNeverCreatesAnInputsTranscript() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir c; sox -n -r 16000 -b 16 -c 1 c/b.wav synth 0.3 sine 440
      "$AP" batch c --out-dir o --no-progress 2>/dev/null
      """, in: directory)
    for (format, destination) in [("csv", "c/b.txt"), ("nemo", "c/b.txt"), ("csv", "o/../c/b.txt"), ("nemo", "./c//b.txt")] {
      for force in [[], ["--force"]] {
        let result = try spawnAudioprep(["manifest", "export", "--to", format, "o/manifest.jsonl", "-o", destination] + force, in: directory)
        XCTAssertEqual(result.status, 73, "\(format) -o \(destination) \(force): \(result.summary) \(result.stderr)")
        assertOneErrorLine(result, naming: destination, "\(format) -o \(destination)")
        XCTAssertNil(state(directory + "/c/b.txt"), "\(format) -o \(destination) \(force) created the transcript")
      }
    }
  }

  /// The files of a directory format land all together or not at all: a write that fails
  /// (`ulimit -f`: `text` is the one too large) leaves no new file, and with `--force` the
  /// earlier export is back as it was, every file (review19 6).
  func testADirectoryExportLandsWholeOrRestoresWhatWasThere() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir c; for name in a b; do sox -n -r 16000 -b 16 -c 1 c/$name.wav synth 0.3 sine 440; done
      "$AP" batch c --out-dir o --no-progress 2>/dev/null
      "$AP" manifest export --to kaldi o/manifest.jsonl -o old -q
      "$AP" manifest export --to lhotse o/manifest.jsonl -o oldl -q
      head -c 200000 /dev/zero | tr '\\0' 'w' | fold -w 60 > c/a.txt
      """, in: directory)
    for (format, destination) in [("kaldi", "new/data"), ("kaldi", "old"), ("lhotse", "oldl")] {
      let before = tree(directory + "/" + destination)
      let result = try spawnAudioprep(
        ["manifest", "export", "--to", format, "o/manifest.jsonl", "-o", destination, "--force", "-q"], in: directory,
        shellSetup: "ulimit -f 100")
      XCTAssertEqual(result.status, 74, "\(format) -o \(destination): \(result.summary) \(result.stderr)")
      XCTAssertEqual(tree(directory + "/" + destination), before, "\(format) -o \(destination): not what was there")
    }
    XCTAssertNil(state(directory + "/new"), "the directories the failed export created are left")
  }

  /// A re-export (`--force`) leaves no file of its format that it did not write: an earlier
  /// `segments` (offsets, then files), a `text` whose transcripts are gone, the other
  /// audiofolder metadata file (`datasets` refuses two). Without `--force` such a file is
  /// refused (73) and nothing changes (review19 7).
  func testAReExportLeavesNoStaleFileOfItsFormat() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir c; for name in a b; do sox -n -r 16000 -b 16 -c 1 c/$name.wav synth 0.5 sine 440; done
      printf 'HELLO\\n' > c/a.txt
      "$AP" batch c --out-dir o --segment 0.2s --no-progress 2>/dev/null
      "$AP" manifest export --to kaldi o/manifest.jsonl -o k --segments offsets -q
      "$AP" manifest export --to hf o/manifest.jsonl -o o -q
      "$AP" batch c --out-dir w --no-progress 2>/dev/null
      "$AP" manifest export --to kaldi w/manifest.jsonl -o kw -q
      """, in: directory)
    XCTAssertNotNil(state(directory + "/k/segments"))
    XCTAssertNotNil(state(directory + "/kw/text"))
    try setUpFiles("rm c/a.txt", in: directory)
    for (arguments, stale) in [
      (["--to", "kaldi", "o/manifest.jsonl", "-o", "k"], ["k/segments"]),
      (["--to", "kaldi", "w/manifest.jsonl", "-o", "kw"], ["kw/text"]),
      (["--to", "hf", "o/manifest.jsonl", "-o", "o", "--metadata", "csv"], ["o/metadata.jsonl"]),
    ] {
      let before = tree(directory)
      let refused = try spawnAudioprep(["manifest", "export"] + arguments, in: directory)
      XCTAssertEqual(refused.status, 73, "\(arguments): \(refused.summary) \(refused.stderr)")
      XCTAssertEqual(tree(directory), before, "\(arguments) without --force changed files")
      let forced = try spawnAudioprep(["manifest", "export"] + arguments + ["--force", "-q"], in: directory)
      XCTAssertEqual(forced.status, 0, "\(arguments) --force: \(forced.summary) \(forced.stderr)")
      for path in stale {
        XCTAssertNil(state(directory + "/" + path), "\(path) left by \(arguments) --force")
      }
    }
    XCTAssertNotNil(state(directory + "/o/metadata.csv"))
    XCTAssertNotNil(state(directory + "/k/wav.scp"))
    XCTAssertEqual(temporaries(directory), [])
  }

  /// `load_dataset("audiofolder")` takes every audio file below the metadata's directory: an
  /// audio file no record lists (left from an earlier batch into the same --out-dir) would be
  /// loaded without metadata or fail the load. The export refuses it (73, one line naming it and
  /// how many), writes nothing, and never removes it, --force or not; it exported before
  /// (review19 W9).
  func testAnAudiofolderHoldingAudioNoRecordListsIsRefused() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir c; sox -n -r 16000 -b 16 -c 1 c/a.wav synth 0.3 sine 440
      "$AP" batch c --out-dir o --no-progress 2>/dev/null
      mkdir o/old; cp o/a.wav o/old/a_0003.wav; cp o/a.wav o/stale.flac
      """, in: directory)
    let before = tree(directory)
    for force in [[], ["--force"]] {
      let result = try spawnAudioprep(["manifest", "export", "--to", "hf", "o/manifest.jsonl", "-o", "o"] + force, in: directory)
      XCTAssertEqual(result.status, 73, "\(force): \(result.summary) \(result.stderr)")
      assertOneErrorLine(result, naming: "o/old/a_0003.wav", "\(force)")
      XCTAssertTrue(result.stderr.contains("2 audio files"), result.stderr)
      XCTAssertEqual(tree(directory), before, "\(force): the export changed files")
    }
    try setUpFiles("rm -r o/old o/stale.flac", in: directory)
    let result = try spawnAudioprep(["manifest", "export", "--to", "hf", "o/manifest.jsonl", "-o", "o", "-q"], in: directory)
    XCTAssertEqual(result.status, 0, "\(result.summary) \(result.stderr)")
    XCTAssertNotNil(state(directory + "/o/metadata.jsonl"))
  }

  /// Files in the audiofolder that are not audio (a README, a LICENSE, a script, bytes with no
  /// extension) are no audio to list: `load_dataset("audiofolder")` reads audio extensions only.
  /// The export writes its metadata beside them and leaves them; it crashed (exit 1,
  /// argument-parser's multi-line internal error) on any file without an audio or text
  /// extension (review33m H1).
  func testAnAudiofolderHoldingFilesThatAreNotAudioIsExported() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir c; sox -n -r 16000 -b 16 -c 1 c/a.wav synth 0.3 sine 440
      "$AP" batch c --out-dir o --no-progress 2>/dev/null
      echo "see README" > o/README; echo MIT > o/LICENSE; echo 'print(1)' > o/prep.py; head -c 3000 /dev/urandom > o/notes
      """, in: directory)
    let result = try spawnAudioprep(["manifest", "export", "--to", "hf", "o/manifest.jsonl", "-o", "o", "-q"], in: directory)
    XCTAssertEqual(result.status, 0, "\(result.summary) \(result.stderr)")
    XCTAssertEqual(result.stderr, "")
    XCTAssertNotNil(state(directory + "/o/metadata.jsonl"))
    XCTAssertEqual(try String(contentsOfFile: directory + "/o/README", encoding: .utf8), "see README\n")
  }

  /// An input deleted from a directory the batch walks loses its record at the next run (it
  /// kept it, and every export listed it: review33m H4); the run names it and leaves its output.
  /// Records of another corpus batched into the same --out-dir stay, and so do those of a
  /// directory this run did not walk.
  func testARerunDropsTheRecordsOfInputsDeletedFromItsDirectories() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir -p c/s d; for i in 1 2 3; do sox -n -r 16000 -b 16 -c 1 c/s/a$i.wav synth 0.2 sine 440; done
      sox -n -r 16000 -b 16 -c 1 d/b.wav synth 0.2 sine 440
      "$AP" batch c --out-dir o --no-progress 2>/dev/null
      "$AP" batch d --out-dir o --no-progress 2>/dev/null
      rm c/s/a2.wav d/b.wav
      """, in: directory)
    let result = try spawnAudioprep(["batch", "c", "--out-dir", "o", "--no-progress"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertTrue(result.stderr.contains("o/manifest.jsonl: 1 record dropped: its input is no longer there (c/s/a2.wav)"), result.stderr)
    let manifest = try String(contentsOfFile: directory + "/o/manifest.jsonl", encoding: .utf8)
    let inputs = manifest.split(separator: "\n").compactMap { line in
      (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["input"] as? String
    }
    XCTAssertEqual(inputs.sorted(), ["c/s/a1.wav", "c/s/a3.wav", "d/b.wav"])
    XCTAssertNotNil(state(directory + "/o/s/a2.wav"), "the output is the user's")
  }

  /// review33m W1, W2, W4, W6: the export says how many utterances have no transcript (Kaldi's
  /// `text` then holds the id alone, which Lhotse's importer refuses); an input in two manifests
  /// is one line for them all, saying it is exported once (it said "exported without it", a line
  /// each); one speaker name from two directories is said; a batch setting no pipe repeats is
  /// named (the whole params were printed).
  func testExportSaysWhatTheToolkitsWillMake() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir -p c/spkA/sess1 c/spkB/sess1
      sox -n -r 16000 -b 16 -c 1 c/spkA/sess1/x.wav synth 1.2 sine 440
      sox -n -r 16000 -b 16 -c 1 c/spkB/sess1/y.wav synth 1.2 sine 440
      echo "hello world" > c/spkA/sess1/x.txt
      "$AP" batch c --out-dir o --no-progress 2>/dev/null
      cp o/manifest.jsonl old.jsonl
      "$AP" batch c --out-dir p --start 0.5 --segment 0.5s --no-progress 2>/dev/null
      """, in: directory)
    let kaldi = try spawnAudioprep(["manifest", "export", "--to", "kaldi", "o/manifest.jsonl", "-o", "k", "--speaker-from", "parent"], in: directory)
    XCTAssertEqual(kaldi.status, 0, kaldi.stderr)
    XCTAssertEqual(kaldi.stderrLines.count, 2, kaldi.stderr)
    XCTAssertTrue(kaldi.stderr.contains("its speaker 'sess1' is also the name of spkB/sess1: one speaker to the toolkits"), kaldi.stderr)
    XCTAssertTrue(kaldi.stderr.contains("; 1 of 2 without a transcript (STEM.txt): their text lines hold the id alone: "), kaldi.stderr)
    let twice = try spawnAudioprep(["manifest", "export", "--to", "csv", "o/manifest.jsonl", "old.jsonl", "-o", "x.csv"], in: directory)
    XCTAssertEqual(twice.status, 0, twice.stderr)
    XCTAssertEqual(twice.stderrLines.count, 2, twice.stderr)
    XCTAssertTrue(twice.stderr.contains("(and 1 other input): each exported once, from the first manifest given that holds it"), twice.stderr)
    XCTAssertFalse(twice.stderr.contains("exported without it"), twice.stderr)
    let offsets = try spawnAudioprep(["manifest", "export", "--to", "kaldi", "p/manifest.jsonl", "-o", "ko", "--segments", "offsets"], in: directory)
    XCTAssertEqual(offsets.status, 65, offsets.stderr)
    XCTAssertTrue(offsets.stderr.contains("the batch's 'range=0.5s-end' (--start/--end/--duration) is no option a pipe repeats here; use --segments files"), offsets.stderr)
  }

  /// review33m C1: a sharded batch's shard of no input (more shards than inputs) need not be
  /// given to merge: all the inputs are there (it was 65, "its inputs are missing").
  func testAShardOfNoInputNeedNotBeMerged() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir c; sox -n -r 16000 -b 16 -c 1 c/a.wav synth 0.3 sine 440; sox -n -r 16000 -b 16 -c 1 c/b.wav synth 0.5 sine 440
      for k in 0 1 2; do "$AP" batch c --out-dir o --shard $k/3 -q; done
      """, in: directory)
    let nonEmpty = try ["0", "1", "2"].map { "o/manifest.\($0)-of-3.jsonl" }.filter { (try? Data(contentsOf: URL(fileURLWithPath: directory + "/" + $0)).isEmpty) == false }
    XCTAssertEqual(nonEmpty.count, 2)
    let merged = try spawnAudioprep(["manifest", "merge"] + nonEmpty + ["-o", "m.jsonl"], in: directory)
    XCTAssertEqual(merged.status, 0, merged.stderr)
  }

  /// review33n H2, W2: a merge writes over an earlier merge's output only (records of two
  /// shards or more), never over a shard's or an unsharded batch's own manifest, --force or not
  /// (both were replaced); manifests without a record merge to nothing (65, no file; it wrote 0
  /// bytes).
  func testAMergeReplacesOnlyAnEarlierMerge() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir c; for i in 1 2 3 4; do sox -n -r 16000 -b 16 -c 1 c/a$i.wav synth 0.$i sine 440; done
      for k in 0 1; do "$AP" batch c --out-dir s --shard $k/2 -q; done
      for k in 0 1 2; do "$AP" batch c --out-dir s --shard $k/3 -q; done
      "$AP" batch c --out-dir u -q
      "$AP" manifest merge s/manifest.0-of-2.jsonl s/manifest.1-of-2.jsonl -o merged.jsonl
      : > empty.jsonl
      """, in: directory)
    // A shard's name is refused as a usage error (64), an unsharded batch's manifest as an output (73).
    for (target, status) in [("s/manifest.0-of-3.jsonl", Int32(64)), ("u/manifest.jsonl", 73)] {
      let before = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + target))
      let result = try spawnAudioprep(["manifest", "merge", "s/manifest.0-of-2.jsonl", "s/manifest.1-of-2.jsonl", "-o", target, "--force"], in: directory)
      XCTAssertEqual(result.status, status, "\(target): \(result.stderr)")
      XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + target)), before, target)
    }
    let again = try spawnAudioprep(["manifest", "merge", "s/manifest.0-of-2.jsonl", "s/manifest.1-of-2.jsonl", "-o", "merged.jsonl", "--force"], in: directory)
    XCTAssertEqual(again.status, 0, again.stderr)
    let empty = try spawnAudioprep(["manifest", "merge", "empty.jsonl", "-o", "nothing.jsonl"], in: directory)
    XCTAssertEqual(empty.status, 65, empty.stderr)
    XCTAssertNil(state(directory + "/nothing.jsonl"))
  }

  /// review33n H3: a `--from-list` rerun after a rename drops the old name's record (the
  /// manifest kept it, and the export listed the audio twice), as a walked directory's does.
  func testAListRerunDropsTheRecordOfARenamedInput() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir c; sox -n -r 16000 -b 16 -c 1 c/a.wav synth 0.3 sine 440; sox -n -r 16000 -b 16 -c 1 c/b.wav synth 0.4 sine 440
      ls c/*.wav | "$AP" batch --from-list - --out-dir o -q
      mv c/b.wav c/b2.wav
      ls c/*.wav > list.txt
      """, in: directory)
    let result = try spawnAudioprep(["batch", "--from-list", "list.txt", "--out-dir", "o", "--no-progress"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertTrue(result.stderr.contains("1 record dropped: its input is no longer there (c/b.wav)"), result.stderr)
    let manifest = try String(contentsOfFile: directory + "/o/manifest.jsonl", encoding: .utf8)
    XCTAssertEqual(manifest.split(separator: "\n").count, 2, manifest)
  }

  /// review33n H1: inputs missing from the corpus, with duplicates beside them (shards run on
  /// different listings), are said by the export as by the merge (it said only the duplicates).
  func testTheExportSaysInputsMissingBesideDuplicates() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir c; for i in 1 2 3 4 5 6; do sox -n -r 16000 -b 16 -c 1 c/a$i.wav synth 0.$i sine 440; done
      "$AP" batch c --out-dir s --shard 0/2 -q
      sox -n -r 16000 -b 16 -c 1 c/big.wav synth 3 sine 440; sox -n -r 16000 -b 16 -c 1 c/big2.wav synth 2.5 sine 440
      "$AP" batch c --out-dir s --shard 1/2 -q
      """, in: directory)
    let merge = try spawnAudioprep(["manifest", "merge", "s/manifest.0-of-2.jsonl", "s/manifest.1-of-2.jsonl"], in: directory)
    let missing = merge.stderr.split(separator: "\n").first { $0.contains("inputs missing") }
    let export = try spawnAudioprep(["manifest", "export", "--to", "csv", "s/manifest.0-of-2.jsonl", "s/manifest.1-of-2.jsonl", "-o", "x.csv"], in: directory)
    XCTAssertEqual(export.status, 0, export.stderr)
    if let missing {
      XCTAssertTrue(export.stderr.contains(String(missing.split(separator: ": ").last!.prefix { $0 != "(" })), "merge: \(merge.stderr)\nexport: \(export.stderr)")
    } else {
      XCTFail("the listing change left no input missing: \(merge.stderr)")
    }
  }

  /// review33p H1: a subdirectory batched first, then the whole corpus into the same --out-dir:
  /// the input's newer record (under its new relative path) replaces the older, and the export
  /// reads the manifest (it refused it for good: "two records of one input").
  func testAnInputUnderANewRelativePathReplacesItsRecord() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir -p c/spk1 c/spk2; sox -n -r 16000 -b 16 -c 1 c/spk1/a.wav synth 0.3 sine 440; sox -n -r 16000 -b 16 -c 1 c/spk2/b.wav synth 0.4 sine 440
      "$AP" batch c/spk1 --out-dir o -q
      """, in: directory)
    let whole = try spawnAudioprep(["batch", "c", "--out-dir", "o", "--no-progress"], in: directory)
    XCTAssertEqual(whole.status, 0, whole.stderr)
    XCTAssertTrue(whole.stderr.contains("1 record replaced: its input is now under another relative path (c/spk1/a.wav was a.wav); its output is left (o/a.wav)"), whole.stderr)
    let export = try spawnAudioprep(["manifest", "export", "--to", "csv", "o/manifest.jsonl", "-o", "x.csv", "-q"], in: directory)
    XCTAssertEqual(export.status, 0, export.stderr)
    XCTAssertEqual(try String(contentsOfFile: directory + "/x.csv", encoding: .utf8).split(separator: "\n").count, 3)
  }

  /// review33r H1: the corpus moved (`mv corpus corpus_v2`) and a file renamed in it: the rerun
  /// drops the renamed file's old record, whose root is gone (it kept it: the audio exported
  /// twice, once with an empty transcript).
  func testAMovedCorpusLeavesNoRecordOfARenamedFile() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir -p corpus/spk1; sox -n -r 16000 -b 16 -c 1 corpus/spk1/a.wav synth 0.3 sine 440; sox -n -r 16000 -b 16 -c 1 corpus/spk1/b.wav synth 0.4 sine 440
      "$AP" batch corpus --out-dir out -q
      mv corpus corpus_v2; mv corpus_v2/spk1/b.wav corpus_v2/spk1/b_new.wav
      """, in: directory)
    let rerun = try spawnAudioprep(["batch", "corpus_v2", "--out-dir", "out", "--no-progress"], in: directory)
    XCTAssertEqual(rerun.status, 0, rerun.stderr)
    XCTAssertTrue(rerun.stderr.contains("1 record dropped: its input is no longer there (corpus/spk1/b.wav)"), rerun.stderr)
    let manifest = try String(contentsOfFile: directory + "/out/manifest.jsonl", encoding: .utf8)
    XCTAssertEqual(manifest.split(separator: "\n").count, 2, manifest)
  }

  /// review33r W1: `--speaker-from 1` over `--from-list` paths that all start with `corpus/`
  /// gives every input one speaker: said (it was silent).
  func testOneSpeakerForEveryInputIsSaid() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir -p corpus/spk1 corpus/spk2; sox -n -r 16000 -b 16 -c 1 corpus/spk1/a.wav synth 0.3 sine 440; sox -n -r 16000 -b 16 -c 1 corpus/spk2/b.wav synth 0.4 sine 440
      ls corpus/*/*.wav | "$AP" batch --from-list - --out-dir out -q
      """, in: directory)
    let export = try spawnAudioprep(["manifest", "export", "--to", "kaldi", "out/manifest.jsonl", "-o", "k", "--speaker-from", "1"], in: directory)
    XCTAssertEqual(export.status, 0, export.stderr)
    XCTAssertTrue(export.stderr.contains("every input has the one speaker 'corpus'"), export.stderr)
  }

  /// A batch's segments lie beside their sidecar, and both readers of a sidecar hold it to
  /// that (one parser): a `file` naming another directory (`../c/a.wav`, an absolute path) is a
  /// damaged sidecar for the export (65, one line naming it) as it was already for a batch's
  /// resumption. The export took such a line and listed the file it named (here an input).
  func testASidecarNamingAFileElsewhereIsDamagedForTheExport() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir c; sox -n -r 16000 -b 16 -c 1 c/a.wav synth 0.5 sine 440
      "$AP" batch c --out-dir o --segment 0.2s --no-progress 2>/dev/null
      cp o/a_0000.wav c/copy.wav
      """, in: directory)
    let sidecar = directory + "/o/a.segments.jsonl"
    let manifest = directory + "/o/manifest.jsonl"
    let original = try String(contentsOfFile: sidecar, encoding: .utf8)
    let originalManifest = try String(contentsOfFile: manifest, encoding: .utf8)
    // FNV-1a 64 (the manifest's `output_hash`), so the forged sidecar passes the hash check.
    func fnv1a64(_ text: String) -> String {
      var hash: UInt64 = 0xcbf2_9ce4_8422_2325
      for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
      let hex = String(hash, radix: 16)
      return "fnv1a64:" + String(repeating: "0", count: 16 - hex.count) + hex
    }
    for forged in ["../c/copy.wav", directory + "/c/copy.wav"] {
      let forgedSidecar = original.replacingOccurrences(of: "\"file\":\"a_0000.wav\"", with: "\"file\":\"\(forged)\"")
      try forgedSidecar.write(toFile: sidecar, atomically: false, encoding: .utf8)
      try originalManifest.replacingOccurrences(of: fnv1a64(original), with: fnv1a64(forgedSidecar))
        .write(toFile: manifest, atomically: false, encoding: .utf8)
      let result = try spawnAudioprep(["manifest", "export", "--to", "csv", "o/manifest.jsonl", "-o", "-"], in: directory)
      XCTAssertEqual(result.status, 65, "\(forged): \(result.summary) \(result.stderr)")
      assertOneErrorLine(result, naming: "a.segments.jsonl", forged)
      XCTAssertFalse(String(decoding: result.stdout, as: UTF8.self).contains("copy.wav"), forged)
    }
  }

  /// A manifest that is a pipe (a FIFO, `<(…)`, `-` for standard input) is read like a file; a
  /// directory is 66 saying so, not 65 "holds no manifest record" (review19 15).
  func testAManifestIsReadFromAPipeAndADirectoryIsSaidToBeOne() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir c; sox -n -r 16000 -b 16 -c 1 c/a.wav synth 0.3 sine 440
      "$AP" batch c --out-dir o --no-progress 2>/dev/null; mkfifo fifo
      """, in: directory)
    for (name, script) in [
      ("a FIFO", "cat o/manifest.jsonl > fifo & exec \"$AP\" manifest export --to csv fifo -o -"),
      ("<(…)", "exec \"$AP\" manifest export --to csv <(cat o/manifest.jsonl) -o -"),
      ("-", "exec \"$AP\" manifest export --to csv - -o - < o/manifest.jsonl"),
    ] {
      let result = try bash(script, in: directory)
      XCTAssertEqual(result.status, 0, "\(name): \(result.summary) \(result.stderr)")
      XCTAssertTrue(String(decoding: result.stdout, as: UTF8.self).contains("/o/a.wav"), "\(name): \(String(decoding: result.stdout, as: UTF8.self))")
    }
    let result = try spawnAudioprep(["manifest", "export", "--to", "csv", "o", "-o", "-"], in: directory)
    XCTAssertEqual(result.status, 66, "\(result.summary) \(result.stderr)")
    assertOneErrorLine(result, naming: "o", "a directory")
    XCTAssertTrue(result.stderr.contains("is a directory"), result.stderr)
  }

  /// Messages say what is so, once (review19 17): an output or a transcript given as `-o` is
  /// not called an input; a file given to a directory format names itself once; inputs missing
  /// from the manifests given are one warning, not two.
  func testExportMessagesSayWhatIsSoOnce() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir c; for name in a b; do sox -n -r 16000 -b 16 -c 1 c/$name.wav synth 0.3 sine 440; done; printf 'A\\n' > c/a.txt
      "$AP" batch c --out-dir o --no-progress 2>/dev/null
      "$AP" batch c --out-dir s --shard 0/2 --no-progress 2>/dev/null
      """, in: directory)
    for destination in ["o/a.wav", "c/a.txt", "o/manifest.jsonl"] {
      let result = try spawnAudioprep(["manifest", "export", "--to", "csv", "o/manifest.jsonl", "-o", destination, "--force"], in: directory)
      XCTAssertEqual(result.status, 73, "\(destination): \(result.summary) \(result.stderr)")
      assertOneErrorLine(result, naming: destination, destination)
      XCTAssertFalse(result.stderr.contains("is an input"), "\(destination): \(result.stderr)")
    }
    let file = try spawnAudioprep(["manifest", "export", "--to", "kaldi", "o/manifest.jsonl", "-o", "c/a.txt"], in: directory)
    XCTAssertEqual(file.status, 73, "\(file.summary) \(file.stderr)")
    assertOneErrorLine(file, naming: "c/a.txt", "kaldi -o c/a.txt")
    XCTAssertEqual(file.stderr.components(separatedBy: "c/a.txt").count, 2, "the path named more than once: \(file.stderr)")
    let shard = try spawnAudioprep(["manifest", "export", "--to", "csv", "s/manifest.0-of-2.jsonl", "-o", "x.csv"], in: directory)
    XCTAssertEqual(shard.status, 0, "\(shard.summary) \(shard.stderr)")
    XCTAssertEqual(shard.stderrLines.filter { $0.contains("missing") }.count, 1, shard.stderr)
  }
}

/// A name longer than the file system takes (NAME_MAX, 255 bytes) is refused when its output is
/// opened, 73 naming it, with nothing left behind: a segment's name (a 251-byte input + `_0000`)
/// crashed batch (SIGILL) on the way into place and left its temporaries (#19 review).
extension WriteSafetyTests {
  func testANameLongerThanTheFileSystemTakesIsRefusedWithoutACrash() throws {
    let directory = try scratchDirectory(self)
    let long = String(repeating: "a", count: 251)
    try setUpFiles("mkdir c; sox -n -r 16000 -b 16 -c 1 c/\(long).wav synth 0.3 sine 440", in: directory)
    for (arguments, name) in [
      (["batch", "c", "--out-dir", "o", "--segment", "0.1s", "--no-progress"], long + "_0000.wav"),
      (["c/\(long).wav", "-o", "o2/\(long)_x.wav"], long + "_x.wav"),
      (["c/\(long).wav", "-o", "o3/\(long)_%04d.wav", "--segment", "0.1s"], long + "_0000.wav"),
    ] {
      try setUpFiles("mkdir -p o2 o3", in: directory)
      let result = try spawnAudioprep(arguments, in: directory)
      XCTAssertTrue([65, 73].contains(result.status), "\(arguments[0]): \(result.summary) \(result.stderr.prefix(300))")
      XCTAssertTrue(result.stderr.contains(name) || result.stderr.contains(long), "\(arguments[0]): \(result.stderr.prefix(300))")
      let leftovers = tree(directory).keys.filter { $0.contains(".audioprep-") || $0.hasSuffix(".tmp") }
      XCTAssertEqual(leftovers, [], "\(arguments[0])")
    }
  }
}

extension WriteSafetyTests {
  /// review47 W04: a Kaldi `text` made by hand, in the directory of an export that writes none
  /// (no transcripts), was refused as "left from an earlier export", which audioprep cannot
  /// know. It is refused without saying whose it is, and stays.
  func testAFileTheExportDoesNotWriteIsNotCalledAnEarlierExports() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir corp data; sox -n -r 16000 -b 16 -c 1 corp/a.wav synth 0.5 sine 440
      "$AP" batch corp --out-dir out --no-progress 2>/dev/null
      printf 'a hello world\\n' > data/text
      """, in: directory)
    let result = try spawnAudioprep(["manifest", "export", "--to", "kaldi", "out/manifest.jsonl", "-o", "data"], in: directory)
    XCTAssertEqual(result.status, 73, result.stderr)
    assertOneErrorLine(result, naming: "data/text", "a text of the user's")
    XCTAssertTrue(result.stderr.contains("an earlier export's, or yours"), result.stderr)
    XCTAssertEqual(String(decoding: readWholeFile(directory + "/data/text"), as: UTF8.self), "a hello world\n")
  }
}
