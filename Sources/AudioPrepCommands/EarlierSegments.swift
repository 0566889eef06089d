import DSP
import Glibc

/// The segments an earlier run's list names that a re-segmentation does not write again: those
/// it may remove once it has settled, and those it leaves in place.
///
/// A list is an ordinary JSONL file that users and tools edit, so a name in it is no licence to
/// delete. An earlier segment may go only if its name is one this run's pattern makes
/// (`S_0007.wav` of `d/S_%04d.wav`) in the pattern's directory, it is no input nor an output of
/// this run (`ProtectedFiles`), and, when it goes, it is still a regular file, not a link, with
/// the hash the list gives (a segment edited since stays). Anything else the list names is left
/// in place (review35 R11: a line naming the run's input, or notes.txt, with its hash removed it).
struct EarlierSegments {
  /// Segments of this run's pattern that it did not write again: removed if unchanged.
  private(set) var removable: [SegmentSidecar.Segment] = []
  /// What the list named that is no segment this run may remove: the name, and why when it
  /// has the pattern's form (an input).
  private(set) var leftInPlace: [String] = []

  /// Sorts `listed` (the earlier list's segments) less those at `writtenAgain` (paths as the
  /// list spells them, compared by bytes) by `pattern`, the segment names of this run (in any
  /// format audioprep writes: `SegmentPattern.inEveryFormat`).
  init(listed: [SegmentSidecar.Segment], writtenAgain: Set<PathKey>, pattern: SegmentPattern) {
    let patterns = pattern.inEveryFormat
    for segment in listed where !writtenAgain.contains(PathKey(segment.path)) {
      let name = PathName.lastComponent(segment.path)
      guard
        patterns.contains(where: { pattern in
          pattern.index(ofName: name).map { OutputLocation(pattern.path($0)) == OutputLocation(segment.path) } == true
        })
      else {
        leftInPlace.append(name)
        continue
      }
      switch ProtectedFiles.role(at: segment.path) {
      case .input?: leftInPlace.append(name + ": an input")
      case .output?: leftInPlace.append(name + ": written by this run")
      case nil: removable.append(segment)
      }
    }
  }

  /// The removable segments that are still the files the list describes (a regular file, not
  /// a link, with the hash it was written with): those that go.
  func unchanged() -> [String] {
    removable.compactMap { segment in
      guard let listed = segment.hash, (try? ContentHash.ofFile(at: segment.path, regularOnly: true))?.description == listed else { return nil }
      return segment.path
    }
  }

  /// The line that says what the list named and is left in place, or nil when nothing is.
  func warning(list: String) -> String? {
    guard !leftInPlace.isEmpty else { return nil }
    let shown = leftInPlace.prefix(3).joined(separator: ", ") + (leftInPlace.count > 3 ? " and \(leftInPlace.count - 3) more" : "")
    return "audioprep: \(list): the earlier list named \(Text.count(leftInPlace.count, "file")) not among this run's segments (\(shown)); left in place"
  }
}
