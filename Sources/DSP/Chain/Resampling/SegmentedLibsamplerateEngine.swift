/// libsamplerate on several threads at once, with the same output as one converter.
///
/// With a rational ratio p/q (16000/44100 = 160/441), input frame k·q lands exactly on output
/// frame k·p. The stream is cut into segments of `segmentFrames` input frames (a multiple of
/// q); each segment is resampled by its own converter, fed `margin` frames before it (warm-up,
/// whose output is discarded) and `margin` frames after it (look-ahead, so the converter has
/// produced every output frame of the segment). The margin is far longer than the sinc
/// filter's reach, so each kept frame is computed from the same input samples as in one
/// continuous run. Outputs are joined in order. Memory stays bounded: at most
/// `threads + 1` segments are held at once.
struct SegmentedLibsamplerateEngine: ResamplingEngine {
  let converter: ConverterType
  let threads: Int
  /// Input frames per segment, rounded up to a multiple of q; 0 picks a default.
  let requestedSegmentFrames: Int

  private var plan: Plan?
  private var channels = 1
  private var pool: WorkerPool?
  private var converters: [SampleRateConverter] = []
  /// Input not yet dispatched, starting at global input frame `pendingOrigin`.
  private var pending: [Float] = []
  /// Global input frame of `pending[0]`.
  private var pendingOrigin = 0
  /// Next segment to dispatch.
  private var nextSegment = 0
  private var inFlight: [Job] = []
  /// Output frames of segments already dispatched (all full but possibly the last).
  private var dispatchedOutputFrames = 0
  /// Seconds worker threads spent converting the segments collected so far.
  private var workerSeconds: Double = 0

  init(converter: ConverterType, threads: Int, segmentFrames: Int) {
    self.converter = converter
    self.threads = max(1, threads)
    self.requestedSegmentFrames = segmentFrames
  }

  /// The segmentation for one ratio.
  struct Plan {
    let rates: ResamplingRatio
    var p: Int { rates.p }
    var q: Int { rates.q }
    var ratio: Double { rates.value }
    let segmentFrames: Int
    let margin: Int
    /// Output frames a full segment yields: segmentFrames · p / q.
    var segmentOutputFrames: Int { segmentFrames / q * p }
  }

  /// The segmentation for `ratio`, or nil when it cannot pay off (q beyond 2^20 frames).
  static func plan(_ rates: ResamplingRatio, segmentFrames: Int) -> Plan? {
    guard rates.q <= 1 << 20 else { return nil }
    let ratio = rates.value
    // libsamplerate's widest filter (best) reaches 143/ratio input frames when downsampling
    // (coeff_half_len / increment = 340239 / 2381): about 400 at 16k/44.1k. 512/ratio is 3.6×
    // that; the tests demand ≤ 1e-6 against one converter for every converter and several ratios
    // (and fail with 16/ratio).
    let reach = Int((512 / min(ratio, 1)).rounded(.up))
    let margin = roundUp(reach, to: rates.q)
    let wanted = segmentFrames > 0 ? segmentFrames : max(131_072, 8 * margin)
    return Plan(rates: rates, segmentFrames: roundUp(wanted, to: rates.q), margin: margin)
  }

  var name: String { "libsamplerate \(converter.rawValue)" }
  var detail: String { ", segments on \(threads) threads" }
  /// The same samples as `LibsamplerateEngine`'s.
  var fingerprint: String { "resampler=libsamplerate-direct converter=\(converter.rawValue)" }

  func contribute(to report: inout PipelineReport) { report.resamplerWorkerSeconds += workerSeconds }

  mutating func prepare(_ ratio: ResamplingRatio, channels: Int) throws {
    guard let plan = Self.plan(ratio, segmentFrames: requestedSegmentFrames) else {
      throw DSPError.libraryFailure("no exact segmentation for \(ratio.inputRate) → \(ratio.outputRate) Hz")
    }
    self.plan = plan
    self.channels = channels
    converters = try (0..<threads).map { _ in
      try SampleRateConverter(type: converter, channels: channels, ratio: plan.ratio)
    }
    pool = WorkerPool(count: threads)
    reset()
  }

  mutating func process(_ chunk: inout AudioChunk, length: OutputLength) throws {
    guard let plan else { return }
    pending.append(contentsOf: chunk.samples)
    chunk.removeAll()
    // Dispatch every segment whose look-ahead has arrived.
    while pendingOrigin + pending.count / channels >= segmentEnd(nextSegment, plan) + plan.margin {
      try dispatch(final: false, length: length, plan)
      // Keep the pool busy but bounded: wait for the oldest when enough are queued.
      while inFlight.count > threads { try collect(into: &chunk) }
    }
  }

  mutating func drain(into chunk: inout AudioChunk, length: OutputLength) throws {
    guard let plan else { return }
    try dispatch(final: true, length: length, plan)
    while !inFlight.isEmpty { try collect(into: &chunk) }
  }

  mutating func reset() {
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
  private mutating func dispatch(final: Bool, length: OutputLength, _ plan: Plan) throws {
    let channels = self.channels
    let start = segmentStart(nextSegment, plan)
    let feedStart = max(0, start - plan.margin)
    let available = pendingOrigin + pending.count / channels
    let feedEnd = final ? available : segmentEnd(nextSegment, plan) + plan.margin
    let warmUpOutput = (start - feedStart) / plan.q * plan.p
    var input = Array(pending[((feedStart - pendingOrigin) * channels)..<((feedEnd - pendingOrigin) * channels)])
    let keepOutput: Int
    if final {
      // The node's length rule, and the silence padding of the one-converter engine.
      keepOutput = max(0, length.expectedOutputFrames - dispatchedOutputFrames)
      input.append(contentsOf: [Float](repeating: 0, count: LibsamplerateEngine.silencePadFrames(length) * channels))
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


