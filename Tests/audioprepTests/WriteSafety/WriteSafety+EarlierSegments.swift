import Foundation
import Glibc
import TestSupport
import XCTest

/// A re-segmentation removes only earlier segments it could have written itself: a name its
/// `-o` pattern (or batch's `STEM_%04d`) makes, in the pattern's directory, that is no input.
/// The sidecar is an ordinary JSONL file; what it names is not a licence to delete
/// (review35 R11: a forged line naming the input, or notes.txt, with its hash, removed it).
extension WriteSafetyTests {
  /// The hash the sidecar gives a file (`ContentHash`: FNV-1a, 64 bits).
  private func listedHash(_ path: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in readWholeFile(path) {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01b3
    }
    let digits = String(hash, radix: 16)
    return "fnv1a64:" + String(repeating: "0", count: 16 - digits.count) + digits
  }

  /// Appends to the sidecar at `list` one line per name, each a copy of its last line naming
  /// that file (beside the list) with the file's real hash: what a user's tool could write.
  private func appendForgedLines(naming names: [String], to list: String) throws {
    let text = try String(contentsOfFile: list, encoding: .utf8)
    let last = try XCTUnwrap(text.split(separator: "\n").last)
    var record = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
    let directory = (list as NSString).deletingLastPathComponent
    var added = ""
    for name in names {
      record["index"] = (record["index"] as? Int ?? 0) + 1
      record["file"] = name
      record["hash"] = listedHash(directory + "/" + name)
      added += String(decoding: try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]), as: UTF8.self) + "\n"
    }
    let handle = try XCTUnwrap(FileHandle(forWritingAtPath: list))
    handle.seekToEndOfFile()
    handle.write(Data(added.utf8))
    handle.closeFile()
  }

  /// `process --force` into fewer segments, after lines naming the input, a note, a name of
  /// another width and a link were added to the list: each stays, and one line says which the
  /// list named that are not this run's segments.
  func testAForceResegmentationRemovesNoFileItsOldListNamesOutsideThePattern() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir d; sox -n -r 16000 -b 16 -c 1 d/in.wav synth 4 sine 440 vol 0.3
      echo 'notes that are not audio' > d/notes.txt
      "$AP" d/in.wav --segment 1s -o 'd/S_%04d.wav' -q
      cp d/S_0000.wav d/S_7.wav; ln -s notes.txt d/S_0008.wav
      """, in: directory)
    try appendForgedLines(
      naming: ["in.wav", "notes.txt", "S_7.wav", "S_0008.wav"], to: directory + "/d/in.segments.jsonl")
    let kept = ["in.wav", "notes.txt", "S_7.wav", "S_0008.wav"].map { ($0, state(directory + "/d/" + $0)) }
    let result = try spawnAudioprep(["d/in.wav", "--segment", "2s", "-o", "d/S_%04d.wav", "--force"], in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    for (name, before) in kept {
      XCTAssertEqual(state(directory + "/d/" + name), before, "\(name) was removed or changed")
    }
    // The run's own earlier segments, as it wrote them, still go.
    XCTAssertNil(state(directory + "/d/S_0002.wav"))
    XCTAssertNil(state(directory + "/d/S_0003.wav"))
    // The link (S_0008.wav) has the pattern's form: it is not followed, and is said as a file
    // of the pattern's names this run did not write (review42 H12).
    XCTAssertEqual(
      result.stderr,
      "audioprep: d/in.segments.jsonl: the earlier list named 3 files not among this run's segments (in.wav, notes.txt, S_7.wav); left in place\n"
        + "audioprep: d/S_%04d.wav: 1 file with this pattern's names not written by this run (S_0008.wav); left in place\n")
  }

  /// An input named like a segment of the pattern (`d/S_0009.wav`), named by the old list with
  /// its hash: an input is never removed, whatever its name.
  func testAForceResegmentationNeverRemovesAnInputNamedLikeASegment() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir d; sox -n -r 16000 -b 16 -c 1 d/S_0009.wav synth 4 sine 440 vol 0.3
      "$AP" d/S_0009.wav --segment 1s -o 'd/S_%04d.wav' --segments-list d/in.segments.jsonl -q
      """, in: directory)
    try appendForgedLines(naming: ["S_0009.wav"], to: directory + "/d/in.segments.jsonl")
    let input = state(directory + "/d/S_0009.wav")
    let result = try spawnAudioprep(
      ["d/S_0009.wav", "--segment", "2s", "-o", "d/S_%04d.wav", "--segments-list", "d/in.segments.jsonl", "--force"],
      in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(state(directory + "/d/S_0009.wav"), input, "the input was removed")
    XCTAssertNil(state(directory + "/d/S_0003.wav"))
  }

  /// `batch`, rerun with `--force` and resumed after an input changed: a sidecar naming a note
  /// in the out-dir, a file named like another stem's segment, or (resumed: b is skipped)
  /// another input's segment removes none of them.
  func testABatchResegmentationRemovesNoFileItsOldListNamesOutsideThePattern() throws {
    for rerun in ["--force", "resume"] {
      let directory = try scratchDirectory(self)
      try setUpFiles(
        """
        mkdir c; sox -n -r 16000 -b 16 -c 1 c/a.wav synth 4 sine 440 vol 0.3; cp c/a.wav c/b.wav
        "$AP" batch c --out-dir o --segment 1s -q
        echo 'notes that are not audio' > o/notes.txt; cp o/a_0000.wav o/x_0000.wav
        """, in: directory)
      let names = ["notes.txt", "x_0000.wav"] + (rerun == "resume" ? ["b_0003.wav"] : [])
      try appendForgedLines(naming: names, to: directory + "/o/a.segments.jsonl")
      let kept = names.map { ($0, state(directory + "/o/" + $0)) }
      if rerun == "resume" {
        try setUpFiles("sox -n -r 16000 -b 16 -c 1 c/a.wav synth 4 sine 1000 vol 0.3", in: directory)
      }
      let result = try spawnAudioprep(
        ["batch", "c", "--out-dir", "o", "--segment", rerun == "resume" ? "1s" : "2s", "--no-progress"]
          + (rerun == "--force" ? ["--force"] : []),
        in: directory)
      XCTAssertEqual(result.status, 0, "\(rerun): \(result.stderr)")
      for (name, before) in kept {
        XCTAssertEqual(state(directory + "/o/" + name), before, "\(rerun): \(name) was removed or changed")
      }
      if rerun == "--force" { XCTAssertNil(state(directory + "/o/a_0003.wav"), rerun) }
      XCTAssertTrue(result.stderr.contains("the earlier list named"), "\(rerun): \(result.stderr)")
    }
  }

  /// An old list with a line naming `../victim.txt` or an absolute path is a damaged list: none
  /// of what it names is followed, and the run goes ahead.
  func testAForceResegmentationFollowsNoPathOutOfItsDirectory() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir d; sox -n -r 16000 -b 16 -c 1 d/in.wav synth 4 sine 440 vol 0.3
      echo victim > victim.txt
      "$AP" d/in.wav --segment 1s -o 'd/S_%04d.wav' -q
      """, in: directory)
    let hash = listedHash(directory + "/victim.txt")
    for file in ["../victim.txt", directory + "/victim.txt"] {
      let line = "{\"index\":9,\"file\":\"\(file)\",\"hash\":\"\(hash)\",\"source\":\"d/in.wav\",\"start_seconds\":0,\"end_seconds\":1,\"start_frame\":0,\"frames\":1}\n"
      let handle = try XCTUnwrap(FileHandle(forWritingAtPath: directory + "/d/in.segments.jsonl"))
      handle.seekToEndOfFile()
      handle.write(Data(line.utf8))
      handle.closeFile()
      let result = try spawnAudioprep(["d/in.wav", "--segment", "2s", "-o", "d/S_%04d.wav", "--force", "-q"], in: directory)
      XCTAssertEqual(result.status, 0, "\(file): \(result.stderr)")
      XCTAssertNotNil(state(directory + "/victim.txt"), file)
    }
  }

  /// review42 H12: segments of an earlier run whose list has another name (another input's
  /// stem, another --segments-list) are not this run's to remove, and a `--force` run that wrote
  /// fewer over the same pattern left the rest without a word: s_3.wav, the last 2 s of another
  /// recording, beside this run's s_0..s_2 for anything that globs `s_*.wav`. They stay, and one
  /// line says which of the pattern's names are no segment of this run; with and without
  /// --force, with the default list and another.
  func testFilesOfThePatternThisRunDidNotWriteAreSaid() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir a b c
      sox -n -r 16000 -b 16 -c 1 one.wav synth 8 sine 300 vol 0.3
      sox -n -r 16000 -b 16 -c 1 two.wav synth 6 sine 500 vol 0.3
      (cd a && "$AP" ../one.wav --segment 2s -o 's_%d.wav' -q)
      (cd b && "$AP" ../one.wav --segment 2s -o 's_%d.wav' --segments-list first.jsonl -q)
      cp a/s_3.wav c/s_7.wav
      """, in: directory)
    let runs: [(String, [String], String)] = [
      ("a", ["../two.wav", "--segment", "3s", "-o", "s_%d.wav", "--force"], "s_2.wav, s_3.wav"),
      ("b", ["../one.wav", "--segment", "3s", "-o", "s_%d.wav", "--segments-list", "second.jsonl", "--force"], "s_3.wav"),
      ("c", ["../two.wav", "--segment", "3s", "-o", "s_%d.wav"], "s_7.wav"),
    ]
    for (folder, arguments, strangers) in runs {
      let before = state(directory + "/a/s_3.wav")
      let result = try spawnAudioprep(arguments, in: directory + "/" + folder)
      XCTAssertEqual(result.status, 0, folder + ": " + result.stderr)
      XCTAssertTrue(
        result.stderr.contains("not written by this run (\(strangers)); left in place"), "\(folder): \(result.stderr)")
      if folder == "a" { XCTAssertEqual(state(directory + "/a/s_3.wav"), before, "another list's segment was changed") }
    }
    let quiet = try spawnAudioprep(["../two.wav", "--segment", "3s", "-o", "s_%d.wav", "--force", "-q"], in: directory + "/a")
    XCTAssertEqual(quiet.stderr, "", "-q")
  }

  /// review42 H13: an input a batch wrote as segments and now writes whole (`--segment`
  /// dropped on a --force rerun, or `--segment-longer-only` once the recording is replaced by a
  /// short one), or the reverse, kept the earlier shape's files beside the new: the recording
  /// twice in the tree, or an old version of it. The earlier shape goes once the input's new
  /// output has settled, each file only while still as the batch wrote it (a segment its list's
  /// hash vouches for, a whole file the manifest's output hash does); an edited one stays.
  func testABatchInputWrittenInTheOtherShapeLosesItsEarlierShape() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir in; sox -n -r 16000 -b 16 -c 1 in/a.wav synth 8 sine 300 vol 0.3
      sox -n -r 16000 -b 16 -c 1 in/b.wav synth 8 sine 500 vol 0.3
      "$AP" batch in --out-dir o1 --segment 2s --no-progress -q
      echo edited >> o1/b_0001.wav
      "$AP" batch in --out-dir o1 --force --no-progress -q
      "$AP" batch in --out-dir o2 --segment 2s --segment-longer-only --no-progress -q
      """, in: directory)
    let names = { (folder: String) in
      ((try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + folder)) ?? []).filter { $0.hasPrefix("a") || $0.hasPrefix("b") }.sorted()
    }
    XCTAssertEqual(names("o1"), ["a.wav", "b.wav", "b_0001.wav"], "segments, then whole with --force (b_0001.wav edited: stays)")
    try setUpFiles("sox -n -r 16000 -b 16 -c 1 in/a.wav synth 1 sine 300 vol 0.3", in: directory)
    let short = try spawnAudioprep(["batch", "in", "--out-dir", "o2", "--segment", "2s", "--segment-longer-only", "--no-progress", "-q"], in: directory)
    XCTAssertEqual(short.status, 0, short.stderr)
    XCTAssertEqual(names("o2"), ["a.wav", "b.segments.jsonl", "b_0000.wav", "b_0001.wav", "b_0002.wav", "b_0003.wav"], "long, then short")
    try setUpFiles("sox -n -r 16000 -b 16 -c 1 in/a.wav synth 8 sine 700 vol 0.3", in: directory)
    let long = try spawnAudioprep(["batch", "in", "--out-dir", "o2", "--segment", "2s", "--segment-longer-only", "--no-progress", "-q"], in: directory)
    XCTAssertEqual(long.status, 0, long.stderr)
    XCTAssertEqual(
      names("o2"), ["a.segments.jsonl", "a_0000.wav", "a_0001.wav", "a_0002.wav", "a_0003.wav", "b.segments.jsonl", "b_0000.wav", "b_0001.wav", "b_0002.wav", "b_0003.wav"],
      "long, short, long again")
    let list = try String(contentsOfFile: directory + "/o2/a.segments.jsonl", encoding: .utf8)
    XCTAssertEqual(list.split(separator: "\n").count, 4)
  }

  /// review53 W8: the same switch, segments to whole, with the out-dir spelled otherwise than
  /// the earlier run did (absolute, not relative) or moved since: the earlier segments and list
  /// stayed beside the whole file (the record's list was matched by its whole path). The record
  /// names the list in the input's own folder of the out-dir, whatever it is called now.
  func testAnInputWrittenWholeLosesItsSegmentsWhateverTheOutDirIsCalled() throws {
    let directory = try scratchDirectory(self)
    let result = try bash(
      """
      mkdir in; sox -n -r 16000 -b 16 -c 1 in/a.wav synth 4 sine 300 vol 0.3
      "$AP" batch in --out-dir A --segment 1s -q && "$AP" batch "$PWD/in" --out-dir "$PWD/A" --segment 10s --segment-longer-only -q
      echo "absolute: $(ls A | grep '^a' | tr '\n' ' ')"
      "$AP" batch in --out-dir M --segment 1s -q && mv M M2 && "$AP" batch in --out-dir M2 --segment 10s --segment-longer-only -q
      echo "moved: $(ls M2 | grep '^a' | tr '\n' ' ')"
      """, in: directory)
    XCTAssertEqual(String(decoding: result.stdout, as: UTF8.self), "absolute: a.wav \nmoved: a.wav \n", result.stderr)
  }
}
