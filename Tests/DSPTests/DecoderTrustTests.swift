import DSP
import Foundation
import TestSupport
import XCTest

/// Issue 16, the decoders' half: damage is never silent, the same bytes give the same frames
/// from a file and from a pipe, and an input fault or an unsatisfiable option has one exit code
/// whatever the container. References are ffmpeg's and sox's decoding, or a known signal.
final class DecoderTrustTests: XCTestCase {
  /// `--audio-stream N` beyond the input's audio streams is the caller's choice (64), as
  /// `--channel N` beyond its channels is, in every container.
  func testAnAudioStreamTheInputLacksIsAnInvalidParameter() throws {
    let directory = try scratchDirectory(self)
    let inputs = [
      try MadeInputs.fromSpeech("one.m4a", in: directory, ["-c:a", "aac"]),
      try MadeInputs.fromSpeech("one.webm", in: directory, ["-c:a", "libopus"]),
      fixtures + "/speech.wav",
    ]
    for path in inputs {
      XCTAssertThrowsError(try openAudioSource(path: path, audioStream: 1), path) { error in
        guard case .invalidParameter(let message)? = error as? DSPError else { return XCTFail("\(path): \(error)") }
        XCTAssertTrue(message.contains("no audio stream 1"), message)
      }
      XCTAssertNoThrow(try openAudioSource(path: path, audioStream: 0), path)
    }
  }

  /// Bytes no decoder recognises are "not a readable audio file (Format not recognised)",
  /// whatever their name says, from a file or a pipe; never libsndfile's "File does not exist",
  /// nor the raw format the name chose (20000 such bytes named .flac, .aac or .ac3 were "raw
  /// FLAC: 0 channels", "raw ADTS AAC: a sample rate of 0 Hz"; review34a A4).
  func testUnrecognisedBytesSayWhatIsWrongWhateverTheirName() throws {
    let directory = try scratchDirectory(self)
    var state: UInt32 = 12345
    let noise = (0..<20000).map { _ -> UInt8 in
      state = state &* 1_664_525 &+ 1_013_904_223
      return UInt8(truncatingIfNeeded: state >> 24)
    }
    for name in ["x.mp3", "x.mp2", "x.wav", "x.flac", "x.ogg", "x.opus", "x.m4a", "x.webm", "x.aac", "x.ac3", "x"] {
      let path = directory + "/" + name
      try Data(noise).write(to: URL(fileURLWithPath: path))
      for viaPipe in [false, true] {
        XCTAssertThrowsError(try viaPipe ? decodeAllThroughAPipe(path) : decodeAll(path), name) { error in
          let io = error as? AudioIOError
          XCTAssertEqual(io?.kind, .invalidInput, "\(name): \(error)")
          XCTAssertEqual(io?.message, "not a readable audio file (Format not recognised)", "\(name)\(viaPipe ? " through a pipe" : "")")
        }
      }
    }
  }

