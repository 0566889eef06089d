import CFFmpeg
import Glibc

/// Keeps FFmpeg's log off standard error, and keeps the last error each watched context logged,
/// so that a failure can say what FFmpeg said ("moov atom not found") in audioprep's one line.
///
/// `av_log_set_callback` replaces FFmpeg's printing to standard error for the whole process; the
/// callback stores error-level lines of the demuxer and decoder contexts audioprep watches and
/// drops everything else.
enum FFmpegDiagnostics {
  private static let lock = MonitorLock(processWide: true)
  /// Watched context address → the last error-level line it logged.
  nonisolated(unsafe) private static var lastErrors: [UInt: String] = [:]
  /// Watched context address → how many error-level lines it logged.
  nonisolated(unsafe) private static var errorCounts: [UInt: Int] = [:]
  /// Watched demuxer address → stream index → packets it said were corrupt.
  nonisolated(unsafe) private static var corruptPackets: [UInt: [Int: CorruptPackets]] = [:]
  /// Thread → the watched demuxer reading on it (`reading`) and the codec of the stream read.
  nonisolated(unsafe) private static var readers: [pthread_t: (demuxer: UInt, codec: AVCodecID)] = [:]
  /// Watched demuxer address → error lines its stream's parser logged, and the last.
  nonisolated(unsafe) private static var parserErrors: [UInt: (count: Int, last: String)] = [:]
  /// What libavformat's reading logs (as a warning) of a packet flagged corrupt, before a
  /// parser may take the flag off it: "Packet corrupt (stream = 0, dts = 1802)".
  private static let corruptPacket = "Packet corrupt (stream = "

  private static let installed: Bool = {
    ff.av_log_set_callback!({ context, level, format, arguments in
      guard let format, let arguments else { return }
      let corrupt = level == AV_LOG_WARNING && strncmp(format, FFmpegDiagnostics.corruptPacket, FFmpegDiagnostics.corruptPacket.utf8.count) == 0
      guard level <= AV_LOG_ERROR || corrupt else { return }
      // A line of no context, logged while a watched demuxer reads on this thread, is the
      // demuxer's (Matroska's "Truncating packet of size 250222 to 65890": a block's size
      // damaged, a fifth of the audio gone from a file without a word, review45 H04).
      guard let context else {
        guard level <= AV_LOG_ERROR, let reader = FFmpegDiagnostics.lock.withLock({ FFmpegDiagnostics.readers[pthread_self()] }),
          let text = FFmpegDiagnostics.firstLine(nil, level, format, arguments)
        else { return }
        FFmpegDiagnostics.keepError(text, of: reader.demuxer)
        return
      }
      var key = UInt(bitPattern: context)
      // A context not watched, logging while a watched demuxer reads on this thread: the
      // parser of one of its streams, on the stream's own codec context ("[NULL @ …] Error
      // parsing Opus packet header": a packet dropped, review45 H08). Kept for the demuxer when
      // it is the stream read's codec.
      var parser = false
      let watched = FFmpegDiagnostics.lock.withLock { () -> Bool in
        if FFmpegDiagnostics.lastErrors[key] != nil { return true }
        guard level <= AV_LOG_ERROR, let reader = FFmpegDiagnostics.readers[pthread_self()] else { return false }
        parser = true
        key = reader.demuxer
        return FFmpegDiagnostics.isCodecContext(context, of: reader.codec)
      }
      guard watched, let text = FFmpegDiagnostics.firstLine(context, level, format, arguments) else { return }
      if parser {
        FFmpegDiagnostics.lock.withLock {
          if FFmpegDiagnostics.lastErrors[key] != nil { FFmpegDiagnostics.parserErrors[key] = ((FFmpegDiagnostics.parserErrors[key]?.count ?? 0) + 1, text) }
        }
        return
      }
      if corrupt {
        guard let range = text.firstRange(of: FFmpegDiagnostics.corruptPacket),
          let stream = Int(text[range.upperBound...].prefix { $0.isNumber })
        else { return }
        // (Packets without a timestamp, "dts = NOPTS", are one key: counted once, as a VOB's.)
        let dts = text.firstRange(of: "dts = ").flatMap { start in
          text[start.upperBound...].hasPrefix("NOPTS") ? Int64.min : Int64(text[start.upperBound...].prefix { $0.isNumber || $0 == "-" })
        }
        FFmpegDiagnostics.lock.withLock {
          if FFmpegDiagnostics.lastErrors[key] != nil { FFmpegDiagnostics.corruptPackets[key, default: [:]][stream, default: CorruptPackets()].add(dts: dts) }
        }
        return
      }
      FFmpegDiagnostics.keepError(text, of: key)
    })
    return true
  }()

