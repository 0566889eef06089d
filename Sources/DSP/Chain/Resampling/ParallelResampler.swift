/// libsamplerate on several threads at once, with the same output as one converter.
///
/// With a rational ratio p/q (16000/44100 = 160/441), input frame k·q lands exactly on output
/// frame k·p. The stream is cut into segments of `segmentFrames` input frames (a multiple of
/// q); each segment is resampled by its own converter, fed `margin` frames before it (warm-up,
/// whose output is discarded) and `margin` frames after it (look-ahead, so the converter has
/// produced every output frame of the segment). The margin is far longer than the sinc
/// filter's reach, so each kept frame is computed from the same input samples as in one
/// continuous run. Outputs are joined in order. Memory stays bounded: at most
/// `maxSegmentsInFlight` segments are held at once.
public struct ParallelResampler: AudioNode {
  public let outputRate: Int
  public let converter: ConverterType
  public let threads: Int
  /// Input frames per segment, rounded up to a multiple of q; 0 picks a default.
  public let requestedSegmentFrames: Int

  private var plan: Plan?
  private var pool: WorkerPool?
  private var converters: [SampleRateConverter] = []
  /// Input not yet dispatched, starting at global input frame `pendingStart - warmUp held`.
  private var pending: [Float] = []
  /// Global input frame of `pending[0]`.
  private var pendingOrigin = 0
  /// Next segment to dispatch.
  private var nextSegment = 0
  private var inFlight: [Job] = []
  /// Output frames of segments already dispatched (all full but possibly the last).
  private var dispatchedOutputFrames = 0

  public init(outputRate: Int, converter: ConverterType = .medium, threads: Int, segmentFrames: Int = 0) {
    self.outputRate = outputRate
    self.converter = converter
    self.threads = max(1, threads)
    self.requestedSegmentFrames = segmentFrames
  }

  /// The segmentation for one pair of rates, or nil when it cannot pay off (huge q).
  struct Plan {
    let channels: Int
    let rates: ResamplingRatio
    var p: Int { rates.p }
    var q: Int { rates.q }
    var ratio: Double { rates.value }
    let segmentFrames: Int
    let margin: Int
    /// Output frames a full segment yields: segmentFrames · p / q.
    var segmentOutputFrames: Int { segmentFrames / q * p }
  }

  /// Whether rates allow exact segmentation (q up to 2^20 frames).
  static func plan(inputRate: Int, outputRate: Int, channels: Int, segmentFrames: Int) -> Plan? {
    guard let rates = ResamplingRatio(inputRate: inputRate, outputRate: outputRate), rates.q <= 1 << 20 else { return nil }
    let ratio = rates.value
    // libsamplerate's widest filter (best) reaches 143/ratio input frames when downsampling
    // (coeff_half_len / increment = 340239 / 2381): about 400 at 16k/44.1k. 512/ratio is 3.6×
    // that; the tests demand ≤ 1e-6 against one converter for every converter and several ratios
    // (and fail with 16/ratio).
    let reach = Int((512 / min(ratio, 1)).rounded(.up))
    let margin = roundUp(reach, to: rates.q)
    let wanted = segmentFrames > 0 ? segmentFrames : max(131_072, 8 * margin)
    return Plan(
      channels: channels, rates: rates, segmentFrames: roundUp(wanted, to: rates.q), margin: margin)
  }

  public var stageName: String { "resample" }

  public func describe(input: StreamFormat, output: StreamFormat) -> String {
    "resample: libsamplerate \(converter.rawValue), \(input.sampleRate) → \(output.sampleRate) Hz, segments on \(threads) threads"
  }

  public func contribute(to report: inout PipelineReport) { report.resamplerWorkerSeconds += workerSeconds }

  /// The same samples as `Resampler`'s.
  public var fingerprint: String { "resampler=libsamplerate-direct converter=\(converter.rawValue)" }

  /// Seconds worker threads spent converting the segments collected so far.
  public private(set) var workerSeconds: Double = 0

  public mutating func prepare(_ input: StreamFormat) throws -> StreamFormat {
    var serial = Resampler(outputRate: outputRate, converter: converter)
    let output = try serial.prepare(input)  // same checks and messages as the serial node
    guard let plan = Self.plan(
      inputRate: input.sampleRate, outputRate: outputRate, channels: input.channels,
      segmentFrames: requestedSegmentFrames)
    else {
      throw DSPError.libraryFailure("no exact segmentation for \(input.sampleRate) → \(outputRate) Hz")
    }
    self.plan = plan
    converters = try (0..<threads).map { _ in
      try SampleRateConverter(type: converter, channels: input.channels, ratio: plan.ratio)
    }
    pool = WorkerPool(count: threads)
    reset()
    return output
  }

