import AudioPrepCommands
import DSP
import Glibc

/// What `audioprep info PATH --json OPTIONS…` prints for the file: 0 and `*json` (malloc'd,
/// free it), or the exit code and `*error`.
@_cdecl("audioprep_info")
public func audioprep_info(
  _ path: UnsafePointer<CChar>, _ options: UnsafePointer<UnsafePointer<CChar>?>?, _ optionCount: Int32,
  _ json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>, _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  let input = PathBytes.string(fromCString: path)
  return CallResult.code(error: error, input: input) {
    json.pointee = strdup(try LibraryRequest.infoJSON(file: input, options: CallResult.strings(options, count: optionCount)))
  }
}

/// audioprep's version line, as `audioprep --version` prints it (static: do not free).
@_cdecl("audioprep_version")
public func audioprep_version() -> UnsafePointer<CChar> { CallResult.version }

extension CallResult {
  /// Made once, never freed: callers hold it as long as the library is loaded.
  nonisolated(unsafe) static let version: UnsafePointer<CChar> = UnsafePointer(strdup(LibraryRequest.version)!)
}
