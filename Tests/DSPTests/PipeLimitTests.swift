import Foundation
import TestSupport
import XCTest

@testable import DSP

/// What FFmpeg reads from a file but not from a pipe is refused from a pipe with one line that
/// names the limit and says to give the path (#16 round 3, 9).
final class PipeLimitTests: XCTestCase {
  /// A 3-channel WavPack decodes from its path (3 channels, ffmpeg's frame count) and from a
  /// pipe is 65 naming the limit. (It said "not a readable audio file (WavPack: Cannot
  /// determine additional parameters)".) A stereo one decodes from both.
  func testAWavPackOfMoreThanTwoChannelsFromAPipeNamesTheLimit() throws {
    let directory = try scratchDirectory(self)
    let three = directory + "/three.wv"
    try MadeInputs.ffmpeg(["-f", "lavfi", "-i", "anoisesrc=d=0.5:r=22050:a=0.3", "-af", "pan=3c|c0=c0|c1=c0|c2=c0", "-c:a", "wavpack", three])
    let fromFile = try decodeAll(three)
    XCTAssertEqual(fromFile.source.format.channels, 3)
    XCTAssertEqual(fromFile.samples.count / 3, try MadeInputs.ffmpegFrames(three, channels: 3))
    XCTAssertThrowsError(try decodeAllThroughAPipe(three)) { error in
      XCTAssertEqual((error as? AudioIOError)?.kind, .invalidInput, "\(error)")
      let message = "\(error)"
      XCTAssertTrue(message.contains("more than 2 channels cannot be read from a pipe") && message.contains("give its path"), message)
      XCTAssertFalse(message.contains("\n"), message)
    }
    let two = directory + "/two.wv"
    try MadeInputs.ffmpeg(["-f", "lavfi", "-i", "anoisesrc=d=0.5:r=22050:a=0.3", "-ac", "2", "-c:a", "wavpack", two])
    XCTAssertEqual(try decodeAllThroughAPipe(two).samples, try decodeAll(two).samples)
  }
}

extension PipeLimitTests {
  /// A CAF from a pipe, which FFmpeg's CAF reader cannot read: the advice to leave the decoder
  /// to libsndfile is given only for an encoding libsndfile decodes (review34b B11: a CAF of
  /// ALAC was told to, and libsndfile refused it too); under the default decoder the message
  /// says both libraries' reasons and to give the path, not libsndfile's alone.
  func testACAFFromAPipeIsAdvisedOnlyWhatReadsIt() throws {
    let directory = try scratchDirectory(self)
    let alac = try MadeInputs.fromSpeech("alac.caf", in: directory, ["-c:a", "alac"])
    let pcm = fixtures + "/speech.caf"  // sox's: FFmpeg reads ffmpeg's own CAF of PCM from a pipe
    XCTAssertGreaterThan(try decodeAll(alac).samples.count, 0)
    for decoder in [AudioDecoder.ffmpeg, .auto] {
      XCTAssertThrowsError(try decodeAllThroughAPipe(alac, decoder: decoder)) { error in
        let message = "\(error)"
        XCTAssertTrue(message.contains("cannot read this file from a pipe") && message.contains("give its path"), "\(decoder): \(message)")
        XCTAssertFalse(message.contains("leave --decoder to libsndfile"), "\(decoder): \(message)")
      }
    }
    XCTAssertThrowsError(try decodeAllThroughAPipe(pcm, decoder: .ffmpeg)) { error in
      XCTAssertTrue("\(error)".contains("leave --decoder to libsndfile (auto), which reads this CAF from a pipe"), "\(error)")
    }
    XCTAssertEqual(try decodeAllThroughAPipe(pcm).samples, try decodeAll(pcm).samples)
  }
}

