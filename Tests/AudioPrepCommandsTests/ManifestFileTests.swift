import AudioPrepCommands
import Foundation
import Glibc
import Testing

/// The manifest shared by concurrent runs (#16): a run that opens it while another compacts it
/// appends to the compacted file, not to the one the compaction unlinked.
@Suite struct ManifestFileTests {
  static func record(_ name: String) -> ManifestRecord {
    ManifestRecord(
      input: "corp/" + name, relativePath: name, output: "out/" + name, status: .ok, params: "p", shard: nil,
      corpusInputs: 2, shardInputs: 2)
  }

  @Test func aRunOpeningDuringACompactionAppendsToTheCompactedManifest() throws {
    let directory = NSTemporaryDirectory() + "audioprep-manifest-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/all.jsonl"
    let first = Self.record("a.wav").json.encoded + "\n"
    try first.write(toFile: path, atomically: false, encoding: .utf8)

    // Another run compacting: it holds the manifest exclusively until its new file is in place.
    let compacting = open(path, O_RDONLY)
    #expect(flock(compacting, LOCK_EX) == 0)
    let opener = Thread {
      // Blocks on the lock until the compaction is over, then appends.
      guard let manifest = try? ManifestFile(appendingTo: path, replaceLink: false) else { return }
      try? manifest.append(Self.record("b.wav"))
    }
    opener.start()
    usleep(300_000)  // the opener is waiting for the lock by now (if not, it opens the new file)
    try first.write(toFile: directory + "/new", atomically: false, encoding: .utf8)
    #expect(rename(directory + "/new", path) == 0)
    close(compacting)
    while !opener.isFinished { usleep(1_000) }

    let names = try ManifestFile.read(path).records.map(\.relativePath)
    #expect(names == ["a.wav", "b.wav"])
  }
}
