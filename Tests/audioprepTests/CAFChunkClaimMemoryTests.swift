import Foundation
import TestSupport
import XCTest

/// Review35 R2, R3, R9: a CAF whose `info` chunk claims 2^31 bytes made libsndfile allocate and
/// read that much (2.1 GB, then a hang), one claiming 2^32 − 16 died of SIGSEGV after 4.2 GB,
/// and took a whole `batch` and `info DIR` with it; a `chan` chunk claiming 2^62 decoded from a
/// file (FFmpeg) and was 65 from a pipe. Now each is refused (65, one line naming the chunk and
/// its claim) by every decoder, from a file and from standard input, and peak RSS stays within
/// the honest file's plus 16 MB (the bound docs/formats-and-failures.md states). Run as a child
/// (`spawnAudioprep`), so that a crash fails the test and not the suite. The other chunk types
/// and claims: `CAFChunkClaimsTests` (DSPTests), in process.
final class CAFChunkClaimMemoryTests: XCTestCase {
  /// The speech fixture as a CAF (16-bit PCM) whose chunk `id` claims `claim` bytes.
  static func forged(_ id: String, claim: UInt64, in directory: String) throws -> String {
    let honest = try FFmpegFixtures.make("s16.caf", ["-c:a", "pcm_s16le"])
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: honest)))
    var at = 8
    while String(decoding: bytes[at..<at + 4], as: UTF8.self) != id {
      at += 12 + Int(bytes[at + 4..<at + 12].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }
    bytes.replaceSubrange(at + 4..<at + 12, with: (0..<8).map { UInt8(truncatingIfNeeded: claim >> UInt64(56 - $0 * 8)) })
    let path = directory + "/\(id)-\(claim).caf"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  func testAChunkClaimCostsNoMemoryAndIsRefusedByEveryDecoderFromAFileAndAPipe() throws {
    let directory = try scratchDirectory(self)
    let honest = try FFmpegFixtures.make("s16.caf", ["-c:a", "pcm_s16le"])
    let reference = try spawnAudioprep([honest, "-o", "honest.wav", "--force"], in: directory)
    XCTAssertEqual(reference.status, 0, reference.stderr)
    for (id, claim) in [("info", UInt64(1) << 31), ("info", (UInt64(1) << 32) - 16), ("chan", UInt64(1) << 62)] {
      let path = try Self.forged(id, claim: claim, in: directory)
      var lines: Set<String> = []
      for decoder in ["auto", "sndfile", "ffmpeg"] {
        for viaStdin in [false, true] {
          let run = try spawnAudioprep(
            [viaStdin ? "-" : path, "-o", "out.wav", "--force", "--decoder", decoder], in: directory,
            stdinPath: viaStdin ? path : "/dev/null", timeLimit: 15)
          let label = "'\(id)' claiming \(claim), --decoder \(decoder)\(viaStdin ? ", stdin" : ""): \(run.summary) \(run.stderr)"
          XCTAssertEqual(run.status, 65, label)
          XCTAssertEqual(run.stderrLines.count, 1, label)
          XCTAssertTrue(run.stderr.contains("'\(id)' chunk") && run.stderr.contains("\(claim)"), label)
          XCTAssertLessThan(run.maxResidentKiB, reference.maxResidentKiB + 16 * 1024, "peak RSS followed the claim: \(label)")
          lines.insert(run.stderr.replacingOccurrences(of: path, with: "-"))
        }
      }
      XCTAssertEqual(lines.count, 1, "said differently: \(lines.sorted())")
    }
  }

  /// One such file in a directory fails alone: `batch` converts the others, `info DIR`
  /// describes them.
  func testOneSuchFileFailsAloneInABatchAndInInfo() throws {
    let directory = try scratchDirectory(self)
    try FileManager.default.createDirectory(atPath: directory + "/corpus", withIntermediateDirectories: true)
    let forged = try Self.forged("info", claim: (1 << 32) - 16, in: directory)
    try FileManager.default.moveItem(atPath: forged, toPath: directory + "/corpus/z.caf")
    try FileManager.default.copyItem(atPath: fixtures + "/speech.flac", toPath: directory + "/corpus/a.flac")
    let batch = try spawnAudioprep(["batch", "corpus", "--out-dir", "out", "-j", "1", "--no-progress"], in: directory, timeLimit: 60)
    XCTAssertNil(batch.signal, "batch: \(batch.summary) \(batch.stderr)")
    XCTAssertEqual(batch.status, 65, batch.stderr)
    XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/out/a.wav"), batch.stderr)
    XCTAssertTrue(batch.stderr.contains("'info' chunk"), batch.stderr)
    let info = try spawnAudioprep(["info", "corpus"], in: directory, timeLimit: 60)
    XCTAssertNil(info.signal, "info: \(info.summary) \(info.stderr)")
    XCTAssertTrue(String(decoding: info.stdout, as: UTF8.self).contains("a.flac"), info.stderr)
    XCTAssertTrue(info.stderr.contains("'info' chunk"), info.stderr)
  }
}
