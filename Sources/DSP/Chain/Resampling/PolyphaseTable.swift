/// libsamplerate's sinc converter for one rational ratio, measured as `p` coefficient vectors.
///
/// For out/in = p/q in lowest terms (16000/44100 = 160/441), a sinc converter is linear and
/// periodic: output frame m is a weighted sum of the input frames around m·q/p, with weights that
/// depend only on the phase m mod p. With zero history before the stream (libsamplerate's start)
/// and silence after it (what `LibsamplerateEngine` pads with):
///
///     y[m] = Σ_i taps[m mod p][i] · x[⌊m·q/p⌋ + firstTap + i]
///
/// The weights are read off libsamplerate itself (`probe`): impulses far enough apart that
/// their responses do not overlap, one for every residue of the input position modulo q, give
/// every (phase, tap) pair exactly once. Nothing of libsamplerate's filters is copied into code;
/// a new libsamplerate version is measured anew.
///
/// Immutable after `init`, so one table serves any number of streams and threads at once.
public final class PolyphaseTable: @unchecked Sendable {
  public let converter: ConverterType
  /// Output frames per period.
  public let p: Int
  /// Input frames per period.
  public let q: Int
  /// Input offset of tap 0 relative to ⌊m·q/p⌋ (negative: the filter reaches back).
  let firstTap: Int
  /// Taps per phase: the measured reach plus zero taps in front, to a multiple of 16.
  public let stride: Int
  /// Input frames past ⌊m·q/p⌋ that output m depends on (the filter's look-ahead).
  let lastTap: Int
  /// p rows of `stride` taps.
  let taps: UnsafeMutablePointer<Float>
  /// ⌊(φ+1)·q/p⌋ − ⌊φ·q/p⌋ for each phase φ: how far the input advances after an output.
  let steps: UnsafeMutablePointer<Int>

  /// The largest period the engine takes: beyond it the table and its probing cost more than
  /// they save (44056 → 16000 Hz, p = 2000, still fits).
  public static let maxPhases = 4096
  /// The largest table in taps (8 MiB of Float).
  public static let maxTaps = 1 << 21
  /// The longest probe signal, in input frames (a few seconds of libsamplerate's best).
  static let maxProbeFrames = 1 << 23

  /// Whether a table reproduces `converter` at `ratio`: a sinc converter, a period p of at most
  /// `maxPhases` output frames, a table of at most `maxTaps` taps, a probe of at most a few
  /// seconds. zoh and linear never, nor equal rates.
  public static func supports(converter: ConverterType, ratio: ResamplingRatio) -> Bool {
    guard converter.isSinc, !ratio.isIdentity else { return false }
    let (p, q) = (ratio.p, ratio.q)
    let taps = 2 * estimatedHalfReach(converter: converter, p: p, q: q) + 1
    return p <= maxPhases && p * taps <= maxTaps && q * (taps + 8) <= maxProbeFrames
  }

  /// Where a table came from, for `describe`.
  public enum Origin: Sendable, Equatable {
    /// Measured from libsamplerate in this process, in `seconds`.
    case measured(seconds: Double)
    /// Read from the persistent cache (`PolyphaseTableStore`), in `seconds`.
    case stored(seconds: Double)
  }
  public let origin: Origin

  /// Measures `converter` at out/in = p/q.
  convenience init(converter: ConverterType, p: Int, q: Int, threads: Int = 1) throws {
    let started = monotonicSeconds()
    let (reachStart, reachEnd) = try Self.reach(converter: converter, p: p, q: q)
    let width = reachEnd - reachStart + 1
    var measured = [Float](repeating: 0, count: p * width)
    try measured.withUnsafeMutableBufferPointer {
      try Self.probe(
        converter: converter, p: p, q: q, reachStart: reachStart, reachEnd: reachEnd, threads: threads,
        into: $0.baseAddress!)
    }
    // The widened reach must end in silence on both sides, or responses overlapped.
    let used = (0..<width).filter { i in (0..<p).contains { measured[$0 * width + i] != 0 } }
    guard let low = used.first, let high = used.last, low > 0, high < width - 1 else {
      throw DSPError.libraryFailure(
        "libsamplerate's \(converter.rawValue) filter reaches further than measured at \(p)/\(q)")
    }
    let stride = roundUp(high - low + 1, to: 16)
    let lastTap = reachStart + high
    let firstTap = lastTap - stride + 1
    var taps = [Float](repeating: 0, count: p * stride)
    for phase in 0..<p {
      for i in low...high { taps[phase * stride + reachStart + i - firstTap] = measured[phase * width + i] }
    }
    self.init(
      converter: converter, p: p, q: q, firstTap: firstTap, stride: stride, taps: taps,
      origin: .measured(seconds: monotonicSeconds() - started))
  }

