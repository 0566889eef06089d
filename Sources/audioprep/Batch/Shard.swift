import ArgumentParser

/// Shard `index` of `count` (0-based), written `K/N`: the inputs whose relative path hashes to it.
///
/// The hash is 64-bit FNV-1a of the relative path's UTF-8 bytes, modulo `count`: it depends on
/// nothing but the path, so N workers that list the same corpus partition it without talking.
struct Shard: Equatable, Hashable, Sendable, CustomStringConvertible, ExpressibleByArgument {
  let index: Int
  let count: Int

  init?(argument: String) {
    let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]),
      count >= 1, (0..<count).contains(index)
    else { return nil }
    self.index = index
    self.count = count
  }

  var description: String { "\(index)/\(count)" }

  /// "manifest.K-of-N.jsonl", the shard's own manifest beside the outputs.
  var manifestName: String { "manifest.\(index)-of-\(count).jsonl" }

  /// The shard `relativePath` falls in, out of `count`.
  static func index(of relativePath: String, count: Int) -> Int {
    Int(ContentHash.of(relativePath).value % UInt64(count))
  }

  func contains(_ relativePath: String) -> Bool {
    Self.index(of: relativePath, count: count) == index
  }
}
