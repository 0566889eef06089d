import CFFmpeg
import Glibc

/// Decodes what libsndfile does not read — MP4/M4A/MOV (AAC, ALAC), WebM and Matroska (Opus,
/// Vorbis, …), AMR, ASF/WMA, ADTS AAC and the rest of FFmpeg's demuxers — through libavformat and
/// libavcodec, from a path or from standard input ("-"), as Float32 frames.
///
/// The samples and their first and last frame are those of `ffmpeg -i X -map 0:a:N -f f32le -`:
/// the same demuxer and decoder (see `FFmpegInput`) and libswresample's conversion to float
/// (see `FFmpegSampleConversion`). Float samples are repaired by the chain (`FloatRepair`)
/// (NaN and ±Inf become 0, magnitudes beyond ±1024 are clamped; both counted). A stream whose
/// rate or channel count changes part-way is refused rather than resampled.
///
/// Standard input cannot seek, so an MP4 whose index (moov) follows its audio cannot be read
/// from it; that is refused before anything is decoded. Memory holds one decoded frame and one
/// block, whatever the input's length.
public final class FFmpegSource: DecodingSource {
  /// The names of files FFmpeg reads for audioprep, beyond libsndfile's.
  public static let fileExtensions = [
    "webm", "weba", "m4a", "m4b", "mp4", "mov", "mkv", "mka", "amr", "awb", "3gp", "3g2", "wma", "asf",
    "aac", "ac3", "mp2", "spx", "avi", "tta", "wv", "nut", "flv", "ape", "dts",
  ]

  public let path: String
  public let format: StreamFormat
  public let formatName: String
  public var decoderName: String { "FFmpeg" }
  public let announcedFrames: Int64?
  /// Container durations are estimates: never exact in advance.
  public var exactFrames: Int64? { nil }
  /// FFmpeg's audio decoders mostly decode to float (AAC, Opus, Vorbis, MP3, WMA): the chain
  /// repairs the samples (`FloatRepair`) whatever the codec.
  public var deliversFloats: Bool { true }
  public private(set) var truncation: String?
  public private(set) var decodedFrames: Int64 = 0

  private var input: FFmpegInput
  /// The input's bytes, looked through at the end for another stream joined on.
  private var bytes: FFmpegByteSource
  /// A file's container headers, found when it was opened (a pipe's are found as it is read);
  /// a scan that stopped short (`ScanReach.structure`) is replaced by one of the whole file when
  /// `fileHeaders` is first asked for.
  private var openingScan: StreamHeaderScanner?
  /// A file's container headers, the whole file looked through: for what is found at the end of
  /// the stream (another file joined on, a NUT index, an APE tag), which a scan that stopped
  /// short did not read.
  private var fileHeaders: StreamHeaderScanner? {
    openingScan = openingScan?.throughout(file: path)
    return openingScan
  }
  /// Decoded samples not yet handed out, from `pendingOffset` on.
  private var pending: [Float] = []
  private var pendingOffset = 0
  /// Frames decoded so far, handed out or pending.
  private var framesDecoded: Int64 = 0
  /// The most frames one decoded frame held.
  private var largestFrame: Int64 = 0
  /// Read through a pipe: standard input, a FIFO, a device.
  public let isStream: Bool
  private var atEnd = false
  private var rateCheck: RateAgainstTimestamps
  /// An MP4's sample times and movie time scale (`MP4SampleTimes`).
  private let sampleTimes: MP4SampleTimes
  /// The stream's rate or channel count changed part-way (refused: 65).
  private(set) var formatChanged = false
  /// Decoded frames at another rate or channel count than the stream's, not yet known to
  /// last: their format, how many in a row, and the stream's frames before them.
  private var oddFrames: (format: StreamFormat, count: Int, after: Int64)?
  /// Decoded frames at another format dropped as damage (they did not last).
  private var droppedFrames = 0
  /// An MP3's LAME tag not where its Info header's flags put it, or damaged there, as said with
  /// what FFmpeg does with it (`MPEGStreamExtent.infoFrameLibmpg123Ignores`).
  private var damagedLAMETag: String?
  /// The damage an MP3's Info frame shows before decoding (`damagedLAMETag`): what `info DIR`
  /// says without decoding (review46 W05: it said nothing that `info FILE` said).
  public var truncationAtOpen: String? { damagedLAMETag.map { "damaged: \($0)" } }
  /// Decoded frames in a row at another format that make a change of format, not damage.
  private static let lastingChange = 3
  /// A demuxer recognised the bytes (rather than being chosen by the name's extension).
  var recognisedByContent: Bool { input.recognisedByContent }

  /// Opens `path` ("-" for standard input); `audioStream` picks an audio stream other than the
  /// first (counting audio streams only, from 0).
  public convenience init(path: String, audioStream: Int? = nil) throws {
    try self.init(path: path, audioStream: audioStream, reach: .everything)
  }

  /// Opens `path` as `init(path:audioStream:)` does; `reach`: how far a file is looked through
  /// for another joined on when it is opened (`ScanReach`).
  package convenience init(path: String, audioStream: Int?, reach: ScanReach) throws {
    let pipe = try PipeReader.forInput(path)
    // A pipe with no byte is empty, as libsndfile's reading says it (review53 W4: FFmpeg's said
    // "not a readable audio file").
    if let pipe, pipe.endsBeforeItsFirstByte { throw AudioIOError(.invalidInput, path: path, pipe.emptyInputMessage) }
    do {
      try self.init(path: path, pipe: pipe, audioStream: audioStream, reach: reach)
    } catch let unrecognised as UnrecognisedFormat {
      throw unrecognised.error
    } catch let limited as PipeLimit {
      throw limited.error
    }
  }

