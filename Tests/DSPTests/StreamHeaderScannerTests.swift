import XCTest

@testable import DSP

/// `StreamHeaderScanner` finds a second stream header wherever the blocks it is fed split it,
/// once, and does not take a short signature inside audio for one.
final class StreamHeaderScannerTests: XCTestCase {
  /// A FLAC STREAMINFO header, its only metadata block: 22050 Hz mono.
  private let flac: [UInt8] = Array("fLaC".utf8) + [0x80, 0x00, 0x00, 0x22] + [UInt8](repeating: 0, count: 10)
    + [0x05, 0x62, 0x20, 0xF0] + [UInt8](repeating: 0, count: 16)

  /// `input` fed to a new scanner in blocks of `block` bytes, to its end.
  private static func scanned(_ input: [UInt8], inBlocksOf block: Int) -> StreamHeaderScanner {
    let scanner = StreamHeaderScanner()
    var offset = 0
    while offset < input.count {
      let end = min(input.count, offset + block)
      input[offset..<end].withUnsafeBytes { scanner.feed($0, at: Int64(offset)) }
      offset = end
    }
    scanner.finish()
    return scanner
  }

  func testAJoinIsFoundOnceWhateverTheBlockSplit() {
    var input = flac + [UInt8](repeating: 0x55, count: 9000) + flac + [UInt8](repeating: 0x55, count: 5000)
    input[3000..<3004] = [0x1A, 0x45, 0xDF, 0xA3]  // an EBML magic inside audio, without a DocType
    input[4000..<4004] = Array("TTA1".utf8)[...]  // a TTA signature inside audio, with junk after it
    for block in [1, 3, 7, 4096, 5000, input.count] {
      let scanner = Self.scanned(input, inBlocksOf: block)
      XCTAssertEqual(scanner.first?.offset, 0, "blocks of \(block)")
      XCTAssertEqual(scanner.joins, 1, "blocks of \(block)")
      XCTAssertEqual(scanner.join?.next.offset, Int64(flac.count + 9000), "blocks of \(block)")
      XCTAssertEqual(scanner.join?.next.parameters, ContainerHeader.Parameters(rate: 22050, channels: 1))
    }
  }

  /// Review37a U2: an MP3 with a WAV (or an Ogg) joined on was refused from a file and decoded
  /// from a pipe, whose reads happened to end inside the second file's header: the header was
  /// looked at cut short, and not again. Wherever a block ends inside the header, it is found.
  func testASecondContainerAfterAnMP3IsFoundWhateverTheBlockSplit() {
    // MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, stereo: 417-byte frames.
    let frame: [UInt8] = [0xFF, 0xFB, 0x90, 0x64] + [UInt8](repeating: 0, count: 413)
    let mp3 = (0..<30).flatMap { _ in frame }
    var wav = Array("RIFF".utf8) + [36 + 8000, 0, 0, 0].map { UInt8(truncatingIfNeeded: $0) } + Array("WAVEfmt ".utf8)
    wav += [16, 0, 0, 0, 1, 0, 1, 0, 0x22, 0x56, 0, 0, 0x44, 0xAC, 0, 0, 2, 0, 16, 0] + Array("data".utf8) + [0x40, 0x1F, 0, 0]
    let input = mp3 + wav + [UInt8](repeating: 0x11, count: 8000)
    var missed: [String] = []
    for cut in [1, 4, 9, 10, 11, 20, 27, 28, 43, 44, 100, 4000, 4095, 4096, 4097] {
      let block = mp3.count + cut  // the first block ends `cut` bytes into the WAV header
      let scanner = Self.scanned(input, inBlocksOf: block)
      let refusal = scanner.joinRefusal(mpeg: true) ?? "nil"
      if !refusal.contains("a second file (WAV) starts at byte \(mp3.count)") { missed.append("a block ending \(cut) bytes into the header: \(refusal)") }
    }
    XCTAssertTrue(missed.isEmpty, missed.joined(separator: "\n"))
  }
}
