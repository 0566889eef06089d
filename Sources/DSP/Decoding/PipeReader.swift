import CSndFile
import Glibc
import SystemPackage

/// Lets libsndfile read a pipe as if it could seek a little, through its virtual I/O API.
///
/// libsndfile's own pipe support (`sf_open_fd` on a pipe) handles WAV, AIFF, Ogg and MP3, but
/// FLAC loses sync and CAF yields nothing, because their readers seek back while parsing the
/// header. This reader keeps the first `windowBytes` of the stream, so any seek inside them
/// works; past the window it reads forward only and keeps nothing, so memory stays constant.
/// A forward seek is served by reading and discarding: over header chunks before the audio
/// however far (`AudioChunkStart`), otherwise a window's worth. A read far beyond what has
/// been consumed (a parser skipping to the end of a long data chunk to look for trailing
/// metadata) reports end of file instead of draining the pipe.
final class PipeReader {
  private let descriptor: Int32
  let windowBytes: Int
  /// Bytes [windowStart, windowStart + window.count) of the stream, while the bytes read have
  /// not passed `windowStart + windowBytes`. The window starts at byte 0, or after header
  /// chunks skipped past it (`AudioChunkStart`), where the audio chunk's header is.
  private var window: [UInt8] = []
  private var windowStart: Int64 = 0
  private var retaining = true
  /// Logical read position, as libsndfile sees it.
  private var position: Int64 = 0
  /// Bytes taken from the descriptor so far.
  private var consumed: Int64 = 0
  /// The descriptor has reported end of file.
  private(set) var atEnd = false
  /// errno of a failed read(2), reported as an I/O error.
  private(set) var readError: Int32 = 0
  /// The input's bytes before this reader's byte 0: large ID3v2 tags read past
  /// (`skippingLargeID3Tags`).
  private(set) var skippedTagBytes: Int64 = 0
  /// The stream's first bytes (up to 4), kept whatever the window does: a raw input's
  /// container signature (`DecodingSource.leadingBytes`).
  private(set) var leadingBytes: [UInt8] = []

  /// The container stream headers among the bytes read so far (another file joined on).
  private(set) var headers = StreamHeaderScanner()
  /// What an MP4's index claims among the bytes read so far (`MP4IndexClaims`): a refusal stops
  /// FFmpeg's reads before it is given the box that breaks the rule.
  private(set) var indexClaims = MP4IndexClaims(inputBytes: nil)
  /// Where a chunk container's audio begins, once walked to: what a forward seek skips.
  private var audioChunk = AudioChunkStart()

  /// The last block read ahead of a small read, bytes [aheadEnd - ahead.count, aheadEnd) of
  /// the stream: a reader asking for a few bytes at a time (libmpg123 looking for sync, a byte
  /// at a time, over 4.5 MB of free-format MP2) is served from it, and the descriptor is read,
  /// and what looks through the stream fed, a block at a time (it was once a read call: 6 s to
  /// refuse that file, most of it in `StreamHeaderScanner`). A read of a pipe returns what has
  /// arrived: a live stream is never waited for.
  private var ahead: [UInt8] = []
  private var aheadCount = 0
  private var aheadEnd: Int64 = 0
  /// Reads smaller than this are served from a block of this size read ahead.
  static let readAheadBytes = 1 << 16

  /// The bytes read from the descriptor past the read position, when the next read is served
  /// from the block read ahead (or reads the descriptor): nil when the position is elsewhere.
  var readAhead: Int? {
    if position == consumed { return 0 }
    return isAhead(position) ? Int(consumed - position) : nil
  }

  /// Whether `offset` of the stream is in the block read ahead.
  private func isAhead(_ offset: Int64) -> Bool { offset < aheadEnd && offset >= aheadEnd - Int64(aheadCount) }

