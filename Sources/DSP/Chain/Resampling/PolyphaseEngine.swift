import CPolyphase

/// The dot products' implementation of the polyphase engine. Both agree with libsamplerate to
/// ≤ 1e-6; each gives the same bytes for any thread count and block size, but they differ from
/// each other in the last bits (fused multiply-add rounds once).
public enum PolyphaseKernel: String, Sendable {
  /// `SIMD16<Float>` multiply and add: SSE on the default x86-64 target, runs anywhere.
  case portable
  /// AVX2 with fused multiply-add (C, `CPolyphase`), on CPUs that have them.
  case avx2

  /// avx2 when the CPU has AVX2 and FMA (cpuid, asked once), portable otherwise.
  public static let fastest: PolyphaseKernel = polyphase_has_avx2_fma() != 0 ? .avx2 : .portable
}

/// libsamplerate's sinc converters as a plain polyphase FIR: the same output (to ≤ 1e-6) at a
/// fraction of the cost, on any number of threads.
///
/// The coefficients are measured from libsamplerate at `prepare` (`PolyphaseTable`, cached for
/// the process), then each output frame is one dot product of a phase's taps with the input
/// around it, vectorised with `SIMD16<Float>` (SSE on the default x86-64 target) or, when cpuid
/// says the CPU has them, AVX2 and fused multiply-add (`PolyphaseKernel`). A block's
/// output range is split between `threads` threads; every frame is computed the same way
/// whichever thread computes it, so the output is byte-identical for any thread count and any
/// block size.
///
/// Zero history before the stream, silence after it (libsamplerate's own start, and the end
/// `LibsamplerateEngine` feeds), frames released as soon as the filter's reach of input has
/// arrived (no further look-ahead), and constant memory for any length.
struct PolyphaseEngine: ResamplingEngine {
  let converter: ConverterType
  let threads: Int
  /// The inner loop: `PolyphaseKernel.fastest` unless a test asks for the portable one.
  let kernel: PolyphaseKernel

  /// nil until `prepare`.
  private(set) var table: PolyphaseTable?
  private var pool: WorkerPool?
  private var channels = 1
  /// Output frames computed so far.
  private var rendered = 0
  /// Input history, one run of `capacity` frames per channel, holding input frames
  /// historyStart ..< historyStart + historyFrames (negative frames are the zero history).
  private var history: [Float] = []
  private var capacity = 0
  private var historyStart = 0
  private var historyFrames = 0
  private var scratch: [Float] = []
  /// Blocks still to render without waking the pool, after a block the workers did not speed up
  /// (they got to none of its parts, or the calling thread waited longer for theirs than one
  /// part takes: the other cores are busy and a worker was descheduled mid-part);
  /// `helperBackoff` is the next such pause, doubling while the workers keep missing.
  private var blocksWithoutHelpers = 0
  private var helperBackoff = 1

  init(converter: ConverterType, threads: Int, kernel: PolyphaseKernel) {
    self.converter = converter
    self.threads = max(1, threads)
    self.kernel = kernel == .avx2 ? .fastest : kernel
  }

  var name: String { "libsamplerate \(converter.rawValue)" }

  var detail: String {
    let table = self.table.map { table in
      let how =
        switch table.origin {
        case .measured(let seconds): "measured in \(Self.milliseconds(seconds))"
        case .stored(let seconds): "read from the table cache in \(Self.milliseconds(seconds))"
        }
      return ", polyphase \(table.p) phases × \(table.stride) taps \(how)"
    }
    return "\(table ?? ""), \(threads == 1 ? "one thread" : "\(threads) threads")"
  }

  /// "12 ms", "0.4 ms".
  private static func milliseconds(_ seconds: Double) -> String {
    let ms = seconds * 1000
    return ms >= 10 ? "\(Int(ms.rounded())) ms" : "\((ms * 10).rounded() / 10) ms"
  }

  var fingerprint: String { "resampler=libsamplerate-polyphase converter=\(converter.rawValue)" }

