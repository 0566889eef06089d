import AudioPrepCommands
import DSP

// The processed stream chunk by chunk, in constant memory (`AudioPipeline.pull`): open, take
// chunks until none is left, close. A stream is one caller's at a time; different streams run
// on different threads at once.

/// Opens `path` for streaming with the command line's `options` (`--chunk-ms` sets the chunk
/// length). Returns 0 and sets `*stream`, or an exit code and `*error` for a usage error; an
/// error of the input itself comes from the first `audioprep_stream_next`.
@_cdecl("audioprep_stream_open")
public func audioprep_stream_open(
  _ path: UnsafePointer<CChar>, _ options: UnsafePointer<UnsafePointer<CChar>?>?, _ optionCount: Int32,
  _ stream: UnsafeMutablePointer<UnsafeMutableRawPointer?>, _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  let input = PathBytes.string(fromCString: path)
  return CallResult.code(error: error, input: input) {
    let request = try LibraryRequest.parsing(CallResult.strings(options, count: optionCount), input: input)
    let pulled = AudioPipeline(configuration: request.configuration).pull(try request.input(input))
    stream.pointee = Unmanaged.passRetained(OpenStream(pulled, input: input)).toOpaque()
  }
}

/// The next chunk: 0 with `*samples` (malloc'd, free it), `*frames` and `*channels`; `*frames`
/// is 0 (and `*samples` NULL) at the end. On failure the exit code and `*error`.
@_cdecl("audioprep_stream_next")
public func audioprep_stream_next(
  _ stream: UnsafeMutableRawPointer, _ samples: UnsafeMutablePointer<UnsafeMutablePointer<Float>?>,
  _ frames: UnsafeMutablePointer<Int64>, _ channels: UnsafeMutablePointer<Int32>,
  _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  let open = Unmanaged<OpenStream>.fromOpaque(stream).takeUnretainedValue()
  samples.pointee = nil
  frames.pointee = 0
  return CallResult.code(error: error, input: open.input) {
    guard let chunk = try open.pulled.next() else { return }
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

/// A stream behind the C handle, with the input its errors name.
final class OpenStream {
  let pulled: PulledChunks
  let input: String

  init(_ pulled: PulledChunks, input: String) {
    self.pulled = pulled
    self.input = input
  }
}
