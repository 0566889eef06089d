@testable import DSP
import XCTest

/// The quantizer's own rounding (`SampleQuantizer.rounded`, no libm call per sample) is
/// `Double.rounded()`'s: to the nearest integer, halves away from zero (issue 22).
final class QuantizerRoundingTests: XCTestCase {
  func check(_ value: Double, file: StaticString = #filePath, line: UInt = #line) {
    let expected = value.rounded()
    let got = SampleQuantizer.rounded(value)
    if expected.isNaN {
      XCTAssertTrue(got.isNaN, "\(value)", file: file, line: line)
    } else {
      // == takes −0 for +0: the Int64 conversion after it does too.
      XCTAssertEqual(got, expected, "\(value)", file: file, line: line)
    }
  }

  func testHalvesAndTheirNeighboursRoundAsRoundedDoes() {
    for whole in -40000...40000 {
      for half in [Double(whole) + 0.5, Double(whole) - 0.5, Double(whole)] {
        check(half)
        check(half.nextUp)
        check(half.nextDown)
      }
    }
    for value in [0.0, -0.0, 0.49999999999999994, -0.49999999999999994, 0x1p52 + 0.5, 0x1p52 + 1, 0x1p53, -0x1p53 - 2] {
      check(value)
    }
  }

  func testLargeAndNonFiniteValuesRoundAsRoundedDoes() {
    for value in [0x1p62, -0x1p62, 0x1p62.nextDown, (-0x1p62).nextUp, 0x1p63, 1e300, -1e300, .infinity, -.infinity, .nan] {
      check(value)
    }
  }

  func testRandomScaledSamplesRoundAsRoundedDoes() {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    for _ in 0..<200_000 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let sample = Double(Float(bitPattern: UInt32(truncatingIfNeeded: state >> 32) & 0xBFFF_FFFF))  // |x| < 2
      for scale in [32768.0, 8_388_608, 2_147_483_648] { check(sample * scale) }
    }
  }
}
