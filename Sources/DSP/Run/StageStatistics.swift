/// Timing of one stage of the pipeline: the total, and per-block figures over a bounded window.
///
/// Like the browser app's PerformanceMonitor, it keeps only the last `windowSize` measurements
/// (100 by default) for the average, p95, min and max of recent blocks, so memory stays constant
/// however long the stream.
public struct StageStatistics: Sendable {
  public let name: String
  /// Seconds spent in the stage over the whole run.
  public private(set) var totalSeconds: Double = 0
  /// Blocks measured over the whole run.
  public private(set) var count = 0
  private var window: [Double]
  private var next = 0

  public init(name: String, windowSize: Int = 100) {
    self.name = name
    window = []
    window.reserveCapacity(windowSize)
    self.windowSize = windowSize
  }

  private let windowSize: Int

  /// Records one block's duration.
  public mutating func record(_ seconds: Double) {
    totalSeconds += seconds
    count += 1
    if window.count < windowSize {
      window.append(seconds)
    } else {
      window[next] = seconds
      next = (next + 1) % windowSize
    }
  }

  /// Average, minimum, maximum and 95th percentile of the recent blocks, in seconds.
  public var recent: (average: Double, minimum: Double, maximum: Double, p95: Double) {
    guard !window.isEmpty else { return (0, 0, 0, 0) }
    let sorted = window.sorted()
    let p95Index = min(sorted.count - 1, Int((Double(sorted.count) * 0.95).rounded(.up)) - 1)
    return (window.reduce(0, +) / Double(window.count), sorted.first!, sorted.last!, sorted[max(0, p95Index)])
  }
}

/// Everything `--stats` reports about a run.
public struct PipelineStatistics: Sendable {
  /// decode, one entry per node (downmix, resample, highpass, gain), chunk, write.
  public var stages: [StageStatistics] = []
  /// Seconds the processing thread waited for room in the buffer.
  public var producerBlockedSeconds: Double = 0
  /// Seconds the writing thread waited for a chunk.
  public var consumerBlockedSeconds: Double = 0
  /// Seconds worker threads spent resampling segments (parallel resampler only).
  public var resamplerWorkerSeconds: Double = 0

  public init() {}
}
