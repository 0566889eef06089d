import Foundation
import TestSupport
import XCTest

/// `info FILE` and `info DIR` agree (issue 16, the second review): a file one refuses the other
/// refuses with the same message and exit status, and a name holding a newline is escaped in
/// both outputs, so that one file is one line.
final class InfoAgreementTests: XCTestCase {
  func testInfoOfAFileAndOfItsDirectoryRefuseTheSameFileAndEscapeNames() throws {
    let directory = try scratchDirectory(self)
    var aiff = readWholeFile(fixtures + "/speech.aiff")
    let comm = try XCTUnwrap(DecoderTrustBytes.find(Array("COMM".utf8), in: aiff))
    // COMM's 80-bit extended sample rate, 16 bytes in, made a NaN (exponent all ones, fraction set).
    aiff.replaceSubrange(comm + 16..<comm + 26, with: [0x7F, 0xFF, 0xC0, 0, 0, 0, 0, 0, 0, 0])
    let nan = directory + "/nan-rate.aiff"
    try Data(aiff).write(to: URL(fileURLWithPath: nan))
    let newline = directory + "/new\nline.wav"
    try Data(readWholeFile(fixtures + "/speech.wav")).write(to: URL(fileURLWithPath: newline))

    let alone = try audioprep(["info", nan])
    let inDirectory = try audioprep(["info", directory])
    XCTAssertEqual(alone.status, 65, alone.stderr)
    XCTAssertEqual(inDirectory.status, alone.status, inDirectory.stderr)
    let refusal = try XCTUnwrap(alone.stderrLines.first)
    XCTAssertTrue(inDirectory.stderrLines.contains(refusal), "info DIR: \(inDirectory.stderr); info FILE: \(refusal)")
    let listed = String(decoding: inDirectory.stdout, as: UTF8.self)
    XCTAssertFalse(listed.contains("nan-rate.aiff:"), listed)
    XCTAssertTrue(listed.contains("1 undecodable"), listed)

    for arguments in [["info", newline], ["info", directory]] {
      let result = try audioprep(arguments)
      let text = String(decoding: result.stdout, as: UTF8.self)
      XCTAssertTrue(text.contains("new\\nline.wav: WAV"), "\(arguments): \(text)")
      XCTAssertFalse(text.contains("new\nline"), "\(arguments): \(text)")
    }
  }
}

enum DecoderTrustBytes {
  static func find(_ marker: [UInt8], in bytes: [UInt8]) -> Int? {
    guard bytes.count >= marker.count else { return nil }
    return (0...(bytes.count - marker.count)).first { Array(bytes[$0..<$0 + marker.count]) == marker }
  }
}

/// A file in a format audioprep reads (AVI, TTA, WavPack, NUT, FLV, …) that fails to decode is
/// a failed input of batch and an undecodable file of `info DIR`, never "another file" skipped
/// without a word (#16 round 3: a joined AVI and a cut WavPack left a batch at 1 ok, exit 0).
final class ReadableFormatFailureTests: XCTestCase {
  func testAFailingFileOfAReadableFormatIsAFailureNotAnOtherFile() throws {
    let directory = try scratchDirectory(self)
    let formats = ["avi", "tta", "wv", "nut", "flv", "ape", "aifc", "mpc"]
    var script = "set -e; cd \"\(directory)\"; mkdir d; cp \"\(fixtures)/speech.wav\" d/good.wav\n"
    // Seeded noise: bytes from /dev/urandom were now and then taken for a format FFmpeg probes
    // (Electronic Arts cdata), and the test failed at random.
    for (seed, format) in formats.enumerated() {
      script += "python3 -c 'import random,sys; random.seed(\(seed)); sys.stdout.buffer.write(random.randbytes(3000))' > d/bad.\(format)\n"
    }
    let setUp = try spawn("/bin/bash", ["-c", script])
    XCTAssertEqual(setUp.status, 0, setUp.stderr)
    let batch = try audioprep(["batch", "d", "--out-dir", "o", "--no-progress"], in: directory)
    XCTAssertEqual(batch.status, 65, batch.stderr)
    for format in formats { XCTAssertTrue(batch.stderr.contains("bad.\(format)"), "\(format): \(batch.stderr)") }
    let info = try audioprep(["info", "d"], in: directory)
    XCTAssertEqual(info.status, 65, info.stderr)
    let totals = String(decoding: info.stdout, as: UTF8.self)
    XCTAssertTrue(totals.contains("\(formats.count) undecodable"), totals)
  }

  /// The totals line names undecodable files with their control characters escaped, as the
  /// per-file lines do (a newline split it, an escape sequence reached the terminal).
  func testTheTotalsLineEscapesControlCharactersInNames() throws {
    let directory = try scratchDirectory(self)
    let setUp = try spawn("/bin/bash", ["-c", "cd \"\(directory)\"; mkdir d; cp \"\(fixtures)/speech.wav\" d/good.wav; printf 'not audio %.0s' $(seq 300) > \"d/bad$(printf '\\033')[31mred$(printf '\\r')x.wav\""])
    XCTAssertEqual(setUp.status, 0, setUp.stderr)
    let info = try audioprep(["info", "d"], in: directory)
    let output = String(decoding: info.stdout, as: UTF8.self)
    XCTAssertFalse(output.contains("\u{1B}") || output.contains("\r"), output.debugDescription)
    XCTAssertTrue(output.contains("1 undecodable"), output)
  }
}