  /// An impossible sample rate in a header (NaN, negative, 10^12, 0) is an input fault (65:
  /// `invalidInput` or `unsupportedInput`) in every container and through either decoder; FFmpeg's
  /// Matroska reader silently put 8000 Hz in its place, and the audio came out 2.76× too long.
  func testAnImpossibleRateIsAnInputFaultInEveryContainer() throws {
    let directory = try scratchDirectory(self)
    let mkv = try MadeInputs.fromSpeech("rate.mkv", in: directory, ["-c:a", "pcm_s16le"])
    var inputs: [(String, AudioDecoder)] = []
    func patched(_ source: String, _ name: String, after marker: [UInt8], skip: Int, _ value: [UInt8]) throws {
      var bytes = readWholeFile(source)
      let at = try XCTUnwrap(Self.find(marker, in: bytes), name) + skip
      bytes.replaceSubrange(at..<at + value.count, with: value)
      try Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + name))
      for decoder in [AudioDecoder.auto, .ffmpeg] { inputs.append((directory + "/" + name, decoder)) }
    }
    func double(_ value: Double) -> [UInt8] { withUnsafeBytes(of: value.bitPattern.bigEndian, Array.init) }
    for (label, rate) in [("nan", Double.nan), ("negative", -22050), ("1e12", 1e12), ("zero", 0), ("inf", Double.infinity)] {
      // Matroska's SamplingFrequency (0xB5, an 8-byte float), CAF's desc mSampleRate.
      try patched(mkv, "rate-\(label).mkv", after: [0xB5, 0x88], skip: 2, double(rate))
      try patched(fixtures + "/speech.caf", "rate-\(label).caf", after: Array("desc".utf8), skip: 12, double(rate))
    }
    for (label, rate) in [("zero", UInt32(0)), ("max", UInt32.max), ("negative", UInt32(0x8000_0000))] {
      try patched(fixtures + "/speech.wav", "rate-\(label).wav", after: Array("fmt ".utf8), skip: 12, withUnsafeBytes(of: rate.littleEndian, Array.init))
    }
    for (path, decoder) in inputs {
      let name = "\((path as NSString).lastPathComponent) through \(decoder)"
      // A Matroska rate is refused when the file is opened, before FFmpeg decodes a frame at the
      // 8000 Hz it makes up (review39 F06: up to 16000 bytes reached standard output before the
      // timestamps refused it).
      if path.hasSuffix(".mkv") { XCTAssertThrowsError(try openAudioSource(path: path, decoder: decoder), "\(name): opened") }
      do {
        let source = try openAudioSource(path: path, decoder: decoder)
        let report = try Pipeline.run(source: source, sink: MemorySink(), configuration: PipelineConfiguration())
        XCTFail("\(name): decoded at \(source.format.sampleRate) Hz, \(report.inputSeconds) s")
      } catch let error as AudioIOError {
        XCTAssertEqual(error.kind, .invalidInput, "\(name): \(error)")
        // The header's fault, in its words: never libsndfile's "Internal error : SF_INFO struct
        // incomplete" (review34a A5: a WAV declaring 0 Hz).
        XCTAssertFalse(error.message.contains("Internal error"), "\(name): \(error)")
        if path.hasSuffix("rate-zero.wav"), decoder == .auto { XCTAssertEqual(error.message, "header declares a sample rate of 0 Hz", name) }
      } catch DSPError.unsupportedInput {
      } catch {
        XCTFail("\(name): \(error)")
      }
    }
  }

  static func find(_ marker: [UInt8], in bytes: [UInt8]) -> Int? {
    guard bytes.count >= marker.count else { return nil }
    return (0...(bytes.count - marker.count)).first { Array(bytes[$0..<$0 + marker.count]) == marker }
  }

  /// Every container that announces its length, cut in half, decodes what is there and warns
  /// `truncated` with both lengths; whole, it warns nothing. (WMA, AVI, FLV, NUT and TTA gave no
  /// warning.) Ogg announces no length up front: its last page, which a cut removes, tells it.
  /// NUT keeps its length in an index at its end; a cut leaves FFmpeg's complaint about it.
  func testAnInputShorterThanItsHeaderAnnouncesIsTruncatedInEveryContainer() throws {
    let directory = try scratchDirectory(self)
    let made: [(String, [String])] = [
      ("faststart.m4a", ["-c:a", "aac", "-movflags", "+faststart"]), ("opus.webm", ["-c:a", "libopus"]),
      ("pcm.mkv", ["-c:a", "pcm_s16le"]), ("wmav2.wma", ["-c:a", "wmav2"]), ("pcm.avi", ["-c:a", "pcm_s16le"]),
      ("mp3.flv", ["-c:a", "libmp3lame"]), ("pcm.nut", ["-c:a", "pcm_s16le"]), ("tta.tta", ["-c:a", "tta"]),
      ("wavpack.wv", ["-c:a", "wavpack"]),
    ]
    var inputs = try made.map { try MadeInputs.fromSpeech($0.0, in: directory, $0.1) }
    inputs += ["speech.wav", "speech.aiff", "speech.caf", "speech.mp3"].map { fixtures + "/" + $0 }
    for path in inputs {
      let name = (path as NSString).lastPathComponent
      let whole = try decodeAll(path)
      XCTAssertNil(whole.source.truncation, name)
      let bytes = readWholeFile(path)
      let cut = directory + "/half-" + name
      try Data(bytes.prefix(bytes.count / 2)).write(to: URL(fileURLWithPath: cut))
      do {
        let half = try decodeAll(cut)
        let holds = half.source.decodedFrames
        XCTAssertLessThan(Int(holds), whole.samples.count / whole.source.format.channels, name)
        let warning = half.source.truncation ?? "no warning"
        XCTAssertTrue(warning.hasPrefix("truncated") && warning.contains("holds \(holds)"), "\(name): \(warning)")
        // NUT's length is in its index, at the end a cut removes: the warning says it is missing.
        XCTAssertTrue(warning.contains(name.hasSuffix(".nut") ? "ends with its index" : "announces"), "\(name): \(warning)")
      } catch let error as AudioIOError {
        // Half a WavPack file made by ffmpeg is less than its first block: nothing decodes
        // (ffmpeg decodes nothing either), which is an input fault, not an empty output.
        let nothing = error.message.hasPrefix("nothing decodes") && ((try? MadeInputs.ffmpegFrames(cut)) ?? 0) == 0
        XCTAssertTrue(nothing, "\(name) cut in half: \(error)")
      }
    }
  }

  /// A 2.5 KB zeroed hole a third of the way into a FLAC, MP3, Vorbis or Opus file: audioprep
  /// keeps at least what the ffmpeg command line recovers (within 0.1 s), from a file and from a
  /// pipe, and says it is damaged whenever it holds less than the header announced, whichever
  /// decoder is chosen. (A FLAC
  /// that lost sync was 65 after 0.93 s, or kept a third of its audio, where ffmpeg recovers
  /// 2.86 s and sox 3.42 s; an MP3 was 65 where both recover all but 0.1 s.)
  func testDamageKeepsWhatFFmpegRecoversAndIsNeverSilent() throws {
    let directory = try scratchDirectory(self)
    for name in ["speech.flac", "speech.mp3", "speech.ogg", "speech.opus"] {
      for at in [1.0 / 3, 0.5] {
        var bytes = readWholeFile(fixtures + "/" + name)
        let start = Int(Double(bytes.count) * at)
        bytes.replaceSubrange(start..<start + 2500, with: repeatElement(0, count: 2500))
        let path = directory + "/hole-\(Int(at * 100))-" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let reference = try MadeInputs.ffmpegFrames(path)
        // Every decoder says what it loses; the default and FFmpeg keep what ffmpeg recovers.
        // (`--decoder ffmpeg` on an Opus hole from a pipe kept 125099 of 173099 frames, silently.)
        for decoder in AudioDecoder.allCases {
          let whole = try decodeAll(fixtures + "/" + name, decoder: decoder)
          XCTAssertNil(whole.source.truncation, "\(name), \(decoder)")
          XCTAssertNil(try decodeAllThroughAPipe(fixtures + "/" + name, decoder: decoder).source.truncation, "\(name), \(decoder), through a pipe")
          for viaPipe in [false, true] {
            let label = "\(path.split(separator: "/").last!), \(decoder)\(viaPipe ? ", through a pipe" : "")"
            do {
              let damaged = try viaPipe ? decodeAllThroughAPipe(path, decoder: decoder) : decodeAll(path, decoder: decoder)
              let rate = damaged.source.format.sampleRate
              let frames = damaged.samples.count / damaged.source.format.channels
              if decoder != .sndfile {
                XCTAssertGreaterThanOrEqual(frames, reference - rate / 10, "\(label): ffmpeg recovers \(reference)")
              }
              if frames < whole.samples.count / whole.source.format.channels - rate / 10 {
                XCTAssertNotNil(damaged.source.truncation, "\(label): \(frames) of \(whole.samples.count) frames, silently")
              }
            } catch {
              XCTFail("\(label): \(error) where ffmpeg recovers \(reference) frames")
            }
          }
        }
      }
    }
  }

  /// An MP3 behind an ID3v2 tag that announces more bytes than the input holds is refused
  /// from a pipe for what it is, not as an empty input (a 15 KB input was "the input is empty
  /// (0 bytes)"; review34a A15), and from a file too.
  func testAnID3TagRunningPastTheEndIsSaidAsSuch() throws {
    let directory = try scratchDirectory(self)
    let path = directory + "/tagged.mp3"
    try Data(Array("ID3".utf8) + [4, 0, 0, 0x7F, 0x7F, 0x7F, 0x7F] + readWholeFile(fixtures + "/speech.mp3")).write(to: URL(fileURLWithPath: path))
    XCTAssertThrowsError(try decodeAll(path)) { XCTAssertEqual(($0 as? AudioIOError)?.kind, .invalidInput, "\($0)") }
    XCTAssertThrowsError(try decodeAllThroughAPipe(path)) { error in
      XCTAssertEqual((error as? AudioIOError)?.message, "its ID3v2 tag announces 268435465 bytes, more than the input holds (29729): no audio follows it")
    }
  }

  /// A WAV whose `fmt ` chunk contradicts itself (64-bit samples, one channel, a block of 2
  /// bytes) is refused (65) from a file and a pipe, by every decoder: FFmpeg decoded a quarter
  /// of the frames as 64-bit noise, silently from a file (review34a A18).
  func testAWAVWhoseFormatContradictsItselfIsRefused() throws {
    let directory = try scratchDirectory(self)
    var bytes = readWholeFile(fixtures + "/mono16k.wav")
    let fmt = try XCTUnwrap(Self.find(Array("fmt ".utf8), in: bytes))
    XCTAssertEqual(Array(bytes[fmt + 20..<fmt + 24]), [2, 0, 16, 0], "the premise: a block of 2, 16 bits")
    bytes[fmt + 22] = 64
    let path = directory + "/bits64.wav"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    for decoder in AudioDecoder.allCases {
      for viaPipe in [false, true] {
        XCTAssertThrowsError(try viaPipe ? decodeAllThroughAPipe(path, decoder: decoder) : decodeAll(path, decoder: decoder), "\(decoder) \(viaPipe)") {
          XCTAssertEqual(($0 as? AudioIOError)?.kind, .invalidInput, "\(decoder) \(viaPipe): \($0)")
        }
      }
    }
  }

  /// A CAF whose `data` chunk claims more bytes than any input holds gives the same outcome
  /// from a pipe as from a file (review34a A8: at 2^62 the file decoded with `truncated`, a
  /// pipe, told it was 2^61 bytes long, was 65 "malformed").
  func testAHugeCAFDataSizeGivesAFilesOutcomeFromAPipe() throws {
    let directory = try scratchDirectory(self)
    let original = readWholeFile(fixtures + "/speech.caf")
    let data = try XCTUnwrap(Self.find(Array("data".utf8), in: original))
    for size: Int64 in [1 << 40, 1 << 61, 1 << 62, Int64.max / 4 * 3 - (1 << 20), Int64.max] {
      var bytes = original
      bytes.replaceSubrange(data + 4..<data + 12, with: withUnsafeBytes(of: size.bigEndian, Array.init))
      let path = directory + "/size-\(size).caf"
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      let file = Result { try decodeAll(path) }
      let piped = Result { try decodeAllThroughAPipe(path) }
      switch (file, piped) {
      case (.success(let file), .success(let piped)):
        XCTAssertEqual(piped.samples, file.samples, "\(size)")
        XCTAssertEqual(piped.source.truncation, file.source.truncation, "\(size)")
      case (.failure(let file), .failure(let piped)):
        XCTAssertEqual((piped as? AudioIOError)?.message, (file as? AudioIOError)?.message, "\(size)")
      default:
        XCTFail("\(size): file \(file.map { _ in "decoded" }), pipe \(piped.map { _ in "decoded" })")
      }
    }
  }

  /// An MP2, and an MP3 without an Info header (5 s of stereo), with one frame's sync byte
  /// zeroed at a third, a half or two thirds: a file gives the frames and the warning a pipe
  /// gives (review34b B1, B2: the file ended at the damage, silently, where the pipe went on
  /// through FFmpeg and said so).
  func testAMissingMPEGSyncByteIsSaidFromAFileAsFromAPipe() throws {
    let directory = try scratchDirectory(self)
    let wav = directory + "/sweep.wav"
    let made = try spawn(try MadeInputs.tool("sox"), ["-V1", "-n", "-r", "44100", "-c", "2", "-b", "16", wav, "synth", "5", "sine", "300:3000", "vol", "0.5"], timeLimit: 60)
    guard made.status == 0 else { throw XCTSkip("sox: \(made.stderr)") }
    for (name, arguments, kbps) in [
      ("sweep.mp2", ["-c:a", "mp2"], [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384]),
      ("sweep.mp3", ["-c:a", "libmp3lame", "-write_xing", "0", "-id3v2_version", "0"], [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]),
    ] {
      let encoded = directory + "/" + name
      let result = try spawn(try MadeInputs.tool("ffmpeg"), ["-v", "error", "-y", "-i", wav] + arguments + [encoded], timeLimit: 60)
      guard result.status == 0 else { throw XCTSkip("ffmpeg: \(result.stderr)") }
      let bytes = readWholeFile(encoded)
      // MPEG-1 frames at 44.1/48/32 kHz: 144000 × kbit/s / rate bytes, plus the padding bit.
      var frames: [Int] = []
      var at = 0
      while at + 4 <= bytes.count, bytes[at] == 0xFF {
        frames.append(at)
        let header = Int(bytes[at + 2])
        at += 144_000 * kbps[header >> 4] / [44100, 48000, 32000][(header >> 2) & 3] + ((header >> 1) & 1)
      }
      guard frames.count > 30 else {
        XCTFail("\(name): the frame walk found \(frames.count) frames")
        continue
      }
      for frame in [frames.count / 3, frames.count / 2, 2 * frames.count / 3] {
        var damaged = bytes
        damaged[frames[frame]] = 0
        let path = directory + "/damaged-\(frame)-" + name
        try Data(damaged).write(to: URL(fileURLWithPath: path))
        let file = try decodeAll(path)
        let piped = try decodeAllThroughAPipe(path)
        let label = "\(name), frame \(frame) of \(frames.count)"
        XCTAssertEqual(file.samples.count, piped.samples.count, label)
        XCTAssertEqual(
          file.source.truncation == nil, piped.source.truncation == nil,
          "\(label): \(file.source.truncation ?? "no warning") against \(piped.source.truncation ?? "no warning")")
      }
    }
  }

  /// A NUT file (PCM) with a fifth of its bytes zeroed in the middle: a pipe says what it
  /// lost, as a file does (a file's length is its index's, read by seeking; a pipe's, its
  /// timestamps'). The pipe said nothing (review34a A9).
  func testANUTHoleIsSaidFromAPipeAsFromAFile() throws {
    let directory = try scratchDirectory(self)
    let nut = try MadeInputs.fromSpeech("speech.nut", in: directory, ["-c:a", "pcm_s16le", "-f", "nut"])
    var bytes = readWholeFile(nut)
    let start = bytes.count / 3
    bytes.replaceSubrange(start..<start + bytes.count / 5, with: repeatElement(0, count: bytes.count / 5))
    let path = directory + "/hole.nut"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let file = try decodeAll(path)
    let piped = try decodeAllThroughAPipe(path)
    XCTAssertEqual(piped.samples, file.samples)
    XCTAssertNotNil(file.source.truncation)
    XCTAssertTrue(piped.source.truncation?.hasPrefix("truncated: ") == true, "\(piped.source.truncation ?? "no warning")")
  }

  /// A FLAC longer than a pipe's 4 MiB window with a zeroed hole before or past the window:
  /// a pipe gives the frames a file gives, and both say the input is damaged. (Past the window
  /// a pipe kept what libsndfile decoded before the hole, half of the 80 s, where the file went
  /// on through FFmpeg; review16f N9: 168 of 240 s.)
  func testAFLACHoleFromAPipeKeepsWhatTheFileKeeps() throws {
    let directory = try scratchDirectory(self)
    let long = directory + "/long.flac"
    let made = try spawn(
      try MadeInputs.tool("sox"), ["-V1", "-n", "-r", "44100", "-c", "2", "-b", "16", long, "synth", "80", "whitenoise", "vol", "0.9"],
      timeLimit: 120)
    guard made.status == 0 else { throw XCTSkip("sox: \(made.stderr)") }
    let whole = readWholeFile(long)
    XCTAssertGreaterThan(whole.count, 6 << 20, "the premise: well past the pipe's window")
    for at in testSanitizer == nil ? [1.0 / 4, 3.0 / 4] : [3.0 / 4] {
      var bytes = whole
      let start = Int(Double(bytes.count) * at)
      bytes.replaceSubrange(start..<start + 3000, with: repeatElement(0, count: 3000))
      let path = directory + "/hole-\(Int(at * 100)).flac"
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      let file = try decodeAll(path)
      let piped = try decodeAllThroughAPipe(path)
      XCTAssertGreaterThan(file.samples.count, 79 * 44100 * 2, "\(path): the file keeps all but the hole")
      XCTAssertEqual(piped.samples.count, file.samples.count, "\(path): a pipe's frames")
      XCTAssertTrue(piped.samples == file.samples, "\(path): the samples differ")
      XCTAssertNotNil(file.source.truncation, path)
      XCTAssertNotNil(piped.source.truncation, "\(path) through a pipe")
    }
  }

  /// The same bytes give the same frames from a file and from a pipe, whichever decoder is
  /// chosen: MP3 and MP2 (libsndfile's libmpg123) cut anywhere, and every other format cut in
  /// half. (`--decoder sndfile` refused a FLAC cut in half from a file, 65, and kept 36864
  /// frames of it from a pipe, exit 0.) (An MP3 cut short lost up to
  /// 4095 frames on standard input; a 622-byte MP3 gave none.)
  func testAFileAndAPipeGiveTheSameFramesForTheSameBytes() throws {
    let directory = try scratchDirectory(self)
    let mp2 = try MadeInputs.fromSpeech("speech.mp2", in: directory, ["-c:a", "mp2"])
    var inputs: [(String, [Int])] = []
    for source in [fixtures + "/speech.mp3", mp2] {
      let size = readWholeFile(source).count
      inputs.append((source, [622, 1000, 4000, size / 3, size / 2, size - 100, size]))
    }
    for name in ["speech.wav", "speech.flac", "speech.ogg", "speech.opus", "speech.aiff", "speech.caf"] {
      let size = readWholeFile(fixtures + "/" + name).count
      inputs.append((fixtures + "/" + name, [size / 2, size]))
    }
    for (source, lengths) in inputs {
      let bytes = readWholeFile(source)
      for length in lengths {
        let name = "\((source as NSString).lastPathComponent) cut at \(length)"
        let path = directory + "/cut-\(length)-" + (source as NSString).lastPathComponent
        try Data(bytes.prefix(length)).write(to: URL(fileURLWithPath: path))
        for decoder in AudioDecoder.allCases {
          let label = "\(name), \(decoder)"
          let file = Result { try decodeAll(path, decoder: decoder) }
          let piped = Result { try decodeAllThroughAPipe(path, decoder: decoder) }
          switch (file, piped) {
          case (.success(let file), .success(let piped)):
            XCTAssertEqual(piped.samples.count, file.samples.count, label)
            XCTAssertTrue(piped.samples == file.samples, "\(label): the samples differ")
            XCTAssertEqual(piped.source.truncation == nil, file.source.truncation == nil, "\(label): \(file.source.truncation ?? "no warning") against \(piped.source.truncation ?? "no warning")")
          case (.failure, .failure): break
          case (.success, .failure(let error)) where decoder == .ffmpeg && name.contains(".caf"):
            // FFmpeg's CAF reader cannot read a pipe (nor can the ffmpeg command line): said so.
            XCTAssertTrue("\(error)".contains("FFmpeg's CAF reader cannot read this file from a pipe"), "\(label): \(error)")
          default: XCTFail("\(label): one of them failed: file \(file.map { _ in "decoded" }), pipe \(piped.map { _ in "decoded" })")
          }
        }
      }
    }
  }

  /// MP3s and MP2s joined end to end: when the rate or channel count changes part-way the input
  /// is refused (65) whichever decoder reads it, from a file or a pipe, as FFmpeg's AAC already
  /// was; when it does not, an MP3 whose second part starts with its own header (ffmpeg's: an
  /// ID3v2 tag and an Info frame) is refused naming that byte (review 16e J6: from a pipe past
  /// 4 MiB only the first part was decoded), and frames that just go on (ffmpeg's MP2) are
  /// decoded whole (libsndfile stopped at the first part's LAME Info frame count and dropped
  /// the rest silently).
  func testJoinedMPEGStreamsAreDecodedWholeOrRefusedWhenTheirFormatChanges() throws {
    let directory = try scratchDirectory(self)
    func joined(_ name: String, _ codec: String, _ second: [String]) throws -> String {
      let first = try MadeInputs.fromSpeech("first-" + name, in: directory, ["-c:a", codec])
      let other = try MadeInputs.fromSpeech("second-" + name, in: directory, second + ["-c:a", codec])
      let path = directory + "/" + name
      try Data(readWholeFile(first) + readWholeFile(other)).write(to: URL(fileURLWithPath: path))
      return path
    }
    let changing = [
      try joined("rate.mp3", "libmp3lame", ["-ar", "44100"]), try joined("channels.mp3", "libmp3lame", ["-ac", "2"]),
      try joined("rate.mp2", "mp2", ["-ar", "44100"]),
    ]
    for path in changing {
      for decoder in AudioDecoder.allCases {
        for viaPipe in [false, true] {
          let label = "\((path as NSString).lastPathComponent) through \(decoder)\(viaPipe ? " from a pipe" : "")"
          XCTAssertThrowsError(try viaPipe ? decodeAllThroughAPipe(path, decoder: decoder) : decodeAll(path, decoder: decoder), label) { error in
            XCTAssertEqual((error as? AudioIOError)?.kind, .invalidInput, "\(label): \(error)")
            XCTAssertTrue("\(error)".contains("changes from"), "\(label): \(error)")
          }
        }
      }
    }
    let sameMP3 = try joined("same.mp3", "libmp3lame", [])
    let firstBytes = readWholeFile(directory + "/first-same.mp3").count
    for viaPipe in [false, true] {
      XCTAssertThrowsError(try viaPipe ? decodeAllThroughAPipe(sameMP3) : decodeAll(sameMP3), "same.mp3") { error in
        XCTAssertTrue("\(error)".contains("a second MP3 file starts at byte \(firstBytes)"), "same.mp3\(viaPipe ? " from a pipe" : ""): \(error)")
      }
    }
    for path in [try joined("same.mp2", "mp2", [])] {
      let reference = try MadeInputs.ffmpegFrames(path)
      for viaPipe in [false, true] {
        let label = "\((path as NSString).lastPathComponent)\(viaPipe ? " from a pipe" : "")"
        let decoded = try viaPipe ? decodeAllThroughAPipe(path) : decodeAll(path)
        XCTAssertEqual(Double(decoded.samples.count), Double(reference), accuracy: 2205, "\(label): ffmpeg decodes \(reference)")
      }
    }
  }
}