  /// A table from its parts (`p` rows of `stride` taps, tap 0 at input offset `firstTap`), as
  /// measured.
  convenience init(converter: ConverterType, p: Int, q: Int, firstTap: Int, stride: Int, taps: [Float], origin: Origin) {
    precondition(taps.count == p * stride, "a malformed table")
    let owned = Self.allocateTaps(p * stride)
    taps.withUnsafeBufferPointer { owned.initialize(from: $0.baseAddress!, count: p * stride) }
    self.init(converter: converter, p: p, q: q, firstTap: firstTap, stride: stride, owning: owned, origin: origin)
  }

  /// Room for `count` taps, on a 64-byte boundary: rows of `stride` taps (a multiple of 16) then
  /// each start on a cache line, and none of the kernel's 32-byte loads of a row straddles two.
  /// `allocate(capacity:)` gave malloc's 16-byte alignment (a table read from the cache sat 16
  /// bytes past a page, `mmap`'s chunk header): half the loads straddled, and the AVX2 kernel
  /// took about 15 % longer for the same sums (issue 22).
  static func allocateTaps(_ count: Int) -> UnsafeMutablePointer<Float> {
    UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.size, alignment: 64)
      .bindMemory(to: Float.self, capacity: count)
  }

  /// A table that takes over `taps` (p · stride, allocated with `allocateTaps`), as read back
  /// from the cache straight into it.
  init(converter: ConverterType, p: Int, q: Int, firstTap: Int, stride: Int, owning taps: UnsafeMutablePointer<Float>, origin: Origin) {
    precondition(p > 0 && q > 0 && stride > 0 && stride % 16 == 0, "a malformed table")
    self.converter = converter
    self.p = p
    self.q = q
    self.firstTap = firstTap
    self.stride = stride
    self.lastTap = firstTap + stride - 1
    self.origin = origin
    self.steps = .allocate(capacity: p)
    for phase in 0..<p { steps[phase] = (phase + 1) * q / p - phase * q / p }
    self.taps = taps
  }

  /// Seconds the table took to be measured or read.
  public var buildSeconds: Double {
    switch origin {
    case .measured(let seconds), .stored(let seconds): seconds
    }
  }

  /// The taps, `p` rows of `stride`, row by row.
  var allTaps: UnsafeBufferPointer<Float> { UnsafeBufferPointer(start: taps, count: p * stride) }

  deinit {
    taps.deallocate()
    steps.deallocate()
  }

  /// Table size in bytes.
  public var bytes: Int { p * stride * MemoryLayout<Float>.size }

  /// ⌊m·q/p⌋: the last input frame at or before output instant m.
  @inline(__always) func base(_ m: Int) -> Int { m * q / p }

  /// Output frames whose inputs all lie below `inputFrames` (counting silence fed at the end).
  func outputsReady(inputFrames: Int) -> Int {
    let last = inputFrames - 1 - lastTap  // the largest ⌊m·q/p⌋ allowed
    return last < 0 ? 0 : ((last + 1) * p - 1) / q + 1
  }

  /// The reach of the filter, in input frames relative to ⌊m·q/p⌋, from one impulse, widened
  /// each side by the output spacing q/p plus two frames: output instants sample the impulse's
  /// response only every q/p input frames, and the reach varies by one frame between phases.
  private static func reach(converter: ConverterType, p: Int, q: Int) throws -> (Int, Int) {
    let guess = estimatedHalfReach(converter: converter, p: p, q: q)
    let impulse = 4 * guess + 64
    var input = [Float](repeating: 0, count: 2 * impulse + 1)
    input[impulse] = 1
    let output = try resample(input, converter: converter, p: p, q: q)
    guard let first = output.firstIndex(where: { $0 != 0 }), let last = output.lastIndex(where: { $0 != 0 }),
      first > 0, last < output.count - 1
    else {
      throw DSPError.libraryFailure("libsamplerate's \(converter.rawValue) filter could not be measured at \(p)/\(q)")
    }
    let margin = (q + p - 1) / p + 2
    return (impulse - last * q / p - margin, impulse - first * q / p + margin)
  }

  /// The probe's shape: its q impulses are split into `probeGroups` groups, each on a channel
  /// of its own in one of `probeStreams` libsamplerate streams. libsamplerate interpolates each
  /// coefficient once for all channels of a stream (its six-channel loop), so six groups cost
  /// little more than one. Fixed numbers: the table is the same whatever the number of threads
  /// measuring it.
  static let probeStreams = 2
  static let probeChannels = 6

  /// Feeds impulses `spacing` frames apart, one per residue modulo q, and writes every output
  /// within reach of an impulse to `measured[phase · width + offset − reachStart]`, where offset
  /// is the impulse's position relative to ⌊m·q/p⌋.
  private static func probe(
    converter: ConverterType, p: Int, q: Int, reachStart: Int, reachEnd: Int, threads: Int,
    into measured: UnsafeMutablePointer<Float>
  ) throws {
    // Responses of impulses `spacing` apart never overlap; gcd(spacing, q) = 1 makes the
    // positions of q impulses cover every residue modulo q.
    let width = reachEnd - reachStart + 1
    var spacing = width
    while gcd(spacing, q) != 1 { spacing += 1 }
    let start = max(0, reachEnd) + 1
    let groups = min(probeStreams * probeChannels, q)
    let streams = min(probeStreams, groups)
    let channels = (groups + streams - 1) / streams
    // Group g holds impulses s in first(g) ..< first(g + 1); the k-th sits at
    // start + k·spacing + offset(g), which has the residue of start + s·spacing modulo q.
    let first = { (group: Int) in q * group / groups }
    let offset = { (group: Int) in first(group) * spacing % q }
    let results = ProbeResults(groups: streams)
    let measure = { (stream: Int) in
      let members = (stream * channels)..<min(groups, (stream + 1) * channels)
      let longest = members.map { first($0 + 1) - first($0) }.max() ?? 0
      let frames = start + longest * spacing + q + max(0, -reachStart) + 1
      var input = [Float](repeating: 0, count: frames * channels)
      for (channel, group) in members.enumerated() {
        for k in 0..<(first(group + 1) - first(group)) {
          input[(start + k * spacing + offset(group)) * channels + channel] = 1
        }
      }
      do {
        let output = try resample(input, channels: channels, converter: converter, p: p, q: q)
        var recorded = 0
        for (channel, group) in members.enumerated() {
          for k in 0..<(first(group + 1) - first(group)) {
            let j = start + k * spacing + offset(group)
            // Outputs m with reachStart ≤ j − ⌊m·q/p⌋ ≤ reachEnd.
            var m = ((j - reachEnd) * p + q - 1) / q
            while m * q / p <= j - reachStart {
              measured[m % p * width + j - m * q / p - reachStart] = output[m * channels + channel]
              recorded += 1
              m += 1
            }
          }
        }
        results.set(stream, recorded: recorded)
      } catch {
        results.set(stream, error: error)
      }
    }
    PartClaims.run(
      parts: streams, pool: threads > 1 ? SharedWorkers.pool(workers: threads - 1) : nil, helpers: threads - 1,
      measure)
    if let error = results.error { throw error }
    guard results.recorded == p * width else {
      throw DSPError.libraryFailure("libsamplerate probe at \(p)/\(q) missed (phase, tap) pairs")
    }
  }

  /// libsamplerate's streaming engine over interleaved `input`, with the node's end of stream.
  private static func resample(_ input: [Float], channels: Int = 1, converter: ConverterType, p: Int, q: Int)
    throws -> [Float]
  {
    var node = Resampler(outputRate: p, engine: .libsamplerate(converter))
    _ = try node.prepare(StreamFormat(sampleRate: q, channels: channels))
    var chunk = AudioChunk(samples: input, channels: channels)
    try node.process(&chunk)
    try node.flush(&chunk)
    return chunk.samples
  }

  /// Half the filter's reach in input frames, from libsamplerate's filter lengths
  /// (coeff_half_len / index_inc: 2464/128, 22438/491, 340239/2381), stretched by q/p when
  /// downsampling. Only for limits and the first probe's size; the table is measured.
  static func estimatedHalfReach(converter: ConverterType, p: Int, q: Int) -> Int {
    let atUnity: Double
    switch converter {
    case .fastest: atUnity = 19.25
    case .medium: atUnity = 45.7
    case .best: atUnity = 142.9
    case .zoh, .linear: atUnity = 1
    }
    return Int(((atUnity + 2) * max(1, Double(q) / Double(p))).rounded(.up)) + 2
  }
}