  /// The first line of what a log call says, as FFmpeg formats it (its context's prefix
  /// included); nil when empty.
  private static func firstLine(
    _ context: UnsafeMutableRawPointer?, _ level: Int32, _ format: UnsafePointer<CChar>, _ arguments: CVaListPointer
  ) -> String? {
    var line = [CChar](repeating: 0, count: 512)
    var printPrefix: Int32 = 0
    _ = ff.av_log_format_line2!(context, level, format, arguments, &line, Int32(line.count), &printPrefix)
    let text = line.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }.split(separator: "\n").first.map(String.init) ?? ""
    return text.isEmpty ? nil : text
  }

  /// `text` as the latest error line of the watched context `key`, counted (nothing once unwatched).
  private static func keepError(_ text: String, of key: UInt) {
    lock.withLock {
      if lastErrors[key] != nil {
        lastErrors[key] = text
        errorCounts[key, default: 0] += 1
      }
    }
  }

  /// Whether the logging `context` is a codec context (its class's name) of `codec`.
  private static func isCodecContext(_ context: UnsafeMutableRawPointer, of codec: AVCodecID) -> Bool {
    guard let avClass = context.assumingMemoryBound(to: UnsafePointer<AVClass>?.self).pointee, let name = avClass.pointee.class_name,
      strcmp(name, "AVCodecContext") == 0
    else { return false }
    return context.assumingMemoryBound(to: AVCodecContext.self).pointee.codec_id == codec
  }

  /// Runs `body` (a demuxer's read) with `demuxer` reading on this thread: error lines of the
  /// parser of its stream of `codec` are kept for it (`parserComplaints`).
  static func reading<R>(_ demuxer: UnsafeMutablePointer<AVFormatContext>, codec: AVCodecID, _ body: () -> R) -> R {
    lock.withLock { readers[pthread_self()] = (UInt(bitPattern: demuxer), codec) }
    defer { lock.withLock { _ = readers.removeValue(forKey: pthread_self()) } }
    return body()
  }

  /// Error lines the parser of the stream read logged while `demuxer` read (`reading`), and the last.
  static func parserComplaints(_ demuxer: UnsafeMutablePointer<AVFormatContext>) -> (count: Int, last: String?) {
    lock.withLock { parserErrors[UInt(bitPattern: demuxer)].map { ($0.count, $0.last) } ?? (0, nil) }
  }

  /// Routes FFmpeg's log through audioprep (once per process).
  static func install() { _ = installed }

  /// Starts keeping `context`'s errors (an `AVFormatContext` or `AVCodecContext`).
  /// `corrupt`: the packets it said were corrupt while watched before (`capturing`), which
  /// are not counted again when it reads them again.
  static func watch<T>(_ context: UnsafeMutablePointer<T>, corrupt: [Int: CorruptPackets] = [:]) {
    lock.withLock {
      lastErrors[UInt(bitPattern: context)] = ""
      errorCounts[UInt(bitPattern: context)] = 0
      if !corrupt.isEmpty { corruptPackets[UInt(bitPattern: context)] = corrupt }
    }
  }

  /// The packets of a stream a demuxer said were corrupt, each counted once by its timestamp
  /// (review47 W02: a file's demuxer reads some packets three times — finding the streams, its
  /// length from the end, then in turn — and said one lost packet "2 packets corrupt" where a
  /// pipe said 1). Up to `remembered` timestamps are held; past them each saying counts.
  struct CorruptPackets {
    private(set) var count = 0
    private var seen: Set<Int64> = []
    private static let remembered = 4096

    mutating func add(dts: Int64?) {
      if let dts, seen.count < Self.remembered || seen.contains(dts) {
        if seen.insert(dts).inserted { count += 1 }
      } else {
        count += 1
      }
    }
  }

  static func unwatch<T>(_ context: UnsafeMutablePointer<T>) {
    lock.withLock {
      lastErrors.removeValue(forKey: UInt(bitPattern: context))
      errorCounts.removeValue(forKey: UInt(bitPattern: context))
      corruptPackets.removeValue(forKey: UInt(bitPattern: context))
      parserErrors.removeValue(forKey: UInt(bitPattern: context))
    }
  }

  /// How many packets of `stream` the demuxer `context` said were corrupt since it was watched.
  static func corruptPacketCount<T>(_ context: UnsafeMutablePointer<T>, stream: Int) -> Int {
    lock.withLock { corruptPackets[UInt(bitPattern: context)]?[stream]?.count ?? 0 }
  }

  /// How many error lines `context` logged since it was watched (a decoder's "CRC error"s).
  static func errorCount<T>(_ context: UnsafeMutablePointer<T>) -> Int {
    lock.withLock { errorCounts[UInt(bitPattern: context)] ?? 0 }
  }

  /// The last error line `context` logged since it was watched, if any.
  static func lastMessage<T>(_ context: UnsafeMutablePointer<T>) -> String? {
    lock.withLock { lastErrors[UInt(bitPattern: context)].flatMap { $0.isEmpty ? nil : $0 } }
  }

  /// Runs `body` with `context` watched; returns its result, the last error it logged and the
  /// packets it said were corrupt, by stream (those a demuxer reads ahead to find its streams').
  /// The context is unwatched afterwards (FFmpeg may have freed it).
  static func capturing<T>(
    _ context: UnsafeMutablePointer<T>, _ body: (UnsafeMutablePointer<T>) -> Int32
  ) -> (result: Int32, message: String?, corruptPackets: [Int: CorruptPackets]) {
    watch(context)
    let result = body(context)
    let message = lastMessage(context)
    let corrupt = lock.withLock { corruptPackets[UInt(bitPattern: context)] ?? [:] }
    unwatch(context)
    return (result, message, corrupt)
  }
}

/// FFmpeg's libraries, loaded on first use (`cffmpeg_load`): an input libsndfile reads never
/// maps them, which keeps libavcodec's codec libraries out of memory.
enum FFmpegLibrary {
  private static let loaded: Result<cffmpeg_api, LoadFailure> = {
    var api = cffmpeg_api()
    if let failure = cffmpeg_load(&api) { return .failure(LoadFailure(reason: String(cString: failure))) }
    // No single allocation beyond 64 MiB: a header claiming millions of samples (a fragmented
    // MP4's trun count) fails to parse instead of costing gigabytes. Audio packets are far
    // smaller; memory does not follow header claims.
    api.av_max_alloc!(64 << 20)
    return .success(api)
  }()

  /// The libraries could not be loaded (not installed, or another major version).
  struct LoadFailure: Error {
    var reason: String
    var message: String { "FFmpeg's libraries cannot be loaded (\(reason))" }
  }

  /// The function table; throws when the libraries are missing.
  static func load() throws(LoadFailure) -> cffmpeg_api { try loaded.get() }
}

/// The loaded function table, for code that runs only once `FFmpegLibrary.load()` succeeded.
var ff: cffmpeg_api { try! FFmpegLibrary.load() }
