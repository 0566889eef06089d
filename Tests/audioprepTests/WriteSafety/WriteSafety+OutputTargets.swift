import Foundation
import Glibc
import TestSupport
import XCTest

/// Outputs and their targets: an input is never written; out-dirs that overlap the inputs; no
/// symlink followed that the user did not name; devices, FIFOs, descriptor paths and standard
/// output written where they are.
/// Each test failed on the commit before its fix (issue 9 and its reviews, issue 16).
extension WriteSafetyTests {
  /// #9 rule 1: an output that is an input (however spelled) is refused with 73 even with
  /// --force, for every kind of output, and the input is byte-identical after.
  func testNoKindOfOutputEverWritesAnInput() throws {
    let root = try scratchDirectory(self)
    try tone("in.wav", in: root)
    // (kind, set-up, arguments, the input that must be intact, the path the error names)
    let cases: [(String, String, [String], String, String)] = [
      ("audio ./in.wav", "", ["in.wav", "-o", "./in.wav", "--force"], "in.wav", "in.wav"),
      ("audio sub/../in.wav", "mkdir sub", ["in.wav", "-o", "sub/../in.wav", "--force"], "in.wav", "in.wav"),
      ("audio hard link", "ln in.wav hard.wav", ["in.wav", "-o", "hard.wav", "--force"], "in.wav", "hard.wav"),
      ("audio symlink", "ln -s in.wav soft.wav", ["in.wav", "-o", "soft.wav", "--force"], "in.wav", "soft.wav"),
      ("stats-json = input", "", ["in.wav", "-o", "out.wav", "--stats-json", "in.wav", "--force"], "in.wav", "in.wav"),
      ("stats-json = ./input", "", ["in.wav", "-o", "out.wav", "--stats-json", "./in.wav"], "in.wav", "in.wav"),
      ("segments-list = input", "",
       ["in.wav", "--segment", "1s", "-o", "seg_%04d.wav", "--segments-list", "in.wav", "--force"], "in.wav", "in.wav"),
      ("segment pattern = input", "mv in.wav x_0000.wav",
       ["x_0000.wav", "--segment", "1s", "-o", "x_%04d.wav", "--force"], "x_0000.wav", "x_0000.wav"),
      ("response --svg", "", ["response", "--svg", "in.wav"], "in.wav", "in.wav"),
      ("response --csv", "", ["response", "--csv", "in.wav"], "in.wav", "in.wav"),
      ("batch --manifest", "mkdir rec; mv in.wav rec/x.wav",
       ["batch", "rec", "--out-dir", "o", "--manifest", "rec/x.wav", "--no-progress"], "rec/x.wav", "rec/x.wav"),
      ("manifest merge -o", "mkdir rec; mv in.wav rec/x.wav; \"$AP\" batch rec --out-dir o --manifest m.jsonl --no-progress 2>/dev/null",
       ["manifest", "merge", "m.jsonl", "-o", "./m.jsonl"], "m.jsonl", "m.jsonl"),
    ]
    for (index, (kind, setUp, arguments, input, named)) in cases.enumerated() {
      let directory = root + "/case\(index)"
      try setUpFiles("mkdir '\(directory)'; cp in.wav '\(directory)/'; cd '\(directory)'; \(setUp)", in: root)
      let before = state(directory + "/" + input)
      let result = try spawnAudioprep(arguments, in: directory)
      XCTAssertEqual(result.status, 73, "\(kind): \(result.summary) \(result.stderr)")
      XCTAssertEqual(state(directory + "/" + input), before, "\(kind): the input was written")
      XCTAssertEqual(temporaries(directory), [], kind)
      assertOneErrorLine(result, naming: named, kind)
    }
  }

