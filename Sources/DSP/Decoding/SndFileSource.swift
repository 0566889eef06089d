import CSndFile
import Glibc

/// Decodes any file libsndfile reads (WAV, FLAC, Ogg Vorbis, Opus, MP3, AIFF, CAF, raw, …),
/// from a path or from standard input ("-"), as Float32 frames.
///
/// Float inputs may hold NaN, ±Inf or huge values: the chain repairs them first (`FloatRepair`,
/// see `deliversFloats`), so that no filter state is ever poisoned.
///
/// When the stream ends before the length its header announced, decoding stops at what is
/// there and `truncation` says so; memory never depends on the announced length.
public final class SndFileSource: DecodingSource {
  /// The names of files libsndfile reads (what `batch` takes for a recording without opening it).
  public static let fileExtensions = [
    "wav", "wave", "bwf", "rf64", "w64", "flac", "ogg", "oga", "opus", "mp3", "aif", "aiff", "aifc",
    "caf", "au", "snd", "sd2", "paf", "svx", "8svx", "nist", "sph", "voc", "ircam", "sf", "mat",
    "mat4", "mat5", "pvf", "xi", "htk", "sds", "avr", "wve", "mpc",
  ]

  /// The largest magnitude a float input sample keeps: 1024, 60 dB above full scale.
  ///
  /// Real recordings stay far below it. Near Float's limit (±3.4e38) libsamplerate's sinc
  /// filters overflow to ±Inf and the high-pass then turns Inf − Inf into NaN.
  public static let floatLimit: Float = FloatSampleRepair.limit

  /// The path given, "-" for standard input.
  public let path: String
  public let format: StreamFormat
  /// Frames the header announces; nil when unknown (a pipe).
  public let announcedFrames: Int64?
  /// Frames the input holds, when known exactly before decoding: a regular file in PCM (whose
  /// length libsndfile takes from the file itself) or FLAC (STREAMINFO). nil for streams and
  /// for codecs whose length is an estimate (MP3).
  public let exactFrames: Int64?
  /// A short name of the container and encoding, e.g. "WAV PCM 16".
  public let formatName: String
  public var decoderName: String { "libsndfile" }
  /// Set at the end of the stream when it held less audio than the header announced, e.g.
  /// "truncated: the header announces 16000 frames, the input holds 1000".
  public private(set) var truncation: String?
  /// A PCM file's shortfall, from its header's data size and its own size (`exactFrames`).
  public var truncationAtOpen: String? {
    guard let exactFrames, let expectedFrames, exactFrames < expectedFrames, isPCM else { return nil }
    return Self.truncated(announced: expectedFrames, holds: exactFrames)
  }
  /// Frames decoded so far.
  public private(set) var decodedFrames: Int64 = 0
  public private(set) var leadingBytes: [UInt8] = []
  /// What the header's data size announces (see `AnnouncedLength`), for FLAC its STREAMINFO,
  /// for Ogg its last page (`OggLength`), for MP3 its Info header (`MPEGStreamExtent`; both
  /// read at the end).
  private(set) var expectedFrames: Int64?
  private let isOgg: Bool
  /// Ogg Vorbis, whose granule positions count the stream's frames.
  private let isVorbis: Bool
  /// Ogg Opus, whose length libsndfile takes from where its first whole page starts.
  private let isOpus: Bool
  /// Whether a pipe's Ogg Vorbis or Opus end was read (`oggEndTrim`, `opusEnd`).
  private var oggEndRead = false
  private let isFLAC: Bool
  /// CAF files can be joined end to end like FLAC and Ogg (`checkJoin`).
  private let isCAF: Bool
  /// A container whose header says where its audio ends (`HeaderedFile`), read one file at a
  /// time: another joined on is refused.
  private let isHeadered: Bool
  /// libsndfile's types of the `HeaderedFile` containers.
  private static let headeredContainers = [
    SF_FORMAT_WAV, SF_FORMAT_WAVEX, SF_FORMAT_RF64, SF_FORMAT_W64, SF_FORMAT_AIFF, SF_FORMAT_SVX, SF_FORMAT_AU, SF_FORMAT_NIST,
    SF_FORMAT_VOC, SF_FORMAT_IRCAM, SF_FORMAT_AVR, SF_FORMAT_WVE, SF_FORMAT_PAF, SF_FORMAT_MAT5, SF_FORMAT_MAT4,
    SF_FORMAT_HTK, SF_FORMAT_SDS, SF_FORMAT_MPC2K, SF_FORMAT_PVF,
  ].map { Int32($0) }
  private let file: SndFile
  /// Kept alive while `file` reads through it (standard input only).
  private var pipe: PipeReader?
  /// Kept alive while `file` reads through it (a regular file libsndfile recognised by its
  /// contents).
  private var reader: BufferedFileReader?
  /// Read through a pipe because it is one (standard input, a FIFO, a device), not a regular
  /// file retried as a stream.
  public let isStream: Bool
  /// A float or double encoding: the chain repairs its samples (`FloatRepair`).
  public let deliversFloats: Bool
  /// The raw parameters, when the input is headerless.
  private let raw: RawInputFormat?
  /// libmpg123 prints notes about damaged frames to standard error; those are silenced.
  private let isMPEG: Bool
  /// A free-format MP3's or MP2's frame length (`MPEGFreeFormat`): decoded whole, or refused.
  private let freeFormat: MPEGFreeFormat?
  /// libsndfile recognised nothing in the bytes and took the format from the file's name
  /// (`.mp3` → MPEG, `.au`/`.snd` → raw µ-law, `.vox` → VOX ADPCM, `.gsm` → GSM 6.10): another
  /// decoder that recognises the content reads it instead (`openAudioSource`).
  private(set) var formatFromName = false

  /// Opens `path` ("-" for standard input). Raw input needs `raw`; other input must not have it.
  ///
  /// A FIFO or device path (/dev/stdin, a named pipe) streams like standard input: it cannot
  /// seek, so it is read through the same pipe reader, with the same results.
  public convenience init(path: String, raw: RawInputFormat? = nil) throws {
    try self.init(path: path, raw: raw, reach: .everything)
  }

  /// Opens `path` as `init(path:raw:)` does; `reach`: how far a file is looked through for
  /// another joined on when it is opened (`ScanReach`).
  package convenience init(path: String, raw: RawInputFormat?, reach: ScanReach) throws {
    let pipe = try PipeReader.forInput(path, raw: raw != nil)
    // A stream that ends before its first byte is empty, raw or not (`openAudioSource`).
    if let pipe, pipe.endsBeforeItsFirstByte { throw AudioIOError(.invalidInput, path: path, pipe.emptyInputMessage) }
    do {
      try self.init(path: path, raw: raw, pipe: pipe, reach: reach)
    } catch let unrecognised as UnrecognisedFormat {
      throw unrecognised.error
    } catch let refused as RefusedFormat {
      throw refused.error
    }
  }

