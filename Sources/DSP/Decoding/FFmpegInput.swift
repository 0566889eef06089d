import CFFmpeg
import Glibc
import SystemPackage

/// Every libavformat and libavcodec call `DSP` makes, in one place: one audio stream of one input,
/// demuxed and decoded frame by frame. The handles are freed on deinit.
///
/// It decodes as the `ffmpeg` command line does for `-map 0:a:N`: `avformat_find_stream_info`,
/// the codec's default decoder with the demuxer's parameters and time base, and
/// libavcodec's default flags, so the decoder itself drops what `AV_PKT_DATA_SKIP_SAMPLES`
/// says (AAC priming and edit lists from the MP4 demuxer, Opus pre-skip, WebM's discard
/// padding). A packet the decoder rejects is skipped, and a demuxer error ends the stream,
/// as in `ffmpeg`.
///
/// Bytes come through audioprep's own `AVIOContext` (a file descriptor, or standard input's
/// `PipeReader`), and no protocol is allowed at all: a playlist or `concat` file can make FFmpeg
/// open nothing else, neither a local file nor a URL.
final class FFmpegInput {
  /// Why an input could not be opened; `recognised` is false when no demuxer claimed it.
  struct OpenFailure: Error {
    var recognised: Bool
    var message: String
    /// The message says what is wrong in full (not FFmpeg's words, to be quoted).
    var explained = false
    /// What FFmpeg reads from a file and not from a pipe (`pipeLimit`).
    var limitOfAPipe = false
  }

  /// What to say when FFmpeg cannot open from a pipe what it opens from a file: a WAV or AIFF
  /// whose format chunk follows the audio; its WavPack
  /// reader finds a file's channels beyond two by seeking ("Cannot determine additional
  /// parameters"); its CAF reader loses its way in the chunks (the ffmpeg command line too:
  /// "Invalid data found"; libsndfile reads a CAF of PCM, A-law or µ-law from a pipe: said by
  /// `FFmpegSource`, which has the header). nil for any other failure.
  static func pipeLimit(_ demuxer: String, _ message: String?, seekable: Bool) -> String? {
    guard !seekable else { return nil }
    if demuxer == "wv", message?.contains("additional parameters") == true {
      return "a WavPack file of more than 2 channels cannot be read from a pipe (FFmpeg's WavPack reader seeks to find its channels); give its path instead"
    }
    // Its WAV and AIFF readers need the format before the samples (review35 R12).
    if demuxer == "wav", message?.contains("found no 'fmt ' tag before the 'data' tag") == true {
      return "a WAV whose fmt chunk follows its audio cannot be read from a pipe (FFmpeg's WAV reader needs the format first); give its path"
    }
    if demuxer == "aiff", message?.contains("not seekable") == true {
      return "an AIFF whose COMM chunk follows its audio cannot be read from a pipe (FFmpeg's AIFF reader needs the format first); give its path"
    }
    if demuxer == "caf" {
      return "FFmpeg's CAF reader cannot read this file from a pipe; give its path"
    }
    return nil
  }

  /// Set first, so that whatever an init that throws half-way has allocated is freed.
  private let handles: Handles
  private let streamIndex: Int32

