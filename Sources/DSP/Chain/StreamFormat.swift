/// The shape of a stream of samples: how many per second and how many interleaved channels.
public struct StreamFormat: Equatable, Sendable, CustomStringConvertible {
  /// Frames per second.
  public var sampleRate: Int
  /// Interleaved channels per frame.
  public var channels: Int

  public init(sampleRate: Int, channels: Int) {
    self.sampleRate = sampleRate
    self.channels = channels
  }

  /// Seconds that `frames` frames last at this rate.
  public func seconds(frames: Int64) -> Double {
    sampleRate > 0 ? Double(frames) / Double(sampleRate) : 0
  }

  public var description: String { "\(sampleRate) Hz, \(channels) ch" }
}
