import DSP

/// What a batch's input holds, read as the batch read it (the decoder, audio stream and raw
/// format its `params` record: `decoder=ffmpeg/stream1`, `raw=16000Hz/1ch/s16`), for `--segments
/// offsets`, whose recordings are the inputs: the rate, channels and frames the export writes
/// are checked against it, never taken from the record alone. The input's hash covers its bytes,
/// not the record's numbers: a record's `input_frames` ×2 gave a recording twice as long and
/// passed segments past the input's end (review31m H4).
struct InputHeader {
  let sampleRate: Int
  let channels: Int
  /// The frames the input holds: its header's when exact (PCM, FLAC), else counted by decoding
  /// it once, as batch counted them (MP3, AAC, Opus: only decoding tells).
  let frames: Int64

  /// Reads the input at `path` (`name` as the manifest has it) with the decoding `params`
  /// records; 65 when it is not audio read that way: whatever the record says, no batch read it.
  init(_ path: String, named name: String, params: String) throws {
    let decoding = Self.decoding(params)
    do {
      let source = try openAudioSource(
        path: path, raw: decoding.raw, decoder: decoding.decoder, audioStream: decoding.audioStream, reach: .everything)
      (sampleRate, channels) = (source.format.sampleRate, source.format.channels)
      frames = try source.exactFrames ?? Self.counted(source)
    } catch {
      let failure = CommandFailure(error, inputPath: name)
      throw CommandFailure(name, "is not the input a batch read: \(failure.message)", code: ExitStatus.dataError)
    }
  }

  /// How the input differs from what its record says ("holds 110250 frames at 44100 Hz, 2
  /// channels; its record says 220500 frames at 44100 Hz, 2 channels"), or nil when it does not.
  func mismatch(rate: Int, channels: Int, frames: Int64) -> String? {
    guard rate != sampleRate || channels != self.channels || frames != self.frames else { return nil }
    return "holds \(self.frames) frames at \(sampleRate) Hz, \(Text.count(self.channels, "channel")); "
      + "its record says \(frames) frames at \(rate) Hz, \(Text.count(channels, "channel"))"
  }

  /// The decoding `params` records: `decoder=LIB/streamN` (batch writes it when `--decoder` or
  /// `--audio-stream` was given, `DecoderOptions.fingerprint`) and `raw=RATEHz/Nch/ENC`.
  static func decoding(_ params: String) -> (decoder: AudioDecoder, audioStream: Int?, raw: RawInputFormat?) {
    var decoder = AudioDecoder.auto, audioStream: Int?, raw: RawInputFormat?
    for token in params.split(separator: " ") {
      if token.hasPrefix("decoder=") {
        let parts = token.dropFirst("decoder=".count).split(separator: "/")
        decoder = parts.first.flatMap { AudioDecoder(rawValue: String($0)) } ?? .auto
        audioStream = parts.count == 2 && parts[1].hasPrefix("stream") ? Int(parts[1].dropFirst("stream".count)) : nil
      } else if token.hasPrefix("raw="), token != "raw=none" {
        let parts = token.dropFirst("raw=".count).split(separator: "/")
        guard parts.count == 3, parts[0].hasSuffix("Hz"), parts[1].hasSuffix("ch"), let rate = Int(parts[0].dropLast(2)),
          let channels = Int(parts[1].dropLast(2)), let encoding = RawEncoding(rawValue: String(parts[2]))
        else { continue }
        raw = RawInputFormat(sampleRate: rate, channels: channels, encoding: encoding)
      }
    }
    return (decoder, audioStream, raw)
  }

  /// The frames `source` holds, by decoding it to its end.
  private static func counted(_ source: any DecodingSource) throws -> Int64 {
    var chunk = AudioChunk(samples: [], channels: source.format.channels)
    var frames: Int64 = 0
    while true {
      let read = try source.read(into: &chunk, maxFrames: 65536)
      if read == 0 { return frames }
      frames += Int64(read)
    }
  }
}
