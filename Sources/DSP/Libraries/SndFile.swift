import CSndFile
import Glibc

/// Every libsndfile call `DSP` makes, in one place; the handle is freed on deinit.
final class SndFile {
  private(set) var handle: OpaquePointer?
  var info: SF_INFO

  private init(handle: OpaquePointer, info: SF_INFO) {
    self.handle = handle
    self.info = info
  }

  deinit { if let handle { sf_close(handle) } }

  /// `sf_open`; on failure, libsndfile's own reason.
  static func open(path: String, mode: Int32, info: SF_INFO) -> Result<SndFile, SndFileMessage> {
    opening(info) { info in PathBytes.withPath(path) { sf_open($0, mode, &info) } }
  }

  /// `sf_open_fd` without taking ownership of the descriptor.
  static func open(fd: Int32, mode: Int32, info: SF_INFO) -> Result<SndFile, SndFileMessage> {
    opening(info) { info in sf_open_fd(fd, mode, &info, 0) }
  }

  /// `sf_open_virtual` writing onto an `OutputFile`, which must outlive the handle. Every write
  /// goes through `OutputFile.writeAll`, so a failure libsndfile would ignore is still kept.
  static func open(output: OutputFile, info: SF_INFO) -> Result<SndFile, SndFileMessage> {
    var io = OutputFile.virtualIO
    let user = Unmanaged.passUnretained(output).toOpaque()
    return opening(info) { info in sf_open_virtual(&io, Int32(SFM_WRITE), &info, user) }
  }

  /// `sf_open_virtual` over a `PipeReader`, which must outlive the handle.
  static func open(pipe: PipeReader, info: SF_INFO) -> Result<SndFile, SndFileMessage> {
    var io = PipeReader.virtualIO
    let user = Unmanaged.passUnretained(pipe).toOpaque()
    return opening(info) { info in sf_open_virtual(&io, Int32(SFM_READ), &info, user) }
  }

  /// libsndfile keeps the reason an open failed in one process-wide variable, which every
  /// other open resets (`sf_error(NULL)`): read after the lock is released, another thread's
  /// open could turn "Format not recognised" into "No Error" and skip the FFmpeg fallback (#16).
  /// Every open, and the reading of its reason, happens under this lock. Only regular files,
  /// pipes already opened by the caller and outputs are opened, so the lock is held briefly;
  /// a pipe's header read waits for the writer, and holds back only other opens.
  private static let openLock = MonitorLock(processWide: true)

  /// Runs one `sf_open*` under `openLock`, taking its reason before any other open can run.
  private static func opening(
    _ info: SF_INFO, _ open: (inout SF_INFO) -> OpaquePointer?
  ) -> Result<SndFile, SndFileMessage> {
    var info = info
    return openLock.withLock {
      guard let handle = open(&info) else { return .failure(lastError()) }
      return .success(SndFile(handle: handle, info: info))
    }
  }

  /// `sf_open_virtual` over a `BufferedFileReader`, which must outlive the handle.
  static func open(reader: BufferedFileReader, info: SF_INFO) -> Result<SndFile, SndFileMessage> {
    var io = BufferedFileReader.virtualIO
    let user = Unmanaged.passUnretained(reader).toOpaque()
    return opening(info) { info in sf_open_virtual(&io, Int32(SFM_READ), &info, user) }
  }

  /// Whether libsndfile can write `info` (`sf_format_check`).
  static func canWrite(_ info: SF_INFO) -> Bool {
    var info = info
    return sf_format_check(&info) != 0
  }

  /// The version string of the libsndfile in use.
  static var libraryVersion: String { String(cString: sf_version_string()) }

  private static func lastError() -> SndFileMessage {
    SndFileMessage(String(cString: sf_strerror(nil)), code: sf_error(nil))
  }

  /// libsndfile's message for the last error on this handle.
  var errorMessage: String { String(cString: sf_strerror(handle)) }
  var errorCode: Int32 { sf_error(handle) }

  /// What libsndfile noted while parsing the header (`SFC_GET_LOG_INFO`), one item a line.
  var logInfo: String {
    var buffer = [CChar](repeating: 0, count: 16384)
    let length = buffer.withUnsafeMutableBytes { bytes in
      sf_command(handle, Int32(SFC_GET_LOG_INFO), bytes.baseAddress, Int32(bytes.count - 1))
    }
    guard length > 0 else { return "" }
    return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  func readFrames(_ buffer: UnsafeMutablePointer<Float>, frames: Int) -> Int {
    Int(sf_readf_float(handle, buffer, sf_count_t(frames)))
  }

  func writeFloat(_ buffer: UnsafePointer<Float>, samples: Int) -> Int {
    Int(sf_write_float(handle, buffer, sf_count_t(samples)))
  }

  func writeShort(_ buffer: UnsafePointer<Int16>, samples: Int) -> Int {
    Int(sf_write_short(handle, buffer, sf_count_t(samples)))
  }

  func writeInt(_ buffer: UnsafePointer<Int32>, samples: Int) -> Int {
    Int(sf_write_int(handle, buffer, sf_count_t(samples)))
  }

  /// `sf_command` with a boolean argument.
  @discardableResult
  func command(_ command: Int32, _ flag: Bool) -> Int32 {
    sf_command(handle, command, nil, flag ? 1 : 0)
  }

  /// Closes now and reports libsndfile's error, if any (a full disk shows up here).
  func close() -> Int32 {
    guard let handle else { return 0 }
    self.handle = nil
    return sf_close(handle)
  }
}

/// libsndfile's text for an error, and its code (`SF_ERR_UNRECOGNISED_FORMAT`, …).
struct SndFileMessage: Error {
  let text: String
  let code: Int32
  init(_ text: String, code: Int32 = 0) {
    self.text = text
    self.code = code
  }

  /// No reader of libsndfile's claimed the bytes (rather than one finding them broken).
  var isUnrecognisedFormat: Bool { code == Int32(SF_ERR_UNRECOGNISED_FORMAT) }
}

extension OutputFile {
  /// libsndfile's virtual I/O onto this output's descriptor.
  static var virtualIO: SF_VIRTUAL_IO {
    SF_VIRTUAL_IO(
      get_filelen: { user in
        let output = Unmanaged<OutputFile>.fromOpaque(user!).takeUnretainedValue()
        output.flush()
        return Descriptor.status(of: output.descriptor).map { sf_count_t($0.size) } ?? -1
      },
      seek: { offset, whence, user in
        let output = Unmanaged<OutputFile>.fromOpaque(user!).takeUnretainedValue()
        output.flush()
        return (try? Descriptor.seek(output.descriptor, to: offset, from: whence)) ?? -1
      },
      read: { pointer, count, user in
        let output = Unmanaged<OutputFile>.fromOpaque(user!).takeUnretainedValue()
        output.flush()
        return sf_count_t((try? Descriptor.read(output.descriptor, into: UnsafeMutableRawBufferPointer(start: pointer, count: Int(count)))) ?? 0)
      },
      write: { pointer, count, user in
        let output = Unmanaged<OutputFile>.fromOpaque(user!).takeUnretainedValue()
        return sf_count_t(output.writeAll(UnsafeRawBufferPointer(start: pointer, count: Int(count))))
      },
      tell: { user in
        let output = Unmanaged<OutputFile>.fromOpaque(user!).takeUnretainedValue()
        output.flush()
        return (try? Descriptor.seek(output.descriptor, to: 0, from: SEEK_CUR)) ?? -1
      })
  }
}