  /// "QuickTime / MOV, AAC (Advanced Audio Coding)".
  let formatName: String
  /// The demuxer's short name, e.g. "mov,mp4,m4a,3gp,3g2,mj2" or "matroska,webm".
  let demuxerName: String
  /// The demuxer recognised the bytes, rather than being chosen by the name's extension.
  let recognisedByContent: Bool
  /// The stream's rate and channels as the demuxer declares them.
  let declaredRate: Int
  let declaredChannels: Int
  /// Frames a packet of the codec nominally holds (its frame size; a FLAC's STREAMINFO maximum
  /// block size), 0 when unknown: a container may count its last packet at that length.
  let nominalFrameSize: Int
  /// Packets of the stream the container's index lists (an MP4's sample table), 0 when it lists
  /// none or the container has no index.
  let indexedPackets: Int64
  /// A FLAC stream's STREAMINFO (its 34 bytes, from the codec's extradata); empty otherwise.
  let flacStreamInfo: [UInt8]
  /// The time base of the stream's packets and frames.
  let streamTimeBase: AVRational
  /// The stream's length in its time base, and that time base, when the container tells (not
  /// when libavformat guessed it from the bit rate).
  private let duration: Int64?
  private let timeBase: AVRational
  /// That length is the span between the timestamps libavformat read at the file's two ends
  /// (MPEG-PS, MPEG-TS: `estimate_timings_from_pts`), not one a header announces: in two
  /// recordings joined end to end the second's timestamps restart, and it ends amid the audio.
  let lengthFromEndTimestamps: Bool

  /// An error the demuxer logged while reading the header although it went on (a NUT cut
  /// before its index: "read_timestamp failed").
  let headerComplaint: String?
  /// Set when the demuxer stopped with an error rather than at the end of the input.
  private(set) var demuxFailure: String?
  /// Where the furthest packet of the stream read so far ends, in the input's bytes.
  private(set) var lastPacketEnd: Int64 = 0
  /// Packets of the stream the demuxer marked corrupt (a TS packet or an FLV tag cut short):
  /// as many as it said so (a parser after it may take the flag off, and drop the packet).
  var corruptPackets: Int {
    guard let container = handles.container else { return 0 }
    return FFmpegDiagnostics.corruptPacketCount(container, stream: Int(streamIndex))
  }
  /// Those read ahead while the streams were found (a short input's last packets), counted with
  /// those read after.
  private let corruptPacketsFindingStreams: [Int: FFmpegDiagnostics.CorruptPackets]
  /// Where that packet starts.
  private(set) var lastPacketStart: Int64 = 0
  /// Whether the padding libavformat marks for the decoder to drop at a packet's end (the end
  /// field of its skip-samples side data, which FFmpeg's MP3 reader sets where the Info
  /// header's frame count says the stream ends) is decoded instead: the source drops an MP3's
  /// padding where its stream ends (`FFmpegSource.gaplessEnd`), from a file as from a pipe.
  /// review40 G07: an Info count of half the frames made FFmpeg drop 1141 frames in the middle
  /// of a file's stream and keep the padding at its end.
  var decodesEndPadding = false
  /// Packets the decoder rejected, and the last reason.
  private(set) var decodeErrors = 0
  private(set) var lastDecodeError: String?

  private enum State { case reading, draining, finished }
  private var state = State.reading
  private var receiving = false

