import DSP
import Foundation
import TestSupport
import XCTest

/// A PCM header whose size field claims far more than the input holds (review34b B3, B4, B5,
/// B13): every decoder, from a file and from a pipe, decodes what is there, and says
/// `truncated` with the same announced length (the data size over the block, as libsndfile
/// reads it) when the claim is the audio's size; a field beside it (an RF64's sample count, an
/// AIFF's frame count) that the data size contradicts announces nothing. FFmpeg refused some
/// (an AU or AIFF field over 2^31 read as a negative number; a W64 data size past a file's
/// end) and announced others from the wrong field.
final class OversizedSizeClaimsTests: XCTestCase {
  private struct Forgery {
    let name: String
    /// The honest file, made by ffmpeg from the speech fixture (mono, 16-bit).
    let source: String
    let arguments: [String]
    /// Rewrites the header's field: the file's bytes in, the forged bytes out.
    let forge: (inout [UInt8]) -> Void
    /// Frames the forged field announces (its bytes over the block of 2), or nil when the
    /// forged field is not the audio's size.
    let announced: UInt64?
  }

  private static func find(_ bytes: [UInt8], _ id: String, from: Int = 0) -> Int {
    let needle = Array(id.utf8)
    return (from...(bytes.count - needle.count)).first { Array(bytes[$0..<$0 + needle.count]) == needle }!
  }

  private static func put(_ bytes: inout [UInt8], at offset: Int, _ value: UInt64, count: Int, bigEndian: Bool) {
    for index in 0..<count {
      let shift = bigEndian ? (count - 1 - index) * 8 : index * 8
      bytes[offset + index] = UInt8(truncatingIfNeeded: value >> UInt64(shift))
    }
  }

