import Glibc

/// libsndfile's decoding, continued by FFmpeg past what libsndfile loses to damage.
///
/// libsndfile stops at the first FLAC frame that loses sync, and at an MP3 or Ogg page it
/// cannot get past, where FFmpeg's demuxers resync and go on. When libsndfile fails part-way,
/// or ends short of its header's length or with much of a pipe unread, FFmpeg decodes the same
/// input again from its first byte (a pipe rewinds inside its window), its first frames — those
/// already delivered — are skipped, and whatever it decodes beyond them follows. The warning
/// then says both: where libsndfile stopped and how much the input held in the end. When FFmpeg
/// adds nothing (it reads another rate or channel count, or stops as early), libsndfile's own
/// outcome stands: its truncation warning, or for an error part-way a `truncated or damaged`
/// warning (a FLAC file cut mid-frame, which from a pipe simply ends); an error before any
/// frame stays an error (65).
///
/// Under `--decoder sndfile` (`ffmpegDecodesOn` false) FFmpeg is never asked, and the same rule
/// holds for libsndfile alone: what it decoded before an error part-way is kept and said.
final class RecoveringSource: DecodingSource {
  private let first: SndFileSource
  private let pipe: PipeReader?
  private let ffmpegDecodesOn: Bool
  private var rest: FFmpegSource?
  /// libsndfile's error part-way, when FFmpeg found nothing beyond it either, or could not try.
  private var stoppedAtTheEnd: String?
  private var whyNotFFmpeg = "FFmpeg decodes no further"
  /// What made libsndfile stop, once FFmpeg has taken over.
  private var handover: (frames: Int64, reason: String)?
  /// A block FFmpeg decoded past the handover point, not yet delivered.
  private var pending: [Float] = []
  /// FFmpeg's float samples are repaired here when libsndfile's are integers (the chain then
  /// has no `FloatRepair`).
  private var repair = FloatSampleRepair()
  /// Why libsndfile handed over when it ended without an error.
  private static let stoppedShort = "short of the header's length, or of the input"

  init(first: SndFileSource, pipe: PipeReader?, ffmpegDecodesOn: Bool = true) {
    self.first = first
    self.pipe = pipe
    self.ffmpegDecodesOn = ffmpegDecodesOn
    first.handsOverAtAPipeLoss = ffmpegDecodesOn && pipe != nil
    if !ffmpegDecodesOn { whyNotFFmpeg = "--decoder sndfile: FFmpeg not asked" }
  }

  var path: String { first.path }
  var format: StreamFormat { first.format }
  var isStream: Bool { first.isStream }
  var deliversFloats: Bool { first.deliversFloats }
  var formatName: String { first.formatName }
  var decoderName: String { handover == nil ? first.decoderName : "libsndfile, then FFmpeg" }
  var announcedFrames: Int64? { first.announcedFrames }
  var exactFrames: Int64? { first.exactFrames }
  var truncationAtOpen: String? { first.truncationAtOpen }
  private(set) var decodedFrames: Int64 = 0

  var truncation: String? {
    if let stoppedAtTheEnd {
      let announced = first.expectedFrames.map { "the header announces \($0) frames, " } ?? ""
      return "truncated or damaged: \(announced)the input holds \(decodedFrames) (libsndfile: \(stoppedAtTheEnd.trimmingTrailingPeriod); \(whyNotFFmpeg))"
    }
    guard let handover else { return first.truncation }
    // libsndfile stopped at bytes after the last frame (an ID3v1 or APE tag, zero padding),
    // and FFmpeg found nothing wrong and ended at the header's length: nothing was lost.
    if let expected = first.expectedFrames, decodedFrames == expected, rest?.truncation == nil, first.joined == nil,
      first.pastTotal == nil, first.framesNotDecoded == nil, handover.reason == Self.stoppedShort, !first.stoppedAtAPipeLoss
    {
      return nil
    }
    // A pipe's loss of sync is said once FFmpeg has read the pipe on past it.
    let reason = first.pipeLossDamage ?? handover.reason
    let stopped = "libsndfile stopped after \(handover.frames) frames (\(reason)), FFmpeg decoded on"
    if let expected = first.expectedFrames, decodedFrames < expected {
      return "truncated: the header announces \(expected) frames, the input holds \(decodedFrames) (\(stopped))"
    }
    let announced = first.expectedFrames.map { "the header announces \($0) frames, " } ?? ""
    return "damaged: \(stopped): \(announced)the input holds \(decodedFrames)"
  }

