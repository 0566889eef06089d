import DSP
import Foundation
import TestSupport
import XCTest

/// Honest files of every chunk container libsndfile reads (WAV, WAVE_FORMAT_EXTENSIBLE, RF64,
/// W64, AIFF, AIFC, CAF, 8SVX) with one chunk before the audio of 4 KiB to 5 MiB, odd and even
/// (libsndfile's header cache grows to 100 KiB; a pipe's window is 4 MiB), whole and cut to
/// half their audio: every decoder, from a file and from a pipe, gives the samples written
/// (known values, the reference) and says `truncated` for a cut file (review37c X19, X7,
/// stop 38). Before: a W64 cut said nothing under libsndfile (its data chunk past the 4096
/// bytes read for the length), nor a WAV, W64 or CAF under FFmpeg past its 64 KiB, nor any
/// 8SVX under FFmpeg (its `BODY` is one packet, within the tolerance of one); libsndfile refused
/// an odd chunk in RF64, 8SVX and W64 and an odd `APPL` in AIFF, which from a pipe past its
/// window no decoder then read.
///
/// The refusals left are a CAF's: libsndfile takes a chunk before the audio larger than
/// its header cache for audio (`CAFChunkClaims.libsndfileMisplacesTheAudio`: refused, FFmpeg
/// reads the file), and FFmpeg's CAF reader cannot read a pipe; where both meet, a CAF from a
/// pipe is refused with a word (exit 65), never decoded wrong.
final class ChunkBeforeTheAudioTests: XCTestCase {
  static let rate = 16000
  static let frames = 4000
  /// Each size and one more. Under AddressSanitizer the sizes about libsndfile's header cache
  /// (the chunks a decoder reads into memory); 1 MiB and 5 MiB, which move where a pipe's window
  /// ends, in the plain pass only (all of them took 212 s under ASan).
  /// Under a sanitizer, a sample: both parities, and both sides of libsndfile's header cache.
  static let chunkSizes =
    testSanitizer == nil ? [4096, 51200, 61440, 204_800, 1 << 20, 5 << 20].flatMap { [$0, $0 + 1] } : [4096, 51201, 61440, 204_801]

  enum Container: String, CaseIterable {
    case wav, wavex, rf64, w64, aiff, aifc, caf, svx

    var channels: Int { self == .svx ? 1 : 2 }
    var fileExtension: String { self == .wavex ? "wav" : self == .svx ? "8svx" : rawValue }
  }

  /// The samples written, interleaved: distinct pseudo-random 16-bit values (8-bit for 8SVX,
  /// their high bytes), so that a shift or lost frame shows.
  static func samples(_ container: Container) -> [Int16] {
    var state: UInt32 = 12345
    return (0..<frames * container.channels).map { _ in
      state = (state &* 1_103_515_245 &+ 12345) & 0x7FFF_FFFF
      let value = Int16(Int((state >> 8) % 40000) - 20000)
      return container == .svx ? value >> 8 : value
    }
  }

  /// The file: its header (with chunks of `chunks` bytes before the audio) and its audio, of
  /// which `cut` keeps half.
  static func file(_ container: Container, chunks: [Int], cut: Bool, aiffChunk: String = "APPL") -> [UInt8] {
    let values = samples(container)
    let frameBytes = container == .svx ? 1 : 2 * container.channels
    let audio: [UInt8] =
      switch container {
      case .svx: values.map { UInt8(bitPattern: Int8($0)) }
      case .aiff, .aifc, .caf: values.flatMap { UInt16(bitPattern: $0).bigEndianStored }
      default: values.flatMap { UInt16(bitPattern: $0).littleEndianStored }
      }
    // A pattern of period 256, repeated by whole-array copies (byte by byte, the megabytes of
    // filler took most of this sweep's minute in the tests' unoptimised build).
    let period = (0..<256).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
    let fillers = chunks.map { size in
      var filler: [UInt8] = []
      while filler.count < size { filler += period }
      return Array(filler[..<size])
    }
    let header = header(container, audioBytes: audio.count, fillers: fillers, aiffChunk: aiffChunk)
    return header + audio.prefix(cut ? frames / 2 * frameBytes : audio.count)
  }

