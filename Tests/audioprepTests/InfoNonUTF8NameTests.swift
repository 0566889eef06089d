import Foundation
import TestSupport
import XCTest

/// Issue 19's W7 (review): `info` printed a name that is not UTF-8 (byte E9) as U+EFE9, audioprep's
/// private stand-in, where every message prints the byte itself (as `ls` and sox do) and the
/// exports for Python write `\udce9` (surrogateescape). info's lines print the byte, its JSON
/// the escape.
final class InfoNonUTF8NameTests: XCTestCase {
  func testInfoPrintsTheBytesAndItsJSONTheSurrogateEscape() throws {
    let directory = try scratchDirectory(self)
    let name = Data("caf".utf8) + Data([0xE9]) + Data(".wav".utf8)
    let path = Data(directory.utf8) + Data("/".utf8) + name
    let source = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/mono16k.wav"))
    let created = path.withUnsafeBytes { raw -> Bool in
      var cPath = Array(raw.bindMemory(to: CChar.self))
      cPath.append(0)
      guard let file = fopen(cPath, "w") else { return false }
      defer { fclose(file) }
      return source.withUnsafeBytes { fwrite($0.baseAddress, 1, source.count, file) } == source.count
    }
    XCTAssertTrue(created)

    let text = try audioprep(["info", "."], in: directory)
    XCTAssertEqual(text.status, 0, text.stderr)
    XCTAssertNotNil(text.stdout.range(of: Data("./".utf8) + name + Data(": WAV".utf8)), String(decoding: text.stdout, as: UTF8.self))
    XCTAssertNil(text.stdout.range(of: Data([0xEE, 0xBF, 0xA9])))  // U+EFE9 in UTF-8

    let json = try audioprep(["info", "--json", "."], in: directory)
    XCTAssertEqual(json.status, 0, json.stderr)
    let lines = String(decoding: json.stdout, as: UTF8.self)
    XCTAssertTrue(lines.contains(#""path":"./caf\udce9.wav""#), lines)
    // As the exports for Python write it: json.loads, then os.fsencode, gives the bytes back
    // (Foundation's JSONSerialization refuses a lone surrogate, so it is not asked here).
    XCTAssertNil(json.stdout.range(of: Data([0xE9])))
  }
}