/// `info DIR` refuses what `info FILE` refuses, by one rule (#16 round 3, 19): a WAV that is
/// only its header, a FLAC that is only its STREAMINFO (nothing decodes), MP3, MP2 and Ogg files
/// joined from parts of another rate. (info DIR listed them from their headers, exit 0, where
/// info FILE gave 65.) Honest files of each are described by both.
///
/// From headers alone (no `--levels`), a file joined on is looked for only as far as the walk
/// of the container's structure reads (`ScanReach.structure`, #19 W6: reading every FLAC, Ogg
/// and MP3 through read the whole corpus): one after a WAV's data chunk is refused, one after
/// FLAC, Ogg or MP3 audio is `--levels`'s to find (as `info FILE`'s and process's).
final class InfoDirectoryRuleTests: XCTestCase {
  func testInfoOfADirectoryRefusesWhatInfoOfTheFileRefuses() throws {
    let directory = try scratchDirectory(self)
    let flac = fixtures + "/speech.flac"
    var script = "set -e; cd \"\(directory)\"; mkdir d; cp \"\(fixtures)/speech.wav\" \"\(flac)\" d/\n"
    script += "head -c 44 \"\(fixtures)/speech.wav\" > d/header-only.wav\n"
    script += "head -c 136 \"\(flac)\" > d/streaminfo-only.flac\n"
    script += "cat \"\(fixtures)/speech.wav\" \"\(fixtures)/mono16k.wav\" > d/joined.wav\n"
    for (ext, codec) in [("mp3", "libmp3lame"), ("mp2", "mp2"), ("ogg", "libvorbis")] {
      script += "ffmpeg -v error -y -i \"\(flac)\" -t 1 -ar 22050 -c:a \(codec) a.\(ext)\n"
      script += "ffmpeg -v error -y -i \"\(flac)\" -ss 1 -t 1 -ar 44100 -c:a \(codec) b.\(ext)\n"
      script += "cat a.\(ext) b.\(ext) > d/joined.\(ext); cp a.\(ext) d/honest.\(ext)\n"
    }
    let setUp = try spawn("/bin/bash", ["-c", script])
    XCTAssertEqual(setUp.status, 0, setUp.stderr)
    let honest = ["speech.wav", "speech.flac", "honest.mp3", "honest.mp2", "honest.ogg"]
    let refusedFromHeaders = ["header-only.wav", "streaminfo-only.flac", "joined.wav"]
    let joinedAfterAudio = ["joined.mp3", "joined.mp2", "joined.ogg"]
    for levels in [true, false] {
      let info = try audioprep(["info", "d"] + (levels ? ["--levels"] : []), in: directory)
      let listed = String(decoding: info.stdout, as: UTF8.self)
      for name in honest + refusedFromHeaders + (levels ? joinedAfterAudio : []) {
        let label = "\(name)\(levels ? " with --levels" : "")"
        let alone = try audioprep(["info", "d/" + name], in: directory)
        let refusedByDirectory = info.stderr.contains("d/\(name):")
        XCTAssertEqual(refusedByDirectory, alone.status != 0, "\(label): info FILE \(alone.status) \(alone.stderr); info DIR: \(info.stderr)")
        XCTAssertEqual(listed.contains("d/\(name):"), alone.status == 0, "\(label): \(listed)")
        XCTAssertEqual(honest.contains(name), alone.status == 0, "\(label): \(alone.stderr)")
        if refusedByDirectory, let line = alone.stderrLines.first {
          XCTAssertTrue(info.stderr.contains(line), "\(label): the same refusal: \(line); info DIR: \(info.stderr)")
        }
      }
      XCTAssertEqual(info.status, 65, info.stderr)
    }
  }
}

extension InfoAgreementTests {
  /// review46 W05: an MP3 whose LAME tag fails its CRC: `info FILE` warned `damaged`, `info DIR`
  /// listed it without a word and left it out of its "truncated or damaged" count. What an MP3's
  /// Info frame shows is known when it is opened, and `info DIR` says it too.
  func testInfoOfADirectorySaysAnMP3sDamagedLAMETagAsInfoOfTheFileDoes() throws {
    try FFmpegFixtures.requireFFmpeg()
    let directory = try scratchDirectory(self)
    try FileManager.default.createDirectory(atPath: directory + "/c", withIntermediateDirectories: true)
    let made = directory + "/x.mp3"
    try FFmpegFixtures.run(["-v", "error", "-i", fixtures + "/speech.wav", "-c:a", "libmp3lame", "-b:a", "32k", "-id3v2_version", "0", made])
    var bytes = readWholeFile(made)
    // The encoder's tag follows the Info header's 120 bytes (all four fields); its CRC ends it.
    let info = try XCTUnwrap(DecoderTrustBytes.find(Array("Info".utf8), in: bytes))
    bytes[info + 120 + 35] ^= 0xFF
    try Data(bytes).write(to: URL(fileURLWithPath: directory + "/c/bad.mp3"))
    let alone = String(decoding: try audioprep(["info", directory + "/c/bad.mp3"]).stdout, as: UTF8.self)
    XCTAssertTrue(alone.contains("damaged"), alone)
    let listed = String(decoding: try audioprep(["info", directory + "/c"]).stdout, as: UTF8.self)
    XCTAssertTrue(listed.contains("fails its CRC"), listed)
    XCTAssertTrue(listed.contains("1 truncated or damaged"), listed)
  }
}