  /// Reads the rest of the stream (at most `limit` bytes), so that `headers` has seen it all:
  /// false when the limit stopped it. The read position stays; the window is kept as far as it
  /// reaches, so a decoder can still start again from the first byte.
  func readToTheEnd(limit: Int64 = 64 << 20) -> Bool {
    var scratch = [UInt8](repeating: 0, count: 1 << 16)
    var read: Int64 = 0
    while !atEnd, read < limit {
      let got = scratch.withUnsafeMutableBytes { fill($0.baseAddress!, Int(min(Int64($0.count), limit - read))) }
      read += Int64(got)
    }
    if atEnd { headers.finish() }
    return atEnd
  }

  /// The refusal of a pipe with another file joined on among the bytes read so far
  /// (`StreamHeaderScanner.joinRefusal(mpeg:)`), worded as a file's is: the rest of the stream
  /// is read first (`readToTheEnd`), so that a later part of another rate or channel count is
  /// named as a file names it, whenever the decoder happened to meet the join (it said "a
  /// second FLAC file" or "changes from …" by the reader's timing). nil when nothing is joined
  /// on as far as the pipe was read.
  func joinRefusal(mpeg: Bool) -> String? {
    guard headers.joinRefusal(mpeg: mpeg) != nil else { return nil }
    _ = readToTheEnd()
    return headers.joinRefusal(mpeg: mpeg)
  }

  /// Bytes the window keeps past `windowBytes`: the next chunk headers and the audio's first
  /// bytes after a header chunk skipped near its end (at most `headerReach`).
  private var windowExtra: Int64 = 0
  /// How far past a skipped header chunk the window must reach for the parser to read the next
  /// chunk headers and the audio's first bytes and seek back among them.
  private static let headerReach: Int64 = 1 << 16

  /// Whether `tail` keeps the last bytes read (a FLAC's last frame header, `FLACFrameFormat`).
  var keepsTail = false
  /// Whether, past the window, a seek back into the bytes kept (`keepsTail`) is allowed (an
  /// Ogg stream: libsndfile's reader looks for the last page and seeks back to where it was,
  /// which a comment header larger than the window had put out of reach: review37a U26). Only
  /// the seek: a read behind `consumed` is served from the kept bytes whenever `keepsTail`.
  var seeksBackIntoTail = false {
    didSet { if seeksBackIntoTail { keepsTail = true } }
  }
  private var kept: [UInt8] = []
  static let tailBytes = 1 << 16
  /// The last `tailBytes` read from the descriptor since `keepsTail` was set.
  var tail: [UInt8] { Array(kept.suffix(Self.tailBytes)) }
  /// All the bytes kept: at least the last `tailBytes` before the block read ahead of the read
  /// position (`readAhead`), which a decoder resumed where its reader stood starts from.
  var keptBytes: [UInt8] { kept }

  /// Closed on deinit (a FIFO opened by path), unlike standard input.
  private let ownsDescriptor: Bool

  init(descriptor: Int32, windowBytes: Int = 4 << 20, ownsDescriptor: Bool = false) {
    self.descriptor = descriptor
    self.windowBytes = windowBytes
    self.ownsDescriptor = ownsDescriptor
  }

  deinit { if ownsDescriptor { try? Descriptor.close(descriptor) } }

  /// The reader for an input that must be streamed: standard input ("-"), or a FIFO, device or
  /// socket named by path (opened here, once, so that a second decoder can retry its bytes);
  /// nil for a regular file, which its decoder opens by name. Raw input (`raw`) is samples
  /// from its first byte: nothing is skipped.
  static func forInput(_ path: String, raw: Bool = false) throws -> PipeReader? {
    if path == "-" {
      // A directory read fails (EISDIR), which would end the input before its first byte.
      if Descriptor.status(of: STDIN_FILENO)?.isDirectory == true {
        throw AudioIOError(.cannotOpenInput, path: path, directoryInput)
      }
      let reader = PipeReader(descriptor: STDIN_FILENO)
      return raw ? reader : reader.skippingLargeID3Tags()
    }
    guard let status = Descriptor.status(path), status.isStream else { return nil }
    try SndFileSource.checkReadable(path)
    let descriptor = Descriptor.open(path, flags: O_RDONLY | O_CLOEXEC | O_NOCTTY)
    guard descriptor >= 0 else {
      throw AudioIOError(.cannotOpenInput, path: path, String(cString: strerror(errno)))
    }
    let reader = PipeReader(descriptor: descriptor, ownsDescriptor: true)
    return raw ? reader : reader.skippingLargeID3Tags()
  }