extension DecoderTrustTests {
  /// review37a U20: a WAV whose block align its channels and sample size do not make (16-bit
  /// mono with a block align of 3; 3 channels with a block align of 2): FFmpeg's reading refused
  /// it, libsndfile's decoded it (3 channels over mono data, with an unrelated `truncated`),
  /// exit 0. Every decoder, file and pipe, refuses it with the same words.
  func testAWAVBlockAlignItsFormatContradictsIsRefusedAlike() throws {
    let directory = try scratchDirectory(self)
    let honest = readWholeFile(fixtures + "/mono16k.wav")
    let fmt = try XCTUnwrap(Self.find(Array("fmt ".utf8), in: honest))
    let cases: [(String, Int, UInt8, String)] = [
      ("align3", fmt + 20, 3, "the header contradicts itself: 16-bit samples in 1 channel take 2 bytes a frame, its block align says 3"),
      ("channels3", fmt + 10, 3, "the header contradicts itself: 16-bit samples in 3 channels take 6 bytes a frame, its block align says 2"),
      // review41 H07: a bit flipped in the rate (16000 Hz to 278144 Hz), which libsndfile and
      // FFmpeg decode at, 17 times too fast, without a word; the byte rate says 16000 Hz.
      ("rate", fmt + 14, 4, "the header contradicts itself: its sample rate says 278144 Hz, its byte rate (32000 bytes a second, 2 a frame) 16000 Hz"),
    ]
    for (label, offset, value, message) in cases {
      var bytes = honest
      bytes[offset] = value
      let path = directory + "/\(label).wav"
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      for way in decodeEveryWay(path) {
        guard case .failure(let error) = way.outcome else {
          XCTFail("\(label), \(way.label): decoded")
          continue
        }
        XCTAssertEqual((error as? AudioIOError)?.message, message, "\(label), \(way.label)")
      }
    }
    // The same flip in an RF64's rate.
    let rf64 = directory + "/rate.rf64.wav"
    try MadeInputs.ffmpeg(["-i", fixtures + "/mono16k.wav", "-c:a", "pcm_s16le", "-rf64", "always", rf64])
    var rf64Bytes = readWholeFile(rf64)
    let rf64Format = try XCTUnwrap(Self.find(Array("fmt ".utf8), in: rf64Bytes))
    rf64Bytes[rf64Format + 14] = 4
    try Data(rf64Bytes).write(to: URL(fileURLWithPath: rf64))
    for way in decodeEveryWay(rf64) {
      guard case .failure(let error) = way.outcome else { XCTFail("RF64 rate, \(way.label): decoded"); continue }
      XCTAssertEqual((error as? AudioIOError)?.message, cases[2].3, "RF64 rate, \(way.label)")
    }
    // A byte rate a writer got wrong beside a usual rate is not a contradiction worth refusing:
    // the rate is the one decoded, as before.
    for (label, byteRate) in [("sloppy", [0x00, 0x00, 0x00, 0x00]), ("doubled", [0x00, 0xFA, 0x00, 0x00])] as [(String, [UInt8])] {
      var bytes = honest
      bytes.replaceSubrange(fmt + 16..<fmt + 20, with: byteRate)
      let path = directory + "/\(label).wav"
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      for way in decodeEveryWay(path) {
        guard case .success(let decoded) = way.outcome, decoded.warning == nil else { XCTFail("\(label), \(way.label): \(way.outcome)"); continue }
      }
    }
  }
}