  /// Opens `path`, or reads `pipe` when given (standard input, which another decoder may try
  /// again from its start when this one fails). Throws `UnrecognisedFormat` when no libsndfile
  /// reader claims the input, `RefusedFormat` when one claims it and cannot read it. `reach`:
  /// how far a file is looked through for another joined on when it is opened (`ScanReach`).
  init(path: String, raw: RawInputFormat?, pipe: PipeReader?, reach: ScanReach) throws {
    self.path = path
    self.raw = raw
    var info = raw?.sfInfo ?? SF_INFO()
    if pipe == nil { try Self.checkReadable(path) }
    self.pipe = pipe
    isStream = pipe != nil
    // A regular file is read in large blocks through `BufferedFileReader`; one libsndfile
    // recognises only by its name's extension (it sees no name through virtual I/O) is opened
    // by path, as before.
    // An ID3v2 tag before a WAV, AIFF, CAF or Ogg is hidden from libsndfile (a large one before
    // anything: `ID3v2Tag.hiddenLength`), and a header
    // whose sizes were never filled in is shown to it as "to the end".
    // A data size libsndfile's arithmetic overflows on is shown to it as one it reads to the end.
    var view = InputView()
    var header: [UInt8] = []
    // The bytes looked at beside libsndfile (tags, header, a FLAC's first frame): one reader, a
    // file opened once for them all.
    let openingBytes = InputBytes(file: path, pipe: pipe)
    var cafClaims: CAFChunkClaims?
    var chunkSteps: [(offset: Int64, bytes: [UInt8])] = []
    var flacHead: [UInt8] = []
    // Looked for before libsndfile reads a pipe (past its window, when it does not recognise one).
    let freeFormatMPEG = raw == nil ? MPEGFreeFormat.find(openingBytes) : nil
    if raw == nil {
      let bytes = openingBytes
      view.skip = max(ID3v2Tag.hiddenLength(bytes), MPEGLead.hiddenLength(bytes))
      cafClaims = CAFChunkClaims(bytes, from: view.skip, size: pipe == nil ? Descriptor.status(path)?.size : nil)
      if let refusal = cafClaims?.refusal { throw AudioIOError(.invalidInput, path: path, refusal) }
      // A chunk before the audio larger than libsndfile's header cache: it would decode the
      // chunk as audio. Claimed and not read, for FFmpeg to read under the default decoder.
      // From a pipe neither decoder reads it (FFmpeg's CAF reader steps over no chunk of a
      // pipe's): the path is asked for (review38 R8: each refusal sent the user to the other).
      if let chunk = cafClaims?.pastLibsndfilesCache {
        let advice = pipe == nil ? "--decoder auto or ffmpeg reads it" : "FFmpeg's CAF reader cannot read it from a pipe either; give its path"
        throw RefusedFormat(
          error: AudioIOError(
            .invalidInput, path: path,
            "a CAF whose header's '\(chunk.id)' chunk of \(chunk.size) bytes before its audio goes past libsndfile's header cache (\(LibsndfileHeaderCache.limit >> 10) KiB), which would then decode the wrong bytes as audio; \(advice)"))
      }
      placeholderSizes = PlaceholderSizes.find(bytes, from: view.skip, size: pipe == nil ? Descriptor.status(path)?.size : nil)
      // Chunks before the audio libsndfile would not step over, shown to it so that it does.
      guard let steps = LibsndfileChunkSteps.patches(bytes, from: view.skip) else {
        throw RefusedFormat(
          error: AudioIOError(
            .invalidInput, path: path,
            "chunks before the audio that libsndfile must be shown otherwise than they are reach past the first \((pipe?.windowBytes ?? 0) >> 20) MiB of the stream; --decoder auto or ffmpeg reads it"))
      }
      chunkSteps = steps
      if pipe != nil { view.audioEnd = PlaceholderSizes.audioEnd(bytes, from: view.skip) }
      header = ContainerHeader.capture(bytes, from: view.skip)
      if pipe != nil, view.skip == 0, HeaderedFile.isStreamStart(.htk, header) { view.declaredLength = HeaderedFile.length(.htk, header) }
      // A WAV format chunk that contradicts itself (a block align its channels and sample size
      // do not make): refused as FFmpeg's reading refuses it (review37a U20: libsndfile decoded
      // 3 channels over mono data, or mono with a block align of 3, exit 0).
      if let contradiction = HeaderAnnouncedLength.contradiction(in: header) { throw AudioIOError(.invalidInput, path: path, contradiction) }
      // A FLAC's STREAMINFO, after `fLaC` and its block header (and any ID3v2 tag), read
      // before libsndfile opens the input: a pipe's window may be gone once it has read the
      // metadata (review35 R13: 5 MiB of padding, and the pipe could not resume a damaged FLAC).
      flacHead = bytes.read(at: ID3v2Tag.anyLength(bytes) + 8, count: 34)
      // A STREAMINFO its frames contradict (or of 0 Hz): refused before libsndfile opens it.
      if let refusal = FLACStreamInfoAgreement.refusal(bytes) { throw AudioIOError(.invalidInput, path: path, refusal) }
    } else {
      placeholderSizes = nil
    }
    tagBytes = view.skip
    view.patches = (placeholderSizes?.patches ?? []) + DeclaredAudioLength.sizePatches(header) + (cafClaims?.patches ?? []) + chunkSteps
    pipe?.view = view
    _ = pipe?.seek(offset: view.skip, whence: SEEK_SET)
    // An Ogg stream's reader seeks back after looking for the last page: past the window, to
    // bytes the pipe keeps (`PipeReader.seeksBackIntoTail`).
    if header.starts(with: Array("OggS".utf8)) { pipe?.seeksBackIntoTail = true }
    // A FLAC's last bytes, which a resumption after damage begins from (`flacResumption`), are
    // kept from before libsndfile opens it: libFLAC may read a short stream's audio whole while
    // it opens it (stop 40: behind 5 MiB of padding, 12 KB of 82 were kept, and a pipe lost
    // the 22173 frames after a hole that the file kept).
    if header.starts(with: Array("fLaC".utf8)) { pipe?.keepsTail = true }
    var opened: Result<SndFile, SndFileMessage>
    if let pipe {
      opened = LibraryDiagnostics.silenced { [info] in SndFile.open(pipe: pipe, info: info) }
    } else {
      let reader = Self.bufferedReader(path, view: view)
      let byContent = reader.map { reader in LibraryDiagnostics.silenced { [info] in SndFile.open(reader: reader, info: info) } }
      if let byContent, case .success = byContent {
        opened = byContent
        self.reader = reader
      } else {
        opened = LibraryDiagnostics.silenced { [info] in SndFile.open(path: path, mode: Int32(SFM_READ), info: info) }
        // Recognised by path where the bytes alone were not: libsndfile took the format from
        // the name's extension (.mp3, .au, .snd, .vox, .gsm).
        if raw == nil, case .failure(let refusal) = byContent, refusal.isUnrecognisedFormat, case .success = opened {
          formatFromName = true
        }
      }
    }
    // A CAF cut short that libsndfile does open from a file ends 8 bytes before its last whole
    // frame there (79509 frames where a pipe gives 79513): it is read as a stream too.
    var retryAsStream = false
    // What the stream answers is the answer, a refusal too.
    var streamDecides = false
    switch opened {
    case .failure: retryAsStream = true
    case .success(let file):
      let info = file.info
      if info.format & Int32(SF_FORMAT_TYPEMASK) == Int32(SF_FORMAT_CAF),
        let announced = AnnouncedLength.frames(log: file.logInfo, format: info.format, channels: Int(info.channels)),
        announced > info.frames
      {
        retryAsStream = true
      }
      // libsndfile's VOC file reader drops the last frame of a file cut short, which a stream
      // gives (9591 frames where a pipe gives 9592): a VOC shorter than its sound block is read
      // as a stream too.
      if info.format & Int32(SF_FORMAT_TYPEMASK) == Int32(SF_FORMAT_VOC),
        let announced = AnnouncedLength.frames(log: file.logInfo, format: info.format, channels: Int(info.channels)),
        announced > info.frames
      {
        retryAsStream = true
      }
      // An Ogg file whose last page's granule position is smaller than an earlier page's:
      // libsndfile's file reader stops at the last one, a stream reads every page.
      // (A stream is read page by page already, and its path, a FIFO's, must not be opened
      // again: that waits for a writer that has gone.)
      if pipe == nil, info.format & Int32(SF_FORMAT_TYPEMASK) == Int32(SF_FORMAT_OGG),
        OggLength.length(file: path, pipe: nil, rate: Int(info.samplerate), skip: view.skip)?.isContradicted == true
      {
        retryAsStream = true
      }
      // An MP3 or MP2 without an Info header: libsndfile's file reader takes the first frame's
      // bit rate for the whole file's and stops at the length that gives, half of a VBR file
      // (review35b S2, with a false `joined` or `damaged`); a stream reads every frame.
      if pipe == nil, info.format & Int32(SF_FORMAT_TYPEMASK) == Int32(SF_FORMAT_MPEG), !formatFromName,
        MPEGStreamExtent.head(file: path, pipe: nil).flatMap(MPEGStreamExtent.announcedFrames) == nil
      {
        retryAsStream = true
      }
      // One whose first headers are damaged is read as a stream whatever the stream answers
      // (refusal included, also for one known only by its .mp3 name): libsndfile's file reader
      // decodes on where its stream reader refuses (review36 T9, T11: 67392 frames from the
      // file, FFmpeg's 65711 from standard input). Read as a stream, the same bytes give the
      // same frames. (An honest one keeps the file reader, which reads free-format MP2, tags
      // with footers and first frames near 4 MiB that the stream reader refuses: review37c.)
      if pipe == nil, info.format & Int32(SF_FORMAT_TYPEMASK) == Int32(SF_FORMAT_MPEG),
        MPEGStreamExtent.damagedHeaderNearTheStart(openingBytes.read(at: view.skip, count: ContainerHeader.captureBytes)) != nil
      {
        retryAsStream = true
        streamDecides = true
      }
    }
    if retryAsStream, pipe == nil, raw == nil, let streamPipe = PipeReader.readingForward(path) {
      // A header announcing more than the file holds (a CAF data chunk past the end) makes
      // libsndfile refuse a file it would read from a pipe, where it cannot know the length:
      // read as a stream, the file gives what standard input would, truncation warning included.
      // (Tags the stream read past are behind its byte 0, as they are for standard input.)
      var streamView = view
      streamView.skip = max(0, view.skip - streamPipe.skippedTagBytes)
      streamPipe.view = streamView
      _ = streamPipe.seek(offset: streamView.skip, whence: SEEK_SET)
      let retried = LibraryDiagnostics.silenced { [info] in SndFile.open(pipe: streamPipe, info: info) }
      if case .success = retried {
        opened = retried
        self.pipe = streamPipe
        self.reader = nil
      } else if streamDecides {
        opened = retried
      }
    }
    // (A file now read as a stream is read through its pipe, whose byte 0 is past the tags it
    // read past: review45 H09, a file's damaged Info header behind a tag over 4 MiB was looked
    // for past its end, and not said.)
    let inputBytes = self.pipe === pipe ? openingBytes : InputBytes(file: path, pipe: self.pipe)
    let inputSkip = self.pipe === pipe ? view.skip : max(0, view.skip - (self.pipe?.skippedTagBytes ?? 0))
    switch opened {
    case .success(let file):
      self.file = file
      // libsndfile leaves a PCM container's reader at its audio's first byte once it has read
      // the header: where the whole frames are counted from (`frameCutShort`).
      audioStart = self.reader?.tell ?? self.pipe?.tell
    case .failure(let reason):
      // libsndfile's MPEG reader, chosen by a .mp3 name alone, answers bytes without an MPEG
      // frame with SFE_BAD_FILE ("File does not exist or is not a regular file"): the file was
      // found readable above, so that is a format not recognised, for FFmpeg to try.
      let unrecognised = reason.isUnrecognisedFormat || (reason.code == Self.badFileCode && raw == nil)
      let text = unrecognised ? Self.unrecognisedText : reason.text
      // libsndfile meets a second WAV or AIFF file's header as a chunk and says "No 'RIFF' chunk
      // marker" or "bad 'FORM' marker", an HTK file's length as the file's: the file is two
      // joined end to end.
      if raw == nil, let joined = Self.joinRefusal(path: path, pipe: pipe, reach: reach) {
        throw AudioIOError(.invalidInput, path: path, joined)
      }
      // libsndfile refuses a header's impossible rate or channel count as its own "Internal
      // error : SF_INFO struct incomplete": said as the header's fault, as other readers say it
      // (review34a A5: a WAV or FLAC declaring 0 Hz).
      if raw == nil, reason.text.contains("SF_INFO struct incomplete") {
        let kind = ContainerHeader.Kind.streams.first { $0.hasSignature(header) && $0.isStreamStart(header) }
        let declared = kind?.parameters(header)
        let what =
          if let declared, declared.channels <= 0 { "\(declared.channels) channels" }
          else if let declared, !(1...Int(Int32.max)).contains(declared.rate) { "a sample rate of \(declared.rate) Hz" }
          else { "an impossible sample rate or channel count" }
        throw AudioIOError(.invalidInput, path: path, "header declares \(what)")
      }
      // An MPEG stream libmpg123 would not open for a damaged frame header among its first
      // frames: said as damage (for FFmpeg to decode on, under the default decoder).
      // Free-format MPEG audio, which FFmpeg does not decode either (`MPEGFreeFormat`).
      if raw == nil, unrecognised, freeFormatMPEG != nil {
        throw UnrecognisedFormat(error: AudioIOError(.invalidInput, path: path, MPEGFreeFormat.unrecognised))
      }
      if raw == nil, unrecognised, let damaged = MPEGStreamExtent.damagedHeaderNearTheStart(openingBytes.read(at: view.skip, count: ContainerHeader.captureBytes)) {
        throw UnrecognisedFormat(
          error: AudioIOError(
            .invalidInput, path: path,
            "damaged: the MPEG frame header at byte \(Int64(damaged) + view.skip) disagrees with the frames before it, and libsndfile does not open the stream (--decoder auto decodes on through FFmpeg)"
          ))
      }
      let error = AudioIOError(.invalidInput, path: path, Self.explain(text, raw: raw))
      guard raw == nil else { throw error }
      throw unrecognised ? UnrecognisedFormat(error: error) : RefusedFormat(error: error)
    }
    info = file.info
    guard info.channels > 0 else {
      throw AudioIOError(.invalidInput, path: path, "header declares \(info.channels) channels")
    }
    // An AIFF rate libsndfile could not hold (NaN, infinity, beyond 2^26) is named as declared.
    if info.format & Int32(SF_FORMAT_TYPEMASK) == Int32(SF_FORMAT_AIFF), raw == nil,
      let declared = AIFFSampleRate.declared(inputBytes, from: view.skip),
      !(declared.isFinite && abs(declared - Double(info.samplerate)) < 1)
    {
      throw AudioIOError(.invalidInput, path: path, "the header (COMM) declares a sample rate of \(declared) Hz, which is not a rate")
    }
    guard info.samplerate > 0 else {
      throw AudioIOError(.invalidInput, path: path, "header declares a sample rate of \(info.samplerate) Hz")
    }
    format = StreamFormat(sampleRate: Int(info.samplerate), channels: Int(info.channels))
    // A placeholder rewritten for a pipe announces nothing (its size is "as much as comes").
    let announces = placeholderSizes == nil || self.pipe == nil
    announcedFrames = announces && info.frames >= 0 && info.frames < Int64.max / 2 ? info.frames : nil
    let subtype = info.format & Int32(SF_FORMAT_SUBMASK)
    deliversFloats = subtype == Int32(SF_FORMAT_FLOAT) || subtype == Int32(SF_FORMAT_DOUBLE)
    formatName = Self.name(of: info.format)
    isMPEG = info.format & Int32(SF_FORMAT_TYPEMASK) == Int32(SF_FORMAT_MPEG)
    freeFormat = isMPEG ? freeFormatMPEG : nil
    isFLAC = info.format & Int32(SF_FORMAT_TYPEMASK) == Int32(SF_FORMAT_FLAC)
    // An MP3 whose first header is damaged in its rate or channel mode: libsndfile reads the
    // whole stream at that format, and loses it (576 frames of 80000; FFmpeg, which finds the
    // stream's own, cannot take over at another format). Said as damage, for FFmpeg to decode
    // under the default decoder, as a header libsndfile does not open is (review36).
    if isMPEG, raw == nil, let stream = MPEGStreamExtent.formatAfterTheFirstFrame({ inputBytes.read(at: inputSkip, count: $0) }),
      stream.rate != format.sampleRate || (stream.mono ? 1 : 2) != format.channels
    {
      throw UnrecognisedFormat(
        error: AudioIOError(
          .invalidInput, path: path,
          "damaged: the MPEG frame header at byte \(Int64(stream.start) + inputSkip + (self.pipe?.skippedTagBytes ?? 0)) (\(format.sampleRate) Hz, \(format.channels == 1 ? "mono" : "stereo")) is not the stream's (\(stream.rate) Hz, \(stream.mono ? "mono" : "stereo")), and libsndfile reads the stream at its format (--decoder auto decodes on through FFmpeg)"
        ))
    }
    if isMPEG, raw == nil, let info = MPEGStreamExtent.infoFrameLibmpg123Ignores({ inputBytes.read(at: inputSkip + $0, count: $1) }) {
      let consequence =
        switch info.damage {
        case .sideInformation, .marker: "libsndfile decodes the frame as audio and the stream untrimmed"
        case .misplacedLAMETag, .lameTagCRC, .lameTrimPastTheStream: "libsndfile trims the stream by what it reads there"
        case .vbriHeader: "libsndfile decodes it as a frame of silence"
        }
      let what = "\(info.damage.said(at: info.start + inputSkip + (self.pipe?.skippedTagBytes ?? 0))), and \(consequence)"
      let damaged = if case .vbriHeader = info.damage { "" } else { "damaged: " }
      throw UnrecognisedFormat(
        error: AudioIOError(.invalidInput, path: path, "\(damaged)\(what) (--decoder auto decodes it through FFmpeg)"))
    }
    isOgg = info.format & Int32(SF_FORMAT_TYPEMASK) == Int32(SF_FORMAT_OGG)
    isVorbis = isOgg && subtype == Int32(SF_FORMAT_VORBIS)
    isOpus = isOgg && subtype == Int32(SF_FORMAT_OPUS)
    isCAF = info.format & Int32(SF_FORMAT_TYPEMASK) == Int32(SF_FORMAT_CAF)
    isHeadered = raw == nil && Self.headeredContainers.contains(info.format & Int32(SF_FORMAT_TYPEMASK))
    // A pipe's Info header is read now, while its window holds the start: at its end, past the
    // window, it is gone (an MP3 over 4 MiB cut short from a pipe said nothing). Only what
    // libmpg123 has read already (its first frame, Info header included) is looked at, so that
    // a live stream is not held back.
    if isMPEG, let pipe = self.pipe {
      let head = MPEGStreamExtent.head(InputBytes(file: nil, pipe: pipe), available: pipe.bytesConsumed)
      mpegAnnouncedAtOpen = MPEGStreamExtent.announcedFrames(head)
      mpegTrim = MPEGStreamExtent.gaplessTrim(head)
      mpegStartsWithAnInfoFrame = MPEGStreamExtent.firstFrame(head).flatMap { MPEGStreamExtent.infoTag(head, start: $0) } != nil
      // Its tail, where FFmpeg may start again after a loss of sync (`mpegResumption`).
      pipe.keepsTail = true
    } else {
      mpegStartsWithAnInfoFrame = false
      mpegAnnouncedAtOpen = nil
      mpegTrim = isMPEG ? MPEGStreamExtent.head(file: path, pipe: nil).flatMap(MPEGStreamExtent.gaplessTrim) : nil
    }
    isPCM = AnnouncedLength.bytesPerSample(format: info.format) != nil && !isFLAC
    vocBlockFrames =
      info.format & Int32(SF_FORMAT_TYPEMASK) == Int32(SF_FORMAT_VOC) && self.pipe == nil
      ? AnnouncedLength.bytesPerSample(format: info.format).flatMap { bytesPerSample in
        Descriptor.status(path).flatMap {
          VOCSoundBlock.frames(InputBytes(file: path, pipe: nil), skip: view.skip, size: $0.size, frameBytes: bytesPerSample * Int(info.channels))
        }
      } : nil
    blockCoded = raw == nil ? BlockCodedData.find(header, format: info.format) : nil
    sdsDump = raw == nil && info.format & Int32(SF_FORMAT_TYPEMASK) == Int32(SF_FORMAT_SDS) ? SDSDump(header) : nil
    // A file of any container (WAV, FLAC, Ogg, CAF, MAT, …) with another file joined on, of the
    // same container or another, is refused before anything is decoded: a file's looked
    // through now, a pipe's as far as it was read (the rest at its end, `checkJoin`).
    // So is an MP3 or MP2 with a second file's own header (`MPEGFiles`).
    // (Opened for its header, `ScanReach.structure`, a file is looked through only as far as the
    // walk of its structure reads.)
    openingScan = raw == nil && pipe == nil ? StreamHeaderScanner.scan(file: path, reach: reach) : nil
    if raw == nil, let refusal = openingScan?.joinRefusal(mpeg: isMPEG) ?? self.pipe?.joinRefusal(mpeg: isMPEG) {
      throw AudioIOError(.invalidInput, path: path, refusal)
    }
    // And a file whose frames change rate or channel mode, before a sample is decoded (review35
    // R15: found at the end, after the first part had gone to standard output); a pipe's at
    // its end (`checkMPEGJoin`).
    if isMPEG, pipe == nil, reach == .everything {
      formatChangeLookedFor = true
      if let change = MPEGStreamExtent.formatChange(file: path) {
        formatChanged = true
        throw AudioIOError(.invalidInput, path: path, change)
      }
    }
    if isFLAC {
      // STREAMINFO, read when the input was opened; its minimum block size.
      let streamInfo = flacHead
      flacBlockSize = streamInfo.count >= 2 ? Int(streamInfo[0]) << 8 | Int(streamInfo[1]) : 0
      flacStreamInfo = streamInfo.count == 34 ? streamInfo : []
      flacReadFrames = Self.flacReadFrames(streamInfo: flacStreamInfo)
      self.pipe?.keepsTail = true
    } else {
      flacBlockSize = 0
      flacStreamInfo = []
      flacReadFrames = Self.flacReadFrames(streamInfo: [])
    }
    // An Ogg stream's last pages say whether it ended (`OggLength`): past the window, only
    // the tail the pipe keeps holds them.
    if isOgg, let pipe = self.pipe {
      pipe.keepsTail = true
      // (Its first page, read before libsndfile opened it: a comment header larger than the
      // window takes it out of reach (review37a U26: 16185 of 112000 frames, no word).)
      oggHead = Array(header.prefix(512))
    }
    // A FLAC whose frames go on past STREAMINFO's total, or that may have another joined on
    // (its scan stopped short), has no exact length in advance.
    let total = announcedFrames ?? 0
    let nothingJoined = openingScan.map { !$0.stoppedShort && $0.join == nil } ?? false
    var framesPastTotal = false
    if isFLAC, nothingJoined, pipe == nil, total > 0,
      let end = FLACFrameFormat.lastFrameEnd(tail: openingBytes.tail, blockSize: flacBlockSize)
    {
      framesPastTotal = end > total
    }
    var exact = self.pipe == nil && (isPCM || (isFLAC && nothingJoined && !framesPastTotal)) ? announcedFrames : nil
    // A sample dump cut short holds only its whole packets.
    if let sdsDump, let size = Descriptor.status(path)?.size, let announced = exact {
      exact = min(announced, sdsDump.frames(inputBytes: size - view.skip))
    }
    exactFrames = exact
    if isOgg {
      expectedFrames = nil  // libsndfile's own Ogg length stops at a damaged page: read at the end
    } else if isFLAC {
      expectedFrames = announcedFrames
    } else if placeholderSizes == nil {
      // A PCM header's data size over its block, as FFmpeg's reading announces it (one
      // reading for both decoders: review35 R5, an RF64 data size of 2^63 announced nothing
      // here); libsndfile's log for the other containers.
      let headerLength = HeaderAnnouncedLength.length(in: HeaderBytes(header, input: openingBytes, start: view.skip), audioStream: 0)
      expectedFrames =
        (headerLength?.isDataSize == true ? headerLength?.frames(at: Int(info.samplerate)) : nil)
        ?? cafClaims?.declaredFrames(format: info.format, channels: Int(info.channels))
        ?? AnnouncedLength.frames(log: file.logInfo, format: info.format, channels: Int(info.channels))
        ?? blockCoded?.declaredFrames ?? sdsDump?.declaredFrames
        ?? DeclaredAudioLength.frames(header, format: info.format, channels: Int(info.channels))
    }
    let overrun = [SF_FORMAT_AU, SF_FORMAT_NIST, SF_FORMAT_W64, SF_FORMAT_AVR, SF_FORMAT_WVE, SF_FORMAT_RF64, SF_FORMAT_SVX].map { Int32($0) }
    let overruns = overrun.contains(info.format & Int32(SF_FORMAT_TYPEMASK))
    declaredEnd = raw == nil && overruns && isPCM && placeholderSizes == nil ? expectedFrames : nil
  }