  mutating func prepare(_ ratio: ResamplingRatio, channels: Int) throws {
    self.channels = channels
    guard PolyphaseTable.supports(converter: converter, ratio: ratio) else {
      throw DSPError.libraryFailure(
        "no polyphase table for libsamplerate \(converter.rawValue) at \(ratio.inputRate) → \(ratio.outputRate) Hz")
    }
    table = try PolyphaseTableCache.shared.table(converter: converter, ratio: ratio, threads: threads)
    reset()
  }

  mutating func process(_ chunk: inout AudioChunk, length: OutputLength) throws {
    guard let table else { return }
    append(chunk.samples, frames: chunk.frameCount, table)
    render(upTo: min(length.expectedOutputFrames, table.outputsReady(inputFrames: length.inputFrames)), table)
    swap(&chunk.samples, &scratch)
  }

  /// Feeds the silence after the stream through the filter's look-ahead and emits the rest.
  mutating func drain(into chunk: inout AudioChunk, length: OutputLength) throws {
    guard let table else { return }
    appendSilence(frames: max(0, table.lastTap) + 1, table)
    render(upTo: length.expectedOutputFrames, table)
    chunk.samples.append(contentsOf: scratch)
  }

  mutating func reset() {
    rendered = 0
    guard let table else { return }
    // Zero history: input frames firstTap ..< 0.
    historyStart = min(0, table.firstTap)
    historyFrames = -historyStart
    if capacity < historyFrames + table.stride + 4096 || history.count != capacity * channels {
      capacity = max(capacity, historyFrames + table.stride + 4096)
      history = [Float](repeating: 0, count: capacity * channels)
    } else {
      history.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }
  }

  /// Makes room for `frames` more frames per channel: when they do not fit, drops what no later
  /// output needs and moves the rest to the front; grows only for a block larger than any before.
  private mutating func reserve(_ frames: Int, _ table: PolyphaseTable) {
    guard historyFrames + frames > capacity else { return }
    let unneeded = table.base(rendered) + table.firstTap - historyStart
    let drop = max(0, min(unneeded, historyFrames))
    let kept = historyFrames - drop
    let newCapacity = max(capacity, kept + frames)
    let (channels, oldCapacity) = (self.channels, capacity)
    if newCapacity == oldCapacity {
      history.withUnsafeMutableBufferPointer { buffer in
        for c in 0..<channels {
          let run = buffer.baseAddress! + c * oldCapacity
          run.update(from: run + drop, count: kept)
        }
      }
    } else {
      var grown = [Float](repeating: 0, count: newCapacity * channels)
      grown.withUnsafeMutableBufferPointer { target in
        history.withUnsafeBufferPointer { source in
          for c in 0..<channels {
            (target.baseAddress! + c * newCapacity).update(
              from: source.baseAddress! + c * oldCapacity + drop, count: kept)
          }
        }
      }
      history = grown
    }
    capacity = newCapacity
    historyStart += drop
    historyFrames = kept
  }

  /// Appends interleaved frames to the per-channel history.
  private mutating func append(_ samples: [Float], frames: Int, _ table: PolyphaseTable) {
    reserve(frames, table)
    let (channels, capacity, offset) = (self.channels, self.capacity, historyFrames)
    history.withUnsafeMutableBufferPointer { target in
      samples.withUnsafeBufferPointer { source in
        for c in 0..<channels {
          let run = target.baseAddress! + c * capacity + offset
          for i in 0..<frames { run[i] = source[i * channels + c] }
        }
      }
    }
    historyFrames += frames
  }

  private mutating func appendSilence(frames: Int, _ table: PolyphaseTable) {
    reserve(frames, table)
    let (channels, capacity, offset) = (self.channels, self.capacity, historyFrames)
    history.withUnsafeMutableBufferPointer { target in
      for c in 0..<channels { (target.baseAddress! + c * capacity + offset).update(repeating: 0, count: frames) }
    }
    historyFrames += frames
  }