  /// #9 rule 1: two outputs of one run naming the same file are refused (73): the input is
  /// intact and nothing is left under the contested name.
  func testTwoOutputsOfOneRunNamingOneFileAreRefused() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", in: directory)
    let input = state(directory + "/in.wav")
    // (kind, arguments, the contested name)
    let cases: [(String, [String], String)] = [
      ("stats-json = -o", ["in.wav", "--stats-json", "out.wav", "-o", "out.wav"], "out.wav"),
      ("stats-json = ./-o, --force", ["in.wav", "--stats-json", "./out.wav", "-o", "out.wav", "--force"], "out.wav"),
      ("segments-list = segment",
       ["in.wav", "--segment", "1s", "-o", "s_%04d.wav", "--segments-list", "s_0001.wav"], "s_0001.wav"),
      ("stats-json = segments-list",
       ["in.wav", "--segment", "1s", "-o", "s_%04d.wav", "--segments-list", "l.jsonl", "--stats-json", "l.jsonl"], "l.jsonl"),
      ("response svg = csv", ["response", "--svg", "r.txt", "--csv", "r.txt"], "r.txt"),
    ]
    for (kind, arguments, contested) in cases {
      let result = try spawnAudioprep(arguments, in: directory)
      XCTAssertEqual(result.status, 73, "\(kind): \(result.summary) \(result.stderr)")
      XCTAssertEqual(state(directory + "/in.wav"), input, kind)
      XCTAssertNil(state(directory + "/" + contested), "\(kind): \(contested) was written")
      XCTAssertEqual(temporaries(directory), [], kind)
      try setUpFiles("rm -f out.wav s_*.wav l.jsonl r.txt", in: directory)
    }
  }

  /// A batch's `--manifest` naming one of the batch's own outputs (an input's audio, a segment,
  /// a sidecar), however spelled: refused before anything is written, 73, one line naming the
  /// file (review35 R18: the manifest took `o/a.wav` and input a.wav failed, 65, "was already
  /// written by this run").
  func testABatchManifestNamingOneOfItsOutputsIsRefused() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles("mkdir c; sox -n -r 16000 -b 16 -c 1 c/a.wav synth 0.3 sine 440; cp c/a.wav c/b.wav", in: directory)
    // (kind, arguments, the manifest as given, the output it names)
    let cases: [(String, [String], String, String)] = [
      ("audio", ["--manifest", "o/a.wav"], "o/a.wav", "the output of c/a.wav"),
      ("audio, spelled ./o//", ["--manifest", "./o//b.wav"], "./o//b.wav", "the output of c/b.wav"),
      ("segment", ["--segment", "0.1s", "--manifest", "o/a_0002.wav"], "o/a_0002.wav", "a segment of c/a.wav"),
      ("sidecar", ["--segment", "0.1s", "--manifest", "o/b.segments.jsonl"], "o/b.segments.jsonl", "the segments list of c/b.wav"),
      ("kept whole", ["--segment", "1s", "--segment-longer-only", "--manifest", "o/a.wav"], "o/a.wav", "the output of c/a.wav"),
      ("another shard's output", ["--shard", "0/2", "--manifest", "o/b.wav"], "o/b.wav", "the output of c/b.wav"),
    ]
    for (kind, arguments, manifest, output) in cases {
      for existing in [false, true] {
        if existing { try setUpFiles("mkdir -p o", in: directory) }
        let result = try spawnAudioprep(["batch", "c", "--out-dir", "o", "--no-progress"] + arguments, in: directory)
        XCTAssertEqual(result.status, 73, "\(kind), out-dir existing \(existing): \(result.summary) \(result.stderr)")
        XCTAssertEqual(
          result.stderr, "audioprep: \(manifest): names the same file as \(output); refusing to write either\n", kind)
        XCTAssertEqual(Array(tree(directory + "/o").keys), [], "\(kind): something was written")
        XCTAssertEqual(state(directory + "/o") != nil, existing, "\(kind): the out-dir was created")
        try setUpFiles("rm -rf o", in: directory)
      }
    }
  }

  /// #9 rule 2: an out-dir that is an input directory (or holds one) is refused with 64
  /// before anything is written, however it is spelled.
  func testBatchOutDirOverlappingAnInputDirectoryIsRefused() throws {
    let root = try scratchDirectory(self)
    let cases: [(String, String, [String])] = [
      ("x.flac + x.wav, out-dir = rec",
       "sox -n -r 44100 rec/x.flac synth 1 sine 440; sox -n -r 44100 rec/x.wav synth 2 sine 1000",
       ["batch", "rec", "--out-dir", "rec"]),
      ("y.WAV + y.wav, out-dir = rec/.",
       "sox -n -r 44100 rec/y.WAV synth 1 sine 440; sox -n -r 44100 rec/y.wav synth 2 sine 1000",
       ["batch", "rec", "--out-dir", "rec/."]),
      ("out-dir = parent of the input dir",
       "sox -n -r 44100 rec/x.wav synth 1 sine 440", ["batch", "rec", "--out-dir", "."]),
      ("out-dir = symlink to the input dir",
       "sox -n -r 44100 rec/x.flac synth 1 sine 440; sox -n -r 44100 rec/x.wav synth 2 sine 1000; ln -s rec link",
       ["batch", "rec", "--out-dir", "link"]),
    ]
    for (index, (kind, setUp, arguments)) in cases.enumerated() {
      let directory = root + "/case\(index)"
      try setUpFiles("mkdir -p '\(directory)/rec'; cd '\(directory)'; \(setUp)", in: root)
      let before = tree(directory)
      let result = try spawnAudioprep(arguments + ["--no-progress"], in: directory)
      XCTAssertEqual(result.status, 64, "\(kind): \(result.summary) \(result.stderr)")
      XCTAssertEqual(tree(directory), before, "\(kind): the tree changed")
    }
  }

  /// #9 rule 2: an out-dir inside an input directory is allowed and never walked, however it
  /// is spelled, so reruns never take their own outputs as inputs.
  func testBatchOutDirInsideTheInputIsExcludedFromTheWalk() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir -p rec/spk; sox -n -r 44100 rec/a.flac synth 0.5 sine 440; sox -n -r 22050 rec/spk/b.wav synth 0.5 sine 300
      ln -s rec/out16k o16; ln -s rec link
      """, in: directory)
    for outDir in ["rec/out16k", "rec/out16k", "o16", "link/out16k", "./rec/out16k/"] {
      let result = try spawnAudioprep(["batch", "rec", "--out-dir", outDir, "--no-progress"], in: directory)
      XCTAssertEqual(result.status, 0, "--out-dir \(outDir): \(result.summary) \(result.stderr)")
      let records = (try? manifestRecords(directory + "/rec/out16k/manifest.jsonl")) ?? []
      XCTAssertEqual(Set(records.compactMap { $0["relative_path"] as? String }), ["a.flac", "spk/b.wav"], "--out-dir \(outDir)")
      XCTAssertNil(state(directory + "/rec/out16k/out16k"), "--out-dir \(outDir): its own outputs were walked")
    }
  }

  /// #9 rule 3: batch never writes through a symlink it finds inside the out-dir.
  func testBatchNeverWritesThroughASymlinkInTheOutDir() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      """
      mkdir -p rec/spk victim o; sox -n -r 22050 rec/spk/take.wav synth 0.5 sine 440
      echo 'precious' > victim/take.wav; ln -s ../victim o/spk
      """, in: directory)
    let before = state(directory + "/victim/take.wav")
    let result = try spawnAudioprep(["batch", "rec", "--out-dir", "o", "--no-progress"], in: directory)
    XCTAssertEqual(result.status, 65, result.summary + result.stderr)
    XCTAssertEqual(state(directory + "/victim/take.wav"), before, "written through o/spk -> ../victim")
    XCTAssertEqual(temporaries(directory), [])
    let records = (try? manifestRecords(directory + "/o/manifest.jsonl")) ?? []
    XCTAssertEqual(statuses(records), ["spk/take.wav": "failed"])
  }

  /// #9 rule 3: a symlink at any output path is refused (73) without --force, dangling or not,
  /// and its target is left alone.
  func testSymlinkAtAnyOutputIsRefusedWithoutForce() throws {
    let root = try scratchDirectory(self)
    try tone("in.wav", in: root)
    try setUpFiles("mkdir rec; cp in.wav rec/x.wav; \"$AP\" batch rec --out-dir mo --manifest part.jsonl --no-progress 2>/dev/null", in: root)
    // (kind, the link, its target, arguments)
    let cases: [(String, String, String, [String])] = [
      ("audio -o", "out.wav", "victim", ["in.wav", "-o", "out.wav"]),
      ("dangling -o", "out.wav", "nowhere.wav", ["in.wav", "-o", "out.wav"]),
      ("segment file", "seg_0001.wav", "victim", ["in.wav", "--segment", "1s", "-o", "seg_%04d.wav"]),
      ("segments.jsonl", "in.segments.jsonl", "victim", ["in.wav", "--segment", "1s", "-o", "seg_%04d.wav"]),
      ("--segments-list", "list.jsonl", "victim", ["in.wav", "--segment", "1s", "-o", "seg_%04d.wav", "--segments-list", "list.jsonl"]),
      ("--stats-json", "stats.json", "victim", ["in.wav", "-o", "out.wav", "--stats-json", "stats.json"]),
      ("response --svg", "plot.svg", "victim", ["response", "--svg", "plot.svg"]),
      ("response --csv", "plot.csv", "victim", ["response", "--csv", "plot.csv"]),
      ("batch manifest.jsonl", "o/manifest.jsonl", "../victim", ["batch", "rec", "--out-dir", "o", "--no-progress"]),
    ]
    for (index, (kind, link, target, arguments)) in cases.enumerated() {
      let directory = root + "/case\(index)"
      try setUpFiles(
        """
        mkdir '\(directory)'; cp -r in.wav rec part.jsonl '\(directory)/'; cd '\(directory)'
        echo precious > victim; mkdir -p "$(dirname '\(link)')"; ln -s '\(target)' '\(link)'
        """, in: root)
      let before = state(directory + "/victim")
      let result = try spawnAudioprep(arguments, in: directory)
      XCTAssertEqual(result.status, 73, "\(kind): \(result.summary) \(result.stderr)")
      XCTAssertEqual(state(directory + "/victim"), before, "\(kind): the link's target was written")
      XCTAssertEqual(state(directory + "/" + link)?.linkTarget, target, "\(kind): the link was replaced")
      XCTAssertNil(state(directory + "/nowhere.wav"), "\(kind): a dangling link was followed")
      XCTAssertEqual(temporaries(directory), [], kind)
    }
  }

  /// #9 rule 3: with --force a symlink at an output path is replaced by a regular file and its
  /// target is left alone, for every kind of output.
  func testForceReplacesASymlinkedOutputInsteadOfFollowingIt() throws {
    let root = try scratchDirectory(self)
    try tone("in.wav", in: root)
    let cases: [(String, String, [String])] = [
      ("audio -o", "out.wav", ["in.wav", "-o", "out.wav"]),
      ("segment file", "seg_0001.wav", ["in.wav", "--segment", "1s", "-o", "seg_%04d.wav"]),
      ("segments.jsonl", "in.segments.jsonl", ["in.wav", "--segment", "1s", "-o", "seg_%04d.wav"]),
      ("--segments-list", "list.jsonl", ["in.wav", "--segment", "1s", "-o", "seg_%04d.wav", "--segments-list", "list.jsonl"]),
      ("--stats-json", "stats.json", ["in.wav", "-o", "out.wav", "--stats-json", "stats.json"]),
    ]
    for (index, (kind, link, arguments)) in cases.enumerated() {
      let directory = root + "/case\(index)"
      try setUpFiles(
        "mkdir '\(directory)'; cp in.wav '\(directory)/'; cd '\(directory)'; echo precious > victim; ln -s victim '\(link)'",
        in: root)
      let before = state(directory + "/victim")
      let result = try spawnAudioprep(arguments + ["--force"], in: directory)
      XCTAssertEqual(result.status, 0, "\(kind): \(result.summary) \(result.stderr)")
      XCTAssertEqual(state(directory + "/victim"), before, "\(kind): the link's target was written")
      XCTAssertEqual(state(directory + "/" + link)?.type, S_IFREG, "\(kind): the link was not replaced by a file")
      XCTAssertEqual(temporaries(directory), [], kind)
    }
  }

  /// #9 rule 3: a symlink planted at merge's predictable temporary name cannot redirect the write.
  func testMergeTemporaryCannotBeRedirectedByAPlantedSymlink() throws {
    let directory = try scratchDirectory(self)
    try manifest("part.jsonl", in: directory)
    try setUpFiles("echo precious > victim", in: directory)
    let before = state(directory + "/victim")
    // exec keeps the pid, so the link sits at exactly the name this merge will use.
    let result = try bash(
      """
      ln -s victim ".m.jsonl.audioprep-$$.tmp"
      exec "$AP" manifest merge part.jsonl -o m.jsonl
      """, in: directory)
    XCTAssertEqual(state(directory + "/victim"), before, "the merge wrote through the planted link: \(result.summary)")
    XCTAssertNotEqual(state(directory + "/m.jsonl")?.type, S_IFLNK)
  }

  /// #9 rule 4: a character device output is written to, never replaced, and needs no --force.
  func testCharacterDeviceOutputsAreWrittenNotReplaced() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", in: directory)
    try manifest("part.jsonl", in: directory)
    try setUpFiles("mknod nul c 1 3", in: directory)
    let cases: [(String, [String])] = [
      ("audio -o", ["in.wav", "-o", "nul", "--format", "wav"]),
      ("--stats-json", ["in.wav", "-o", "out.wav", "--force", "--stats-json", "nul"]),
      ("--segments-list", ["in.wav", "--segment", "1s", "-o", "seg_%04d.wav", "--force", "--segments-list", "nul"]),
      ("response --svg", ["response", "--svg", "nul"]),
      ("response --csv", ["response", "--csv", "nul"]),
      ("manifest merge -o", ["manifest", "merge", "part.jsonl", "-o", "nul"]),
    ]
    var localDeviceSurvived = true
    for (kind, arguments) in cases {
      let result = try spawnAudioprep(arguments, in: directory)
      XCTAssertEqual(result.status, 0, "\(kind): \(result.summary) \(result.stderr)")
      let type = state(directory + "/nul")?.type
      XCTAssertEqual(type, S_IFCHR, "\(kind): the device node was replaced")
      if type != S_IFCHR {
        localDeviceSurvived = false
        try setUpFiles("rm -f nul; mknod nul c 1 3", in: directory)
      }
    }
    XCTAssertEqual(temporaries(directory), [])
    // /dev/null itself only once a private node survives, so a regression cannot replace it.
    guard localDeviceSurvived else { return }
    let result = try spawnAudioprep(["in.wav", "-o", "/dev/null", "--format", "wav"], in: directory)
    XCTAssertEqual(result.status, 0, result.summary + result.stderr)
    XCTAssertEqual(state("/dev/null")?.type, S_IFCHR)
  }

  /// #9 rule 4: a FIFO output is opened and written, its reader gets every sample.
  func testFIFOOutputIsWrittenToItsReader() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 3, in: directory)
    let result = try bash(
      """
      mkfifo f
      timeout 2 cat f > got.raw &
      reader=$!
      "$AP" in.wav -o f --format raw 2>err
      status=$?
      wait $reader
      cat err >&2
      exit $status
      """, in: directory)
    XCTAssertEqual(result.status, 0, result.summary + result.stderr)
    XCTAssertEqual(state(directory + "/f")?.type, S_IFIFO, "the FIFO was replaced")
    let frames = 3 * 22050
    XCTAssertEqual(state(directory + "/got.raw")?.bytes.count, (frames * 16000 + 22049) / 22050 * 2)
    XCTAssertEqual(temporaries(directory), [])
  }

  /// A descriptor path whose file can seek (stdout redirected to a file) is written from where
  /// the descriptor is, as a stream: libsndfile is never let seek it back to byte 0.
  func testADescriptorOnAFileIsWrittenAsAStreamFromItsOffset() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 0.3, in: directory)
    let result = try bash(
      """
      { printf 'PRECIOUS\\n'; "$AP" in.wav -o /dev/stdout --format wav; } > f.bin || echo "wav: $?" >&2
      : > empty.wav; "$AP" in.wav -o /dev/stdout --format wav >> empty.wav || echo "append: $?" >&2
      "$AP" in.wav -o /dev/stdout --format flac > x.flac; echo "flac: $?" >&2
      """, in: directory)
    XCTAssertTrue(result.stderr.hasSuffix("flac: 73\n"), "a file behind a descriptor cannot take FLAC: \(result.stderr)")
    let bytes = readWholeFile(directory + "/f.bin")
    XCTAssertEqual(Array(bytes.prefix(9)), Array("PRECIOUS\n".utf8))
    XCTAssertEqual(bytes.count, 9 + 44 + 4800 * 2)
    XCTAssertEqual(readWholeFile(directory + "/empty.wav").count, 44 + 4800 * 2)
    let check = try bash(
      "/usr/bin/python3 -c 'import wave; w = wave.open(\"empty.wav\"); print(w.getnframes())'", in: directory)
    XCTAssertEqual(String(decoding: check.stdout, as: UTF8.self), "4800\n", check.stderr)
  }

  /// A descriptor the caller did not open is refused (73): it could only be one of audioprep's
  /// own (its copy of standard error, an input, a directory).
  func testADescriptorTheCallerDidNotOpenIsRefused() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 0.3, in: directory)
    for number in [3, 4, 5, 9] {
      // Only 0, 1 and 2 are handed over (the test runner's own descriptors are closed first).
      let result = try bash(
        "for fd in $(seq 3 30); do eval \"exec $fd>&-\"; done; exec \"$AP\" in.wav -o /dev/fd/\(number) --format raw 2>err",
        in: directory)
      XCTAssertEqual(result.status, 73, "fd \(number): \(result.summary)")
      XCTAssertEqual(readWholeFile(directory + "/err").filter { $0 == 10 }.count, 1, "fd \(number): one line")
    }
  }

  /// Standard output however named (`/dev/stdout`, `/proc/self/fd/1`) is one stream: two
  /// outputs on it are refused (73) before anything is written.
  func testStandardOutputUnderAnyNameIsOneOutput() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 0.3, in: directory)
    for arguments in [
      ["in.wav", "-o", "-", "--stats-json", "/dev/stdout"], ["response", "--svg", "/dev/stdout", "--csv", "-"],
      ["response", "--csv", "/dev/stdout", "--svg", "/proc/self/fd/1"],
    ] {
      let result = try spawnAudioprep(arguments, in: directory, stdoutPath: directory + "/stdout")
      XCTAssertEqual(result.status, 73, "\(arguments): \(result.summary) \(result.stderr)")
      XCTAssertEqual(readWholeFile(directory + "/stdout"), [], "\(arguments)")
    }
  }

  /// A descriptor path (`/dev/stderr`, `/dev/stdout`, `/dev/fd/N`) is written where the
  /// descriptor is, appending when it appends: it is never reopened at offset 0.
  func testDescriptorOutputsWriteWhereTheDescriptorIs() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 0.3, in: directory)
    let result = try bash(
      """
      printf 'LOG1\\n' > job.log; printf 'OLD\\n' > out.raw; printf 'FD3\\n' > three.raw
      "$AP" in.wav -o o.wav --stats-json /dev/stderr 2>>job.log || echo "stats: $?" >&2
      "$AP" in.wav -o /dev/stdout --format raw >> out.raw || echo "stdout: $?" >&2
      "$AP" in.wav -o /dev/fd/3 --format raw 3>>three.raw || echo "fd3: $?" >&2
      """, in: directory)
    XCTAssertEqual(result.stderr, "")
    XCTAssertEqual(Array(readWholeFile(directory + "/job.log").prefix(5)), Array("LOG1\n".utf8))
    XCTAssertEqual(Array(readWholeFile(directory + "/out.raw").prefix(4)), Array("OLD\n".utf8))
    XCTAssertEqual(readWholeFile(directory + "/out.raw").count, 4 + 4800 * 2)
    XCTAssertEqual(Array(readWholeFile(directory + "/three.raw").prefix(4)), Array("FD3\n".utf8))
  }

  /// Standard input and standard output are compared with the inputs like any file: writing
  /// onto the recording being read is refused (73), however the descriptor is named.
  func testStandardStreamsThatAreInputsAreRefused() throws {
    let directory = try scratchDirectory(self)
    try tone("a.wav", seconds: 0.3, in: directory)
    let before = state(directory + "/a.wav")
    for (name, script) in [
      ("-o /dev/fd/0 < a.wav", "exec \"$AP\" - -o /dev/fd/0 --format wav < a.wav"),
      ("-o /proc/self/fd/0 < a.wav", "exec \"$AP\" - -o /proc/self/fd/0 --format wav < a.wav"),
      ("-o - 1<>a.wav", "exec \"$AP\" a.wav -o - --format wav 1<>a.wav"),
      ("-o - >>a.wav", "exec \"$AP\" a.wav -o - --format wav >>a.wav"),
    ] {
      let result = try bash(script, in: directory)
      XCTAssertEqual(result.status, 73, "\(name): \(result.summary) \(result.stderr)")
      XCTAssertEqual(state(directory + "/a.wav"), before, name)
    }
  }

  /// A symlink to a device, FIFO or descriptor (like /dev/stdout, however spelled) is written
  /// through, never replaced, even with --force.
  func testASymlinkToADescriptorIsWrittenThroughNotReplaced() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 0.3, in: directory)
    try setUpFiles("ln -s /proc/self/fd/1 mystdout", in: directory)
    for force in [[], ["--force"]] {
      let result = try spawnAudioprep(
        ["in.wav", "-o", "mystdout", "--format", "raw"] + force, in: directory, stdoutPath: directory + "/got.raw")
      XCTAssertEqual(result.status, 0, "\(force): \(result.summary) \(result.stderr)")
      XCTAssertEqual(state(directory + "/mystdout")?.linkTarget, "/proc/self/fd/1", "\(force)")
      XCTAssertEqual(readWholeFile(directory + "/got.raw").count, 4800 * 2, "\(force)")
    }
    // Through a pipe, where the link's target is no file at all.
    let piped = try bash("\"$AP\" in.wav -o mystdout --format raw --force | cat > piped.raw", in: directory)
    XCTAssertEqual(piped.status, 0, piped.stderr)
    XCTAssertEqual(readWholeFile(directory + "/piped.raw").count, 4800 * 2)
    XCTAssertEqual(state(directory + "/mystdout")?.linkTarget, "/proc/self/fd/1")
  }

  /// A batch whose --out-dir is the directory of a file argument (or holds it) is refused like
  /// one that is an input directory: a user's file beside the recordings is never replaced.
  func testBatchOutDirHoldingAFileArgumentIsRefused() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles("mkdir corp; echo precious > corp/a.wav; sox -n -r 22050 corp/a.flac synth 0.3 sine 440", in: directory)
    let before = state(directory + "/corp/a.wav")
    for (arguments, place) in [(["batch", "a.flac", "--out-dir", "."], "/corp"), (["batch", "corp/a.flac", "--out-dir", "."], "")] {
      let result = try spawnAudioprep(arguments, in: directory + place)
      XCTAssertEqual(result.status, 64, "\(arguments): \(result.summary) \(result.stderr)")
      XCTAssertEqual(state(directory + "/corp/a.wav"), before, "\(arguments)")
    }
  }

  /// A rerun's check of existing outputs never follows a symlink or opens a FIFO at an output's
  /// name: it ends, and the FIFO is a failed record, not written into.
  func testBatchResumeNeitherFollowsNorBlocksOnOutputs() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles(
      "mkdir rec; sox -n -r 16000 rec/f1.wav synth 0.2 sine 440 vol 0.3; cp rec/f1.wav rec/f2.wav", in: directory)
    XCTAssertEqual(try spawnAudioprep(["batch", "rec", "--out-dir", "o", "--no-progress"], in: directory).status, 0)
    try setUpFiles("ln -sf /dev/zero o/f1.wav; rm o/f2.wav; mkfifo o/f2.wav", in: directory)
    let rerun = try spawnAudioprep(["batch", "rec", "--out-dir", "o", "--no-progress"], in: directory, timeLimit: 10)
    XCTAssertFalse(rerun.timedOut, "the rerun hung on an output")
    XCTAssertEqual(rerun.status, 65, rerun.summary + rerun.stderr)
    XCTAssertEqual(state(directory + "/o/f2.wav")?.type, S_IFIFO)
    XCTAssertEqual(state(directory + "/o/f1.wav")?.type, S_IFREG, "the link is replaced by the output")
  }

  /// `-` is standard output for every output a run writes, and two outputs on it conflict.
  func testDashIsStandardOutputForEveryOutput() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 0.3, in: directory)
    try manifest("m.jsonl", in: directory)
    for (name, arguments) in [
      ("stats-json", ["in.wav", "-o", "o.wav", "--stats-json", "-"]), ("svg", ["response", "--svg", "-"]),
      ("merge", ["manifest", "merge", "m.jsonl", "-o", "-"]),
    ] {
      let result = try spawnAudioprep(arguments, in: directory, stdoutPath: directory + "/stdout")
      XCTAssertEqual(result.status, 0, "\(name): \(result.summary) \(result.stderr)")
      XCTAssertFalse(readWholeFile(directory + "/stdout").isEmpty, name)
      XCTAssertNil(state(directory + "/-"), "\(name): a file named - was written")
    }
    let both = try spawnAudioprep(["response", "--svg", "-", "--csv", "-"], in: directory)
    XCTAssertEqual(both.status, 73, both.summary + both.stderr)
    let audioAndStats = try spawnAudioprep(["in.wav", "-o", "-", "--stats-json", "-"], in: directory)
    XCTAssertEqual(audioAndStats.status, 73, audioAndStats.summary + audioAndStats.stderr)
  }

  /// An input that is a stream (a FIFO, /dev/stdin) has no name to put an output beside: like
  /// `-`, its default output is standard output.
  func testAStreamInputDefaultsToStandardOutput() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 0.3, in: directory)
    let result = try bash("mkfifo f; cat in.wav > f & exec \"$AP\" f > got.raw", in: directory)
    XCTAssertEqual(result.status, 0, result.summary + result.stderr)
    XCTAssertEqual(readWholeFile(directory + "/got.raw").count, 4800 * 2)
    XCTAssertNil(state(directory + "/f.16k.wav"))
  }

  /// A device or descriptor output without an extension takes raw samples, as standard output
  /// does: `-o /dev/null` works.
  func testADeviceOutputWithoutAnExtensionIsRaw() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 0.3, in: directory)
    let result = try spawnAudioprep(["in.wav", "-o", "/dev/null"], in: directory)
    XCTAssertEqual(result.status, 0, result.summary + result.stderr)
  }
}
