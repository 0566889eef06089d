import DSP
import Foundation
import TestSupport
import XCTest

/// review53 H4: an MP2 or MP3 whose second-to-last frame was cut short, the last frame written
/// at once after what was left of it: the walk took the cut frame's declared length into the
/// last frame and its last bytes for a few harmless ones after the stream, and every decoder
/// decoded the garbled frame without a word (a cut one frame earlier said the frames lose their
/// sync). The frame that starts inside the cut one, and runs to the input's end (or the tag
/// ending it), says it: every decoder, from a file and a pipe alike.
final class MPEGCutBeforeTheLastFrameTests: XCTestCase {
  func testAFrameCutShortWithTheLastFrameAfterItIsSaid() throws {
    let directory = try scratchDirectory(self)
    var failures: [String] = []
    for (name, bytes) in try MPEGCutIntoEndTagsTests.shortStreams(in: directory) {
      let last = MPEGCutIntoEndTagsTests.lastFrameStart(bytes)
      // The frame before the last: where the frames before `last` start.
      var secondToLast = 0
      while let next = MPEGCutIntoEndTagsTests.frameLength(bytes, at: secondToLast), secondToLast + next < last { secondToLast += next }
      // (review56 H1: one byte short, the last frame's header at the cut frame's last byte.)
      let length = MPEGCutIntoEndTagsTests.frameLength(bytes, at: secondToLast)!
      // (review56 H2: its header alone; H3: and the last frame cut in half too.)
      for (kept, lastCut) in [(30, false), (400, false), (length - 1, false), (4, false), (30, true)] {
        let cut = Array(bytes[..<(secondToLast + kept)] + bytes[last..<(lastCut ? last + (bytes.count - last) / 2 : bytes.count)])
        for (ending, tail) in [("", [UInt8]()), (", then an ID3v1 tag", MPEGCutIntoEndTagsTests.id3v1)] {
          let path = directory + "/cut-" + name
          try Data(cut + tail).write(to: URL(fileURLWithPath: path))
          let label = "\(name), the frame before the last keeps \(kept) bytes\(lastCut ? ", the last cut in half" : "")\(ending)"
          let ways = decodeEveryWay(path)
          // (Two cuts: either said.)
          let said = { (warning: String) in lastCut ? warning.hasPrefix("damaged:") : warning.contains("MPEG frame at byte \(secondToLast) is cut short") }
          for way in ways where (try? way.outcome.get().warning)?.map(said) != true {
            failures.append("\(label), \(way.label): \(way.outcome.map(\.warning))")
          }
          for decoder in AudioDecoder.allCases {
            let (file, pipe) = (ways.first { $0.decoder == decoder && !$0.throughAPipe }!, ways.first { $0.decoder == decoder && $0.throughAPipe }!)
            if file.samples != pipe.samples { failures.append("\(label), --decoder \(decoder.rawValue): file \(file.samples?.count ?? -1), pipe \(pipe.samples?.count ?? -1)") }
          }
        }
      }
    }
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }
}
