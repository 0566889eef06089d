/// A batch's time left, from how fast each kind of input (its extension) has been processed.
///
/// Bytes are the measure of work, but a byte of MP3 or FLAC costs several times a byte of WAV,
/// so each kind has its own speed: one worker's bytes per second over the inputs of that kind
/// processed (their bytes over their own wall time), or over all kinds until one of it is done.
/// The inputs in flight count what they have done at that speed (so with -j 2 the file still in
/// flight when the first finishes is not taken as no work done, which doubled the early ETA).
struct BatchETA {
  struct Kind {
    var remainingBytes: Int64 = 0
    var processedBytes: Int64 = 0
    var processedSeconds = 0.0
  }

  private(set) var kinds: [String: Kind] = [:]

  /// Every input of the batch: its path (for its kind) and bytes.
  init(inputs: [(path: String, bytes: Int64)]) {
    for input in inputs { kinds[Self.kind(input.path), default: Kind()].remainingBytes += input.bytes }
  }

  static func kind(_ path: String) -> String { PathName.fileExtension(path).lowercased() }

  /// An input is done; `processedSeconds` is its wall time when it was processed (not skipped or failed).
  mutating func finished(path: String, bytes: Int64, processedSeconds: Double?) {
    let kind = Self.kind(path)
    kinds[kind, default: Kind()].remainingBytes -= bytes
    if let processedSeconds, processedSeconds > 0 {
      kinds[kind]!.processedBytes += bytes
      kinds[kind]!.processedSeconds += processedSeconds
    }
  }

  /// Seconds left for `workers` at once, or nil before any input was processed.
  func seconds(inFlight: [(path: String, bytes: Int64, age: Double)], workers: Int) -> Double? {
    let bytes = kinds.values.reduce(0) { $0 + $1.processedBytes }
    let seconds = kinds.values.reduce(0) { $0 + $1.processedSeconds }
    guard bytes > 0, seconds > 0 else { return nil }
    let overall = Double(bytes) / seconds
    var total = 0.0
    for (name, kind) in kinds where kind.remainingBytes > 0 {
      let speed = kind.processedSeconds > 0 && kind.processedBytes > 0 ? Double(kind.processedBytes) / kind.processedSeconds : overall
      let doneInFlight = inFlight.filter { Self.kind($0.path) == name }.reduce(0.0) { $0 + min(Double($1.bytes), speed * $1.age) }
      total += max(0, Double(kind.remainingBytes) - doneInFlight) / speed
    }
    return total / Double(max(1, workers))
  }
}