  private let forgeries: [Forgery] = [
    Forgery(name: "w64 data 2^62", source: "s.w64", arguments: ["-c:a", "pcm_s16le"], forge: { bytes in
      put(&bytes, at: find(bytes, "data") + 16, 1 << 62, count: 8, bigEndian: false)
    }, announced: ((1 << 62) - 24) / 2),
    Forgery(name: "w64 data 2^64 - 256", source: "s.w64", arguments: ["-c:a", "pcm_s16le"], forge: { bytes in
      put(&bytes, at: find(bytes, "data") + 16, 0xFFFF_FFFF_FFFF_FF00, count: 8, bigEndian: false)
    }, announced: (0xFFFF_FFFF_FFFF_FF00 - 24) / 2),
    Forgery(name: "aifc sowt SSND size 0xFFFFFFF0", source: "s.aifc", arguments: ["-c:a", "pcm_s16le", "-f", "aiff"], forge: { bytes in
      put(&bytes, at: find(bytes, "SSND") + 4, 0xFFFF_FFF0, count: 4, bigEndian: true)
    }, announced: (0xFFFF_FFF0 - 8) / 2),
    Forgery(name: "aifc sowt COMM frames 2^31", source: "s.aifc", arguments: ["-c:a", "pcm_s16le", "-f", "aiff"], forge: { bytes in
      put(&bytes, at: find(bytes, "COMM") + 10, 1 << 31, count: 4, bigEndian: true)
    }, announced: nil),
    Forgery(name: "rf64 ds64 data size 2^62", source: "s.wav", arguments: ["-c:a", "pcm_s16le", "-rf64", "always"], forge: { bytes in
      put(&bytes, at: find(bytes, "ds64") + 16, 1 << 62, count: 8, bigEndian: false)
    }, announced: (1 << 62) / 2),
    Forgery(name: "rf64 ds64 sample count 2^62", source: "s.wav", arguments: ["-c:a", "pcm_s16le", "-rf64", "always"], forge: { bytes in
      put(&bytes, at: find(bytes, "ds64") + 24, 1 << 62, count: 8, bigEndian: false)
    }, announced: nil),
    // review35 R4, R5, R20: the same rule from 2^63 up, where a signed reading is negative.
    Forgery(name: "rf64 ds64 data size 2^63", source: "s.wav", arguments: ["-c:a", "pcm_s16le", "-rf64", "always"], forge: { bytes in
      put(&bytes, at: find(bytes, "ds64") + 16, 1 << 63, count: 8, bigEndian: false)
    }, announced: (1 << 63) / 2),
    Forgery(name: "rf64 ds64 data size 2^64 - 2", source: "s.wav", arguments: ["-c:a", "pcm_s16le", "-rf64", "always"], forge: { bytes in
      put(&bytes, at: find(bytes, "ds64") + 16, 0xFFFF_FFFF_FFFF_FFFE, count: 8, bigEndian: false)
    }, announced: 0xFFFF_FFFF_FFFF_FFFE / 2),
    Forgery(name: "rf64 ds64 sample count 2^63", source: "s.wav", arguments: ["-c:a", "pcm_s16le", "-rf64", "always"], forge: { bytes in
      put(&bytes, at: find(bytes, "ds64") + 24, 1 << 63, count: 8, bigEndian: false)
    }, announced: nil),
    Forgery(name: "rf64 ds64 sample count 2^64 - 1", source: "s.wav", arguments: ["-c:a", "pcm_s16le", "-rf64", "always"], forge: { bytes in
      put(&bytes, at: find(bytes, "ds64") + 24, 0xFFFF_FFFF_FFFF_FFFF, count: 8, bigEndian: false)
    }, announced: nil),
    Forgery(name: "rf64 ds64 RIFF size 2^64 - 1", source: "s.wav", arguments: ["-c:a", "pcm_s16le", "-rf64", "always"], forge: { bytes in
      put(&bytes, at: find(bytes, "ds64") + 8, 0xFFFF_FFFF_FFFF_FFFF, count: 8, bigEndian: false)
    }, announced: nil),
    // review35 R7: 0xFFFFFFFF is "to the end", as in a WAV: announced by no decoder.
    Forgery(name: "aiff SSND size 0xFFFFFFFF", source: "s.aiff", arguments: ["-c:a", "pcm_s16be"], forge: { bytes in
      put(&bytes, at: find(bytes, "SSND") + 4, 0xFFFF_FFFF, count: 4, bigEndian: true)
    }, announced: nil),
    Forgery(name: "aiff SSND size 0xFFFFFFF0", source: "s.aiff", arguments: ["-c:a", "pcm_s16be"], forge: { bytes in
      put(&bytes, at: find(bytes, "SSND") + 4, 0xFFFF_FFF0, count: 4, bigEndian: true)
    }, announced: (0xFFFF_FFF0 - 8) / 2),
    Forgery(name: "aiff COMM frames 0xFFFFFFF0", source: "s.aiff", arguments: ["-c:a", "pcm_s16be"], forge: { bytes in
      put(&bytes, at: find(bytes, "COMM") + 10, 0xFFFF_FFF0, count: 4, bigEndian: true)
    }, announced: nil),
    Forgery(name: "au data size 0xFFFFFFF0", source: "s.au", arguments: ["-c:a", "pcm_s16be"], forge: { bytes in
      put(&bytes, at: 8, 0xFFFF_FFF0, count: 4, bigEndian: true)
    }, announced: 0xFFFF_FFF0 / 2),
    Forgery(name: "au data size 2^31", source: "s.au", arguments: ["-c:a", "pcm_s16be"], forge: { bytes in
      put(&bytes, at: 8, 1 << 31, count: 4, bigEndian: true)
    }, announced: (1 << 31) / 2),
    Forgery(name: "caf data size 2^62", source: "s.caf", arguments: ["-c:a", "pcm_s16le"], forge: { bytes in
      put(&bytes, at: find(bytes, "data") + 4, 1 << 62, count: 8, bigEndian: true)
    }, announced: ((1 << 62) - 4) / 2),
    // Negative as Apple's signed field, not -1 ("to the end"): read unsigned (review35 R10).
    Forgery(name: "caf data size -2", source: "s.caf", arguments: ["-c:a", "pcm_s16le"], forge: { bytes in
      put(&bytes, at: find(bytes, "data") + 4, UInt64.max - 1, count: 8, bigEndian: true)
    }, announced: (UInt64.max - 1 - 4) / 2),
    Forgery(name: "caf data size -2^63", source: "s.caf", arguments: ["-c:a", "pcm_s16le"], forge: { bytes in
      put(&bytes, at: find(bytes, "data") + 4, 1 << 63, count: 8, bigEndian: true)
    }, announced: ((1 << 63) - 4) / 2),
    Forgery(name: "wav data size 0xFFFFFFF0", source: "s.wav", arguments: ["-c:a", "pcm_s16le"], forge: { bytes in
      put(&bytes, at: find(bytes, "data") + 4, 0xFFFF_FFF0, count: 4, bigEndian: false)
    }, announced: 0xFFFF_FFF0 / 2),
    // review35 R6: a LIST chunk claiming more than it holds, its sub-chunks running into the
    // data chunk, which libsndfile reads as the LIST's end ("data inside a LIST block???
    // Backing out"): FFmpeg skipped the claim and found no data chunk.
    Forgery(name: "wav LIST size 2^31", source: "s.wav", arguments: ["-c:a", "pcm_s16le"], forge: { bytes in
      put(&bytes, at: find(bytes, "LIST") + 4, 1 << 31, count: 4, bigEndian: false)
    }, announced: nil),
    Forgery(name: "wav LIST size 200 past its end", source: "s.wav", arguments: ["-c:a", "pcm_s16le"], forge: { bytes in
      let list = find(bytes, "LIST")
      put(&bytes, at: list + 4, (0..<4).reduce(UInt64(0)) { $0 | UInt64(bytes[list + 4 + $1]) << UInt64($1 * 8) } + 200, count: 4, bigEndian: false)
    }, announced: nil),
    Forgery(name: "rf64 LIST size 0xFFFFFFF0", source: "s.wav", arguments: ["-c:a", "pcm_s16le", "-rf64", "always"], forge: { bytes in
      put(&bytes, at: find(bytes, "LIST") + 4, 0xFFFF_FFF0, count: 4, bigEndian: false)
    }, announced: nil),
  ]

