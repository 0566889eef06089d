import Foundation
import TestSupport
import XCTest

@testable import DSP

/// Headers that put the audio past the pipe's 4 MiB window — stacked ID3v2 tags, a chunk of
/// megabytes before the audio chunk, a FLAC's padding — give the same frames from a pipe as
/// from the file, under every decoder (review35 R13, R14; review35b S10). The reference is
/// ffmpeg's command line on the input without them.
final class HeadersPastThePipeWindowTests: XCTestCase {
  static let decoders: [AudioDecoder] = [.auto, .sndfile, .ffmpeg]

  /// `bytes` written as `name` in `directory`.
  private func write(_ bytes: [UInt8], _ name: String, in directory: String) throws -> String {
    let path = directory + "/" + name
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// An ID3v2.4 tag whose body is `size` zeros.
  private func id3Tag(_ size: Int) -> [UInt8] {
    Array("ID3".utf8) + [4, 0, 0] + [21, 14, 7, 0].map { UInt8((size >> $0) & 0x7F) } + [UInt8](repeating: 0, count: size)
  }

  /// Decodes `path` from the file and through a pipe under `decoder`: the same frames, the
  /// frames ffmpeg decodes from `reference`.
  private func assertFileAndPipeAgree(_ path: String, reference: String, _ decoder: AudioDecoder, _ what: String) throws {
    let frames = try MadeInputs.ffmpegFrames(reference)
    let fromFile = try decodeAll(path, decoder: decoder).samples
    XCTAssertEqual(fromFile.count, frames, "\(what), \(decoder), from the file")
    do {
      let fromPipe = try decodeAllThroughAPipe(path, decoder: decoder).samples
      XCTAssertEqual(fromPipe.count, frames, "\(what), \(decoder), from a pipe")
      XCTAssertTrue(fromPipe == fromFile, "\(what), \(decoder): a pipe's samples differ from the file's")
    } catch {
      XCTFail("\(what), \(decoder), from a pipe: \(error)")
    }
  }

  /// review35b S10: two ID3v2 tags of 3 and 2 MiB before a WAV, AIFF, CAF, FLAC, Ogg, W64 or
  /// RF64. From a pipe every decoder said "not a readable audio file (Format not recognised)"
  /// (the second tag's end lay past the window); one 5 MiB tag decoded. review39 F11: a 5 MiB
  /// tag and a small one after it (ffmpeg's own before an MP3): the pipe started again after
  /// the small tag, and served its first bytes from a block read ahead before it ("damaged: the
  /// last MPEG frame … runs past the input's end", or frames lost, by how the writer split it).
  func testStackedTagsPastTheWindowDecodeFromAPipeAsFromTheFile() throws {
    let directory = try scratchDirectory(self)
    let formats: [(String, [String])] = [
      ("a.wav", ["-c:a", "pcm_s16le"]), ("a.aiff", ["-c:a", "pcm_s16be"]), ("a.caf", ["-c:a", "pcm_s16le"]),
      ("a.flac", []), ("a.ogg", ["-c:a", "libvorbis"]), ("a.w64", ["-c:a", "pcm_s16le"]),
      ("a.rf64.wav", ["-c:a", "pcm_s16le", "-rf64", "always"]), ("a.mp3", ["-c:a", "libmp3lame"]),
    ]
    for (stack, tags) in [("3+2 MiB", id3Tag(3 << 20) + id3Tag(2 << 20)), ("5 MiB+40 B", id3Tag(5 << 20) + id3Tag(40))] {
      // (Under a sanitizer, one container of each reader: RIFF, CAF, FLAC, Ogg, MPEG.)
      for (name, arguments) in formats where testSanitizer == nil || ["a.wav", "a.caf", "a.flac", "a.ogg", "a.mp3"].contains(name) {
        let plain = try MadeInputs.fromSpeech(name, in: directory, arguments)
        let tagged = try write(tags + readWholeFile(plain), "tagged-" + name, in: directory)
        for decoder in Self.decoders {
          try assertFileAndPipeAgree(tagged, reference: plain, decoder, "\(stack), \(name)")
        }
      }
    }
  }
}

extension HeadersPastThePipeWindowTests {
  /// A chunk of 5 MiB `bytes` named `id` inserted before the audio chunk of a RIFF, RF64 or
  /// AIFF file (`bigEndian` sizes: AIFF), its container's size grown to match.
  private func withChunk(_ id: String, _ count: Int, beforeAudioOf file: [UInt8], bigEndian: Bool) -> [UInt8] {
    func size(_ bytes: [UInt8], at offset: Int) -> Int {
      let field = Array(bytes[offset..<offset + 4])
      return Int((bigEndian ? field : field.reversed()).reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    }
    func field(_ value: Int) -> [UInt8] {
      let bytes = (0..<4).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
      return bigEndian ? bytes.reversed() : bytes
    }
    var offset = 12
    while offset + 8 <= file.count, !["data", "SSND"].contains(String(decoding: file[offset..<offset + 4], as: UTF8.self)) {
      let chunkSize = size(file, at: offset + 4)
      offset += 8 + chunkSize + chunkSize % 2
    }
    let chunk = Array(id.utf8) + field(count) + [UInt8](repeating: 0, count: count)
    var result = Array(file[..<offset]) + chunk + Array(file[offset...])
    if file.starts(with: Array("RF64".utf8)) {
      // The RIFF size is ds64's first field.
      let riffSize = (0..<8).reduce(UInt64(0)) { $0 | UInt64(result[20 + $1]) << ($1 * 8) } + UInt64(chunk.count)
      result.replaceSubrange(20..<28, with: (0..<8).map { UInt8(truncatingIfNeeded: riffSize >> ($0 * 8)) })
    } else {
      result.replaceSubrange(4..<8, with: field(size(file, at: 4) + chunk.count))
    }
    return result
  }

  /// A W64 file with a chunk of `count` zeros (its GUID `id`) inserted before its `data` chunk.
  private func withChunk(_ id: [UInt8], _ count: Int, beforeAudioOfW64 file: [UInt8]) -> [UInt8] {
    func size(at offset: Int) -> Int { Int((0..<8).reduce(UInt64(0)) { $0 | UInt64(file[offset + $1]) << ($1 * 8) }) }
    func field(_ value: Int) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) } }
    var offset = 40
    while offset + 24 <= file.count, file[offset..<offset + 4] != Array("data".utf8)[...] {
      offset += (size(at: offset + 16) + 7) & ~7
    }
    let chunk = id + field(24 + count) + [UInt8](repeating: 0, count: count)
    var result = Array(file[..<offset]) + chunk + Array(file[offset...])
    result.replaceSubrange(16..<24, with: field(size(at: 16) + chunk.count))
    return result
  }

  /// review35 R14: a chunk of 5 MiB before the audio of a WAV, RF64, AIFF or W64 — honest, the
  /// input holds it — decodes from a pipe as from the file, under every decoder. `--decoder
  /// sndfile` said "No 'data' chunk marker" from a pipe (the pipe refused libsndfile's seek
  /// over the chunk, longer than its window); 3 MiB decoded.
  func testAChunkLargerThanTheWindowBeforeTheAudioDecodesFromAPipe() throws {
    let directory = try scratchDirectory(self)
    let large = 5 << 20
    let wav = try MadeInputs.fromSpeech("a.wav", in: directory, ["-c:a", "pcm_s16le"])
    let rf64 = try MadeInputs.fromSpeech("a.rf64.wav", in: directory, ["-c:a", "pcm_s16le", "-rf64", "always"])
    let aiff = try MadeInputs.fromSpeech("a.aiff", in: directory, ["-c:a", "pcm_s16be"])
    let w64 = try MadeInputs.fromSpeech("a.w64", in: directory, ["-c:a", "pcm_s16le"])
    let junkGUID = Array("junk".utf8) + [0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A]
    let inputs = [
      (try write(withChunk("junk", large, beforeAudioOf: readWholeFile(wav), bigEndian: false), "junk.wav", in: directory), wav),
      (try write(withChunk("LIST", large, beforeAudioOf: readWholeFile(wav), bigEndian: false), "list.wav", in: directory), wav),
      (try write(withChunk("junk", large, beforeAudioOf: readWholeFile(rf64), bigEndian: false), "junk.rf64.wav", in: directory), rf64),
      (try write(withChunk("APPL", large, beforeAudioOf: readWholeFile(aiff), bigEndian: true), "appl.aiff", in: directory), aiff),
      (try write(withChunk(junkGUID, large, beforeAudioOfW64: readWholeFile(w64)), "junk.w64", in: directory), w64),
    ]
    for (input, plain) in inputs {
      for decoder in Self.decoders {
        try assertFileAndPipeAgree(input, reference: plain, decoder, String(input.split(separator: "/").last!))
      }
    }
  }
}