  private static func header(_ container: Container, audioBytes: Int, fillers: [[UInt8]], aiffChunk: String) -> [UInt8] {
    let channels = container.channels
    func riff(_ id: String, _ payload: [UInt8]) -> [UInt8] {
      Array(id.utf8) + UInt32(payload.count).littleEndianStored + payload + (payload.count % 2 == 1 ? [0] : [])
    }
    func iff(_ id: String, _ payload: [UInt8]) -> [UInt8] {
      Array(id.utf8) + UInt32(payload.count).bigEndianStored + payload + (payload.count % 2 == 1 ? [0] : [])
    }
    let pcm: [UInt8] =
      UInt16(1).littleEndianStored + UInt16(channels).littleEndianStored + UInt32(rate).littleEndianStored
      + UInt32(rate * 2 * channels).littleEndianStored + UInt16(2 * channels).littleEndianStored + UInt16(16).littleEndianStored
    switch container {
    case .wav, .wavex:
      let format =
        container == .wav
        ? pcm
        : [0xFE, 0xFF] + pcm[2..<16] + UInt16(22).littleEndianStored + UInt16(16).littleEndianStored + UInt32(3).littleEndianStored
          + [0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]
      let body = Array("WAVE".utf8) + riff("fmt ", format) + fillers.flatMap { riff("abcd", $0) } + Array("data".utf8) + UInt32(audioBytes).littleEndianStored
      return Array("RIFF".utf8) + UInt32(body.count + audioBytes).littleEndianStored + body
    case .rf64:
      let rest = riff("fmt ", pcm) + fillers.flatMap { riff("JUNK", $0) } + Array("data".utf8) + UInt32.max.littleEndianStored
      let total = 4 + 36 + rest.count + audioBytes
      let ds64 =
        UInt64(total).littleEndianStored + UInt64(audioBytes).littleEndianStored + UInt64(frames).littleEndianStored + UInt32(0).littleEndianStored
      return Array("RF64".utf8) + UInt32.max.littleEndianStored + Array("WAVE".utf8) + riff("ds64", ds64) + rest
    case .w64:
      let suffix: [UInt8] = [0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A]
      func chunk(_ id: String, _ payload: [UInt8]) -> [UInt8] {
        let bytes = Array(id.utf8) + suffix + UInt64(24 + payload.count).littleEndianStored + payload
        return bytes + [UInt8](repeating: 0, count: (8 - bytes.count % 8) % 8)
      }
      let body = Array("wave".utf8) + suffix + chunk("fmt ", pcm) + fillers.flatMap { chunk("junk", $0) } + Array("data".utf8) + suffix
        + UInt64(24 + audioBytes).littleEndianStored
      let riffGUID: [UInt8] = Array("riff".utf8) + [0x2E, 0x91, 0xCF, 0x11, 0xA5, 0xD6, 0x28, 0xDB, 0x04, 0xC1, 0x00, 0x00]
      return riffGUID + UInt64(24 + body.count + audioBytes).littleEndianStored + body
    case .aiff, .aifc:
      // 16000 Hz as an 80-bit extended: exponent 16383 + 13, mantissa 16000 << 50.
      let rate80 = UInt16(16383 + 13).bigEndianStored + (UInt64(rate) << 50).bigEndianStored
      var comm = UInt16(channels).bigEndianStored + UInt32(frames).bigEndianStored + UInt16(16).bigEndianStored + rate80
      if container == .aifc { comm += Array("NONE".utf8) + [14] + Array("not compressed".utf8) + [0] }
      let form = container == .aifc ? Array("AIFC".utf8) + iff("FVER", UInt32(0xA280_5140).bigEndianStored) : Array("AIFF".utf8)
      let body = form + iff("COMM", comm) + fillers.flatMap { iff(aiffChunk, $0) } + Array("SSND".utf8) + UInt32(audioBytes + 8).bigEndianStored + [UInt8](repeating: 0, count: 8)
      return Array("FORM".utf8) + UInt32(body.count + audioBytes).bigEndianStored + body
    case .caf:
      let desc =
        Double(rate).bitPattern.bigEndianStored + Array("lpcm".utf8) + UInt32(0).bigEndianStored + UInt32(2 * channels).bigEndianStored
        + UInt32(1).bigEndianStored + UInt32(channels).bigEndianStored + UInt32(16).bigEndianStored
      func chunk(_ id: String, _ payload: [UInt8]) -> [UInt8] { Array(id.utf8) + UInt64(payload.count).bigEndianStored + payload }
      return Array("caff".utf8) + [0, 1, 0, 0] + chunk("desc", desc) + fillers.flatMap { chunk("free", $0) } + Array("data".utf8)
        + UInt64(audioBytes + 4).bigEndianStored + [0, 0, 0, 0]
    case .svx:
      let vhdr =
        UInt32(frames).bigEndianStored + UInt32(0).bigEndianStored + UInt32(0).bigEndianStored + UInt16(rate).bigEndianStored + [1, 0]
        + UInt32(0x10000).bigEndianStored
      let body = Array("8SVX".utf8) + iff("VHDR", vhdr) + fillers.flatMap { iff("ANNO", $0) } + Array("BODY".utf8) + UInt32(audioBytes).bigEndianStored
      return Array("FORM".utf8) + UInt32(body.count + audioBytes + audioBytes % 2).bigEndianStored + body
    }
  }