  /// Where a PCM container's audio ends by its header: libsndfile reads AU, SPHERE, W64, AVR,
  /// WVE and RF64 past it from a pipe, into what follows — another file's header, decoded as
  /// full-scale samples before the join is refused — and a W64 file whose data size is less
  /// than follows to the file's end (review41 H16: 64000 frames from the file, 16000 from a
  /// pipe), and an 8SVX whatever follows its BODY (a chunk its FORM counts, a tag, zeros, its
  /// pad byte: review42 H03). Nothing past it is delivered, from a file as from a pipe. (Not
  /// IRCAM and PAF, which declare no length.)
  private var declaredEnd: Int64?

  public func read(into chunk: inout AudioChunk, maxFrames: Int) throws -> Int {
    // A FLAC block in which libFLAC meets damage is dropped whole (`stoppedAtDamage`): read
    // `flacReadFrames` at a time whatever the caller asks, the same frames are kept for `info`
    // (65536 at a time) as for `process` (4096). The last read stops at STREAMINFO's total, so
    // that libFLAC does not look past the last frame into what follows (other bytes, another
    // file) and the last frame is not dropped with the error it meets there.
    let maxFrames = isFLAC ? min(maxFrames, flacReadFrames, framesToTheTotal ?? .max) : maxFrames
    let channels = format.channels
    chunk.channels = channels
    if chunk.samples.count != maxFrames * channels {
      chunk.samples.removeAll(keepingCapacity: true)
      chunk.samples.append(contentsOf: [Float](repeating: 0, count: maxFrames * channels))
    }
    if isMPEG {
      for index in chunk.samples.indices { chunk.samples[index] = Self.unwritten }
    }
    var frames = chunk.samples.withUnsafeMutableBufferPointer { buffer in
      isMPEG
        ? LibraryDiagnostics.silenced { file.readFrames(buffer.baseAddress!, frames: maxFrames) }
        : file.readFrames(buffer.baseAddress!, frames: maxFrames)
    }
    // A pipe's bytes read so far holding a second file: refused before another frame is
    // delivered (the first file's may be cut short, never the second's delivered: review35b S6).
    if raw == nil, let refusal = pipe?.joinRefusal(mpeg: isMPEG) {
      formatChanged = true
      throw AudioIOError(.invalidInput, path: path, refusal)
    }
    // libFLAC answers a frame that fails its checksum with zeros, which libsndfile passes on
    // as audio from a file, setting its error for that call only; from a pipe it stops there.
    // The block is not delivered and libsndfile's stream ends before it, as from a pipe:
    // FFmpeg decodes on from there (`RecoveringSource`) and drops the damaged frame.
    let stoppedAtDamage = isFLAC && frames > 0 && file.errorCode != 0
    if stoppedAtDamage { frames = 0 }
    if frames < maxFrames {
      // libmpg123 reports an error where a stream ends inside a frame (a pipe's), and where it
      // gives up looking for the next frame in bytes that hold none (zeros after the last
      // frame, review39 F02: 576 to 3584 frames lost from a file); libsndfile then reports no
      // frames, though libmpg123 has written what it decoded before the error into the
      // buffer: those frames, told from the marked rest, are kept, and the stream ends there.
      // Whether it ended short of the frames is the frames walked's to say (`checkMPEGJoin`),
      // from a file and a pipe alike. Only an error says so: past the frames it announced,
      // libsndfile answers with zeros written over the whole buffer and no error, which are no
      // decoded frames (taken for them, a damaged MP3 from a pipe gave zeros without end).
      if frames == 0, isMPEG, file.errorCode != 0 {
        let written = chunk.samples.prefix { $0.bitPattern != Self.unwritten.bitPattern }.count
        frames = written / channels
      }
      chunk.samples.removeLast((maxFrames - frames) * channels)
      if frames == 0, file.errorCode != 0, !isMPEG, !stoppedAtDamage {
        // A second file among the bytes read (libFLAC reads ahead into it and loses sync) is
        // the refusal, not damage for another decoder to recover.
        if raw == nil, let refusal = pipe?.joinRefusal(mpeg: false) ?? fileHeaders?.joinRefusal {
          formatChanged = true
          throw AudioIOError(.invalidInput, path: path, refusal)
        }
        readAnnouncedLength()  // for the warning of the decoder that takes over
        throw AudioIOError(.invalidInput, path: path, "decoding failed: \(file.errorMessage)")
      }
    }
    if isVorbis || isOpus, !oggEndRead, let pipe, pipe.atEnd {
      oggEndRead = true
      declaredEnd = isVorbis ? oggEndTrim(pipe) : opusEnd(pipe)
    }
    if let declaredEnd, decodedFrames + Int64(frames) > declaredEnd {
      let kept = Int(max(0, declaredEnd - decodedFrames))
      chunk.samples.removeLast((frames - kept) * channels)
      frames = kept
    }
    if let held = wholeBlockFrames() ?? vocBlockFrames, decodedFrames + Int64(frames) > held {
      let kept = Int(max(0, held - decodedFrames))
      chunk.samples.removeLast((frames - kept) * channels)
      frames = kept
    }
    if raw != nil, decodedFrames == 0, leadingBytes.isEmpty { leadingBytes = pipe?.leadingBytes ?? Self.firstBytes(of: path) }
    decodedFrames += Int64(frames)
    if frames == 0, !ended {
      ended = true
      readAnnouncedLength()
      if isMPEG { try checkMPEGJoin() }
      if raw == nil, !isMPEG { try checkJoin() }
      if isFLAC, joined == nil { try checkFramesPastTotal() }
      truncation = checkTruncation()
      if decodedFrames == 0, let expectedFrames, expectedFrames > 0 {
        throw AudioIOError(.invalidInput, path: path, NothingDecodes.message(announced: expectedFrames, why: nil))
      }
      if decodedFrames == 0, isOgg, !oggStreamEnded {
        throw AudioIOError(.invalidInput, path: path, NothingDecodes.oggCutAfterHeaders)
      }
    }
    return frames
  }