  /// Opens `path`, or reads `pipe` from its current position when given. Throws
  /// `UnrecognisedFormat` when no FFmpeg demuxer claims the input.
  /// `probeByName`: whether the name's extension may help choose the demuxer (not when the
  /// bytes must decide alone, as they do on standard input). `reach`: how far a file is looked
  /// through for another joined on when it is opened (`ScanReach`). `resumedBy`: bytes that
  /// begin the stream again, read before the pipe's next ones (`SndFileSource.flacResumption`).
  init(path: String, pipe: PipeReader?, resumedBy prefix: [UInt8] = [], audioStream: Int?, probeByName: Bool = true, reach: ScanReach) throws {
    self.path = path
    isStream = pipe != nil
    var bytes: FFmpegByteSource
    if let pipe {
      bytes = prefix.isEmpty ? FFmpegByteSource(pipe: pipe) : FFmpegByteSource(prefix: prefix, then: pipe)
    } else {
      try SndFileSource.checkReadable(path)
      do {
        bytes = try FFmpegByteSource(path: path)
      } catch {
        throw AudioIOError(.cannotOpenInput, path: path, error.text)
      }
    }
    // Tags before a container, and large ones before anything, hidden as they are from
    // libsndfile (`ID3v2Tag.hiddenLength`).
    if prefix.isEmpty {
      let input = InputBytes(file: bytes.pipe == nil ? path : nil, pipe: bytes.pipe)
      // And an MP3's tags with zeros after them (`MPEGLead.hiddenLength`).
      let tags = max(ID3v2Tag.hiddenLength(input), MPEGLead.hiddenLength(input))
      if tags > 0 { bytes.hide(leading: tags) }
    }
    // A FLAC's STREAMINFO its frames contradict (or of 0 Hz), refused as libsndfile's reading
    // refuses it, before a frame is decoded (review36 T5, T6).
    if prefix.isEmpty, let refusal = FLACStreamInfoAgreement.refusal(InputBytes(file: bytes.pipe == nil ? path : nil, pipe: bytes.pipe)) {
      throw AudioIOError(.invalidInput, path: path, refusal)
    }
    if let pipe = bytes.pipe, prefix.isEmpty, MP4Layout.indexFollowsData(pipe) {
      throw AudioIOError(
        .invalidInput, path: path,
        "an MP4 whose index (moov) comes after its audio cannot be read from a pipe; "
          + "give its path instead, or remux it with ffmpeg -movflags +faststart")
    }
    bytes.readIndexClaims()
    if let refusal = bytes.indexRefusal { throw AudioIOError(.invalidInput, path: path, refusal) }
    sampleTimes = MP4SampleTimes.read(in: bytes)
    if let contradiction = sampleTimes.contradiction {
      throw AudioIOError(.invalidInput, path: path, contradiction)
    }
    self.bytes = bytes
    // A file with another file joined on is refused before anything is decoded (FFmpeg would
    // read on into it: a Matroska file's second part decoded as more of the first, an AVI or
    // NUT's at the first part's rate); a pipe's, at its end.
    openingScan = bytes.pipe == nil ? StreamHeaderScanner.scan(file: path, reach: reach) : nil
    // A NUT file ends with its index: what follows is not its audio (junk, or another file).
    // Only the whole file's scan finds it (a NUT has no structure to skip by), and with it any
    // file joined on.
    if openingScan?.first?.kind == .nut { openingScan = openingScan?.throughout(file: path) }
    if let refusal = openingScan?.joinRefusal {
      throw AudioIOError(.invalidInput, path: path, refusal)
    }
    bytes.end = openingScan?.nutEnd
    // The header's first bytes, read once for both questions (they were read twice), and
    // where they start in the input.
    let headStart = bytes.skip + max(0, bytes.seek(0, SEEK_CUR))
    let head = HeaderAnnouncedLength.head(of: bytes)
    if let contradiction = HeaderAnnouncedLength.contradiction(in: head) { throw AudioIOError(.invalidInput, path: path, contradiction) }
    if let head, let refusal = MatroskaAudioTrack.impossibleRate(head) { throw AudioIOError(.invalidInput, path: path, refusal) }
    // A CAF chunk claiming more than the input holds, refused as libsndfile's view refuses it.
    // (A tag before it is hidden from FFmpeg above: the head starts with the CAF's own.)
    var libsndfileMisplacesTheAudio = false
    if let head, head.starts(with: Array("caff".utf8)) {
      let input = InputBytes(file: path, pipe: bytes.pipe)
      let size = bytes.pipe == nil ? Descriptor.status(path)?.size : nil
      let claims = CAFChunkClaims(input, from: ID3v2Tag.length(input), size: size)
      if let refusal = claims?.refusal { throw AudioIOError(.invalidInput, path: path, refusal) }
      libsndfileMisplacesTheAudio = claims?.libsndfileMisplacesTheAudio == true
    }
    // Size fields FFmpeg's readers misread are shown to it as what they mean; the length is
    // announced from the header as it is (above).
    bytes.patches = FFmpegHeaderPatches.patches(for: head, at: bytes.seek(0, SEEK_CUR), inputSize: bytes.isSeekable ? bytes.lookAheadLimit : nil)
    // Free-format MPEG audio, which FFmpeg does not decode (it took an MP2 for raw H.263):
    // said as such (`MPEGFreeFormat`); under the default decoder libsndfile may read it.
    if prefix.isEmpty, MPEGFreeFormat.find(InputBytes(file: path, pipe: bytes.pipe)) != nil {
      throw UnrecognisedFormat(error: AudioIOError(.invalidInput, path: path, MPEGFreeFormat.what))
    }
    do {
      input = try FFmpegInput(path: path, bytes: bytes, audioStream: audioStream, probeByName: probeByName)
    } catch let failure as FFmpegInput.OpenFailure {
      if let refusal = bytes.indexRefusal { throw AudioIOError(.invalidInput, path: path, refusal) }
      // An AU whose audio starts past the input's end ("End of file"): nothing decodes, as
      // libsndfile's reading says (review35 R8).
      if let offset = head.flatMap(DeclaredAudioLength.auDataOffset), offset >= UInt64(bytes.pipe?.bytesConsumed ?? bytes.lookAheadLimit),
        let announced = HeaderAnnouncedLength.length(in: head, audioStream: 0), case .frames(let frames, _) = announced
      {
        throw AudioIOError(.invalidInput, path: path, NothingDecodes.message(announced: frames, why: nil))
      }
      // A container FFmpeg cannot open from a pipe with another file joined on (a CAF): the
      // join is the refusal (a file's was looked for above).
      if let pipe = bytes.pipe, pipe.headers.startsWithContainer {
        _ = pipe.readToTheEnd(limit: Int64(ContainerHeader.captureBytes))
        if let refusal = pipe.joinRefusal(mpeg: false) { throw AudioIOError(.invalidInput, path: path, refusal) }
      }
      if failure.limitOfAPipe {
        // libsndfile reads a CAF of PCM, A-law or µ-law from a pipe, not one of ALAC or AAC
        // (review34b B11: a CAF of ALAC was told to leave the decoder to libsndfile), nor one
        // whose chunks before the audio pass its header cache (review38 R8).
        let libsndfileReads =
          !libsndfileMisplacesTheAudio && (head.flatMap(ContainerHeader.cafEncoding).map { ["lpcm", "alaw", "ulaw"].contains($0) } ?? false)
        let advice = libsndfileReads ? ", or leave --decoder to libsndfile (auto), which reads this CAF from a pipe" : ""
        throw PipeLimit(error: AudioIOError(.invalidInput, path: path, failure.message + advice), libsndfileDecodesIt: libsndfileReads)
      }
      let error = AudioIOError(.invalidInput, path: path, failure.explained ? failure.message : "not a readable audio file (\(failure.message))")
      throw failure.recognised ? error : UnrecognisedFormat(error: error)
    }
    formatName = input.formatName
    // An Ogg stream's last pages say whether it ended (`OggLength`), a FLAC's last frame whether
    // it is STREAMINFO's stream, an AC-3 or ADTS stream's last bytes whether a frame was cut in
    // its header (`frameCutInItsHeader`): a pipe keeps its tail.
    if ["flac", "ac3", "eac3", "aac"].contains(input.demuxerName), let pipe = bytes.pipe { pipe.keepsTail = true }
    if input.demuxerName == "ogg", let pipe = bytes.pipe {
      pipe.keepsTail = true
      oggHead = InputBytes(file: path, pipe: pipe).read(at: 0, count: 512)
    }
    if input.demuxerName == "mp3", let refusal = openingScan?.mpegFiles.refusal {
      throw AudioIOError(.invalidInput, path: path, refusal)
    }
    // A file whose frames change rate or channel mode, before a sample is decoded, as
    // libsndfile's reading refuses it (review35 R15).
    if input.demuxerName == "mp3", bytes.pipe == nil, reach == .everything, let change = MPEGStreamExtent.formatChange(file: path) {
      formatChanged = true
      throw AudioIOError(.invalidInput, path: path, change)
    }
    // An MP3 or MP2 file whose first headers are damaged is decoded as a stream (review36 T9,
    // T11): FFmpeg's reader trims a seekable input's gapless delay and padding by its own
    // reading of the Info header, a stream's by `gaplessEnd`, and the two part over damaged
    // headers (66150 frames from the file, 66287 from standard input). Read forward, the same
    // bytes give the same frames. (An honest one is read as a file: a stream's Info header
    // behind a tag of 64 KiB or more is not read for its trim: review37c X1, X3.)
    if input.demuxerName == "mp3", bytes.pipe == nil, MPEGStreamExtent.damagedHeaderNearTheStart(Self.head(of: bytes, path: path)) != nil {
      let forward: FFmpegByteSource
      do {
        forward = try FFmpegByteSource(readingForward: path)
      } catch {
        throw AudioIOError(.cannotOpenInput, path: path, error.text)
      }
      if bytes.skip > 0 { forward.hide(leading: max(0, bytes.skip - (forward.pipe?.skippedTagBytes ?? 0))) }
      forward.patches = bytes.patches
      forward.end = bytes.end
      do {
        input = try FFmpegInput(path: path, bytes: forward, audioStream: audioStream, probeByName: probeByName)
      } catch let failure as FFmpegInput.OpenFailure {
        throw AudioIOError(.invalidInput, path: path, "not a readable audio file (\(failure.message))")
      }
      bytes = forward
      self.bytes = forward
    }
    // The first decoded frame says what the decoder really emits (HE-AAC doubles the rate the
    // container declares); an input without any takes the declared format.
    let first = input.nextFrame()
    let rate = first.map { Int($0.pointee.sample_rate) } ?? input.declaredRate
    let channels = first.map { Int($0.pointee.ch_layout.nb_channels) } ?? input.declaredChannels
    // A demuxer the name chose, that found no frame and declares no usable stream, read nothing:
    // the bytes are not its format (random bytes named .flac were "raw FLAC: 0 channels";
    // review34a A4). Said as a pipe, which has no name, says it.
    if first == nil, !input.recognisedByContent, !(1...1024).contains(channels) || rate <= 0 {
      throw UnrecognisedFormat(error: AudioIOError(.invalidInput, path: path, "not a readable audio file (Format not recognised)"))
    }
    guard (1...1024).contains(channels) else {
      throw AudioIOError(.invalidInput, path: path, "\(formatName): \(channels) channels")
    }
    guard rate > 0 else {
      throw AudioIOError(.invalidInput, path: path, "\(formatName): a sample rate of \(rate) Hz")
    }
    format = StreamFormat(sampleRate: rate, channels: channels)
    rateCheck = RateAgainstTimestamps(rate: rate, timeBase: input.streamTimeBase)
    // An MP3's length is its Info header's, less the LAME tag's delay and padding, as libsndfile's
    // reading takes it (FFmpeg's own counts the padding, and a pipe's knows none).
    let mpegHead = input.demuxerName == "mp3" && prefix.isEmpty ? Self.head(of: bytes, path: path) : nil
    let mpeg = mpegHead.flatMap(MPEGStreamExtent.announcement)
    // A LAME tag not where its Info header's flags put it (a flag damaged, review43 H02; the tag
    // moved, review44 H03): FFmpeg finds no tag where they say, and trims nothing, without a word.
    let inputBytes = InputBytes(file: path, pipe: bytes.pipe)
    let readSoFar = bytes.pipe?.bytesConsumed ?? .max
    if mpegHead != nil, let info = MPEGStreamExtent.infoFrameLibmpg123Ignores({ inputBytes.read(at: $0, count: Int(max(0, min(Int64($1), readSoFar - $0)))) }) {
      // (At the input's byte: a pipe's bytes begin after the ID3v2 tags it read past.)
      let said = info.damage.said(at: info.start + (bytes.pipe?.skippedTagBytes ?? 0))
      switch info.damage {
      case .misplacedLAMETag: damagedLAMETag = said + ", and FFmpeg decodes the stream untrimmed"
      case .lameTagCRC, .lameTrimPastTheStream: damagedLAMETag = said + ", and FFmpeg trims the stream by what it reads there"
      case .sideInformation, .marker, .vbriHeader: break
      }
    }
    // Read now that FFmpeg has opened the input: a pipe's walk to the audio chunk is past any
    // chunk before it larger than its window (`HeaderBytes`; a stream resumed mid-way has only
    // the bytes it was resumed with).
    let headerLength = HeaderAnnouncedLength.length(
      in: head.map { HeaderBytes($0, input: prefix.isEmpty ? InputBytes(file: path, pipe: bytes.pipe) : nil, start: headStart) },
      audioStream: audioStream ?? 0)
    let fromHeader = headerLength?.frames(at: rate)
    // The header's own length is taken over FFmpeg's: a data size or a count of samples, and a
    // duration FFmpeg passes on only when the input is whole (ASF) or estimates from a file's
    // bytes (AVI: review40 G02, an AVI of MP3 cut to 60 % said nothing from its file, where its
    // pipe said `truncated`).
    announcedFrames = mpeg?.frames ?? fromHeader ?? input.announcedFrames(rate: rate)
    if let mpeg, let padding = mpeg.padding, padding > 0 {
      gaplessEnd = (mpeg.frames, padding)
      input.decodesEndPadding = true
    }
    // So does a PCM header's data size at the rate decoded: an 8SVX's `BODY` is one packet,
    // whose frames the tolerance of a packet let go (half of it cut off: no word).
    if headerLength?.isExact(at: rate) == true, mpeg == nil { countsExactly = true }
    if countsExactly, headerLength?.isDataSize == true { dataChunkFrames = fromHeader }
    if mpeg?.padding != nil { countsExactly = true }
    if let first { try absorb(first) } else { try finish() }
  }

