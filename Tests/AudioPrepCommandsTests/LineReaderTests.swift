@testable import AudioPrepCommands
import Foundation
import Glibc
import Testing

/// `LineReader`: lines read in blocks, checked against the same bytes split whole (an
/// independent reference: `split` on the whole file).
@Suite struct LineReaderTests {
  /// The lines of `bytes` as the reader gives them, read from a file, from its position or by offset.
  func lines(_ bytes: [UInt8], fromStart: Bool) throws -> [LineReader.Line] {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("lines-\(UUID().uuidString)").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    defer { unlink(path) }
    let descriptor = open(path, O_RDWR | O_APPEND)
    defer { close(descriptor) }
    if fromStart { lseek(descriptor, 0, SEEK_END) }  // a log's descriptor sits at its end
    var reader = LineReader(descriptor: descriptor, path: path, fromStart: fromStart)
    var result: [LineReader.Line] = []
    while let line = try reader.next() { result.append(line) }
    return result
  }

  /// Lines shorter and longer than a block, across block boundaries, with and without a last
  /// newline, empty lines among them: the same bytes, numbers and offsets as splitting the whole.
  @Test(arguments: [false, true]) func linesAreTheWholeSplit(fromStart: Bool) throws {
    var bytes: [UInt8] = []
    var lengths = [0, 1, 65535, 65536, 65537, 3, 0, 200_000, 17]
    lengths += (0..<500).map { ($0 * 7919) % 1000 }
    for (index, length) in lengths.enumerated() {
      bytes += (0..<length).map { UInt8(ascii: "a") + UInt8(($0 + index) % 26) }
      bytes.append(UInt8(ascii: "\n"))
    }
    bytes += Array("last line without a newline".utf8)
    let expected = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    let got = try lines(bytes, fromStart: fromStart)
    #expect(got.count == expected.count)
    var offset = 0
    for (index, line) in expected.enumerated() where index < got.count {
      #expect(got[index].bytes == Array(line) && got[index].number == index + 1 && got[index].offset == Int64(offset), "line \(index + 1)")
      offset += line.count + 1
    }
  }

  /// A byte order mark at the start is no part of the first line (its offset says where it starts).
  @Test func aByteOrderMarkIsDropped() throws {
    let got = try lines(TextFile.byteOrderMark + Array("{}\nx\n".utf8), fromStart: true)
    #expect(got.map(\.bytes) == [Array("{}".utf8), Array("x".utf8)] && got[0].offset == 3)
  }

  /// A line longer than the longest taken is given back empty and marked, and the next line is whole.
  @Test func aLineTooLongIsMarkedNotHeld() throws {
    let bytes = [UInt8](repeating: UInt8(ascii: "x"), count: LineReader.longestLine + 10) + Array("\nnext\n".utf8)
    let got = try lines(bytes, fromStart: false)
    #expect(got.count == 2 && got[0].tooLong && got[0].bytes.isEmpty && got[1].bytes == Array("next".utf8) && got[1].number == 2)
  }
}