  /// The ways a CAF is refused, with a word: libsndfile's header cache (a chunk over 50 KiB:
  /// `--decoder sndfile`, and from a pipe every decoder, FFmpeg's CAF reader reading no pipe),
  /// and FFmpeg's CAF reader from a pipe.
  static func refusalIsKnown(_ container: Container, extra: Int, _ way: DecodedWay) -> Bool {
    // From a pipe, a chunk libsndfile must be shown otherwise (an odd size's padding) whose
    // next chunk lies past the window: libsndfile is not given it (review38 R6, R7), the
    // default decodes it through FFmpeg.
    if container != .caf, way.throughAPipe, way.decoder == .sndfile, extra >= 4 << 20, extra % 2 == 1 || container == .w64 { return true }
    guard container == .caf else { return false }
    let pastTheCache = extra > 51200
    return way.throughAPipe ? way.decoder == .ffmpeg || pastTheCache : way.decoder == .sndfile && pastTheCache
  }

  func testEveryDecoderGivesTheAudioPastAChunkOfAnySizeAndSaysWhenItIsCut() throws {
    let failures = try sweep(Self.chunkSizes.map { [$0] }) { container, chunks, way in Self.refusalIsKnown(container, extra: chunks[0], way) }
    XCTAssertTrue(failures.isEmpty, "\(failures.count) failures:\n" + failures.joined(separator: "\n"))
  }

  /// Chunks that each fit libsndfile's header cache and together do not (the second steps past
  /// a cache grown for the first): no decoder gives other samples than those written. A CAF of
  /// 30000 + 29990 bytes was decoded 29990 bytes early by libsndfile, whole and cut, without a
  /// word; it is refused by libsndfile as one large chunk is.
  func testChunksThatTogetherOverflowLibsndfilesHeaderCacheAreNeverDecodedAsAudio() throws {
    let pairs = [[30000, 29990], [20000, 30000]] + (testSanitizer == nil ? [[25000, 25001], [40000, 9000]] : [])
    let failures = try sweep(pairs) { container, _, way in container == .caf && (way.throughAPipe || way.decoder == .sndfile) }
    XCTAssertTrue(failures.isEmpty, "\(failures.count) failures:\n" + failures.joined(separator: "\n"))
  }

