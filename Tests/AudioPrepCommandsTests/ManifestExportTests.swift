import AudioPrepCommands
import DSP
import Foundation
import Testing

/// `manifest export`'s writers, in process. The references are independent of the code under
/// test: gzip(1) and the published CRC-32 check value for the gzip writer, `LC_ALL=C sort` for
/// Kaldi's order, Foundation's JSON parser for the JSON lines, RFC 4180 for CSV, and the
/// batch's own `params` for the pipe that repeats its processing. The consumers' own readers
/// (Lhotse, kaldi-native-io) read a real export in `make test-manifests`.
@Suite struct ManifestExportTests {
  // MARK: gzip

  @Test func crc32MatchesTheCheckValue() {
    #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    #expect(CRC32.checksum([]) == 0)
  }

  @Test(arguments: [0, 1, 65_535, 65_536, 200_001])
  func gzipReadsBackWhatWasStored(length: Int) throws {
    var generator = SystemRandomNumberGenerator()
    let data = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
    let (status, output) = try Self.run("/bin/gzip", ["-dc"], input: Data(Gzip.stored(data)))
    #expect(status == 0)
    #expect(output == Data(data))
  }

  // MARK: the corpus from records

  /// A scratch batch: inputs and outputs as empty files (the export reads no audio), records
  /// as batch writes them; paths relative to the scratch directory, as batch records them.
  struct Scratch {
    let directory: URL