  func read(into chunk: inout AudioChunk, maxFrames: Int) throws -> Int {
    if stoppedAtTheEnd != nil { return 0 }
    if rest != nil { return try readRest(into: &chunk, maxFrames: maxFrames) }
    do {
      let frames = try first.read(into: &chunk, maxFrames: maxFrames)
      decodedFrames += Int64(frames)
      if frames > 0 || !first.endedEarly { return frames }
      guard try takeOver(reason: first.joined ?? first.mpegDamage ?? first.pastTotal ?? first.framesNotDecoded ?? first.announcedNoEnd ?? Self.stoppedShort) else {
        try first.endWithoutHandover()
        return 0
      }
    } catch let error as AudioIOError where error.kind == .invalidInput {
      if first.formatChanged { throw error }
      if try !takeOver(reason: error.message) {
        // Nothing decodes beyond where libsndfile failed (a FLAC cut mid-frame): a truncated
        // input, as the same bytes from a pipe are; failing before any frame stays an error.
        guard decodedFrames > 0 else { throw error }
        stoppedAtTheEnd = error.message
        return 0
      }
    }
    return try readRest(into: &chunk, maxFrames: maxFrames)
  }

  /// Opens FFmpeg on the input from its start and skips what libsndfile delivered; true when it
  /// decodes something beyond, the same rate and channels. A pipe read past its window cannot
  /// start again: a FLAC there is decoded again from the last frame its tail still holds (FLAC
  /// frames decode alone), an MP3 or MP2 from a frame some frames before where libsndfile
  /// stopped (`SndFileSource.mpegResumption`), so that a pipe keeps what a file keeps. A stream whose rate or
  /// channel count changes part-way (MP3s joined end to end) is refused whichever decoder finds it.
  private func takeOver(reason: String) throws -> Bool {
    guard ffmpegDecodesOn else { return false }
    var resumption: (prefix: [UInt8], firstSample: Int64) = ([], 0)
    if let pipe, !pipe.rewind() {
      if let fromTail = first.flacResumption(atOrBefore: decodedFrames) {
        resumption = fromTail
      } else if let fromTail = first.mpegResumption(atOrBefore: decodedFrames) {
        resumption = fromTail
        _ = pipe.seek(offset: pipe.bytesConsumed, whence: SEEK_SET)  // (its prefix runs to there)
      } else {
        whyNotFFmpeg = "FFmpeg cannot start again on a pipe past its first \(pipe.windowBytes >> 20) MiB"
        return false
      }
    }
    guard let ffmpeg = try? FFmpegSource(path: first.path, pipe: pipe, resumedBy: resumption.prefix, audioStream: nil, reach: .everything),
      ffmpeg.format == first.format
    else { return false }
    var chunk = AudioChunk(channels: format.channels)
    var skipped = resumption.firstSample
    do {
      while true {
        let wanted = Int(min(4096, max(1, decodedFrames - skipped)))
        let got = try ffmpeg.read(into: &chunk, maxFrames: wanted)
        if got == 0 { return false }
        if skipped + Int64(got) > decodedFrames {
          pending = Array(chunk.samples.dropFirst(Int(decodedFrames - skipped) * format.channels))
          break
        }
        skipped += Int64(got)
      }
    } catch {
      if ffmpeg.formatChanged { throw error }
      return false
    }
    rest = ffmpeg
    handover = (decodedFrames, reason)
    return true
  }

  private func readRest(into chunk: inout AudioChunk, maxFrames: Int) throws -> Int {
    chunk.channels = format.channels
    if pending.isEmpty {
      _ = try rest!.read(into: &chunk, maxFrames: maxFrames)
    } else {
      let count = min(pending.count, maxFrames * format.channels)
      chunk.removeAll()
      chunk.samples.append(contentsOf: pending[..<count])
      pending.removeFirst(count)
    }
    if !deliversFloats { chunk.samples.withUnsafeMutableBufferPointer { repair.repair($0) } }
    let frames = chunk.samples.count / format.channels
    decodedFrames += Int64(frames)
    return frames
  }
}