  /// The lengths read at the end of the stream rather than from the header: an Ogg stream's
  /// last page, an MP3's Info header.
  private func readAnnouncedLength() {
    if isOgg,
      let length = OggLength.length(
        file: pipe == nil || !isStream ? path : nil, pipe: isStream ? pipe : nil, rate: format.sampleRate, skip: tagBytes, head: oggHead)
    {
      expectedFrames = length.largest
      oggStreamEnded = length.endsStream
      if length.isContradicted {
        granuleLie =
          length.lastStored >= 0
          ? "the last Ogg page's granule position announces \(length.last) frames, an earlier page's \(length.largest)"
          : length.largest > 0
            ? "the last Ogg page's granule position is unset (-1), an earlier page's announces \(length.largest) frames"
            : "the Ogg pages' granule positions are unset (negative): they announce no length"
        announcesNoLength = length.lastStored == -1 && length.largest <= 0
        if announcesNoLength { expectedFrames = nil }  // (not "announces 0 frames")
      }
    }
    if isMPEG {
      expectedFrames =
        mpegAnnouncedAtOpen ?? MPEGStreamExtent.head(file: pipe == nil ? path : nil, pipe: pipe).flatMap(MPEGStreamExtent.announcedFrames)
    }
  }

  /// At the end of the stream: whether libsndfile stopped short of the header's length, or
  /// before the end of MPEG streams joined end to end. Another decoder may recover more.
  /// PCM (WAV, AIFF, CAF, …) is excluded: its bytes are its samples, and FFmpeg cannot find
  /// more in a cut recorder's file than libsndfile did (it would only read it all again).
  var endedEarly: Bool {
    guard ended, !isPCM, blockCoded == nil else { return false }
    return moreFollows || announcesNoLength || expectedFrames.map { decodedFrames < $0 } ?? false
  }
  /// An Ogg stream whose last pages' granule positions are all unset (-1): nothing says where it
  /// ends, and libsndfile's reader may stop before its last page (a short Vorbis from a pipe gave
  /// its first page only, 16,000 of 48,128 frames, stop 54), so FFmpeg is asked for what
  /// follows. Not for other negative positions (-2): there libsndfile drops 1,024 frames near
  /// the first second, and FFmpeg's frames, joined at the count libsndfile delivered, repeated
  /// as many (review65 H1).
  private var announcesNoLength = false
  /// Why FFmpeg was asked on for such a stream (`announcesNoLength`): its granule positions.
  var announcedNoEnd: String? { announcesNoLength ? granuleLie : nil }
  private let isPCM: Bool
  /// A block codec's data (IMA or MS ADPCM, GSM 6.10 in WAV or W64): only whole blocks are
  /// decoded, and like PCM's, FFmpeg finds no more in them.
  private let blockCoded: BlockCodedData?
  /// A VOC file's sound block's frames, where libsndfile's file reader would read past it into
  /// the blocks that follow (`VOCSoundBlock`).
  private let vocBlockFrames: Int64?

