import DSP

/// What a batch's output file (a whole output or a segment) holds by its own header, read by
/// the export after its hash: the numbers the export writes are checked against it, never taken
/// from the record alone (a record's `output_frames` ×100 with its hash intact wrote 40 s for a
/// 0.4 s file: hostile review 30m, H1).
struct OutputHeader {
  let sampleRate: Int
  let channels: Int
  /// The frames the file holds, when its header says so exactly (PCM, a FLAC read through);
  /// nil for Ogg, Opus and MP3, whose length only decoding tells.
  let frames: Int64?

  /// Reads the header of the output at `path` (`name` as the manifest has it); 65 when it is
  /// not audio: whatever the record says, no batch wrote it.
  init(_ path: String, named name: String) throws {
    do {
      let source = try openAudioSource(path: path, raw: nil, decoder: .auto, audioStream: nil, reach: .everything)
      (sampleRate, channels, frames) = (source.format.sampleRate, source.format.channels, source.exactFrames)
    } catch {
      let failure = CommandFailure(error, inputPath: name)
      throw CommandFailure(name, "is not an output a batch wrote: \(failure.message)", code: ExitStatus.dataError)
    }
  }

  /// How the file differs from what its record says ("holds 6400 frames at 16000 Hz, 1
  /// channel; the record says 640000 frames at 16000 Hz, 1 channel"), or nil when it does not.
  func mismatch(rate: Int, channels: Int, frames: Int64) -> String? {
    guard rate != sampleRate || channels != self.channels || (self.frames.map { $0 != frames } ?? false) else { return nil }
    let held = self.frames.map { "\($0) frames at " } ?? ""
    return "holds \(held)\(sampleRate) Hz, \(Text.count(self.channels, "channel")); "
      + "its record says \(self.frames == nil ? "" : "\(frames) frames at ")\(rate) Hz, \(Text.count(channels, "channel"))"
  }
}