  /// An AIFF text chunk (`NAME`, `AUTH`, `ANNO`, `(c) `) larger than the 8 KiB libsndfile reads
  /// it into: every decoder gives the samples written. libsndfile refused the file ("Unspecified
  /// internal error"), from stdin past 4 MiB under every decoder.
  func testAnAIFFTextChunkLargerThanLibsndfilesBufferIsSteppedOver() throws {
    let directory = try scratchDirectory(self)
    let reference = Self.samples(.aiff).map { Float($0) / 32768 }
    for id in ["NAME", "AUTH", "ANNO", "(c) "] {
      for size in [8189, 8190, 61440] + (testSanitizer == nil ? [5 << 20 | 1] : []) {
        let path = directory + "/text.aiff"
        try Data(Self.file(.aiff, chunks: [size], cut: false, aiffChunk: id)).write(to: URL(fileURLWithPath: path))
        for way in decodeEveryWay(path) {
          let said = way.samples.map { "\($0.count) samples" } ?? "\(way.outcome)"
          // Past a pipe's window, libsndfile is not given a chunk it must be shown otherwise
          // (review38 R6): refused with a word; the default reads it through FFmpeg.
          if size > 4 << 20, way.throughAPipe, way.decoder == .sndfile, case .failure(let error) = way.outcome,
            (error as? AudioIOError)?.message.contains("reach past the first 4 MiB") == true
          {
            continue
          }
          XCTAssertTrue(way.samples == reference, "'\(id)' of \(size) bytes, \(way.label): \(said)")
        }
      }
    }
  }

  /// Every container with each of `layouts` (the sizes of the chunks before its audio), whole
  /// and cut, decoded every way: what differs from the samples written, or a cut said nothing
  /// of, or a refusal `refusalIsKnown` does not expect.
  private func sweep(_ layouts: [[Int]], refusalIsKnown: (Container, [Int], DecodedWay) -> Bool) throws -> [String] {
    let directory = try scratchDirectory(self)
    var failures: [String] = []
    for container in Container.allCases {
      let scale: Float = container == .svx ? 128 : 32768
      let reference = Self.samples(container).map { Float($0) / scale }
      for chunks in layouts {
        let sizes = chunks.map(String.init).joined(separator: "+")
        for cut in [false, true] {
          let path = directory + "/\(container.rawValue)-\(sizes)-\(cut ? "cut" : "whole").\(container.fileExtension)"
          try Data(Self.file(container, chunks: chunks, cut: cut)).write(to: URL(fileURLWithPath: path))
          let expected = Array(reference.prefix(cut ? reference.count / 2 : reference.count))
          for way in decodeEveryWay(path) {
            let label = "\(container.rawValue), chunks of \(sizes) bytes, \(cut ? "cut" : "whole"), \(way.label)"
            switch way.outcome {
            case .success(let decoded):
              if decoded.samples != expected {
                let frames = decoded.samples.count / container.channels
                failures.append("\(label): \(frames) frames\(decoded.samples == Array(reference.prefix(decoded.samples.count)) ? "" : ", not the samples written")")
              } else if cut, decoded.warning?.hasPrefix("truncated: ") != true {
                failures.append("\(label): cut, and no word (\(decoded.warning ?? "none"))")
              } else if !cut, let warning = decoded.warning {
                failures.append("\(label): whole, and \(warning)")
              }
            case .failure(let error):
              if !refusalIsKnown(container, chunks, way) || (error as? AudioIOError)?.kind != .invalidInput {
                failures.append("\(label): \(error)")
              }
            }
          }
          try FileManager.default.removeItem(atPath: path)
        }
      }
    }
    return failures
  }
}

extension FixedWidthInteger {
  /// The value's bytes as stored little-endian, and big-endian.
  fileprivate var littleEndianStored: [UInt8] { (0..<MemoryLayout<Self>.size).map { UInt8(truncatingIfNeeded: self >> ($0 * 8)) } }
  fileprivate var bigEndianStored: [UInt8] { littleEndianStored.reversed() }
}