  public func read(into chunk: inout AudioChunk, maxFrames: Int) throws -> Int {
    let channels = format.channels
    let wanted = maxFrames * channels
    while pending.count - pendingOffset - heldBack * channels < wanted && !atEnd {
      if pendingOffset > 0 {
        pending.removeFirst(pendingOffset)
        pendingOffset = 0
      }
      if let frame = input.nextFrame() { try absorb(frame) } else { try finish() }
    }
    try refuseAFileJoinedOnAPipe()
    let count = min(wanted, pending.count - pendingOffset - heldBack * channels)
    chunk.channels = channels
    chunk.removeAll()
    chunk.samples.append(contentsOf: pending[pendingOffset..<pendingOffset + count])
    pendingOffset += count
    decodedFrames += Int64(count / channels)
    return count / channels
  }

  /// An MP3's end where its Info header says the stream ends, and the LAME tag's padding, which
  /// FFmpeg decodes past that end: its own trim, where the count says, is turned off
  /// (`FFmpegInput.decodesEndPadding`), and a pipe's it never made (nor a file's followed by
  /// bytes that are not frames: review38 R2, 5000 zero bytes kept 303 frames of padding).
  /// Frames past the end are held back, as many as the padding, and dropped where the stream
  /// ends, so that an honest input gives the frames the header counts, and one whose stream goes
  /// on past its count loses its padding at its end, not where the count says, from a file as
  /// from a pipe (review40 G07: a count of half the frames gave a pipe 731 frames more than the
  /// file, and FFmpeg's trim of the file dropped 1141 frames in the middle of its stream).
  private var gaplessEnd: (frames: Int64, padding: Int64)?