  /// The frames the whole blocks of a block codec's input hold: a file's at once, a pipe's
  /// once it has ended (libsndfile decodes a block only after reading it); nil otherwise.
  private func wholeBlockFrames() -> Int64? {
    let frames: (Int64) -> Int64
    if let blockCoded {
      frames = blockCoded.frames(inputBytes:)
    } else if let sdsDump {
      frames = sdsDump.frames(inputBytes:)
    } else {
      return nil
    }
    if let pipe {
      return pipe.atEnd ? frames(pipe.bytesConsumed - tagBytes) : nil
    }
    return Descriptor.status(path).map { frames($0.size - tagBytes) }
  }
  /// A MIDI Sample Dump's header: only its whole data packets are decoded (`SDSDump`).
  private let sdsDump: SDSDump?
  private var ended = false
  private var moreFollows = false
  /// More MPEG audio after the stream libsndfile decoded ("more MPEG audio follows"). (A file
  /// of a container joined on is refused: `checkJoin`.)
  private(set) var joined: String?
  /// A file's stream headers, found when it was opened (nil for a pipe and raw input); a scan
  /// that stopped short (`ScanReach.structure`) is replaced by one of the whole file when
  /// `fileHeaders` is first asked for.
  private var openingScan: StreamHeaderScanner?
  /// A file's stream headers, the whole file looked through: for what is found at the end of
  /// the stream, which a scan that stopped short did not read.
  private var fileHeaders: StreamHeaderScanner? {
    openingScan = openingScan?.throughout(file: path)
    return openingScan
  }
  /// The input's format changes part-way (refused: 65, whichever decoder tries).
  private(set) var formatChanged = false
  /// The bytes of an ID3v2 tag hidden before the container (`ID3v2Tag`).
  private let tagBytes: Int64
  /// The frames a pipe's MP3 Info header announces, read when it was opened.
  private let mpegAnnouncedAtOpen: Int64?
  /// What the decoders take off an MP3's frames when its Info header has a LAME tag
  /// (`MPEGStreamExtent.gaplessTrim`): the frames held, less it, are its length to the sample.
  private let mpegTrim: Int64?
  /// Without a LAME tag, how far short of the frames' samples libmpg123 may stop (the Info frame
  /// and the decoders' delay and padding, unknown): three MPEG-1 frames.
  private static let untrimmedAllowance: Int64 = 3 * 1152
  /// An Ogg Vorbis stream's end from a pipe, once the pipe has ended: its last page's granule
  /// position, where it ends the stream and lies past the pages before (an end trim). From a
  /// file libsndfile reads the last page first and stops there; from a pipe it trimmed only
  /// within the last packet, and kept up to 4000 frames more without a word (review44 H07).
  /// Every frame delivered before the pipe ended came from the pages before the last, so the
  /// trim loses nothing the file gives. nil without such a page.
  private func oggEndTrim(_ pipe: PipeReader) -> Int64? {
    guard
      let length = OggLength.length(
        file: isStream ? nil : path, pipe: isStream ? pipe : nil, rate: format.sampleRate, skip: tagBytes, head: oggHead),
      length.endsStream, !length.isContradicted, length.last > 0
    else { return nil }
    return length.last
  }

  /// An Ogg Opus stream's end from a pipe, once the pipe has ended, where libsndfile's length
  /// of the file ends it: a stream whose first pages were lost or damaged starts after 0
  /// (`OggOpusStart`), and decodes the pre-skip's frames that length leaves out (review48 H01:
  /// 312 frames more from a pipe). nil for a stream that starts at 0, when the pipe's window no
  /// longer holds its start, and when bytes follow its last page (libsndfile's file reader then
  /// finds that page, or not, by how many: review54 H7). The frames past that end come from its last pages,
  /// delivered after the pipe ended.
  private func opusEnd(_ pipe: PipeReader) -> Int64? {
    guard isStream, pipe.bytesConsumed <= Int64(pipe.windowBytes) else { return nil }
    let head = InputBytes(file: nil, pipe: pipe).read(at: tagBytes, count: Int(min(pipe.bytesConsumed - tagBytes, Int64(OggOpusStart.bytesLookedAt))))
    let position = pipe.tell
    defer { _ = pipe.seek(offset: position, whence: SEEK_SET) }  // (the length reads the window too)
    guard let start = OggOpusStart.granule(head), start > 0,
      let length = OggLength.length(file: nil, pipe: pipe, rate: format.sampleRate, skip: tagBytes, head: oggHead, start: start),
      length.endsStream, length.endsTheInput, !length.isContradicted
    else { return nil }
    return length.last
  }

  /// An Ogg stream whose last granule position is smaller than an earlier one's.
  private var granuleLie: String?
  /// Whether an Ogg stream's last page ends it (a stream cut short lacks the flag).
  private var oggStreamEnded = true
  /// A pipe's first Ogg page (its serial number, an Opus pre-skip), read at open: the window
  /// holding it may be gone when the last pages are read.
  private var oggHead: [UInt8]?
  /// A data size that was never filled in (or CAF's "to the end"), decoded to the end.
  private let placeholderSizes: PlaceholderSizes?
  /// Where libsndfile's reader was once it had opened the input (its audio's start, for PCM).
  private var audioStart: Int64?

