import CSndFile
import Foundation
import TestSupport
import XCTest

@testable import DSP

/// Containers whose header declares their length where libsndfile walks the header itself
/// (MAT4, MAT5, 16SV, MPC2K, VOC): a file cut short says `truncated` with the declared length
/// and gives the same frames from a file and a pipe; a header with no audio after it is
/// "nothing decodes" (65), as a WAV's is; a whole file says nothing. (review16e T2, T3, T10,
/// T11, T16: no warning, exit 0, header-only files gave an empty output.)
final class DeclaredLengthTests: XCTestCase {
  private static let frames = 16000

  /// A known signal: sample i is (1000 + i·37 mod 2000) / 32768, exact in 16 bits, never 0.
  private static let signal: [Float] = (0..<frames).map { Float(1000 + ($0 * 37) % 2000) / 32768 }

  /// Writes `signal` at 8 kHz mono with libsndfile in `format`.
  private func write(_ path: String, format: Int32) throws {
    try writeSoundFile(path, samples: Self.signal, rate: 8000, format: format)
  }

  /// Where the first sample's bytes start in `bytes` (1000 as 16 bits, either byte order).
  private func dataStart(_ bytes: [UInt8]) -> Int? {
    let first = Self.signal.prefix(2).map { Int16($0 * 32768) }
    for pattern in [first.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, first.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }] {
      if let start = (0...(bytes.count - pattern.count)).first(where: { Array(bytes[$0..<$0 + pattern.count]) == pattern }) {
        return start
      }
    }
    return nil
  }

  private func save(_ bytes: some Collection<UInt8>, _ path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
  }

  private func assertSame(_ path: String, _ check: (String, [Float], any DecodingSource) -> Void) throws {
    let fromFile = try decodeAll(path)
    let fromPipe = try decodeAllThroughAPipe(path)
    XCTAssertEqual(fromFile.samples, fromPipe.samples, "\(path): file and pipe differ")
    check("file", fromFile.samples, fromFile.source)
    check("pipe", fromPipe.samples, fromPipe.source)
  }

  private func assertNothingDecodes(_ path: String, announced: Int) {
    for viaPipe in [false, true] {
      XCTAssertThrowsError(try viaPipe ? decodeAllThroughAPipe(path) : decodeAll(path), "\(path) pipe: \(viaPipe)") { error in
        XCTAssertEqual((error as? AudioIOError)?.kind, .invalidInput, "\(path): \(error)")
        XCTAssertTrue(
          "\(error)".contains("nothing decodes: the header announces \(announced) frames, the input holds none"), "\(path): \(error)")
      }
    }
  }

  func testEveryContainerThatDeclaresItsLengthSaysWhenItIsCutShort() throws {
    let directory = try scratchDirectory(self)
    let formats: [(String, Int32)] = [
      ("mat", Int32(SF_FORMAT_MAT4 | SF_FORMAT_PCM_16)), ("mat5", Int32(SF_FORMAT_MAT5 | SF_FORMAT_PCM_16)),
      ("svx", Int32(SF_FORMAT_SVX | SF_FORMAT_PCM_16)), ("mpc2k", Int32(SF_FORMAT_MPC2K | SF_FORMAT_PCM_16)),
      ("voc", Int32(SF_FORMAT_VOC | SF_FORMAT_PCM_16)),
    ]
    for (ext, format) in formats {
      let whole = directory + "/whole.\(ext)"
      try write(whole, format: format)
      try assertSame(whole) { label, samples, source in
        XCTAssertEqual(samples, Self.signal, "\(ext) whole from a \(label)")
        XCTAssertNil(source.truncation, "\(ext) whole from a \(label)")
      }
      let bytes = readWholeFile(whole)
      let start = try XCTUnwrap(dataStart(bytes), ext)
      // Cut at 60 % of the audio, on a frame and inside one.
      for cut in [start + 2 * 9592, start + 2 * 9592 + 1] {
        let path = directory + "/cut\(cut).\(ext)"
        try save(bytes.prefix(cut), path)
        try assertSame(path) { label, samples, source in
          XCTAssertEqual(samples, Array(Self.signal.prefix(9592)), "\(ext) cut at \(cut) from a \(label)")
          XCTAssertEqual(
            source.truncation, "truncated: the header announces \(Self.frames) frames, the input holds 9592",
            "\(ext) cut at \(cut) from a \(label)")
        }
      }
      let header = directory + "/header.\(ext)"
      try save(bytes.prefix(start), header)
      assertNothingDecodes(header, announced: Self.frames)
    }
  }

  /// A VOC sound block followed by repeat blocks gives the block's samples only, from a file
  /// as from a pipe (the file gave the end-repeat block's bytes as 4 full-scale frames).
  func testAVOCBlockEndsWhereItsSizeSays() throws {
    let directory = try scratchDirectory(self)
    var bytes = Array("Creative Voice File\u{1A}".utf8) + [26, 0, 0x0A, 0x01, 0x29, 0x11]
    bytes += [6, 2, 0, 0, 0xFF, 0xFF]  // repeat block, endless
    bytes += [1, 0xEA, 0x03, 0x00, 131, 0] + [UInt8](repeating: 0x80, count: 1000)  // 8-bit, 8 kHz
    bytes += [7, 0, 0, 0, 0]  // end repeat, terminator
    let path = directory + "/repeat.voc"
    try save(bytes, path)
    try assertSame(path) { label, samples, source in
      XCTAssertEqual(samples, [Float](repeating: 0, count: 1000), "from a \(label)")
      XCTAssertNil(source.truncation, "from a \(label)")
    }
  }

  /// An AU whose data offset points past the end holds no audio of the 16000 frames it
  /// declares: "nothing decodes" (it was an empty output, exit 0).
  func testAnAUWhoseDataStartsPastItsEndDecodesNothing() throws {
    let directory = try scratchDirectory(self)
    func bigEndian(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }
    let bytes = Array(".snd".utf8) + [0x7FFF_FFF0, 32000, 3, 8000, 1].flatMap(bigEndian) + [UInt8](repeating: 1, count: 32000)
    let path = directory + "/offset.au"
    try save(bytes, path)
    assertNothingDecodes(path, announced: 16000)
  }

  /// The same from an offset of 2^31 up, which a signed reading makes negative, under every
  /// decoder (review35 R8: libsndfile said "Unspecified internal error", FFmpeg decoded the
  /// header's last bytes as 3 frames, silently).
  func testAnAUWhoseDataOffsetIsPast2To31DecodesNothingWhateverTheDecoder() throws {
    let directory = try scratchDirectory(self)
    func bigEndian(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }
    for offset: UInt32 in [0x7FFF_FFF0, 0x8000_0000, 0xFFFF_FFF0, 0xFFFF_FFFE] {
      let bytes = Array(".snd".utf8) + [offset, 32000, 3, 8000, 1].flatMap(bigEndian) + [UInt8](repeating: 1, count: 32000)
      let path = directory + "/offset-\(offset).au"
      try save(bytes, path)
      for decoder in AudioDecoder.allCases {
        for viaPipe in [false, true] {
          let label = "offset \(offset), \(decoder)\(viaPipe ? ", a pipe" : "")"
          XCTAssertThrowsError(try viaPipe ? decodeAllThroughAPipe(path, decoder: decoder) : decodeAll(path, decoder: decoder), label) { error in
            XCTAssertTrue("\(error)".contains("nothing decodes: the header announces 16000 frames, the input holds none"), "\(label): \(error)")
          }
        }
      }
    }
  }

  /// An AIFF whose `SSND` offset puts its samples at or past the chunk's end holds none of
  /// the frames the chunk's size declares, under every decoder, from a file and a pipe
  /// (review35b S11: from 2^31 up libsndfile's file reader decoded an empty output, exit 0; a
  /// pipe said "impossible sample rate"; FFmpeg from a pipe read 14 frames of what followed).
  func testAnAIFFWhoseSamplesStartPastItsSSNDChunkDecodesNothing() throws {
    let directory = try scratchDirectory(self)
    let honest = readWholeFile(try MadeInputs.fromSpeech("honest.aiff", in: directory, ["-c:a", "pcm_s16be"]))
    let ssnd = try XCTUnwrap((12..<honest.count - 4).first { Array(honest[$0..<$0 + 4]) == Array("SSND".utf8) })
    let size = honest[ssnd + 4..<ssnd + 8].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    for offset: UInt32 in [size - 7, 1 << 31, 0xFFFF_FFF0, 0xFFFF_FFFF] {
      var bytes = honest
      bytes.replaceSubrange(ssnd + 8..<ssnd + 12, with: withUnsafeBytes(of: offset.bigEndian) { Array($0) })
      let path = directory + "/offset-\(offset).aiff"
      try save(bytes, path)
      for decoder in AudioDecoder.allCases {
        for viaPipe in [false, true] {
          let label = "offset \(offset), \(decoder)\(viaPipe ? ", a pipe" : "")"
          XCTAssertThrowsError(try viaPipe ? decodeAllThroughAPipe(path, decoder: decoder) : decodeAll(path, decoder: decoder), label) { error in
            XCTAssertTrue("\(error)".contains("nothing decodes: the header announces \((size - 8) / 2) frames, the input holds none"), "\(label): \(error)")
          }
        }
      }
    }
  }

  /// An AIFF whose SSND chunk starts its samples `Offset` bytes in is whole: no warning (it
  /// said "truncated: the header announces 16002 frames, the input holds 16000"; review16e V2).
  func testAnAIFFWithAnSSNDOffsetIsWhole() throws {
    let directory = try scratchDirectory(self)
    let plain = directory + "/plain.aiff"
    try write(plain, format: Int32(SF_FORMAT_AIFF | SF_FORMAT_PCM_16))
    let bytes = readWholeFile(plain)
    let ssnd = try XCTUnwrap((0..<bytes.count - 4).first { Array(bytes[$0..<$0 + 4]) == Array("SSND".utf8) })
    func bigEndian(_ value: Int) -> [UInt8] { withUnsafeBytes(of: UInt32(value).bigEndian) { Array($0) } }
    let size = bytes[ssnd + 4..<ssnd + 8].reduce(0) { $0 << 8 | Int($1) }
    // SSND: size + 4, offset 4, block size 0, 4 bytes before the samples.
    var body = Array(bytes[12..<ssnd]) + Array("SSND".utf8) + bigEndian(size + 4) + bigEndian(4) + bigEndian(0) + [0, 0, 0, 0]
    body += bytes[(ssnd + 16)...]
    let path = directory + "/offset.aiff"
    try save(Array("FORM".utf8) + bigEndian(body.count + 4) + Array("AIFF".utf8) + body, path)
    try assertSame(path) { label, samples, source in
      XCTAssertEqual(samples, Self.signal, "from a \(label)")
      XCTAssertNil(source.truncation, "from a \(label)")
    }
  }

  /// An Ogg Vorbis file cut after its header pages, before its first audio page, holds no
  /// audio: "nothing decodes" (65), from a file and a pipe (it was an empty output, exit 0, no
  /// warning; review16e T1). The whole file and one cut later are unchanged.
  func testAnOggCutAfterItsHeadersDecodesNothing() throws {
    let directory = try scratchDirectory(self)
    let whole = directory + "/whole.ogg"
    try write(whole, format: Int32(SF_FORMAT_OGG | SF_FORMAT_VORBIS))
    let bytes = readWholeFile(whole)
    // Pages: "OggS", version, flags, granule position (8 bytes, little-endian), …
    var pages: [(offset: Int, granule: UInt64)] = []
    var at = 0
    while at + 27 <= bytes.count {
      if Array(bytes[at..<at + 4]) == Array("OggS".utf8) {
        pages.append((at, bytes[at + 6..<at + 14].reversed().reduce(0) { $0 << 8 | UInt64($1) }))
        let segments = Int(bytes[at + 26])
        at += 27 + segments + bytes[at + 27..<at + 27 + segments].reduce(0) { $0 + Int($1) }
      } else {
        at += 1
      }
    }
    let firstAudio = try XCTUnwrap(pages.first { $0.granule != 0 }).offset
    for cut in [firstAudio, firstAudio + 10] {
      let path = directory + "/headers\(cut).ogg"
      try save(bytes.prefix(cut), path)
      for viaPipe in [false, true] {
        XCTAssertThrowsError(try viaPipe ? decodeAllThroughAPipe(path) : decodeAll(path), "cut at \(cut) pipe: \(viaPipe)") { error in
          XCTAssertEqual((error as? AudioIOError)?.kind, .invalidInput, "\(error)")
          XCTAssertTrue("\(error)".contains("nothing decodes"), "cut at \(cut) pipe: \(viaPipe): \(error)")
        }
      }
    }
    try assertSame(whole) { label, samples, source in
      XCTAssertEqual(samples.count, Self.frames, "whole from a \(label)")
      XCTAssertNil(source.truncation, "whole from a \(label)")
    }
  }
}

