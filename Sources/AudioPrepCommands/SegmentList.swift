import DSP
import Glibc

/// The sidecar `segments.jsonl`: one JSON line per finished segment (its file relative to the
/// sidecar, its hash, where it lies in the source), written like every output
/// (`OutputFile`: a temporary, moved into place by `commit` once every segment has landed), so a
/// sidecar under its final name always lists a complete run.
final class SegmentList {
  let path: String
  private let output: OutputFile
  private let sampleRate: Int

  /// Opens the list's temporary (see `OutputFile` for what is refused).
  init(output: OutputFile, sampleRate: Int) {
    self.path = output.path
    self.output = output
    output.holdsUntilSettled = true  // taken back with the segments it lists
    self.sampleRate = sampleRate
  }

  /// Appends one line. `file` is the segment's path relative to the sidecar's directory;
  /// `start_seconds`/`end_seconds` are where it lies in the source (padding excluded), `frames`
  /// what the file holds.
  func append(_ segment: SegmentingSink.Segment, source: String) throws {
    let rate = Double(sampleRate)
    let file = PathName.relative(segment.path, from: PathName.directoryPrefix(path))
    // Its bytes' hash, so that a batch rerun notices a segment deleted or altered since.
    let hash = try ContentHash.ofFile(at: segment.path, regularOnly: true)
    let line =
      "{\"index\":\(segment.index),\"file\":\(JSONText.quoted(file)),\"hash\":\(JSONText.quoted(hash.description)),"
      + "\"source\":\(JSONText.quoted(source)),"
      + "\"start_seconds\":\(Double(segment.startFrame) / rate),"
      + "\"end_seconds\":\(Double(segment.startFrame + segment.sourceFrames) / rate),"
      + "\"start_frame\":\(segment.startFrame),\"frames\":\(segment.frames)}\n"
    try Array(line.utf8).withUnsafeBytes { try output.write($0) }
  }

  func commit() throws { try output.commit() }
  func retract() { output.removeCommitted() }
  func settle() { output.settle() }
  func discard() { output.discard() }
}

/// Segments plus their sidecar list: the list is moved into place after the last segment, and
/// removed if the run fails or is interrupted.
final class ListedSegmentsSink: AudioSink, ClipCounting, Retractable {
  private let segments: SegmentingSink
  private let list: SegmentList

  init(segments: SegmentingSink, list: SegmentList) {
    self.segments = segments
    self.list = list
  }

  var clippedSamples: Int { segments.clippedSamples }

  func write(_ chunk: AudioChunk) throws { try segments.write(chunk) }

  func finish() throws {
    do {
      try segments.finish()
      try list.commit()
    } catch {
      abort()
      throw error
    }
  }

  /// Takes back the segments and the list (a later step of the run failed).
  func retract() {
    segments.retract()
    list.retract()
  }

  /// The run completed: the segments and their list stay.
  func settle() {
    segments.settle()
    list.settle()
  }

  func abort() {
    segments.abort()
    list.discard()
  }
}
