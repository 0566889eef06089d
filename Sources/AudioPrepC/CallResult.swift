import AudioPrepCommands
import DSP
import Glibc

/// What every C function shares: the options as Swift strings, the error as the command line's
/// exit code and line, samples in a buffer the caller frees (`audioprep_free`).
enum CallResult {
  /// The `count` C strings at `options` (any bytes: a path that is not UTF-8 stays exact).
  static func strings(_ options: UnsafePointer<UnsafePointer<CChar>?>?, count: Int32) -> [String] {
    guard let options, count > 0 else { return [] }
    return (0..<Int(count)).compactMap { options[$0].map(PathBytes.string(fromCString:)) }
  }

  /// Runs `body`; 0, or the exit code of its failure with its line in `*error` (malloc'd).
  static func code(error line: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, input: String, _ body: () throws -> Void) -> Int32 {
    _ = installTableStore
    do {
      try body()
      return 0
    } catch {
      let failure = LibraryRequest.failure(error, input: input)
      // A run into memory breaks no pipe; its code of 0 would read as success.
      line?.pointee = strdup(failure.line)
      return failure.code == 0 ? 74 : failure.code
    }
  }

  /// `lines` into `*warnings`, one a line ('\n' between them, malloc'd), or NULL for none.
  static func deliver(warnings lines: [String], to warnings: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) {
    warnings?.pointee = lines.isEmpty ? nil : strdup(lines.joined(separator: "\n"))
  }

  /// `samples` in a buffer of malloc's (never NULL, even for none), for the caller to free.
  static func buffer(_ samples: [Float]) -> UnsafeMutablePointer<Float> {
    let buffer = malloc(max(1, samples.count) * MemoryLayout<Float>.stride)!.assumingMemoryBound(to: Float.self)
    samples.withUnsafeBufferPointer { source in
      if let base = source.baseAddress { buffer.update(from: base, count: source.count) }
    }
    return buffer
  }

  /// Polyphase tables kept between processes, as the command line keeps them
  /// (`PolyphaseTableStore.fromEnvironment`): set once, on the first call.
  private static let installTableStore: Void = {
    PolyphaseTableCache.shared.store = PolyphaseTableStore.fromEnvironment()
  }()
}