  /// Decoded frames held back in `pending` (`gaplessEnd`): the last ones past the end, no more
  /// than the padding.
  private var heldBack: Int {
    guard let (end, padding) = gaplessEnd, framesDecoded > end else { return 0 }
    return Int(min(framesDecoded - end, padding))
  }

  /// An MP3's first 64 KiB from its first frame (of a pipe's bytes that have arrived, inside
  /// its window: `MPEGStreamExtent.head`), for its Info header, read beside FFmpeg.
  private static func head(of bytes: FFmpegByteSource, path: String) -> [UInt8] {
    guard let pipe = bytes.pipe else { return MPEGStreamExtent.head(InputBytes(file: path, pipe: nil)) }
    return MPEGStreamExtent.head(InputBytes(file: nil, pipe: pipe), available: pipe.bytesConsumed)
  }

  /// Appends a decoded frame to `pending`, converted and repaired.
  private func absorb(_ frame: UnsafeMutablePointer<AVFrame>) throws {
    let rate = Int(frame.pointee.sample_rate)
    let channels = Int(frame.pointee.ch_layout.nb_channels)
    if rate != format.sampleRate || channels != format.channels {
      if let joinedFile {
        formatChanged = true
        throw AudioIOError(.invalidInput, path: path, joinedFile)
      }
      // A change that lasts is refused; a frame or two at another format amid the stream's
      // own is a false frame header in damaged bytes (an MP3 hole), dropped as damage.
      let odd = StreamFormat(sampleRate: rate, channels: channels)
      if let pending = oddFrames, pending.format == odd {
        oddFrames?.count += 1
      } else {
        droppedFrames += oddFrames?.count ?? 0
        oddFrames = (odd, 1, framesDecoded)
      }
      if let pending = oddFrames, pending.count >= Self.lastingChange {
        formatChanged = true
        if rate != format.sampleRate {
          throw AudioIOError(
            .invalidInput, path: path,
            "the sample rate changes from \(format.sampleRate) to \(rate) Hz after \(pending.after) frames; audioprep does not follow such changes")
        }
        throw AudioIOError(
          .invalidInput, path: path,
          "the channel count changes from \(format.channels) to \(channels) after \(pending.after) frames; audioprep does not follow such changes")
      }
      return
    }
    droppedFrames += oddFrames?.count ?? 0
    oddFrames = nil
    let frames = Int(frame.pointee.nb_samples)
    guard frames > 0 else { return }
    if framesBeforeTheFirstError == nil, input.decodeErrors > 0 || input.decoderComplaints.count > 0 { framesBeforeTheFirstError = framesDecoded }
    let timestamp = frame.pointee.best_effort_timestamp
    if let wrongRate = rateCheck.check(timestamp: timestamp == cffmpeg_no_pts() ? nil : timestamp, framesBefore: framesDecoded) {
      if let joinedFile {
        formatChanged = true
        throw AudioIOError(.invalidInput, path: path, joinedFile)
      }
      throw AudioIOError(.invalidInput, path: path, "\(formatName): \(wrongRate)")
    }
    let start = pending.count
    pending.append(contentsOf: [Float](repeating: 0, count: frames * channels))
    let converted = pending.withUnsafeMutableBufferPointer { buffer in
      FFmpegSampleConversion.interleave(
        frame, frames: frames, channels: channels, into: UnsafeMutableBufferPointer(rebasing: buffer[start...]))
    }
    guard converted else {
      let name = ff.av_get_sample_fmt_name!(AVSampleFormat(rawValue: frame.pointee.format)).map { String(cString: $0) } ?? "unknown"
      throw AudioIOError(.invalidInput, path: path, "\(formatName): decoded to sample format \(name), which audioprep does not convert")
    }
    framesDecoded += Int64(frames)
    largestFrame = max(largestFrame, Int64(frames))
    if let end = dataChunkFrames, framesDecoded >= end {
      pending.removeLast(Int(framesDecoded - end) * channels)
      framesDecoded = end
      try finish()
    }
  }

