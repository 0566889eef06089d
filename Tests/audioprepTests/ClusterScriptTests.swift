import Foundation
import TestSupport
import XCTest

/// The Slurm script docs/batch-and-clusters.md shows is the one `make test-cluster` submits.
final class ClusterScriptTests: XCTestCase {

  func testDocsShowTheSlurmScriptVerbatim() throws {
    let page = try String(contentsOfFile: repositoryDirectory + "/docs/batch-and-clusters.md", encoding: .utf8)
    let script = try String(contentsOfFile: repositoryDirectory + "/scripts/slurm-batch.sh", encoding: .utf8)
    let section = try XCTUnwrap(page.range(of: "### Slurm job array"), "docs/batch-and-clusters.md has no Slurm section")
    let fence = try XCTUnwrap(page.range(of: "```bash\n", range: section.upperBound..<page.endIndex))
    let end = try XCTUnwrap(page.range(of: "```", range: fence.upperBound..<page.endIndex))
    XCTAssertEqual(String(page[fence.upperBound..<end.lowerBound]), script)
  }

  func testTheScriptShardsByTheArrayTask() throws {
    let script = try String(contentsOfFile: repositoryDirectory + "/scripts/slurm-batch.sh", encoding: .utf8)
    XCTAssertTrue(script.contains("--shard \"$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT\""))
    XCTAssertTrue(FileManager.default.isExecutableFile(atPath: repositoryDirectory + "/scripts/slurm-batch.sh"))
  }
}
