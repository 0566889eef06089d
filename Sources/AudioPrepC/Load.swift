import AudioPrepCommands
import DSP
import Glibc

// The whole processed stream at once: a file (`audioprep_load`) or samples the caller holds
// (`audioprep_process`), each one run of `AudioPipeline.run` into memory. Every call builds its
// own pipeline: nothing is shared between calls but the polyphase tables (read-only once made).

/// Processes the file at `path` with the command line's `options` (`option_count` strings such
/// as "--highpass", "100"). On success returns 0 and sets `*samples` (interleaved float32,
/// malloc'd: free it with `audioprep_free`), `*frames`, `*channels` and `*sample_rate`, and
/// `*warnings` to the lines the command line would warn with (one a line; NULL for none; free
/// it too). On failure returns the command line's exit code (64 usage, 65 data, 66 no input, …)
/// and sets `*error` to its one line (free it too).
@_cdecl("audioprep_load")
public func audioprep_load(
  _ path: UnsafePointer<CChar>, _ options: UnsafePointer<UnsafePointer<CChar>?>?, _ optionCount: Int32,
  _ samples: UnsafeMutablePointer<UnsafeMutablePointer<Float>?>, _ frames: UnsafeMutablePointer<Int64>,
  _ channels: UnsafeMutablePointer<Int32>, _ sampleRate: UnsafeMutablePointer<Int32>,
  _ warnings: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  let input = PathBytes.string(fromCString: path)
  warnings?.pointee = nil
  return CallResult.code(error: error, input: input) {
    let request = try ParsedRequests.request(CallResult.strings(options, count: optionCount), input: input)
    let run = try request.run(try request.input(input))
    CallResult.deliver(run.result, samples: samples, frames: frames, channels: channels, sampleRate: sampleRate)
    CallResult.deliver(warnings: run.warnings, to: warnings)
  }
}

/// Processes `frames` interleaved frames of `channels` at `in_rate` Hz from `input` as
/// `audioprep_load` processes a file (the same options, results, warnings and errors; the
/// `--in-*` options, which describe a headerless file, are refused).
@_cdecl("audioprep_process")
public func audioprep_process(
  _ input: UnsafePointer<Float>?, _ inputFrames: Int64, _ inputChannels: Int32, _ inputRate: Int32,
  _ options: UnsafePointer<UnsafePointer<CChar>?>?, _ optionCount: Int32,
  _ samples: UnsafeMutablePointer<UnsafeMutablePointer<Float>?>, _ frames: UnsafeMutablePointer<Int64>,
  _ channels: UnsafeMutablePointer<Int32>, _ sampleRate: UnsafeMutablePointer<Int32>,
  _ warnings: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  warnings?.pointee = nil
  return CallResult.code(error: error, input: AudioPipeline.Input.samplesName) {
    guard inputChannels > 0, inputFrames >= 0, (input != nil || inputFrames == 0) else {
      throw DSPError.invalidParameter("samples need at least one channel and a count of frames of 0 or more, got \(inputChannels) channels and \(inputFrames) frames")
    }
    guard (1...10_000_000).contains(inputRate) else {
      throw DSPError.invalidParameter("the samples' rate must lie between 1 and 10000000 Hz, got \(inputRate)")
    }
    let request = try ParsedRequests.request(CallResult.strings(options, count: optionCount), input: AudioPipeline.Input.samplesName)
    let count = Int(inputFrames) * Int(inputChannels)
    let held = input.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    let run = try request.run(try request.input(samples: held, sampleRate: Int(inputRate), channels: Int(inputChannels)))
    CallResult.deliver(run.result, samples: samples, frames: frames, channels: channels, sampleRate: sampleRate)
    CallResult.deliver(warnings: run.warnings, to: warnings)
  }
}

/// Frees a buffer or a line the other functions returned (NULL does nothing).
@_cdecl("audioprep_free")
public func audioprep_free(_ pointer: UnsafeMutableRawPointer?) { free(pointer) }

extension CallResult {
  /// A memory run's samples and format, into the caller's pointers.
  static func deliver(
    _ result: RunResult, samples: UnsafeMutablePointer<UnsafeMutablePointer<Float>?>, frames: UnsafeMutablePointer<Int64>,
    channels: UnsafeMutablePointer<Int32>, sampleRate: UnsafeMutablePointer<Int32>
  ) {
    let format = result.report.outputFormat
    let held = result.samples ?? []
    samples.pointee = buffer(held)
    frames.pointee = Int64(held.count / format.channels)
    channels.pointee = Int32(format.channels)
    sampleRate.pointee = Int32(format.sampleRate)
  }
}
