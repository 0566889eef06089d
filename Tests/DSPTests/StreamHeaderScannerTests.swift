import XCTest

@testable import DSP

/// `StreamHeaderScanner` finds a second stream header wherever the blocks it is fed split it,
/// once, and does not take a short signature inside audio for one.
final class StreamHeaderScannerTests: XCTestCase {
  /// A FLAC STREAMINFO header, its only metadata block: 22050 Hz mono.
  private let flac: [UInt8] = Array("fLaC".utf8) + [0x80, 0x00, 0x00, 0x22] + [UInt8](repeating: 0, count: 10)
    + [0x05, 0x62, 0x20, 0xF0] + [UInt8](repeating: 0, count: 16)

  func testAJoinIsFoundOnceWhateverTheBlockSplit() {
    var input = flac + [UInt8](repeating: 0x55, count: 9000) + flac + [UInt8](repeating: 0x55, count: 5000)
    input[3000..<3004] = [0x1A, 0x45, 0xDF, 0xA3]  // an EBML magic inside audio, without a DocType
    input[4000..<4004] = Array("TTA1".utf8)[...]  // a TTA signature inside audio, with junk after it
    for block in [1, 3, 7, 4096, 5000, input.count] {
      let scanner = StreamHeaderScanner()
      var offset = 0
      while offset < input.count {
        let end = min(input.count, offset + block)
        input[offset..<end].withUnsafeBytes { scanner.feed($0, at: Int64(offset)) }
        offset = end
      }
      scanner.finish()
      XCTAssertEqual(scanner.first?.offset, 0, "blocks of \(block)")
      XCTAssertEqual(scanner.joins, 1, "blocks of \(block)")
      XCTAssertEqual(scanner.join?.next.offset, Int64(flac.count + 9000), "blocks of \(block)")
      XCTAssertEqual(scanner.join?.next.parameters, ContainerHeader.Parameters(rate: 22050, channels: 1))
    }
  }
}
