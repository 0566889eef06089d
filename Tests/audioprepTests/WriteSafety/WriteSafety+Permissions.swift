import Foundation
import TestSupport
import XCTest

/// review57 W8: an output the user had made private (0600) came back 0644 from a `--force` run:
/// the new file was a temporary made 0644, moved over it. A file replaced keeps its permissions,
/// as sox's and ffmpeg's writing over it does; a new one is 0644 less the umask.
extension WriteSafetyTests {
  func testAReplacedOutputKeepsItsPermissions() throws {
    let directory = try scratchDirectory(self)
    let result = try bash(
      """
      umask 022; mkdir in o s b; sox -n -r 16000 -b 16 -c 1 in/x.wav synth 1 sine 300
      "$AP" in/x.wav -o o/x.wav -q; "$AP" in/x.wav --segment 500ms -o 's/x_%04d.wav' -q; "$AP" batch in --out-dir b -q
      chmod 600 o/x.wav s/x_0000.wav b/x.wav; chmod 640 s/x_0001.wav
      "$AP" in/x.wav -o o/x.wav --force -q; "$AP" in/x.wav --segment 500ms -o 's/x_%04d.wav' --force -q; "$AP" batch in --out-dir b --force -q
      "$AP" in/x.wav -o o/new.wav -q
      stat -c '%n %a' o/x.wav s/x_0000.wav s/x_0001.wav b/x.wav o/new.wav
      # review58 P1, review59 H4: another user's file, replaced by root, stays that user's with its
      # permissions (root's 0600 locked its owner out; then root's 0644 showed it to everyone).
      cp o/x.wav o/theirs.wav; chmod 600 o/theirs.wav
      if chown nobody o/theirs.wav 2>/dev/null; then "$AP" in/x.wav -o o/theirs.wav --force -q; stat -c '%n %a %U' o/theirs.wav; else echo "o/theirs.wav 600 nobody"; fi
      """, in: directory)
    XCTAssertEqual(
      String(decoding: result.stdout, as: UTF8.self), "o/x.wav 600\ns/x_0000.wav 600\ns/x_0001.wav 640\nb/x.wav 600\no/new.wav 644\no/theirs.wav 600 nobody\n", result.stderr)
  }

  /// review58 P2: the batch manifest, rewritten at the end of a completed run (its compaction)
  /// or copied to be a file of its own when hard-linked elsewhere, came back 0644 from 0600.
  /// Every file a run replaces by a temporary of its own keeps a file of this user's
  /// permissions.
  func testARewrittenManifestKeepsItsPermissions() throws {
    let directory = try scratchDirectory(self)
    let result = try bash(
      """
      umask 022; mkdir in b l; sox -n -r 16000 -b 16 -c 1 in/x.wav synth 1 sine 300
      "$AP" batch in --out-dir b -q; chmod 600 b/manifest.jsonl; "$AP" batch in --out-dir b -q
      "$AP" batch in --out-dir l -q; chmod 640 l/manifest.jsonl; ln l/manifest.jsonl snapshot.jsonl; "$AP" batch in --out-dir l -q
      "$AP" manifest export --to nemo b/manifest.jsonl -o nemo.json -q; chmod 600 nemo.json; "$AP" manifest export --to nemo b/manifest.jsonl -o nemo.json --force -q
      mkdir in2; for n in 1 2 3; do cp in/x.wav in2/x$n.wav; done; "$AP" batch in2 --out-dir s --shard 0/2 -q; "$AP" batch in2 --out-dir s --shard 1/2 -q
      "$AP" manifest merge s/manifest.*-of-2.jsonl -o merged.jsonl -q; chmod 600 merged.jsonl; "$AP" manifest merge s/manifest.*-of-2.jsonl -o merged.jsonl --force -q
      stat -c '%n %a %h' b/manifest.jsonl l/manifest.jsonl snapshot.jsonl nemo.json merged.jsonl
      # review59 H4: another user's manifest, compacted by root's rerun, stays that user's 0600.
      if chown nobody b/manifest.jsonl 2>/dev/null; then "$AP" batch in --out-dir b -q; stat -c '%n %a %U' b/manifest.jsonl; else echo "b/manifest.jsonl 600 nobody"; fi
      """, in: directory)
    XCTAssertEqual(
      String(decoding: result.stdout, as: UTF8.self),
      "b/manifest.jsonl 600 1\nl/manifest.jsonl 640 1\nsnapshot.jsonl 640 1\nnemo.json 600 1\nmerged.jsonl 600 1\nb/manifest.jsonl 600 nobody\n", result.stderr)
  }
}
