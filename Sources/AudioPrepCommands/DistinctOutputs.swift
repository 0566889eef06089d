import DSP
import Glibc

/// Refuses, before anything is written, a run whose outputs name one file twice (`-o` and
/// `--stats-json`, a sidecar and a segment, `--svg` and `--csv`, or `-` twice): 73, and nothing
/// is created.
///
/// Names are compared as the file they would be (`OutputLocation`: the directory's identity,
/// however spelled, and the last component's bytes); a segment pattern matches every name it can produce.
/// `OutputFile` refuses the same collisions as files are created; checking first means that no
/// output of a refused run is left behind.
package enum DistinctOutputs {
  /// One output a run will write: a file, or the files of a segment pattern.
  package enum Name {
    case file(String)
    case segments(SegmentPattern)
  }

  package static func check(_ outputs: [Name]) throws {
    var seen: [(key: OutputLocation, shown: String, pattern: SegmentPattern?)] = []
    for output in outputs {
      switch output {
      case .file(let path):
        do {
          try ProtectedFiles.refuseProtected(outputPath: path)
        } catch let error as AudioIOError {
          throw CommandFailure(error, inputPath: path)
        }
        let key = OutputLocation(path)
        for earlier in seen where earlier.key.directory == key.directory {
          let collides = earlier.pattern.map { Self.matches($0, key.name) } ?? (earlier.key.name == key.name)
          if collides { throw collision(path, with: earlier.shown) }
        }
        seen.append((key, path, nil))
      case .segments(let pattern):
        let key = OutputLocation(pattern.prefix + "0" + pattern.suffix)
        for earlier in seen where earlier.key.directory == key.directory && Self.matches(pattern, earlier.key.name) {
          throw collision(earlier.shown, with: "the segments")
        }
        seen.append((key, "the segments", pattern))
      }
    }
  }

  /// Whether `pattern` produces `name` (its last component) for some index.
  private static func matches(_ pattern: SegmentPattern, _ name: [UInt8]) -> Bool {
    let head = PathBytes.bytes(of: PathName.lastComponent(pattern.prefix + "0")).dropLast()
    let tail = PathBytes.bytes(of: pattern.suffix)
    guard name.count > head.count + tail.count, name.starts(with: head), name.reversed().starts(with: tail.reversed())
    else { return false }
    return name[head.count..<(name.count - tail.count)].allSatisfy { (0x30...0x39).contains($0) }
  }

  private static func collision(_ path: String, with other: String) -> CommandFailure {
    CommandFailure(path, "names the same file as \(other); refusing to write either", code: ExitStatus.cannotCreate)
  }
}