  /// A regular file read forward as standard input is (`SndFileSource`'s MP3, CAF, VOC and
  /// Ogg files read as streams; `FFmpegByteSource(readingForward:)`): the same bytes arrive
  /// the same way, large tags skipped alike. nil when the file cannot be opened.
  static func readingForward(_ path: String) -> PipeReader? {
    let descriptor = Descriptor.open(path, flags: O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    return PipeReader(descriptor: descriptor, ownsDescriptor: true).skippingLargeID3Tags()
  }

  /// ID3v2 tags at the start — one, or several stacked (`ID3v2Tag`) — that reach past the
  /// window (a cover image of megabytes; a 3 MiB tag before a 2 MiB one) are read past and the
  /// stream starts after them, as if it began there: the decoders then see the container's
  /// header, or an MP3's first frames (its Info/LAME frame, which says what to trim), as from a
  /// file, where they seek past the tags. Tags that end inside the window are left to them. A
  /// tag's header past the window is reached by reading past the tags before it (review35b S10:
  /// 3 + 2 MiB of tags before a WAV was "Format not recognised" from a pipe).
  private func skippingLargeID3Tags() -> PipeReader {
    /// Where the tags must end for the decoders to find what follows them inside the window.
    let reach = Int64(windowBytes) - (1 << 16)
    /// Where the stack's next tag header would begin, and where this reader's byte 0 now is
    /// (offsets of the input).
    var end: Int64 = 0
    var start: Int64 = 0
    for _ in 0..<ID3v2Tag.stackLimit {
      if end - start + 10 > Int64(windowBytes) {
        discard(upTo: end - start)
        guard consumed == end - start else { break }
        startAgain()
        start = end
      }
      var header = [UInt8](repeating: 0, count: 10)
      position = end - start
      let got = header.withUnsafeMutableBytes { read(into: $0.baseAddress!, count: 10) }
      guard got == 10, let length = ID3v2Tag.length(header: header) else { break }
      end += length
    }
    position = 0
    // (Tags read past whole above start the stream where they end: review44 W04, a 5 MiB tag's
    // stream said its Info header was at byte 0.)
    guard end > reach, end > start else {
      skippedTagBytes = start
      return self
    }
    discard(upTo: end - start)
    // The input ended inside the tag it announced: nothing follows it, which is said as such
    // (review34a A15: a 15 KB input was "empty (0 bytes)").
    if consumed < end - start { tagPastTheEnd = (end, start + consumed) }
    // What was read past the tags (the next header looked for, when the window held it) is the
    // stream's first bytes (review37c X1: a tag ending in the window's last 64 KiB lost the
    // first frame's 10 bytes: `damaged … at byte 0`, or "Format not recognised").
    let past = consumed > end - start && retaining ? Array(window[Int(end - start - windowStart)...]) : []
    startAgain()
    past.withUnsafeBytes { record($0) }
    skippedTagBytes = end
    return self
  }

  /// Reads the descriptor on to byte `offset` of the stream, keeping only what the window keeps.
  private func discard(upTo offset: Int64) {
    var scratch = [UInt8](repeating: 0, count: 1 << 16)
    while consumed < offset, !atEnd {
      _ = scratch.withUnsafeMutableBytes { fill($0.baseAddress!, Int(min(Int64($0.count), offset - consumed))) }
    }
  }

  /// The stream starts again at the next byte to be read: window, offsets and what was found
  /// in the bytes before it.
  private func startAgain() {
    window = []
    windowExtra = 0
    windowStart = 0
    retaining = true
    position = 0
    consumed = 0
    // The block read ahead holds bytes at the old offsets (review39 F11: after a small tag
    // behind a large one, a pipe's first bytes were served from it, the tag's).
    aheadCount = 0
    aheadEnd = 0
    leadingBytes = []
    headers = StreamHeaderScanner()
    indexClaims = MP4IndexClaims(inputBytes: nil)
    audioChunk = AudioChunkStart()
  }

  /// An ID3v2 tag larger than the window that the input ended inside: the bytes it announced
  /// and those the input held (`skippingLargeID3Tags`).
  private var tagPastTheEnd: (announced: Int64, held: Int64)?

  /// What an input that holds no byte to decode is told.
  var emptyInputMessage: String {
    guard let tag = tagPastTheEnd else { return emptyInput }
    return "its ID3v2 tag announces \(tag.announced) bytes, more than the input holds (\(tag.held)): no audio follows it"
  }

  /// Reads `count` bytes, fewer only at the end of the stream (libsndfile's reads); with
  /// `partial`, returns as soon as some bytes are there (FFmpeg's, which must not wait for a
  /// whole 64 KiB buffer of a live stream).
  func read(into destination: UnsafeMutableRawPointer, count: Int, partial: Bool = false) -> Int {
    var done = 0
    while done < count && !(partial && done > 0) {
      if position < consumed {
        if isAhead(position) {
          let from = aheadCount - Int(aheadEnd - position)
          let available = min(count - done, aheadCount - from)
          ahead.withUnsafeBytes { bytes in
            (destination + done).copyMemory(from: bytes.baseAddress! + from, byteCount: available)
          }
          done += available
          position += Int64(available)
          continue
        }
        // Served from the window (a seek went back into it), or past it from the tail kept:
        // bytes a seek went back to, or that were read on past the read position (an end check,
        // `readToTheEnd`: review59 H3, an MP3's look for more frames after a loss then read
        // nothing, and said nothing).
        let index = position - windowStart
        if !(retaining && index >= 0 && index < Int64(window.count)), keepsTail, position >= consumed - Int64(kept.count) {
          let from = kept.count - Int(consumed - position)
          let available = min(count - done, kept.count - from)
          kept.withUnsafeBytes { bytes in
            (destination + done).copyMemory(from: bytes.baseAddress! + from, byteCount: available)
          }
          done += available
          position += Int64(available)
          continue
        }
        guard retaining, index >= 0, index < Int64(window.count) else { return done }
        let available = min(count - done, window.count - Int(index))
        window.withUnsafeBytes { bytes in
          (destination + done).copyMemory(from: bytes.baseAddress! + Int(index), byteCount: available)
        }
        done += available
        position += Int64(available)
        continue
      }
      if position > consumed {
        // A forward seek: skip, by reading, a window's worth, or header chunks before the
        // audio however long (`AudioChunkStart`); a longer jump, or one past the audio that
        // would leave the window (a parser looking for chunks after the audio, which it then
        // seeks back to), ends the stream for it instead of draining the pipe.
        let gap = position - consumed
        let windowEnd = windowStart + Int64(windowBytes) + windowExtra
        if audioChunk.skipsHeaderChunksOnly(to: position) {
          // The window starts again where the header goes on, so that the parser can seek
          // back to the audio chunk's header and first bytes as it does before a small header.
          // One that would end within those bytes reaches on past them (review37a U9: a data
          // chunk's header across the window's end lost 4 bytes from a pipe, and a 24-bit
          // stereo WAV decoded misaligned).
          if retaining, position <= windowEnd, position + Self.headerReach > windowEnd {
            windowExtra += position + Self.headerReach - windowEnd
          } else if position > windowEnd {
            windowExtra = 0
            window = []
            windowStart = position
            retaining = true
          }
        } else if gap > Int64(windowBytes) || audioChunk.passesTheAudio(to: position) && position > windowEnd {
          return done
        }
        // Past the audio, libsndfile looks for chunks after it: a live recording sends them at
        // its end, so what has not arrived is not waited for (the walk stops, as past the window).
        if let audioEnd = view.audioEnd, position - view.skip >= audioEnd, position > bytesArrived { return done }
        var scratch = [UInt8](repeating: 0, count: Int(min(gap, 65536)))
        let got = scratch.withUnsafeMutableBytes { fill($0.baseAddress!, $0.count) }
        if got == 0 { return done }
        continue
      }
      // A small read: a block is read ahead (within the window while it is kept, which a
      // block read across its end would end early).
      let wanted = count - done
      let block = retaining ? min(Self.readAheadBytes, Int(windowStart + Int64(windowBytes) + windowExtra - consumed)) : Self.readAheadBytes
      if wanted < block, !atEnd {
        if ahead.isEmpty { ahead = [UInt8](repeating: 0, count: Self.readAheadBytes) }
        aheadCount = ahead.withUnsafeMutableBytes { fill($0.baseAddress!, block) }
        aheadEnd = consumed
        if aheadCount == 0 { return done }
        continue
      }
      let got = fill(destination + done, wanted)
      if got == 0 { return done }
      done += got
      position += Int64(got)
    }
    return done
  }

  /// Reads from the descriptor at `consumed`, keeping a copy while inside the window.
  private func fill(_ destination: UnsafeMutableRawPointer, _ count: Int) -> Int {
    guard !atEnd else { return 0 }
    let result: Int
    do {
      result = try Descriptor.read(descriptor, into: UnsafeMutableRawBufferPointer(start: destination, count: count))
    } catch {
      readError = error.rawValue
      atEnd = true
      return 0
    }
    if result == 0 {
      atEnd = true
      return 0
    }
    record(UnsafeRawBufferPointer(start: destination, count: result))
    return result
  }

  /// Takes `bytes`, just read from the descriptor at `consumed`: what looks through the stream
  /// sees them, and the window or tail keeps them.
  private func record(_ bytes: UnsafeRawBufferPointer) {
    guard let destination = bytes.baseAddress else { return }
    let result = bytes.count
    headers.feed(UnsafeRawBufferPointer(start: destination, count: result), at: consumed)
    indexClaims.feed(UnsafeRawBufferPointer(start: destination, count: result), at: consumed)
    audioChunk.feed(UnsafeRawBufferPointer(start: destination, count: result), at: consumed)
    if keepsTail {
      kept.append(contentsOf: UnsafeRawBufferPointer(start: destination, count: result))
      let keeps = Self.tailBytes + Self.readAheadBytes
      if kept.count > 2 * keeps { kept.removeFirst(kept.count - keeps) }
    }
    if leadingBytes.count < 4 {
      leadingBytes += UnsafeRawBufferPointer(start: destination, count: min(result, 4 - leadingBytes.count))
    }
    if retaining {
      let end = consumed + Int64(result)
      if end <= windowStart + Int64(windowBytes) + windowExtra {
        let before = Int(max(0, windowStart - consumed))
        if before < result { window.append(contentsOf: UnsafeRawBufferPointer(start: destination + before, count: result - before)) }
      } else {
        retaining = false
        window = []
      }
    }
    consumed += Int64(result)
  }

  func seek(offset: Int64, whence: Int32) -> Int64 {
    // The end of a pipe is unknown: SEEK_END is refused.
    guard let target = seekTarget(offset: offset, whence: whence, position: position, end: nil) else { return -1 }
    if target < consumed && !(retaining && target >= windowStart && target <= windowStart + Int64(window.count))
      && !(seeksBackIntoTail && target >= consumed - Int64(kept.count)) && !isAhead(target)
    {
      return -1
    }
    position = target
    return position
  }

  var tell: Int64 { position }

  /// The `count` bytes at `offset` when this reader holds them: in its window (wherever it
  /// starts now), or the audio chunk's header walked past (`AudioChunkStart`); nil otherwise.
  func held(at offset: Int64, count: Int) -> [UInt8]? {
    if retaining, offset >= windowStart, offset + Int64(count) <= windowStart + Int64(window.count) {
      let from = Int(offset - windowStart)
      return Array(window[from..<from + count])
    }
    if let header = audioChunk.audioHeader, offset >= header.at, offset + Int64(count) <= header.at + Int64(header.bytes.count) {
      let from = Int(offset - header.at)
      return Array(header.bytes[from..<from + count])
    }
    return nil
  }

  /// Whether the stream ends before its first byte (waits for that byte); the position stays.
  var endsBeforeItsFirstByte: Bool {
    var byte: UInt8 = 0
    let start = position
    defer { _ = seek(offset: start, whence: SEEK_SET) }
    return position == 0 && read(into: &byte, count: 1) == 0 && atEnd
  }

  /// Goes back to the first byte, so that another decoder can try the same stream; false once
  /// more than the window has been read.
  func rewind() -> Bool { seek(offset: 0, whence: SEEK_SET) == 0 }

  /// Bytes read from the descriptor so far.
  var bytesConsumed: Int64 { consumed }

  /// Bytes that have arrived: read so far, and waiting to be read without blocking (FIONREAD:
  /// in a pipe's buffer, or the rest of a regular file given as standard input). A look ahead
  /// this far never holds a live stream back.
  var bytesArrived: Int64 {
    guard !atEnd, let waiting = try? Descriptor.bytesWaiting(descriptor) else { return consumed }
    return consumed + Int64(waiting)
  }

  /// What libsndfile is shown of the stream (`InputView`): FFmpeg reads it as it is.
  var view = InputView()

  /// The length libsndfile is told the stream has (it cannot know a pipe's): larger than any.
  static let announcedLength = Int64.max / 4 * 3

  /// Reads in a row that found nothing: at the end of the stream, or a jump past the window.
  private var emptyReads = 0
  /// Empty reads in a row after which libsndfile is reading on without end (`readForLibsndfile`):
  /// far more than any of its readers asks for at an end it stops at (a few per block).
  static let endlessReadLimit = 1 << 16

  /// `read` for libsndfile, through `view`. libsndfile's readers take the end of a file from its
  /// length, not from reads that find nothing: a chunk or block parser (8SVX, SDS) asks again
  /// at the same place until its position or count reaches the length, which for a pipe is
  /// `announcedLength`, and it spun there without end. After `endlessReadLimit` empty reads in a
  /// row the reader answers as a file of that length would at its end: the position is the
  /// length and what is not read is zeros (no stale marker or count left in libsndfile's
  /// buffer), and the parser stops. Until then every byte and position is the file's.
  func readForLibsndfile(into destination: UnsafeMutableRawPointer, count: Int) -> Int {
    let start = position - view.skip
    let got = read(into: destination, count: count)
    view.apply(destination, count: got, at: start)
    emptyReads = got > 0 || count == 0 ? 0 : emptyReads + 1
    if emptyReads >= Self.endlessReadLimit {
      (destination + got).initializeMemory(as: UInt8.self, repeating: 0, count: count - got)
      position = Self.announcedLength + view.skip
    }
    return got
  }

  /// The callbacks libsndfile calls, through `view`; `user_data` is an unretained `PipeReader`.
  static var virtualIO: SF_VIRTUAL_IO {
    SF_VIRTUAL_IO(
      get_filelen: { user in
        let pipe = Unmanaged<PipeReader>.fromOpaque(user!).takeUnretainedValue()
        return sf_count_t(pipe.view.declaredLength ?? PipeReader.announcedLength)
      },
      seek: { offset, whence, user in
        let pipe = Unmanaged<PipeReader>.fromOpaque(user!).takeUnretainedValue()
        guard let fileOffset = pipe.view.fileOffset(offset, whence: whence) else { return -1 }
        let position = pipe.seek(offset: fileOffset, whence: whence)
        return position < 0 ? position : position - pipe.view.skip
      },
      read: { pointer, count, user in
        let pipe = Unmanaged<PipeReader>.fromOpaque(user!).takeUnretainedValue()
        return sf_count_t(pipe.readForLibsndfile(into: pointer!, count: Int(count)))
      },
      write: { _, _, _ in 0 },
      tell: { user in
        let pipe = Unmanaged<PipeReader>.fromOpaque(user!).takeUnretainedValue()
        return pipe.tell - pipe.view.skip
      })
  }
}