  /// `probeByName`: whether the name's extension may help choose the demuxer; without it the
  /// bytes alone decide, as for standard input.
  init(path: String, bytes: FFmpegByteSource, audioStream: Int?, probeByName: Bool = true) throws {
    do {
      _ = try FFmpegLibrary.load()
    } catch {
      throw OpenFailure(recognised: true, message: error.message)
    }
    FFmpegDiagnostics.install()
    let handles = Handles(bytes: bytes)
    self.handles = handles
    let bufferSize: Int32 = 1 << 16
    guard let buffer = ff.av_malloc!(Int(bufferSize))?.assumingMemoryBound(to: UInt8.self),
      let io = ff.avio_alloc_context!(
        buffer, bufferSize, 0, Unmanaged.passUnretained(bytes).toOpaque(),
        { user, destination, count in
          Unmanaged<FFmpegByteSource>.fromOpaque(user!).takeUnretainedValue().read(destination!, count)
        }, nil,
        { user, offset, whence in
          Unmanaged<FFmpegByteSource>.fromOpaque(user!).takeUnretainedValue().seek(offset, whence)
        })
    else { throw OpenFailure(recognised: false, message: "out of memory") }
    handles.io = io
    io.pointee.seekable = bytes.isSeekable ? AVIO_SEEKABLE_NORMAL : 0

    // Which demuxer: probed apart from opening, so that "not a format FFmpeg knows" and
    // "an MP4 without its index" are told apart.
    var demuxer: UnsafePointer<AVInputFormat>?
    let probed = ff.av_probe_input_buffer2!(io, &demuxer, probeByName ? path : "", nil, 0, 0)
    guard probed >= 0, let demuxer else {
      throw OpenFailure(recognised: false, message: Self.describe(probed))
    }
    demuxerName = String(cString: demuxer.pointee.name)
    let containerName = demuxer.pointee.long_name.map { String(cString: $0) } ?? demuxerName
    // A demuxer chosen by the file's extension alone has not recognised anything (an empty .m4a).
    let claimed = probed > AVPROBE_SCORE_EXTENSION
    recognisedByContent = claimed

    guard var context = ff.avformat_alloc_context!() else { throw OpenFailure(recognised: true, message: "out of memory") }
    context.pointee.pb = io
    var options: OpaquePointer?
    _ = ff.av_dict_set!(&options, "protocol_whitelist", "none", 0)
    defer { ff.av_dict_free!(&options) }
    var contextPointer: UnsafeMutablePointer<AVFormatContext>? = context
    let opened = FFmpegDiagnostics.capturing(context) { _ in
      ff.avformat_open_input!(&contextPointer, path, demuxer, &options)
    }
    // On failure avformat_open_input frees the context (not our AVIOContext).
    guard opened.result >= 0, let openedContext = contextPointer else {
      if let limit = Self.pipeLimit(demuxerName, opened.message, seekable: bytes.isSeekable) {
        throw OpenFailure(recognised: true, message: limit, explained: true, limitOfAPipe: true)
      }
      throw OpenFailure(recognised: claimed, message: "\(containerName): \(opened.message ?? Self.describe(opened.result))")
    }
    context = openedContext
    handles.container = context
    let found = FFmpegDiagnostics.capturing(context) { _ in ff.avformat_find_stream_info!(context, nil) }
    guard found.result >= 0 else {
      if let limit = Self.pipeLimit(demuxerName, found.message, seekable: bytes.isSeekable) {
        throw OpenFailure(recognised: true, message: limit, explained: true, limitOfAPipe: true)
      }
      throw OpenFailure(recognised: claimed, message: "\(containerName): \(found.message ?? Self.describe(found.result))")
    }

    headerComplaint = opened.message ?? found.message
    corruptPacketsFindingStreams = found.corruptPackets
    let streams = (0..<Int(context.pointee.nb_streams)).map { context.pointee.streams[$0]! }
    let audio = streams.filter { $0.pointee.codecpar.pointee.codec_type == AVMEDIA_TYPE_AUDIO }
    let wanted = audioStream ?? 0
    guard !audio.isEmpty else {
      throw OpenFailure(recognised: true, message: "\(containerName) without an audio stream (\(streams.count) other stream(s))")
    }
    guard wanted < audio.count else {
      // An option the input cannot satisfy, like --channel beyond its channels: the caller's.
      throw DSPError.invalidParameter(
        "there is no audio stream \(wanted): the input (\(containerName)) has \(audio.count), numbered from 0")
    }
    let stream = audio[wanted]
    for other in streams where other != stream { other.pointee.discard = AVDISCARD_ALL }
    streamIndex = stream.pointee.index
    streamTimeBase = stream.pointee.time_base
    let parameters = stream.pointee.codecpar!
    let estimation = ff.av_fmt_ctx_get_duration_estimation_method!(context)
    let guessed = estimation == AVFMT_DURATION_FROM_BITRATE
    // (NUT's length is its index's, which libavformat calls estimated from timestamps too.)
    lengthFromEndTimestamps = estimation == AVFMT_DURATION_FROM_PTS && demuxerName != "nut"
    if stream.pointee.duration > 0, !guessed {
      (duration, timeBase) = (stream.pointee.duration, stream.pointee.time_base)
    } else if context.pointee.duration > 0, !guessed {
      // Matroska and WebM announce the segment's length, not the stream's.
      (duration, timeBase) = (context.pointee.duration, AVRational(num: 1, den: AV_TIME_BASE))
    } else {
      (duration, timeBase) = (nil, stream.pointee.time_base)
    }
    declaredRate = Int(parameters.pointee.sample_rate)
    declaredChannels = Int(parameters.pointee.ch_layout.nb_channels)
    var nominal = Int(parameters.pointee.frame_size)
    if parameters.pointee.codec_id == AV_CODEC_ID_FLAC, parameters.pointee.extradata_size >= 4, let extradata = parameters.pointee.extradata {
      nominal = max(nominal, Int(extradata[2]) << 8 | Int(extradata[3]))  // STREAMINFO's maximum block size
    }
    nominalFrameSize = nominal
    indexedPackets = max(0, stream.pointee.nb_frames)
    flacStreamInfo =
      if parameters.pointee.codec_id == AV_CODEC_ID_FLAC, parameters.pointee.extradata_size >= 34, let extradata = parameters.pointee.extradata {
        Array(UnsafeBufferPointer(start: extradata, count: 34))
      } else { [] }

    guard let decoder = ff.avcodec_find_decoder!(parameters.pointee.codec_id) else {
      let name = ff.avcodec_get_name!(parameters.pointee.codec_id).map { String(cString: $0) } ?? "unknown"
      throw OpenFailure(recognised: true, message: "\(containerName): FFmpeg has no decoder for \(name) audio")
    }
    let codecName = decoder.pointee.long_name.map { String(cString: $0) } ?? String(cString: decoder.pointee.name)
    formatName = "\(containerName), \(codecName)"
    guard let codec = ff.avcodec_alloc_context3!(decoder) else {
      throw OpenFailure(recognised: true, message: "out of memory")
    }
    handles.codec = codec
    guard ff.avcodec_parameters_to_context!(codec, parameters) >= 0 else {
      throw OpenFailure(recognised: true, message: "\(formatName): unusable codec parameters")
    }
    codec.pointee.pkt_timebase = stream.pointee.time_base
    // Frames whose checksum fails (TTA, WavPack, FLAC, MP3 with CRC) are rejected and counted,
    // not decoded to garbage silently; an intact input decodes as with ffmpeg's defaults.
    codec.pointee.err_recognition |= AV_EF_CRCCHECK
    let decoderOpened = FFmpegDiagnostics.capturing(codec) { _ in ff.avcodec_open2!(codec, decoder, nil) }
    guard decoderOpened.result >= 0 else {
      throw OpenFailure(
        recognised: true, message: "\(formatName): \(decoderOpened.message ?? Self.describe(decoderOpened.result))")
    }
    handles.packet = ff.av_packet_alloc!()
    handles.frame = ff.av_frame_alloc!()
    guard handles.packet != nil, handles.frame != nil else { throw OpenFailure(recognised: true, message: "out of memory") }
    FFmpegDiagnostics.watch(context, corrupt: corruptPacketsFindingStreams)
    FFmpegDiagnostics.watch(codec)
  }

