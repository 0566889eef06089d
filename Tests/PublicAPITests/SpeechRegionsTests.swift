import DSP
import Foundation
import Testing

/// The speech regions as an `AsyncSequence`, as another package sees them.
@Suite struct SpeechRegionsTests {
  let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures").path

  /// The regions are those `SpeechMeter` counts over the same processed stream, in order.
  @Test func regionsArriveInOrderAndAgreeWithTheMeter() async throws {
    let pipeline = AudioPipeline()
    var regions: [SpeechRegion] = []
    for try await region in pipeline.speechRegions(from: fixtures + "/speech.flac") { regions.append(region) }
    #expect(!regions.isEmpty)
    for (earlier, later) in zip(regions, regions.dropFirst()) { #expect(earlier.frames.upperBound <= later.frames.lowerBound) }
    #expect(regions.allSatisfy { $0.sampleRate == 16000 && $0.frames.upperBound <= 57700 })

    let meter = try SpeechMeter(stream: StreamFormat(sampleRate: 16000, channels: 1))
    var chunks = pipeline.chunks(from: fixtures + "/speech.flac").makeAsyncIterator()
    while let chunk = try await chunks.next() { try meter.write(chunk) }
    _ = try meter.finish()
    #expect(meter.regions == regions.count)
    #expect(meter.speechFrames == regions.reduce(0) { $0 + $1.frames.count })
  }

  @Test func aRateTheDetectorDoesNotTakeEndsTheSequenceWithTheError() async throws {
    var configuration = PipelineConfiguration()
    configuration.outputRate = 22050
    await #expect(throws: DSPError.self) {
      for try await _ in AudioPipeline(configuration: configuration).speechRegions(from: fixtures + "/speech.flac") {}
    }
  }
}
