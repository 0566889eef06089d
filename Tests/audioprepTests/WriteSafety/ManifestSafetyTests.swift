import Foundation
import Glibc
import TestSupport
import XCTest

/// What `--manifest` may name, and what a resumed batch takes from it (#16).
extension WriteSafetyTests {
  /// review61 W1: `batch --manifest LINK`, a symlink to a manifest, was refused saying only
  /// "use --force to replace the link itself", where batch's `--force` also reprocesses every
  /// input. The refusal names the file the link points to, which can be named instead, and
  /// what `--force` does; the link and the manifest stay.
  func testAManifestThatIsALinkIsRefusedNamingItsTarget() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir c; sox -n -r 16000 c/a.wav synth 0.3 sine 300 vol 0.3
      "$AP" batch c --out-dir o --no-progress -q
      ln -s o/manifest.jsonl link.jsonl
      mkdir keep; cp o/manifest.jsonl keep/m.jsonl; ln -s ../keep/m.jsonl o/rel.jsonl
      """, in: directory)
    let before = tree(directory)
    let result = try spawnAudioprep(["batch", "c", "--out-dir", "o", "--manifest", "link.jsonl", "--no-progress"], in: directory)
    XCTAssertEqual(result.status, 73, result.stderr)
    XCTAssertEqual(
      result.stderrLines,
      ["audioprep: link.jsonl: is a symlink to o/manifest.jsonl, never written through: name that file as --manifest, or use --force to replace the link itself (batch's --force also reprocesses every input)"])
    // review64 W3: a relative target is named as a path from here, not from the link's directory.
    let relative = try spawnAudioprep(["batch", "c", "--out-dir", "o", "--manifest", "o/rel.jsonl", "--no-progress"], in: directory)
    XCTAssertEqual(relative.status, 73, relative.stderr)
    XCTAssertTrue(relative.stderr.hasPrefix("audioprep: o/rel.jsonl: is a symlink to o/../keep/m.jsonl, never written through"), relative.stderr)
    XCTAssertEqual(tree(directory), before)
  }

  /// `--manifest` naming a file that is not a manifest (the --from-list file, any text) is
  /// refused (73) and the file is left as it was; an absent, empty or real manifest is taken.
  func testAManifestThatIsNotAManifestIsRefused() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir corp; sox -n -r 16000 -b 16 -c 1 corp/a.wav synth 0.2 sine 440
      printf 'corp/a.wav\\n' > list.txt; printf 'my notes\\nline two' > notes.txt; : > empty.jsonl
      """, in: directory)
    for (name, arguments) in [
      ("the --from-list file", ["--from-list", "list.txt", "--manifest", "list.txt"]),
      ("a text file", ["corp", "--manifest", "notes.txt"]),
      ("a text file, --force", ["corp", "--manifest", "notes.txt", "--force"]),
      // review60 W4: a file whose size says 0 and whose reads give lines was taken as empty.
      ("a /proc file", ["corp", "--manifest", "/proc/self/status"]),
    ] {
      let before = tree(directory)
      let result = try spawnAudioprep(["batch"] + arguments + ["--out-dir", "out", "--no-progress"], in: directory)
      XCTAssertEqual(result.status, 73, "\(name): \(result.summary) \(result.stderr)")
      assertOneErrorLine(result, naming: arguments[arguments.firstIndex(of: "--manifest")! + 1], name)
      for path in ["/list.txt", "/notes.txt"] {
        XCTAssertEqual(state(directory + path), before[directory + path], "\(name): \(path)")
      }
    }
    for manifest in ["empty.jsonl", "new.jsonl", "empty.jsonl"] {
      let result = try spawnAudioprep(
        ["batch", "corp", "--out-dir", "out", "--manifest", manifest, "--no-progress"], in: directory)
      XCTAssertEqual(result.status, 0, "\(manifest): \(result.summary) \(result.stderr)")
    }
  }

  /// A file whose first line is a record but whose later lines are not all records (or the
  /// torn start of one) is no manifest either: refused (73) and left byte for byte. (Its first
  /// line let it through, and the end-of-run rewrite deleted the notes line; review34a A14.)
  /// A manifest with a line a crash tore is still taken.
  func testAManifestWithALineThatIsNoRecordIsRefused() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir corp; sox -n -r 16000 -b 16 -c 1 corp/a.wav synth 0.2 sine 440
      "$AP" batch corp --out-dir out --no-progress
      { cat out/manifest.jsonl; printf 'my lab notebook line\n'; } > notes.jsonl
      { cat out/manifest.jsonl; printf '{"input":"corp/b.wav","relat'; } > torn.jsonl
      """, in: directory)
    let before = state(directory + "/notes.jsonl")
    let refused = try spawnAudioprep(["batch", "corp", "--out-dir", "out", "--manifest", "notes.jsonl", "--no-progress"], in: directory)
    XCTAssertEqual(refused.status, 73, "\(refused.summary) \(refused.stderr)")
    assertOneErrorLine(refused, naming: "notes.jsonl", "a notes line")
    XCTAssertTrue(refused.stderr.contains("line 2 is not a record"), refused.stderr)
    XCTAssertEqual(state(directory + "/notes.jsonl"), before)
    let torn = try spawnAudioprep(["batch", "corp", "--out-dir", "out", "--manifest", "torn.jsonl", "--no-progress", "-q"], in: directory)
    XCTAssertEqual(torn.status, 0, "\(torn.summary) \(torn.stderr)")
    // A manifest as the reader takes it: a byte order mark, an empty first line, a first
    // record over 64 KiB (review34b B7, B8: refused, 73).
    try setUpFiles(
      """
      { printf '\\xef\\xbb\\xbf'; cat out/manifest.jsonl; } > bom.jsonl
      { echo; cat out/manifest.jsonl; } > empty-first.jsonl
      sed 's/"status":"ok"/"status":"ok","note":"'"$(head -c 70000 /dev/zero | tr '\\0' x)"'"/' out/manifest.jsonl > long.jsonl
      """, in: directory)
    XCTAssertGreaterThan(readWholeFile(directory + "/long.jsonl").count, 70000)
    for manifest in ["bom.jsonl", "empty-first.jsonl", "long.jsonl"] {
      let result = try spawnAudioprep(["batch", "corp", "--out-dir", "out", "--manifest", manifest, "--no-progress", "-q"], in: directory)
      XCTAssertEqual(result.status, 0, "\(manifest): \(result.summary) \(result.stderr)")
    }
  }

  /// A manifest on a device or standard output's descriptor is appended to and never read
  /// back: `/dev/stdout` (a file or a pipe behind it) is 0 with every record written, as `-`
  /// is; `/dev/zero` and `/dev/full`'s reads end. (/dev/stdout was 66, "read failed: Bad file
  /// descriptor" or "Illegal seek", after every output was written; /dev/zero was read without
  /// end, and SIGTERM waited for it; review34a A7, A12.)
  func testAManifestOnADeviceIsAppendedToAndNeverReadBack() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles("mkdir corp; sox -n -r 16000 -b 16 -c 1 corp/a.wav synth 0.2 sine 440", in: directory)
    let toAFile = try bash(
      "\"$AP\" batch corp --out-dir o1 --no-progress --manifest /dev/stdout > m1.txt; echo $?; grep -c '\"status\":\"ok\"' m1.txt",
      in: directory, timeLimit: spawnTimeLimit)
    XCTAssertEqual(String(decoding: toAFile.stdout, as: UTF8.self), "0\n1\n", toAFile.stderr)
    let toAPipe = try bash(
      "\"$AP\" batch corp --out-dir o2 --no-progress --manifest /dev/stdout | grep -c '\"status\":\"ok\"'; echo ${PIPESTATUS[0]}",
      in: directory, timeLimit: spawnTimeLimit)
    XCTAssertEqual(String(decoding: toAPipe.stdout, as: UTF8.self), "1\n0\n", toAPipe.stderr)
    for device in ["/dev/zero", "/dev/null"] {
      let result = try spawnAudioprep(["batch", "corp", "--out-dir", "o3", "--manifest", device, "--no-progress", "-q"], in: directory)
      XCTAssertEqual(result.status, 0, "\(device): \(result.summary) \(result.stderr)")
    }
  }

  /// The golden file of `--golden` is an input: no output of the run may replace it.
  func testTheGoldenFileIsProtectedLikeAnInput() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 0.3, in: directory)
    try setUpFiles("\"$AP\" in.wav -o golden.wav", in: directory)
    let before = state(directory + "/golden.wav")
    for arguments in [
      ["in.wav", "-o", "golden.wav", "--force", "--golden", "golden.wav"],
      ["in.wav", "-o", "x.wav", "--stats-json", "golden.wav", "--force", "--golden", "golden.wav"],
    ] {
      let result = try spawnAudioprep(arguments, in: directory)
      XCTAssertEqual(result.status, 73, "\(arguments): \(result.summary) \(result.stderr)")
      XCTAssertEqual(state(directory + "/golden.wav"), before, "\(arguments)")
    }
  }

  /// A resumed batch writes the output path it computes, never the `output` of an old record.
  func testAResumeNeverCopiesAForgedOutputField() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir corp; sox -n -r 16000 -b 16 -c 1 corp/a.wav synth 0.2 sine 440
      "$AP" batch corp --out-dir out --no-progress 2>/dev/null
      sed -i 's|"output":"[^"]*"|"output":"/etc/passwd"|' out/manifest.jsonl
      "$AP" batch corp --out-dir out --no-progress 2>/dev/null
      """, in: directory)
    let records = try manifestRecords(directory + "/out/manifest.jsonl")
    XCTAssertEqual(records.count, 1)
    XCTAssertEqual(records.first?["status"] as? String, "skipped")
    XCTAssertEqual(records.first?["output"] as? String, "out/a.wav")
  }

  /// review60 H2: a record edited to name another file of the output's directory as its
  /// `output`, with that file's hash: a plain rerun reprocessed the input and removed the file
  /// (a user's notes), as an earlier output of another format, where `manifest export` calls
  /// the record damaged. An `output` batch could not have written names nothing a rerun
  /// replaces or removes.
  func testARerunNeverRemovesAFileAnEditedRecordNames() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir c; for i in 1 2 3; do sox -n -r 16000 c/a$i.wav synth 0.5 sine $((300*i)) vol 0.3; done
      "$AP" batch c --out-dir o --no-progress -q
      echo "my notes" > o/README.txt
      python3 - <<'PY'
      import json
      def fnv(b):
          h = 0xcbf29ce484222325
          for x in b: h = ((h ^ x) * 0x100000001b3) & 0xffffffffffffffff
          return 'fnv1a64:%016x' % h
      records = [json.loads(line) for line in open('o/manifest.jsonl')]
      for record in records:
          if record['relative_path'] == 'a1.wav':
              record['output'] = 'o/README.txt'
              record['output_hash'] = fnv(open('o/README.txt', 'rb').read())
      open('o/manifest.jsonl', 'w').write(''.join(json.dumps(r, separators=(',', ':')) + '\\n' for r in records))
      PY
      "$AP" batch c --out-dir o --no-progress -q || true
      """, in: directory)
    XCTAssertEqual(try String(contentsOfFile: directory + "/o/README.txt", encoding: .utf8), "my notes\n")
  }
}

extension WriteSafetyTests {
  /// An output that is the input FIFO, however spelled, is refused (73) before anything is
  /// opened: audioprep would otherwise wait on itself, or read back what it writes.
  func testAnOutputThatIsTheInputFIFOIsRefused() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles("mkfifo in.fifo; ln -s in.fifo link.fifo", in: directory)
    for arguments in [
      ["in.fifo", "-o", "in.fifo", "--format", "wav"], ["in.fifo", "-o", "link.fifo", "--format", "raw"],
      ["in.fifo", "-o", "x.wav", "--stats-json", "in.fifo"],
    ] {
      let result = try spawnAudioprep(arguments, in: directory, timeLimit: 5)
      XCTAssertEqual(result.status, 73, "\(arguments): \(result.summary) \(result.stderr)")
      assertOneErrorLine(result, naming: arguments[2] == "x.wav" ? "in.fifo" : arguments[2], "\(arguments)")
    }
  }
}

/// What the hostile review of #16 found in the first fixes (each failed before its fix).
extension WriteSafetyTests {
  /// `--manifest` naming a hard-linked input or notes file is refused before anything changes
  /// it: no unsharing (a new inode, new permissions) happens first. A symlink to an input is an
  /// input, `--force` or not.
  func testARefusedManifestIsLeftAsItWasEvenHardLinkedOrLinked() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir c; sox -n -r 16000 -b 16 -c 1 c/a.wav synth 0.2 sine 440
      ln c/a.wav keep.wav; chmod 440 c/a.wav
      echo x > notes.txt; ln notes.txt snap.txt; chmod 600 notes.txt
      ln -s c/a.wav link.wav
      """, in: directory)
    for (manifest, message, force) in [
      ("c/a.wav", "is an input", false), ("notes.txt", "not an audioprep manifest", false),
      ("link.wav", "is an input", true), ("link.wav", "is an input", false),
    ] {
      let before = tree(directory)
      let result = try spawnAudioprep(
        ["batch", "c/a.wav", "--out-dir", "o", "--manifest", manifest, "--no-progress"] + (force ? ["--force"] : []),
        in: directory)
      XCTAssertEqual(result.status, 73, "\(manifest): \(result.summary) \(result.stderr)")
      XCTAssertTrue(result.stderr.contains(message), "\(manifest): \(result.stderr)")
      for path in ["/c/a.wav", "/keep.wav", "/notes.txt", "/snap.txt", "/link.wav"] {
        XCTAssertEqual(state(directory + path), before[directory + path], "\(manifest): \(path)")
      }
      var status = stat()
      XCTAssertEqual(lstat(directory + "/notes.txt", &status), 0)
      XCTAssertEqual(status.st_nlink, 2, "\(manifest): notes.txt is still linked")
      XCTAssertEqual(status.st_mode & 0o777, 0o600, "\(manifest): notes.txt keeps its permissions")
    }
  }

  /// A JSON file that only looks like a record's start is not a manifest; a torn first line
  /// followed by records (a crash, then an interrupted rerun) still is.
  func testOnlyATornRecordCountsAsAManifestsStart() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir c; sox -n -r 16000 -b 16 -c 1 c/a.wav synth 0.2 sine 440
      python3 -c 'import json; json.dump({"input": "corpus/", "model": "base.en"}, open("job.json", "w"))'
      printf '{"input":"corpus/","model":"x"}' > compact.json
      "$AP" batch c --out-dir first -q
      { printf '{"input":"c/a.wav","relative_pa\\n'; cat first/manifest.jsonl; } > torn.jsonl
      """, in: directory)
    for manifest in ["job.json", "compact.json"] {
      let before = state(directory + "/" + manifest)
      let result = try spawnAudioprep(["batch", "c", "--out-dir", "o", "--manifest", manifest, "-q"], in: directory)
      XCTAssertEqual(result.status, 73, "\(manifest): \(result.summary) \(result.stderr)")
      XCTAssertEqual(state(directory + "/" + manifest), before, manifest)
    }
    let torn = try spawnAudioprep(["batch", "c", "--out-dir", "o", "--manifest", "torn.jsonl", "-q"], in: directory)
    XCTAssertEqual(torn.status, 0, torn.stderr)
  }

  /// A resumed batch reads a segment only beside its sidecar: a forged `file` pointing
  /// elsewhere is not trusted, and the input is processed again.
  func testAForgedSidecarFileFieldIsNotTrusted() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir c; sox -n -r 16000 -b 16 -c 1 c/a.wav synth 2 sine 440
      "$AP" batch c --out-dir out --segment 1s -q
      cp out/a_0000.wav secret.wav
      sed -i 's|"file":"a_0000.wav"|"file":"../secret.wav"|' out/a.segments.jsonl
      rm out/a_0000.wav
      hash=$(python3 -c 'import json; print(json.loads(open("out/manifest.jsonl").readline())["output_hash"])')
      new=$(python3 - <<'PY'
      h = 0xcbf29ce484222325
      for b in open("out/a.segments.jsonl", "rb").read():
          h = ((h ^ b) * 0x100000001b3) % (1 << 64)
      print("fnv1a64:" + format(h, "016x"))
      PY
      )
      sed -i "s|$hash|$new|" out/manifest.jsonl
      "$AP" batch c --out-dir out --segment 1s -q
      """, in: directory)
    let records = try manifestRecords(directory + "/out/manifest.jsonl")
    XCTAssertEqual(records.first?["status"] as? String, "ok", "processed again, not skipped: \(records)")
    XCTAssertNotNil(state(directory + "/out/a_0000.wav"))
  }

  /// `response` writes both of its files or neither: a table that cannot be written takes the
  /// plot back, and an earlier plot it replaced comes back.
  func testAFailingResponseLeavesWhatWasThere() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles("\"$AP\" response --svg r.svg --csv r.csv", in: directory)
    let before = tree(directory)
    let forced = try spawnAudioprep(["response", "--svg", "r.svg", "--csv", "/dev/full", "--force", "--gain", "2"], in: directory)
    XCTAssertEqual(forced.status, 74, forced.stderr)
    XCTAssertEqual(tree(directory), before)
    let fresh = try spawnAudioprep(["response", "--svg", "new.svg", "--csv", "/dev/full"], in: directory)
    XCTAssertEqual(fresh.status, 74, fresh.stderr)
    XCTAssertNil(state(directory + "/new.svg"))
  }

  /// A shard count beyond any cluster's is a usage error at once, never gigabytes or a crash.
  func testAHugeShardCountIsAUsageError() throws {
    let directory = try scratchDirectory(self)
    try tone("a.wav", seconds: 0.2, in: directory)
    for shard in ["0/1000001", "0/4294967296", "0/9223372036854775807"] {
      let result = try spawnAudioprep(["batch", "a.wav", "--out-dir", "o", "--shard", shard], in: directory, timeLimit: 10)
      XCTAssertEqual(result.status, 64, "\(shard): \(result.summary) \(result.stderr)")
      XCTAssertEqual(result.stderrLines.count, 1, "\(shard): \(result.stderr)")
    }
  }
}
