import Glibc

/// What the index of an MP4 claims, and what FFmpeg's demuxer would hold for it, read from the
/// box headers before FFmpeg parses them.
///
/// FFmpeg's MP4 demuxer keeps an index entry for every sample it is told of, sized from counts
/// the file states: a fragment's `trun` sample count (with no per-sample table, every sample
/// takes the `tfhd` defaults), an `stsz` sample count (one size for all, no table), and, on its
/// chunk path for PCM (a track whose `stts` is one entry of duration 1), an entry for up to 160
/// to 1024 samples of each chunk by the `stsc` samples a chunk; it builds the index again for
/// each edit of an edit list, and keeps encryption data for each sample an `senc` counts. A
/// count costs the file 4 bytes; the index about 40 bytes a sample (24 an entry, 8 of
/// composition offsets, growth), in every track (an allocation cap does not bound a total).
/// FFmpeg reads these boxes wherever it walks (`MP4BoxStream` reads sizes as it does; the
/// containers below are those it walks with `mov_read_default`).
///
/// Three rules, each refused (65) before FFmpeg reads the box that breaks it:
/// - fragments claiming more samples than the input has bytes cannot be honest (a sample takes
///   at least one byte; a pipe takes `fragmentTrust` on trust, a fragment's data following it);
/// - the index may cost no more than `allowance` beyond the input's own size (a pipe's bytes
///   so far): memory then follows what the input holds, never what it says. An honest file's
///   index is a small part of its size (AAC: 40 bytes a frame of about 300); from a pipe, a
///   faststart file's index comes first, and an honest one passes up to about 20 hours of AAC;
/// - a track FFmpeg indexes in one allocation over `allocationCap` is named as such (FFmpeg
///   fails on it, and its "nothing decodes" would blame the input).
///
/// Fed in order (`MP4BoxStream`): a file walked at open, to its end, reading box headers and
/// skipping their data; a pipe's bytes as they arrive, before FFmpeg is given them.
struct MP4IndexClaims {
  /// What FFmpeg holds for a sample of the per-sample index, and an index entry alone (an
  /// `AVIndexEntry`: the chunk path's, and one allocation's unit).
  static let sampleCost: Int64 = 40
  static let entryBytes: Int64 = 24
  /// What FFmpeg holds for a sample's encryption data (`senc`), measured: 3.6 GB for 7.5 million.
  static let encryptedSampleCost: Int64 = 512
  /// The fewest samples an entry of the chunk path holds (a QuickTime sound description's
  /// packet of 160; 1024 without one).
  static let fewestChunkSamples: Int64 = 160
  /// The index's cost allowed beyond the input's size.
  static let allowance: Int64 = 128 << 20
  /// What FFmpeg holds for a track whatever its samples, measured: an MP4 declaring one AAC
  /// track 900 times peaked 566 MB above the same file with one (review37b V9).
  static let trackCost: Int64 = 640 << 10
  /// Samples of fragments a pipe takes on trust beyond the bytes read so far: a fragment's data
  /// follows it (a second of 48 kHz PCM is 48000 samples of a `trun`).
  static let fragmentTrust: Int64 = 1 << 20
  /// FFmpeg's index of a track is one allocation, which audioprep caps (`av_max_alloc`).
  static let allocationCap: Int64 = 64 << 20

  /// The input's size (a file); nil for a pipe, where the bytes read so far count.
  let inputBytes: Int64?
  /// The samples the fragments claim.
  private(set) var fragmentSamples: Int64 = 0
  /// Index entries claimed in all, and what FFmpeg would hold for them.
  private(set) var entries: Int64 = 0
  private(set) var indexBytes: Int64 = 0
  /// Tracks declared so far.
  private(set) var tracks: Int64 = 0
  /// Why the input is refused, once a claim breaks a rule.
  private(set) var refusal: String?

  /// FFmpeg reads a box by its type wherever it is (its parse table is one for all levels), in
  /// every container it walks with `mov_read_default`: a chunk table inside `edts` or `udta` is
  /// the track's.
  private var boxes = MP4BoxStream(
    containers: [
      "moov", "trak", "mdia", "minf", "stbl", "moof", "traf", "edts", "dinf", "udta", "tref", "mvex", "clip", "sinf", "schi", "ilst",
      "wave",
    ],
    scanned: ["meta"],
    fields: [
      "hdlr": 12, "stts": 16, "stsz": 12, "stz2": 12, "stco": 8, "co64": 8, "stsc": 8, "trun": 8, "elst": 8, "senc": 8,
    ],
    tables: ["stsc": .init(countAt: 4, size: 12)])
  private var track = Track()
  /// How far the bytes fed reach.
  private var arrived: Int64 = 0

