import AudioPrepCommands
import Glibc

/// The requests the options of earlier calls parsed to, kept by their option strings, one
/// cache a thread: argument-parser's parse costs ~3 ms a call (reflection over each of the
/// command line's options), as much as decoding and resampling a 3.6 s file, and a dataloader
/// calls with the same options every time. A thread's own, so no lock: a forked child (a
/// dataloader's worker) has the forking thread's, and no lock another thread held at the fork.
/// A parsed request is a value that depends on the options alone; a failing parse is not kept
/// (its line names the input).
final class ParsedRequests {
  private var byOptions: [[String]: LibraryRequest] = [:]
  /// Option sets kept before the cache starts again (a caller varying its options per call).
  private static let capacity = 32

  /// `LibraryRequest.parsing(options, input:)`, from this thread's cache when it has them.
  static func request(_ options: [String], input: String) throws -> LibraryRequest {
    let cache = forThisThread
    if let request = cache.byOptions[options] { return request }
    let request = try LibraryRequest.parsing(options, input: input)
    if cache.byOptions.count >= capacity { cache.byOptions.removeAll() }
    cache.byOptions[options] = request
    return request
  }

  private static var forThisThread: ParsedRequests {
    if let held = pthread_getspecific(key) { return Unmanaged<ParsedRequests>.fromOpaque(held).takeUnretainedValue() }
    let cache = ParsedRequests()
    pthread_setspecific(key, Unmanaged.passRetained(cache).toOpaque())
    return cache
  }

  /// Released with its thread.
  private static let key: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key) { held in
      if let held { Unmanaged<ParsedRequests>.fromOpaque(held).release() }
    }
    return key
  }()
}