/// Process-wide tables, one per (converter, p, q), so that a batch measures each ratio once.
///
/// Keyed by the reduced ratio: libsamplerate sees only out/in as a Double, and 32000/88200 and
/// 16000/44100 round to the same one. Thread-safe; a table is measured once even when several
/// streams ask for it at the same time (the others wait). Tables in use stay alive when the
/// cache lets go of them.
public final class PolyphaseTableCache: @unchecked Sendable {
  public static let shared = PolyphaseTableCache()

  private struct Key: Hashable {
    let converter: ConverterType
    let p: Int, q: Int
  }

  /// Process-wide: `shared` is every thread's (a forked child finds it unlocked).
  private let lock = MonitorLock(processWide: true)
  private var tables: [Key: PolyphaseTable] = [:]
  /// Bytes of all tables held; past `budgetBytes` the cache starts over.
  private var heldBytes = 0
  private let budgetBytes = 64 << 20

  /// Where tables are kept between processes; nil (the default): measured in every process.
  /// The command line sets `PolyphaseTableStore.fromEnvironment()`.
  public var store: PolyphaseTableStore? {
    get { lock.withLock { _store } }
    set { lock.withLock { _store = newValue } }
  }
  private var _store: PolyphaseTableStore?

  /// The table for `converter` at `ratio`: held, else read from the store, else measured on
  /// first use (and saved to the store). `threads` only speeds the measuring up; the table is
  /// the same for any count.
  public func table(converter: ConverterType, ratio: ResamplingRatio, threads: Int = 1) throws -> PolyphaseTable {
    let key = Key(converter: converter, p: ratio.p, q: ratio.q)
    return try lock.withLock {
      if let table = tables[key] { return table }
      let table: PolyphaseTable
      if let stored = _store?.load(converter: converter, p: key.p, q: key.q) {
        table = stored
      } else {
        table = try PolyphaseTable(converter: converter, p: key.p, q: key.q, threads: threads)
        _store?.save(table)
      }
      if heldBytes + table.bytes > budgetBytes {
        tables = [:]
        heldBytes = 0
      }
      tables[key] = table
      heldBytes += table.bytes
      return table
    }
  }
}

/// What the probe's groups report, from whichever thread ran them.
private final class ProbeResults: @unchecked Sendable {
  private let lock = MonitorLock()
  private var counts: [Int]
  private var errors: [Error?]

  init(groups: Int) {
    counts = Array(repeating: 0, count: groups)
    errors = Array(repeating: nil, count: groups)
  }

  func set(_ group: Int, recorded: Int = 0, error: Error? = nil) {
    lock.withLock {
      counts[group] = recorded
      errors[group] = error
    }
  }

  var recorded: Int { lock.withLock { counts.reduce(0, +) } }
  var error: Error? { lock.withLock { errors.compactMap { $0 }.first } }
}