/// An Ogg stream cut short lacks the end-of-stream flag on its last page: every decoder says
/// `truncated`, from a file and a pipe alike; whole streams say nothing. (Speex and Ogg FLAC,
/// which FFmpeg decodes, said nothing, exit 0; review16e T4.)
final class OggCutShortTests: XCTestCase {
  func testAnOggStreamCutShortSaysSoWhicheverDecoderReadsIt() throws {
    let directory = try scratchDirectory(self)
    // Noise, so that the audio pages outweigh the header pages (4 KB of them).
    var random = LCG(seed: 4)
    let signal = (0..<80000).map { _ in Float(0.3 * random.nextSigned()) }
    let vorbis = directory + "/whole.ogg"
    try writeSoundFile(vorbis, samples: signal, rate: 8000, format: Int32(SF_FORMAT_OGG | SF_FORMAT_VORBIS))
    let flac = directory + "/wholeflac.oga"
    try Data(try MadeInputs.ffmpeg(["-i", vorbis, "-c:a", "flac", "-f", "ogg", "-"])).write(to: URL(fileURLWithPath: flac))
    for (whole, decoder) in [(vorbis, AudioDecoder.auto), (vorbis, .ffmpeg), (flac, .auto)] {
      let name = "\((whole as NSString).lastPathComponent) by \(decoder)"
      let complete = try decodeAll(whole, decoder: decoder)
      XCTAssertNil(complete.source.truncation, name)
      let bytes = readWholeFile(whole)
      let cut = directory + "/cut-" + (whole as NSString).lastPathComponent
      try Data(bytes.prefix(bytes.count * 6 / 10)).write(to: URL(fileURLWithPath: cut))
      let fromFile = try decodeAll(cut, decoder: decoder)
      let fromPipe = try decodeAllThroughAPipe(cut, decoder: decoder)
      XCTAssertEqual(fromFile.samples, fromPipe.samples, name)
      XCTAssertGreaterThan(fromFile.samples.count, 0, name)
      XCTAssertLessThan(fromFile.samples.count, complete.samples.count, name)
      for (label, decoded) in [("file", fromFile), ("pipe", fromPipe)] {
        XCTAssertTrue(decoded.source.truncation?.hasPrefix("truncated: ") == true, "\(name) from a \(label): \(decoded.source.truncation ?? "nil")")
      }
    }
  }
}