  /// Where an MP3's or MP2's frames lose their sync with more frames after (`MPEGFrameChain`).
  private(set) var mpegDamage: String?
  /// What the warning adds to `mpegDamage` where FFmpeg could not decode on from a pipe.
  private var mpegDamageWithoutFFmpeg = ""
  /// Set by the source that hands over to FFmpeg (`RecoveringSource`): a pipe whose MPEG frames
  /// lost their sync where libmpg123 stopped is then not read on here, for what is read past a
  /// pipe's window is gone, but left to FFmpeg where it stands (`stoppedAtAPipeLoss`).
  var handsOverAtAPipeLoss = false
  /// libmpg123 stopped where a pipe's frames lost their sync, and the pipe was left unread past
  /// it for FFmpeg to decode on: from its first byte while its window holds it, else from a frame
  /// before the loss its tail holds (`mpegResumption`). What the bytes there are is said once
  /// the pipe has been read (`pipeLossDamage`), or, where FFmpeg found no more, as it is without
  /// a handover (`endWithoutHandover`). (review58 M4: 70000 bytes inserted 2 MB into a 4.4 MB
  /// MP3 kept half of it from a pipe, all from the file.)
  private(set) var stoppedAtAPipeLoss = false
  /// A pipe's MP3 whose first frame holds an Info header, whose delay the decoders trim from
  /// the start: a stream started again part-way has none (`mpegResumption`).
  private let mpegStartsWithAnInfoFrame: Bool
  /// A file's frames were walked for a change of rate or channel mode when it was opened.
  private var formatChangeLookedFor = false

  /// At the end of an MP3 or MP2 stream: whether more follows (files joined end to end). A
  /// file whose rate or channel mode changes, or with a second file's header, is refused; more
  /// frames of the same are for FFmpeg to decode, or the warning says they were not (FFmpeg may
  /// read another rate from them and decline).
  private func checkMPEGJoin() throws {
    if pipe == nil, !formatChangeLookedFor, let change = MPEGStreamExtent.formatChange(file: path) {
      formatChanged = true
      throw AudioIOError(.invalidInput, path: path, change)
    }
    // A damaged frame header: libmpg123 ended the stream there without a word, or decoded over
    // it (review35 R1, R16); the frames walked say which (a pipe's when its window holds it).
    // libmpg123 may also end at a header whose frame length is right and whose channel mode
    // or rate is not (review35b S7): stopped short of the frames' samples, FFmpeg decodes on.
    // (A file read as a stream is walked as the file: a pipe's walk stops at its window.)
    if isStream, let pipe, handsOverAtAPipeLoss, !pipe.atEnd, pipe.headers.mpegFrames?.lossMet == true {
      // Read on as far as nothing read is lost (its window's end): the frames found again
      // after the loss, and the input going on past the window, the pipe is left to FFmpeg
      // here. (Where they are not, the end is looked at as for any stream: a last frame cut,
      // then a tag or padding, is no hole.)
      let window = Int64(pipe.windowBytes)
      if pipe.bytesConsumed < window { _ = pipe.readToTheEnd(limit: window - pipe.bytesConsumed) }
      // Past the window, a little further while its tail holds where FFmpeg would start again
      // (review59 H2: a loss in the last bytes read so far, the frames after it not yet seen).
      if !pipe.atEnd, pipe.headers.mpegFrames?.framesFoundAfterALoss == false, mpegRestartFrame(atOrBefore: decodedFrames) != nil {
        _ = pipe.readToTheEnd(limit: Self.lookPastALoss)
      }
      // (While the window holds the pipe whole, FFmpeg starts again from its first byte wherever
      // libsndfile stopped: after a glitch it decoded over, too, review59 H5.)
      if !pipe.atEnd, let walk = pipe.headers.mpegFrames, walk.framesFoundAfterALoss,
        pipe.bytesConsumed <= window || (stoppedAtTheLoss(of: walk) && mpegRestartFrame(atOrBefore: decodedFrames) != nil)
      {
        (stoppedAtAPipeLoss, moreFollows) = (true, true)
        return
      }
    }
    let chain = if isStream, let pipe { MPEGFrameChain.walk(pipe: pipe) } else { MPEGFrameChain.walk(file: path) }
    if let change = chain?.change {
      formatChanged = true
      throw AudioIOError(.invalidInput, path: path, change)
    }
    // Frames walked say whether more audio follows, to the frame (below): bytes after the last
    // one (zeros, a tag holding a picture or a file) are not audio (review38 R2, R3: "joined:
    // more MPEG audio follows"). Where they were not walked (a pipe past its window), more than
    // the allowance left unread where libsndfile stopped is more audio, from a file as from a
    // pipe (review34b B1, B2, B10: an MP3 or MP2 without an Info header, one sync byte zeroed,
    // ended there silently from a file, where a pipe went on through FFmpeg).
    let unread = reader.map { $0.length - $0.tell } ?? 0
    moreFollows =
      chain == nil
      && (pipe.map(MPEGStreamExtent.moreFollows(pipe:)) ?? (MPEGStreamExtent.moreFollows(file: path) || unread > Int64(MPEGStreamExtent.allowance)))
    if let chain {
      // With a LAME tag, to the sample: libmpg123 stops at the Info header's count, which may
      // be lower than the frames (review37a U10: 2 frames of an 8 kHz MP3, 144 ms, dropped
      // without a word, under the allowance of three 1152-sample frames).
      let short =
        if let mpegTrim { decodedFrames < chain.samples - mpegTrim } else { decodedFrames + Self.untrimmedAllowance < chain.samples }
      if let damage = chain.damage {
        mpegDamage = damage
      } else if short {
        let held = chain.samples - (mpegTrim ?? 0)
        mpegDamage = "libmpg123 stopped \(held - decodedFrames) frames short of the \(held) the MPEG frames hold"
      }
      if short { moreFollows = true }
    } else if let pipe, let damage = MPEGFrameChain.damage(atTheEndOf: pipe) {
      mpegDamage = damage
      // libmpg123 stopped where the frames lose their sync, more after it, and FFmpeg can start
      // again neither from the first byte (past the window) nor from a frame the pipe's tail
      // holds (`mpegResumption`). (Under --decoder sndfile it is not asked: review58 M5.)
      // (The frames found again as far as the pipe was read, where that was not its end.)
      if handsOverAtAPipeLoss, let walk = pipe.headers.mpegFrames, pipe.atEnd ? walk.lostSync : walk.framesFoundAfterALoss, stoppedAtTheLoss(of: walk),
        pipe.bytesConsumed > Int64(pipe.windowBytes), mpegRestartFrame(atOrBefore: decodedFrames) == nil
      {
        mpegDamageWithoutFFmpeg =
          "; libsndfile stopped there, and FFmpeg cannot decode on from a pipe past its \(pipe.windowBytes >> 20) MiB window (decode the file, or use --decoder ffmpeg)"
      }
    }
    // A free-format stream libsndfile stopped part-way through: FFmpeg cannot decode on. (A pipe
    // past its window, which libmpg123 may have read to its end, by the fewest samples its bytes
    // hold.)
    if let freeFormat {
      let atLeast = chain == nil ? pipe.flatMap { $0.atEnd ? freeFormat.samplesAtLeast(toByte: $0.bytesConsumed) : nil } : nil
      if moreFollows || atLeast.map({ decodedFrames + Self.untrimmedAllowance < $0 }) == true {
        formatChanged = true
        throw AudioIOError(
          .invalidInput, path: path, MPEGFreeFormat.refusal(decoded: decodedFrames, held: chain?.samples ?? atLeast, atLeast: atLeast != nil))
      }
    }
    // A pipe's join (a file's was looked for when opened): the same bytes, the same refusal.
    if let pipe, let refusal = moreFollows ? Self.mpegJoinRefusal(readingOn: pipe) : pipe.headers.joinRefusal(mpeg: true) {
      formatChanged = true
      throw AudioIOError(.invalidInput, path: path, refusal)
    }
    if moreFollows, mpegDamage == nil { joined = "more MPEG audio follows the stream libsndfile decoded" }
  }

  /// An MP3 or MP2 pipe's join: a second file's header or a change of rate or channel mode
  /// among its bytes (`StreamHeaderScanner.joinRefusal(mpeg:)`, its frames walked as they were
  /// read), read on first to the window's end while FFmpeg could still start again from the
  /// first byte, to the end (64 MiB at most) past it (review37a U2, U14: a WAV or a rate change
  /// 4.4 MB into standard input was decoded on, where the file was refused).
  private static func mpegJoinRefusal(readingOn pipe: PipeReader) -> String? {
    let window = Int64(pipe.windowBytes)
    _ = pipe.readToTheEnd(limit: pipe.bytesConsumed <= window ? window - pipe.bytesConsumed : 64 << 20)
    return pipe.headers.joinRefusal(mpeg: true)
  }

