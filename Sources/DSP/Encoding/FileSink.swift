import CSndFile
import Glibc

/// Writes through libsndfile into an `OutputFile`: a temporary beside `path`, moved into place
/// by `finish`, or a device or FIFO written in place.
///
/// libsndfile writes through virtual I/O onto the output's descriptor, so every byte its
/// encoders (PCM, FLAC, Ogg, Opus, MP3) write is checked: a short or failed write fails the
/// next `write` or `finish` with an I/O error (74), even where libsndfile itself would have
/// ignored it, and nothing appears under `path`. A FIFO, pipe or terminal cannot seek, so it
/// takes `raw` or `wav` only, written as on standard output (`StdoutSink`).
public final class FileSink: AudioSink {
  /// The final path.
  public let path: String
  public let fileFormat: OutputFileFormat
  private let output: OutputFile
  private let encoder: Encoder
  /// A 32-bit WAV: its samples must stay within `OutputFileFormat.wavDataLimit`.
  private var isPlainWAV = false
  private var dataBytes: Int64 = 0
  private var done = false

  private enum Encoder {
    case sndfile(SndFile)
    case stream(StdoutSink)
  }
  /// For libsndfile: the one encoder every sink uses.
  private var sampleEncoder: SampleEncoder

  public var clippedSamples: Int {
    switch encoder {
    case .sndfile: sampleEncoder.clippedSamples
    case .stream(let sink): sink.clippedSamples
    }
  }

  /// Opens the output (see `OutputFile` for what is refused).
  ///
  /// `expectedFrames`, when the length is known in advance, picks RF64 for a WAV that will not
  /// fit in 4 GiB; with an unknown length WAV is canonical, and one that outgrows 4 GiB fails
  /// (74) rather than wrap its sizes.
  public convenience init(
    path: String, format: OutputFileFormat, stream: StreamFormat, overwrite: Bool, expectedFrames: Int? = nil
  ) throws {
    try self.init(
      output: { try OutputFile(path: path, overwrite: overwrite) }, path: path, format: format, stream: stream,
      expectedFrames: expectedFrames)
  }

  /// Opens `name` in `directory` (batch outputs, never a device or FIFO); `path` names it in
  /// messages. `identicalStands`: see `OutputFile.identicalStands`.
  public convenience init(
    name: String, in directory: OutputDirectory, path: String, format: OutputFileFormat, stream: StreamFormat,
    overwrite: Bool, identicalStands: Bool = false, expectedFrames: Int? = nil
  ) throws {
    try self.init(
      output: {
        try OutputFile(
          name: name, in: directory, path: path, overwrite: overwrite, devicesInPlace: false, identicalStands: identicalStands)
      },
      path: path, format: format, stream: stream, expectedFrames: expectedFrames)
  }

  private init(
    output open: () throws -> OutputFile, path: String, format: OutputFileFormat, stream: StreamFormat,
    expectedFrames: Int?
  ) throws {
    self.path = path
    self.fileFormat = format
    sampleEncoder = SampleEncoder(format: format)
    guard
      let sfFormat = format.sfFormat(
        sampleRate: stream.sampleRate, channels: stream.channels, expectedFrames: expectedFrames)
    else {
      throw AudioIOError(
        .cannotCreateOutput, path: path,
        format.unsupportedReason(sampleRate: stream.sampleRate, channels: stream.channels) ?? "unsupported format")
    }
    output = try open()
    // Provisional until settled, or taken back (`CommittedOutputs`).
    output.holdsUntilSettled = true
    if !output.isSeekable {
      guard format.container == .raw || format.container == .wav else {
        output.discard()
        throw AudioIOError(
          .cannotCreateOutput, path: path, "cannot seek, so it takes --format raw or wav, not \(format.container.rawValue)")
      }
      encoder = .stream(
        StdoutSink(stream: stream, format: format, expectedFrames: expectedFrames, output: output))
      return
    }
    var info = SF_INFO()
    info.samplerate = Int32(stream.sampleRate)
    info.channels = Int32(stream.channels)
    info.format = sfFormat
    isPlainWAV = sfFormat & Int32(SF_FORMAT_TYPEMASK) == Int32(SF_FORMAT_WAV)
    switch SndFile.open(output: output, info: info) {
    case .success(let file):
      if !isPlainWAV && format.container == .wav { file.command(Int32(SFC_RF64_AUTO_DOWNGRADE), true) }
      // libsndfile's PEAK chunk carries a timestamp: without it, the same run gives the same bytes.
      file.command(Int32(SFC_SET_ADD_PEAK_CHUNK), false)
      encoder = .sndfile(file)
    case .failure(let reason):
      output.discard()
      throw AudioIOError(.cannotCreateOutput, path: path, reason.text.trimmingTrailingPeriod)
    }
  }

  deinit { if !done { abort() } }

  public func write(_ chunk: AudioChunk) throws {
    let count = chunk.samples.count
    guard count > 0 else { return }
    switch encoder {
    case .stream(let sink):
      try sink.write(chunk)
    case .sndfile(let file):
      dataBytes += Int64(count * fileFormat.encoding.bytesPerSample)
      if isPlainWAV && dataBytes > OutputFileFormat.wavDataLimit {
        throw AudioIOError(
          .ioFailure, path: path, "a WAV file holds at most 4 GiB of samples; write FLAC, or give a file input whose length is known")
      }
      let written =
        switch sampleEncoder.encode(chunk.samples) {
        case .int16(let shorts): shorts.withUnsafeBufferPointer { file.writeShort($0.baseAddress!, samples: count) }
        case .int32(let ints, bits: _): ints.withUnsafeBufferPointer { file.writeInt($0.baseAddress!, samples: count) }
        case .float(let floats): floats.withUnsafeBufferPointer { file.writeFloat($0.baseAddress!, samples: count) }
        }
      if let failure = output.failure { throw failure }
      guard written == count else {
        throw AudioIOError(.ioFailure, path: path, "write failed: \(file.errorMessage)")
      }
    }
  }

  /// Closes and moves the file into place, held until settled (`SinkSummary.outputs`).
  public func finish() throws -> SinkSummary {
    guard !done else { return SinkSummary() }
    done = true
    var summary = SinkSummary(clippedSamples: clippedSamples)
    switch encoder {
    case .stream(let sink):
      summary = try sink.finish()
    case .sndfile(let file):
      let status = file.close()
      if status != 0 { output.recordFailure(String(cString: sf_error_number(status))) }
    }
    try output.commit()
    summary.outputs.append(output)
    return summary
  }

  /// The output, for taking it back after `finish` (`OutputFile.removeCommitted`).
  package var file: OutputFile { output }

  public func abort() {
    guard !done else { return }
    done = true
    if case .sndfile(let file) = encoder { _ = file.close() }
    output.discard()
  }
}
