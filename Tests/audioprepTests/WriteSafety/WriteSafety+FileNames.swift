import Foundation
import Glibc
import TestSupport
import XCTest

/// File names are bytes: non-UTF-8 names kept byte for byte, paths deeper than PATH_MAX, sidecar
/// paths through .. and symlinks.
/// Each test failed on the commit before its fix (issue 9 and its reviews, issue 16).
extension WriteSafetyTests {
  /// #9 rule 10: a non-UTF-8 input name gives the byte-exact default output name, and a
  /// non-UTF-8 -o is written under exactly those bytes.
  func testNonUTF8NamesAreWrittenByteExact() throws {
    let directory = try scratchDirectory(self)
    try tone("in.wav", seconds: 0.5, in: directory)
    let result = try bash(
      """
      cp in.wav $'a\\xff.wav'
      "$AP" $'a\\xff.wav' 2>&1 || echo "exit $? from the default output" >&2
      "$AP" in.wav -o $'b\\xfe.wav' 2>&1 || echo "exit $? from -o" >&2
      """, in: directory)
    XCTAssertEqual(result.stderr, "", "a run failed")
    let names = Set(rawNames(directory))
    XCTAssertTrue(names.contains(Array("a".utf8) + [0xFF] + Array(".16k.wav".utf8)), "no a\\xff.16k.wav in \(names)")
    XCTAssertTrue(names.contains(Array("b".utf8) + [0xFE] + Array(".wav".utf8)), "no b\\xfe.wav in \(names)")
  }

  /// #9 rule 10: batch processes a non-UTF-8 name, mirrors it byte-exact and records it once,
  /// as valid JSON from which the documented rule (U+EF00 + byte) gives the bytes back.
  func testBatchKeepsNonUTF8NamesByteExact() throws {
    let directory = try scratchDirectory(self)
    try setUpFiles("mkdir dir; sox -n -r 22050 dir/good.wav synth 0.3 sine 440; cp dir/good.wav dir/$'a\\xff.wav'", in: directory)
    let result = try spawnAudioprep(["batch", "dir", "--out-dir", "o", "--no-progress"], in: directory)
    XCTAssertEqual(result.status, 0, result.summary + result.stderr)
    XCTAssertTrue(
      rawNames(directory + "/o").contains(Array("a".utf8) + [0xFF] + Array(".wav".utf8)), "o/a\\xff.wav missing")
    let lines = readWholeFile(directory + "/o/manifest.jsonl").split(separator: 10)
    XCTAssertEqual(lines.count, 2, "one record per input")
    for line in lines {
      XCTAssertNotNil(try? JSONSerialization.jsonObject(with: Data(line)), "not JSON: \(String(decoding: line, as: UTF8.self))")
    }
    // docs/formats-and-failures.md: a byte that is not UTF-8 is the character U+EF00 + byte (U+EF80…U+EFFF).
    let check = try bash(
      """
      command -v python3 >/dev/null || exit 0
      python3 -c '
      import json, os, sys
      def path_bytes(s):
          return b"".join(bytes([ord(c) - 0xEF00]) if 0xEF80 <= ord(c) <= 0xEFFF else c.encode() for c in s)
      found = [path_bytes(json.loads(l)["input"]) for l in open("o/manifest.jsonl", "rb")]
      sys.exit(0 if sum(f.endswith(b"a\\xff.wav") for f in found) == 1 else 1)'
      """, in: directory)
    XCTAssertEqual(check.status, 0, "no record gives back the bytes a\\xff.wav: " + check.stderr)
  }

  /// #9 rule 10: a recording nested deeper than PATH_MAX is a failed record, not dropped.
  func testFileDeeperThanPATHMAXIsAFailedRecord() throws {
    let directory = try scratchDirectory(self)
    addTeardownBlock { _ = try? spawn("/bin/rm", ["-rf", directory]) }
    try setUpFiles(
      """
      mkdir dir; sox -n -r 22050 dir/good.wav synth 0.3 sine 440; cp dir/good.wav /tmp/.deep-$$.wav
      cd dir; name=$(printf 'd%.0s' $(seq 200))
      for i in $(seq 25); do mkdir $name; cd $name; done
      mv /tmp/.deep-$$.wav deep.wav
      """, in: directory)
    let result = try spawnAudioprep(["batch", "dir", "--out-dir", "o", "--no-progress"], in: directory)
    XCTAssertEqual(result.status, 65, result.summary + result.stderr)
    let records = (try? manifestRecords(directory + "/o/manifest.jsonl")) ?? []
    XCTAssertEqual(records.count, 2, "the deep file is not recorded")
    XCTAssertEqual(records.filter { $0["status"] as? String == "failed" }.count, 1)
  }

  /// The sidecar names each segment relative to where the sidecar really is, through `..` and
  /// symlinked directories.
  func testSidecarPathsAreRightThroughDotDotAndSymlinks() throws {
    let directory = try scratchDirectory(self)
    try tone("s.wav", seconds: 2.5, in: directory)
    try setUpFiles("mkdir -p sub seg a/b/c; ln -s a/b/c L", in: directory)
    let result = try bash(
      """
      cd sub && "$AP" ../s.wav --segment 2s -o ../seg/y_%03d.wav --segments-list ../a/b/l.jsonl --quiet && cd ..
      "$AP" s.wav --segment 2s -o seg/z_%03d.wav --segments-list L/list.jsonl --quiet
      """, in: directory)
    XCTAssertEqual(result.status, 0, result.stderr)
    for (list, first) in [("a/b/l.jsonl", "../../seg/y_000.wav"), ("a/b/c/list.jsonl", "../../../seg/z_000.wav")] {
      let line = readWholeFile(directory + "/" + list).split(separator: 10).first.map { Data($0) } ?? Data()
      let file = (try? JSONSerialization.jsonObject(with: line) as? [String: Any])?["file"] as? String
      XCTAssertEqual(file, first, list)
    }
  }
}
