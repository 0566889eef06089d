import XCTest

@testable import DSP

/// `SignatureSearch` finds every signature a byte-by-byte comparison finds, wherever it lies
/// (at the first byte, cut by the end, overlapping another, behind its shift), and nothing
/// else: the one pass that replaced a `memchr` and `memcmp` loop per signature.
final class SignatureSearchTests: XCTestCase {
  /// Every (start, signature) a comparison at every position finds, by start then signature.
  private func naive(_ search: SignatureSearch, _ bytes: [UInt8]) -> [[Int]] {
    var found: [[Int]] = []
    for (index, signature) in search.signatures.enumerated() {
      let length = signature.bytes.count
      for position in 0..<max(0, bytes.count - length + 1) where Array(bytes[position..<position + length]) == signature.bytes {
        found.append([position - signature.shift, index])
      }
    }
    return found.sorted { $0[0] != $1[0] ? $0[0] < $1[0] : $0[1] < $1[1] }
  }

  func testEverySignatureIsFoundWhereAComparisonFindsIt() {
    var generator = SystemRandomNumberGenerator()
    for search in [SignatureSearch.common, SignatureSearch.searched(in: .ircam)] {
      for trial in 0..<40 {
        let count = [0, 1, 2, 3, 5, 64, 1000, 4099][trial % 8]
        var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        // Signatures planted anywhere, the first at byte 0, the last cut by the end or ending it.
        for plant in 0..<(count / 40 + 2) {
          let signature = search.signatures.randomElement(using: &generator)!.bytes
          let at = plant == 0 ? 0 : Int.random(in: 0...count, using: &generator)
          for (offset, byte) in signature.enumerated() where at + offset < count { bytes[at + offset] = byte }
        }
        let hits = bytes.withUnsafeBytes { search.hits(in: $0) }.map { [$0.start, $0.signature] }
        XCTAssertEqual(hits, naive(search, bytes), "\(count) bytes, trial \(trial)")
      }
    }
  }

  func testEachHitNamesWhatItsSignatureMarks() {
    let bytes = Array("..fLaC..RIFF\0\0\0\0WAVE..ID3\u{3}..Xing".utf8)
    let hits = bytes.withUnsafeBytes { SignatureSearch.common.hits(in: $0) }
    XCTAssertEqual(hits.map(\.start), [2, 8, 8, 22, 28])
    XCTAssertEqual(hits.map(\.mark), [.kind(.flac), .kind(.avi), .kind(.wav), .kind(.mpeg), .xing])
  }
}