  /// The C handles, freed on deinit in the order FFmpeg needs: the demuxer before the
  /// AVIOContext it reads through, and that before the bytes its callbacks read.
  private final class Handles {
    let bytes: FFmpegByteSource
    var io: UnsafeMutablePointer<AVIOContext>?
    var container: UnsafeMutablePointer<AVFormatContext>?
    var codec: UnsafeMutablePointer<AVCodecContext>?
    var packet: UnsafeMutablePointer<AVPacket>?
    var frame: UnsafeMutablePointer<AVFrame>?

    init(bytes: FFmpegByteSource) { self.bytes = bytes }

    deinit {
      if let codec { FFmpegDiagnostics.unwatch(codec) }
      if let container { FFmpegDiagnostics.unwatch(container) }
      ff.av_frame_free!(&frame)
      ff.av_packet_free!(&packet)
      ff.avcodec_free_context!(&codec)
      ff.avformat_close_input!(&container)
      if io != nil {
        ff.av_freep!(&io!.pointee.buffer)
        ff.avio_context_free!(&io)
      }
    }
  }

  /// How many frames at `rate` one tick of the stream's time base spans, rounded up (a
  /// Matroska's milliseconds: 48 at 48 kHz; its segment's length, in microseconds, counts in
  /// them too), plus one: how far rounding alone puts the announced length from the frames
  /// there are.
  func announcedRounding(rate: Int) -> Int64 {
    let ticks = Int64(rate) * Int64(max(0, streamTimeBase.num)), den = Int64(max(1, streamTimeBase.den))
    return (ticks + den - 1) / den + 1
  }

