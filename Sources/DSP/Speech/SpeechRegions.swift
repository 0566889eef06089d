/// One region of speech in a processed stream: its frames (pads included) at `sampleRate`.
public struct SpeechRegion: Sendable, Equatable {
  public var frames: Range<Int>
  public var sampleRate: Int

  public init(frames: Range<Int>, sampleRate: Int) {
    self.frames = frames
    self.sampleRate = sampleRate
  }

  public var startSeconds: Double { Double(frames.lowerBound) / Double(sampleRate) }
  public var endSeconds: Double { Double(frames.upperBound) / Double(sampleRate) }
}

extension AudioPipeline {
  /// The speech regions of `path`'s processed stream ("-" for standard input), as they are
  /// decided: WebRTC's detector and `rules`, as `--utterances` cuts them. Processing runs on its
  /// own thread in constant memory; leaving the loop early (or cancelling the task) stops it.
  ///
  /// ```swift
  /// for try await region in pipeline.speechRegions(from: "talk.flac") {
  ///   print(region.startSeconds, region.endSeconds)
  /// }
  /// ```
  public func speechRegions(
    from path: String, raw: RawInputFormat? = nil, decoder: AudioDecoder = .auto,
    rules: SpeechRegionRules = SpeechRegionRules(), detectorMode: Int = 3
  ) -> AsyncThrowingStream<SpeechRegion, Error> {
    let configuration = self.configuration
    return AsyncThrowingStream { continuation in
      let stopped = StopFlag()
      continuation.onTermination = { _ in stopped.set() }
      let thread = JoinableThread {
        do {
          let source = try openAudioSource(path: path, raw: raw, decoder: decoder)
          let stream = configuration.outputFormat(for: source.format)
          let meter = try SpeechMeter(stream: stream, rules: rules, detectorMode: detectorMode)
          meter.onRegion = { frames in
            if stopped.isSet { throw CancellationError() }
            continuation.yield(SpeechRegion(frames: frames, sampleRate: stream.sampleRate))
          }
          _ = try Pipeline.run(
            source: InterruptibleSource(source, shouldStop: { stopped.isSet }), sink: meter, configuration: configuration)
          continuation.finish()
        } catch is RunInterrupted {
          continuation.finish()
        } catch {
          continuation.finish(throwing: error)
        }
      }
      thread.detach()
    }
  }
}

/// A flag one thread sets and another reads.
final class StopFlag: @unchecked Sendable {
  private let lock = MonitorLock()
  private var value = false
  var isSet: Bool { lock.withLock { value } }
  func set() { lock.withLock { value = true } }
}
