import DSP
import Glibc

/// The batch's work list: each recording with its output path, in a stable order, for one shard.
package struct BatchPlan {
  /// One recording to process, or a failure already known before processing.
  package struct Item {
    package let input: BatchInput
    package let outputPath: String
    /// The input's size in bytes (0 if it cannot be read): what shards balance and ETA counts.
    package var bytes: Int64
    /// Set when the output path is taken by another input; the item is recorded as failed.
    package var conflict: String?

    package init(input: BatchInput, outputPath: String, bytes: Int64 = 0, conflict: String? = nil) {
      self.input = input
      self.outputPath = outputPath
      self.bytes = bytes
      self.conflict = conflict
    }
  }

  /// This shard's items, sorted by relative path.
  let items: [Item]
  /// Every shard's items: the outputs a manifest that shards share must not name.
  let corpusItems: [Item]
  /// Inputs before sharding (the whole corpus as listed).
  let corpusInputs: Int
  /// Two different paths with the same relative path: the manifest could not tell them apart.
  let refusals: [CommandFailure]

  /// Sorts and de-duplicates `inputs`, mirrors each under `outputDirectory` with
  /// `outputExtension`, marks collisions, then keeps `shard`'s share.
  ///
  /// Collisions are decided on the whole list before sharding, so every shard agrees:
  /// the first input in relative-path order keeps an output path, later ones fail. Shards are
  /// balanced by bytes (`balanced`), which every worker computes alike from the same listing.
  init(inputs: [BatchInput], outputDirectory: String, outputExtension: String, shard: Shard?) {
    let sorted = inputs.sorted { $0.relativePath.utf8.lexicographicallyPrecedes($1.relativePath.utf8) }
    var all: [Item] = []
    var ownerOfOutput: [PathKey: String] = [:]
    var previous: BatchInput?
    var refusals: [CommandFailure] = []
    let here = PathName.currentDirectory()
    for input in sorted {
      if let previous, PathKey.same(input.relativePath, previous.relativePath) {
        if !PathKey.same(PathName.absolute(input.path, in: here), PathName.absolute(previous.path, in: here)) {
          refusals.append(
            CommandFailure(
              input.path, "has the same relative path, \(input.relativePath), as \(previous.path)",
              code: ExitStatus.usage))
        }
        continue
      }
      previous = input
      let outputPath = Self.outputPath(for: input.relativePath, in: outputDirectory, extension: outputExtension)
      var item = Item(input: input, outputPath: outputPath, bytes: Self.size(of: input.path))
      if let owner = ownerOfOutput[PathKey(outputPath)] {
        item.conflict = Self.sharedOutput(outputPath, owner: owner, input: input.path)
      } else {
        ownerOfOutput[PathKey(outputPath)] = input.path
      }
      all.append(item)
    }
    corpusInputs = all.count
    corpusItems = all
    self.refusals = refusals
    items = shard.map { Self.balanced(all, shards: $0.count)[$0.index] } ?? all
  }

  /// The items split into `shards` lists of nearly equal bytes: largest first, each to the
  /// least-loaded shard (ties: the lowest index), the order fixed by size then relative path,
  /// so that every worker computes the same split. Each list stays in relative-path order.
  package static func balanced(_ items: [Item], shards: Int) -> [[Item]] {
    let order = items.indices.sorted {
      let (a, b) = (items[$0], items[$1])
      if a.bytes != b.bytes { return a.bytes > b.bytes }
      return a.input.relativePath.utf8.lexicographicallyPrecedes(b.input.relativePath.utf8)
    }
    var loads = [Int64](repeating: 0, count: shards)
    var counts = [Int](repeating: 0, count: shards)
    var assigned = [[Int]](repeating: [], count: shards)
    for index in order {
      // Least bytes, then fewest items (so empty files spread too), then the lowest index.
      let target = (0..<shards).min { (loads[$0], counts[$0], $0) < (loads[$1], counts[$1], $1) }!
      loads[target] += items[index].bytes
      counts[target] += 1
      assigned[target].append(index)
    }
    return assigned.map { $0.sorted().map { items[$0] } }
  }

  private static func size(of path: String) -> Int64 {
    Descriptor.status(path)?.size ?? 0
  }

  /// "a/b/talk.flac" → "DIR/a/b/talk.wav".
  static func outputPath(for relativePath: String, in directory: String, extension fileExtension: String) -> String {
    PathName.join(directory, outputName(relativePath) + "." + fileExtension)
  }

  /// "a/talk.flac" → "a/talk": the inputs of one output name share a batch output.
  static func outputName(_ relativePath: String) -> String {
    PathName.directoryPrefix(relativePath) + PathName.stem(relativePath)
  }

  /// The output name whose segment `name` could be (`DIR/x` of `DIR/x_0000`: a segmenting
  /// batch names the segments of `x` `x_%04d`), or nil when `name` does not end in `_` and four
  /// or more digits.
  static func segmentParent(ofOutputName name: String) -> String? {
    guard let underscore = name.lastIndex(of: "_") else { return nil }
    let digits = name[name.index(after: underscore)...]
    guard digits.count >= 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
    return String(name[..<underscore])
  }

  /// Why `input` fails: its output is `owner`'s, in this run or (`earlierRun`) in the manifest,
  /// with the ways out named: another --out-dir (a command to paste: the path quoted for the
  /// shell), out of the list, or (an earlier run's) --force.
  /// `what`: the file, as this input would write it; `why`: how the names meet.
  static func sharedOutput(
    _ outputPath: String, owner: String, input: String, earlierRun: Bool = false, what: String = "output",
    why: String = "inputs that differ only in their extension share an output name"
  ) -> String {
    "its \(what) \(outputPath) is already the output of \(owner) (\(earlierRun ? "an earlier run's: " : "")\(why)): "
      + "process this one into another --out-dir (audioprep batch \(shellQuoted(input)) --out-dir OTHER), "
      + (earlierRun ? "leave it out, or replace that output with --force" : "or leave it out (--from-list)")
  }
}
