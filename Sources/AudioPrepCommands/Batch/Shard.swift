import ArgumentParser

/// Shard `index` of `count` (0-based), written `K/N`: its share of the corpus as `BatchPlan`
/// balances it (by bytes, computed alike by every worker from the same listing), so N workers
/// that list the same corpus partition it without talking.
package struct Shard: Equatable, Hashable, Sendable, CustomStringConvertible, ExpressibleByArgument {
  package let index: Int
  package let count: Int

  /// The most shards a corpus is split into: far beyond any cluster's array size, and small
  /// enough that a plan or a merge that keeps a few bytes per shard stays small (a forged
  /// `0/4294967296` in a manifest is a bad line, not 15 GB).
  package static let maximumCount = 1_000_000

  package init?(argument: String) {
    let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]),
      (1...Self.maximumCount).contains(count), (0..<count).contains(index)
    else { return nil }
    self.index = index
    self.count = count
  }

  /// The `transform` of `--shard`: a usage error that says how K and N count.
  static func parse(_ text: String) throws -> Shard {
    if let shard = Shard(argument: text) { return shard }
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    if parts.count == 2, Int(parts[0]) != nil, let count = Int(parts[1]), (1...maximumCount).contains(count) {
      throw UnitError("is not a shard: K counts from 0 to N-1 (0/\(count) … \(count - 1)/\(count))")
    }
    throw UnitError("is not a shard: give K/N with N from 1 to \(maximumCount) and K from 0 to N-1, e.g. 3/10")
  }

  package var description: String { "\(index)/\(count)" }

  /// "manifest.K-of-N.jsonl", the shard's own manifest beside the outputs.
  package var manifestName: String { "manifest.\(index)-of-\(count).jsonl" }

  /// The shard a manifest's file name says it is ("…/manifest.K-of-N.jsonl"): how `manifest
  /// merge` knows an empty shard's manifest (a corpus smaller than the number of shards).
  package init?(manifestPath: String) {
    let name = PathName.lastComponent(manifestPath)
    guard name.hasPrefix("manifest."), name.hasSuffix(".jsonl") else { return nil }
    let middle = String(name.dropFirst("manifest.".count).dropLast(".jsonl".count))
    guard let dash = middle.firstIndex(of: "-"), middle[dash...].hasPrefix("-of-"),
      let shard = Shard(argument: "\(middle[..<dash])/\(middle[dash...].dropFirst(4))")
    else { return nil }
    self = shard
  }
}