  /// The stream's announced length in frames at `rate`, when the container gives one.
  func announcedFrames(rate: Int) -> Int64? {
    duration.map { ff.av_rescale_q!($0, timeBase, AVRational(num: 1, den: Int32(rate))) }
  }

  /// The next decoded frame of the stream, valid until the next call; nil at the end.
  func nextFrame() -> UnsafeMutablePointer<AVFrame>? {
    guard let codec = handles.codec, let frame = handles.frame, let packet = handles.packet,
      let container = handles.container
    else { return nil }
    while state != .finished {
      if receiving {
        ff.av_frame_unref!(frame)
        let status = ff.avcodec_receive_frame!(codec, frame)
        if status == 0 { return frame }
        if status == cffmpeg_error_eof() {
          state = .finished
          return nil
        }
        if status != cffmpeg_error_again() { noteDecodeError(status) }
        receiving = false
        if state == .draining {
          state = .finished
          return nil
        }
      }
      let status = FFmpegDiagnostics.reading(container, codec: codec.pointee.codec_id) { ff.av_read_frame!(container, packet) }
      // "Try again": the MPEG-TS demuxer answers so while it steps through bytes that are no
      // packets (a TS padded with zeros to a sector: review47 H02 took it for a failure). Asked
      // again, as ffmpeg does, a bounded number of times in a row.
      if status == cffmpeg_error_again(), readAgain < Self.readAgainLimit {
        readAgain += 1
        continue
      }
      readAgain = 0
      if status < 0 {
        if status != cffmpeg_error_eof() { demuxFailure = FFmpegDiagnostics.lastMessage(container) ?? Self.describe(status) }
        _ = ff.avcodec_send_packet!(codec, nil)
        state = .draining
        receiving = true
        continue
      }
      defer { ff.av_packet_unref!(packet) }
      guard packet.pointee.stream_index == streamIndex else { continue }
      if packet.pointee.pos >= 0, packet.pointee.pos + Int64(packet.pointee.size) > lastPacketEnd {
        lastPacketStart = packet.pointee.pos
        lastPacketEnd = packet.pointee.pos + Int64(packet.pointee.size)
      }
      var sideDataSize = 0
      if decodesEndPadding, let skip = ff.av_packet_get_side_data!(packet, AV_PKT_DATA_SKIP_SAMPLES, &sideDataSize), sideDataSize >= 8 {
        (skip + 4).update(repeating: 0, count: 4)  // little-endian samples to drop at the end
      }
      let sent = ff.avcodec_send_packet!(codec, packet)
      if sent < 0 && sent != cffmpeg_error_eof() {
        noteDecodeError(sent)
      } else {
        receiving = true
      }
    }
    return nil
  }

  /// The last error line the demuxer logged while reading packets although it then ended as
  /// at the end of the input: a Matroska segment whose declared size runs past the bytes there
  /// are ("File ended prematurely"). nil when it logged none.
  var demuxerComplaint: String? {
    guard let container = handles.container, FFmpegDiagnostics.errorCount(container) > 0 else { return nil }
    return FFmpegDiagnostics.lastMessage(container)
  }