  public mutating func process(_ chunk: inout AudioChunk) throws {
    guard let plan else { return }
    pending.append(contentsOf: chunk.samples)
    chunk.removeAll()
    // Dispatch every segment whose look-ahead has arrived.
    while pendingOrigin + pending.count / plan.channels >= segmentEnd(nextSegment, plan) + plan.margin {
      try dispatch(final: false, plan)
      // Keep the pool busy but bounded: wait for the oldest when enough are queued.
      while inFlight.count > threads { try collect(into: &chunk) }
    }
  }

  public mutating func flush(_ chunk: inout AudioChunk) throws {
    guard let plan else { return }
    try dispatch(final: true, plan)
    while !inFlight.isEmpty { try collect(into: &chunk) }
  }

  public mutating func reset() {
    for converter in converters { converter.reset() }
    pending = []
    pendingOrigin = 0
    nextSegment = 0
    inFlight = []
    dispatchedOutputFrames = 0
  }

  /// One segment in flight: its result, filled by a worker.
  final class Job: @unchecked Sendable {
    var output: [Float] = []
    var error: Error?
    var seconds: Double = 0
    var completion: WorkerPool.Completion?
  }

  private func segmentStart(_ index: Int, _ plan: Plan) -> Int { index * plan.segmentFrames }
  private func segmentEnd(_ index: Int, _ plan: Plan) -> Int { (index + 1) * plan.segmentFrames }

  /// Copies segment `nextSegment` with its margins and hands it to the pool.
  private mutating func dispatch(final: Bool, _ plan: Plan) throws {
    let channels = plan.channels
    let start = segmentStart(nextSegment, plan)
    let feedStart = max(0, start - plan.margin)
    let available = pendingOrigin + pending.count / channels
    let feedEnd = final ? available : segmentEnd(nextSegment, plan) + plan.margin
    let warmUpOutput = (start - feedStart) / plan.q * plan.p
    var input = Array(pending[((feedStart - pendingOrigin) * channels)..<((feedEnd - pendingOrigin) * channels)])
    let keepOutput: Int
    if final {
      // The same length rule and silence padding as the serial `Resampler`.
      var length = OutputLength(plan.rates)
      length.inputFrames = available
      keepOutput = max(0, length.expectedOutputFrames - dispatchedOutputFrames)
      input.append(contentsOf: repeatElement(0, count: length.silencePadFrames * channels))
    } else {
      keepOutput = plan.segmentOutputFrames
    }
    dispatchedOutputFrames += keepOutput
    // Drop what no later segment needs (everything before the next segment's warm-up).
    let nextFeedStart = max(0, segmentEnd(nextSegment, plan) - plan.margin)
    if !final, nextFeedStart > pendingOrigin {
      pending.removeFirst((nextFeedStart - pendingOrigin) * channels)
      pendingOrigin = nextFeedStart
    }
    nextSegment += 1

    let job = Job()
    let converters = self.converters
    job.completion = pool!.submit { worker in
      let started = monotonicSeconds()
      defer { job.seconds = monotonicSeconds() - started }
      let src = converters[worker]
      src.reset()
      var output: [Float] = []
      output.reserveCapacity(Int(Double(input.count) * plan.ratio) + 512 * channels)
      do {
        try input.withUnsafeBufferPointer { try src.convert($0, endOfInput: final, appendingTo: &output) }
        let first = min(warmUpOutput * channels, output.count)
        let last = min(output.count, first + keepOutput * channels)
        if last - first < keepOutput * channels {
          throw DSPError.libraryFailure("resampler segment came out short (\((last - first) / channels) of \(keepOutput) frames)")
        }
        job.output = Array(output[first..<last])
      } catch {
        job.error = error
      }
    }
    inFlight.append(job)
  }

  /// Waits for the oldest segment and appends its frames.
  private mutating func collect(into chunk: inout AudioChunk) throws {
    let job = inFlight.removeFirst()
    job.completion?.wait()
    if let error = job.error { throw error }
    workerSeconds += job.seconds
    chunk.samples.append(contentsOf: job.output)
  }
}


