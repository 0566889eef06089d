@testable import AudioPrepCommands
import Testing
import DSP

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

  /// The skipped files' breakdown adds up to their count: the files that are not audio
  /// (transcripts, notes) are in it, not only the entries named as audio that are no file
  /// (hostile review 30m, C1: "3 other files skipped (1 dangling symlink, 1 FIFO)").
  @Test func theSkippedFilesBreakdownAddsUp() {
    var totals = CorpusTotals()
    totals.skippedFiles = 3
    totals.unread = [UnreadEntry(path: "c/a.wav", reason: .dangling), UnreadEntry(path: "c/b.wav", reason: .special(.fifo))]
    #expect(totals.text.hasSuffix("; 3 other files skipped (1 not audio, 1 dangling symlink, 1 FIFO)"), "\(totals.text)")
    totals.unread = []
    #expect(totals.text.hasSuffix("; 3 other files skipped"), "\(totals.text)")
  }
}

/// `info`'s clipping verdict and a silent output (review20e C13, C14: "1 float samples", "no
/// clipping: inf dB of headroom").
@Suite struct ClippingVerdictTests {
  @Test func oneSampleIsSingularAndSilenceHasNoHeadroomFigure() throws {
    let format = StreamFormat(sampleRate: 16000, channels: 1)
    var silent = try LevelMeter(format: format, measuresLoudness: false)
    silent.add(AudioChunk(samples: [Float](repeating: 0, count: 160), channels: 1))
    #expect(ChainPrediction(output: silent, normalization: nil).verdict == "no clipping: the output is silent")
    var clipping = try LevelMeter(format: format, measuresLoudness: false)
    clipping.add(AudioChunk(samples: [0.1, 1.2, 0.1], channels: 1))
    #expect(ChainPrediction(output: clipping, normalization: nil).verdict.hasPrefix("clips: 1 sample at or beyond full scale"))
  }
}