  /// The frames decoded before the decoder's first error or complaint (nil before one, and
  /// all of them when it came after the last frame). Errors after the audio's end — the frames
  /// the header announces, or an MP3's frames walked when it announces none — are about bytes
  /// after the audio (an ID3v1 or APE tag, zero padding after a FLAC's or an MP3's last frame:
  /// review39 F02, "damaged: the decoder reported 1 error(s)"), which lose nothing.
  private var framesBeforeTheFirstError: Int64?

  /// An AC-3 or ADTS stream that ends a few bytes into a frame: FFmpeg's ADTS parser drops
  /// bytes after its last packet that begin a header and end before the frame it declares; its
  /// AC-3 parser hands up to 6 bytes that begin a header (before any audio) to the decoder with
  /// the frame before them, which decodes that frame alone. Both without a word, where a cut
  /// further into a frame is an "incomplete frame" (review41 H02). nil otherwise.
  private func frameCutInItsHeader() -> String? {
    let demuxer = input.demuxerName
    if demuxer == "mpegts" { return transportPacketCut() }
    guard ["ac3", "eac3", "aac"].contains(demuxer),
      let end = bytes.pipe.map({ $0.bytesConsumed }) ?? Descriptor.status(path)?.size
    else { return nil }
    let tail = InputBytes(file: path, pipe: bytes.pipe).tail
    func tailBytes(from offset: Int64) -> [UInt8]? {
      guard offset < end, end - offset <= Int64(tail.count) else { return nil }
      return Array(tail.suffix(Int(end - offset)))
    }
    if demuxer == "aac" {
      // An ADTS header: 12 sync bits, layer 0; its 13-bit frame length from its fourth byte.
      let start = input.lastPacketEnd + bytes.skip
      guard let rest = tailBytes(from: start), rest.count <= 16, rest[0] == 0xFF, rest.count == 1 || rest[1] & 0xF6 == 0xF0 else { return nil }
      let length = rest.count >= 6 ? Int(rest[3] & 0x03) << 11 | Int(rest[4]) << 3 | Int(rest[5] >> 5) : Int.max
      return rest.count < length ? Self.cutInItsHeader(at: start, rest.count) : nil
    }
    // The last packet's frame, by its header's size: what follows it, if it begins a header.
    let start = input.lastPacketStart + bytes.skip
    guard let packet = tailBytes(from: start), let frame = Self.ac3FrameBytes(packet), frame < packet.count else { return nil }
    let rest = packet[frame...]
    guard rest.count < 7, rest.first == 0x0B, rest.count == 1 || rest.dropFirst().first == 0x77 else { return nil }
    return Self.cutInItsHeader(at: start + Int64(frame), rest.count)
  }

  /// Demuxers whose packets are framed by the container (a block, a tag, a PES): one it says
  /// is corrupt was cut short or damaged.
  private static let framedPackets: Set<String> = ["matroska,webm", "flv", "mpegts", "mpeg"]

  /// An MPEG-TS input that ends inside a packet (188 bytes, 192 in M2TS with its 4-byte time
  /// code before the sync byte): the packet where its sync byte says, one packet after
  /// another's, cut. FFmpeg drops the PES it ends, without a word when it has no length
  /// (review41 H19: a pipe-written TS cut at 63 % lost it silently).
  private func transportPacketCut() -> String? {
    guard let end = bytes.pipe.map({ $0.bytesConsumed }) ?? Descriptor.status(path)?.size else { return nil }
    let tail = InputBytes(file: path, pipe: bytes.pipe).tail
    for (size, sync) in [(188, 0), (192, 4)] {
      let cut = Int((end - bytes.skip) % Int64(size))
      guard cut > sync, tail.count >= cut + size else { continue }
      let partial = tail.count - cut
      if tail[partial + sync] == 0x47, tail[partial - size + sync] == 0x47 {
        return "the input ends \(cut) bytes into a \(size)-byte MPEG-TS packet (at byte \(end - Int64(cut))), which FFmpeg drops with the audio it ends"
      }
    }
    return nil
  }

  private static func cutInItsHeader(at offset: Int64, _ count: Int) -> String {
    "the last frame, at byte \(offset), is cut inside its header (\(count) bytes are there), which FFmpeg drops"
  }

  /// The bytes of the AC-3 or E-AC-3 frame whose header `frame` starts with; nil when it is none.
  private static func ac3FrameBytes(_ frame: [UInt8]) -> Int? {
    guard frame.count >= 6, frame[0] == 0x0B, frame[1] == 0x77 else { return nil }
    let bsid = Int(frame[5] >> 3)
    if bsid > 10 {  // E-AC-3: an 11-bit size in 16-bit words, less one
      return (Int(frame[2] & 0x07) << 8 | Int(frame[3]) + 1) * 2
    }
    let rateCode = Int(frame[4] >> 6), sizeCode = Int(frame[4] & 0x3F)
    let kilobits = [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512, 576, 640]
    guard rateCode < 3, sizeCode / 2 < kilobits.count else { return nil }
    let bitRate = kilobits[sizeCode / 2]
    switch rateCode {
    case 0: return bitRate * 4  // 48 kHz: 2 words a kb/s
    case 1: return (bitRate * 320 / 147 + (sizeCode & 1)) * 2  // 44.1 kHz
    default: return bitRate * 6  // 32 kHz
    }
  }

  /// A file joined on, among the bytes read so far: what to say when the decoder stumbles on
  /// it (a pipe's meets it before the input is looked through at its end), rather than the
  /// rate change or timestamps it sees there.
  private var joinedFile: String? {
    let mpeg = input.demuxerName == "mp3"
    guard isStream else { return fileHeaders?.joinRefusal(mpeg: mpeg) }
    return bytes.pipe?.joinRefusal(mpeg: mpeg)
  }

