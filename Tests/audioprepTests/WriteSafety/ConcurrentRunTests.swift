import Foundation
import Glibc
import TestSupport
import XCTest

/// Runs that overlap (two batches on one out-dir, shards on one manifest, workers of one batch)
/// never fail a valid input and never lose a record (#16).
extension WriteSafetyTests {
  /// Two unsharded batches at once on one out-dir both succeed: an output the other run
  /// replaced is no longer this run's, even when its inode number comes back as another file.
  func testTwoBatchesOnOneOutDirBothSucceed() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      "mkdir corp; sox -n -r 22050 -b 16 -c 1 corp/base.wav synth 0.1 sine 440; for i in $(seq 1 150); do cp corp/base.wav corp/f$i.wav; done",
      in: directory)
    for round in 0..<3 {
      let result = try bash(
        """
        rm -rf out
        "$AP" batch corp --out-dir out -j 2 -q 2>a.err & a=$!
        "$AP" batch corp --out-dir out -j 2 -q 2>b.err; b=$?
        wait $a; echo "$? $b"; cat a.err b.err >&2
        """, in: directory, timeLimit: spawnTimeLimit * 3)
      XCTAssertEqual(String(decoding: result.stdout, as: UTF8.self), "0 0\n", "round \(round): \(result.stderr.prefix(400))")
    }
  }

  /// review49 H05: two `--force` runs to one `-o` and one `--stats-json` at once both exited 0,
  /// and about 1 pair in 40 (6 in 40 on a busy machine) was one run's audio beside the other's
  /// statistics: each run moved its two files into place on its own. Settles in one directory
  /// now take turns, under a lock there (`.settle.audioprep.lock`): while another holds it (here
  /// flock(1), standing in for a run settling), a run moves nothing; then it moves its pair.
  func testARunSettlesItsFilesOnlyWhenNoOtherRunIsSettlingThere() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles("sox -n -r 22050 -c 1 in.wav synth 3 pink vol 0.2", in: directory)
    let result = try bash(
      """
      ( flock -x 9; touch held; sleep 1; ls out.wav st.json 2>/dev/null | tr '\n' ' '; echo "while held"; rm -f .settle.audioprep.lock ) 9> .settle.audioprep.lock &
      while [ ! -e held ]; do sleep 0.01; done
      "$AP" in.wav -o out.wav --stats-json st.json -q; echo "rc $?"
      wait
      ls out.wav st.json | tr '\n' ' '; echo
      """, in: directory)
    XCTAssertEqual(String(decoding: result.stdout, as: UTF8.self), "while held\nrc 0\nout.wav st.json \n", result.stderr)
  }

  /// Two `--force` runs writing one segment set at once, with different settings, leave the set
  /// of one of them: every segment and the sidecar listing them as one run wrote them. Their
  /// segments interleaved, and the sidecar's hashes were not its files' (2 of 5 rounds, review
  /// 16f N19): a run holds the set from its first segment until it has settled.
  func testTwoRunsWritingOneSegmentSetLeaveOneRunsSet() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      sox -n -r 16000 -b 16 -c 1 long.wav synth 30 sine 300
      mkdir loud quiet
      "$AP" long.wav -o loud/seg_%03d.wav --segment 1 -q --gain 1
      "$AP" long.wav -o quiet/seg_%03d.wav --segment 1 -q --gain 0.5
      """, in: directory)
    for round in 0..<6 {
      let result = try bash(
        """
        rm -rf race; mkdir race
        "$AP" long.wav -o race/seg_%03d.wav --segment 1 -q --gain 1 --force 2>a.err & a=$!
        "$AP" long.wav -o race/seg_%03d.wav --segment 1 -q --gain 0.5 --force 2>b.err; b=$?
        wait $a; echo "$? $b"; cat a.err b.err >&2
        for run in loud quiet; do
          cmp -s race/long.segments.jsonl $run/long.segments.jsonl && diff -rq race $run >&2 && echo "the $run run's set"
        done
        """, in: directory, timeLimit: spawnTimeLimit * 3)
      let lines = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n")
      XCTAssertEqual(lines.first, "0 0", "round \(round): \(result.stderr.prefix(400))")
      XCTAssertEqual(lines.count, 2, "round \(round): neither run's set: \(result.stderr.prefix(600))")
    }
  }

  /// The same rule next door: two `batch --segment --force -j 2` runs with different gains on
  /// one out-dir both succeed, and every input's set (segments and sidecar) is one run's.
  func testTwoSegmentingBatchesOnOneOutDirLeaveOneRunsSetPerInput() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir in
      for i in 1 2 3 4; do sox -n -r 16000 -b 16 -c 1 in/f$i.wav synth 6 sine $((300 + 50 * i)); done
      "$AP" batch in --out-dir loud --segment 1 -j 2 -q --gain 1
      "$AP" batch in --out-dir quiet --segment 1 -j 2 -q --gain 0.5
      """, in: directory)
    try raceTwoBatches(
      ("loud", "--segment 1 -j 2 -q --gain 1 --force"), ("quiet", "--segment 1 -j 2 -q --gain 0.5 --force"), in: directory)
  }

  /// review50 H02: two batches of one corpus into one empty out-dir at once, cutting at two
  /// lengths, without `--force`: the later one to reach an input found the other's segments
  /// under its names, with other bytes and no record of its own yet, and failed the input as
  /// a stranger's (10 of 10 trials). A record of the same input, appended by the other run
  /// while this one ran, vouches for its files as a record read at the start would: the later
  /// run replaces that set (its extras go), both succeed, and every input's set is one run's.
  func testTwoBatchesCuttingOneCorpusAtTwoLengthsAtOnceBothSucceed() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir in
      for i in 1 2 3 4; do sox -n -r 16000 -b 16 -c 1 in/f$i.wav synth $((3 + i)) sine $((300 + 50 * i)); done
      "$AP" batch in --out-dir long --segment 1s -q
      "$AP" batch in --out-dir short --segment 700ms -q
      """, in: directory)
    try raceTwoBatches(("long", "--segment 1s -j 1 -q"), ("short", "--segment 700ms -j 1 -q"), in: directory)
  }

  /// review53 W3: a run closed its finished temporary (dropping the `flock` that tells a sweep
  /// it is alive) before renaming it, and a batch sweeping its out-dir tree in between removed
  /// it: the live run failed 73 "No such file or directory". strace holds each of the live run's
  /// renames for a quarter second (the instant between close and rename, widened) while batches
  /// sweep the tree again and again. The rule next door: a batch's compacted manifest and a
  /// `--force` replacement are temporaries renamed over a name too.
  func testABatchSweepLeavesALiveRunsFinishedTemporaries() throws {
    let strace = "/usr/bin/strace"
    guard FileManager.default.isExecutableFile(atPath: strace) else { throw XCTSkip("no strace (make test-deps installs it)") }
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir c in O O/sub0 O/sub1; sox -n -r 16000 -b 16 -c 1 c/a.wav synth 0.2 sine 300
      sox -n -r 16000 -b 16 -c 1 in/long.wav synth 3 sine 500 vol 0.3; cp in/long.wav in/two.wav
      sox -n -r 16000 -b 16 -c 1 O/sub0/whole.wav synth 1 sine 700; cp O/sub0/whole.wav O/sub1
      "$AP" batch c --out-dir O -q
      """, in: directory)
    let live = [
      "segments": "in/long.wav --segment 1s -o 'O/SUB/live_%04d.wav'",
      "--force over a file": "in/long.wav -o O/SUB/whole.wav --force",
      "batch and its manifest": "batch in --out-dir O/SUB/b --manifest O/SUB/b.jsonl -j 1",
    ]
    // review55 H1: a run stalled between creating its temporary and locking it (strace holds
    // each `flock` 0.4 s) lost it to a sweep in that instant the same way.
    let stalls = [
      "each rename": "-e trace=rename,renameat,renameat2 -e inject=rename,renameat,renameat2:delay_enter=250000",
      "each lock": "-e trace=flock -e inject=flock:delay_enter=400000",
    ]
    for (name, arguments) in live.sorted(by: { $0.key < $1.key }) {
      // (Each stall writes in a folder of its own: O/sub0, O/sub1.)
      for (index, (stall, held)) in stalls.sorted(by: { $0.key < $1.key }).enumerated() {
        let arguments = arguments.replacingOccurrences(of: "SUB", with: "sub\(index)")
        let result = try bash(
          """
          \(strace) -f -qq -o /dev/null \(held) "$AP" \(arguments) -q 2>live.err & live=$!
          while kill -0 $live 2>/dev/null; do "$AP" batch c --out-dir O -j 1 -q 2>>sweep.err; sleep 0.02; done
          wait $live; echo "rc $?"; cat live.err >&2
          """, in: directory, timeLimit: spawnTimeLimit * 3)
        XCTAssertEqual(String(decoding: result.stdout, as: UTF8.self), "rc 0\n", "\(name), \(stall) held: \(result.stderr.prefix(400))")
      }
    }
  }

  /// Three rounds of the batches of `in/f1-4.wav` with `first`'s and `second`'s options at once
  /// into one empty out-dir: both succeed, and every input's set (its sidecar, and as many
  /// segments, each the same bytes) is that of one run alone, made beforehand into the folder
  /// each names.
  private func raceTwoBatches(_ first: (folder: String, options: String), _ second: (folder: String, options: String), in directory: String) throws {
    for round in 0..<3 {
      let result = try bash(
        """
        rm -rf race
        "$AP" batch in --out-dir race \(first.options) 2>a.err & a=$!
        "$AP" batch in --out-dir race \(second.options) 2>b.err; b=$?
        wait $a; echo "$? $b"; cat a.err b.err >&2
        for i in 1 2 3 4; do
          for run in \(first.folder) \(second.folder); do
            cmp -s race/f$i.segments.jsonl $run/f$i.segments.jsonl \\
              && [ $(ls race/f${i}_*.wav | wc -l) = $(ls $run/f${i}_*.wav | wc -l) ] \\
              && for s in $run/f${i}_*.wav; do cmp -s "$s" "race/${s#$run/}" || exit 1; done && echo "f$i: the $run run's set"
          done
        done
        """, in: directory, timeLimit: spawnTimeLimit * 3)
      let lines = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n")
      XCTAssertEqual(lines.first, "0 0", "round \(round): \(result.stderr.prefix(400))")
      XCTAssertEqual(lines.count, 5, "round \(round): an input with neither run's set: \(lines) \(result.stderr.prefix(600))")
    }
  }
}
