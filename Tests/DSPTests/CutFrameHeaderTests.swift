import DSP
import Foundation
import TestSupport
import XCTest

/// An AC-3 or ADTS AAC stream cut a few bytes into a frame's header (or an ADTS header with no
/// payload after it): FFmpeg's parser drops those bytes without a word, where a cut further into
/// the frame is `damaged` ("incomplete frame"). 43468 of 44584 output bytes, silent (review41
/// H02 for AC-3 and ADTS; MP3 and MP2 were fixed in stop 41). Said, from a file and a pipe.
final class CutFrameHeaderTests: XCTestCase {
  /// Where the `index`th packet of `path` starts, by ffprobe.
  private func packetStart(_ path: String, _ index: Int) throws -> Int {
    let probe = try spawn(try MadeInputs.tool("ffprobe"), ["-v", "error", "-select_streams", "a:0", "-show_entries", "packet=pos", "-of", "csv=p=0", path])
    let starts = String(decoding: probe.stdout, as: UTF8.self).split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    return try XCTUnwrap(starts.count > index ? starts[index] : nil, "\(path): \(starts.count) packets")
  }

  func testAStreamCutInsideAFrameHeaderIsSaid() throws {
    let directory = try scratchDirectory(self)
    var failures: [String] = []
    for (name, codec, cuts) in [("a.ac3", "ac3", [1, 3, 6]), ("a.aac", "aac", [1, 4, 7])] {
      let whole = try MadeInputs.fromSpeech(name, in: directory, ["-ac", "2", "-ar", "44100", "-c:a", codec])
      let start = try packetStart(whole, 40)
      let bytes = readWholeFile(whole)
      for cut in cuts {
        let path = directory + "/cut-\(cut)-" + name
        try Data(bytes.prefix(start + cut)).write(to: URL(fileURLWithPath: path))
        for throughAPipe in [false, true] {
          let label = "\(name) cut \(cut) bytes into packet 40, \(throughAPipe ? "a pipe" : "a file")"
          let (_, source) = throughAPipe ? try decodeAllThroughAPipe(path) : try decodeAll(path)
          let warning = source.truncation ?? "no warning"
          if !(warning.hasPrefix("damaged") || warning.hasPrefix("truncated")) { failures.append("\(label): \(warning)") }
        }
      }
      // The whole stream: no warning.
      for throughAPipe in [false, true] {
        let (_, source) = throughAPipe ? try decodeAllThroughAPipe(whole) : try decodeAll(whole)
        if let warning = source.truncation { failures.append("\(name) whole, \(throughAPipe ? "a pipe" : "a file"): \(warning)") }
      }
    }
    XCTAssertTrue(failures.isEmpty, "\(failures.count) failures:\n" + failures.joined(separator: "\n"))
  }
}