  /// A pipe's bytes read so far holding a second file (`StreamHeaderScanner.joinRefusal(mpeg:)`):
  /// the refusal, before another frame is delivered. The reader runs ahead of the decoder, so
  /// the first file's frames may be cut short, never the second's delivered (review35b S6: an
  /// MP3 joined to itself gave both copies before the 65). A file's was refused when opened.
  private func refuseAFileJoinedOnAPipe() throws {
    guard isStream, let refusal = bytes.pipe?.joinRefusal(mpeg: input.demuxerName == "mp3") else { return }
    formatChanged = true
    throw AudioIOError(.invalidInput, path: path, refusal)
  }

  /// An MP3 whose Info header and LAME tag give its length to the frame (the frame count, less
  /// the encoder's delay and padding), or a PCM header's data size: any shortfall is lost audio
  /// (review35b S8: one frame of 576 dropped over a damaged header was within the 0.1 s a
  /// rounded length is allowed).
  private var countsExactly = false

  /// The frames of a PCM header's data chunk: its audio. FFmpeg's reading stops there in a file
  /// and reads on from a pipe into what follows (review37a U19: a second `data` chunk, its
  /// header decoded as samples): frames past it are not decoded from either.
  private var dataChunkFrames: Int64?

  /// A pipe's first Ogg page, read at open (`OggLength`: the window may be gone at the end).
  private var oggHead: [UInt8]?

