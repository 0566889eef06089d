import ArgumentParser
@testable import AudioPrepCommands
import DSP
import Foundation
import Testing

/// What `manifest export` takes from a record about its input, and what from the input itself:
/// with `--segments offsets` the input is the recording, so its rate, channels and frames are
/// its header's (hostile review 31m, H4).
@Suite struct ManifestInputTrustTests {
  typealias Export = ManifestExportTests
  typealias Review3 = ManifestExportReview3Tests

  /// Options of `scratch` exporting segments as offsets, the records read from `m.jsonl`.
  static func offsets(_ scratch: Export.Scratch) -> ExportOptions {
    var options = scratch.options
    options.segments = .offsets
    options.origins = [PathKey("spk2/b.flac"): RecordOrigin(manifest: "m.jsonl", line: 2)]
    return options
  }

  /// The `ffmpeg` on PATH, if any: an encoder independent of the code under test.
  static let ffmpeg: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
    .map { "\($0)/ffmpeg" }.first { FileManager.default.isExecutableFile(atPath: $0) }

  // MARK: H4: an input's numbers are its header's

  /// A record whose `input_frames`, `input_channels` or `input_rate_hz` disagree with the input
  /// it names (its bytes still the batch's: the hash covers them, not these numbers) is damaged
  /// for `--segments offsets`: 65 naming the manifest's line and the input, not a recording of
  /// 5 s for an input of 2.5 s (review31m H4: exit 0, its segments past the input's end kept).
  @Test func anInputsNumbersAreWhatItsFileHolds() throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    let options = Self.offsets(scratch)
    let honest = Export.record("spk2/b.flac", segmented: true)
    let corpus = try ExportCorpus(records: [honest], options: options)
    #expect(corpus.recordings.map(\.frames) == [110_250])
    var frames = honest
    frames.inputFrames = 220_500
    var channels = honest
    channels.inputChannels = 1
    var rate = honest
    rate.inputRateHz = 22050
    for record in [frames, channels, rate] {
      let failure = ManifestRecordTrustTests.failure([record], options)
      #expect(failure?.code == 65)
      #expect(failure?.path == "m.jsonl")
      #expect(
        failure?.message == "line 2 is damaged: its input corpus/spk2/b.flac holds 110250 frames at 44100 Hz, 2 channels; "
          + "its record says \(record.inputFrames!) frames at \(record.inputRateHz!) Hz, \(record.inputChannels!) channel"
          + (record.inputChannels! == 1 ? "" : "s"), "\(failure?.message ?? "")")
    }
  }

  /// The input is read as the batch read it: the audio stream its params record
  /// (`decoder=auto/stream1`), whose header differs from the first stream's. Here a Matroska
  /// file of a mono 8 kHz stream and a stereo 22.05 kHz one (written by ffmpeg, an independent
  /// encoder); the record of stream 1 exports, the same record without the stream is damaged.
  @Test(.enabled(if: ffmpeg != nil)) func anInputIsReadAsTheBatchReadIt() throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    let directory = scratch.directory.path
    let (status, _) = try Export.run(
      Self.ffmpeg!,
      [
        "-loglevel", "error", "-y", "-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-f", "lavfi", "-i", "anullsrc=r=22050:cl=stereo",
        "-t", "2.5", "-map", "0:a", "-map", "1:a", "-c:a", "pcm_s16le", "\(directory)/corpus/spk2/b.mkv",
      ], input: Data())
    try #require(status == 0)
    var record = Export.record("spk2/b.mkv", segmented: true)
    record.params = record.params.replacingOccurrences(of: "raw=none", with: "raw=none decoder=auto/stream1")
    (record.inputRateHz, record.inputChannels, record.inputFrames) = (22050, 2, 55125)
    try scratch.file("out/spk2/b.segments.jsonl", Export.sidecar.replacingOccurrences(of: "b.flac", with: "b.mkv"))
    var options = Self.offsets(scratch)
    options.origins = [PathKey("spk2/b.mkv"): RecordOrigin(manifest: "m.jsonl", line: 1)]
    #expect(try ExportCorpus(records: [record], options: options).recordings.map(\.channels) == [2])
    record.params = record.params.replacingOccurrences(of: " decoder=auto/stream1", with: "")
    let failure = ManifestRecordTrustTests.failure([record], options)
    #expect(failure?.code == 65)
    #expect(failure?.message.hasPrefix("line 1 is damaged: its input corpus/spk2/b.mkv holds 20000 frames at 8000 Hz, 1 channel;") == true,
      "\(failure?.message ?? "")")
  }

  /// Through the command, for every format that writes offsets: a record whose `input_frames`
  /// were doubled (its hashes intact) is 65, nothing written.
  @Test(arguments: ["kaldi", "nemo", "lhotse", "csv"])
  func everyFormatRefusesARecordThatIsNotItsInput(format: String) throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    let root = scratch.directory.path
    let manifest = try Review3.absoluteManifest(scratch)
    let destination = ["kaldi", "lhotse"].contains(format) ? "\(root)/data" : "\(root)/x.\(format)"
    let honest = try String(contentsOfFile: manifest, encoding: .utf8)
    try honest.replacingOccurrences(of: "\"input_frames\":110250", with: "\"input_frames\":220500")
      .write(toFile: manifest, atomically: true, encoding: .utf8)
    #expect(try Review3.export(["--to", format, manifest, "-o", destination, "--segments", "offsets", "-q"]) == 65, "\(format)")
    let written = (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/data")) ?? []
    #expect(!FileManager.default.fileExists(atPath: "\(root)/x.\(format)") && written.isEmpty, "\(written)")
  }

  // MARK: H1: a transcript is read only beside the input its record is of

  /// A record whose input is there but holds other bytes than its `input_hash` (a forged record
  /// naming `notes/meeting.wav` beside a private `notes/meeting.txt`, below the manifest's one
  /// root, so no other root shows it up) gets no transcript read: 66 naming the input, as for
  /// an output that changed (review31m H1: its text was exported, exit 0). Its hash is checked
  /// only when a transcript is there to read; the batch's own bytes read it as before.
  @Test func aTranscriptIsReadOnlyBesideTheInputTheRecordIsOf() throws {
    let scratch = try Export.scratchBatch()
    defer { scratch.remove() }
    var record = Export.record("spk1/a.wav")
    record.inputHash = Export.fnv1a(Export.wav(frames: 110_250, rate: 44100, channels: 2))
    #expect(try ExportCorpus(records: [record], options: scratch.options).utterances.map(\.text) == ["HELLO WORLD"])
    record.inputHash = "fnv1a64:0000000000000001"
    let failure = ManifestRecordTrustTests.failure([record], scratch.options)
    #expect(failure?.code == 66)
    #expect(failure?.path == "corpus/spk1/a.wav", "\(failure?.path ?? "")")
    #expect(failure?.message.contains("changed since the batch recorded it") == true, "\(failure?.message ?? "")")
    // No transcript beside it: nothing to read, nothing checked.
    try FileManager.default.removeItem(at: scratch.directory.appendingPathComponent("corpus/spk1/a.txt"))
    #expect(try ExportCorpus(records: [record], options: scratch.options).utterances.map(\.text) == [""])
  }

  /// review32m H1, H2: with `--segments offsets` Lhotse and NeMo read the input itself: its first
  /// audio stream (a batch of `--audio-stream 1` wrote stream 1's segments), and NeMo its
  /// channels averaged (a batch of `--channel 1` or `--keep-channels` wrote other audio). Such a
  /// recording is refused (65), naming --segments files; Kaldi's pipe and an averaging batch pass.
  @Test func offsetsTheToolkitCannotReadAsTheBatchDidAreRefused() throws {
    let recording = { (params: String, channels: Int) in
      ExportCorpus(
        recordings: [.init(id: "b", path: "/c/b.mkv", sampleRate: 16000, channels: channels, frames: 32000, processedBy: params)],
        utterances: [.init(id: "b-0000", recordingID: "b", speaker: "s", start: 0, duration: 1, text: "")])
    }
    for (format, params, channels) in [
      (ExportFormat.lhotse, "rate=16000 downmix=average decoder=auto/stream1", 1), (.nemo, "rate=16000 downmix=average decoder=ffmpeg/stream2", 1),
      (.nemo, "rate=16000 downmix=channel1", 2), (.nemo, "rate=16000 highpass_hz=80.0", 2),
    ] {
      #expect(throws: CommandFailure.self, "\(format) \(params)") { try format.files(for: recording(params, channels), fileName: "m.json") }
      #expect(format.offsetsProblem(params: params, channels: channels)?.contains("--segments files") == true)
    }
    #expect(ExportFormat.nemo.offsetsProblem(params: "rate=16000 downmix=average", channels: 2) == nil)
    #expect(ExportFormat.lhotse.offsetsProblem(params: "rate=16000 downmix=channel1", channels: 2) == nil)
    #expect(ExportFormat.nemo.offsetsProblem(params: "rate=16000 decoder=auto/stream0", channels: 1) == nil)
  }

  /// review32m W6: Unicode whitespace in a name (a no-break space, U+3000 of Japanese corpora,
  /// U+2028) became part of an id, where Python's split() (Lhotse's Kaldi reader) and Kaldi's
  /// validate_text.pl break the line: it is `_`, as a space is; other UTF-8 stays.
  @Test func unicodeWhitespaceInIdsIsAnUnderscore() {
    #expect(KaldiID.sanitized("nb\u{00A0}sp") == "nb_sp")
    #expect(KaldiID.sanitized("jp\u{3000}x") == "jp_x")
    #expect(KaldiID.sanitized("a\u{2028}b\u{202F}c") == "a_b_c")
    #expect(KaldiID.sanitized("日本語") == "日本語")
  }

  /// review32m W8: NeMo resolves a relative path with a directory part against the manifest's
  /// directory, and a bare name against the directory it runs in: a bare name is `./NAME`.
  @Test func aBareNameInANeMoManifestIsRelativeToTheManifest() throws {
    let corpus = ExportCorpus(
      recordings: [.init(id: "a", path: "a.wav", sampleRate: 16000, channels: 1, frames: 16000), .init(id: "b", path: "sub/b.wav", sampleRate: 16000, channels: 1, frames: 16000)],
      utterances: [.init(id: "a", recordingID: "a", speaker: "s", start: 0, duration: 1, text: ""), .init(id: "b", recordingID: "b", speaker: "s", start: 0, duration: 1, text: "")])
    let text = NeMoExport.text(for: corpus)
    #expect(text.contains("\"audio_filepath\":\"./a.wav\"") && text.contains("\"audio_filepath\":\"sub/b.wav\""), "\(text)")
  }

  /// review32m W4: shards run at different rates merged and exported without a word (a Kaldi
  /// wav.scp of 16 kHz and 8 kHz files): the merge says the rates.
  @Test func recordsOfSeveralRatesAreSaid() {
    let record = { (relative: String, rate: Int) in
      ManifestRecord(
        input: "c/\(relative)", relativePath: relative, output: "o/\(relative)", status: .ok, params: "rate=\(rate) downmix=average", shard: nil, corpusInputs: 3, shardInputs: 3)
    }
    let mixed = ManifestMerge([("m.jsonl", ManifestFile.Contents(records: [record("a.wav", 16000), record("b.wav", 16000), record("c.wav", 8000)]))])
    #expect(mixed.mixedRates == "16000 Hz (2 inputs), 8000 Hz (1 input)")
    let one = ManifestMerge([("m.jsonl", ManifestFile.Contents(records: [record("a.wav", 16000), record("b.wav", 16000)]))])
    #expect(one.mixedRates == nil)
  }
}
