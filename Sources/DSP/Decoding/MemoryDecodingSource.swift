/// Interleaved float samples a caller already holds, with their format.
struct MemoryInput: Sendable {
  let samples: [Float]
  let format: StreamFormat

  init(samples: [Float], format: StreamFormat) {
    precondition(format.channels > 0 && samples.count % format.channels == 0, "whole frames of \(format.channels) channels")
    self.samples = samples
    self.format = format
  }
}

/// `MemoryInput` read as a run reads a decoded file (`AudioPipeline.Input.samples`): its length
/// is exact, it can be read again, and its floats are repaired like a float file's.
final class MemoryDecodingSource: DecodingSource {
  private let source: MemorySource
  private let frames: Int64
  private(set) var decodedFrames: Int64 = 0

  init(_ input: MemoryInput) {
    source = MemorySource(samples: input.samples, format: input.format)
    frames = Int64(input.samples.count / input.format.channels)
  }

  var format: StreamFormat { source.format }
  var deliversFloats: Bool { true }
  var path: String { AudioPipeline.Input.samplesName }
  var decoderName: String { "memory" }
  var formatName: String { "float32 samples" }
  var announcedFrames: Int64? { frames }
  var exactFrames: Int64? { frames }
  var truncation: String? { nil }

  func read(into chunk: inout AudioChunk, maxFrames: Int) throws -> Int {
    let read = try source.read(into: &chunk, maxFrames: maxFrames)
    decodedFrames += Int64(read)
    return read
  }
}