  /// What a `trak`'s sample table says, as far as the index goes.
  private struct Track {
    var audio = false
    var timeEntries: Int64 = 0
    var firstDuration: Int64 = 0
    var samples: Int64 = 0
    var chunks: Int64 = 0
    /// The chunk path's entries of the `stsc` entries before the last, and the last one's first
    /// chunk and entries a chunk (its chunk count is known once `stco` is).
    var chunkEntries: Int64 = 0
    var lastRun: (firstChunk: Int64, entriesAChunk: Int64)?
    /// The track's first chunk table, when another follows it (FFmpeg 5.1 keeps the first, a
    /// later one might keep the last: both are priced).
    var chunkTables = 0
    var firstTable: (entries: Int64, lastRun: (firstChunk: Int64, entriesAChunk: Int64)?)?

    /// Edits in its edit list: FFmpeg's index is built again from each (`mov_fix_index`).
    var edits: Int64 = 1

    /// FFmpeg's chunk path: uncompressed audio timed a sample a tick. Whether FFmpeg takes a
    /// track for audio is its sample description's to say (a `sowt` entry under a video
    /// handler): a track timed so that is not audio only if its handler says so and both
    /// paths' costs are counted (`indexBytes`).
    var timedASampleATick: Bool { timeEntries == 1 && firstDuration == 1 }

    /// The chunk path's entries: one for each 160 samples of a chunk at most (FFmpeg's entry
    /// holds a packet of a QuickTime sound description, 160 samples and up, else 1024).
    var chunkPathEntries: Int64 {
      func entries(_ before: Int64, _ lastRun: (firstChunk: Int64, entriesAChunk: Int64)?) -> Int64 {
        guard let lastRun else { return before }
        return before.addingClamped(max(0, chunks - (lastRun.firstChunk - 1)).multipliedClamped(lastRun.entriesAChunk))
      }
      return max(entries(chunkEntries, lastRun), firstTable.map { entries($0.entries, $0.lastRun) } ?? 0)
    }

    var indexEntries: Int64 {
      let entries = timedASampleATick ? (audio ? chunkPathEntries : max(chunkPathEntries, samples)) : samples
      return entries.multipliedClamped(edits)
    }

    var indexBytes: Int64 {
      let chunkPath = timedASampleATick ? chunkPathEntries.multipliedClamped(MP4IndexClaims.entryBytes) : 0
      let perSample = timedASampleATick && audio ? 0 : samples.multipliedClamped(MP4IndexClaims.sampleCost)
      return max(chunkPath, perSample).multipliedClamped(edits)
    }
  }

  init(inputBytes: Int64?) { self.inputBytes = inputBytes }

  /// The offset of the next byte the walk needs (a file's reader seeks there).
  var next: Int64 { boxes.next }
  /// Whether the walk has nothing more to read: not an MP4, or refused.
  var done: Bool { refusal != nil || boxes.stopped }

  /// Feeds bytes at input offset `offset`, in order.
  mutating func feed(_ bytes: UnsafeRawBufferPointer, at offset: Int64) {
    arrived = max(arrived, offset + Int64(bytes.count))
    guard !done else { return }
    var events: [MP4BoxStream.Event] = []
    boxes.feed(bytes, at: offset) { events.append($0) }
    events.forEach { take($0) }
  }

  /// The end of the input: a track left open counts as it stands.
  mutating func finish() {
    var events: [MP4BoxStream.Event] = []
    boxes.finish { events.append($0) }
    events.forEach { take($0) }
  }

  /// Walks a file to its end, reading what the walk needs (a block of 4 KiB where it needs
  /// bytes: a fragment's boxes) and skipping the rest. Leaves `source` where it was.
  static func read(file source: FFmpegByteSource) -> MP4IndexClaims {
    let start = source.seek(0, SEEK_CUR)
    defer { _ = source.seek(start, SEEK_SET) }
    let size = source.lookAheadLimit
    var claims = MP4IndexClaims(inputBytes: size)
    while !claims.done, claims.next < size {
      let at = claims.next
      let bytes = source.bytes(at: at, count: Int(min(4096, size - at)))
      guard !bytes.isEmpty else { break }
      bytes.withUnsafeBytes { claims.feed($0, at: at) }
    }
    claims.finish()
    return claims
  }

  /// The box types the claims are read from.
  private enum Types {
    static let trak = MP4BoxStream.fourCC("trak")
    static let mdia = MP4BoxStream.fourCC("mdia")
    static let hdlr = MP4BoxStream.fourCC("hdlr")
    static let soun = MP4BoxStream.fourCC("soun")
    static let stts = MP4BoxStream.fourCC("stts")
    static let stsz = MP4BoxStream.fourCC("stsz")
    static let stz2 = MP4BoxStream.fourCC("stz2")
    static let stco = MP4BoxStream.fourCC("stco")
    static let co64 = MP4BoxStream.fourCC("co64")
    static let stsc = MP4BoxStream.fourCC("stsc")
    static let trun = MP4BoxStream.fourCC("trun")
    static let elst = MP4BoxStream.fourCC("elst")
    static let senc = MP4BoxStream.fourCC("senc")
  }