    init() throws {
      directory = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Writes `text` at `path`; with no text, an output WAV (`out/….wav`) is a silent 16 kHz
    /// mono WAV as long as its record (`ManifestExportTests.framesOfOutput`), and an input
    /// (`corpus/…`) a silent 44.1 kHz stereo WAV of 2.5 s, as its record says: the export reads
    /// each output's header, and (`--segments offsets`) each input's.
    func file(_ path: String, _ text: String = "") throws {
      let isOutputWAV = text.isEmpty && path.hasPrefix("out/") && path.hasSuffix(".wav")
      let isInput = text.isEmpty && path.hasPrefix("corpus/")
      try write(
        path,
        isOutputWAV
          ? ManifestExportTests.wav(frames: ManifestExportTests.framesOfOutput(path))
          : isInput ? ManifestExportTests.wav(frames: 110_250, rate: 44100, channels: 2) : Data(text.utf8))
    }

    func write(_ path: String, _ data: Data) throws {
      let url = directory.appendingPathComponent(path)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try data.write(to: url)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    var options: ExportOptions {
      var options = ExportOptions()
      options.batchDirectory = directory.path
      options.destinationDirectory = directory.appendingPathComponent("data").path
      return options
    }
  }

  static let params =
    "rate=16000 downmix=average resampler=libsamplerate-polyphase converter=medium highpass_hz=80.0 q=1.0dB "
    + "gain=1.5 chunk=100.0ms pad=false buffer_chunks=10 live=false container=wav encoding=s16 dither=none "

  static func record(_ relative: String, segmented: Bool = false, status: ManifestRecord.Status = .ok) -> ManifestRecord {
    let stem = String(relative.prefix { $0 != "." })
    var record = ManifestRecord(
      input: "corpus/\(relative)", relativePath: relative,
      output: segmented ? "out/\(stem).segments.jsonl" : "out/\(stem).wav", status: status,
      params: params + (segmented ? "segment=1.0s/overlap0.0s raw=none" : "segment=none raw=none"), shard: nil,
      corpusInputs: 1, shardInputs: 1)
    record.inputRateHz = 44100
    record.inputChannels = 2
    record.inputFrames = 110_250
    record.outputFrames = 40_000
    return record
  }

  /// A sidecar as `SegmentList` writes it: 2.5 s in 1 s segments, each file's hash that of
  /// the WAV `Scratch.file` writes for it.
  static let sidecar = """
    {"index":0,"file":"b_0000.wav","hash":"\(fnv1a(wav(frames: 16000)))","source":"corpus/spk2/b.flac","start_seconds":0.0,"end_seconds":1.0,"start_frame":0,"frames":16000}
    {"index":1,"file":"b_0001.wav","hash":"\(fnv1a(wav(frames: 16000)))","source":"corpus/spk2/b.flac","start_seconds":1.0,"end_seconds":2.0,"start_frame":16000,"frames":16000}
    {"index":2,"file":"b_0002.wav","hash":"\(fnv1a(wav(frames: 8000)))","source":"corpus/spk2/b.flac","start_seconds":2.0,"end_seconds":2.5,"start_frame":32000,"frames":8000}

    """

  /// A silent 16-bit PCM WAV, written by hand from the RIFF/WAVE layout (a 44-byte header:
  /// `fmt ` of 16 bytes, then `data`), not by the code under test.
  static func wav(frames: Int, rate: Int = 16000, channels: Int = 1) -> Data {
    func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
    func le16(_ value: Int) -> [UInt8] { (0..<2).map { UInt8((value >> (8 * $0)) & 0xFF) } }
    let dataSize = frames * channels * 2
    var bytes = Array("RIFF".utf8) + le32(36 + dataSize) + Array("WAVEfmt ".utf8) + le32(16) + le16(1) + le16(channels)
    bytes += le32(rate) + le32(rate * channels * 2) + le16(channels * 2) + le16(16) + Array("data".utf8) + le32(dataSize)
    return Data(bytes + [UInt8](repeating: 0, count: dataSize))
  }

  /// 64-bit FNV-1a of `data` as batch writes a hash (`fnv1a64:` and 16 hex digits), computed
  /// here from the published algorithm.
  static func fnv1a(_ data: Data) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in data { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    let hex = String(hash, radix: 16)
    return "fnv1a64:" + String(repeating: "0", count: 16 - hex.count) + hex
  }

  /// The frames a scratch output WAV holds: a segment `…_000N.wav` as the sidecar lists it
  /// (16000, 16000, 8000), any other output as its record says (40,000).
  static func framesOfOutput(_ path: String) -> Int {
    let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    guard let last = name.last, let index = Int(String(last)), name.hasSuffix("_000\(index)") else { return 40_000 }
    return [16000, 16000, 8000][index % 3]
  }

  static func scratchBatch() throws -> Scratch {
    let scratch = try Scratch()
    try scratch.file("corpus/spk1/a.wav")
    try scratch.file("corpus/spk1/a.txt", "HELLO\n  WORLD \n")
    try scratch.file("out/spk1/a.wav")
    try scratch.file("corpus/spk2/b.flac")
    try scratch.file("out/spk2/b.segments.jsonl", sidecar)
    for index in 0..<3 { try scratch.file("out/spk2/b_000\(index).wav") }
    return scratch
  }

  static let records = [record("spk1/a.wav"), record("spk2/b.flac", segmented: true), record("spk3/c.wav", status: .failed)]

  @Test func segmentFilesAreRecordingsOfTheirOwn() throws {
    let scratch = try Self.scratchBatch()
    defer { scratch.remove() }
    var options = scratch.options
    options.speaker = .level(1)
    let corpus = try ExportCorpus(records: Self.records, options: options)
    let root = scratch.directory.path
    #expect(
      corpus.recordings == [
        .init(id: "spk1-spk1_a", path: "\(root)/out/spk1/a.wav", sampleRate: 16000, channels: 1, frames: 40_000),
        .init(id: "spk2-spk2_b-0000", path: "\(root)/out/spk2/b_0000.wav", sampleRate: 16000, channels: 1, frames: 16000),
        .init(id: "spk2-spk2_b-0001", path: "\(root)/out/spk2/b_0001.wav", sampleRate: 16000, channels: 1, frames: 16000),
        .init(id: "spk2-spk2_b-0002", path: "\(root)/out/spk2/b_0002.wav", sampleRate: 16000, channels: 1, frames: 8000),
      ])
    #expect(corpus.utterances.map(\.speaker) == ["spk1", "spk2", "spk2", "spk2"])
    #expect(corpus.utterances.map(\.duration) == [2.5, 1, 1, 0.5])
    #expect(corpus.utterances[0].text == "HELLO WORLD")  // the transcript beside the input, on one line
    #expect(!corpus.hasSegments)
  }

  /// An output cut from part of its input (`--start/--end/--duration`: `range=` in params) is
  /// not what the whole file's transcript says: it is exported without it (stop 18's review of
  /// #18: a 3 s excerpt was paired with the 5.45 s recording's whole text in every format).
  @Test func anExcerptCarriesNoWholeFileTranscript() throws {
    let scratch = try Self.scratchBatch()
    defer { scratch.remove() }
    var excerpt = Self.record("spk1/a.wav")
    excerpt.params += " range=2.0s-5.0s"
    let corpus = try ExportCorpus(records: [excerpt], options: scratch.options)
    #expect(corpus.utterances.map(\.text) == [""])
  }

