import CSndFile
import Glibc

/// Writes through libsndfile to a temporary file beside `path`, moved into place by `finish`.
///
/// Nothing ever appears under `path` unless the whole stream was written; `abort` (or a failed
/// `finish`) removes the temporary file. Without `overwrite`, an existing `path` is never
/// replaced, even if it appears while we write (the final step is `link`, which refuses).
public final class FileSink: AudioSink {
  /// The final path.
  public let path: String
  /// The temporary path written until `finish`.
  public let temporaryPath: String
  public let fileFormat: OutputFileFormat
  public let overwrite: Bool
  private let file: SndFile
  private var quantizer: SampleQuantizer
  private var shorts: [Int16] = []
  private var ints: [Int32] = []
  private var floats: [Float] = []
  private var done = false

  public var clippedSamples: Int { quantizer.clippedSamples }

  /// Creates the temporary file; refuses an existing `path` unless `overwrite`.
  public init(path: String, format: OutputFileFormat, stream: StreamFormat, overwrite: Bool) throws {
    self.path = path
    self.fileFormat = format
    self.overwrite = overwrite
    quantizer = SampleQuantizer(dither: format.dither)
    if !overwrite, Self.exists(path) {
      throw AudioIOError(.cannotCreateOutput, path: path, "already exists (use --force to replace it)")
    }
    guard let sfFormat = format.sfFormat(sampleRate: stream.sampleRate, channels: stream.channels) else {
      throw AudioIOError(
        .cannotCreateOutput, path: path,
        format.unsupportedReason(sampleRate: stream.sampleRate, channels: stream.channels) ?? "unsupported format")
    }
    temporaryPath = try Self.makeTemporaryPath(beside: path)
    var info = SF_INFO()
    info.samplerate = Int32(stream.sampleRate)
    info.channels = Int32(stream.channels)
    info.format = sfFormat
    switch SndFile.open(path: temporaryPath, mode: Int32(SFM_WRITE), info: info) {
    case .success(let file): self.file = file
    case .failure(let reason):
      unlink(temporaryPath)
      throw AudioIOError(.cannotCreateOutput, path: path, reason.text.trimmingTrailingPeriod)
    }
    if format.container == .wav { file.command(Int32(SFC_RF64_AUTO_DOWNGRADE), true) }
  }

  deinit { if !done { abort() } }

  public func write(_ chunk: AudioChunk) throws {
    let count = chunk.samples.count
    guard count > 0 else { return }
    let written: Int
    switch fileFormat.encoding {
    case _ where fileFormat.container.isLossy:
      quantizer.clamp(chunk.samples, into: &floats)
      written = floats.withUnsafeBufferPointer { file.writeFloat($0.baseAddress!, samples: count) }
    case .s16:
      quantizer.quantize16(chunk.samples, into: &shorts)
      written = shorts.withUnsafeBufferPointer { file.writeShort($0.baseAddress!, samples: count) }
    case .s24, .s32:
      quantizer.quantize32(chunk.samples, bits: fileFormat.encoding == .s24 ? 24 : 32, into: &ints)
      written = ints.withUnsafeBufferPointer { file.writeInt($0.baseAddress!, samples: count) }
    case .f32:
      written = chunk.samples.withUnsafeBufferPointer { file.writeFloat($0.baseAddress!, samples: count) }
    }
    guard written == count else {
      throw AudioIOError(.ioFailure, path: path, "write failed: \(writeFailure())")
    }
  }

  public func finish() throws {
    guard !done else { return }
    let status = file.close()
    guard status == 0 else {
      abort()
      throw AudioIOError(.ioFailure, path: path, "write failed: \(String(cString: sf_error_number(status)))")
    }
    done = true
    if overwrite {
      guard rename(temporaryPath, path) == 0 else {
        let reason = String(cString: strerror(errno))
        unlink(temporaryPath)
        throw AudioIOError(.cannotCreateOutput, path: path, reason)
      }
    } else {
      let linked = link(temporaryPath, path)
      let reason = linked == 0 ? "" : String(cString: strerror(errno))
      unlink(temporaryPath)
      guard linked == 0 else {
        throw AudioIOError(
          .cannotCreateOutput, path: path,
          errno == EEXIST ? "already exists (use --force to replace it)" : reason)
      }
    }
  }

  public func abort() {
    guard !done else { return }
    done = true
    _ = file.close()
    unlink(temporaryPath)
  }

  /// errno is the better reason when the disk is full; libsndfile's text otherwise.
  private func writeFailure() -> String {
    let code = errno
    return code != 0 ? String(cString: strerror(code)) : file.errorMessage
  }

  static func exists(_ path: String) -> Bool {
    var status = stat()
    return lstat(path, &status) == 0
  }

  /// ".NAME.audioprep-PID-RANDOM.tmp" in the target's directory, so the final rename stays on one
  /// file system. Fails early (73) when that directory does not exist or is not writable.
  private static func makeTemporaryPath(beside path: String) throws -> String {
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { String(path[...$0]) } ?? ""
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    let checkDirectory = directory.isEmpty ? "." : directory
    var status = stat()
    guard stat(checkDirectory, &status) == 0 else {
      throw AudioIOError(.cannotCreateOutput, path: path, "directory \(checkDirectory) does not exist")
    }
    guard (status.st_mode & S_IFMT) == S_IFDIR else {
      throw AudioIOError(.cannotCreateOutput, path: path, "\(checkDirectory) is not a directory")
    }
    guard access(checkDirectory, W_OK) == 0 else {
      throw AudioIOError(.cannotCreateOutput, path: path, "directory \(checkDirectory): \(String(cString: strerror(errno)))")
    }
    let tag = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    return "\(directory).\(name).audioprep-\(getpid())-\(tag).tmp"
  }
}