extension HeadersPastThePipeWindowTests {
  /// review35 R13: a FLAC whose metadata (a 5 MiB PADDING block) puts its audio past the pipe's
  /// window, with 2500 zeroed bytes 20000 bytes before its end: a pipe resumes it from a frame it
  /// still holds and gives the file's frames, more than libsndfile's before the hole (it kept
  /// libsndfile's 53248 and said "FFmpeg cannot start again on a pipe past its first 4 MiB":
  /// STREAMINFO, which the resumption begins with, was read after libsndfile had read past the
  /// window). `--decoder ffmpeg` too.
  func testAFLACHoleBehindLargeMetadataFromAPipeKeepsWhatTheFileKeeps() throws {
    let directory = try scratchDirectory(self)
    let path = try write(paddedFLACWithAHole(), "padded-hole.flac", in: directory)
    let file = try decodeAll(path)
    XCTAssertNotNil(file.source.truncation)
    XCTAssertGreaterThan(file.samples.count, 70000, "the file keeps all but the hole")
    // A writer ahead of the reader too (stop 40: a pipe whose reads all came whole read 64 KiB
    // ahead of libsndfile, which left the 64 KiB tail kept no frame to resume from).
    for fullPipe in [false, true] {
      let piped = try decodeAllThroughAPipe(path, fullPipe: fullPipe)
      XCTAssertEqual(piped.samples.count, file.samples.count, "a pipe's frames, full: \(fullPipe)")
      XCTAssertTrue(piped.samples == file.samples, "a pipe's samples differ from the file's, full: \(fullPipe)")
      XCTAssertFalse(piped.source.truncation?.contains("cannot start again") ?? true, "\(piped.source.truncation ?? "no warning")")
    }
    let ffmpegFile = try decodeAll(path, decoder: .ffmpeg).samples
    XCTAssertTrue(try decodeAllThroughAPipe(path, decoder: .ffmpeg).samples == ffmpegFile, "--decoder ffmpeg: a pipe's samples differ from the file's")
  }
}