  /// Error lines the stream's parser logged while the demuxer read packets (a packet it could
  /// not parse, and dropped), and the last of them.
  var parserComplaints: (count: Int, last: String?) {
    guard let container = handles.container else { return (0, nil) }
    return FFmpegDiagnostics.parserComplaints(container)
  }

  /// Error lines the decoder logged while it went on (a frame whose checksum fails), and the
  /// last of them.
  var decoderComplaints: (count: Int, last: String?) {
    guard let codec = handles.codec else { return (0, nil) }
    return (FFmpegDiagnostics.errorCount(codec), FFmpegDiagnostics.lastMessage(codec))
  }

  /// `av_read_frame`'s "try again" answers in a row, and how many are asked again.
  private var readAgain = 0
  private static let readAgainLimit = 1 << 20

  private func noteDecodeError(_ status: Int32) {
    decodeErrors += 1
    lastDecodeError = handles.codec.flatMap(FFmpegDiagnostics.lastMessage) ?? Self.describe(status)
  }

  /// FFmpeg's text for an error code (`av_strerror`).
  static func describe(_ status: Int32) -> String {
    var text = [CChar](repeating: 0, count: 256)
    _ = ff.av_strerror!(status, &text, text.count)
    return text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }.trimmingTrailingPeriod
  }

  /// "libavformat 59.27.100, libavcodec 59.37.100, libavutil 57.28.100": the versions of the
  /// headers audioprep was built against, known without loading anything. The libraries loaded
  /// at run time have the same major versions (`cffmpeg_load` asks for those) and may be newer.
  static var headerVersions: String {
    "libavformat \(LIBAVFORMAT_VERSION_MAJOR).\(LIBAVFORMAT_VERSION_MINOR).\(LIBAVFORMAT_VERSION_MICRO), "
      + "libavcodec \(LIBAVCODEC_VERSION_MAJOR).\(LIBAVCODEC_VERSION_MINOR).\(LIBAVCODEC_VERSION_MICRO), "
      + "libavutil \(LIBAVUTIL_VERSION_MAJOR).\(LIBAVUTIL_VERSION_MINOR).\(LIBAVUTIL_VERSION_MICRO)"
  }

  /// The same, of the libraries loaded at run time: loads them.
  static var libraryVersions: String {
    do {
      _ = try FFmpegLibrary.load()
    } catch {
      return error.message
    }
    func dotted(_ version: UInt32) -> String { "\(version >> 16).\((version >> 8) & 0xFF).\(version & 0xFF)" }
    return "libavformat \(dotted(ff.avformat_version!())), libavcodec \(dotted(ff.avcodec_version!())), "
      + "libavutil \(dotted(ff.avutil_version!()))"
  }
}

/// The bytes FFmpeg reads through audioprep's `AVIOContext`: a file descriptor, which can seek,
/// or standard input's `PipeReader`, which can seek only inside its first window, or bytes that
/// begin a stream again followed by the pipe's next ones, which can seek only inside them.
final class FFmpegByteSource {
  private enum Backing {
    case file(Int32)
    case pipe(PipeReader)
    /// `prefix`, then the pipe read on from where it stands (a FLAC decoded again from a frame
    /// past the pipe's window: `SndFileSource.flacResumption`).
    case resumed(prefix: [UInt8], pipe: PipeReader)
  }
  private let backing: Backing
  /// The read position of a `resumed` stream.
  private var position: Int64 = 0
  /// Where the input's own bytes end, when what follows is not to be decoded (what follows a
  /// NUT file's index, which FFmpeg's demuxer reads as frames): reads stop and the size ends there.
  var end: Int64?
  /// Header fields shown in place of the input's (`FFmpegHeaderPatches`), at offsets of what
  /// FFmpeg is shown.
  var patches: [(offset: Int64, bytes: [UInt8])] = []
  /// Leading bytes FFmpeg is not shown: ID3v2 tags before a WAV, AIFF, CAF, Ogg or FLAC stream
  /// (`ID3v2Tag`), which its probe skips itself only when they are small; a larger one (a
  /// cover picture) it took for an MP3's (review35 R22). Offsets FFmpeg asks for start after them.
  private(set) var skip: Int64 = 0

