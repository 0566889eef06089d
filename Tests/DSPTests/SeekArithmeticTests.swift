import Foundation
import TestSupport
import XCTest

@testable import DSP

/// A header's offsets reach the readers' seeks as they are: no sum of a position and an offset
/// may trap (#16 fourth review, H3: an RF64 whose `ds64` data size is 2^63−1 killed every
/// command with SIGILL, a whole batch with it).
final class SeekArithmeticTests: XCTestCase {
  func testSeeksThatOverflowAreRefusedNotTrapped() throws {
    let directory = try scratchDirectory(self)
    let path = directory + "/f.bin"
    try Data(repeating: 1, count: 100).write(to: URL(fileURLWithPath: path))
    let file = BufferedFileReader(descriptor: open(path, O_RDONLY))
    XCTAssertEqual(file.seek(offset: 10, whence: SEEK_SET), 10)
    XCTAssertEqual(file.seek(offset: .max, whence: SEEK_CUR), -1)
    XCTAssertEqual(file.seek(offset: .max, whence: SEEK_END), -1)
    XCTAssertEqual(file.tell, 10, "a refused seek moves nothing")

    var ends: [Int32] = [0, 0]
    XCTAssertEqual(pipe(&ends), 0)
    defer { close(ends[0]); close(ends[1]) }
    let pipe = PipeReader(descriptor: ends[0])
    XCTAssertEqual(pipe.seek(offset: 0, whence: SEEK_SET), 0)
    XCTAssertEqual(pipe.seek(offset: 5, whence: SEEK_CUR), 5)
    XCTAssertEqual(pipe.seek(offset: .max, whence: SEEK_CUR), -1)
    XCTAssertEqual(pipe.tell, 5)
  }

  /// Through libsndfile's virtual I/O (the `ds64` size becomes a seek past the data), from a
  /// file and a pipe: an error or the frames with a warning, never a trap.
  func testAnRF64WhoseDataSizeIsTheLargestOffsetDecodesOrFails() throws {
    let directory = try scratchDirectory(self)
    let honest = directory + "/rf64.wav", lie = directory + "/lie.wav"
    try MadeInputs.ffmpeg(["-i", fixtures + "/speech.wav", "-rf64", "always", honest])
    var bytes = readWholeFile(honest)
    withUnsafeBytes(of: UInt64(Int64.max).littleEndian) { bytes.replaceSubrange(0x1C..<0x24, with: $0) }
    try Data(bytes).write(to: URL(fileURLWithPath: lie))
    for (label, decode) in [("file", { try decodeAll(lie) }), ("pipe", { try decodeAllThroughAPipe(lie) })] {
      do {
        let decoded = try decode()
        XCTAssertNotNil(decoded.source.truncation, "\(label): \(decoded.samples.count) frames without a warning")
      } catch {
        XCTAssertTrue(error is AudioIOError, "\(label): \(error)")
      }
    }
  }
}