  /// The end of the stream: a decoder that never produced anything fails, and so does a stream
  /// of which nothing decodes although its container announces audio; a stream shorter than
  /// its container announces, or that the demuxer gave up on, is a truncation, with both lengths.
  ///
  /// The rule is the same for every container that announces a length (not one libavformat
  /// guessed from the bit rate): an MP4's index counts frames exactly; a duration in
  /// milliseconds or in packets (Matroska, ASF, AVI, FLV, NUT, TTA, WavPack, …) is rounded, and
  /// codec padding makes it differ a little, so there a shortfall counts beyond 0.1 s or one
  /// decoded frame, whichever is longer (a container counting whole packets, such as CAF,
  /// announces the last one's padding too).
  private func finish() throws {
    atEnd = true
    // The padding past an MP3's end, decoded because a pipe's end was not known (`gaplessEnd`).
    let padding = heldBack
    if padding > 0 {
      pending.removeLast(padding * format.channels)
      framesDecoded -= Int64(padding)
      gaplessEnd = nil
    }
    if let refusal = bytes.indexRefusal { throw AudioIOError(.invalidInput, path: path, refusal) }
    // An Ogg stream's length is its last pages' granule position (`OggLength`, as libsndfile's
    // reading takes it, Opus's pre-skip taken off): a pipe's is known only now, at its end.
    // A FLAC whose last frames are another stream's (another FLAC's frames joined on without
    // its header): FFmpeg's reading dropped them as false frame headers (review39 F16).
    if input.demuxerName == "flac", let change = flacFormatChange() {
      formatChanged = true
      throw AudioIOError(.invalidInput, path: path, change)
    }
    let oggLength =
      input.demuxerName == "ogg" ? OggLength.length(file: isStream ? nil : path, pipe: bytes.pipe, rate: format.sampleRate, head: oggHead) : nil
    // A length read from the timestamps at a file's two ends (MPEG-PS, MPEG-TS) is no header's:
    // what is missing between them is found as a pipe finds it, by the timestamps read (review47
    // W02: a TS with packets lost was "truncated: the header announces" from a file, a corrupt
    // packet from a pipe), and errors past it may be a joined recording's, whose timestamps
    // restarted (review47 H04: half a joined TS gone unsaid).
    let announcedFrames = oggLength?.largest ?? (input.lengthFromEndTimestamps ? nil : announcedFrames)
    if framesDecoded == 0, input.decodeErrors > 0 {
      throw AudioIOError(.invalidInput, path: path, "decoding failed: \(input.lastDecodeError ?? "no frame decoded")")
    }
    // An MP4's edit list counts in the movie's time scale (milliseconds from ffmpeg): its
    // length is rounded to one tick. Another container's may count the last packet whole.
    let tolerance: Int64 =
      if countsExactly { 0 }
      else if input.demuxerName.hasPrefix("mov") { Int64(format.sampleRate) / max(1, sampleTimes.movieTimescale ?? Int64(format.sampleRate)) + 1 }
      else { max(Int64(format.sampleRate / 10), largestFrame, Int64(input.nominalFrameSize)) }
    if framesDecoded == 0, let announcedFrames, announcedFrames > (input.demuxerName.hasPrefix("mov") ? tolerance : 0) {
      throw AudioIOError(.invalidInput, path: path, NothingDecodes.message(announced: announcedFrames, why: input.demuxFailure))
    }
    // Nor is one FFmpeg stopped reading before any audio, whatever its header announces
    // (review37a U21: a CAF claiming 2^31 bytes a packet, 0 frames announced, gave an empty
    // output, exit 0).
    if framesDecoded == 0, let failure = input.demuxFailure {
      throw AudioIOError(.invalidInput, path: path, NothingDecodes.stoppedBeforeAnyAudio(failure))
    }
    // Nor is one whose index lists packets, whatever its header announces (review41 H21: an
    // M4A whose `mvhd` box name had a bit flipped announced 0 frames and gave an empty output,
    // exit 0, where its sample table lists 174 packets): more than the encoder's priming and
    // padding may take whole (an honest AAC of 10 samples lists 2 packets, and gives none).
    if framesDecoded == 0, input.indexedPackets > 3 {
      throw AudioIOError(.invalidInput, path: path, NothingDecodes.indexedButNoneDecodes(input.indexedPackets))
    }
    let headers = inputHeaders()
    let announced = announcedFrames.map { "the header announces \($0) frames, " } ?? ""
    // What damage left, with the length the header announces when that is more (review60 W3: a
    // TTA cut inside its last frame said "the decoder reported 1 error(s) (last: CRC error)"
    // and only what it held, the announced length within the last frame's tolerance).
    let holds = announcedFrames.map { framesDecoded < $0 } == true ? "\(announced)the input holds \(framesDecoded)" : "the input holds \(framesDecoded) frames"
    if let refusal = headers.joinRefusal(mpeg: input.demuxerName == "mp3") {
      formatChanged = true
      throw AudioIOError(.invalidInput, path: path, refusal)
    }
    // WavPack ends with an APE tag, which FFmpeg skips in a file (it seeks to it first) and
    // takes for a damaged block in a pipe: there, stopping at it is the end.
    let stoppedAtATag = headers.markers.contains { $0.kind == .apeTag && $0.offset >= input.lastPacketEnd + bytes.skip }
    if let failure = input.demuxFailure, !stoppedAtATag {
      truncation = "truncated or damaged: \(announced)the input holds \(framesDecoded) (FFmpeg stopped reading: \(failure))"
    } else if let announcedFrames {
      if framesDecoded < announcedFrames - tolerance {
        truncation = "truncated: \(announced)the input holds \(framesDecoded)"
      } else if framesDecoded < announcedFrames - input.announcedRounding(rate: format.sampleRate), !stoppedAtATag,
        let complaint = input.demuxerComplaint
      {
        // Short by less than codec padding may make a length differ, but more than its rounding,
        // where the demuxer said the input ended early (a WebM cut by 1 KB: "File ended
        // prematurely", 87 ms lost without a word). Damage past the last audio (a Matroska's
        // cues, which a pipe never reads) loses nothing, and is not said.
        truncation = "truncated: \(announced)the input holds \(framesDecoded) (FFmpeg: \(complaint.trimmingTrailingPeriod))"
      }
    }
    if truncation == nil, let warning = headers.audioEndsEarlyWarning(frames: framesDecoded) { truncation = warning }
    if truncation == nil, let cut = frameCutInItsHeader() { truncation = "damaged: \(cut); the input holds \(framesDecoded) frames" }
    if truncation == nil || truncation?.hasPrefix("truncated: ") == true, let wrongRate = rateCheck.fewerFramesThanTimestamps() {
      truncation = "\(wrongRate); the input holds \(framesDecoded) frames"
    }
    // A container that announces no length (Matroska, WebM, MPEG-TS written to a pipe) cut short
    // or holed: what its demuxer said of it, an error it logged or a packet it marked corrupt
    // (review41 H19, H20: half the audio lost without a word, where a file-written one said it).
    if truncation == nil, announcedFrames == nil, !stoppedAtATag, let complaint = input.demuxerComplaint {
      truncation = "truncated or damaged: the input holds \(framesDecoded) frames (FFmpeg: \(complaint.trimmingTrailingPeriod))"
    }
    // An MPEG-TS whose packets leave their grid: bytes lost or overwritten, which the demuxer
    // reads past without a word (review45 H03, H05), from a file and a pipe alike.
    if truncation == nil, input.demuxerName == "mpegts", let grid = headers.transportGrid, let at = grid.firstBreak {
      truncation = "damaged: the \(grid.packetBytes)-byte MPEG-TS packets leave their grid at byte \(at + (bytes.pipe?.skippedTagBytes ?? 0))\(grid.breaks > 1 ? " (and at \(grid.breaks - 1) place\(grid.breaks == 2 ? "" : "s") after it)" : "") (bytes lost or overwritten), which FFmpeg reads past; the input holds \(framesDecoded) frames"
    }
    // (Containers whose packets the container frames: a PCM container's last read, short of
    // its packet size, is flagged too, and is its honest end.)
    if truncation == nil, Self.framedPackets.contains(input.demuxerName), case let corrupt = input.corruptPackets, corrupt > 0 {
      truncation = "damaged: FFmpeg's demuxer found \(corrupt) packet\(corrupt == 1 ? "" : "s") of the stream corrupt (cut short or damaged); \(holds)"
    }
    // A NUT file ends with its index (FFmpeg complains of its absence only in a file, where it
    // seeks to the end): without one, the input was cut, from a file or a pipe alike.
    let isNUT = input.demuxerName == "nut"
    if truncation == nil, isNUT, !headers.markers.contains(where: { $0.kind == .nutIndex }) {
      truncation = "truncated or damaged: the input holds \(framesDecoded) frames (a NUT file ends with its index; this one has none)"
    }
    // A NUT file's length is its timestamps' (FFmpeg reads a file's from its index, which a pipe
    // meets only at its end): frames missing between them are damage, said from a pipe as from
    // a file (review34a A9: a fifth zeroed lost 0.7 s from a pipe without a word).
    // (So is a Matroska, WebM, FLV or TS written to a pipe, with no length of its own, whose
    // demuxer stepped over damage to the next cluster without a word: review45 H04, a fifth of
    // an MKV's MP3 gone from a file.)
    if truncation == nil, isNUT || Self.framedPackets.contains(input.demuxerName), announcedFrames == nil,
      let missing = rateCheck.framesMissing(), missing > tolerance
    {
      truncation = "truncated: the timestamps announce \(framesDecoded + missing) frames, the input holds \(framesDecoded)"
    }
    // A file's length from the timestamps at its two ends, past what its packets gave: said in
    // those words, once the grid and the packets had their say (as a pipe's would).
    if truncation == nil, input.lengthFromEndTimestamps, let span = self.announcedFrames, framesDecoded < span - tolerance {
      truncation = "truncated: the timestamps announce \(span) frames, the input holds \(framesDecoded)"
    }
    // An Ogg stream's last page ends it (its end-of-stream flag): a stream without it was cut
    // (Speex, Ogg FLAC; the granule positions of the pages left announce only what is there).
    if truncation == nil, oggLength?.endsStream == false {
      truncation = "truncated: \(OggLength.notEnded); the input holds \(framesDecoded) frames"
    }
    if truncation == nil, !isNUT, let complaint = input.headerComplaint {
      truncation = "truncated or damaged: the input holds \(framesDecoded) frames (FFmpeg: \(complaint.trimmingTrailingPeriod))"
    }
    // Packets the decoder rejected part-way, or decoded although their checksum failed (TTA,
    // WavPack): audio lost or garbled.
    let complaints = input.decoderComplaints
    let chain = input.demuxerName == "mp3" ? mpegChain() : nil
    let firstError = input.decodeErrors > 0 || complaints.count > 0 ? framesBeforeTheFirstError ?? framesDecoded : nil
    // (A pipe past its window: by the frames walked as it passed, when the decoder decoded those
    // and no more: frames after a break in them are damage the walk did not see.)
    let pipeFrames = chain == nil && input.demuxerName == "mp3" && isStream ? bytes.pipe.flatMap(MPEGFrameChain.samples(atTheEndOf:)) : nil
    let walkedEnd =
      chain.flatMap { chain in chain.samplesBeforeAnyErrorItExplains.flatMap { framesDecoded >= $0 ? $0 : nil } }
      ?? pipeFrames.flatMap { (framesDecoded >= $0.beforeAnyErrorItExplains && framesDecoded <= $0.all) ? $0.beforeAnyErrorItExplains : nil }
    let errorsAfterTheEnd = firstError.map { first in [announcedFrames, walkedEnd].contains { $0.map { first >= $0 } == true } } ?? false
    if truncation == nil, firstError != nil, !errorsAfterTheEnd {
      let reason = (complaints.last ?? input.lastDecodeError)?.trimmingTrailingPeriod ?? "no reason given"
      truncation = "damaged: the decoder reported \(max(input.decodeErrors, complaints.count)) error(s) (last: \(reason)); \(holds)"
    }
    // Packets the stream's parser could not parse, which the demuxer then dropped (review45 H08:
    // a WebM Opus packet damaged, 20 ms gone without a word).
    if truncation == nil, case let parser = input.parserComplaints, parser.count > 0 {
      truncation = "damaged: FFmpeg's parser of the stream reported \(parser.count) error(s) (last: \((parser.last ?? "no reason given").trimmingTrailingPeriod)); \(holds)"
    }
    if truncation == nil, let shortfall = sampleTimes.shortfall {
      truncation = "damaged: \(shortfall); the input holds \(framesDecoded) frames"
    }
    // A damaged MP3 frame header, which FFmpeg decodes over or past without a word (review36
    // T8-T11: lengths changed silently): said from the frames walked, as libsndfile's reading
    // says it, from a file and a pipe alike (a pipe's when its window holds it whole).
    if truncation == nil, let damage = chain?.damageForFFmpeg {
      truncation = "damaged: \(damage); the input holds \(framesDecoded) frames"
    }
    // A pipe past its window: its last frame cut short, or damage after which its frames no
    // longer followed one another, from the frames walked as it passed.
    if truncation == nil, chain == nil, input.demuxerName == "mp3", isStream, let pipe = bytes.pipe, let damage = MPEGFrameChain.damage(atTheEndOf: pipe) {
      truncation = "damaged: \(damage); the input holds \(framesDecoded) frames"
    }
    if truncation == nil, let damagedLAMETag {
      truncation = "damaged: \(damagedLAMETag); the input holds \(framesDecoded) frames"
    }
    // Frames at another format amid the stream's own (the last ones too: a change that did not
    // last), dropped.
    droppedFrames += oddFrames?.count ?? 0
    oddFrames = nil
    if droppedFrames > 0 {
      let dropped = "\(droppedFrames) decoded frame\(droppedFrames == 1 ? "" : "s") at another rate or channel count dropped (false frame headers in damaged bytes)"
      truncation = truncation.map { "\($0); \(dropped)" } ?? "damaged: \(dropped); the input holds \(framesDecoded) frames"
    }
  }

