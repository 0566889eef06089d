/// Reduces interleaved channels to one: their average, or a single chosen channel.
///
/// Averaging cancels out-of-phase stereo; `.channel(n)` avoids that for such recordings.
/// A mono input passes through untouched.
public struct Downmix: AudioNode {
  /// How the mono signal is formed.
  public enum Mode: Equatable, Sendable {
    /// The mean of all channels.
    case average
    /// One channel, 0-based.
    case channel(Int)
  }

  public let mode: Mode
  private var inputChannels = 1
  private var scratch: [Float] = []

  public init(_ mode: Mode = .average) { self.mode = mode }

  public var stageName: String { "downmix" }

  public func describe(input: StreamFormat, output: StreamFormat) -> String {
    switch mode {
    case .average: "downmix: average of \(input.channels) channels"
    case .channel(let index):
      "downmix: channel \(index) of \(input.channels)" + (input.channels == 1 ? " (mono: passed through)" : "")
    }
  }

  public var fingerprint: String {
    switch mode {
    case .average: "downmix=average"
    case .channel(let index): "downmix=channel\(index)"
    }
  }

  public mutating func prepare(_ input: StreamFormat) throws -> StreamFormat {
    if case .channel(let index) = mode, !(0..<input.channels).contains(index) {
      throw DSPError.invalidParameter(
        "channel \(index) does not exist (the input has \(input.channels), numbered from 0)")
    }
    inputChannels = input.channels
    return StreamFormat(sampleRate: input.sampleRate, channels: 1)
  }

  public mutating func process(_ chunk: inout AudioChunk) throws {
    let channels = inputChannels
    guard channels > 1 else { return }
    let frames = chunk.frameCount
    // Sized first and written in place: an `append` per frame cost 33 instructions a frame,
    // more than the resampler's (issue 22).
    if scratch.count > frames {
      scratch.removeLast(scratch.count - frames)
    } else if scratch.count < frames {
      scratch.append(contentsOf: [Float](repeating: 0, count: frames - scratch.count))
    }
    precondition(chunk.samples.count >= frames * channels)
    chunk.samples.withUnsafeBufferPointer { input in
      scratch.withUnsafeMutableBufferPointer { output in
        guard let source = input.baseAddress, let target = output.baseAddress else { return }
        switch mode {
        case .channel(let index):
          for frame in 0..<frames { target[frame] = source[frame * channels + index] }
        case .average where channels == 2:
          // The same sums as below, in the same order (0 + left + right), without the inner loop.
          for frame in 0..<frames {
            var sum: Float = 0
            sum += source[2 * frame]
            sum += source[2 * frame + 1]
            target[frame] = sum * 0.5
          }
        case .average:
          let scale = 1 / Float(channels)
          for frame in 0..<frames {
            var sum: Float = 0
            let base = frame * channels
            for channel in 0..<channels { sum += source[base + channel] }
            target[frame] = sum * scale
          }
        }
      }
    }
    swap(&chunk.samples, &scratch)
    chunk.channels = 1
  }

  public mutating func reset() {}
}