  /// Computes outputs rendered ..< end into `scratch` (interleaved), split between
  /// the calling thread and the pool when the block is large enough to pay for it.
  private mutating func render(upTo end: Int, _ table: PolyphaseTable) {
    let first = rendered
    let count = max(0, end - first)
    scratch.removeAll(keepingCapacity: true)
    scratch.append(contentsOf: [Float](repeating: 0, count: count * channels))
    guard count > 0 else { return }
    let (channels, capacity, historyStart, kernel) = (self.channels, self.capacity, self.historyStart, self.kernel)
    // Parts of at least 256k multiply-adds (13–20 µs on one core), up to four per thread:
    // waking a worker on a VM costs about as much, so a 4096-frame block at medium (1486 outputs of
    // 256 taps at 44.1k → 16k) stays on the calling thread and best's (800 taps) is split.
    let parts = threads == 1 ? 1 : max(1, min(4 * threads, count * table.stride * channels / 262_144))
    let wakesHelpers = parts > 1 && blocksWithoutHelpers == 0
    // The pool's threads start with the first block worth splitting: a run that has none (medium
    // at 44.1k → 16k, a short file) starts no thread for them.
    if wakesHelpers && pool == nil { pool = SharedWorkers.pool(workers: threads - 1) }
    let pool = self.pool
    if parts > 1 && blocksWithoutHelpers > 0 { blocksWithoutHelpers -= 1 }
    var help = PartClaims.Help()
    let started = wakesHelpers ? monotonicSeconds() : 0
    history.withUnsafeBufferPointer { input in
      scratch.withUnsafeMutableBufferPointer { output in
        let input = input.baseAddress!, output = output.baseAddress!
        let render = { (part: Int) in
          let from = first + count * part / parts, to = first + count * (part + 1) / parts
          Self.render(
            table, kernel: kernel, input: input, capacity: capacity, historyStart: historyStart, channels: channels,
            outputs: from..<to, into: output + (from - first) * channels)
        }
        help = PartClaims.run(parts: parts, pool: wakesHelpers ? pool : nil, helpers: threads - 1, render)
      }
    }
    if wakesHelpers {
      let onePart = (monotonicSeconds() - started) / Double(parts)
      if help.parts > 0 && help.waitedSeconds <= onePart {
        helperBackoff = 1
      } else {
        blocksWithoutHelpers = helperBackoff
        helperBackoff = min(2 * helperBackoff, 256)
      }
    }
    rendered = end
  }

  /// The polyphase FIR for `outputs`, every channel, written interleaved to `output`.
  private static func render(
    _ table: PolyphaseTable, kernel: PolyphaseKernel, input: UnsafePointer<Float>, capacity: Int, historyStart: Int, channels: Int,
    outputs: Range<Int>, into output: UnsafeMutablePointer<Float>
  ) {
    let (p, stride, taps, steps) = (table.p, table.stride, UnsafePointer(table.taps), table.steps)
    var phase = outputs.lowerBound % p
    // Input frame of tap 0 for the current output, relative to the history's start.
    var start = table.base(outputs.lowerBound) + table.firstTap - historyStart
    if kernel == .avx2 {
      polyphase_render_avx2(
        taps, stride, steps, p, phase, start, input, capacity, channels, outputs.count, output)
      return
    }
    var out = output
    for _ in outputs {
      let row = taps + phase * stride
      for c in 0..<channels {
        out[c] = dot(row, input + c * capacity + start, count: stride)
      }
      out += channels
      start += steps[phase]
      phase += 1
      if phase == p { phase = 0 }
    }
  }
}

/// Σ taps[i] · x[i] for i < count (a multiple of 16), in two `SIMD16<Float>` accumulators: 32
/// partial sums keep Float's rounding well below 1e-6 for unit-range input. The order of the
/// additions is fixed, so the result does not depend on which thread computes it.
@inline(__always)
private func dot(_ taps: UnsafePointer<Float>, _ x: UnsafePointer<Float>, count: Int) -> Float {
  let a = UnsafeRawPointer(taps), b = UnsafeRawPointer(x)
  let bytes = count * MemoryLayout<Float>.size
  var sum0 = SIMD16<Float>(), sum1 = SIMD16<Float>()
  var offset = 0
  while offset + 128 <= bytes {
    sum0 += a.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
      * b.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
    sum1 += a.loadUnaligned(fromByteOffset: offset + 64, as: SIMD16<Float>.self)
      * b.loadUnaligned(fromByteOffset: offset + 64, as: SIMD16<Float>.self)
    offset += 128
  }
  if offset < bytes {
    sum0 += a.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
      * b.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
  }
  return (sum0 + sum1).sum()
}
