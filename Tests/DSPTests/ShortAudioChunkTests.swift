import DSP
import Foundation
import TestSupport
import XCTest

/// A header whose audio chunk declares fewer bytes than follow it (one flipped size bit, a
/// recorder that updated its header once and wrote on): the bytes after the declared end are
/// no chunk, and every decoder stops at that end, as sox and ffmpeg do. 3 of 4 seconds went
/// without a word (review41 H15; H16: a W64's path and standard input gave different lengths).
/// Said `damaged`, with the same frames from a file and a pipe, under every decoder.
final class ShortAudioChunkTests: XCTestCase {
  /// 4 s of 16 kHz mono 16-bit noise in `container`, its audio size patched to 1 s.
  private func damaged(_ container: String, in directory: String) throws -> String {
    let path = directory + "/whole." + (container == "rf64" ? "wav" : container)
    var arguments = ["-f", "lavfi", "-i", "anoisesrc=d=4:r=16000:a=0.3:seed=7", "-c:a", container == "aiff" || container == "caf" || container == "au" ? "pcm_s16be" : "pcm_s16le"]
    if container == "rf64" { arguments += ["-rf64", "always"] }
    try MadeInputs.ffmpeg(arguments + [path])
    var bytes = readWholeFile(path)
    func find(_ id: String, from: Int = 12) throws -> Int {
      try XCTUnwrap((from..<bytes.count - 4).first { bytes[$0..<$0 + 4].elementsEqual(id.utf8) }, "\(container): no \(id)")
    }
    func put(_ value: UInt64, at offset: Int, bytes count: Int, bigEndian: Bool) {
      for index in 0..<count {
        let shift = bigEndian ? 8 * (count - 1 - index) : 8 * index
        bytes[offset + index] = UInt8(truncatingIfNeeded: value >> UInt64(shift))
      }
    }
    let second: UInt64 = 32000
    switch container {
    case "wav": put(second, at: try find("data") + 4, bytes: 4, bigEndian: false)
    case "rf64": put(second, at: try find("ds64") + 16, bytes: 8, bigEndian: false)
    case "aiff": put(8 + second, at: try find("SSND") + 4, bytes: 4, bigEndian: true)
    case "caf": put(4 + second, at: try find("data") + 4, bytes: 8, bigEndian: true)
    case "au": put(second, at: 8, bytes: 4, bigEndian: true)
    case "w64":
      let data = try find("data", from: 40)
      put(24 + second, at: data + 16, bytes: 8, bigEndian: false)
    default: XCTFail(container)
    }
    let damaged = directory + "/short-" + container + "." + (container == "rf64" ? "wav" : container)
    try Data(bytes).write(to: URL(fileURLWithPath: damaged))
    return damaged
  }

  func testAnAudioChunkSizeTooSmallIsSaidAndReadAlikeFromAFileAndAPipe() throws {
    let directory = try scratchDirectory(self)
    var failures: [String] = []
    for container in ["wav", "rf64", "aiff", "caf", "au", "w64"] {
      let path = try damaged(container, in: directory)
      for decoder in AudioDecoder.allCases {
        var lengths: [Int] = []
        for throughAPipe in [false, true] {
          let label = "\(container), --decoder \(decoder.rawValue), \(throughAPipe ? "a pipe" : "a file")"
          do {
            let (samples, source) = throughAPipe ? try decodeAllThroughAPipe(path, decoder: decoder) : try decodeAll(path, decoder: decoder)
            lengths.append(samples.count)
            if source.truncation?.hasPrefix("damaged") != true { failures.append("\(label): \(samples.count) frames, \(source.truncation ?? "no warning")") }
          } catch {
            // FFmpeg's W64 reader, from a file, reads the chunk after the data and refuses it:
            // with a word (65), and the default decoder reads the file.
            if container == "w64", decoder == .ffmpeg, !throughAPipe, "\(error)".contains("Invalid data") { continue }
            failures.append("\(label): \(error)")
          }
        }
        if lengths.count == 2, Set(lengths).count > 1 { failures.append("\(container), --decoder \(decoder.rawValue): a file gives \(lengths[0]) frames, a pipe \(lengths[1])") }
      }
    }
    XCTAssertTrue(failures.isEmpty, "\(failures.count) failures:\n" + failures.joined(separator: "\n"))
  }

  /// Bytes after an 8SVX's `BODY` that are no audio (a chunk its FORM size counts, an ID3v1 tag,
  /// zero padding): libsndfile decoded them as samples from a file, silently (review42 H03).
  /// Every way gives the BODY's samples, as ffmpeg does, and says nothing of an honest file.
  func testBytesAfterAn8SVXBodyAreNotAudio() throws {
    let directory = try scratchDirectory(self)
    let base = directory + "/base.8svx"
    let sox = try spawn(try MadeInputs.tool("sox"), ["-n", "-r", "22050", "-c", "1", "-b", "8", base, "synth", "1", "whitenoise", "vol", "0.1"], timeLimit: 60)
    XCTAssertEqual(sox.status, 0, sox.stderr)
    let golden = try MadeInputs.ffmpegFrames(base)
    let bytes = readWholeFile(base)
    var anno = bytes + Array("ANNO".utf8) + [0, 0, 0, 12] + Array("hello world!".utf8)
    let formSize = UInt32(anno.count - 8)
    anno.replaceSubrange(4..<8, with: [UInt8(formSize >> 24), UInt8(formSize >> 16 & 0xFF), UInt8(formSize >> 8 & 0xFF), UInt8(formSize & 0xFF)])
    var failures: [String] = []
    for (name, file) in [("base", bytes), ("anno", anno), ("id3v1", bytes + Array("TAG".utf8) + [UInt8](repeating: 0x78, count: 125)), ("zeros", bytes + [UInt8](repeating: 0, count: 1000))] {
      let path = directory + "/\(name).8svx"
      try Data(file).write(to: URL(fileURLWithPath: path))
      for throughAPipe in [false, true] {
        let label = "\(name), \(throughAPipe ? "a pipe" : "a file")"
        let (samples, source) = throughAPipe ? try decodeAllThroughAPipe(path) : try decodeAll(path)
        if samples.count != golden || source.truncation != nil { failures.append("\(label): \(samples.count) frames of \(golden), \(source.truncation ?? "no warning")") }
      }
    }
    XCTAssertTrue(failures.isEmpty, "\(failures.count) failures:\n" + failures.joined(separator: "\n"))
  }
}
