@testable import AudioPrepCommands
import Testing

/// Counts read as English: "1 input from 1 manifest", "1 other file skipped" (they said "1 inputs
/// from 1 manifests", "1 other files skipped": hostile review of #21). `Text.count` everywhere.
@Suite struct CountedNounTests {
  @Test func mergeSummaryAndInfoTotals() {
    let merge = ManifestMerge([])
    #expect(merge.summary(manifestCount: 1).hasPrefix("0 inputs from 1 manifest: "), "\(merge.summary(manifestCount: 1))")
    var totals = CorpusTotals()
    totals.skippedFiles = 1
    #expect(totals.text.hasSuffix("; 1 other file skipped"), "\(totals.text)")
    #expect(totals.text.hasPrefix("total: 0 files,"), "\(totals.text)")
  }
}