  @Test func offsetsMakeTheInputTheRecording() throws {
    let scratch = try Self.scratchBatch()
    defer { scratch.remove() }
    var options = scratch.options
    options.segments = .offsets
    options.paths = .relative
    let corpus = try ExportCorpus(records: Self.records, options: options)
    #expect(corpus.recordings.map(\.id) == ["spk1_a", "spk2_b"])
    let input = corpus.recordings[1]
    #expect(input.path == "../corpus/spk2/b.flac")  // relative to data/
    #expect((input.sampleRate, input.channels, input.frames) == (44100, 2, 110_250))
    #expect(input.processedBy == Self.records[1].params)
    #expect(corpus.utterances.map(\.id) == ["spk1_a", "spk2_b-0000", "spk2_b-0001", "spk2_b-0002"])
    #expect(corpus.utterances.map(\.start) == [0, 0, 1, 2])
    #expect(corpus.utterances.map(\.duration) == [2.5, 1, 1, 0.5])
    #expect(corpus.utterances.map(\.speaker) == corpus.utterances.map(\.id))  // unknown: each its own
    #expect(corpus.hasSegments)
  }

  @Test func aMissingOutputIs66AndABadSidecarLine65() throws {
    let scratch = try Self.scratchBatch()
    defer { scratch.remove() }
    try FileManager.default.removeItem(at: scratch.directory.appendingPathComponent("out/spk1/a.wav"))
    let missing = #expect(throws: CommandFailure.self) { try ExportCorpus(records: Self.records, options: scratch.options) }
    #expect(missing?.code == 66)
    #expect(missing?.path == "out/spk1/a.wav")
    try scratch.file("out/spk1/a.wav")
    try scratch.file("out/spk2/b.segments.jsonl", Self.sidecar + "{\"index\":3}\n")
    let bad = #expect(throws: CommandFailure.self) { try ExportCorpus(records: Self.records, options: scratch.options) }
    #expect(bad?.code == 65)
    #expect(bad?.message == "line 4 is not a segment of a segments list")
  }

