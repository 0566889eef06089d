import AudioPrepCommands
import DSP

// The processed stream chunk by chunk, in constant memory (`AudioPipeline.pull`): open, take
// chunks until none is left, close. A stream is one caller's at a time; different streams run
// on different threads at once.

/// Opens `path` for streaming with the command line's `options` (`--chunk-ms` sets the chunk
/// length). Returns 0 and sets `*stream` and `*warnings` (the options' own warnings, as for
/// `audioprep_load`; NULL for none), or an exit code and `*error` for a usage error; an error of
/// the input itself comes from the first `audioprep_stream_next` (with `--trim-silence`, from
/// the first pass over a file, here).
@_cdecl("audioprep_stream_open")
public func audioprep_stream_open(
  _ path: UnsafePointer<CChar>, _ options: UnsafePointer<UnsafePointer<CChar>?>?, _ optionCount: Int32,
  _ stream: UnsafeMutablePointer<UnsafeMutableRawPointer?>,
  _ warnings: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  let input = PathBytes.string(fromCString: path)
  warnings?.pointee = nil
  return CallResult.code(error: error, input: input) {
    let request = try ParsedRequests.request(CallResult.strings(options, count: optionCount), input: input)
    let opened = try request.input(input)
    let pulled = try request.pull(opened)
    stream.pointee = Unmanaged.passRetained(OpenStream(pulled, request: request, input: opened)).toOpaque()
    CallResult.deliver(warnings: request.optionWarnings(input: input), to: warnings)
  }
}

/// The next chunk: 0 with `*samples` (malloc'd, free it), `*frames` and `*channels`; `*frames`
/// is 0 (and `*samples` NULL) at the end, where `*warnings` holds the run's warnings (as for
/// `audioprep_load`; NULL for none, and before the end). On failure the exit code and `*error`.
@_cdecl("audioprep_stream_next")
public func audioprep_stream_next(
  _ stream: UnsafeMutableRawPointer, _ samples: UnsafeMutablePointer<UnsafeMutablePointer<Float>?>,
  _ frames: UnsafeMutablePointer<Int64>, _ channels: UnsafeMutablePointer<Int32>,
  _ warnings: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  let open = Unmanaged<OpenStream>.fromOpaque(stream).takeUnretainedValue()
  samples.pointee = nil
  frames.pointee = 0
  warnings?.pointee = nil
  return CallResult.code(error: error, input: open.input.path) {
    guard let chunk = try open.pulled.next() else {
      if let result = open.pulled.result {
        CallResult.deliver(warnings: open.request.runWarnings(result, input: open.input, range: open.range), to: warnings)
      }
      return
    }
    samples.pointee = CallResult.buffer(chunk.samples)
    frames.pointee = Int64(chunk.frameCount)
    channels.pointee = Int32(chunk.channels)
  }
}

/// Stops the stream (if it has not ended) and frees it.
@_cdecl("audioprep_stream_close")
public func audioprep_stream_close(_ stream: UnsafeMutableRawPointer?) {
  guard let stream else { return }
  let open = Unmanaged<OpenStream>.fromOpaque(stream).takeRetainedValue()
  open.pulled.close()
}

/// A stream behind the C handle, with its request and input (which its errors and warnings
/// name).
final class OpenStream {
  let pulled: PulledChunks
  let request: LibraryRequest
  let input: AudioPipeline.Input

  init(_ pulled: PulledChunks, request: LibraryRequest, input: AudioPipeline.Input) {
    self.pulled = pulled
    self.request = request
    self.input = input
  }

  /// The `--start/--end/--duration` range asked for (the run's warnings name one past the end).
  var range: TimeRange? { request.range }
}
