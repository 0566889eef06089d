import DSP
import Glibc

/// The sidecar `segments.jsonl`: one JSON line per finished segment, appended as each segment
/// is moved into place, so the list always matches the files that exist.
final class SegmentList {
  let path: String
  private let descriptor: Int32
  private let sampleRate: Int

  /// Creates (or, with `overwrite`, truncates) the list.
  init(path: String, sampleRate: Int, overwrite: Bool) throws {
    self.path = path
    self.sampleRate = sampleRate
    let flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL)
    descriptor = open(path, flags, 0o644)
    guard descriptor >= 0 else {
      let reason = errno == EEXIST ? "already exists (use --force to replace it)" : String(cString: strerror(errno))
      throw CommandFailure(path, reason, code: ExitStatus.cannotCreate)
    }
  }

  deinit { close(descriptor) }

  /// Appends one line with a single write(2), so a crash never leaves half a line.
  func append(_ segment: SegmentingSink.Segment, source: String) throws {
    let rate = Double(sampleRate)
    let line =
      "{\"index\":\(segment.index),\"file\":\(JSONText.quoted(segment.path)),\"source\":\(JSONText.quoted(source)),"
      + "\"start_seconds\":\(Double(segment.startFrame) / rate),"
      + "\"end_seconds\":\(Double(segment.startFrame + segment.frames) / rate),"
      + "\"start_frame\":\(segment.startFrame),\"frames\":\(segment.frames)}\n"
    let bytes = Array(line.utf8)
    let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    guard written == bytes.count else {
      throw CommandFailure(path, "write failed: \(String(cString: strerror(errno)))", code: ExitStatus.ioError)
    }
  }
}
