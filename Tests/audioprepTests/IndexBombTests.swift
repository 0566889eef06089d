import Foundation
import TestSupport
import XCTest

/// Issue 16: memory never follows what a container's index claims, however many tracks claim it.
///
/// A fragmented MP4 whose `trun` boxes each claim millions of samples with no per-sample table
/// (every sample takes the `tfhd` defaults, so the claim costs the file nothing) made FFmpeg's
/// MP4 demuxer build an index of that size for every track: about 85 MB a track (capped only per
/// allocation), 2.6 GB for 32 tracks in a 176 KB file. Peak RSS is measured on the child
/// (`wait4`), against the honest file with the same tracks through the same build.
final class IndexBombTests: XCTestCase {
  /// An fMP4 with `tracks` copies of one second of AAC, each `trun` patched to claim `claim`
  /// samples (nil: the honest file).
  static func fragmentedMP4(tracks: Int, claim: UInt32?) throws -> Data {
    let name = "frag-\(tracks)-tracks.mp4"
    let maps = (0..<tracks).flatMap { _ in ["-map", "0:a"] }
    let path = try FFmpegFixtures.make(name, maps + ["-c:a", "aac", "-b:a", "32k", "-t", "1", "-movflags", "frag_keyframe+empty_moov"])
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    guard let claim else { return Data(bytes) }
    var patched = 0
    var at = 0
    let trun = Array("trun".utf8)
    while at + 12 <= bytes.count {
      if Array(bytes[at..<at + 4]) == trun {
        // version(1) flags(3): data offset only, so no per-sample table; then sample_count.
        bytes.replaceSubrange(at + 5..<at + 8, with: [0, 0, 1])
        bytes.replaceSubrange(at + 8..<at + 12, with: withUnsafeBytes(of: claim.bigEndian, Array.init))
        patched += 1
      }
      at += 1
    }
    XCTAssertGreaterThanOrEqual(patched, tracks)
    return Data(bytes)
  }

  func testTrunClaimsCostNoMemoryWhateverTheTrackCount() throws {
    try FFmpegFixtures.requireFFmpeg()
    let directory = try scratchDirectory(self)
    for tracks in [1, 8, 32] {
      try Self.fragmentedMP4(tracks: tracks, claim: nil).write(to: URL(fileURLWithPath: directory + "/honest.mp4"))
      try Self.fragmentedMP4(tracks: tracks, claim: 2_500_000).write(to: URL(fileURLWithPath: directory + "/bomb.mp4"))
      let honest = try spawnAudioprep(["honest.mp4", "-o", "honest.wav", "--force"], in: directory)
      XCTAssertEqual(honest.status, 0, honest.stderr)
      for viaStdin in [false, true] {
        let bomb = try spawnAudioprep(
          [viaStdin ? "-" : "bomb.mp4", "-o", "bomb.wav", "--force"], in: directory,
          stdinPath: viaStdin ? directory + "/bomb.mp4" : "/dev/null")
        let label = "\(tracks) track(s)\(viaStdin ? " on standard input" : ""): \(bomb.summary) \(bomb.stderr)"
        XCTAssertEqual(bomb.status, 65, label)
        XCTAssertEqual(bomb.stderrLines.count, 1, label)
        XCTAssertTrue(bomb.stderr.contains("fragments claim"), label)
        // The bound stated in docs/formats-and-failures.md: an honest file's peak plus 16 MB.
        XCTAssertLessThan(bomb.maxResidentKiB, honest.maxResidentKiB + 16 * 1024, "peak RSS followed the index's claim: \(label)")
      }
    }
  }
}
