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
}