  @Test func idsThatCollideAreRefused() throws {
    let scratch = try Self.scratchBatch()
    defer { scratch.remove() }
    try scratch.file("out/spk1 a.wav")
    try scratch.file("out/spk1_a.wav")
    let failure = #expect(throws: CommandFailure.self) {
      try ExportCorpus(records: [Self.record("spk1 a.wav"), Self.record("spk1_a.wav")], options: scratch.options)
    }
    #expect(failure?.code == 65)
    #expect(failure?.path == "corpus/spk1_a.wav")  // both inputs named
    #expect(failure?.message.hasPrefix("its recording id 'spk1_a' is also the id of corpus/spk1 a.wav") == true, "\(failure?.message ?? "")")
    try scratch.file("out/a b/x.wav")
    try scratch.file("out/a-b/y.wav")
    var options = scratch.options
    options.speaker = .level(1)
    let speakers = #expect(throws: CommandFailure.self) {
      try ExportCorpus(records: [Self.record("a b/x.wav"), Self.record("a-b/y.wav")], options: options)
    }
    #expect(speakers?.message == "its speaker 'a-b' and the speaker 'a b' would both be 'a_b'")
  }

  /// A transcript's bytes are kept (Latin-1 stays Latin-1 in Kaldi's `text`), whitespace (a
  /// vertical tab, line breaks) becomes one space, and a file too long to be a transcript is
  /// refused (65, naming it) without being read whole (#19).
  @Test func transcriptsKeepTheirBytesAndHaveALimit() throws {
    let scratch = try Self.scratchBatch()
    defer { scratch.remove() }
    let transcript = scratch.directory.appendingPathComponent("corpus/spk1/a.txt")
    try Data(Array("caf".utf8) + [0xE9, 0x0B, 0x0A] + Array("au lait".utf8)).write(to: transcript)
    let corpus = try ExportCorpus(records: [Self.record("spk1/a.wav")], options: scratch.options)
    let text = try #require(try ExportFormat.kaldi.files(for: corpus, fileName: "x").first { $0.name == "text" })
    #expect(text.bytes == Array("spk1_a caf".utf8) + [0xE9] + Array(" au lait\n".utf8))
    try Data(repeating: 0x41, count: (1 << 20) + 1).write(to: transcript)
    let failure = #expect(throws: CommandFailure.self) { try ExportCorpus(records: [Self.record("spk1/a.wav")], options: scratch.options) }
    #expect(failure?.code == 65)
    #expect(failure?.path.hasSuffix("corpus/spk1/a.txt") == true)
  }

  /// A rerun's line and a second shard's manifest: one record per input, the latest.
  @Test func runsAndShardsGiveOneRecordPerInput() throws {
    var first = Self.record("spk1/a.wav")
    first.outputFrames = 1
    var second = Self.record("spk1/a.wav")
    second.status = .skipped
    let merge = ManifestMerge([
      ("m0", ManifestFile.Contents(records: [first, Self.record("spk2/x.wav"), second])),
      ("m1", ManifestFile.Contents(records: [Self.record("spk3/y.wav")])),
    ])
    #expect(merge.records.map(\.relativePath) == ["spk1/a.wav", "spk2/x.wav", "spk3/y.wav"])
    #expect(merge.records[0] == second)
  }

  // MARK: Kaldi

  /// Speakers whose names make naive ids sort apart: a prefix of another, characters below
  /// '-', upper case, UTF-8.
  static let awkwardSpeakers = ["a", "a.b", "a b", "A", "ä", "a_b2", "ab", "a!", "a-"]

  static func kaldiCorpus() -> ExportCorpus {
    var utterances: [ExportCorpus.Utterance] = []
    var recordings: [ExportCorpus.Recording] = []
    for (number, name) in awkwardSpeakers.enumerated() {
      let speaker = KaldiID.sanitized(name)
      for file in ["x", "y-z", "0"] {
        let id = "\(speaker)-\(KaldiID.sanitized("\(name)/\(file)\(number)"))"
        recordings.append(.init(id: id, path: "/w/\(id).wav", sampleRate: 16000, channels: 1, frames: 16000))
        utterances.append(.init(id: id, recordingID: id, speaker: speaker, start: 0, duration: 1, text: ""))
      }
    }
    return ExportCorpus(recordings: recordings, utterances: utterances)
  }

  @Test func kaldiFilesSortAsKaldiRequires() throws {
    let files = try KaldiExport().files(for: Self.kaldiCorpus())
    #expect(files.map(\.name) == ["wav.scp", "utt2spk", "spk2utt", "utt2dur"])
    for file in files {
      let (status, _) = try Self.run("/usr/bin/sort", ["-c", "-k1,1"], input: Data(file.text.utf8), environment: ["LC_ALL": "C"])
      #expect(status == 0, "\(file.name) is not sorted")
    }
    // utils/validate_data_dir.sh: utt2spk sorted by speaker (stably) must be utt2spk itself.
    let utt2spk = files[1].text
    let (status, bySpeaker) = try Self.run(
      "/usr/bin/sort", ["-s", "-k2,2"], input: Data(utt2spk.utf8), environment: ["LC_ALL": "C"])
    #expect(status == 0)
    #expect(String(decoding: bySpeaker, as: UTF8.self) == utt2spk)
    // spk2utt is utt2spk inverted (utils/utt2spk_to_spk2utt.pl).
    var inverted: [(String, [String])] = []
    for line in utt2spk.split(separator: "\n") {
      let fields = line.split(separator: " ").map(String.init)
      if inverted.last?.0 == fields[1] { inverted[inverted.count - 1].1.append(fields[0]) } else { inverted.append((fields[1], [fields[0]])) }
    }
    #expect(files[2].text == inverted.map { ([$0.0] + $0.1).joined(separator: " ") + "\n" }.joined())
    #expect(!files.contains { $0.text.contains("a b") || $0.text.contains("a!") })
  }

  @Test func kaldiSegmentsAndTheProcessingPipe() throws {
    let corpus = ExportCorpus(
      recordings: [
        .init(id: "r", path: "/c/it's here.flac", sampleRate: 44100, channels: 2, frames: 110_250, processedBy: Self.params + "segment=1.0s/overlap0.0s raw=none"),
        .init(id: "w", path: "/o/w.wav", sampleRate: 16000, channels: 1, frames: 8000),
        .init(id: "x", path: "/o/x.flac", sampleRate: 16000, channels: 1, frames: 8000, isPlainWAV: false),
      ],
      utterances: [
        .init(id: "r-0000", recordingID: "r", speaker: "r-0000", start: 0, duration: 1, text: ""),
        .init(id: "r-0001", recordingID: "r", speaker: "r-0001", start: 1, duration: 1.5, text: "two words"),
        .init(id: "w", recordingID: "w", speaker: "w", start: 0, duration: 0.5, text: ""),
        .init(id: "x", recordingID: "x", speaker: "x", start: 0, duration: 0.5, text: ""),
      ])
    let files = Dictionary(uniqueKeysWithValues: try KaldiExport(audioprepCommand: "/bin/audioprep").files(for: corpus).map { ($0.name, $0.text) })
    #expect(files["segments"] == "r-0000 r 0 1\nr-0001 r 1 2.5\nw w 0 0.5\nx x 0 0.5\n")
    #expect(files["utt2dur"] == "r-0000 1\nr-0001 1.5\nw 0.5\nx 0.5\n")
    #expect(files["text"] == "r-0000\nr-0001 two words\nw\nx\n")
    #expect(
      files["wav.scp"]
        == "r /bin/audioprep '/c/it'\\''s here.flac' -o - --format wav --encoding s16 -q --rate 16000 "
        + "--resampler libsamplerate --converter medium --highpass 80.0 --q 1.0 --gain 1.5 |\nw /o/w.wav\n"
        + "x /bin/audioprep /o/x.flac -o - --format wav --encoding s16 -q --rate 16000 --highpass 0 --gain 1 --keep-channels |\n")
  }

  /// A line break in a name would end its `wav.scp` line and make the rest, a pipe of the
  /// name's choosing, a line of its own that Kaldi runs (#19): refused (65), whatever kind of
  /// entry the recording would get (a file, a decoding pipe, the batch's pipe).
  @Test(arguments: ["\n", "\r"])
  func kaldiRefusesALineBreakInAName(lineBreak: String) throws {
    let name = "/o/a\(lineBreak)x touch PWNED |.wav"
    for recording in [
      ExportCorpus.Recording(id: "a", path: name, sampleRate: 16000, channels: 1, frames: 8000),
      .init(id: "a", path: name, sampleRate: 16000, channels: 1, frames: 8000, isPlainWAV: false),
      .init(id: "a", path: name, sampleRate: 44100, channels: 1, frames: 8000, processedBy: Self.params + "segment=1.0s/overlap0.0s raw=none"),
    ] {
      let corpus = ExportCorpus(
        recordings: [recording], utterances: [.init(id: "a", recordingID: "a", speaker: "a", start: 0, duration: 0.5, text: "")])
      let failure = #expect(throws: CommandFailure.self) { try KaldiExport().files(for: corpus) }
      #expect(failure?.code == 65)
      #expect(failure?.path == name)
    }
  }

  /// A name Kaldi would not take for a file name (`ClassifyRxfilename`: standard input, a
  /// pipe, an offset into a file, a table specifier, spaces at an end) is read through `cat`.
  @Test func kaldiReadsAwkwardNamesThroughCat() throws {
    let awkward = [
      ("-", "cat -- - |"), ("x.wav |", "cat -- 'x.wav |' |"), ("| x.wav", "cat -- '| x.wav' |"),
      (" x.wav", "cat -- ' x.wav' |"), ("x.wav ", "cat -- 'x.wav ' |"), ("x.wav:12", "cat -- x.wav:12 |"),
      ("ark:x.wav", "cat -- ark:x.wav |"), ("scp:x.wav", "cat -- scp:x.wav |"), ("x|y.wav", "cat -- 'x|y.wav' |"),
    ]
    let plain = ["/o/x.wav", "x y.wav", "x:y.wav", "b:12.wav", "é.wav"]
    let entries = awkward + plain.map { ($0, $0) }
    let corpus = ExportCorpus(
      recordings: entries.enumerated().map { .init(id: "r\($0.offset)", path: $0.element.0, sampleRate: 16000, channels: 1, frames: 16000) },
      utterances: [])
    let scp = try #require(try KaldiExport().files(for: corpus).first { $0.name == "wav.scp" })
    for (index, (path, expected)) in entries.enumerated() {
      #expect(scp.text.contains("r\(index) \(expected)\n"), "\(path): \(scp.text)")
    }
  }

  /// A name that is not UTF-8 is written so that each format's consumer opens that file: its
  /// bytes as they are in Kaldi's files and CSV, `surrogateescape` escapes (`\udcXX`, which
  /// Python's `json.loads` then `open` turn back into the bytes) in the JSON formats (#19).
  @Test func namesThatAreNotUTF8AreWrittenAsTheirConsumersReadThem() throws {
    let raw: [UInt8] = Array("/o/caf".utf8) + [0xE9] + Array(".wav".utf8)  // Latin-1 "café"
    let path = PathBytes.string(fromBytes: raw)
    let corpus = ExportCorpus(
      recordings: [.init(id: "cafe", path: path, sampleRate: 16000, channels: 1, frames: 16000)],
      utterances: [.init(id: "cafe", recordingID: "cafe", speaker: "s", start: 0, duration: 1, text: "")])
    for format in [ExportFormat.kaldi, .csv] {
      let files = try format.files(for: corpus, fileName: "x")
      #expect(files[0].bytes.firstRange(of: raw) != nil, "\(format): \(String(decoding: files[0].bytes, as: UTF8.self))")
    }
    for format in [ExportFormat.nemo, .lhotse] {
      var bytes = try format.files(for: corpus, fileName: "x")[0].bytes
      if format == .lhotse { bytes = Array(try Self.run("/bin/gzip", ["-dc"], input: Data(bytes)).1) }
      #expect(String(decoding: bytes, as: UTF8.self).contains("\"/o/caf\\udce9.wav\""), "\(format)")
    }
    #expect(KaldiID.base(ofRelativePath: PathBytes.string(fromBytes: Array(raw.dropFirst(3)))) == "caf_e9")  // ids stay UTF-8
  }

  /// `load_dataset("audiofolder")` reads its metadata with pyarrow/pandas, which fail on the
  /// whole dataset for a name or transcript that is not UTF-8 (csv: UnicodeDecodeError; jsonl:
  /// "The surrogate pair in string is invalid"): refused (65), naming the file, as the Kaldi
  /// export refuses a name with a line break (hostile review 30m, H3; was written, exit 0).
  @Test(arguments: HuggingFaceExport.Metadata.allCases)
  func huggingFaceMetadataRefusesWhatIsNotUTF8(_ metadata: HuggingFaceExport.Metadata) throws {
    let latin1 = PathBytes.string(fromBytes: Array("spk/caf".utf8) + [0xE9] + Array(".wav".utf8))
    func corpus(path: String, text: String) -> ExportCorpus {
      ExportCorpus(
        recordings: [.init(id: "a", path: path, sampleRate: 16000, channels: 1, frames: 16000)],
        utterances: [.init(id: "a", recordingID: "a", speaker: "s", start: 0, duration: 1, text: text)])
    }
    let name = #expect(throws: CommandFailure.self) { try HuggingFaceExport.file(for: corpus(path: latin1, text: ""), as: metadata) }
    #expect(name?.code == 65)
    #expect(name?.message.contains("not UTF-8") == true, "\(name?.message ?? "")")
    let text = PathBytes.string(fromBytes: Array("caf".utf8) + [0xE9])
    let transcript = #expect(throws: CommandFailure.self) { try HuggingFaceExport.file(for: corpus(path: "spk/a.wav", text: text), as: metadata) }
    #expect(transcript?.code == 65)
    #expect(transcript?.message.contains("transcript") == true, "\(transcript?.message ?? "")")
    #expect(throws: Never.self) { try HuggingFaceExport.file(for: corpus(path: "spk/café.wav", text: "café"), as: metadata) }
  }

  /// The options a pipe gives audioprep, parsed as audioprep parses them, make the same
  /// `params` the batch recorded.
  @Test(arguments: [
    [], ["--gain", "1"], ["--highpass", "0"], ["--keep-channels"], ["--channel", "1"], ["--q-linear", "0.7071"],
    ["--resampler", "soxr"], ["--resampler", "soxr", "--soxr-quality", "very-high"], ["--resampler", "libsamplerate-direct", "--converter", "best"],
    ["--rate", "8000", "--highpass", "0", "--gain", "1", "--keep-channels"],
  ])
  func theProcessingPipeRepeatsTheBatchsParams(arguments: [String]) throws {
    let recorded = try PipelineFingerprintTests.fingerprint(.pipeline, arguments)
    let repeated = try #require(ProcessingArguments.fromParams(recorded))
    #expect(try PipelineFingerprintTests.fingerprint(.pipeline, repeated) == recorded)
  }

  @Test func secondsAreShortAndExact() {
    #expect(KaldiExport.seconds(3.60625) == "3.60625")
    #expect(KaldiExport.seconds(30) == "30")
    #expect(KaldiExport.seconds(29.999_999_999_999_996) == "30")
    #expect(KaldiExport.seconds(0.000_001) == "0.000001")
    // The JSON formats' digits, never an exponent (review 30m C3).
    #expect(KaldiExport.seconds(34_691.0 / 16_000) == "2.1681875")
    #expect(KaldiExport.seconds(1.0 / 16_000) == "0.0000625")
    #expect(KaldiExport.seconds(1.0 / 44_100) == "0.000022675736961451248")
    #expect(KaldiExport.seconds(1e16) == "10000000000000000")
  }

  // MARK: NeMo, Lhotse, Hugging Face, CSV

  static let mixed = ExportCorpus(
    recordings: [
      .init(id: "a", path: "/o/a.wav", sampleRate: 16000, channels: 1, frames: 57_700),
      .init(id: "b", path: "/c/b.flac", sampleRate: 44100, channels: 2, frames: 110_250, processedBy: "rate=16000"),
    ],
    utterances: [
      .init(id: "a", recordingID: "a", speaker: "s1", start: 0, duration: 3.60625, text: "hello \"world\""),
      .init(id: "b-0000", recordingID: "b", speaker: "s2", start: 0, duration: 1, text: ""),
      .init(id: "b-0001", recordingID: "b", speaker: "s2", start: 1, duration: 1.5, text: ""),
    ])

  static func jsonLines(_ text: String) throws -> [[String: Any]] {
    try text.split(separator: "\n").map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
  }

  /// NeMo's documented manifest: `audio_filepath`, `duration` (s), `text`; `offset` (s) for a
  /// part of a file.
  @Test func nemoLinesHaveNeMosFields() throws {
    let lines = try Self.jsonLines(NeMoExport.text(for: Self.mixed))
    #expect(lines.count == 3)
    #expect(lines.map { Set($0.keys) } == [["audio_filepath", "duration", "text"], ["audio_filepath", "duration", "offset", "text"], ["audio_filepath", "duration", "offset", "text"]])
    #expect(lines[0]["audio_filepath"] as? String == "/o/a.wav")
    #expect(lines[0]["duration"] as? Double == 3.60625)
    #expect(lines[0]["text"] as? String == "hello \"world\"")
    #expect(lines[2]["audio_filepath"] as? String == "/c/b.flac")
    #expect(lines[2]["offset"] as? Double == 1)
    #expect(lines[2]["duration"] as? Double == 1.5)
    #expect(lines[2]["text"] as? String == "")
  }

  /// A last segment ends up to one output frame after its input: the input is what NeMo and
  /// Lhotse read, so they get the input's end; Kaldi's pipe is the processed audio, as long as
  /// the segments.
  @Test func aLastSegmentEndsWithItsInput() throws {
    let input = ExportCorpus.Recording(id: "r", path: "/c/r.flac", sampleRate: 22050, channels: 1, frames: 79_517, processedBy: "rate=16000")
    let last = ExportCorpus.Utterance(id: "r-0003", recordingID: "r", speaker: "r-0003", start: 3, duration: 0.60625, text: "")
    let corpus = ExportCorpus(recordings: [input], utterances: [last])
    #expect(try Self.jsonLines(NeMoExport.text(for: corpus))[0]["duration"] as? Double == 0.606213)  // 79517 / 22050 − 3, to the µs below
    #expect(CSVExport.text(for: corpus).contains(",3,0.606213,"))
    let kaldi = try KaldiExport().files(for: corpus).first { $0.name == "segments" }
    #expect(kaldi?.text == "r-0003 r 3 3.60625\n")
  }

  @Test func lhotseManifestsAreGzippedJSONLines() throws {
    let files = LhotseExport.files(for: Self.mixed)
    #expect(files.map(\.name) == ["recordings.jsonl.gz", "supervisions.jsonl.gz"])
    let (_, recordingsData) = try Self.run("/bin/gzip", ["-dc"], input: Data(files[0].bytes))
    let (_, supervisionsData) = try Self.run("/bin/gzip", ["-dc"], input: Data(files[1].bytes))
    let recordings = try Self.jsonLines(String(decoding: recordingsData, as: UTF8.self))
    let supervisions = try Self.jsonLines(String(decoding: supervisionsData, as: UTF8.self))
    for recording in recordings {
      let rate = try #require(recording["sampling_rate"] as? Int)
      let samples = try #require(recording["num_samples"] as? Int)
      #expect(recording["duration"] as? Double == Double(samples) / Double(rate))
      let sources = try #require(recording["sources"] as? [[String: Any]])
      #expect(sources.count == 1 && sources[0]["type"] as? String == "file")
      #expect(sources[0]["channels"] as? [Int] == recording["channel_ids"] as? [Int])
    }
    #expect(recordings[1]["channel_ids"] as? [Int] == [0, 1])
    #expect(supervisions.map { $0["recording_id"] as? String } == ["a", "b", "b"])
    #expect(supervisions[2]["start"] as? Double == 1)
    #expect(supervisions[2]["channel"] as? [Int] == [0, 1])
    #expect(supervisions[0]["channel"] as? Int == 0)
    #expect(supervisions[0]["text"] as? String == "hello \"world\"")
    #expect(supervisions[1]["text"] == nil)
  }

  /// With `--segments offsets` Lhotse reads the input itself: its recording lists the file's
  /// channels (what `load_audio` reads), and each supervision the channels the segment's audio
  /// was made of, as the batch made it. `--channel 1` (`downmix=channel1`) is channel 1 alone, an
  /// int as Lhotse writes a one-channel supervision (`trim_to_supervisions` then gives a MonoCut
  /// of that channel); the average (`downmix=average`) is of every channel, `[0,1]`, which
  /// `MultiCut.to_mono(mono_downmix=True)` mixes; no downmix keeps them all. A stereo input
  /// processed to channel 1 kept `[0,1]`: Lhotse gave both channels for what was one (review31m
  /// W9).
  @Test(arguments: [("downmix=channel1 ", "1"), ("downmix=average ", "[0, 1]"), ("", "[0, 1]")])
  func lhotseSupervisionsHoldTheChannelsTheSegmentWasMadeOf(downmix: String, channel: String) throws {
    let corpus = ExportCorpus(
      recordings: [.init(id: "b", path: "/c/b.flac", sampleRate: 44100, channels: 2, frames: 110_250, processedBy: "rate=16000 \(downmix)gain=1.5")],
      utterances: [.init(id: "b-0000", recordingID: "b", speaker: "s2", start: 0, duration: 1, text: "")])
    let files = LhotseExport.files(for: corpus)
    let recordings = try Self.jsonLines(String(decoding: try Self.run("/bin/gzip", ["-dc"], input: Data(files[0].bytes)).1, as: UTF8.self))
    let supervisions = try Self.jsonLines(String(decoding: try Self.run("/bin/gzip", ["-dc"], input: Data(files[1].bytes)).1, as: UTF8.self))
    #expect(recordings[0]["channel_ids"] as? [Int] == [0, 1])
    #expect((recordings[0]["sources"] as? [[String: Any]])?.first?["channels"] as? [Int] == [0, 1])
    let said = supervisions[0]["channel"].map { ($0 as? [Int]).map { "\($0)" } ?? "\($0)" }
    #expect(said == channel, "\(supervisions[0])")
  }

  @Test func huggingFaceMetadataNamesFilesBelowIt() throws {
    let corpus = ExportCorpus(
      recordings: [.init(id: "a", path: "spk1/a,1.wav", sampleRate: 16000, channels: 1, frames: 16000)],
      utterances: [.init(id: "a", recordingID: "a", speaker: "s", start: 0, duration: 1, text: "say \"hi\", twice")])
    let csv = try HuggingFaceExport.file(for: corpus, as: .csv)
    #expect(csv.name == "metadata.csv")
    #expect(csv.text == "file_name,transcription,duration,speaker_id\n\"spk1/a,1.wav\",\"say \"\"hi\"\", twice\",1,s\n")
    let jsonl = try HuggingFaceExport.file(for: corpus, as: .jsonl)
    #expect(jsonl.name == "metadata.jsonl")
    #expect(try Self.jsonLines(jsonl.text)[0]["file_name"] as? String == "spk1/a,1.wav")
    for outside in ["../a.wav", "/abs/a.wav"] {
      var other = corpus
      other.recordings[0].path = outside
      #expect(throws: CommandFailure.self) { try HuggingFaceExport.file(for: other, as: .csv) }
    }
    #expect(throws: CommandFailure.self) { try HuggingFaceExport.file(for: Self.mixed, as: .csv) }  // offsets
  }

  @Test func csvHasOneRowPerUtterance() {
    #expect(
      CSVExport.text(for: Self.mixed)
        == "id,audio_path,offset,duration,sample_rate,channels,speaker,text\n"
        + "a,/o/a.wav,0,3.60625,16000,1,s1,\"hello \"\"world\"\"\"\n"
        + "b-0000,/c/b.flac,0,1,44100,2,s2,\nb-0001,/c/b.flac,1,1.5,44100,2,s2,\n")
  }

  @Test func speakerRules() {
    #expect(SpeakerRule(argument: "utterance") == .utterance)
    #expect(SpeakerRule(argument: "parent") == .parent)
    #expect(SpeakerRule(argument: "2") == .level(2))
    #expect(SpeakerRule(argument: "0") == nil)
    #expect(SpeakerRule(argument: "dir") == nil)
    #expect(SpeakerRule.level(1).speaker(ofRelativePath: "19/198/19-198-0001.flac") == "19")
    #expect(SpeakerRule.level(2).speaker(ofRelativePath: "19/198/19-198-0001.flac") == "198")
    #expect(SpeakerRule.level(3).speaker(ofRelativePath: "19/198/19-198-0001.flac") == nil)
    #expect(SpeakerRule.parent.speaker(ofRelativePath: "a.wav") == nil)
  }

  // MARK: helpers

  static func run(_ tool: String, _ arguments: [String], input: Data, environment: [String: String] = [:]) throws -> (Int32, Data) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let stdin = Pipe(), stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    try process.run()
    let writer = Thread {
      stdin.fileHandleForWriting.write(input)
      try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, output)
  }
}
