import Foundation
import TestSupport
import XCTest
#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The plot is well-formed SVG and puts the −3 dB point where the Web Audio formula says.
final class ResponseCommandTests: XCTestCase {
  /// Collects elements with their attributes; parsing fails on malformed XML.
  final class Collector: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    var texts: [(x: Double, text: String)] = []
    private var currentTextX: Double?
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
      elements.append((name, attributes))
      currentTextX = name == "text" ? attributes["x"].flatMap(Double.init) : nil
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) {
      if let x = currentTextX { texts.append((x, string)) }
    }
  }

  /// Where |H| of the Web Audio high-pass (f0 = 80 Hz, Q = 1 dB, fs = 16 kHz) is −3 dB,
  /// by bisection on the formula written here.
  func expectedMinus3dB() -> Double {
    let fs = 16000.0, w0 = 2 * Double.pi * 80 / fs
    let alpha = sin(w0) / (2 * pow(10, 1.0 / 20))
    let b = [(1 + cos(w0)) / 2, -(1 + cos(w0)), (1 + cos(w0)) / 2], a = [1 + alpha, -2 * cos(w0), 1 - alpha]
    func magnitude(_ f: Double) -> Double {
      let w = 2 * Double.pi * f / fs
      let n = (b[0] + b[1] * cos(w) + b[2] * cos(2 * w), -(b[1] * sin(w) + b[2] * sin(2 * w)))
      let d = (a[0] + a[1] * cos(w) + a[2] * cos(2 * w), -(a[1] * sin(w) + a[2] * sin(2 * w)))
      return hypot(n.0, n.1) / hypot(d.0, d.1)
    }
    var (low, high) = (1.0, 1000.0)
    for _ in 0..<100 {
      let mid = (low + high) / 2
      if magnitude(mid) < pow(10, -3.0 / 20) { low = mid } else { high = mid }
    }
    return low
  }

  func testSVGIsWellFormedAndMarksTheMinus3dBPoint() throws {
    let directory = try scratchDirectory(self)
    let result = try audioprep(["response", "--svg", directory + "/r.svg"])
    XCTAssertEqual(result.status, 0, result.stderr)
    let parser = try XCTUnwrap(XMLParser(contentsOf: URL(fileURLWithPath: directory + "/r.svg")))
    let collector = Collector()
    parser.delegate = collector
    XCTAssertTrue(parser.parse(), "malformed SVG: \(String(describing: parser.parserError))")

    let expected = expectedMinus3dB()
    let circle = try XCTUnwrap(collector.elements.first { $0.attributes["id"] == "minus-3db" })
    XCTAssertEqual(try XCTUnwrap(Double(circle.attributes["data-hz"] ?? "")), expected, accuracy: 0.01)
    // Read the frequency back off the drawn axis: the "50" and "100" tick labels.
    let x50 = try XCTUnwrap(collector.texts.first { $0.text == "50" }?.x)
    let x100 = try XCTUnwrap(collector.texts.first { $0.text == "100" }?.x)
    let cx = try XCTUnwrap(Double(circle.attributes["cx"] ?? ""))
    XCTAssertEqual(50 * pow(2, (cx - x50) / (x100 - x50)), expected, accuracy: 0.2)
    XCTAssertNotNil(collector.elements.first { $0.attributes["id"] == "cutoff" })
    XCTAssertNotNil(collector.elements.first { $0.attributes["id"] == "resampler-magnitude" })
  }

  func testCSVHasTheFormulaGainInThePassband() throws {
    let result = try audioprep(["response", "--csv", "-", "--gain", "2"])
    XCTAssertEqual(result.status, 0, result.stderr)
    let rows = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").dropFirst()
      .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    let near1k = try XCTUnwrap(rows.min { abs(Double($0[0])! - 1000) < abs(Double($1[0])! - 1000) })
    // Well above the cut-off the high-pass is within 0.1 dB of unity: 20·log10(2) = 6.02 dB.
    XCTAssertEqual(try XCTUnwrap(Double(near1k[1])), 6.02, accuracy: 0.1)
    XCTAssertEqual(try XCTUnwrap(Double(near1k[3])), 0, accuracy: 0.1)
  }
}
