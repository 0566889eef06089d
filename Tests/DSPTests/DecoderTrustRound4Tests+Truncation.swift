import Foundation
import TestSupport
import XCTest

@testable import DSP

extension DecoderTrustRound4Tests {
  /// Frames sox decodes from the mono file at `path`: the reference length of a whole file
  /// (`soxi -s` says 0 for an AVR).
  private func soxFrames(_ path: String) throws -> Int64 {
    let result = try spawn(try MadeInputs.tool("sox"), ["-V1", path, "-t", "f32", "-"], timeLimit: 60)
    XCTAssertEqual(result.status, 0, path)
    return Int64(result.stdout.count / 4)
  }

  /// Decodes `path` from a file and from a pipe: both must give the same frames, the warning
  /// must start with `warning`; the frames.
  @discardableResult
  private func assertTruncated(_ path: String, warning: String, file: StaticString = #filePath, line: UInt = #line) throws -> [Float] {
    let name = (path as NSString).lastPathComponent
    let fromFile = try decodeAll(path)
    let fromPipe = try decodeAllThroughAPipe(path)
    XCTAssertEqual(fromFile.samples.count, fromPipe.samples.count, "\(name): file and pipe differ", file: file, line: line)
    XCTAssertEqual(fromFile.samples, fromPipe.samples, "\(name): file and pipe differ", file: file, line: line)
    for (label, decoded) in [("file", fromFile), ("pipe", fromPipe)] {
      let frames = decoded.samples.count / decoded.source.format.channels
      XCTAssertEqual(
        decoded.source.truncation, "\(warning), the input holds \(frames)", "\(name) from a \(label)", file: file, line: line)
    }
    return fromFile.samples
  }

  /// A file cut in half whose header declares its length (W64, AU, SPHERE, AVR, WVE, 8SVX)
  /// says `truncated` with the length sox reads from the whole file, and the same frames from
  /// a file and a pipe. (All were silent, exit 0.)
  func testAFileCutShortSaysSoInEveryContainerThatDeclaresItsLength() throws {
    let directory = try scratchDirectory(self)
    for ext in ["w64", "au", "sph", "avr", "wve", "8svx"] {
      let whole = try Self.sox("whole.\(ext)", in: directory, rate: 8000)
      let bytes = readWholeFile(whole)
      let half = directory + "/half.\(ext)"
      try Data(bytes.prefix(bytes.count / 2)).write(to: URL(fileURLWithPath: half))
      let samples = try assertTruncated(half, warning: "truncated: the header announces \(try soxFrames(whole)) frames")
      XCTAssertGreaterThan(samples.count, 0, ext)
      // The whole file says nothing.
      XCTAssertNil(try decodeAll(whole).source.truncation, ext)
    }
  }

  /// An AU whose data size is 0x7FFFFFF0 or more (the review's 0x7FFFFFF0 to 0xFFFFFFFE)
  /// decodes every frame the file holds, the same as the honest file, with `truncated`. (0
  /// frames, exit 0, no warning.)
  func testAnAUWithAHugeDataSizeDecodesWhatItHolds() throws {
    let directory = try scratchDirectory(self)
    let honest = try Self.sox("honest.au", in: directory, rate: 8000)
    let reference = try decodeAll(honest).samples
    XCTAssertEqual(Int64(reference.count), try soxFrames(honest))
    for size: UInt32 in [0x7FFF_FFF0, 0x8000_0000, 0xFFFF_FFFE] {
      var bytes = readWholeFile(honest)
      bytes.replaceSubrange(8..<12, with: withUnsafeBytes(of: size.bigEndian) { Array($0) })
      let path = directory + "/size-\(String(size, radix: 16)).au"
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      // 16-bit mono: two bytes a frame.
      let samples = try assertTruncated(path, warning: "truncated: the header announces \(size / 2) frames")
      XCTAssertEqual(samples, reference, path)
    }
  }

  /// An IMA ADPCM, MS ADPCM or GSM 6.10 WAV cut in half gives the frames of its whole blocks
  /// (blocks of the header's size, frames per block from its `fmt` chunk), the same from a file
  /// and a pipe, equal to the whole file's first frames, and says `truncated` with the `fact`
  /// chunk's count. (From a pipe it gave the header's full length, 1.8 s of it made up from
  /// stale blocks; from a file IMA gave 143 ms of garbage after the last whole block; no
  /// warning either way.)
  func testABlockCodedWAVCutShortGivesItsWholeBlocks() throws {
    let directory = try scratchDirectory(self)
    for codec in ["adpcm_ima_wav", "adpcm_ms", "gsm_ms"] {
      let whole = try MadeInputs.fromSpeech("\(codec).wav", in: directory, ["-ar", "8000", "-c:a", codec])
      let bytes = readWholeFile(whole)
      let half = directory + "/half-\(codec).wav"
      try Data(bytes.prefix(bytes.count / 2)).write(to: URL(fileURLWithPath: half))
      // The layout from the header's bytes: fmt's block size and samples per block, fact's count.
      func chunk(_ name: String) throws -> Int { try XCTUnwrap(DecoderTrustTests.find(Array(name.utf8), in: bytes), name) + 8 }
      func field(_ at: Int, _ count: Int) -> Int { (0..<count).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
      let fmt = try chunk("fmt ")
      let blockBytes = field(fmt + 12, 2)
      let perBlock = codec == "gsm_ms" ? 320 : field(fmt + 18, 2)
      let announced = field(try chunk("fact"), 4)
      let wholeBlocks = (bytes.count / 2 - (try chunk("data"))) / blockBytes
      let samples = try assertTruncated(half, warning: "truncated: the header announces \(announced) frames")
      XCTAssertEqual(samples.count, wholeBlocks * perBlock, codec)
      XCTAssertEqual(samples, Array(try decodeAll(whole).samples.prefix(samples.count)), codec)
    }
  }
}
