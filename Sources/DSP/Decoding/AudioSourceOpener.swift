import Glibc

/// Which library decodes an input (`--decoder`).
public enum AudioDecoder: String, CaseIterable, Sendable {
  /// libsndfile for every format it recognises, FFmpeg for the rest.
  case auto
  /// libsndfile only: the reference decoder.
  case sndfile
  /// FFmpeg's libavformat and libavcodec only.
  case ffmpeg
}

/// The names of audio files, lower case: every decoder's, in the order they are asked (every
/// container the docs say audioprep reads; `batch` takes such a file for a recording, and a
/// damaged one is a failed input, not another file).
public let audioFileExtensions = Set(SndFileSource.fileExtensions + FFmpegSource.fileExtensions)

/// Opens `path` ("-" for standard input) with the decoder that reads it.
///
/// libsndfile, the reference, decodes every format it recognises by its content; what it claims
/// and cannot read (a codec it lacks), FFmpeg decodes when it recognises the bytes, or else
/// libsndfile's reason is reported. What no libsndfile reader claims goes to FFmpeg
/// (MP4/M4A, WebM, Matroska, AMR, WMA, ADTS AAC, …). Standard input is read once: libsndfile and
/// FFmpeg share one `PipeReader`, which keeps the first 4 MiB, so FFmpeg starts again from the
/// first byte. When neither claims the input, libsndfile's error is the one reported. What
/// libsndfile loses to damage part-way, FFmpeg decodes on from where it stopped
/// (`RecoveringSource`); `--decoder sndfile` is libsndfile alone.
///
/// Raw input (`raw`) is always libsndfile's (asking for FFmpeg with it is a usage error). `audioStream` (an audio stream other than the first,
/// counting from 0) needs FFmpeg, so it implies `.ffmpeg` under `.auto`.
public func openAudioSource(
  path: String, raw: RawInputFormat? = nil, decoder: AudioDecoder = .auto, audioStream: Int? = nil
) throws -> any DecodingSource {
  try openAudioSource(path: path, raw: raw, decoder: decoder, audioStream: audioStream, reach: .everything)
}

/// Opens `path` as `openAudioSource(path:raw:decoder:audioStream:)` does; `reach`: how far a
/// file is looked through for another joined on when it is opened (`ScanReach`: `.structure`
/// for a description from its header, which decodes no more than its first block).
package func openAudioSource(
  path: String, raw: RawInputFormat?, decoder: AudioDecoder, audioStream: Int?, reach: ScanReach
) throws -> any DecodingSource {
  if raw != nil && (decoder == .ffmpeg || audioStream != nil) {
    throw DSPError.invalidParameter("raw input is read by libsndfile: --decoder ffmpeg and --audio-stream do not apply")
  }
  // An empty file is one, whichever decoder would have been asked (FFmpeg chose one by the
  // name's extension: "raw FLAC: 0 channels"), and as from a pipe.
  if let status = Descriptor.status(path), status.isRegular, status.size == 0 {
    throw AudioIOError(.invalidInput, path: path, emptyInput)
  }
  if raw != nil { return try SndFileSource(path: path, raw: raw, reach: reach) }
  if decoder == .sndfile {
    // libsndfile alone, with the rule for damage part-way the default decoder keeps.
    return RecoveringSource(first: try SndFileSource(path: path, raw: nil, reach: reach), pipe: nil, ffmpegDecodesOn: false)
  }
  if decoder == .ffmpeg || audioStream != nil { return try FFmpegSource(path: path, audioStream: audioStream, reach: reach) }
  let pipe = try PipeReader.forInput(path)
  let notSndFile: AudioIOError
  // libsndfile claimed the input and could not read it (a codec it lacks in a container it
  // knows: Ogg Speex, CAF ALAC, WAV G.726): FFmpeg decodes it if it recognises the bytes;
  // otherwise libsndfile's reason is the one reported.
  var refusedBySndFile = false
  do {
    let sndfile = try SndFileSource(path: path, raw: nil, pipe: pipe, reach: reach)
    // The content decides, never the name: what libsndfile read only because of the name's
    // extension goes to FFmpeg whenever FFmpeg reads the bytes without the name, as it does
    // for standard input, which has none (an ADTS AAC or NUT named .mp3; an MP3 whose first
    // frame is damaged). Only bytes nothing else reads are read as the name says.
    if sndfile.formatFromName {
      do {
        return try FFmpegSource(path: path, pipe: nil, audioStream: nil, probeByName: false, reach: reach)
      } catch is UnrecognisedFormat {}
    }
    return RecoveringSource(first: sndfile, pipe: pipe)
  } catch let unrecognised as UnrecognisedFormat {
    notSndFile = unrecognised.error
  } catch let refused as RefusedFormat {
    notSndFile = refused.error
    refusedBySndFile = true
  }
  if let pipe, !pipe.rewind() { throw notSndFile }
  do {
    let ffmpeg = try FFmpegSource(path: path, pipe: pipe, audioStream: nil, reach: reach)
    if refusedBySndFile && !ffmpeg.recognisedByContent { throw notSndFile }
    return ffmpeg
  } catch is UnrecognisedFormat {
    if let pipe, pipe.atEnd, pipe.bytesConsumed == 0 { throw AudioIOError(.invalidInput, path: path, pipe.emptyInputMessage) }
    throw notSndFile
  } catch let limited as PipeLimit {
    guard refusedBySndFile else { throw limited.error }
    // libsndfile refused an encoding it does not decode (a CAF of ALAC) and FFmpeg, which
    // does, cannot read the container from a pipe: both reasons, and what to do. One it
    // decodes and refused is damage, said as from a file.
    throw limited.libsndfileDecodesIt ? notSndFile : AudioIOError(.invalidInput, path: path, notSndFile.message + "; " + limited.error.message)
  } catch where refusedBySndFile {
    throw notSndFile
  }
}

/// What an input of no bytes at all is told.
let emptyInput = "the input is empty (0 bytes)"

/// What every reader of a file says of a directory given as one (a path, or standard input
/// redirected from one).
package let directoryInput = "is a directory, not an audio file"


/// No reader of a decoder's claimed the input; `error` is what to report if no other does.
struct UnrecognisedFormat: Error {
  let error: AudioIOError
}

/// FFmpeg reads the input from a file, not from a pipe (`FFmpegInput.pipeLimit`); `error` says
/// so and what to do.
struct PipeLimit: Error {
  let error: AudioIOError
  /// libsndfile decodes the input's encoding from a pipe (a CAF of PCM, A-law or µ-law).
  var libsndfileDecodesIt = false
}

/// A reader of libsndfile's claimed the input and could not read it; `error` is what to report
/// if FFmpeg does not recognise it either.
struct RefusedFormat: Error {
  let error: AudioIOError
}
