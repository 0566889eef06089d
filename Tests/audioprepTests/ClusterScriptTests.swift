import Foundation
import TestSupport
import XCTest

/// The Slurm script the README shows is the one `make test-cluster` submits.
final class ClusterScriptTests: XCTestCase {

  func testReadmeShowsTheSlurmScriptVerbatim() throws {
    let readme = try String(contentsOfFile: repositoryDirectory + "/README.md", encoding: .utf8)
    let script = try String(contentsOfFile: repositoryDirectory + "/scripts/slurm-batch.sh", encoding: .utf8)
    let section = try XCTUnwrap(readme.range(of: "### Slurm job array"), "README has no Slurm section")
    let fence = try XCTUnwrap(readme.range(of: "```bash\n", range: section.upperBound..<readme.endIndex))
    let end = try XCTUnwrap(readme.range(of: "```", range: fence.upperBound..<readme.endIndex))
    XCTAssertEqual(String(readme[fence.upperBound..<end.lowerBound]), script)
  }

  func testTheScriptShardsByTheArrayTask() throws {
    let script = try String(contentsOfFile: repositoryDirectory + "/scripts/slurm-batch.sh", encoding: .utf8)
    XCTAssertTrue(script.contains("--shard \"$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT\""))
    XCTAssertTrue(FileManager.default.isExecutableFile(atPath: repositoryDirectory + "/scripts/slurm-batch.sh"))
  }
}
