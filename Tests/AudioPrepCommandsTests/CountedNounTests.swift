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