extension DeclaredLengthTests {
  /// A MIDI Sample Dump cut short gives its whole data packets (as FFmpeg does), the same from
  /// a file and a pipe, with `truncated` and the dump header's length. (It gave the full 16000
  /// frames, 6400 of them made up, no warning; review16e T14.)
  func testASampleDumpCutShortGivesItsWholePackets() throws {
    let directory = try scratchDirectory(self)
    let whole = directory + "/whole.sds"
    try writeSoundFile(whole, samples: Self.signal, rate: 8000, format: Int32(SF_FORMAT_SDS | SF_FORMAT_PCM_16))
    let reference = try decodeAll(whole)
    XCTAssertEqual(reference.samples.count, Self.frames)
    XCTAssertNil(reference.source.truncation)
    let bytes = readWholeFile(whole)
    // 21 bytes of dump header, 127-byte packets of 40 16-bit samples: 239 whole packets and part of one.
    let cut = directory + "/cut.sds"
    try save(bytes.prefix(21 + 239 * 127 + 60), cut)
    try assertSame(cut) { label, samples, source in
      XCTAssertEqual(samples, Array(reference.samples.prefix(239 * 40)), "from a \(label)")
      XCTAssertEqual(source.truncation, "truncated: the header announces 16000 frames, the input holds 9560", "from a \(label)")
    }
  }
}
