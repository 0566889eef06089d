/// The batch's work list: each recording with its output path, in a stable order, for one shard.
struct BatchPlan {
  /// One recording to process, or a failure already known before processing.
  struct Item {
    let input: BatchInput
    let outputPath: String
    /// Set when the output path is taken by another input; the item is recorded as failed.
    var conflict: String?
  }

  /// This shard's items, sorted by relative path.
  let items: [Item]
  /// Inputs before sharding (the whole corpus as listed).
  let corpusInputs: Int
  /// Two different paths with the same relative path: the manifest could not tell them apart.
  let refusals: [CommandFailure]

  /// Sorts and de-duplicates `inputs`, mirrors each under `outputDirectory` with
  /// `outputExtension`, marks collisions, then keeps `shard`'s share.
  ///
  /// Collisions are decided on the whole list before sharding, so every shard agrees:
  /// the first input in relative-path order keeps an output path, later ones fail.
  init(inputs: [BatchInput], outputDirectory: String, outputExtension: String, shard: Shard?) {
    let sorted = inputs.sorted { $0.relativePath.utf8.lexicographicallyPrecedes($1.relativePath.utf8) }
    var all: [Item] = []
    var ownerOfOutput: [String: String] = [:]
    var previous: BatchInput?
    var refusals: [CommandFailure] = []
    let here = PathName.currentDirectory()
    for input in sorted {
      if let previous, input.relativePath == previous.relativePath {
        if PathName.absolute(input.path, in: here) != PathName.absolute(previous.path, in: here) {
          refusals.append(
            CommandFailure(
              input.path, "has the same relative path, \(input.relativePath), as \(previous.path)",
              code: ExitStatus.usage))
        }
        continue
      }
      previous = input
      let outputPath = Self.outputPath(for: input.relativePath, in: outputDirectory, extension: outputExtension)
      var item = Item(input: input, outputPath: outputPath)
      if let owner = ownerOfOutput[outputPath] {
        item.conflict = "its output \(outputPath) is already the output of \(owner)"
      } else {
        ownerOfOutput[outputPath] = input.path
      }
      all.append(item)
    }
    corpusInputs = all.count
    self.refusals = refusals
    items = shard.map { shard in all.filter { shard.contains($0.input.relativePath) } } ?? all
  }

  /// "a/b/talk.flac" → "DIR/a/b/talk.wav".
  static func outputPath(for relativePath: String, in directory: String, extension fileExtension: String) -> String {
    PathName.join(
      directory, PathName.directoryPrefix(relativePath) + PathName.stem(relativePath) + "." + fileExtension)
  }
}