  private mutating func take(_ event: MP4BoxStream.Event) {
    guard refusal == nil else { return }
    switch event {
    case .enter(let box):
      if box.type == Types.trak { track = Track() }
    case .leave(let box):
      if box.type == Types.trak {
        entries = entries.addingClamped(track.indexEntries)
        tracks += 1
        indexBytes = indexBytes.addingClamped(track.indexBytes).addingClamped(Self.trackCost)
        check()
        // One allocation FFmpeg cannot make: it fails, and "nothing decodes" would blame the input.
        let allocation = track.samples.multipliedClamped(Self.entryBytes)
        if refusal == nil, !(track.timedASampleATick && track.audio), allocation > Self.allocationCap {
          refusal =
            "an MP4 track of \(track.samples) samples, whose index FFmpeg builds in one allocation of \(allocation >> 20) MiB, over the \(Self.allocationCap >> 20) MiB audioprep allows one (about 15 hours of 48 kHz AAC); cut it into shorter files (ffmpeg -f segment -c copy)"
        }
      }
    case .fields(let box, let fields):
      func word(_ at: Int) -> Int64? {
        fields.count >= at + 4 ? fields[at..<at + 4].reduce(Int64(0)) { $0 << 8 | Int64($1) } : nil
      }
      switch box.type {
      // The media's handler (QuickTime has a data handler's in `minf` too).
      case Types.hdlr where box.parent == Types.mdia: track.audio = word(8) == Int64(Types.soun)
      case Types.stts: (track.timeEntries, track.firstDuration) = (word(4) ?? 0, word(12) ?? 0)
      // FFmpeg keeps a track's first chunk table and chunk offsets ("Duplicated STSC atom") and
      // its last sample sizes: the larger count of any is priced.
      case Types.stsz, Types.stz2: track.samples = max(track.samples, word(8) ?? 0)
      case Types.stco, Types.co64: track.chunks = max(track.chunks, word(4) ?? 0)
      case Types.stsc:
        track.chunkTables += 1
        if track.chunkTables == 2 { track.firstTable = (track.chunkEntries, track.lastRun) }
        track.chunkEntries = 0
        track.lastRun = nil
      case Types.elst: track.edits = max(1, word(4) ?? 1)
      case Types.senc:
        // Encryption data a sample, each a few allocations (`mov_read_senc`).
        entries = entries.addingClamped(word(4) ?? 0)
        indexBytes = indexBytes.addingClamped((word(4) ?? 0).multipliedClamped(Self.encryptedSampleCost))
        check()
      case Types.trun:
        let samples = word(4) ?? 0
        fragmentSamples = fragmentSamples.addingClamped(samples)
        entries = entries.addingClamped(samples)
        indexBytes = indexBytes.addingClamped(samples.multipliedClamped(Self.sampleCost))
        check()
      default: break
      }
    case .record(_, let record):
      // An stsc entry: first chunk, samples a chunk, description.
      let first = record[0..<4].reduce(Int64(0)) { $0 << 8 | Int64($1) }
      let perChunk = record[4..<8].reduce(Int64(0)) { $0 << 8 | Int64($1) }
      if let lastRun = track.lastRun {
        let chunks = max(0, first - lastRun.firstChunk)
        track.chunkEntries = track.chunkEntries.addingClamped(chunks.multipliedClamped(lastRun.entriesAChunk))
      }
      track.lastRun = (first, (perChunk + Self.fewestChunkSamples - 1) / Self.fewestChunkSamples)
    }
  }

  /// Refuses the input when what is claimed so far breaks a rule.
  private mutating func check() {
    let bytes = inputBytes ?? arrived
    if fragmentSamples > (inputBytes ?? arrived.addingClamped(Self.fragmentTrust)) {
      refusal = "an MP4 whose fragments claim \(fragmentSamples) samples in \(bytes) bytes (a sample takes at least one byte); refused before its index is built"
    } else if indexBytes > Self.allowance.addingClamped(bytes) {
      let input = inputBytes == nil ? "the \(bytes) bytes read so far (from a pipe: its path lets its whole size count)" : "its \(bytes) bytes"
      refusal =
        "an MP4 whose index claims \(entries) entries in \(tracks) tracks, about \(indexBytes >> 20) MiB for FFmpeg to hold: more than \(Self.allowance >> 20) MiB beyond \(input); refused before its index is built"
    }
  }
}

extension Int64 {
  /// The sum, or `Int64.max` where it would overflow.
  fileprivate func addingClamped(_ other: Int64) -> Int64 {
    let (sum, overflow) = addingReportingOverflow(other)
    return overflow ? .max : sum
  }

  /// The product, or `Int64.max` where it would overflow.
  fileprivate func multipliedClamped(_ other: Int64) -> Int64 {
    let (product, overflow) = multipliedReportingOverflow(by: other)
    return overflow ? .max : product
  }
}
