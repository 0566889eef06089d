import CSndFile
import Foundation
import TestSupport
import XCTest

@testable import DSP

/// Issue 16, the fifth hostile review's joined files (J1–J12) and forced decoders (D1, D2):
/// any file of a container audioprep knows with another file joined on (`cat a b`), of the same
/// container or another, is refused (65) naming the second file's byte, from a file and from a
/// pipe, whichever decoder is asked for. The parts are written by libsndfile in-process (the
/// reference for where each ends: its own length), 0.25 s of a 440 Hz tone at 8 kHz.
final class JoinedFilesTests: XCTestCase {
  /// libsndfile's formats, by the extension the test names them with.
  private static let formats: [(ext: String, format: Int32)] = [
    ("wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16), ("aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_16), ("au", SF_FORMAT_AU | SF_FORMAT_PCM_16),
    ("caf", SF_FORMAT_CAF | SF_FORMAT_PCM_16), ("w64", SF_FORMAT_W64 | SF_FORMAT_PCM_16), ("flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16),
    ("ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS), ("mat4", SF_FORMAT_MAT4 | SF_FORMAT_PCM_16), ("mat5", SF_FORMAT_MAT5 | SF_FORMAT_PCM_16),
    ("svx", SF_FORMAT_SVX | SF_FORMAT_PCM_16), ("mpc2k", SF_FORMAT_MPC2K | SF_FORMAT_PCM_16), ("pvf", SF_FORMAT_PVF | SF_FORMAT_PCM_16),
    ("sds", SF_FORMAT_SDS | SF_FORMAT_PCM_16), ("htk", SF_FORMAT_HTK | SF_FORMAT_PCM_16), ("sph", SF_FORMAT_NIST | SF_FORMAT_PCM_16),
    ("voc", SF_FORMAT_VOC | SF_FORMAT_PCM_16), ("ircam", SF_FORMAT_IRCAM | SF_FORMAT_PCM_16), ("paf", SF_FORMAT_PAF | SF_FORMAT_PCM_16),
  ].map { ($0.0, Int32($0.1)) }

  /// `name` in `directory`, written by libsndfile: 2000 frames of a 440 Hz tone at 8 kHz.
  static func written(_ name: String, format: Int32, in directory: String, frames: Int = 2000) throws -> [UInt8] {
    let path = directory + "/" + name
    var info = SF_INFO()
    info.samplerate = 8000
    info.channels = 1
    info.format = format
    let file = try XCTUnwrap(sf_open(path, Int32(SFM_WRITE), &info), "libsndfile writes \(name)")
    let tone = (0..<frames).map { Float(0.4 * sin(2 * Double.pi * 440 * Double($0) / 8000)) }
    XCTAssertEqual(sf_write_float(file, tone, sf_count_t(frames)), sf_count_t(frames))
    sf_close(file)
    return readWholeFile(path)
  }

  /// Refused (65, invalid input) with the second file's byte, through `decoder`, from a file
  /// and from a pipe.
  private func assertRefused(
    _ path: String, at byte: Int, decoders: [AudioDecoder] = [.auto], file: StaticString = #filePath, line: UInt = #line
  ) {
    for decoder in decoders {
      for viaPipe in [false, true] {
        let label = "\((path as NSString).lastPathComponent) through \(decoder)\(viaPipe ? " from a pipe" : "")"
        XCTAssertThrowsError(
          try viaPipe ? decodeAllThroughAPipe(path, decoder: decoder) : decodeAll(path, decoder: decoder), label, file: file, line: line
        ) { error in
          XCTAssertEqual((error as? AudioIOError)?.kind, .invalidInput, "\(label): \(error)", file: file, line: line)
          XCTAssertTrue("\(error)".contains("a second") && "\(error)".contains("starts at byte \(byte)"), "\(label): \(error)", file: file, line: line)
        }
      }
    }
  }

  /// Every container libsndfile writes, joined to itself, is refused naming the second file's
  /// byte. (MAT4, 16SV, SDS and libsndfile's MP3 dropped the second file silently, exit 0;
  /// MPC2K and PVF decoded its header as samples, PVF its whole audio as noise; FLAC decoded
  /// both, or from a pipe lost the end of the first ("truncated"); Ogg decoded both, the file
  /// and the pipe differently; HTK said "Format not recognised".)
  func testEveryContainerJoinedToItselfIsRefused() throws {
    let directory = try scratchDirectory(self)
    for (ext, format) in Self.formats {
      let part = try Self.written("part.\(ext)", format: format, in: directory)
      let path = directory + "/joined.\(ext)"
      try Data(part + part).write(to: URL(fileURLWithPath: path))
      // The decoders that read the container: libsndfile and FFmpeg where both do.
      let decoders: [AudioDecoder] = ["wav", "aiff", "au", "caf", "w64", "flac", "ogg"].contains(ext) ? [.auto, .ffmpeg, .sndfile] : [.auto]
      assertRefused(path, at: part.count, decoders: decoders)
    }
  }

  /// Files of different containers joined end to end are refused naming the second file's
  /// byte, whichever comes first. (The second recording was dropped, exit 0, no message: WAV +
  /// AIFF, AIFF + WAV, WAV + FLAC, FLAC + WAV, MAT + WAV, CAF + WAV.)
  func testFilesOfDifferentContainersJoinedAreRefused() throws {
    let directory = try scratchDirectory(self)
    var parts: [String: [UInt8]] = [:]
    for (ext, format) in Self.formats where ["wav", "aiff", "flac", "ogg", "caf", "mat4", "au"].contains(ext) {
      parts[ext] = try Self.written("part.\(ext)", format: format, in: directory)
    }
    let pairs = [
      ("wav", "aiff"), ("aiff", "wav"), ("wav", "flac"), ("flac", "wav"), ("mat4", "wav"), ("caf", "wav"), ("ogg", "wav"),
      ("flac", "ogg"), ("au", "flac"),
    ]
    for (first, second) in pairs {
      let path = directory + "/\(first)-\(second).\(first)"
      try Data(parts[first]! + parts[second]!).write(to: URL(fileURLWithPath: path))
      assertRefused(path, at: parts[first]!.count)
    }
  }

  /// An MP3 with its ID3v2 tag (ffmpeg's, and most encoders', default) joined after a file of
  /// another container is refused naming its byte, every decoder, file and pipe (review36 T2:
  /// after a WAV, FLAC, Ogg, CAF, AIFF or WebM the MP3 was dropped without a word, exit 0). An
  /// ID3v2 tag appended after the audio with no MPEG frame after it is a tag, not a file.
  func testAnMP3JoinedAfterAnotherContainerIsRefused() throws {
    let directory = try scratchDirectory(self)
    let mp3 = readWholeFile(try MadeInputs.fromSpeech("tagged.mp3", in: directory, ["-t", "1", "-c:a", "libmp3lame"]))
    XCTAssertEqual(Array(mp3.prefix(3)), Array("ID3".utf8))
    let made: [(String, [String])] = [
      ("wav", ["-c:a", "pcm_s16le"]), ("flac", ["-c:a", "flac"]), ("ogg", ["-c:a", "libvorbis"]), ("caf", ["-c:a", "pcm_s16le"]),
      ("aiff", ["-c:a", "pcm_s16be"]), ("webm", ["-c:a", "libopus"]),
    ]
    for (ext, codec) in made {
      let first = readWholeFile(try MadeInputs.fromSpeech("first.\(ext)", in: directory, ["-t", "1"] + codec))
      let path = directory + "/\(ext)-mp3.\(ext)"
      try Data(first + mp3).write(to: URL(fileURLWithPath: path))
      guard ext == "webm" else {
        assertRefused(path, at: first.count, decoders: AudioDecoder.allCases)
        continue
      }
      // After a container whose header does not say where its audio ends, a part of another
      // rate is named by the change, at the second file's byte.
      for viaPipe in [false, true] {
        XCTAssertThrowsError(try viaPipe ? decodeAllThroughAPipe(path) : decodeAll(path), "webm, pipe: \(viaPipe)") { error in
          XCTAssertTrue("\(error)".contains("changes from") && "\(error)".contains("at byte \(first.count)"), "webm, pipe: \(viaPipe): \(error)")
        }
      }
    }
    // A tag alone after the audio (an ID3v2.4 tag appended at the end): decoded, as before.
    let wav = readWholeFile(try MadeInputs.fromSpeech("alone.wav", in: directory, ["-t", "1", "-c:a", "pcm_s16le"]))
    let tagOnly = directory + "/wav-tag.wav"
    try Data(wav + Array(mp3.prefix(10 + Int(mp3[9])))).write(to: URL(fileURLWithPath: tagOnly))
    XCTAssertNoThrow(try decodeAll(tagOnly))
    XCTAssertNoThrow(try decodeAllThroughAPipe(tagOnly))
  }

  /// Matroska and WebM files joined end to end (FFmpeg's) are refused naming the second file's
  /// byte. (Both recordings were decoded into one, exit 0, no message.)
  func testJoinedMatroskaIsRefused() throws {
    let directory = try scratchDirectory(self)
    for (ext, codec) in [("mkv", "pcm_s16le"), ("webm", "libopus")] {
      let part = readWholeFile(try MadeInputs.fromSpeech("part.\(ext)", in: directory, ["-t", "0.5", "-c:a", codec]))
      let path = directory + "/joined.\(ext)"
      try Data(part + part).write(to: URL(fileURLWithPath: path))
      assertRefused(path, at: part.count)
    }
  }

  /// Valid files holding another file's bytes where no file begins are not refused: a WAV and
  /// an AIFF whose samples are a whole FLAC, Ogg, AIFF, WAV and MAT4 file, a MAT4 file whose
  /// samples hold a WAV, and a FLAC followed by an ID3v1 tag, an APE tag or zero padding. They
  /// decode to their own frames from a file and a pipe.
  func testAFilesBytesInsideAnothersSamplesAreNotAJoin() throws {
    let directory = try scratchDirectory(self)
    var parts: [String: [UInt8]] = [:]
    for (ext, format) in Self.formats where ["wav", "aiff", "flac", "ogg", "mat4"].contains(ext) {
      parts[ext] = try Self.written("part.\(ext)", format: format, in: directory)
    }
    var inputs: [(path: String, frames: Int)] = []
    // 16-bit samples whose bytes are the other files' (an even count), written by libsndfile.
    for (outer, format) in Self.formats where ["wav", "aiff", "mat4"].contains(outer) {
      for (inner, bytes) in parts where inner != outer {
        let even = bytes + (bytes.count % 2 == 1 ? [0] : [])
        let samples = stride(from: 0, to: even.count, by: 2).map { Int16(bitPattern: UInt16(even[$0]) | UInt16(even[$0 + 1]) << 8) }
        let path = directory + "/\(inner)-in-\(outer).\(outer)"
        var info = SF_INFO()
        info.samplerate = 8000
        info.channels = 1
        info.format = format
        let file = try XCTUnwrap(sf_open(path, Int32(SFM_WRITE), &info))
        // Raw, so that the bytes land as they are (the file's own byte order is little-endian
        // for WAV and MAT4 as written here; AIFF's big-endian samples hold them swapped).
        XCTAssertEqual(sf_write_short(file, samples, sf_count_t(samples.count)), sf_count_t(samples.count))
        sf_close(file)
        if outer != "aiff" { XCTAssertNotNil(ContainerHeader.find(Array(bytes.prefix(12)), in: readWholeFile(path)), path) }
        inputs.append((path, samples.count))
      }
    }
    let flac = parts["flac"]!
    let tags: [(String, [UInt8])] = [
      ("id3v1", Array("TAG".utf8) + [UInt8](repeating: 0x20, count: 124) + [12]),
      ("ape", Array("APETAGEX".utf8) + [0xD0, 0x07, 0, 0, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80] + [UInt8](repeating: 0, count: 8)),
      ("padding", [UInt8](repeating: 0, count: 4096)),
    ]
    for (name, tag) in tags {
      let path = directory + "/tagged-\(name).flac"
      try Data(flac + tag).write(to: URL(fileURLWithPath: path))
      inputs.append((path, 2000))
    }
    for (path, frames) in inputs {
      for viaPipe in [false, true] {
        let label = "\((path as NSString).lastPathComponent)\(viaPipe ? " from a pipe" : "")"
        let decoded = try viaPipe ? decodeAllThroughAPipe(path) : decodeAll(path)
        XCTAssertEqual(decoded.samples.count, frames, label)
      }
    }
  }

  /// MP3 files joined end to end: a second file's own header (an ID3v2 tag, a LAME `Info`
  /// frame) is refused naming its byte, from a file and a pipe, through libsndfile and FFmpeg;
  /// frames that just go on (no header between the files) are one stream, decoded whole as
  /// ffmpeg decodes them, from a file and a pipe alike; a trailing ID3v1 tag is not a file.
  /// (libsndfile's MP3s joined kept the first file silently, exit 0; ffmpeg's decoded both.)
  func testMP3FilesJoinedAreRefusedByTheirHeaders() throws {
    let directory = try scratchDirectory(self)
    let written = try Self.written("sndfile.mp3", format: Int32(SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III), in: directory, frames: 8000)
    let tagged = readWholeFile(try MadeInputs.fromSpeech("ffmpeg.mp3", in: directory, ["-t", "1", "-ar", "22050", "-c:a", "libmp3lame"]))
    for (name, part) in [("sndfile", written), ("ffmpeg", tagged)] {
      let path = directory + "/joined-\(name).mp3"
      try Data(part + part).write(to: URL(fileURLWithPath: path))
      for decoder in [AudioDecoder.auto, .ffmpeg] {
        for viaPipe in [false, true] {
          let label = "\(name) through \(decoder)\(viaPipe ? " from a pipe" : "")"
          XCTAssertThrowsError(try viaPipe ? decodeAllThroughAPipe(path, decoder: decoder) : decodeAll(path, decoder: decoder), label) { error in
            XCTAssertTrue("\(error)".contains("a second MP3 file starts at byte \(part.count)"), "\(label): \(error)")
          }
        }
      }
    }
    // Another container after an MP3. (The WAV was dropped from a file; from a pipe its
    // header was decoded as MP3 frames, 229 samples clipped.)
    let wav = try Self.written("after.wav", format: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16), in: directory)
    let mp3ThenWAV = directory + "/mp3-wav.mp3"
    try Data(tagged + wav).write(to: URL(fileURLWithPath: mp3ThenWAV))
    assertRefused(mp3ThenWAV, at: tagged.count)
    let plain = readWholeFile(
      try MadeInputs.fromSpeech("plain.mp3", in: directory, ["-t", "1", "-ar", "22050", "-c:a", "libmp3lame", "-write_xing", "0", "-id3v2_version", "0"]))
    let id3v1 = Array("TAG".utf8) + [UInt8](repeating: 0x20, count: 124) + [12]
    for (name, bytes) in [("plain-joined", plain + plain), ("tagged-v1", tagged + id3v1)] {
      let path = directory + "/\(name).mp3"
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      let fromFile = try decodeAll(path)
      let fromPipe = try decodeAllThroughAPipe(path)
      XCTAssertEqual(fromFile.samples.count, fromPipe.samples.count, name)
      XCTAssertEqual(Double(fromFile.samples.count), Double(try MadeInputs.ffmpegFrames(path)), accuracy: 1152, name)
    }
  }

  /// From a pipe, a PCM container joined to another delivers the first file's frames and no
  /// more before the refusal: not the second header's bytes as samples (review 16e J11: AU,
  /// SPHERE, W64, AVR read from standard input went on into the second file's header, full-scale
  /// clicks on standard output before the 65).
  func testAJoinedPipeDeliversNothingPastTheFirstFilesDeclaredEnd() throws {
    let directory = try scratchDirectory(self)
    let formats = [("au", SF_FORMAT_AU), ("sph", SF_FORMAT_NIST), ("w64", SF_FORMAT_W64), ("avr", SF_FORMAT_AVR), ("wav", SF_FORMAT_WAV)]
    for (ext, container) in formats {
      let part = try Self.written("part.\(ext)", format: Int32(container | SF_FORMAT_PCM_16), in: directory)
      let path = directory + "/joined.\(ext)"
      try Data(part + part).write(to: URL(fileURLWithPath: path))
      // One chunk at a time, as the pipeline reads: what came out before the error.
      var delivered = 0
      XCTAssertThrowsError(try decodeThroughAPipe(path, counting: &delivered), ext) { error in
        XCTAssertTrue("\(error)".contains("a second"), "\(ext): \(error)")
      }
      XCTAssertLessThanOrEqual(delivered, 2000, "\(ext): frames delivered before the refusal")
    }
  }

  /// The same rule for MP3 files joined on a pipe, through every decoder: up to the first
  /// file's frames, never the second's (review35b S6: `cat a.mp3 a.mp3 | audioprep - --decoder
  /// ffmpeg` delivered both copies, 115200 frames at 16 kHz of one file's 57713, before the 65).
  /// The first file with its Info header (its length announced) and without one.
  func testAJoinedMP3PipeDeliversNothingOfTheSecondFile() throws {
    let directory = try scratchDirectory(self)
    let tagged = readWholeFile(try MadeInputs.fromSpeech("tagged.mp3", in: directory, ["-ar", "22050", "-c:a", "libmp3lame"]))
    let plain = readWholeFile(
      try MadeInputs.fromSpeech("plain.mp3", in: directory, ["-ar", "22050", "-c:a", "libmp3lame", "-write_xing", "0", "-id3v2_version", "0"]))
    for (name, first) in [("tagged", tagged), ("plain", plain)] {
      let single = directory + "/\(name)-single.mp3"
      try Data(first).write(to: URL(fileURLWithPath: single))
      let path = directory + "/\(name)-joined.mp3"
      try Data(first + tagged).write(to: URL(fileURLWithPath: path))
      for decoder in AudioDecoder.allCases {
        let frames = try decodeAll(single, decoder: decoder).samples.count
        var delivered = 0
        XCTAssertThrowsError(try decodeThroughAPipe(path, decoder: decoder, counting: &delivered), "\(name), \(decoder)") { error in
          XCTAssertTrue("\(error)".contains("a second MP3 file starts at byte \(first.count)"), "\(name), \(decoder): \(error)")
        }
        XCTAssertLessThanOrEqual(delivered, frames, "\(name), --decoder \(decoder.rawValue): frames delivered before the refusal")
      }
    }
  }

  /// `decodeAllThroughAPipe`, counting the frames delivered before an error.
  private func decodeThroughAPipe(_ path: String, decoder: AudioDecoder = .auto, counting delivered: inout Int) throws {
    let bytes = readWholeFile(path)
    signal(SIGPIPE, SIG_IGN)
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { throw XCTSkip("pipe") }
    let (reading, writing) = (ends[0], ends[1])
    defer { close(reading) }
    let writer = Thread {
      var offset = 0
      while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { write(writing, $0.baseAddress, $0.count) }
        if written <= 0 { break }
        offset += written
      }
      close(writing)
    }
    writer.start()
    let source = try openAudioSource(path: "/dev/fd/\(reading)", decoder: decoder)
    var chunk = AudioChunk(channels: source.format.channels)
    while try source.read(into: &chunk, maxFrames: 256) > 0 { delivered += chunk.samples.count / source.format.channels }
  }
}