extension HeadersPastThePipeWindowTests {
  /// review37a U26: an Ogg Vorbis or Opus whose comment header (cover art) is larger than the
  /// pipe's window: from a pipe libsndfile kept 16185 of 112000 frames, exit 0, no word (the
  /// first page, which the stream's length is read against, was gone from the window by the
  /// end; libsndfile's reader had looked for the last page and could not seek back). A pipe
  /// gives the file's frames, every decoder.
  func testAnOggWithACommentLargerThanTheWindowDecodesFromAPipeAsFromTheFile() throws {
    let directory = try scratchDirectory(self)
    let metadata = directory + "/metadata.txt"
    try Data((";FFMETADATA1\ncomment=" + String(repeating: "A", count: 5 << 20) + "\n").utf8).write(to: URL(fileURLWithPath: metadata))
    var failures: [String] = []
    for (name, codec) in [("a.ogg", "libvorbis"), ("a.opus", "libopus")] {
      let path = directory + "/" + name
      _ = try MadeInputs.ffmpeg(["-i", fixtures + "/speech.flac", "-i", metadata, "-map_metadata", "1", "-c:a", codec, path])
      let ways = decodeEveryWay(path)
      for decoder in AudioDecoder.allCases {
        let file = ways.first { $0.decoder == decoder && !$0.throughAPipe }!
        let pipe = ways.first { $0.decoder == decoder && $0.throughAPipe }!
        guard case .success(let fromFile) = file.outcome else {
          failures.append("\(name), \(file.label): \(file.outcome)")
          continue
        }
        if pipe.samples != fromFile.samples {
          failures.append("\(name), \(pipe.label): \(pipe.samples?.count ?? 0) frames against the file's \(fromFile.samples.count), \((try? pipe.outcome.get().warning) ?? nil ?? "no warning")")
        }
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }
}

extension HeadersPastThePipeWindowTests {
  /// review37a U9: a WAV or AIFF whose audio chunk's header straddles the end of the pipe's
  /// window (a LIST chunk of about 4 MiB before it): from a pipe 4 bytes were lost, and a 24-bit
  /// stereo WAV decoded misaligned (RMS 0.165 for 0.256) with a 1-frame `truncated` as the only
  /// word. The audio starts a few bytes before, at, and after the window's end: a pipe gives
  /// the file's frames, every decoder.
  func testAnAudioChunkHeaderAtTheWindowsEndDecodesFromAPipeAsFromTheFile() throws {
    let directory = try scratchDirectory(self)
    let window = 4 << 20
    let wav = try MadeInputs.fromSpeech("a.wav", in: directory, ["-t", "1", "-ac", "2", "-c:a", "pcm_s24le"])
    let aiff = try MadeInputs.fromSpeech("a.aiff", in: directory, ["-t", "1", "-ac", "2", "-c:a", "pcm_s24be"])
    /// Where the audio chunk's header starts in `file`.
    func audioChunk(_ file: [UInt8], bigEndian: Bool) -> Int {
      var offset = 12
      while !["data", "SSND"].contains(String(decoding: file[offset..<offset + 4], as: UTF8.self)) {
        let field = Array(file[offset + 4..<offset + 8])
        let size = Int((bigEndian ? field : field.reversed()).reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        offset += 8 + size + size % 2
      }
      return offset
    }
    var failures: [String] = []
    for (plain, name, bigEndian) in [(wav, "wav", false), (aiff, "aiff", true)] {
      let bytes = readWholeFile(plain)
      // The audio chunk's first sample (an AIFF's SSND has 8 bytes of offset and block size).
      let header = bigEndian ? 16 : 8
      for past in [-12, -8, -4, 0, 4, 8, 16] {
        let count = window + past - (audioChunk(bytes, bigEndian: bigEndian) + 8 + header)
        let path = try write(withChunk(bigEndian ? "APPL" : "LIST", count, beforeAudioOf: bytes, bigEndian: bigEndian), "\(past).\(name)", in: directory)
        let ways = decodeEveryWay(path)
        for decoder in Self.decoders {
          let (file, pipe) = (ways.first { $0.decoder == decoder && !$0.throughAPipe }!, ways.first { $0.decoder == decoder && $0.throughAPipe }!)
          if file.samples == nil || pipe.samples != file.samples {
            failures.append("\(name), audio \(past) bytes past the window, \(pipe.label): \(pipe.samples?.count ?? -1) frames against the file's \(file.samples?.count ?? -1)")
          }
        }
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }
}