  /// At the end of the stream: whether another file follows (of the same container or another),
  /// which is refused (`StreamHeaderScanner.joinRefusal`). The whole input is looked through: a
  /// file's when it was opened, a pipe read to its end (up to 64 MiB) when it starts with a
  /// container `ContainerHeader` knows.
  private func checkJoin() throws {
    let headers: StreamHeaderScanner
    if let pipe {
      guard pipe.headers.startsWithContainer else { return }
      _ = pipe.readToTheEnd()
      headers = pipe.headers
    } else {
      headers = fileHeaders ?? StreamHeaderScanner.scan(file: path, reach: .everything)
    }
    if let refusal = headers.joinRefusal {
      formatChanged = true
      throw AudioIOError(.invalidInput, path: path, refusal)
    }
    endHeaders = headers
  }

  /// The input's container headers, looked through at the end of the stream (`checkJoin`).
  private var endHeaders: StreamHeaderScanner?

  /// STREAMINFO's block size (its minimum), by which a fixed-block-size FLAC numbers its frames.
  private let flacBlockSize: Int
  /// A FLAC's STREAMINFO (34 bytes; empty for another format or a header cut short).
  private let flacStreamInfo: [UInt8]

  /// A FLAC read from a pipe past its window, to be decoded again from a frame the pipe's tail
  /// still holds (libsndfile lost sync after `frame` frames): the bytes that begin a stream
  /// there (`fLaC`, STREAMINFO with its total left open, the tail from that frame's header; the
  /// pipe's next bytes follow them), and that frame's first sample. nil when the tail holds no
  /// frame starting within a block before `frame`.
  func flacResumption(atOrBefore frame: Int64) -> (prefix: [UInt8], firstSample: Int64)? {
    // The tail up to where libsndfile had read: the pipe's bytes read ahead of it follow.
    guard flacStreamInfo.count == 34, let pipe, pipe.keepsTail, let readAhead = pipe.readAhead else { return nil }
    let kept = pipe.keptBytes
    guard readAhead <= kept.count else { return nil }
    let largestBlock = max(1, Int64(flacStreamInfo[2]) << 8 | Int64(flacStreamInfo[3]))
    let tail = Array(kept.dropLast(readAhead))
    guard let start = FLACFrameFormat.lastFrame(in: tail, startingIn: max(0, frame - largestBlock)...frame, blockSize: flacBlockSize)
    else { return nil }
    var streamInfo = flacStreamInfo
    // The total (36 bits from byte 13's low half): this stream is what is left of it.
    streamInfo[13] &= 0xF0
    streamInfo.replaceSubrange(14..<18, with: [0, 0, 0, 0])
    return (Array("fLaC".utf8) + [0x80, 0, 0, 34] + streamInfo + tail[start.offset...], start.sample)
  }
  /// An MP3 read from a pipe past its window, to be decoded again by FFmpeg from a frame its
  /// tail still holds (libmpg123 stopped after `frame` frames where the frames lost their sync):
  /// that frame's bytes to the last byte read from the pipe (its next bytes follow them: the
  /// pipe is moved there), and the first sample it decodes to. The frame is `warmUpSamples` or more before
  /// `frame`, so that the decoder's state (the bit reservoir, the overlap) is whole again by then
  /// and its samples are those of the stream decoded from its start. nil for a stream whose first
  /// frame holds an Info header (the decoders trim its delay from the start, which a stream
  /// started again part-way lacks), or when the tail holds no such frame.
  func mpegResumption(atOrBefore frame: Int64) -> (prefix: [UInt8], firstSample: Int64)? {
    guard let pipe, let start = mpegRestartFrame(atOrBefore: frame) else { return nil }
    return (Array(pipe.keptBytes[start.index...]), start.samplesBefore)
  }

  /// The frame `mpegResumption` starts from: its place among the pipe's kept bytes and the
  /// samples before it.
  private func mpegRestartFrame(atOrBefore frame: Int64) -> (index: Int, samplesBefore: Int64)? {
    guard isMPEG, !mpegStartsWithAnInfoFrame, let pipe, pipe.keepsTail, let walk = pipe.headers.mpegFrames else { return nil }
    let kept = pipe.keptBytes
    let keptStart = pipe.bytesConsumed - Int64(kept.count)
    guard let start = walk.recentFrames.last(where: { $0.samplesBefore + Self.warmUpSamples <= frame && $0.at >= keptStart }) else { return nil }
    let index = Int(start.at - keptStart)
    // Layer III only: FFmpeg's layer II synthesis carries a dither state from the stream's first
    // frame, which one started part-way lacks (review59 H1: an MP2's samples 2 LSB off).
    guard index + 4 <= kept.count, MPEGStreamExtent.FrameHeader(Array(kept[index..<index + 4]))?.layer == 3 else { return nil }
    return (index, start.samplesBefore)
  }

  /// Whether libmpg123 stopped where a pipe's walk met its loss of sync: it decoded no more
  /// than the frames walked before it (as many as three more, which an untrimmed stream's
  /// decoders may give).
  private func stoppedAtTheLoss(of walk: MPEGFormatWalk) -> Bool { decodedFrames <= walk.samples + Self.untrimmedAllowance }

  /// Samples an MPEG audio decoder started part-way decodes before they are the stream's own:
  /// eight frames of 1152 (layer III's bit reservoir reaches 511 bytes back, five frames of
  /// 32 kb/s at 44.1 kHz).
  private static let warmUpSamples: Int64 = 8 * 1152
  /// How far past its window a pipe is read on after a loss of sync to find the frames again:
  /// as far as its tail still holds where FFmpeg would start.
  private static let lookPastALoss: Int64 = 32 << 10

  /// What the bytes are where a pipe's frames lost their sync (`stoppedAtAPipeLoss`), once
  /// FFmpeg has read the pipe on: as `checkMPEGJoin` says of them (a pipe its window holds
  /// whole is walked as a file).
  var pipeLossDamage: String? {
    guard stoppedAtAPipeLoss, let pipe else { return nil }
    if let said = pipeLossDamageAtTheEnd { return said }
    let said = MPEGFrameChain.walk(pipe: pipe).map { $0.damage } ?? MPEGFrameChain.damage(atTheEndOf: pipe)
    // (Once the pipe has ended, the walk over its window, up to 4 MiB, is made once.)
    if pipe.atEnd { pipeLossDamageAtTheEnd = .some(said) }
    return said
  }
  private var pipeLossDamageAtTheEnd: String??

  /// FFmpeg decoded nothing past where libmpg123 stopped at a pipe's loss of sync
  /// (`stoppedAtAPipeLoss`): the end is looked at as it is without a handover.
  func endWithoutHandover() throws {
    guard stoppedAtAPipeLoss else { return }
    (stoppedAtAPipeLoss, handsOverAtAPipeLoss, moreFollows) = (false, false, false)
    try checkMPEGJoin()
    truncation = checkTruncation()
  }

  /// A FLAC whose STREAMINFO counts no samples (one written to a pipe) whose last frame header
  /// ends later than the frames decoded: "FLAC frames to sample 92160 (by the last frame's
  /// header) were not decoded" (cut inside its last frame, or damaged before it). FFmpeg then
  /// decodes on (`endedEarly`), or the warning says so (review41 H18: a file cut inside a frame
  /// lost it, and 1536 frames before it, without a word).
  private(set) var framesNotDecoded: String?

  /// At the end of a FLAC stream whose STREAMINFO counts no samples: whether its last frame
  /// header ends past the frames decoded (`framesNotDecoded`).
  private func checkLastFrameWithoutATotal() {
    let tail = InputBytes(file: path, pipe: pipe).tail
    guard let end = FLACFrameFormat.lastFrameEnd(tail: tail, blockSize: flacBlockSize), end > decodedFrames else { return }
    framesNotDecoded = "FLAC frames to sample \(end) (by the last frame's header) were not decoded"
    moreFollows = true
  }

  /// A FLAC whose frames go on past STREAMINFO's total, where libsndfile stops: "FLAC frames
  /// follow the 1000 samples STREAMINFO declares (the last is numbered to end at sample 79517)".
  private(set) var pastTotal: String?

  /// At the end of a FLAC stream libsndfile decoded to its STREAMINFO's total (which 0 leaves
  /// open): whether the last frame header of the input ends later. FFmpeg then decodes on
  /// (`endedEarly`), or the warning says what was not decoded.
  /// The frames of another stream there (another rate or channel count) are refused (65).
  private func checkFramesPastTotal() throws {
    guard let total = announcedFrames, total > 0 else { return checkLastFrameWithoutATotal() }
    let tail = InputBytes(file: path, pipe: pipe).tail
    if let change = FLACFrameFormat.formatChange(tail: tail, streamInfo: flacStreamInfo, blockSize: flacBlockSize) {
      formatChanged = true
      throw AudioIOError(.invalidInput, path: path, change)
    }
    let end = FLACFrameFormat.lastFrameEnd(tail: tail, blockSize: flacBlockSize)
    // Only frames past the total: a stream that stopped short of it (damage) is short anyway.
    guard let end, end > max(total, decodedFrames) else { return }
    pastTotal = "FLAC frames follow the \(total) samples STREAMINFO declares (the last is numbered to end at sample \(end))"
    moreFollows = true
  }


  /// "truncated: the header announces 16000 frames, the input holds 1000".
  static func truncated(announced: Int64, holds: Int64) -> String {
    "truncated: the header announces \(announced) frames, the input holds \(holds)"
  }

