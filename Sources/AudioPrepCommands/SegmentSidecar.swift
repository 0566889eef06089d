import DSP
import Glibc

/// A segmented input's sidecar `STEM.segments.jsonl` (`SegmentList` writes it), read back: one
/// entry per segment file. The one reader: the export and a batch's resumption both read it
/// here. A batch's segments lie beside their sidecar, so a `file` naming anything else (a
/// forged `../secret`, an absolute path) makes the sidecar damaged, never a path to follow.
package struct SegmentSidecar {
  package struct Segment: Equatable {
    package var index: Int
    /// The segment file, as a path usable from the current directory.
    package var path: String
    /// Where it lies in the source, in seconds (padding excluded).
    package var startSeconds: Double
    package var endSeconds: Double
    /// Frames in the file (padding included).
    package var frames: Int64
    /// The hash of the file's bytes when it was written (`ContentHash`), if listed.
    package var hash: String? = nil
    /// The input it was cut from, as the run that wrote it named it, if listed.
    package var source: String? = nil
  }

  package var segments: [Segment]

  /// Reads the sidecar at `path`: 66 when it cannot be read, 65 for a line that is not a segment.
  /// A batch's list names its segments beside it (`segmentsBeside`: a name with a slash is
  /// refused); `process --segments-list` may lie elsewhere, and names them relative to itself
  /// ("../s/S_0000.wav") or absolute (review50 H01: such a list was not read at all, and a
  /// `--force` run into fewer segments left the earlier extras).
  package init(readingFrom path: String, segmentsBeside: Bool = true) throws {
    // A list is a file: a device or a pipe named as one holds no earlier list, and reading it
    // would not end (review34a A11: `--segments-list /dev/full` read zeros without end).
    guard Descriptor.status(path)?.isRegular == true else {
      throw CommandFailure(path, "is not a regular file, so no segments list", code: ExitStatus.dataError)
    }
    let bytes = try TextFile.read(path)
    segments = []
    var number = 0
    for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      number += 1
      if line.isEmpty { continue }
      guard let json = try? JSONLine(parsing: String(decoding: line, as: UTF8.self)),
        let index = json.integer("index"), let file = json.string("file"),
        let start = json.number("start_seconds"), let end = json.number("end_seconds"),
        let frames = json.integer("frames")
      else { throw CommandFailure(path, "line \(number) is not a segment of a segments list", code: ExitStatus.dataError) }
      // No batch writes these: a negative index, start or length, an end before the start.
      guard index >= 0, start >= 0, end >= start, frames >= 0, start.isFinite, end.isFinite else {
        throw CommandFailure(
          path, "line \(number) is damaged: index \(index), \(start) s to \(end) s, \(frames) frames", code: ExitStatus.dataError)
      }
      guard !file.isEmpty, !file.utf8.contains(0), !segmentsBeside || !file.contains("/") && file != "." && file != ".." else {
        throw CommandFailure(
          path, "line \(number) names \(file) as a segment: a batch's segments lie beside their segments list",
          code: ExitStatus.dataError)
      }
      let segmentPath = file.hasPrefix("/") ? file : PathName.join(PathName.directoryPrefix(path), file)
      segments.append(
        Segment(index: Int(index), path: segmentPath, startSeconds: start, endSeconds: end, frames: frames, hash: json.string("hash"), source: json.string("source")))
    }
  }
}
