import AudioPrepCommands
import Testing

/// `--shard K/N`, shard manifests' names, and how `BatchPlan` splits a corpus among shards.
@Suite struct ShardTests {
  @Test func parsesAndWritesKOfN() throws {
    let shard = try #require(Shard(argument: "3/4"))
    #expect(shard.index == 3)
    #expect(shard.count == 4)
    #expect(shard.description == "3/4")
    #expect(shard.manifestName == "manifest.3-of-4.jsonl")
    #expect(Shard(argument: "0/1").map { [$0.index, $0.count] } == [0, 1])
  }

  @Test(arguments: ["4/4", "-1/4", "1/0", "0/-1", "", "1", "1/2/3", "a/2", "1/b", "/2", "1/", " 1/2", "1 /2"])
  func refusesWhatIsNotAShard(text: String) {
    #expect(Shard(argument: text) == nil)
  }

  @Test func knowsAShardManifestByItsName() {
    #expect(Shard(manifestPath: "out/dir/manifest.2-of-5.jsonl") == Shard(argument: "2/5"))
    #expect(Shard(manifestPath: "manifest.0-of-1.jsonl") == Shard(argument: "0/1"))
    for path in [
      "manifest.jsonl", "out/manifest.5-of-5.jsonl", "manifest.1-of-2.json", "manifest.1-2.jsonl",
      "manifest.1-of-.jsonl", "my-manifest.1-of-2.jsonl", "manifest.1-of-2.jsonl/x",
    ] {
      #expect(Shard(manifestPath: path) == nil, "\(path)")
    }
  }
}

@Suite struct BalancedShardTests {
  static func items(_ sizes: [(String, Int64)]) -> [BatchPlan.Item] {
    sizes.map { BatchPlan.Item(input: BatchInput(path: "in/" + $0.0, relativePath: $0.0), outputPath: "out/" + $0.0, bytes: $0.1) }
  }

  static func names(_ shards: [[BatchPlan.Item]]) -> [[String]] {
    shards.map { $0.map(\.input.relativePath) }
  }

  @Test func equalSizesSplitEquallyInTurn() {
    let items = Self.items(["a", "b", "c", "d", "e", "f"].map { ($0, 100) })
    #expect(Self.names(BatchPlan.balanced(items, shards: 3)) == [["a", "d"], ["b", "e"], ["c", "f"]])
    #expect(Self.names(BatchPlan.balanced(items, shards: 2)) == [["a", "c", "e"], ["b", "d", "f"]])
    #expect(Self.names(BatchPlan.balanced(items, shards: 1)) == [["a", "b", "c", "d", "e", "f"]])
  }

  /// Largest first to the least-loaded shard: 300 → 0, 200 → 1, 100 → 1 (200 < 300), then 50
  /// to shard 0 (300 = 300, but shard 0 holds fewer items).
  @Test func unequalSizesBalanceTheBytes() {
    let items = Self.items([("a", 50), ("b", 300), ("c", 100), ("d", 200)])
    #expect(Self.names(BatchPlan.balanced(items, shards: 2)) == [["a", "b"], ["c", "d"]])
  }

  /// Empty files spread by count, and more shards than inputs leaves the last ones empty.
  @Test func emptyFilesSpreadAndExtraShardsStayEmpty() {
    let empty = Self.items(["a", "b", "c", "d"].map { ($0, 0) })
    #expect(Self.names(BatchPlan.balanced(empty, shards: 2)) == [["a", "c"], ["b", "d"]])
    let two = Self.items([("a", 10), ("b", 20)])
    #expect(Self.names(BatchPlan.balanced(two, shards: 4)) == [["b"], ["a"], [], []])
  }

  /// Every worker must compute the same split: it depends on sizes and names only, not on the
  /// order the listing came in. By size, then name: d 12 → 0; a 7 → 1; b 7 → 2; f 7 → 1 (loads
  /// 12, 7, 7: shards 1 and 2 tie on bytes and items, the lower index wins); g 5 → 2 (12, 14, 7);
  /// c 3 → 0 (12, 14, 12: shard 0 holds fewer items); e 1 → 2 (15, 14, 12).
  @Test func theSplitDoesNotDependOnTheListingOrder() {
    let sizes: [(String, Int64)] = [("a", 7), ("b", 7), ("c", 3), ("d", 12), ("e", 1), ("f", 7), ("g", 5)]
    #expect(Self.names(BatchPlan.balanced(Self.items(sizes), shards: 3)) == [["c", "d"], ["a", "f"], ["b", "e", "g"]])
    let shuffled = [sizes[3], sizes[6], sizes[0], sizes[4], sizes[2], sizes[5], sizes[1]]
    for order in [Array(sizes.reversed()), shuffled] {
      let split = BatchPlan.balanced(Self.items(order), shards: 3)
      #expect(split.map { Set($0.map(\.input.relativePath)) } == [["c", "d"], ["a", "f"], ["b", "e", "g"]])
    }
  }
}