  /// At the end of the stream: fewer frames than the header announced, or raw input whose
  /// length is not a whole number of frames (a wrong `--in-encoding` or `--in-channels`, or a
  /// cut). nil when the input ended where it said it would.
  private func checkTruncation() -> String? {
    if let expectedFrames, decodedFrames < expectedFrames {
      // Where a pipe's frames lost their sync and FFmpeg could not decode on, that is why
      // (review58 M1: "the input holds" half of what it held, and no more).
      let why = mpegDamageWithoutFFmpeg.isEmpty ? "" : mpegDamage.map { " (\($0)\(mpegDamageWithoutFFmpeg))" } ?? ""
      return Self.truncated(announced: expectedFrames, holds: decodedFrames) + why
    }
    if let joined {
      return "joined: \(joined) and was not decoded; the input holds \(decodedFrames) frames"
    }
    if let mpegDamage { return "damaged: \(mpegDamage)\(mpegDamageWithoutFFmpeg); the input holds \(decodedFrames) frames" }
    if placeholderSizes == nil, let warning = endHeaders?.audioEndsEarlyWarning(frames: decodedFrames) { return warning }
    if isOgg, !oggStreamEnded { return "truncated: \(OggLength.notEnded); the input holds \(decodedFrames) frames" }
    if let warning = placeholderSizes?.warning(frames: decodedFrames) { return warning }
    if let granuleLie { return "\(granuleLie); decoded every page: \(decodedFrames) frames" }
    if let pastTotal {
      return "truncated: \(pastTotal) and were not decoded; the input holds \(decodedFrames) frames"
    }
    if let framesNotDecoded { return "truncated or damaged: \(framesNotDecoded); the input holds \(decodedFrames) frames" }
    if let frameCutShort { return frameCutShort }

    guard let raw else { return nil }
    let total: Int64
    if let pipe {
      total = pipe.bytesConsumed
    } else {
      guard let status = Descriptor.status(path) else { return nil }
      total = status.size
    }
    let leftover = total % Int64(raw.bytesPerFrame)
    guard leftover != 0 else { return nil }
    return "truncated: the last \(leftover) bytes do not make a whole frame "
      + "(\(raw.bytesPerFrame) bytes: \(raw.encoding.rawValue), \(raw.channels) channel\(raw.channels == 1 ? "" : "s"))"
  }

  /// A PCM container whose header gives no audio size (written to a pipe: WAV's, AU's, CAF's
  /// "to the end"), whose input ends inside a sample frame: cut, and the part frame dropped
  /// (review41 H22: a WAV, CAF or AU from `ffmpeg -f wav -` cut mid-frame said nothing, where
  /// one whose header gives the size says `truncated`). A cut on a frame's boundary cannot be
  /// told from an end.
  private var frameCutShort: String? {
    guard isPCM, raw == nil, expectedFrames == nil, placeholderSizes?.placeholder == nil, let audioStart,
      let bytesPerSample = AnnouncedLength.bytesPerSample(format: file.info.format)
    else { return nil }
    let frameBytes = Int64(bytesPerSample) * Int64(file.info.channels)
    let end = pipe?.bytesConsumed ?? reader?.length ?? -1
    let audioBytes = end - audioStart
    guard frameBytes > 1, audioBytes > 0, audioBytes % frameBytes != 0, audioBytes / frameBytes == decodedFrames else { return nil }
    return "truncated: the input ends \(audioBytes % frameBytes) bytes into a \(frameBytes)-byte sample frame, which is dropped; the input holds \(decodedFrames) frames"
  }

  /// The version string of the libsndfile in use.
  public static var libraryVersion: String { SndFile.libraryVersion }

  /// A reader of `path` when it is a regular file that opens.
  private static func bufferedReader(_ path: String, view: InputView) -> BufferedFileReader? {
    let descriptor = Descriptor.open(path, flags: O_RDONLY | O_CLOEXEC | O_NOCTTY)
    guard descriptor >= 0 else { return nil }
    guard Descriptor.status(of: descriptor)?.isRegular == true else {
      try? Descriptor.close(descriptor)
      return nil
    }
    let reader = BufferedFileReader(descriptor: descriptor)
    reader.view = view
    _ = reader.seek(offset: view.skip, whence: SEEK_SET)
    return reader
  }

  /// Missing, directory, unreadable: "cannot open" (66), before libsndfile is asked.
  /// The first 4 bytes of the file at `path` (fewer when it is shorter or unreadable).
  private static func firstBytes(of path: String) -> [UInt8] {
    let descriptor = Descriptor.open(path, flags: O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return [] }
    defer { try? Descriptor.close(descriptor) }
    var bytes = [UInt8](repeating: 0, count: 4)
    let count = (try? bytes.withUnsafeMutableBytes { try Descriptor.read(descriptor, into: $0) }) ?? 0
    return Array(bytes.prefix(count))
  }

  static func checkReadable(_ path: String) throws {
    guard let status = Descriptor.status(path) else {
      throw AudioIOError(.cannotOpenInput, path: path, String(cString: strerror(errno)))
    }
    if status.isDirectory {
      throw AudioIOError(.cannotOpenInput, path: path, directoryInput)
    }
    do {
      try Descriptor.checkReadable(path)
    } catch {
      throw AudioIOError(.cannotOpenInput, path: path, error.text)
    }
  }

  /// When libsndfile refused the input: the refusal of a file with another joined on, found in
  /// the file (as far as `reach` reads), or in what the pipe has read (and a capture's worth more).
  private static func joinRefusal(path: String, pipe: PipeReader?, reach: ScanReach) -> String? {
    if let pipe {
      // Only a stream that starts as a `HeaderedFile` is read further here: any other (a WebM,
      // an MP4 for FFmpeg) is not, so a live stream is not held back waiting for bytes its
      // writer has not sent yet (FFmpeg's reading finds its joins).
      guard let first = pipe.headers.first, HeaderedFile.kinds.contains(first.kind) else { return nil }
      _ = pipe.readToTheEnd(limit: Int64(ContainerHeader.captureBytes))
      return pipe.headers.joinRefusal
    }
    let header = InputBytes(file: path, pipe: nil).read(at: 0, count: ContainerHeader.captureBytes)
    guard ContainerHeader.Kind.streams.contains(where: { $0.hasSignature(header) && $0.isStreamStart(header) }) else { return nil }
    return StreamHeaderScanner.scan(file: path, reach: reach).joinRefusal
  }

  /// The most frames of a FLAC read from libsndfile in one call.
  private let flacReadFrames: Int

  /// The frames left before a FLAC's STREAMINFO total; nil when it declares none or they are
  /// all decoded.
  private var framesToTheTotal: Int? {
    guard let total = announcedFrames, total > decodedFrames else { return nil }
    return Int(min(total - decodedFrames, Int64(Int.max)))
  }

  /// One FLAC frame of a stream whose frames are all one size (STREAMINFO's minimum and maximum
  /// block sizes equal): each read then decodes one frame of its own, and a damaged frame (or
  /// one cut short) is dropped alone, as a pipe stops before it. (In 4096-frame reads a file
  /// also lost the whole frames before it in the same read: 28672 frames where a pipe and FFmpeg
  /// give 29952, review36 T1.) 4096 for any other stream.
  private static func flacReadFrames(streamInfo: [UInt8]) -> Int {
    guard streamInfo.count == 34 else { return 4096 }
    let smallest = Int(streamInfo[0]) << 8 | Int(streamInfo[1])
    let largest = Int(streamInfo[2]) << 8 | Int(streamInfo[3])
    return smallest == largest && smallest >= 16 ? smallest : 4096
  }

  /// Marks the samples of a block libmpg123 has not written (a NaN no decoder produces).
  private static let unwritten = Float(bitPattern: 0x7FC0_DEAD)

  /// libsndfile's private `SFE_BAD_FILE`, not in sndfile.h.
  private static let badFileCode: Int32 = 7
  /// libsndfile's text for `SF_ERR_UNRECOGNISED_FORMAT`.
  static let unrecognisedText = "Format not recognised"

  private static func explain(_ reason: String, raw: RawInputFormat?) -> String {
    let text = reason.trimmingTrailingPeriod
    return raw == nil ? "not a readable audio file (\(text))" : "cannot read as raw PCM (\(text))"
  }

  private static func name(of format: Int32) -> String {
    var info = SF_FORMAT_INFO()
    info.format = format & Int32(SF_FORMAT_TYPEMASK)
    var major = "audio"
    if sf_command(nil, Int32(SFC_GET_FORMAT_INFO), &info, Int32(MemoryLayout<SF_FORMAT_INFO>.size)) == 0,
      let name = info.name
    {
      major = String(cString: name)
    }
    var sub = SF_FORMAT_INFO()
    sub.format = format & Int32(SF_FORMAT_SUBMASK)
    if sf_command(nil, Int32(SFC_GET_FORMAT_INFO), &sub, Int32(MemoryLayout<SF_FORMAT_INFO>.size)) == 0,
      let name = sub.name
    {
      return "\(major), \(String(cString: name))"
    }
    return major
  }
}

extension String {
  var trimmingTrailingPeriod: String {
    var text = self
    while text.hasSuffix(".") || text.hasSuffix(" ") { text.removeLast() }
    return text
  }
}