extension PipeLimitTests {
  /// An MP3 whose ID3v2 tag (a cover image) is larger than the pipe's 4 MiB window gives the
  /// same samples from a pipe as from its path, and as the same MP3 without the tag. (From a
  /// pipe libmpg123 never saw the Info/LAME frame past the tag: 1681 frames more, 79535 against
  /// 81216 of a 9.6 MB cover, the encoder's delay and padding left in.)
  func testAnMP3WithACoverLargerThanThePipeWindowGivesTheFileSamples() throws {
    let directory = try scratchDirectory(self)
    let plain = try MadeInputs.fromSpeech("plain.mp3", in: directory, ["-c:a", "libmp3lame", "-id3v2_version", "0"])
    func syncsafe(_ value: Int) -> [UInt8] { [21, 14, 7, 0].map { UInt8((value >> $0) & 0x7F) } }
    let picture: [UInt8] = [0] + Array("image/png".utf8) + [0, 3, 0] + [UInt8](repeating: 0x5A, count: 5 << 20)
    let frame = Array("APIC".utf8) + syncsafe(picture.count) + [0, 0] + picture
    let tag = Array("ID3".utf8) + [4, 0, 0] + syncsafe(frame.count) + frame
    let covered = directory + "/covered.mp3"
    try Data(tag + readWholeFile(plain)).write(to: URL(fileURLWithPath: covered))
    let reference = try decodeAll(plain).samples
    XCTAssertEqual(try decodeAll(covered).samples, reference, "from its path")
    let piped = try decodeAllThroughAPipe(covered)
    XCTAssertEqual(piped.samples.count, reference.count, "from a pipe")
    XCTAssertEqual(piped.samples, reference, "from a pipe")
  }
}

extension PipeLimitTests {
  /// A WAV whose `fmt ` chunk, or an AIFF whose `COMM` chunk, follows its audio: FFmpeg reads
  /// it from a file, not from a pipe (its readers need the format before the samples), and
  /// libsndfile reads neither such WAV. From a pipe the message says so and to give the path
  /// (review35 R12: "No 'data' chunk marker", "file is not seekable", neither the fault).
  func testAFormatChunkAfterTheAudioFromAPipeNamesTheLimit() throws {
    let directory = try scratchDirectory(self)
    func chunks(_ bytes: [UInt8], bigEndian: Bool) -> [String: [UInt8]] {
      var found: [String: [UInt8]] = [:]
      var offset = 12
      while offset + 8 <= bytes.count {
        let sizeBytes = bytes[offset + 4..<offset + 8]
        let ordered: [UInt8] = bigEndian ? Array(sizeBytes) : Array(sizeBytes.reversed())
        let size = Int(ordered.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        let end = min(bytes.count, offset + 8 + size + size % 2)
        found[String(decoding: bytes[offset..<offset + 4], as: UTF8.self)] = Array(bytes[offset..<end])
        offset = end
      }
      return found
    }
    func container(_ id: String, _ form: String, _ body: [UInt8], bigEndian: Bool) -> [UInt8] {
      let size = UInt32(body.count + 4)
      let sizeBytes = (0..<4).map { UInt8(truncatingIfNeeded: size >> UInt32(bigEndian ? (3 - $0) * 8 : $0 * 8)) }
      return Array(id.utf8) + sizeBytes + Array(form.utf8) + body
    }
    let wav = chunks(readWholeFile(try MadeInputs.fromSpeech("a.wav", in: directory, ["-c:a", "pcm_s16le"])), bigEndian: false)
    let aiff = chunks(readWholeFile(try MadeInputs.fromSpeech("a.aiff", in: directory, ["-c:a", "pcm_s16be"])), bigEndian: true)
    let late = [
      ("late-fmt.wav", container("RIFF", "WAVE", wav["data"]! + wav["fmt "]!, bigEndian: false), [AudioDecoder.auto, .ffmpeg]),
      ("late-comm.aiff", container("FORM", "AIFF", aiff["SSND"]! + aiff["COMM"]!, bigEndian: true), [AudioDecoder.ffmpeg]),
    ]
    for (name, bytes, decoders) in late {
      let path = directory + "/" + name
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      XCTAssertGreaterThan(try decodeAll(path).samples.count, 0, name)
      for decoder in decoders {
        XCTAssertThrowsError(try decodeAllThroughAPipe(path, decoder: decoder), "\(name), \(decoder)") { error in
          let message = "\(error)"
          XCTAssertTrue(message.contains("chunk follows its audio") && message.contains("give its path"), "\(name), \(decoder): \(message)")
          XCTAssertFalse(message.contains("\n"), message)
        }
      }
    }
  }
}