  /// An MP3's or MP2's frames walked by their headers (`MPEGFrameChain`); nil for a pipe's
  /// past its window (a file decoded as a stream is walked as the file).
  private func mpegChain() -> MPEGFrameChain? {
    if isStream, let pipe = bytes.pipe { return MPEGFrameChain.walk(pipe: pipe) }
    return MPEGFrameChain.walk(file: path)
  }

  /// The container headers in the whole input (another stream joined on, a NUT index, an APE
  /// tag): a file is read again, a pipe read on from where FFmpeg stopped (up to 64 MiB).
  /// What changes between a FLAC's STREAMINFO and its last frame (`FLACFrameFormat.formatChange`).
  private func flacFormatChange() -> String? {
    let info = input.flacStreamInfo
    guard info.count == 34 else { return nil }
    let tail = InputBytes(file: path, pipe: bytes.pipe).tail
    return FLACFrameFormat.formatChange(tail: tail, streamInfo: info, blockSize: max(1, Int(info[0]) << 8 | Int(info[1])))
  }

  private func inputHeaders() -> StreamHeaderScanner {
    if isStream, let pipe = bytes.pipe {
      _ = pipe.readToTheEnd()
      return pipe.headers
    }
    return fileHeaders ?? StreamHeaderScanner.scan(file: path, reach: .everything)
  }

  /// The versions of libavformat, libavcodec and libavutil in use: loads them.
  public static var libraryVersions: String { FFmpegInput.libraryVersions }
  /// The versions of the FFmpeg headers audioprep was built against: loads nothing.
  public static var headerVersions: String { FFmpegInput.headerVersions }
}

/// Where an MP4's index sits, read from the first bytes of a pipe: the top-level boxes
/// (`ftyp`, `free`, …) are walked until `moov` or `mdat` comes first.
enum MP4Layout {
  /// Box types an MP4 or QuickTime file may start with.
  private static let leadingBoxes: Set<String> = ["ftyp", "wide", "free", "skip", "mdat", "moov", "pnot"]
  /// How far to walk: the boxes before `moov` or `mdat` are small, and the pipe must stay
  /// inside its window to rewind.
  private static let walkLimit: Int64 = 1 << 20

  /// True when `pipe` holds an MP4 whose `mdat` comes before its `moov`. Leaves `pipe` at the
  /// position it had (its start).
  static func indexFollowsData(_ pipe: PipeReader) -> Bool {
    let start = pipe.tell
    defer { _ = pipe.seek(offset: start, whence: SEEK_SET) }
    var offset = start
    var header = [UInt8](repeating: 0, count: 16)
    for index in 0..<64 {
      guard offset - start <= walkLimit - 16, pipe.seek(offset: offset, whence: SEEK_SET) == offset else { return false }
      let got = header.withUnsafeMutableBytes { pipe.read(into: $0.baseAddress!, count: 16) }
      guard got >= 8 else { return false }
      let type = String(decoding: header[4..<8], as: UTF8.self)
      if index == 0 && !leadingBoxes.contains(type) { return false }
      if type == "moov" { return false }
      if type == "mdat" { return true }
      var size = header[0..<4].reduce(Int64(0)) { $0 << 8 | Int64($1) }
      if size == 1 {
        guard got == 16 else { return false }
        size = header[8..<16].reduce(Int64(0)) { $0 << 8 | Int64($1) }
      }
      guard size >= 8, size <= Int64.max - offset else { return false }
      offset += size
    }
    return false
  }
}