extension DecoderTrustTests {
  /// review59 W5: MPEG streams joined with a few thousand other bytes between them (a
  /// download's junk, a damaged join), the second of another rate or channel count: libsndfile
  /// stopped at the bytes and the file and the pipe said "the N bytes from byte X on are
  /// neither MPEG frames nor a tag" (exit 0, the second stream dropped), where `--decoder
  /// ffmpeg` refused the change (65). Refused whichever decoder reads it, from a file or a
  /// pipe, as without the bytes; past a pipe's 4 MiB window too.
  func testMPEGStreamsOfAnotherFormatJoinedAfterOtherBytesAreRefused() throws {
    let directory = try scratchDirectory(self)
    var state: UInt64 = 0x2545_F491_4F6C_DD1D
    let junk = (0..<3000).map { _ -> UInt8 in
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      return UInt8(truncatingIfNeeded: state >> 32)
    }
    func joined(_ name: String, _ first: String, _ second: String) throws -> String {
      let path = directory + "/" + name
      try Data(readWholeFile(first) + junk + readWholeFile(second)).write(to: URL(fileURLWithPath: path))
      return path
    }
    let mp3 = try MadeInputs.fromSpeech("first.mp3", in: directory, ["-c:a", "libmp3lame"])
    let mp2 = try MadeInputs.fromSpeech("first.mp2", in: directory, ["-c:a", "mp2"])
    let changing = [
      try joined("rate.mp3", mp3, MadeInputs.fromSpeech("s44.mp3", in: directory, ["-ar", "44100", "-c:a", "libmp3lame"])),
      try joined("channels.mp3", mp3, MadeInputs.fromSpeech("stereo.mp3", in: directory, ["-ac", "2", "-c:a", "libmp3lame"])),
      try joined("rate.mp2", mp2, MadeInputs.fromSpeech("s44.mp2", in: directory, ["-ar", "44100", "-c:a", "mp2"])),
    ]
    var failures: [String] = []
    func refusedEveryWay(_ path: String, decoders: [AudioDecoder] = AudioDecoder.allCases) {
      for way in decodeEveryWay(path, decoders: decoders) {
        let label = "\((path as NSString).lastPathComponent), \(way.label)"
        switch way.outcome {
        case .success(let decoded): failures.append("\(label): decoded \(decoded.samples.count) samples, \(decoded.warning ?? "no warning")")
        case .failure(let error) where (error as? AudioIOError)?.kind != .invalidInput || !"\(error)".contains("changes from"):
          failures.append("\(label): \(error)")
        case .failure: break
        }
      }
    }
    for path in changing { refusedEveryWay(path) }
    // Past the window: 110 s of a 320 kb/s mono MP3 at 44.1 kHz (4.4 MB, no Info header).
    let wav = directory + "/long.wav"
    try MadeInputs.synth(wav, rate: 44100, channels: 1, ["110", "sine", "300:3000", "gain", "-12"])
    let long = directory + "/long.mp3"
    _ = try MadeInputs.ffmpeg(["-i", wav, "-c:a", "libmp3lame", "-b:a", "320k", "-write_xing", "0", "-id3v2_version", "0", long])
    let other = directory + "/s24.mp3"
    _ = try MadeInputs.ffmpeg(["-i", wav, "-t", "20", "-ar", "24000", "-c:a", "libmp3lame", "-write_xing", "0", "-id3v2_version", "0", other])
    refusedEveryWay(try joined("long-rate.mp3", long, other), decoders: [.auto, .sndfile])
    XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
  }
}