  /// Hides the first `count` bytes from FFmpeg, and stands at the first byte it is shown.
  func hide(leading count: Int64) {
    skip = count
    _ = seek(0, SEEK_SET)
  }

  /// Opens `path` for reading; errno on failure.
  init(path: String) throws(Errno) {
    let descriptor = Descriptor.open(path, flags: O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw Errno(rawValue: errno) }
    if Descriptor.status(of: descriptor)?.isStream == true {
      // A FIFO or device: read forward, as standard input is (`FileStatus.isStream`).
      backing = .pipe(PipeReader(descriptor: descriptor, ownsDescriptor: true))
    } else {
      backing = .file(descriptor)
    }
  }

  /// Opens `path` to be read forward only, as standard input is (an MP3 or MP2 file: FFmpeg's
  /// reader trims a seekable input's gapless padding otherwise than a stream's).
  init(readingForward path: String) throws(Errno) {
    guard let pipe = PipeReader.readingForward(path) else { throw Errno(rawValue: errno) }
    backing = .pipe(pipe)
  }

  init(pipe: PipeReader) { backing = .pipe(pipe) }

  init(prefix: [UInt8], then pipe: PipeReader) { backing = .resumed(prefix: prefix, pipe: pipe) }

  deinit { if case .file(let descriptor) = backing { try? Descriptor.close(descriptor) } }

  var isSeekable: Bool { pipe == nil }

  /// Why an MP4's index claims are refused (`MP4IndexClaims`): a pipe's among the bytes read so
  /// far, a file's once `readIndexClaims` has walked it.
  var indexRefusal: String? { pipe?.indexClaims.refusal ?? fileIndexRefusal }
  private var fileIndexRefusal: String?

  /// Walks a file's MP4 boxes for what its index claims (a pipe's are read as they arrive).
  func readIndexClaims() {
    if pipe == nil { fileIndexRefusal = MP4IndexClaims.read(file: self).refusal }
  }

  /// The pipe read, when the bytes come from one.
  var pipe: PipeReader? {
    switch backing {
    case .file: nil
    case .pipe(let pipe), .resumed(_, let pipe): pipe
    }
  }

  /// The `read_packet` callback: bytes read, `AVERROR_EOF` at the end, `AVERROR(EIO)` on error;
  /// with the patches in place.
  func read(_ destination: UnsafeMutablePointer<UInt8>, _ count: Int32) -> Int32 {
    guard !patches.isEmpty else { return readInput(destination, count) }
    let position = seek(0, SEEK_CUR)
    let result = readInput(destination, count)
    if result > 0, position >= 0 { InputView(patches: patches).apply(destination, count: Int(result), at: position) }
    return result
  }