  func testEveryDecoderDecodesAnOversizedClaimAndAnnouncesTheDataSize() throws {
    let directory = try scratchDirectory(self)
    var failures: [String] = []
    for forgery in forgeries {
      let honest = try MadeInputs.fromSpeech(forgery.source, in: directory, forgery.arguments)
      let frames = try decodeAll(honest, decoder: .sndfile).samples.count
      var bytes = readWholeFile(honest)
      forgery.forge(&bytes)
      let forged = directory + "/forged-" + forgery.name.replacingOccurrences(of: " ", with: "-") + "." + honest.split(separator: ".").last!
      try Data(bytes).write(to: URL(fileURLWithPath: forged))
      for decoder in AudioDecoder.allCases {
        for throughAPipe in [false, true] {
          let label = "\(forgery.name), --decoder \(decoder.rawValue), \(throughAPipe ? "a pipe" : "a file")"
          do {
            let (samples, source) = throughAPipe ? try decodeAllThroughAPipe(forged, decoder: decoder) : try decodeAll(forged, decoder: decoder)
            if samples.count != frames { failures.append("\(label): \(samples.count) frames, \(frames) in the file") }
            let warning = source.truncation
            if let announced = forgery.announced {
              if !(warning ?? "").hasPrefix("truncated: the header announces \(announced) frames, the input holds \(frames)") {
                failures.append("\(label): \(warning ?? "no warning"), expected \(announced) announced")
              }
            } else if let warning {
              failures.append("\(label): \(warning), expected none")
            }
          } catch {
            failures.append("\(label): \(error)")
          }
        }
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }
}
