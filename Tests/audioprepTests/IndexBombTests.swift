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

/// Issue 16 (review16f N3, N4, N5): the same rule in every box that claims index entries, and for
/// a pipe past its first window. FFmpeg's MP4 demuxer holds an index entry a sample (a chunk of
/// up to 1024 PCM samples on its chunk path), sized from counts the file states: a `trun`'s, an
/// `stsz`'s (one sample size for all, no table), an `stsc`'s samples a chunk. A count backed by
/// enough bytes to pass a one-byte-a-sample check can still cost 40 times those bytes (a 22 MB
/// file, 700 MB), and on a pipe the claims after the first 4 MiB were not looked at.
final class IndexClaimsTests: XCTestCase {
  /// The boxes of an MP4, containers opened: type, body offset, end (the test's own walk).
  static func boxes(_ bytes: [UInt8], from: Int = 0, to: Int? = nil) -> [(type: String, body: Int, end: Int)] {
    let containers: Set<String> = ["moov", "trak", "mdia", "minf", "stbl", "moof", "traf"]
    var found: [(type: String, body: Int, end: Int)] = []
    var at = from
    let end = to ?? bytes.count
    while at + 8 <= end {
      let size = bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) }
      let type = String(decoding: bytes[at + 4..<at + 8], as: UTF8.self)
      guard size >= 8 else { break }
      found.append((type, at + 8, at + size))
      if containers.contains(type) { found += boxes(bytes, from: at + 8, to: at + size) }
      at += size
    }
    return found
  }

  static func bigEndian(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }

  /// An MP4 made by ffmpeg from `arguments`, with its counts patched: every `trun`'s sample
  /// count (and no per-sample table), every `stsz`'s (one byte a sample, no table), every `stsc`
  /// entry's samples a chunk (given the track's chunk count); `padding` bytes of a `free` box before the first fragment.
  static func forged(
    _ name: String, _ arguments: [String], trun: UInt32? = nil, stsz: UInt32? = nil, stsc: ((_ chunks: Int) -> UInt32)? = nil,
    paddingBeforeFragments padding: Int = 0
  ) throws -> Data {
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try FFmpegFixtures.make(name, arguments))))
    for box in boxes(bytes) {
      switch box.type {
      case "trun" where trun != nil:
        bytes.replaceSubrange(box.body + 1..<box.body + 8, with: [0, 0, 1] + bigEndian(trun!))
      case "stsz" where stsz != nil:
        bytes.replaceSubrange(box.body + 4..<box.body + 12, with: bigEndian(1) + bigEndian(stsz!))
      case "stsc" where stsc != nil:
        let all = boxes(bytes)
        let offsets = all.first { ["stco", "co64"].contains($0.type) && $0.body > box.body }!
        let chunks = bytes[offsets.body + 4..<offsets.body + 8].reduce(0) { $0 << 8 | Int($1) }
        let entries = bytes[box.body + 4..<box.body + 8].reduce(0) { $0 << 8 | Int($1) }
        for entry in 0..<entries {
          let at = box.body + 8 + 12 * entry + 4
          bytes.replaceSubrange(at..<at + 4, with: bigEndian(stsc!(chunks)))
        }
      default: break
      }
    }
    if padding > 0, let moof = boxes(bytes).first(where: { $0.type == "moof" }) {
      bytes.insert(contentsOf: bigEndian(UInt32(8 + padding)) + Array("free".utf8) + [UInt8](repeating: 0, count: padding), at: moof.body - 8)
    }
    return Data(bytes)
  }

  static func tracks(_ count: Int) -> [String] { (0..<count).flatMap { _ in ["-map", "0:a"] } }

  func testEveryIndexClaimIsRefusedBeforeItCostsMemoryFromAFileAndAPipe() throws {
    try FFmpegFixtures.requireFFmpeg()
    let directory = try scratchDirectory(self)
    let fragmented = Self.tracks(8) + ["-c:a", "aac", "-b:a", "32k", "-t", "1", "-movflags", "frag_keyframe+empty_moov+default_base_moof"]
    let flat = Self.tracks(32) + ["-c:a", "aac", "-b:a", "32k", "-t", "1", "-movflags", "+faststart"]
    let cases: [(label: String, honest: Data, bomb: Data)] = [
      // N3/N4: 20 million fragment samples in 22 MB (one byte a sample holds), after the window.
      ("fragments after 21 MiB",
       try Self.forged("claims-frag8.mp4", fragmented, paddingBeforeFragments: 21 << 20),
       try Self.forged("claims-frag8.mp4", fragmented, trun: 2_500_000, paddingBeforeFragments: 21 << 20)),
      // N5: 32 tracks whose stsz gives one size for 2.5 million samples, each chunk holding them.
      ("stsz of 32 tracks",
       try Self.forged("claims-flat32.mp4", flat), try Self.forged("claims-flat32.mp4", flat, stsz: 2_500_000, stsc: { _ in 2_500_000 })),
      ]
    for (label, honest, bomb) in cases {
      try honest.write(to: URL(fileURLWithPath: directory + "/honest.mp4"))
      try bomb.write(to: URL(fileURLWithPath: directory + "/bomb.mp4"))
      for viaStdin in [false, true] {
        let input = viaStdin ? "-" : "honest.mp4"
        let stdin = { (name: String) in viaStdin ? directory + "/" + name : "/dev/null" }
        let fine = try spawnAudioprep([input, "-o", "honest.wav", "--force"], in: directory, stdinPath: stdin("honest.mp4"))
        XCTAssertEqual(fine.status, 0, "honest \(label)\(viaStdin ? " on stdin" : ""): \(fine.stderr)")
        let refused = try spawnAudioprep(
          [viaStdin ? "-" : "bomb.mp4", "-o", "bomb.wav", "--force"], in: directory, stdinPath: stdin("bomb.mp4"))
        let what = "\(label)\(viaStdin ? " on standard input" : ""): \(refused.summary) \(refused.stderr)"
        XCTAssertEqual(refused.status, 65, what)
        XCTAssertEqual(refused.stderrLines.count, 1, what)
        XCTAssertTrue(refused.stderr.contains("index"), what)
        XCTAssertLessThan(refused.maxResidentKiB, fine.maxResidentKiB + 16 * 1024, "peak RSS followed the index's claim: \(what)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/bomb.wav"), what)
      }
    }
  }

  /// What an honest long recording's index costs is not a claim: half an hour of 8 kHz PCM in a
  /// MOV (14.4 million samples, FFmpeg's chunk path), from its path and from a pipe, decodes whole.
  func testAnHonestHourOfPCMIsNotAClaim() throws {
    try FFmpegFixtures.requireFFmpeg()
    let directory = try scratchDirectory(self)
    let path = try FFmpegFixtures.make(
      "claims-long.mov", ["-map", "0:a", "-t", "1800", "-c:a", "pcm_u8", "-movflags", "+faststart"],
      inputs: ["-f", "lavfi", "-i", "anoisesrc=r=8000:a=0.1"])
    for viaStdin in [false, true] {
      let run = try spawnAudioprep(
        [viaStdin ? "-" : path, "-o", "long.wav", "--force", "--rate", "8k"], in: directory, stdinPath: viaStdin ? path : "/dev/null")
      XCTAssertEqual(run.status, 0, run.stderr)
      XCTAssertEqual(run.stderrLines.count, 0, run.stderr)
    }
  }
}