  private func readInput(_ destination: UnsafeMutablePointer<UInt8>, _ count: Int32) -> Int32 {
    switch backing {
    case .file(let descriptor):
      var count = Int64(count)
      if let end { count = min(count, end - ((try? Descriptor.seek(descriptor, to: 0, from: SEEK_CUR)) ?? -1)) }
      guard count > 0 else { return cffmpeg_error_eof() }
      guard let result = try? Descriptor.read(descriptor, into: UnsafeMutableRawBufferPointer(start: destination, count: Int(count)))
      else { return cffmpeg_error_io() }
      return result == 0 ? cffmpeg_error_eof() : Int32(result)
    case .pipe(let pipe):
      let start = pipe.tell
      if let end, start >= end { return cffmpeg_error_eof() }
      let result = pipe.read(into: destination, count: Int(count), partial: true)
      // An index claiming more than the input can back: FFmpeg is not given it.
      if pipe.indexClaims.refusal != nil { return cffmpeg_error_io() }
      if result == 0 { return pipe.readError != 0 ? cffmpeg_error_io() : cffmpeg_error_eof() }
      // A NUT file's end (its index) is found as it arrives: reads stop there.
      let arrived = start + Int64(result)
      if end == nil { end = pipe.headers.nutEnd }
      if let end, arrived > end {
        _ = pipe.seek(offset: end, whence: SEEK_SET)
        return Int32(end - start)
      }
      return Int32(result)
    case .resumed(let prefix, let pipe):
      let result: Int
      if position < prefix.count {
        result = min(Int(count), prefix.count - Int(position))
        prefix.withUnsafeBytes { UnsafeMutableRawPointer(destination).copyMemory(from: $0.baseAddress! + Int(position), byteCount: result) }
      } else {
        result = pipe.read(into: destination, count: Int(count), partial: true)
        if result == 0 { return pipe.readError != 0 ? cffmpeg_error_io() : cffmpeg_error_eof() }
      }
      position += Int64(result)
      return Int32(result)
    }
  }

  /// Up to `count` bytes at `offset`, read before FFmpeg starts (a look at box headers);
  /// fewer at the end, or where a pipe cannot seek. Moves the read position.
  func bytes(at offset: Int64, count: Int) -> [UInt8] {
    guard seek(offset, SEEK_SET) == offset else { return [] }
    var buffer = [UInt8](repeating: 0, count: count)
    var got = 0
    while got < count {
      let result = buffer.withUnsafeMutableBufferPointer { read($0.baseAddress! + got, Int32(count - got)) }
      guard result > 0 else { break }
      got += Int(result)
    }
    return Array(buffer.prefix(got))
  }

  /// How far a look ahead may go and still let FFmpeg start from the first byte: the whole of
  /// a file; in a pipe, what has arrived, inside its window (a live stream is not waited for).
  var lookAheadLimit: Int64 {
    if case .resumed(let prefix, _) = backing { return Int64(prefix.count) }
    if let pipe { return min(Int64(pipe.windowBytes) - 64, pipe.bytesArrived) - skip }
    let size = seek(0, Int32(AVSEEK_SIZE))
    return size >= 0 ? size : 0
  }

  /// The `seek` callback, with `AVSEEK_SIZE` answered from fstat (a pipe's size is unknown),
  /// at offsets after the bytes hidden.
  func seek(_ offset: Int64, _ whence: Int32) -> Int64 {
    guard skip > 0 else { return seekInput(offset, whence) }
    let result = seekInput(whence & ~Int32(AVSEEK_FORCE) == SEEK_SET ? offset + skip : offset, whence)
    return result < 0 ? result : result - skip
  }

  private func seekInput(_ offset: Int64, _ whence: Int32) -> Int64 {
    let whence = whence & ~Int32(AVSEEK_FORCE)
    switch backing {
    case .file(let descriptor):
      if whence == Int32(AVSEEK_SIZE) {
        return (Descriptor.status(of: descriptor)?.size).map { min($0, end ?? $0) } ?? -1
      }
      return (try? Descriptor.seek(descriptor, to: offset, from: whence)) ?? -1
    case .pipe(let pipe):
      if whence == Int32(AVSEEK_SIZE) { return -1 }
      return pipe.seek(offset: offset, whence: whence)
    case .resumed(let prefix, _):
      guard whence != Int32(AVSEEK_SIZE), let target = seekTarget(offset: offset, whence: whence, position: position, end: nil)
      else { return -1 }
      // Inside the prefix while the pipe is not yet read on; nowhere else but where it stands.
      guard target == position || (target <= Int64(prefix.count) && position <= Int64(prefix.count)) else { return -1 }
      position = target
      return position
    }
  }
}

extension Errno {
  /// The C library's message for it (`strerror`), as audioprep's messages quote it.
  var text: String { String(cString: strerror(rawValue)) }
}
